"""Guardar y cargar los pesos de un modelo de PyTorch (para la caché)."""

import os
from pathlib import Path

import torch


def save_weights(model, path):
    """Guarda el ``state_dict`` en ``path`` de forma atómica."""
    path = Path(path)
    tmp = path.with_name(f"tmp-{path.name}")
    torch.save(model.state_dict(), tmp)
    os.replace(tmp, path)


def load_weights(model, path):
    """Carga en ``model`` los pesos guardados con ``save_weights``."""
    model.load_state_dict(torch.load(path, weights_only=True))
    return model
