"""Los dos frameworks del libro: nombres, validación, módulos y dispositivo.

Es el único lugar que decide qué frameworks existen, cómo se importa un
módulo gemelo (``esenciales.keras.models`` o ``esenciales.torch.models``) y
qué dispositivo usar. Keras respeta ``KERAS_BACKEND``: su GPU es la del
backend activo (TensorFlow, JAX o PyTorch), no siempre la de TensorFlow.
Este módulo no importa ningún framework hasta que se le pide.
"""

import importlib
import json
import os
import sys

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
    """El backend de Keras: el que usa si ya se importó; si no, el que
    usará (``KERAS_BACKEND``, luego ``keras.json``, luego TensorFlow)."""
    keras = sys.modules.get("keras")
    if keras is not None:
        return keras.backend.backend()
    if "KERAS_BACKEND" in os.environ:
        return os.environ["KERAS_BACKEND"]
    home = os.environ.get("KERAS_HOME",
                          os.path.join(os.path.expanduser("~"), ".keras"))
    try:
        with open(os.path.join(home, "keras.json"), encoding="utf-8") as f:
            return json.load(f).get("backend", "tensorflow")
    except (OSError, ValueError):
        return "tensorflow"


def engine(framework):
    """El motor que ejecuta las operaciones de ``framework``: ``torch``,
    o el backend de Keras (``tensorflow``, ``jax`` o ``torch``)."""
    check_framework(framework)
    return keras_backend() if framework == "keras" else "torch"


def gpus(framework):
    """Los nombres de las GPU que ve ``framework`` (lista vacía si
    ninguna). Importa el motor que corresponde: Keras pregunta a su
    backend, no siempre a TensorFlow."""
    name = engine(framework)
    if name == "torch":
        import torch

        return [torch.cuda.get_device_name(i)
                for i in range(torch.cuda.device_count())]
    if name == "jax":
        import jax

        return [d.device_kind for d in jax.devices() if d.platform == "gpu"]
    import tensorflow as tf

    return [gpu.name for gpu in tf.config.list_physical_devices("GPU")]


def cuda_available(framework):
    """¿Ve ``framework`` una GPU CUDA? (importa el motor que corresponda)."""
    return bool(gpus(framework))


def choose_device(device, gpu_visible, name):
    """La regla del dispositivo: ``"cpu"`` o ``"cuda"``.

    ``device`` es ``"auto"``, ``"cpu"`` o ``"cuda"``; ``gpu_visible``,
    una función sin argumentos que dice si ``name`` (el framework) ve
    una GPU: se llama solo si hace falta. ``"auto"`` elige la GPU si hay
    una; pedir ``"cuda"`` sin GPU lanza ``DeviceError``.
    """
    if device not in DEVICES:
        raise ValueError(f"Dispositivo desconocido: «{device}». "
                         "Opciones: «auto», «cpu», «cuda».")
    if device == "cpu":
        return "cpu"
    if gpu_visible():
        return "cuda"
    if device == "cuda":
        raise DeviceError(
            f"Se pidió el dispositivo cuda, pero {name} no ve ninguna "
            "GPU CUDA en esta máquina. Usen --device cpu o "
            "--device auto.")
    return "cpu"


def resolve_device(framework, device="auto"):
    """Traduce ``auto``, ``cpu`` o ``cuda`` a ``"cpu"`` o ``"cuda"``.

    Es ``choose_device`` con la GPU que ve ``framework`` (Keras: la de su
    backend). Un dispositivo desconocido es ``ValueError``.
    """
    check_framework(framework)
    return choose_device(device, lambda: cuda_available(framework),
                         FRAMEWORK_NAMES[framework])


def keras_device(device):
    """El nombre que ``keras.device`` da a ``"cpu"`` o ``"cuda"`` (ya
    resuelto con ``resolve_device``): ``"cpu:0"`` o ``"gpu:0"``."""
    return {"cpu": "cpu:0", "cuda": "gpu:0"}[device]
