"""Guardar y cargar los pesos de un modelo de Keras (para la caché)."""

import numpy as np

from esenciales.files import atomic_open


def save_weights(model, path):
    """Guarda ``model.get_weights()`` en ``path`` (``.npz``), atómicamente."""
    with atomic_open(path) as out:
        np.savez(out, *model.get_weights())


def load_weights(model, path):
    """Carga en ``model`` los pesos guardados con ``save_weights``."""
    with np.load(path) as arrays:
        model.set_weights([arrays[f"arr_{i}"] for i in range(len(arrays))])
    return model
