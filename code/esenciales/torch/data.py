"""Preparar imágenes de MNIST para los modelos de PyTorch."""

import numpy as np

from esenciales.data.preprocessing import as_images, prepare_vectors

__all__ = ["prepare_images", "prepare_vectors"]


def prepare_images(x):
    """Lleva imágenes ``uint8`` a ``float32`` en [0, 1], canales primero.

    Entrada: (N, 28, 28) o (N, 28, 28, C) con valores 0..255.
    Salida: (N, 1, 28, 28) o (N, C, 28, 28), ``float32`` en [0, 1].
    Es la normalización de la clase, ``X_train/255.``, en el formato NCHW
    de PyTorch (lote, canales, alto, ancho).
    """
    x = as_images(x)
    if x.ndim == 3:
        x = x[:, np.newaxis]
    else:
        x = x.transpose(0, 3, 1, 2)
    return np.ascontiguousarray(x, dtype="float32") / 255.0

