"""La caché de ejecución del libro sigue al paquete, capítulo por capítulo
(``make book`` → ``make execution-cache`` → ``tools/execution_cache.py``).
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import execution_cache  # noqa: E402

CHAPTER = """# Capítulo {name}

```{{code-cell}} ipython3
:tags: [remove-cell]
%matplotlib inline
{imports}
```

Texto.
"""


@pytest.fixture
def checkout(tmp_path):
    """Una copia mínima del repositorio: Makefile, guion, paquete y dos
    capítulos (uno usa el gemelo Keras; el otro, solo el español)."""
    shutil.copy(ROOT / "Makefile", tmp_path / "Makefile")
    (tmp_path / "tools").mkdir()
    shutil.copy(ROOT / "tools" / "execution_cache.py", tmp_path / "tools")
    shutil.copytree(ROOT / "code" / "esenciales",
                    tmp_path / "code" / "esenciales",
                    ignore=shutil.ignore_patterns("__pycache__"))
    book = tmp_path / "book"
    book.mkdir()
    (book / "01_numeros.md").write_text(CHAPTER.format(
        name="uno", imports="from esenciales import spanish"))
    (book / "02_modelos.md").write_text(CHAPTER.format(
        name="dos", imports="from esenciales.keras import models"))
    (book / "03_prosa.md").write_text("# Solo texto\n")
    return tmp_path


def execution_cache_run(folder):
    """``make execution-cache``: lo que ``make book`` hace primero."""
    return subprocess.run(
        ["make", "-s", "-o", ".venv/.instalado", "execution-cache",
         f"BIN={Path(sys.executable).parent}"],
        cwd=folder, capture_output=True, text=True, check=True).stdout


def cache_chapters(folder, names):
    """Guarda en la caché de myst-nb una salida por capítulo, como tras
    ``make book``; devuelve la caché."""
    import nbformat
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    cache = get_cache(str(folder / "_build" / ".jupyter_cache"))
    for name in names:
        notebook = nbformat.v4.new_notebook(cells=[
            nbformat.v4.new_code_cell(f"print({name!r})")])
        cache.cache_notebook_bundle(
            CacheBundleIn(notebook, str(folder / "book" / name)),
            check_validity=False, overwrite=True)
    return cache


def cached(cache):
    return sorted(Path(record.uri).name
                  for record in cache.list_cache_records())


@pytest.mark.skipif(shutil.which("make") is None, reason="sin make")
def test_only_the_chapters_that_use_what_changed_run_again(checkout):
    both = ["01_numeros.md", "02_modelos.md"]
    assert execution_cache_run(checkout) == ""  # sin caché: nada que borrar
    cache = cache_chapters(checkout, both)
    assert execution_cache_run(checkout) == ""  # nada cambió
    assert cached(cache) == both
    chapter = checkout / "book" / "02_modelos.md"
    os.utime(chapter, (0, 0))

    module = checkout / "code" / "esenciales" / "keras" / "models.py"
    module.write_text(module.read_text() + "\n# un cambio\n")
    out = execution_cache_run(checkout)
    assert out == "El paquete cambió: se vuelven a ejecutar 02_modelos.\n"
    assert cached(cache) == ["01_numeros.md"]
    assert chapter.stat().st_mtime > 0  # Sphinx lo vuelve a leer

    cache_chapters(checkout, ["02_modelos.md"])
    top = checkout / "code" / "esenciales" / "__init__.py"  # de los dos
    top.write_text(top.read_text() + "\n# otro\n")
    assert "01_numeros, 02_modelos" in execution_cache_run(checkout)
    assert cached(cache) == []


@pytest.mark.skipif(shutil.which("make") is None, reason="sin make")
def test_a_new_or_renamed_module_counts_as_a_change(checkout):
    cache = cache_chapters(checkout, ["01_numeros.md", "02_modelos.md"])
    execution_cache_run(checkout)
    cache_chapters(checkout, ["01_numeros.md", "02_modelos.md"])
    keras = checkout / "code" / "esenciales" / "keras"
    (keras / "nuevo.py").write_text("X = 1\n")
    assert "02_modelos." in execution_cache_run(checkout)
    assert cached(cache) == ["01_numeros.md"]


def test_what_each_chapter_of_the_book_depends_on():
    """En el libro de verdad: el capítulo 1 no usa los gemelos, el 4 sí;
    el comando solo lo ejecuta el apéndice de la terminal, que además
    depende del texto de los capítulos (corre «ejecutar ia 3»)."""
    package = execution_cache.Package(ROOT / "code" / "esenciales")

    def reached(name):
        text = (ROOT / "book" / name).read_text(encoding="utf-8")
        modules = package.closure(execution_cache.chapter_modules(
            package, text))
        return {p.relative_to(package.root).parts[0]
                for p in package.files(modules)}

    assert {"figures", "scratch", "data"} <= reached("01_ia_ml_dl.md")
    assert not {"keras", "torch", "runs", "cli"} & reached("01_ia_ml_dl.md")
    assert {"keras", "torch", "scratch"} <= reached("04_cnn.md")
    assert "cli" not in reached("04_cnn.md")
    assert "cli" in reached("terminal.md")
    prints = execution_cache.fingerprints(ROOT / "book", package)
    assert "glosario.md" not in prints  # sin código: nunca se re-ejecuta
    assert {f"0{n}" for n in range(1, 8)} <= {name[:2] for name in prints}


def test_imports_seen_where_the_analysis_could_miss_them():
    package = execution_cache.Package(ROOT / "code" / "esenciales")
    source = ("def f(fw):\n"
              "    from esenciales.frameworks import framework_module\n"
              "    return framework_module(fw, 'models')\n"
              "CMD = ['python', '-m', 'esenciales.timing.parallel']\n")
    found = package.imports(source)
    assert {"esenciales", "esenciales.frameworks", "esenciales.timing",
            "esenciales.timing.parallel", "esenciales.keras.models",
            "esenciales.torch.training"} <= found
    relative = package.imports("from .render import bold\n",
                               "esenciales.cli.chapters")
    assert "esenciales.cli.render" in relative


def test_the_readme_no_longer_asks_for_make_clean():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "make clean` antes" not in readme
