"""Códigos latentes y reconstrucciones: formas y acuerdo Keras–PyTorch."""

import numpy as np
import pytest

from esenciales import convert
from esenciales.keras import latent as keras_latent
from esenciales.keras import models as keras_models
from esenciales.torch import latent as torch_latent
from esenciales.torch import models as torch_models

X = np.random.default_rng(0).random((16, 784)).astype("float32")


def test_autoencoder_codes_and_reconstructions_agree():
    keras_model = keras_models.autoencoder()
    torch_model = torch_models.autoencoder()
    convert.keras_to_torch(keras_model, torch_model)
    codes = keras_latent.encode(keras_model, X)
    assert codes.shape == (16, 32)
    np.testing.assert_allclose(codes, torch_latent.encode(torch_model, X),
                               atol=1e-5)
    rebuilt = keras_latent.reconstruct(keras_model, X)
    assert rebuilt.shape == (16, 784)
    assert rebuilt.min() >= 0 and rebuilt.max() <= 1
    np.testing.assert_allclose(
        rebuilt, torch_latent.reconstruct(torch_model, X), atol=1e-5)


@pytest.mark.parametrize("module,models", [
    (keras_latent, keras_models), (torch_latent, torch_models)])
def test_vae_mean_codes_and_generation(module, models):
    model = models.vae(latent_dim=2)
    mu = module.encode(model, X)
    assert mu.shape == (16, 2)
    np.testing.assert_allclose(mu, module.encode(model, X))  # μ, sin azar
    assert module.reconstruct(model, X).shape == (16, 784)
    generated = module.decode(model, np.zeros((3, 2), dtype="float32"))
    assert generated.shape == (3, 784)
