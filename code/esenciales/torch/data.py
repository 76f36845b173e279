"""Preparar imágenes de MNIST para los modelos de PyTorch."""

import numpy as np


def prepare_images(x):
    """Lleva imágenes ``uint8`` a ``float32`` en [0, 1], canales primero.

    Entrada: (N, 28, 28) o (N, 28, 28, C) con valores 0..255.
    Salida: (N, 1, 28, 28) o (N, C, 28, 28), ``float32`` en [0, 1].
    Es la normalización de la clase, ``X_train/255.``, en el formato NCHW
    de PyTorch (lote, canales, alto, ancho).
    """
    x = _as_images(x)
    if x.ndim == 3:
        x = x[:, np.newaxis]
    else:
        x = x.transpose(0, 3, 1, 2)
    return np.ascontiguousarray(x, dtype="float32") / 255.0


def prepare_vectors(x):
    """Aplana imágenes ``uint8`` en vectores ``float32`` en [0, 1].

    Entrada: (N, 28, 28) con valores 0..255. Salida: (N, 784).
    Es la entrada del MLP, del autoencoder y del VAE de la clase.
    """
    x = _as_images(x)
    return x.reshape(len(x), -1).astype("float32") / 255.0


def _as_images(x):
    """Valida que ``x`` sea un lote de imágenes (N, alto, ancho[, C])."""
    x = np.asarray(x)
    if x.ndim not in (3, 4):
        raise ValueError(
            "Se esperaba un lote de imágenes de forma (N, alto, ancho) o "
            f"(N, alto, ancho, canales); llegó la forma {x.shape}."
        )
    return x
