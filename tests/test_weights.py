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
