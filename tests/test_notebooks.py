"""Cuadernos de Jupyter generados desde los capítulos del libro."""

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

from esenciales import notebooks

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
CHAPTERS = sorted(p for p in BOOK.glob("*.md") if notebooks.chapter_number(p))
sys.path.insert(0, str(ROOT / "tools"))
import cuadernos  # noqa: E402  (la extensión de Sphinx del libro)


def markdown_of(notebook):
    return "\n".join(cell["source"] for cell in notebook["cells"]
                     if cell["cell_type"] == "markdown")


@pytest.fixture(scope="module", params=CHAPTERS, ids=lambda p: p.stem)
def chapter(request):
    """``(fuente, cuaderno)`` de cada capítulo, sin construcción previa."""
    return request.param, notebooks.book_notebook(request.param)


def test_notebook_is_valid_nbformat(chapter):
    _, notebook = chapter
    nbformat.validate(nbformat.from_dict(notebook))


def test_no_myst_left_in_markdown(chapter):
    _, notebook = chapter
    text = markdown_of(notebook)
    assert not re.findall(r"^\s*(?:`{3,}|:{3,})\s*\{", text, re.M)
    assert not re.findall(r"\{[\w:.-]+\}`", text)
    assert not re.findall(r"^\([\w:.-]+\)=\s*$", text, re.M)


def test_every_code_cell_is_kept_in_order(chapter):
    source, notebook = chapter
    text = source.read_text(encoding="utf-8")
    expected = re.findall(r"^```\{code-cell\}.*?\n(.*?)^```\s*$", text,
                          re.M | re.S)
    cells = [cell["source"] for cell in notebook["cells"]
             if cell["cell_type"] == "code"][1:]  # sin la de preparación
    assert len(cells) == len(expected)
    for cell, raw in zip(cells, expected):
        body = re.sub(r"^(?:(:[\w-]+:[^\n]*\n)+|---\n.*?\n---\n)\n?", "", raw,
                      flags=re.S)
        first = next(line for line in body.splitlines()
                     if line.strip() and "myst_nb" not in line)
        assert first in cell
    assert not any(re.search(r"^\s*(from|import) myst_nb", cell, re.M)
                   for cell in cells)


def test_package_code_is_inlined(chapter):
    """Cada ``:pyobject:`` aparece con su ``def``/``class`` verdadero."""
    source, notebook = chapter
    text = markdown_of(notebook)
    pattern = r"```\{literalinclude\} (\S+)\n:pyobject: (\S+)"
    for path, name in re.findall(pattern, source.read_text(encoding="utf-8")):
        module = (source.parent / path).resolve()
        tree = ast.parse(module.read_text(encoding="utf-8"))
        node = next(n for n in ast.walk(tree)
                    if getattr(n, "name", None) == name.split(".")[-1])
        header = module.read_text(encoding="utf-8").splitlines()[
            node.lineno - 1].strip()
        assert header in text, f"{name} de {path}"


def test_tab_pairs_become_labelled_blocks(chapter):
    source, notebook = chapter
    tabs = source.read_text(encoding="utf-8").count(":sync: torch")
    assert markdown_of(notebook).count("**PyTorch**") == tabs


FAKE_CHAPTER = """\
---
jupytext:
  text_representation:
    format_name: myst
---

(cap-x)=
# Prueba

Vale {glue:text}`precision` y {glue:text}`perdida:.2f`, ver {eq}`eq-a`
y {cite}`maas2011imdb`; {term}`capa <capa densa>` y {ref}`cap-x`.

```{math}
:label: eq-a
y = x
```

```{code-cell} ipython3
:tags: [remove-cell]

from myst_nb import glue
glue("precision", "0,92", display=False)
```

```{glue:figure} curva
:alt: Una curva que baja.
:name: fig-curva

La pérdida.
```

```{code-cell} ipython3
print("hola")
```

```{code-cell} ipython3
print("cambiada")
```

````{exercise} Contar
:label: ej-contar

Cuenten.
````

```{solution} ej-contar
Son 3.
```
"""


def _output(name, data):
    return {"output_type": "display_data", "data": data,
            "metadata": {"scrapbook": {"name": name, "mime_prefix": ""}}}


