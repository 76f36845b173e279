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
    ningún temporal."""
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


LIMITED_SAVE = """\
import errno, resource, signal, sys
from esenciales.frameworks import framework_module
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
model = framework_module("keras", "models").mlp()
resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))
try:
    framework_module("keras", "weights").save_weights(model, sys.argv[1])
except OSError as error:
    print(errno.errorcode[error.errno])
"""
"""Guarda los pesos de Keras sin poder escribir más de 4 KiB por archivo."""


def test_keras_weights_on_a_full_disk_fail_before_h5py_writes(tmp_path):
    """Con 4 KiB por archivo, h5py escribiendo en el disco termina el
    proceso con una violación de segmento (salida 139) al salir; la cota
    de tamaño lo evita: un ``OSError`` normal y el proceso sigue vivo."""
    import os
    import subprocess
    import sys

    path = tmp_path / "m.weights.h5"
    path.write_bytes(b"pesos anteriores")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path),
           "TMPDIR": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-c", LIMITED_SAVE, str(path)],
                          capture_output=True, text=True, env=env,
                          timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.split() == ["ENOSPC"]
    assert path.read_bytes() == b"pesos anteriores"
    assert [p.name for p in tmp_path.iterdir()] == [path.name]


def test_keras_weights_bytes_are_what_save_weights_writes(tmp_path):
    """Los mismos pesos que ``model.save_weights`` del propio Keras, y
    nada queda en la carpeta temporal."""
    keras_weights = framework_module("keras", "weights")
    models = framework_module("keras", "models")
    model = models.mlp()
    reference = tmp_path / "keras.weights.h5"
    model.save_weights(reference)
    ours = tmp_path / "nuestro.weights.h5"
    ours.write_bytes(keras_weights.weights_bytes(model))
    for path in (reference, ours):
        other = keras_weights.load_weights(models.mlp(), path)
        for a, b in zip(model.get_weights(), other.get_weights()):
            np.testing.assert_array_equal(a, b)
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "keras.weights.h5", "nuestro.weights.h5"]


def test_an_unbuilt_keras_model_has_no_weights_to_save(tmp_path):
    import keras

    model = keras.Sequential([keras.layers.Dense(3)])
    with pytest.raises(ValueError, match="aún no tiene pesos"):
        framework_module("keras", "weights").save_weights(
            model, tmp_path / "m.weights.h5")
    assert list(tmp_path.iterdir()) == []


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
