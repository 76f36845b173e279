"""La rueda de «esenciales» instalada fuera del repositorio.

``tools/dist.py`` (``make dist``) construye la rueda; se instala con
``--no-deps`` en un entorno virtual nuevo, en una carpeta temporal, y sus
dependencias (Keras, PyTorch...) se toman prestadas del entorno de las
pruebas, sin red. El comando instalado tiene que andar sin el repositorio:
nada de ``PYTHONPATH`` ni de carpeta actual dentro del clon.
"""

import json
import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def dist(tmp_path_factory):
    """La carpeta con la rueda y el sdist recién construidos."""
    folder = tmp_path_factory.mktemp("dist")
    subprocess.run([sys.executable, str(ROOT / "tools" / "dist.py"),
                    "--outdir", str(folder)], check=True,
                   capture_output=True, text=True)
    return folder


@pytest.fixture(scope="module")
def installed(dist, tmp_path_factory):
    """``(bin, env)``: el entorno nuevo con la rueda y un entorno de shell."""
    home = tmp_path_factory.mktemp("fuera")
    venv = home / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip",
                    str(venv)], check=True)
    wheel = next(dist.glob("esenciales-*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "--python",
                    str(venv / "bin" / "python"), "install", "--quiet",
                    "--no-deps", "--no-index", str(wheel)], check=True)
    # Las dependencias, después del propio site-packages: el paquete
    # editable del repositorio que hay allí no se activa (su .pth no se lee).
    site = subprocess.run(
        [str(venv / "bin" / "python"), "-c",
         "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        check=True, capture_output=True, text=True).stdout.strip()
    Path(site, "dependencias_prestadas.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{venv / 'bin'}:{env.get('PATH', '')}"
    env["ESENCIALES_CACHE"] = str(home / "cache")
    return home, env


def run(installed, *args):
    home, env = installed
    return subprocess.run(list(args), cwd=home, env=env, capture_output=True,
                          text=True, timeout=600)


def test_wheel_carries_package_data(dist):
    names = zipfile.ZipFile(next(dist.glob("esenciales-*.whl"))).namelist()
    chapters = [n for n in names if n.startswith("esenciales/libro/")]
    notebooks = [n for n in names if n.startswith("esenciales/cuadernos/")]
    recorded = [n for n in names
                if n.startswith("esenciales/timing/recorded/")]
    assert len(chapters) >= 8 and "esenciales/libro/references.bib" in names
    assert len(notebooks) == len(chapters) - 1
    assert recorded, "la rueda no trae las cifras de GPU grabadas"
    assert next(dist.glob("esenciales-*.tar.gz"))


def test_installed_package_is_the_wheel(installed):
    home, _ = installed
    done = run(installed, "python", "-c",
               "import esenciales; print(esenciales.__file__)")
    assert done.returncode == 0, done.stderr
    assert Path(done.stdout.strip()).is_relative_to(home)


def test_help(installed):
    done = run(installed, "esenciales", "--help")
    assert done.returncode == 0, done.stderr
    assert "cuaderno" in done.stdout and "ejecutar" in done.stdout


def test_run_chapter_one(installed):
    done = run(installed, "esenciales", "ejecutar", "1")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip()
    assert "Traceback" not in done.stderr


def test_recorded_timings(installed):
    done = run(installed, "esenciales", "tiempos", "cnn", "--framework",
               "torch", "--grabados")
    assert done.returncode == 0, done.stderr
    assert "grabado" in done.stdout  # las cifras de GPU del paquete


def test_notebook_from_the_wheel(installed):
    home, _ = installed
    done = run(installed, "esenciales", "cuaderno", "4", "--salida",
               "cnn.ipynb")
    assert done.returncode == 0, done.stderr
    notebook = json.loads((home / "cnn.ipynb").read_text(encoding="utf-8"))
    assert notebook["nbformat"] == 4
    sources = [cell["source"] for cell in notebook["cells"]]
    assert any("CNN" in source for source in sources)
    assert not any("{literalinclude}" in source for source in sources)
