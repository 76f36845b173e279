"""La caché de ejecución del libro sigue al paquete (``make book``)."""

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(shutil.which("make") is None,
                                reason="sin make")


@pytest.fixture
def checkout(tmp_path):
    """Una copia mínima del repositorio: el Makefile y el paquete."""
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    shutil.copytree(ROOT / "code" / "esenciales",
                    tmp_path / "code" / "esenciales",
                    ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def execution_cache(folder):
    """``make execution-cache``: lo que ``make book`` hace primero."""
    return subprocess.run(["make", "-s", "execution-cache"], cwd=folder,
                          capture_output=True, text=True,
                          check=True).stdout


def test_outputs_survive_until_the_package_changes(checkout):
    cache = checkout / "_build" / ".jupyter_cache"
    execution_cache(checkout)
    cache.mkdir(parents=True)
    (cache / "salida").write_text("salida de un capítulo")
    assert execution_cache(checkout) == ""  # nada cambió: nada se borra
    assert (cache / "salida").exists()
    module = checkout / "code" / "esenciales" / "spanish.py"
    module.write_text(module.read_text() + "\n# un cambio\n")
    out = execution_cache(checkout)
    assert "se vuelven a ejecutar todos los capítulos" in out
    assert not cache.exists()
    cache.mkdir()
    assert execution_cache(checkout) == ""
    assert cache.exists()


def test_a_new_or_renamed_module_counts_as_a_change(checkout):
    execution_cache(checkout)
    (checkout / "_build" / ".jupyter_cache").mkdir()
    package = checkout / "code" / "esenciales"
    (package / "spanish.py").rename(package / "castellano.py")
    assert "vuelven a ejecutar" in execution_cache(checkout)


def test_the_readme_no_longer_asks_for_make_clean():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make clean` antes" not in readme
