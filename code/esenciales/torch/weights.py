"""Guardar y cargar los pesos de un modelo de PyTorch (para la caché)."""

import torch

from esenciales.files import atomic_write


def save_weights(model, path):
    """Guarda el ``state_dict`` en ``path`` de forma atómica."""
    atomic_write(path, lambda tmp: torch.save(model.state_dict(), tmp))


def load_weights(model, path):
    """Carga en ``model`` los pesos guardados con ``save_weights``."""
    model.load_state_dict(torch.load(path, weights_only=True))
    return model
