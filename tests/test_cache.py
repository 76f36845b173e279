"""La caché de entrenamientos largos y los resúmenes de historiales."""

import numpy as np
import pytest

from esenciales.frameworks import framework_module
from esenciales.runs import cache


pytestmark = pytest.mark.usefixtures("private_cache")


def test_cache_dir_honours_environment(private_cache):
    expected = private_cache / "resultados"
    assert cache.cache_dir() == expected


def test_cached_json_computes_once():
    calls = []

    def compute():
        calls.append(1)
        return {"loss": [np.float32(0.5), 0.25]}

    first = cache.cached_json("prueba", compute)
    second = cache.cached_json("prueba", compute)
    assert first == second == {"loss": [0.5, 0.25]}
    assert len(calls) == 1


@pytest.mark.parametrize("framework", ["keras", "torch"])
def test_cached_model_reloads_the_same_weights(framework):
    models = framework_module(framework, "models")
    trained = []

    def train():
        model = models.mlp_minimal()
        trained.append(model)
        return model, {"nota": "entrenado"}

    model, record = cache.cached_model("mlp", framework,
                                       models.mlp_minimal, train)
    again, record_again = cache.cached_model("mlp", framework,
                                             models.mlp_minimal, train)
    assert len(trained) == 1 and again is not model
    assert record == record_again == {"nota": "entrenado"}
    predict = framework_module(framework, "training").predict
    x = np.random.default_rng(0).random((8, 10)).astype("float32")
    np.testing.assert_allclose(predict(model, x), predict(again, x),
                               atol=1e-6)


def test_unknown_framework_is_rejected():
    with pytest.raises(ValueError, match="Framework desconocido"):
        framework_module("jax", "models")
