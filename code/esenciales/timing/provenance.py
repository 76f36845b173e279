"""Procedencia de una medición: máquina, versiones y fecha.

Lee el modelo de CPU, las versiones instaladas (sin importar los marcos) y
las GPU que ven nvidia-smi, PyTorch o JAX.
"""

import datetime
import importlib.metadata
import os
import platform
import re
import shutil
import subprocess
import sys
from pathlib import Path

import esenciales
from esenciales import frameworks


def provenance(framework=None, device="cpu"):
    """Describe dónde y con qué se midió: máquina, versiones y fecha.

    Entrada: el marco medido («numpy», «torch», «keras») y el dispositivo
    («cpu» o «cuda»).
    Salida: dict JSON con fecha ISO, Python, CPU (modelo e hilos), GPU
    (nombre, cantidad, driver y CUDA, si hay), versiones y backend de Keras.
    Concepto: una cifra sin su procedencia no se puede comparar.
    """
    info = {
        "date": datetime.datetime.now(datetime.timezone.utc)
        .isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu_model": _cpu_model(),
        "cpu_threads": os.cpu_count(),
        "versions": _versions(),
        "keras_backend": None,
        "gpu": _gpu_info(),
    }
    if info["versions"]["keras"]:
        info["keras_backend"] = frameworks.keras_backend()
    if framework == "torch":
        info["torch_threads"] = _torch_threads()
    info["device"] = _device_info(device, info)
    return info


def _cpu_model():
    """Nombre del procesador, leído de /proc/cpuinfo cuando existe."""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def _versions():
    """Versiones instaladas, sin importar los marcos (None si faltan)."""
    names = {
        "numpy": ("numpy",), "keras": ("keras",),
        "tensorflow": ("tensorflow", "tensorflow-cpu"),
        "torch": ("torch",), "jax": ("jax",), "jaxlib": ("jaxlib",),
    }
    versions = {key: _dist_version(d) for key, d in names.items()}
    versions["esenciales"] = esenciales.__version__
    return versions


def _dist_version(dists):
    """Versión de la primera distribución instalada de la lista."""
    for dist in dists:
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            continue
    return None


def _torch_threads():
    """Hilos que usa PyTorch en la CPU."""
    import torch

    return torch.get_num_threads()


def _gpu_info():
    """GPUs NVIDIA visibles según nvidia-smi y PyTorch (None si no hay)."""
    gpus = _nvidia_smi()
    if not gpus:
        return None
    info = {"count": len(gpus), "name": gpus[0]["name"], "gpus": gpus,
            "driver_cuda": _driver_cuda()}
    info.update(_cuda_versions())
    return info


def _driver_cuda():
    """Versión de CUDA que declara el driver en la cabecera de nvidia-smi."""
    try:
        out = subprocess.run(["nvidia-smi"], capture_output=True,
                             text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.search(r"CUDA Version:\s*([\d.]+)", out)
    return found.group(1) if found else None


def _nvidia_smi():
    """Nombre, driver y memoria de cada GPU, o lista vacía sin nvidia-smi."""
    if shutil.which("nvidia-smi") is None:
        return []
    query = "name,driver_version,memory.total"
    try:
        out = subprocess.run(
            ["nvidia-smi", f"--query-gpu={query}",
             "--format=csv,noheader"],
            capture_output=True, text=True, timeout=30, check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    rows = [line.split(", ") for line in out.strip().splitlines()]
    keys = ("name", "driver", "memory")
    return [dict(zip(keys, row)) for row in rows if len(row) == 3]


def _cuda_versions():
    """CUDA y cuDNN de PyTorch, o los dispositivos de JAX, si ya se
    importaron."""
    info = {}
    torch = sys.modules.get("torch")
    if torch is not None and torch.cuda.is_available():
        info["torch_cuda"] = torch.version.cuda
        info["cudnn"] = torch.backends.cudnn.version()
    jax = sys.modules.get("jax")
    if jax is not None:
        info["jax_devices"] = [d.device_kind for d in jax.devices()]
    return info


def _device_info(device, info):
    """Nombre y cantidad del dispositivo medido."""
    if device == "cpu":
        return {"type": "cpu", "name": info["cpu_model"], "count": 1}
    gpu = info["gpu"] or {}
    return {
        "type": device, "name": gpu.get("name"),
        "count": gpu.get("count", 0),
    }
