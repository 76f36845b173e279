"""Códigos latentes y reconstrucciones de los autoencoders de PyTorch."""

import numpy as np
import torch

from esenciales.torch import models


def _first(outputs):
    """La primera salida: x̂ del VAE o μ de su codificador."""
    return outputs[0] if isinstance(outputs, (list, tuple)) else outputs


@torch.no_grad()
def _run(module, x):
    """Aplica ``module`` en modo evaluación y devuelve NumPy."""
    module.eval()
    device = next(module.parameters()).device
    x = torch.as_tensor(np.asarray(x, dtype="float32"), device=device)
    return _first(module(x)).cpu().numpy()


def encode(model, x):
    """El código de cada imagen: z del autoencoder o μ del VAE.

    Entrada: (N, 784) en [0, 1]. Salida: (N, dimensión latente).
    Concepto: el codificador comprime x en z.
    """
    return _run(models.encoder(model), x)


def reconstruct(model, x):
    """La reconstrucción x̂ de cada imagen. Entrada y salida: (N, 784)."""
    return _run(model, x)


def decode(model, z):
    """Imágenes generadas desde códigos z: (N, latente) -> (N, 784)."""
    return _run(models.decoder(model), z)
