"""Guardar y cargar los pesos de un modelo de Keras (caché y terminal)."""

import tempfile
from pathlib import Path

import numpy as np

from esenciales.files import ensure_space, write_bytes

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

    Primero se serializan completos y luego se copian los bytes con el
    escritor atómico: con el disco lleno falla esa copia (un ``OSError``
    que se puede informar) y el archivo anterior queda intacto.
    """
    write_bytes(check_path(path), weights_bytes(model))


def weights_bytes(model):
    """Los bytes del archivo ``.weights.h5`` de ``model``: lo que escribe
    ``model.save_weights``.

    Keras solo escribe en una ruta: se guarda en una carpeta temporal, se
    leen los bytes y la carpeta se borra. Antes se comprueba que quepan,
    porque h5py no sobrevive a una escritura fallida (el proceso termina
    con una violación de segmento al salir).
    """
    if not model.built:
        raise ValueError("El modelo aún no tiene pesos: llámenlo una vez "
                         "(o constrúyanlo con build) antes de guardarlos.")
    with tempfile.TemporaryDirectory(prefix="esenciales-") as folder:
        ensure_space(folder, _size_bound(model))
        path = Path(folder) / ("model" + SUFFIX)
        model.save_weights(path)
        return path.read_bytes()


def _size_bound(model):
    """Una cota de lo que ocupa el ``.weights.h5`` de ``model``: sus
    variables y las de su optimizador, más la cabecera de cada una."""
    optimizer = getattr(model, "optimizer", None)
    variables = list(model.variables)
    if optimizer is not None:
        variables += list(optimizer.variables)
    data = sum(int(np.prod(v.shape)) * np.dtype(v.dtype).itemsize
               for v in variables)
    return int(1.1 * data) + 4096 * len(variables) + 64 * 1024


def load_weights(model, path):
    """Carga en ``model`` los pesos guardados con ``save_weights``."""
    model.load_weights(path)
    return model
