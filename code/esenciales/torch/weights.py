"""Guardar y cargar los pesos de un modelo de PyTorch (caché y terminal)."""

import io

import torch

from esenciales.files import write_bytes

SUFFIX = ".pt"
"""La terminación de costumbre de un ``state_dict`` guardado."""


def check_path(path):
    """Cualquier nombre sirve: PyTorch no exige una terminación."""
    return path


def save_weights(model, path):
    """Guarda el ``state_dict`` de ``model`` en ``path``, atómicamente.

    Se serializa primero en memoria: con el disco lleno falla la escritura
    del archivo, nunca ``torch.save`` a medias.
    """
    write_bytes(check_path(path), weights_bytes(model))


def weights_bytes(model):
    """Los bytes del ``state_dict`` de ``model`` tal como los escribe
    ``torch.save``, sin tocar el disco."""
    buffer = io.BytesIO()
    torch.save(model.state_dict(), buffer)
    return buffer.getvalue()


def load_weights(model, path):
    """Carga en ``model`` los pesos guardados con ``save_weights``."""
    model.load_state_dict(torch.load(path, weights_only=True))
    return model
