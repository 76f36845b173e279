"""Entrenamientos largos del libro, hechos una vez y guardados en caché.

El capítulo 4 muestra los filtros de la CNN de MNIST y el capítulo 6 la
evalúa: los dos llaman a ``trained_mnist_cnn``, que entrena la primera vez
y después solo carga los pesos. La caché vive en ``$ESENCIALES_CACHE``
o, si no está definida, en la caché del usuario (``~/.cache/esenciales``).
Este módulo no importa TensorFlow ni PyTorch hasta que se usa.
"""

import contextlib
import json
import sys

from esenciales.data import CACHE_ENV_VAR, cache_root
from esenciales.files import describe_os_error, write_json
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
    Una entrada dañada se descarta y se recalcula; si la caché no se
    puede escribir, el resultado se usa igual (ver ``_keep``).
    """
    path = cache_dir() / f"{key}.json"
    record = _load_or_discard((path,), lambda: json.loads(path.read_text()))
    if record is not None:
        return record
    record = json.loads(json.dumps(compute(), default=float))
    _keep((path,), lambda: write_json(path, record))
    return record


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
    paths = (weights_path, record_path)
    cached = _load_or_discard(paths, lambda: (
        weights.load_weights(build(), weights_path),
        json.loads(record_path.read_text())))
    if cached is not None:
        return cached
    model, record = train()
    _keep(paths, lambda: (weights.save_weights(model, weights_path),
                          write_json(record_path, record)))
    return model, record


def _load_or_discard(paths, load):
    """``load()`` si todos los ``paths`` existen; ``None`` si falta alguno.

    Una entrada que no se puede leer (un corte a mitad de una versión
    anterior, un disco dañado) se borra con un aviso: se volverá a
    calcular, nunca se usa a medias.
    """
    if not all(path.exists() for path in paths):
        return None
    try:
        return load()
    except Exception as error:  # JSON, npz o .pt truncados: cualquier cosa
        for path in paths:
            path.unlink(missing_ok=True)
        _warn(f"la entrada «{paths[0]}» de la caché estaba dañada "
              f"({type(error).__name__}); se descartó y se vuelve a "
              "calcular.")
        return None


def _keep(paths, save):
    """Guarda con ``save()``; si la caché no se puede escribir, avisa.

    El resultado recién calculado nunca se pierde por la caché: se sigue
    usando en memoria, y lo que haya quedado escrito a medias se borra.
    """
    try:
        paths[0].parent.mkdir(parents=True, exist_ok=True)
        save()
    except Exception as error:  # torch.save da RuntimeError con el disco
        for path in paths:     # lleno; h5py no se usa aquí
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)
        reason = describe_os_error(error) if isinstance(error, OSError) \
            else type(error).__name__
        _warn(f"no se pudo guardar en la caché «{paths[0].parent}» "
              f"({reason}); el resultado se usa en "
              f"memoria y la próxima vez se volverá a calcular ("
              f"{CACHE_ENV_VAR} elige otra carpeta).")


def _warn(message):
    print(f"esenciales: aviso: {message}", file=sys.stderr, flush=True)