def test_glue_figures_and_outputs_come_from_the_build(tmp_path):
    source = tmp_path / "09_prueba.md"
    source.write_text(FAKE_CHAPTER, encoding="utf-8")
    (tmp_path / "references.bib").write_text(
        "@inproceedings{maas2011imdb,\n  author = {Maas, Andrew L. and "
        "Daly, Raymond E. and Pham, Peter T.},\n  year = {2011},\n}\n",
        encoding="utf-8")
    hello = {"output_type": "stream", "name": "stdout", "text": "hola\n"}
    executed = {"cells": [
        {"cell_type": "code", "source": 'from myst_nb import glue\n'
         'glue("precision", "0,92", display=False)',
         "outputs": [_output("precision", {"text/plain": "'0,92'"}),
                     _output("perdida", {"text/plain": "0.1234"}),
                     _output("curva", {"image/png": "iVBORw0KGgo=",
                                       "text/plain": "<Figure>"})]},
        {"cell_type": "code", "source": 'print("hola")', "outputs": [hello]},
        {"cell_type": "code", "source": 'print("otra versión")',
         "outputs": [hello]},
    ]}
    build = tmp_path / "ejecutado"
    build.mkdir()
    (build / "09_prueba.ipynb").write_text(json.dumps(executed))
    notebook = notebooks.book_notebook(source, build)
    nbformat.validate(nbformat.from_dict(notebook))
    text = markdown_of(notebook)
    assert "Vale 0,92 y 0.12, ver (9.1)" in text
    assert "(Maas et al., 2011)" in text
    assert "capa y Prueba." in text
    assert r"y = x \tag{9.1}" in text
    assert "![Una curva que baja.](attachment:curva.png)" in text
    assert "**Figura 9.1.** La pérdida." in text
    assert "#### Ejercicio 9.1: Contar" in text
    assert "<summary>Solución del ejercicio 9.1</summary>" in text
    figure = next(c for c in notebook["cells"] if "attachments" in c)
    assert figure["attachments"]["curva.png"] == {"image/png": "iVBORw0KGgo="}
    code = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert code[1]["outputs"] == []  # glue sin mostrar: no es una salida
    assert code[1]["metadata"]["jupyter"] == {"source_hidden": True}
    assert "from esenciales.notebooks import glue" in code[1]["source"]
    assert code[2]["outputs"] == [hello]
    assert code[3]["outputs"] == []  # la construcción era de otra versión


def test_without_build_the_text_says_values_come_when_run(tmp_path):
    source = tmp_path / "09_prueba.md"
    source.write_text(FAKE_CHAPTER, encoding="utf-8")
    text = markdown_of(notebooks.book_notebook(source))
    assert "*[«precision», al ejecutar]*" in text
    assert "aparece al ejecutar el cuaderno" in text


def test_launch_links_follow_the_repository_setting():
    settings = dict(cuadernos.DEFAULT_HUBS, jupyterhub_url="",
                    repository_url="")
    assert cuadernos.launch_links(settings, "04_cnn.ipynb") == []
    settings["repository_url"] = "https://github.com/unab/esenciales"
    links = dict((text, url) for text, url, _ in
                 cuadernos.launch_links(settings, "04_cnn.ipynb"))
    assert links == {
        "Colab": "https://colab.research.google.com/github/unab/esenciales/"
                 "blob/cuadernos/04_cnn.ipynb",
        "Binder": "https://mybinder.org/v2/gh/unab/esenciales/cuadernos"
                  "?urlpath=lab/tree/04_cnn.ipynb"}
    settings["jupyterhub_url"] = "https://hub.unab.cl/"
    hub = cuadernos.launch_links(settings, "04_cnn.ipynb")[-1]
    assert hub[0] == "JupyterHub"
    assert hub[1] == (
        "https://hub.unab.cl/hub/user-redirect/git-pull?repo=https%3A//"
        "github.com/unab/esenciales&branch=cuadernos&urlpath=lab/tree/"
        "esenciales/04_cnn.ipynb")


def cli(*args, cwd):
    return subprocess.run([sys.executable, "-m", "esenciales", *args],
                          cwd=cwd, capture_output=True, text=True)


def test_cli_writes_the_chapter_notebook(tmp_path):
    done = cli("cuaderno", "cnn", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    path = tmp_path / "04_cnn.ipynb"
    assert str(path) in done.stdout
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    assert not list(tmp_path.glob(".*.tmp"))
    done = cli("cuaderno", "1", "--salida", "otro.ipynb", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "otro.ipynb").exists()


def test_cli_bad_input_is_one_spanish_line(tmp_path):
    for args in (["cuaderno", "99"],
                 ["cuaderno", "4", "--salida", "no/existe/x.ipynb"],
                 ["cuaderno", "4", "--salida", "."]):
        done = cli(*args, cwd=tmp_path)
        assert done.returncode == 2, args
        assert done.stderr.startswith("esenciales: error:"), done.stderr
        assert "Traceback" not in done.stderr
