"""Preparación de imágenes común a Keras y PyTorch (solo NumPy).

El formato de las imágenes cambia entre *frameworks* (``prepare_images``
vive en cada uno); los vectores planos y la validación, no.
"""

import numpy as np


def prepare_vectors(x):
    """Aplana imágenes ``uint8`` en vectores ``float32`` en [0, 1].

    Entrada: (N, 28, 28) con valores 0..255. Salida: (N, 784).
    Es la entrada del MLP, del autoencoder y del VAE de la clase.
    """
    x = as_images(x)
    return x.reshape(len(x), -1).astype("float32") / 255.0


def as_images(x):
    """Valida que ``x`` sea un lote de imágenes (N, alto, ancho[, C])."""
    x = np.asarray(x)
    if x.ndim not in (3, 4):
        raise ValueError(
            "Se esperaba un lote de imágenes de forma (N, alto, ancho) o "
            f"(N, alto, ancho, canales); llegó la forma {x.shape}."
        )
    return x
