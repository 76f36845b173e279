"""Guardar y cargar los pesos de un modelo de Keras (caché y terminal)."""

import io
import zipfile

from esenciales.files import write_bytes

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

    Se serializan primero en memoria y luego se copian los bytes con el
    escritor atómico: con el disco lleno falla esa copia (un ``OSError``
    que se puede informar), nunca h5py a medias, que no sobrevive a una
    escritura fallida.
    """
    write_bytes(check_path(path), weights_bytes(model))


def weights_bytes(model):
    """Los bytes del archivo ``.weights.h5`` de ``model``, sin tocar el
    disco: el mismo contenido que ``model.save_weights``.

    Keras solo escribe HDF5 en memoria dentro de un archivo ``.keras``
    (un zip): se guarda ahí, con su propio guardador, y se extrae.
    """
    from keras.src.saving import saving_lib

    if not model.built:
        raise ValueError("El modelo aún no tiene pesos: llámenlo una vez "
                         "(o constrúyanlo con build) antes de guardarlos.")
    entry = "model" + SUFFIX
    archive_bytes = io.BytesIO()
    with zipfile.ZipFile(archive_bytes, "w") as archive:
        store = saving_lib.H5IOStore(entry, archive=archive, mode="w")
        saving_lib._save_state(model, store, None, "", set())
        store.close()
    with zipfile.ZipFile(archive_bytes) as archive:
        return archive.read(entry)


def load_weights(model, path):
    """Carga en ``model`` los pesos guardados con ``save_weights``."""
    model.load_weights(path)
    return model
