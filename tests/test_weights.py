"""Pesos guardados: un formato por gemelo, el mismo para caché y terminal."""

import numpy as np
import pytest

from esenciales.frameworks import FRAMEWORKS, framework_module


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_weights_round_trip_without_leftovers(framework, tmp_path):
    models = framework_module(framework, "models")
    weights = framework_module(framework, "weights")
    predict = framework_module(framework, "training").predict
    framework_module(framework, "training").set_seed(0)
    model = models.mlp()
    path = tmp_path / f"mlp{weights.SUFFIX}"
    weights.save_weights(model, path)
    framework_module(framework, "training").set_seed(1)
    other = weights.load_weights(models.mlp(), path)
    x = np.random.default_rng(0).random((4, 784)).astype("float32")
    np.testing.assert_allclose(predict(model, x), predict(other, x),
                               atol=1e-6)
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_only_keras_demands_a_suffix():
    keras_weights = framework_module("keras", "weights")
    torch_weights = framework_module("torch", "weights")
    with pytest.raises(ValueError, match="«.weights.h5»"):
        keras_weights.check_path("pesos.pt")
    assert keras_weights.check_path("a.weights.h5") == "a.weights.h5"
    assert torch_weights.check_path("pesos.bin") == "pesos.bin"


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_disk_full_while_copying_keeps_the_old_file(framework, tmp_path,
                                                   monkeypatch):
    """ENOSPC a mitad de la copia de los bytes ya serializados: un
    ``OSError`` que se puede informar, el archivo anterior intacto y
    ningún temporal (antes, en Keras, h5py terminaba en segfault)."""
    import errno
    import pathlib

    models = framework_module(framework, "models")
    weights = framework_module(framework, "weights")
    path = tmp_path / f"mlp{weights.SUFFIX}"
    path.write_bytes(b"pesos anteriores")
    copies = []

    def full_disk(self, data):
        copies.append(len(data))
        with open(self, "wb") as out:
            out.write(data[:len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device", str(self))

    monkeypatch.setattr(pathlib.Path, "write_bytes", full_disk)
    with pytest.raises(OSError) as raised:
        weights.save_weights(models.mlp(), path)
    assert raised.value.errno == errno.ENOSPC
    assert copies and copies[0] > 100_000  # los pesos ya serializados
    assert path.read_bytes() == b"pesos anteriores"
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_keras_weights_are_serialised_without_touching_the_disk(tmp_path,
                                                                monkeypatch):
    """Los bytes salen de la memoria: h5py nunca abre un archivo."""
    import h5py

    keras_weights = framework_module("keras", "weights")
    model = framework_module("keras", "models").mlp()
    opened = []
    original = h5py.File.__init__

    def spy(self, name, *args, **kwargs):
        opened.append(name)
        original(self, name, *args, **kwargs)

    monkeypatch.setattr(h5py.File, "__init__", spy)
    data = keras_weights.weights_bytes(model)
    assert data.startswith(b"\x89HDF\r\n\x1a\n")
    assert opened and all(not isinstance(n, (str, bytes)) for n in opened)
    monkeypatch.undo()
    path = tmp_path / "m.weights.h5"
    path.write_bytes(data)
    other = framework_module("keras", "models").mlp()
    keras_weights.load_weights(other, path)
    for a, b in zip(model.get_weights(), other.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_torch_weights_bytes_are_what_torch_save_writes(tmp_path):
    import torch

    torch_weights = framework_module("torch", "weights")
    model = framework_module("torch", "models").mlp()
    data = torch_weights.weights_bytes(model)
    path = tmp_path / "m.pt"
    path.write_bytes(data)
    other = torch_weights.load_weights(
        framework_module("torch", "models").mlp(), path)
    for a, b in zip(model.state_dict().values(),
                    other.state_dict().values()):
        torch.testing.assert_close(a, b, rtol=0, atol=0)
