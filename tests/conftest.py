"""Lo que comparten las pruebas: una caché privada y el comando aparte.

- ``private_cache``: una caché de resultados vacía, solo para esa prueba
  (``ESENCIALES_CACHE``); nada de lo que entrena queda en la del usuario.
- ``cli``: corre ``python -m esenciales …`` en un proceso nuevo, con el
  entorno de ``make test`` (datos locales, Keras con TensorFlow), y sabe
  reconocer un error limpio (código pedido, una línea en español, sin
  traza).
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
"""La raíz del repositorio."""


@pytest.fixture
def private_cache(tmp_path, monkeypatch):
    """La carpeta de una caché vacía, privada de la prueba."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("ESENCIALES_CACHE", str(folder))
    return folder


class Cli:
    """El comando ``esenciales`` en un proceso aparte."""

    root = ROOT

    @staticmethod
    def env(**extra):
        """El entorno de ``make test`` más ``extra``."""
        env = dict(os.environ)
        env.setdefault("ESENCIALES_DATA", str(ROOT.parent / "shared" /
                                              "data"))
        env.setdefault("KERAS_BACKEND", "tensorflow")
        env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
        env.pop("NO_COLOR", None)
        env.update(extra)
        return env

    def run(self, *args, env=None, timeout=300, cwd=ROOT):
        """Corre ``python -m esenciales ARGS``; devuelve el proceso
        terminado (``returncode``, ``stdout``, ``stderr``)."""
        return subprocess.run(
            [sys.executable, "-m", "esenciales", *map(str, args)],
            capture_output=True, text=True, env=env or self.env(),
            timeout=timeout, cwd=cwd)

    @staticmethod
    def assert_clean_error(proc, code):
        """Error limpio: el código pedido, un mensaje en español y ninguna
        traza."""
        assert proc.returncode == code, proc.stderr
        assert "Traceback" not in proc.stderr
        assert any(line.startswith("esenciales") and "error: " in line
                   for line in proc.stderr.splitlines())


@pytest.fixture
def cli():
    """Ver ``Cli``."""
    return Cli()
