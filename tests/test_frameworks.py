"""Elegir framework, importar su módulo gemelo y resolver el dispositivo."""

import sys

import pytest

from esenciales import frameworks


def test_names_and_modules():
    assert frameworks.FRAMEWORKS == ("keras", "torch")
    assert set(frameworks.FRAMEWORK_NAMES) == set(frameworks.FRAMEWORKS)
    module = frameworks.framework_module("torch", "models")
    assert module.__name__ == "esenciales.torch.models"


@pytest.mark.parametrize("bad", ["jax", "Keras", "", None])
def test_unknown_framework_is_a_spanish_value_error(bad):
    with pytest.raises(ValueError, match="Framework desconocido"):
        frameworks.check_framework(bad)
    with pytest.raises(ValueError, match="Framework desconocido"):
        frameworks.framework_module(bad, "models")


def test_check_framework_accepts_a_wider_list():
    assert frameworks.check_framework("numpy", ("numpy", "torch")) == "numpy"


def test_resolve_device_without_gpu(monkeypatch):
    monkeypatch.setattr(frameworks, "cuda_available", lambda fw: False)
    assert frameworks.resolve_device("torch", "auto") == "cpu"
    assert frameworks.resolve_device("keras", "cpu") == "cpu"
    with pytest.raises(frameworks.DeviceError, match="no ve ninguna GPU"):
        frameworks.resolve_device("keras", "cuda")
    with pytest.raises(ValueError, match="Dispositivo desconocido"):
        frameworks.resolve_device("torch", "tpu")


def test_resolve_device_with_gpu(monkeypatch):
    monkeypatch.setattr(frameworks, "cuda_available", lambda fw: True)
    assert frameworks.resolve_device("torch", "auto") == "cuda"
    assert frameworks.resolve_device("keras", "cuda") == "cuda"


def test_cuda_available_asks_the_keras_backend(monkeypatch):
    """Con ``KERAS_BACKEND=torch``, Keras pregunta a PyTorch, no a TF."""
    import torch

    monkeypatch.delitem(sys.modules, "keras", raising=False)
    monkeypatch.setenv("KERAS_BACKEND", "torch")
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 1)
    monkeypatch.setattr(torch.cuda, "get_device_name", lambda i: "H200")
    monkeypatch.setitem(sys.modules, "tensorflow", None)  # prohibido
    assert frameworks.gpus("keras") == ["H200"]
    assert frameworks.cuda_available("keras") is True
    assert frameworks.resolve_device("keras") == "cuda"


def test_jax_gpus_are_the_gpu_devices(monkeypatch):
    import jax

    class Device:
        def __init__(self, platform, kind):
            self.platform, self.device_kind = platform, kind

    monkeypatch.delitem(sys.modules, "keras", raising=False)
    monkeypatch.setenv("KERAS_BACKEND", "jax")
    monkeypatch.setattr(jax, "devices", lambda: [Device("cpu", "cpu"),
                                                 Device("gpu", "H200")])
    assert frameworks.engine("keras") == "jax"
    assert frameworks.gpus("keras") == ["H200"]


def test_keras_backend_is_decided_like_keras(monkeypatch, tmp_path):
    """Keras ya cargado manda; si no, KERAS_BACKEND, keras.json, TF."""
    monkeypatch.delitem(sys.modules, "keras", raising=False)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    monkeypatch.delenv("KERAS_BACKEND", raising=False)
    assert frameworks.keras_backend() == "tensorflow"
    (tmp_path / "keras.json").write_text('{"backend": "jax"}')
    assert frameworks.keras_backend() == "jax"
    monkeypatch.setenv("KERAS_BACKEND", "torch")
    assert frameworks.keras_backend() == "torch"

    class Loaded:
        class backend:
            backend = staticmethod(lambda: "tensorflow")

    monkeypatch.setitem(sys.modules, "keras", Loaded)
    assert frameworks.keras_backend() == "tensorflow"
    assert frameworks.engine("torch") == "torch"


def test_keras_device_names():
    assert frameworks.keras_device("cpu") == "cpu:0"
    assert frameworks.keras_device("cuda") == "gpu:0"


def test_cpu_device_imports_no_framework():
    import subprocess

    code = ("import sys; from esenciales import frameworks\n"
            "frameworks.resolve_device('keras', 'cpu')\n"
            "print(any(m in sys.modules for m in "
            "('torch', 'tensorflow', 'keras')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True,
                         text=True, check=True).stdout
    assert out.strip() == "False"


def test_asking_for_a_gpu_changes_nothing_global():
    """``resolve_device("torch", "auto")`` importa PyTorch pero no toca el
    entorno: los hilos los ajusta solo ``threads.prepare()``, a la vista
    (antes de importar el marco)."""
    import os
    import subprocess

    code = ("import os, sys; from esenciales import frameworks\n"
            "import builtins; real = builtins.__import__\n"
            "def spy(name, *a, **k):\n"
            "    if name == 'torch' and 'torch' not in sys.modules:\n"
            "        print(os.environ.get('OMP_WAIT_POLICY'))\n"
            "    return real(name, *a, **k)\n"
            "builtins.__import__ = spy\n"
            "frameworks.resolve_device('torch', 'auto')")
    env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True,
                         text=True, check=True, env=env).stdout
    assert out.splitlines()[0] == "None"
