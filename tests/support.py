"""Ayudantes de las pruebas del comando ``esenciales``.

Una sola casa para correr el comando en un proceso aparte y reconocer un
error limpio; ``conftest.py`` los ofrece como el fixture ``cli`` y las
pruebas de la terminal los importan de aquí, nunca de otro módulo de
pruebas.
"""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
"""La raíz del repositorio."""

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("CHROMEDRIVER", "/usr/bin/chromedriver")


def cli_env(**extra):
    """El entorno de ``make test`` (datos locales, Keras con TensorFlow)
    más ``extra``."""
    env = dict(os.environ)
    env.setdefault("ESENCIALES_DATA", str(ROOT.parent / "shared" / "data"))
    env.setdefault("KERAS_BACKEND", "tensorflow")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    env.pop("NO_COLOR", None)
    env.update(extra)
    return env


def run_cli(*args, env=None, timeout=300, cwd=ROOT):
    """Corre ``python -m esenciales ARGS``; devuelve el proceso terminado
    (``returncode``, ``stdout``, ``stderr``). La entrada está vacía, nunca
    la terminal de quien corre las pruebas: el comando no pregunta."""
    return subprocess.run(
        [sys.executable, "-m", "esenciales", *map(str, args)],
        capture_output=True, text=True, env=env or cli_env(),
        stdin=subprocess.DEVNULL, timeout=timeout, cwd=cwd)


def assert_clean_error(proc, code):
    """Error limpio: el código pedido, un mensaje en español y ninguna
    traza."""
    assert proc.returncode == code, proc.stderr
    assert "Traceback" not in proc.stderr
    assert any(line.startswith("esenciales") and "error: " in line
               for line in proc.stderr.splitlines())


def one_error_line(proc):
    """La única línea de error del comando (falla si hay otra)."""
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("esenciales: ")]
    assert len(errors) == 1, proc.stderr
    return errors[0]


def leftovers(folder):
    """Temporales que quedaron en ``folder`` (no debería haber ninguno)."""
    return [p.name for p in Path(folder).rglob("*") if ".tmp" in p.name]


FULL_FOLDER = """\
import errno, os, pathlib, sys
full = sys.argv.pop(1)
def filling(original):
    def write(self, *args, **kwargs):
        if str(self).startswith(full):  # solo esa carpeta está llena
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
        return original(self, *args, **kwargs)
    return write
pathlib.Path.write_text = filling(pathlib.Path.write_text)
pathlib.Path.write_bytes = filling(pathlib.Path.write_bytes)
from esenciales.cli import main
sys.exit(main(sys.argv[1:]))
"""
"""Corre ``esenciales`` con la carpeta ``full`` llena (ENOSPC al copiar los
bytes ya serializados, el paso de ``esenciales.files``)."""


def chromium(profile, width, height, *flags):
    """Chromium de Debian sin pantalla, manejado por selenium, con el
    perfil vacío ``profile``, la ventana de ``width`` × ``height`` y las
    opciones extra ``flags``; guarda los mensajes de la consola."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu",
                 "--disable-quic", "--no-first-run",
                 "--disable-background-networking",
                 "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage",
                 f"--window-size={width},{height}",
                 f"--user-data-dir={profile}", *flags):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(options=options, service=Service(CHROMEDRIVER))
