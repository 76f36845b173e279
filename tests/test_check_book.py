"""tools/check_book.py: lo que el libro afirma es lo que calculó.

Cada revisión nueva tiene aquí un caso que la hace fallar y uno que pasa:
un pie de figura que se traga el texto, un veredicto escrito a mano, una
cifra calculada escrita en la prosa, una ruta de la máquina en una página y
una marca de eje que dice otro valor.
"""

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import check_book  # noqa: E402

from esenciales.figures import style  # noqa: E402


def _page(tmp_path, text, name="capitulo.md"):
    page = tmp_path / name
    page.write_text(text, encoding="utf-8")
    return page


UNCLOSED = """\
```{glue:figure} fig-perdidas
:alt: Dos gráficos de pérdidas según la probabilidad y el error.
:name: fig-perdidas

Las pérdidas de la diapositiva.

**Clasificación multiclase.** Con $C$ clases,

```{math}
:label: eq-ce
L = -\\sum_k y_k \\log \\hat y_k .
```

Texto que sigue.
"""

CLOSED = """\
```{glue:figure} fig-perdidas
:alt: Dos gráficos de pérdidas según la probabilidad y el error.
:name: fig-perdidas

Las pérdidas de la diapositiva, en un solo párrafo
que sigue en otra línea.
```

**Clasificación multiclase.** Con $C$ clases,

```{math}
:label: eq-ce
L = -\\sum_k y_k \\log \\hat y_k .
```
"""


def test_a_caption_that_swallows_text_is_caught(tmp_path):
    problems = check_book.check_figure_captions(_page(tmp_path, UNCLOSED))
    messages = [message for _, message in problems]
    assert any("más de un párrafo" in m for m in messages)
    assert any("ecuación" in m for m in messages)
    assert check_book.check_figure_captions(_page(tmp_path, CLOSED)) == []


def test_a_caption_with_a_heading_is_caught(tmp_path):
    text = ("```{figure} a.png\n:alt: Una figura con cinco palabras.\n\n"
            "Pie.\n## Una sección\n```\n")
    problems = check_book.check_figure_captions(_page(tmp_path, text))
    assert [n for n, _ in problems] == [5]


def test_a_typed_verdict_is_caught_but_a_glued_one_is_not(tmp_path):
    typed = _page(tmp_path, "La diferencia queda dentro de la dispersión "
                  "entre semillas.\n\nCon 100 imágenes, el mejor modelo "
                  "es la CNN.\n\nLa red con aumento tarda más en "
                  "llegar a su mejor punto.\n")
    problems = check_book.check_typed_verdicts(typed)
    assert [n for n, _ in problems] == [1, 3, 5]
    alt = _page(tmp_path, "```{glue:figure} fig_curvas\n:alt: Curvas de "
                "Keras y PyTorch; las dos curvas bajan juntas.\n"
                ":name: fig-curvas\n\nLeyenda.\n```\n")
    assert [n for n, _ in check_book.check_typed_verdicts(alt)] == [2]
    glued = _page(tmp_path, "La exactitud pasa de {glue:text}`a` a "
                  "{glue:text}`b`. {glue:text}`a_verdict`\n\nLa regla "
                  "dice «no se distingue del azar» cuando el intervalo "
                  "incluye el 0.\n")
    assert check_book.check_typed_verdicts(glued) == []


def _glued(tmp_path, text):
    path = tmp_path / "capitulo.glue.json"
    path.write_text(json.dumps({"k": {
        "output_type": "display_data",
        "metadata": {"scrapbook": {"name": "k"}},
        "data": {"text/plain": repr(text)}}}), encoding="utf-8")
    return path


def test_a_computed_number_typed_in_prose_is_caught(tmp_path):
    glued = _glued(tmp_path, "+0,1 ± 1,7\u00a0puntos y 95,12\u00a0% y 0,50")
    typed = _page(tmp_path, "```{code-cell} ipython3\nmodel(dropout=0.50)\n"
                  "```\n\nLa transferencia gana +0,1 ± 1,7 puntos; la "
                  "exactitud llega a 95,12 %.\n")
    problems = check_book.check_computed_numbers(typed, glued)
    assert [m.split()[2] for _, m in problems] == ["95,12"]
    # «0,50» es un dato de una celda (dropout=0.50), no un resultado;
    # «1,7» es demasiado corto para distinguirlo de un dato cualquiera.
    fine = _page(tmp_path, "```{code-cell} ipython3\nmodel(dropout=0.50)\n"
                 "```\n\nCon {glue:text}`k` y un dropout de 0,50.\n")
    assert check_book.check_computed_numbers(fine, glued) == []


def test_a_machine_path_in_a_page_is_caught(tmp_path):
    page = tmp_path / "terminal.html"
    page.write_text("<html><body><article class='bd-article'><pre>"
                    "mnist: /work/shared/data/mnist (verificado)</pre>"
                    "<p>Los datos en ~/.cache/esenciales y en "
                    "$ESENCIALES_DATA.</p></article></body></html>",
                    encoding="utf-8")
    problems = check_book.check_html_page(page)
    assert [m for _, m in problems] == [
        "ruta de la máquina «/work/shared» en la página"]
    page.write_text(page.read_text().replace("/work/shared/data/mnist",
                                             "$ESENCIALES_DATA/mnist"))
    assert check_book.check_html_page(page) == []


