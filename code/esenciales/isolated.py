"""Correr una tarea en un subproceso aislado, con tiempo límite.

Las tareas con varios procesos (``torch.distributed``) o con varios
dispositivos virtuales de JAX (``XLA_FLAGS`` se lee una sola vez, al
importar JAX) no pueden lanzarse desde la celda de un cuaderno: corren en
un intérprete nuevo, ``python -m MÓDULO TAREA ...``, que escribe su
resultado como JSON en un archivo. Si la tarea falla o se pasa del tiempo,
se termina el grupo de procesos entero (los hijos que haya lanzado
incluidos) y se lanza ``TaskError`` con un mensaje en castellano.
"""

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path


class TaskError(RuntimeError):
    """Una tarea aislada falló o no terminó a tiempo."""


def free_port():
    """Un puerto TCP libre en 127.0.0.1 (para el maestro del grupo)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def jax_devices_env(devices, device="cpu", float64=False):
    """Variables de un subproceso de JAX con ``devices`` dispositivos.

    En la CPU, JAX simula ``devices`` dispositivos con ``XLA_FLAGS``, que
    solo se lee al importar JAX: por eso va en el entorno del subproceso.
    Con ``float64``, JAX calcula en doble precisión.
    """
    env = {"KERAS_BACKEND": "jax"}
    if device == "cpu":
        env["JAX_PLATFORMS"] = "cpu"
        env["XLA_FLAGS"] = (os.environ.get("XLA_FLAGS", "") + " --xla_"
                            f"force_host_platform_device_count={devices}")
    if float64:
        env["JAX_ENABLE_X64"] = "1"
    return env


def run_task(module, task, options, *, env=None, timeout=300,
             stream=False):
    """Corre ``python -m module task --out ARCHIVO`` y devuelve su JSON.

    Entrada: el módulo y la tarea; ``options``, dict de opciones de línea
    de comandos (``{"replicas": 2}`` → ``--replicas 2``); ``env``, variables
    que se agregan al entorno; ``timeout`` en segundos (None: sin límite);
    ``stream``: la salida de la tarea va directo a la terminal (progreso
    de un entrenamiento) en vez de guardarse para el mensaje de error.
    Salida: el dict que la tarea escribió.
    """
    with tempfile.TemporaryDirectory(prefix="esenciales-") as folder:
        out = Path(folder) / "resultado.json"
        command = [sys.executable, "-m", module, task, "--out", str(out)]
        for key, value in options.items():
            command += [f"--{key.replace('_', '-')}", str(value)]
        _run(command, {**os.environ, **(env or {})}, timeout, stream)
        if not out.exists():
            raise TaskError(f"La tarea {task} no dejó resultado.")
        return json.loads(out.read_text(encoding="utf-8"))


def _run(command, env, timeout, stream=False):
    """Corre ``command`` en su propio grupo y lo mata entero si falla."""
    if stream:  # a la salida de errores: la salida queda para --json
        out, err = _stderr_fd(), None
    else:
        out, err = subprocess.PIPE, subprocess.STDOUT
    process = subprocess.Popen(command, env=env, stdout=out, stderr=err,
                               text=True, start_new_session=True)
    try:
        output, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        _kill_group(process)
        raise TaskError(f"La tarea {command[3]} no terminó en {timeout} s."
                        ) from None
    except BaseException:  # Ctrl-C: que no queden procesos huérfanos
        _kill_group(process)
        raise
    if process.returncode != 0:
        _kill_group(process)
        tail = "\n".join((output or "").strip().splitlines()[-15:])
        raise TaskError(f"La tarea {command[3]} terminó con código "
                        f"{process.returncode}" + (f":\n{tail}" if tail
                                                   else "."))


def _stderr_fd():
    """El descriptor de la salida de errores, o None si no tiene uno."""
    try:
        return sys.stderr.fileno()
    except (AttributeError, OSError, ValueError):
        return None


def _kill_group(process):
    """Termina el proceso y todos sus hijos (mismo grupo de sesión)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()
