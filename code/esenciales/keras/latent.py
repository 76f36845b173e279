"""Códigos latentes y reconstrucciones de los autoencoders de Keras."""

import numpy as np

from esenciales.keras import models


def _first(outputs):
    """La primera salida: x̂ del VAE o μ de su codificador."""
    return outputs[0] if isinstance(outputs, (list, tuple)) else outputs


def encode(model, x):
    """El código de cada imagen: z del autoencoder o μ del VAE.

    Entrada: (N, 784) en [0, 1]. Salida: (N, dimensión latente).
    Concepto: el codificador comprime x en z.
    """
    return np.asarray(_first(models.encoder(model).predict(x, verbose=0)))


def reconstruct(model, x):
    """La reconstrucción x̂ de cada imagen. Entrada y salida: (N, 784)."""
    return np.asarray(_first(model.predict(x, verbose=0)))


def decode(model, z):
    """Imágenes generadas desde códigos z: (N, latente) -> (N, 784)."""
    return np.asarray(models.decoder(model).predict(z, verbose=0))