@pytest.mark.parametrize("home", ["/root/.cache", "/home/ana/x"])
def test_home_folders_are_machine_paths_too(tmp_path, home):
    assert check_book._machine_path_problems(f"<p>{home}</p>")


def test_a_tick_label_that_is_not_its_tick_fails_the_figure_check(
        monkeypatch):
    from matplotlib.ticker import FormatStrFormatter

    from esenciales.figures import catalog

    def rounded():
        fig = style.figure(6.3, 2.0)
        ax = fig.add_subplot()
        ax.plot([0.775, 0.825], [0, 1])
        ax.set_xticks([0.775, 0.8, 0.825])
        ax.set_xlim(0.775, 0.825)
        ax.xaxis.set_major_formatter(FormatStrFormatter("%.2f"))
        return fig

    monkeypatch.setattr(catalog, "sample_figures",
                        lambda: [("redondeada", rounded)])
    problems = [m for _, m in check_book.check_figures()]
    assert problems == [
        "figura redondeada: la marca 0.775 del eje x dice «0.78»",
        "figura redondeada: la marca 0.825 del eje x dice «0.82»"]


def test_check_figures_measures_stacked_figures_on_a_phone(monkeypatch):
    """Una versión apilada se mide a la escala de un teléfono: la de la
    página, pasada por apilada, se achica a 316 / 605 px y su letra de
    10 pt queda en 7,0 px."""
    from esenciales.figures import catalog, style

    def wide():
        fig = style.figure(6.3, 2.0)
        ax = fig.add_subplot()
        ax.set_title("diez puntos", fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
        return fig

    monkeypatch.setattr(catalog, "sample_figures", lambda: [])
    monkeypatch.setattr(catalog, "stacked_figures",
                        lambda: [("ancha", wide)])
    assert [m for _, m in check_book.check_figures()] == [
        "figura ancha (apilada): «diez puntos» mide 7.0 px en un "
        "teléfono (mínimo 11 px)"]


def test_every_figure_of_the_package_labels_its_ticks_exactly():
    from esenciales.figures import catalog

    for name, make in catalog.sample_figures():
        assert style.wrong_tick_labels(make()) == [], name


def test_a_documented_path_is_not_a_machine_path():
    assert check_book._machine_path_problems(
        "<p>queda en /tmp/esenciales-rescate</p>") == []
    assert check_book._machine_path_problems("<p>/tmp/tmpab12cd/x</p>")


CELL_WITH_DEF = """\
Texto.

```{code-cell} ipython3
:tags: [remove-cell]

%matplotlib inline
x = 1


def pooled_change(pool, pixels):
    return pool(pixels)
```

````{code-cell} ipython3
---
tags: [hide-input]
---
class Wrapper:
    pass
````
"""

CELLS_THAT_CALL = """\
```{code-cell} ipython3
---
tags: [remove-cell]
---
!pip install esenciales
from esenciales.scratch import conv
change = conv.shift_change(digit, kernel, pixels=1)
```

```{literalinclude} ../code/esenciales/scratch/conv.py
:pyobject: shift_change
```

```python
def shown_but_not_run():
    pass
```
"""


def test_a_cell_that_defines_a_function_or_class_fails(tmp_path):
    page = _page(tmp_path, CELL_WITH_DEF)
    assert check_book.check_cell_definitions(page) == [
        (10, "la celda define la función «pooled_change»: va en el "
             "paquete (se muestra con literalinclude)"),
        (18, "la celda define la clase «Wrapper»: va en el paquete "
             "(se muestra con literalinclude)")]


def test_cells_that_call_the_package_pass(tmp_path):
    assert check_book.check_cell_definitions(
        _page(tmp_path, CELLS_THAT_CALL)) == []


def test_no_chapter_cell_defines_a_function_or_class():
    found = [(page.name, line, message)
             for page in sorted((ROOT / "book").glob("*.md"))
             for line, message in check_book.check_cell_definitions(page)]
    assert found == []


def test_an_error_left_in_an_executed_cell_is_caught(tmp_path):
    # IPython atrapa la excepción de un formateador (una figura con marcas
    # que mienten): la celda sigue, oculta, y solo su salida la delata.
    cell = {"cell_type": "code", "source": "glue('fig', fig)",
            "metadata": {}, "execution_count": 1, "outputs": [
                {"output_type": "error", "ename": "ValueError",
                 "evalue": "la marca 0.775 del eje y dice «0,78»",
                 "traceback": []}]}
    fine = dict(cell, outputs=[{"output_type": "stream", "name": "stdout",
                                "text": "listo\n"}])
    notebook = tmp_path / "capitulo.ipynb"
    notebook.write_text(json.dumps({"cells": [
        {"cell_type": "markdown", "source": "# Título", "metadata": {}},
        fine, cell]}), encoding="utf-8")
    assert check_book.check_error_outputs(notebook) == [
        (0, "celda 2: error en la salida: ValueError: la marca 0.775 del "
            "eje y dice «0,78»")]
    notebook.write_text(json.dumps({"cells": [fine]}), encoding="utf-8")
    assert check_book.check_error_outputs(notebook) == []
