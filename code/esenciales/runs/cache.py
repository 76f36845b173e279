"""Entrenamientos largos del libro, hechos una vez y guardados en caché.

El capítulo 4 muestra los filtros de la CNN de MNIST y el capítulo 6 la
evalúa: los dos piden la receta ``mnist_cnn`` entrenada, que se entrena
la primera vez y después solo se cargan los pesos. La clave de cada
entrada sale de la receta completa, del framework y de la huella del
código que entrena (``recipe_key``): cambiar una perilla o un modelo
vuelve a entrenar, cambiar un comentario no. La caché vive en
``$ESENCIALES_CACHE/resultados`` o, si no está definida, en la caché del
usuario (``~/.cache/esenciales/resultados``). Este módulo no importa
TensorFlow ni PyTorch hasta que se usa.
"""

import ast
import contextlib
import hashlib
import json
import pickle
import sys
import zipfile
from pathlib import Path

from esenciales.data import CACHE_ENV_VAR, cache_root
from esenciales.data.sources import mark_cache_root
from esenciales.files import describe_os_error, write_json
from esenciales.frameworks import framework_module

TRAINING_CODE = ("{framework}", "data", "frameworks.py",
                 "runs/training.py", "runs/schedules.py")
"""Lo que entrena una receta, relativo al paquete: si su código cambia,
los resultados guardados dejan de valer (``code_hash``)."""


def cache_dir():
    """Carpeta donde se guardan pesos e historias de entrenamiento."""
    return cache_root() / "resultados"


def cached_json(key, compute):
    """Devuelve ``compute()`` guardado en ``<caché>/<key>.json``.

    ``compute`` debe devolver algo serializable en JSON (historias,
    tablas). La segunda llamada con la misma clave solo lee el archivo.
    Una entrada dañada se descarta y se recalcula; si la caché no se
    puede escribir, el resultado se usa igual (ver ``_keep``).
    """
    path = cache_dir() / f"{key}.json"
    record = _load_or_discard((path,), lambda: _read_json(path))
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
    weights_path = directory / f"{key}{weights.SUFFIX}"
    record_path = directory / f"{key}.json"
    paths = (weights_path, record_path)
    if all(path.exists() for path in paths):
        empty = build()  # si falla, la entrada no tiene la culpa
        cached = _load_or_discard(paths, lambda: (
            weights.load_weights(empty, weights_path),
            _read_json(record_path)))
    else:
        cached = None
    if cached is not None:
        return cached
    model, record = train()
    _keep(paths, lambda: (weights.save_weights(model, weights_path),
                          write_json(record_path, record)))
    return model, record


ENTRY_ERRORS = (OSError, EOFError, ValueError, RuntimeError, KeyError,
                pickle.UnpicklingError, zipfile.BadZipFile)
"""Lo que lanza leer una entrada dañada: JSON truncado o que no es un
objeto (``ValueError``), un .pt cortado (``RuntimeError`` de PyTorch,
``UnpicklingError``, ``EOFError``), un .h5 ilegible (``OSError``), pesos
de otra forma (``ValueError``). Un ``ImportError`` o un ``DataError`` de
otra cosa no descartan la entrada."""


def _read_json(path):
    """El objeto JSON de una entrada; ``ValueError`` si no es un objeto."""
    record = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(record, (dict, list)) or not record:
        raise ValueError("la entrada está vacía o no es un objeto JSON")
    return record


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
    except ENTRY_ERRORS as error:  # JSON, .h5 o .pt truncados o ajenos
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
        mark_cache_root()
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


def recipe_key(recipe, framework):
    """La clave de una receta en la caché: ``<nombre>-<framework>-<huella>``.

    La huella resume todos los campos de la receta salvo su descripción
    (también los de la receta de origen, ``source``), el framework y
    ``code_hash(framework)``.
    """
    text = json.dumps([_knobs(recipe.as_dict()), framework,
                       code_hash(framework)],
                      sort_keys=True, default=str)
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    return f"{recipe.name}-{framework}-{digest}"


def _knobs(record):
    """Los campos de una receta (y de su ``source``) sin la descripción."""
    fields = {k: v for k, v in record.items() if k != "description"}
    if fields.get("source") is not None:
        fields["source"] = _knobs(fields["source"])
    return fields


def code_hash(framework, extra=()):
    """Huella del código que entrena con ``framework`` (``TRAINING_CODE``
    y los módulos de ``extra``, como ``"runs/techniques.py"``).

    Lee cada módulo como árbol de sintaxis sin sus *docstrings*: corregir
    un comentario o la redacción de un docstring no invalida la caché;
    cambiar una línea de código, sí.
    """
    package = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256()
    for name in (*TRAINING_CODE, *extra):
        target = package / name.format(framework=framework)
        paths = sorted(target.rglob("*.py")) if target.is_dir() else [target]
        for path in paths:
            digest.update(path.relative_to(package).as_posix().encode())
            digest.update(code_only(path.read_text(encoding="utf-8")))
    return digest.hexdigest()[:16]


def code_only(source):
    """El código de ``source`` sin comentarios ni *docstrings*, en bytes."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list):
            node.body = [statement for statement in body
                         if not _is_docstring(statement)] or [ast.Pass()]
    return ast.dump(tree).encode()


def _is_docstring(statement):
    """¿Es ``statement`` un texto suelto (docstring de módulo, clase,
    función o constante)?"""
    return isinstance(statement, ast.Expr) \
        and isinstance(statement.value, ast.Constant) \
        and isinstance(statement.value.value, str)
