"""Preparar imágenes de MNIST para los modelos de Keras."""

import numpy as np

from esenciales.data.preprocessing import as_images, prepare_vectors

__all__ = ["prepare_images", "prepare_vectors"]


def prepare_images(x):
    """Lleva imágenes ``uint8`` a ``float32`` en [0, 1], canales al final.

    Entrada: (N, 28, 28) o (N, 28, 28, C) con valores 0..255.
    Salida: (N, 28, 28, 1) o (N, 28, 28, C), ``float32`` en [0, 1].
    Es la normalización de la clase: ``X_train.reshape(-1,28,28,1)/255.``
    (Keras usa el formato NHWC: lote, alto, ancho, canales).
    """
    x = as_images(x)
    if x.ndim == 3:
        x = x[..., np.newaxis]
    return x.astype("float32") / 255.0

