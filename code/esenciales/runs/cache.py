"""Entrenamientos largos del libro, hechos una vez y guardados en caché.

El capítulo 4 muestra los filtros de la CNN de MNIST y el capítulo 6 la
evalúa: los dos llaman a ``trained_mnist_cnn``, que entrena la primera vez
y después solo carga los pesos. La caché vive en ``$ESENCIALES_CACHE``
o, si no está definida, en la caché del usuario (``~/.cache/esenciales``).
Este módulo no importa TensorFlow ni PyTorch hasta que se usa.
"""

import json

from esenciales.data import cache_root
from esenciales.files import write_json
from esenciales.frameworks import framework_module

WEIGHT_SUFFIX = {"keras": ".npz", "torch": ".pt"}

CACHE_VERSION = 2
"""Versión de las recetas de entrenamiento: se sube al cambiar una, y los
resultados guardados con la anterior dejan de usarse."""


def cache_dir():
    """Carpeta donde se guardan pesos e historias de entrenamiento."""
    return cache_root() / f"resultados-v{CACHE_VERSION}"


def cached_json(key, compute):
    """Devuelve ``compute()`` guardado en ``<caché>/<key>.json``.

    ``compute`` debe devolver algo serializable en JSON (historias,
    tablas). La segunda llamada con la misma clave solo lee el archivo.
    """
    path = cache_dir() / f"{key}.json"
    if path.exists():
        return json.loads(path.read_text())
    path.parent.mkdir(parents=True, exist_ok=True)
    write_json(path, compute())
    return json.loads(path.read_text())


def cached_model(key, framework, build, train):
    """Un modelo entrenado una sola vez: pesos y registro en caché.

    ``build()`` crea el modelo vacío (para cargar pesos); ``train()``
    devuelve ``(modelo, registro)`` con un registro serializable en JSON.
    Salida: ``(modelo, registro)``.
    """
    weights = framework_module(framework, "weights")
    directory = cache_dir()
    weights_path = directory / f"{key}{WEIGHT_SUFFIX[framework]}"
    record_path = directory / f"{key}.json"
    if weights_path.exists() and record_path.exists():
        model = weights.load_weights(build(), weights_path)
        return model, json.loads(record_path.read_text())
    model, record = train()
    directory.mkdir(parents=True, exist_ok=True)
    weights.save_weights(model, weights_path)
    write_json(record_path, record)
    return model, record


