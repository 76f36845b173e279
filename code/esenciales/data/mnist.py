"""MNIST y Fashion-MNIST: imágenes en formato IDX, verificadas."""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import numpy as np

from esenciales.data.sources import (FASHION_MNIST, MNIST, DataError,
                                     Dataset, verified_file)

FASHION_MNIST_CLASSES = (
    "camiseta", "pantalón", "suéter", "vestido", "abrigo",
    "sandalia", "camisa", "zapatilla", "bolso", "botín",
)
"""Nombres en español de las diez clases de Fashion-MNIST, en orden."""

# --------------------------------------------------------------------------
# MNIST y Fashion-MNIST (formato IDX)


def read_idx(path: Path) -> np.ndarray:
    """Lee un archivo IDX comprimido con gzip como arreglo ``uint8``.

    Imágenes: ``(n, filas, columnas)``; etiquetas: ``(n,)``.
    """
    try:
        with gzip.open(path, "rb") as stream:
            raw = stream.read()
    except (OSError, EOFError, zlib.error) as error:
        raise DataError(
            f"El archivo {path} está corrupto ({error}).") from error
    if len(raw) < 8 or raw[:2] != b"\x00\x00" or raw[2] != 0x08:
        raise DataError(f"{path} no es un archivo IDX de bytes sin signo.")
    ndim = raw[3]
    shape = tuple(int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big")
                  for i in range(ndim))
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)
    if data.size != int(np.prod(shape)):
        raise DataError(f"{path} está truncado: se esperaban {shape}.")
    return data.reshape(shape)


def _load_idx_dataset(dataset: Dataset):
    """Carga los cuatro archivos IDX de un conjunto verificado."""
    arrays = [read_idx(verified_file(dataset, f)) for f in dataset.files]
    x_train, y_train, x_test, y_test = arrays
    return (x_train, y_train), (x_test, y_test)


def load_mnist():
    """MNIST completo: 60 000 dígitos de entrenamiento y 10 000 de prueba.

    Devuelve ``(x_train, y_train), (x_test, y_test)``: imágenes ``uint8`` de
    forma ``(n, 28, 28)`` con valores 0–255 y etiquetas ``uint8`` 0–9,
    como ``keras.datasets.mnist.load_data()``.
    """
    return _load_idx_dataset(MNIST)


def load_fashion_mnist():
    """Fashion-MNIST: 70 000 prendas de ropa en escala de grises, 10 clases.

    Mismas formas y tipos que :func:`load_mnist`; los nombres de las clases
    están en ``FASHION_MNIST_CLASSES``.
    """
    return _load_idx_dataset(FASHION_MNIST)
