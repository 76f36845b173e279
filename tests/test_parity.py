"""Los gemelos se reflejan: mismos módulos, nombres, argumentos y valores
por omisión en ``esenciales.keras`` y ``esenciales.torch``.

La prueba es genérica: recorre todos los módulos de ``keras/`` y sus
nombres públicos, así que un módulo o una función nueva queda cubierta
sin tocar este archivo. Un nombre es público si no empieza con ``_`` y
está definido en ese mismo módulo (o en su ``__all__``), o es una
constante en mayúsculas; lo importado de otro lado no cuenta. Cada nombre
público de Keras debe existir en PyTorch con la misma firma; PyTorch
puede tener más (clases ``nn.Module`` que Keras no necesita).
"""

import importlib
import inspect
import pkgutil
from pathlib import Path

import pytest

import esenciales

PACKAGE = Path(esenciales.__file__).resolve().parent


def twin_modules(framework):
    """Los módulos de ``esenciales/<framework>/``, sin el paquete."""
    return sorted(info.name for info in
                  pkgutil.iter_modules([str(PACKAGE / framework)]))


def public_names(module):
    """Lo que un lector puede usar de ``module``: funciones, clases y
    constantes del paquete (ni lo importado de terceros ni submódulos)."""
    if hasattr(module, "__all__"):
        return sorted(module.__all__)
    names = []
    for name, value in vars(module).items():
        if name.startswith("_") or inspect.ismodule(value):
            continue
        if callable(value) and getattr(value, "__module__", None) \
                == module.__name__:
            names.append(name)
        elif not callable(value) and name.isupper():
            names.append(name)
    return sorted(names)


def signature(value):
    """Parámetros comparables: nombre, clase y valor por omisión.

    Dos idiomas no cuentan como diferencia: el ``**kwargs`` que una clase
    de Keras pasa a su base (``name=``, ``dtype=``…) y el primer argumento
    ``params`` de un optimizador de PyTorch (los tensores que actualiza,
    que en Keras llegan después, en ``apply``). Una clase sin ``__init__``
    propio no tiene argumentos suyos: los de su base son del framework.
    """
    if inspect.isclass(value) and not _own_init(value):
        return []
    try:
        parameters = list(inspect.signature(value).parameters.values())
    except (TypeError, ValueError):  # tipos sin firma
        return None
    if inspect.isclass(value):
        parameters = [p for p in parameters
                      if p.kind is not p.VAR_KEYWORD or not _is_keras(value)]
        if parameters and parameters[0].name == "params" \
                and _is_torch_optimizer(value):
            parameters = parameters[1:]
    return [(p.name, p.kind.name, p.default) for p in parameters]


def _own_init(cls):
    """¿Define el paquete el ``__init__`` de ``cls`` (o de una base suya)?"""
    owner = next(c for c in cls.__mro__ if "__init__" in vars(c))
    return owner.__module__.startswith("esenciales")


def _is_keras(cls):
    return any(base.__module__.startswith("keras") for base in cls.__mro__)


def _is_torch_optimizer(cls):
    import torch

    return issubclass(cls, torch.optim.Optimizer)


def test_same_modules():
    assert twin_modules("keras") == twin_modules("torch")
    assert len(twin_modules("keras")) >= 5


@pytest.mark.parametrize("name", twin_modules("keras"))
def test_same_public_names_and_signatures(name):
    keras_module = importlib.import_module(f"esenciales.keras.{name}")
    torch_module = importlib.import_module(f"esenciales.torch.{name}")
    keras_names = public_names(keras_module)
    assert keras_names, f"keras/{name}.py no tiene nombres públicos"
    missing = sorted(set(keras_names) - set(vars(torch_module)))
    assert not missing, f"torch/{name}.py no tiene {missing}"
    for public in keras_names:
        keras_value = getattr(keras_module, public)
        torch_value = getattr(torch_module, public)
        assert callable(keras_value) == callable(torch_value), public
        if callable(keras_value):
            assert signature(keras_value) == signature(torch_value), \
                f"{name}.{public}: firmas distintas"


def test_the_check_catches_a_difference():
    """La comparación de firmas ve un valor por omisión distinto."""
    def keras_like(x, *, epochs=5):
        return x

    def torch_like(x, *, epochs=6):
        return x

    assert signature(keras_like) != signature(torch_like)
    assert signature(keras_like) == signature(lambda x, *, epochs=5: x)
