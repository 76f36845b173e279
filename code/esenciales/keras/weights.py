"""Guardar y cargar los pesos de un modelo de Keras (para la caché)."""

import os
from pathlib import Path

import numpy as np


def save_weights(model, path):
    """Guarda ``model.get_weights()`` en ``path`` (``.npz``), atómicamente."""
    path = Path(path)
    tmp = path.with_name(f"tmp-{path.name}")
    np.savez(tmp, *model.get_weights())
    os.replace(tmp, path)


def load_weights(model, path):
    """Carga en ``model`` los pesos guardados con ``save_weights``."""
    with np.load(path) as arrays:
        model.set_weights([arrays[f"arr_{i}"] for i in range(len(arrays))])
    return model
