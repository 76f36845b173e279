"""Los dos frameworks del libro: nombres, validación, módulos y dispositivo.

Es el único lugar que decide qué frameworks existen, cómo se importa un
módulo gemelo (``esenciales.keras.models`` o ``esenciales.torch.models``) y
qué dispositivo usar. Keras respeta ``KERAS_BACKEND``: su GPU es la del
backend activo (TensorFlow, JAX o PyTorch), no siempre la de TensorFlow.
Este módulo no importa ningún framework hasta que se le pide.
"""

import importlib
import os

FRAMEWORKS = ("keras", "torch")
"""Los frameworks gemelos, en el orden de las pestañas del libro."""

FRAMEWORK_NAMES = {"keras": "Keras", "torch": "PyTorch"}
"""Cómo se escribe cada framework en el texto, las tablas y la terminal."""

DEVICES = ("auto", "cpu", "cuda")
"""Dispositivos que se pueden pedir; ``auto`` elige la GPU si hay una."""


class DeviceError(RuntimeError):
    """Se pidió un dispositivo que esta máquina no tiene."""


def check_framework(name, allowed=FRAMEWORKS):
    """Devuelve ``name`` si es un framework válido; si no, ``ValueError``."""
    if name not in allowed:
        options = ", ".join(f"«{a}»" for a in allowed)
        raise ValueError(f"Framework desconocido: «{name}». "
                         f"Opciones: {options}.")
    return name


def framework_module(framework, module):
    """Importa ``esenciales.<framework>.<module>`` (al usarlo)."""
    check_framework(framework)
    return importlib.import_module(f"esenciales.{framework}.{module}")


def keras_backend():
    """El backend de Keras que se usará: ``KERAS_BACKEND`` o TensorFlow."""
    return os.environ.get("KERAS_BACKEND", "tensorflow")


def cuda_available(framework):
    """¿Ve ``framework`` una GPU CUDA? (importa el motor que corresponda)."""
    check_framework(framework)
    engine = "torch" if framework == "torch" else keras_backend()
    if engine == "torch":
        import torch

        return torch.cuda.is_available()
    if engine == "jax":
        import jax

        return any(d.platform == "gpu" for d in jax.devices())
    import tensorflow as tf

    return bool(tf.config.list_physical_devices("GPU"))


def resolve_device(framework, device="auto"):
    """Traduce ``auto``, ``cpu`` o ``cuda`` a ``"cpu"`` o ``"cuda"``.

    ``auto`` elige ``cuda`` si el framework ve una GPU. Pedir ``cuda`` sin
    GPU lanza ``DeviceError``; un nombre desconocido, ``ValueError``.
    """
    if device not in DEVICES:
        raise ValueError(f"Dispositivo desconocido: «{device}». "
                         "Opciones: «auto», «cpu», «cuda».")
    if device == "cpu":
        return "cpu"
    if cuda_available(framework):
        return "cuda"
    if device == "cuda":
        raise DeviceError(
            f"Se pidió el dispositivo cuda, pero {FRAMEWORK_NAMES[framework]}"
            " no ve ninguna GPU CUDA en esta máquina. Usen --device cpu o "
            "--device auto.")
    return "cpu"
