"""Los botones «Abrir en Colab / Binder» de un libro construido de verdad.

Construye con jupyter-book un libro de muestra de dos páginas (una sin
código y un capítulo con una celda), con las mismas extensiones y opciones
de tema que ``_config.yml`` y un ``repository.url`` de ejemplo, y lee el
HTML: el capítulo tiene los dos botones, apuntan a ese repositorio y al
cuaderno que el flujo de GitHub Pages publica en la rama «cuadernos» (con
su nombre de archivo, en la raíz de la rama), y ese cuaderno está en
``_sources/``. La página sin código no tiene botones. Sin ejecutar
celdas, la construcción tarda unos segundos.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
REPOSITORY = "https://github.com/ejemplo/esenciales"
CHAPTER = """\
---
jupytext:
  text_representation:
    format_name: myst
kernelspec:
  display_name: Python 3
  name: python3
---

# Un capítulo de muestra

Una celda que el libro no ejecuta en esta prueba.

```{code-cell} ipython3
print(1 + 1)
```
"""
INTRO = "# Muestra\n\nUna página sin código.\n"


def sample_config():
    """``_config.yml`` del proyecto con el repositorio de ejemplo y sin
    ejecutar las celdas (ni PDF: esta prueba mira el HTML)."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(
        encoding="utf-8"))
    config["repository"]["url"] = REPOSITORY
    config["execute"]["execute_notebooks"] = "off"
    config.pop("latex", None)
    config["only_build_toc_files"] = True
    return config


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    book = tmp_path_factory.mktemp("libro")
    (book / "book").mkdir()
    (book / "book" / "intro.md").write_text(INTRO, encoding="utf-8")
    (book / "book" / "01_muestra.md").write_text(CHAPTER, encoding="utf-8")
    (book / "book" / "references.bib").write_text("", encoding="utf-8")
    (book / "tools").symlink_to(ROOT / "tools")
    (book / "_config.yml").write_text(
        yaml.safe_dump(sample_config(), allow_unicode=True),
        encoding="utf-8")
    (book / "_toc.yml").write_text(
        "format: jb-book\nroot: book/intro\nchapters:\n"
        "  - file: book/01_muestra\n", encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(
        filter(None, [str(ROOT / "code"), os.environ.get("PYTHONPATH")]))}
    done = subprocess.run(
        [str(Path(sys.executable).parent / "jupyter-book"), "build",
         str(book), "--builder", "html"],
        capture_output=True, text=True, env=env, timeout=300)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return book / "_build" / "html"


def launch_links(page):
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    return {a.get_text(strip=True): a["href"]
            for a in soup.select("a[href]")
            if a.get_text(strip=True) in ("Colab", "Binder", "JupyterHub")}


def test_chapter_buttons_open_its_notebook_in_the_repository(site):
    assert launch_links(site / "book" / "01_muestra.html") == {
        "Colab": "https://colab.research.google.com/github/ejemplo/"
                 "esenciales/blob/cuadernos/01_muestra.ipynb",
        "Binder": "https://mybinder.org/v2/gh/ejemplo/esenciales/"
                  "cuadernos?urlpath=lab/tree/01_muestra.ipynb",
    }


def test_the_notebook_the_buttons_open_is_published(site):
    """El flujo de GitHub Pages copia ``_sources/book/*.ipynb`` a la raíz
    de la rama «cuadernos»; el cuaderno instala el paquete del mismo
    repositorio si falta."""
    notebook = json.loads((site / "_sources" / "book" / "01_muestra.ipynb")
                          .read_text(encoding="utf-8"))
    code = ["".join(cell["source"]) for cell in notebook["cells"]
            if cell["cell_type"] == "code"]
    assert f'"git+{REPOSITORY}"' in code[0]
    assert code[1:] == ["print(1 + 1)"]


def test_a_page_without_code_has_no_buttons(site):
    assert launch_links(site / "book" / "intro.html") == {}
