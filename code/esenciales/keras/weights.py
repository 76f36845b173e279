"""Guardar y cargar los pesos de un modelo de Keras (caché y terminal)."""

from pathlib import Path

import numpy as np

from esenciales.files import atomic_write, ensure_space

SUFFIX = ".weights.h5"
"""La terminación que Keras 3 exige a un archivo de pesos."""


def check_path(path):
    """Lanza ``ValueError`` si ``path`` no termina en ``.weights.h5``
    (Keras 3 no guarda pesos con otro nombre)."""
    if not str(path).endswith(SUFFIX):
        raise ValueError(f"con Keras el archivo de pesos debe terminar en "
                         f"«{SUFFIX}» (lo exige Keras 3).")
    return path


def save_weights(model, path):
    """Guarda los pesos de ``model`` en ``path`` (``.weights.h5``).

    La escritura es atómica y solo empieza si los pesos caben en el
    disco: h5py no sobrevive a una escritura fallida.
    """
    ensure_space(Path(path).resolve().parent, _size(model))
    atomic_write(path, model.save_weights, SUFFIX)


def load_weights(model, path):
    """Carga en ``model`` los pesos guardados con ``save_weights``."""
    model.load_weights(path)
    return model


def _size(model):
    """Lo que ocupa, con holgura, el archivo de pesos de ``model``."""
    data = sum(int(np.prod(w.shape)) * np.dtype(w.dtype).itemsize
               for w in model.weights)
    return int(1.1 * data) + 64 * 1024
