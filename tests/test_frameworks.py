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

    monkeypatch.setenv("KERAS_BACKEND", "torch")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: "de torch")
    monkeypatch.setitem(sys.modules, "tensorflow", None)  # prohibido
    assert frameworks.cuda_available("keras") == "de torch"


def test_cpu_device_imports_no_framework():
    import subprocess

    code = ("import sys; from esenciales import frameworks\n"
            "frameworks.resolve_device('keras', 'cpu')\n"
            "print(any(m in sys.modules for m in "
            "('torch', 'tensorflow', 'keras')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True,
                         text=True, check=True).stdout
    assert out.strip() == "False"
