"""Las figuras de varios paneles, apiladas para un teléfono.

En un teléfono (375 px) el HTML achicaría una figura de paneles lado a
lado hasta la mitad, y su letra con ella. Cada una tiene una versión
apilada (``stacked=True``), dibujada para el ancho de un teléfono, que
``esenciales.figures.glue_figure`` pega junto a la de la página y
``tools/pantallas.py`` sirve en pantallas angostas con ``<picture>``.
"""

import base64
import io
import json
import re
import sys
import types
from pathlib import Path

import numpy as np
import pytest
from docutils import nodes
from matplotlib.backends.backend_agg import FigureCanvasAgg

from esenciales.figures import (catalog, curves, diagrams, glue_figure,
                                images, scatter, screens, style)

ROOT = Path(__file__).resolve().parents[1]
STACKED = catalog.stacked_figures()


def grid_shape(fig):
    """(columnas, filas) de la grilla que ocupan los ejes visibles (las
    barras de color no son paneles)."""
    specs = [ax.get_subplotspec() for ax in fig.axes
             if ax.get_visible() and ax.get_label() != "<colorbar>"]
    columns = {spec.colspan.start for spec in specs if spec is not None}
    rows = {spec.rowspan.start for spec in specs if spec is not None}
    return len(columns), len(rows)


def test_the_phone_width_is_the_phone_column():
    assert style.PHONE_SCREEN == 316
    assert style.PHONE_WIDTH == pytest.approx(316 / 96)
    fig = curves.loss_functions(stacked=True)
    assert style.phone_scale(fig) == pytest.approx(1.0)
    assert style.phone_scale(curves.loss_functions()) == pytest.approx(
        316 / (6.3 * 96))


@pytest.mark.parametrize("make", [m for _, m in STACKED],
                         ids=[n.rsplit(".", 1)[-1] for n, _ in STACKED])
def test_every_stacked_figure_reads_at_11_px_on_a_phone(make):
    fig = make()
    assert fig.get_figwidth() <= style.PHONE_WIDTH + 1e-9
    assert style.phone_scale(fig) == 1.0
    assert style.small_texts(fig, style.phone_scale(fig)) == []


def test_the_catalog_lists_every_figure_with_a_stacked_version():
    names = {n.rsplit(".", 1)[-1] for n, _ in STACKED}
    assert names == {"activation_functions", "loss_functions",
                     "embedding_scatter", "learning_paradigms",
                     "annotated_grids", "image_row", "digit_gallery",
                     "reconstructions", "image_grid",
                     "training_history", "latent_scatter", "attention_map"}


def test_every_figure_with_panels_side_by_side_can_stack():
    """Una figura nueva de paneles lado a lado sin versión apilada falla
    aquí (las barras de color no son paneles)."""
    stacked = {n for n, _ in STACKED}
    side_by_side = {name for name, make in catalog.sample_figures()
                    if grid_shape(make())[0] > 1}
    assert side_by_side <= stacked, side_by_side - stacked


@pytest.mark.parametrize("make, page, phone", [
    (curves.loss_functions, (2, 1), (1, 2)),
    (curves.activation_functions, (3, 2), (1, 6)),
    (diagrams.learning_paradigms, (2, 2), (1, 4)),
], ids=["loss_functions", "activation_functions", "learning_paradigms"])
def test_stacked_panels_go_one_per_row(make, page, phone):
    assert grid_shape(make()) == page
    fig = make(stacked=True)
    assert fig.get_figwidth() == pytest.approx(style.PHONE_WIDTH)
    assert grid_shape(fig) == phone


def test_stacked_panels_fill_the_width_top_to_bottom():
    fig = curves.loss_functions(stacked=True)
    FigureCanvasAgg(fig).draw()
    top, bottom = (ax.get_position() for ax in fig.axes)
    assert top.y0 > bottom.y1                  # uno encima del otro
    assert top.width > 0.7 and bottom.width > 0.7
    assert fig.axes[0].get_title() == "entropía cruzada"
    wide = curves.loss_functions()
    FigureCanvasAgg(wide).draw()
    left, right = (ax.get_position() for ax in wide.axes)
    assert left.x1 < right.x0 and left.y0 == pytest.approx(right.y0)


def test_galleries_wrap_on_a_phone():
    rng = np.random.default_rng(0)
    digits = rng.random((12, 28, 28))
    gallery = images.digit_gallery(digits, range(12), n=12, stacked=True)
    assert grid_shape(gallery) == (6, 2)
    rebuilt = images.reconstructions(digits, 1 - digits, n=10,
                                     stacked=True)
    assert grid_shape(rebuilt) == (5, 4)
    # Segunda tanda: la fila 3 repite las originales 5 a 9.
    third_band = rebuilt.axes[10].images[0].get_array()
    np.testing.assert_allclose(third_band, digits[5])
    assert [ax.get_ylabel() for ax in rebuilt.axes[::5]] == [
        "original", "reconstruida", "original", "reconstruida"]
    filters = images.image_grid(rng.normal(size=(32, 3, 3)), stacked=True)
    assert grid_shape(filters) == (4, 8)
    # Sin números, filas y columnas significan algo (una grilla de z,
    # originales arriba y aumentadas abajo): la forma se conserva, y la
    # figura se dibuja al ancho del teléfono.
    z_grid = images.image_grid(digits[:8], ncols=4, numbered=False,
                               stacked=True)
    assert grid_shape(z_grid) == (4, 2)
    assert z_grid.get_figwidth() <= style.PHONE_WIDTH + 1e-9
    row = images.image_row([digits[0]] * 4, list("abcd"), stacked=True)
    assert grid_shape(row) == (2, 2)


def test_stacked_grids_keep_every_value_and_window():
    image = np.arange(16.0).reshape(4, 4)
    fig = images.annotated_grids([image, image[:2, :2]], ["a", "b"],
                                 windows=[(1, 0, 0, 1, 1)], stacked=True)
    assert grid_shape(fig) == (1, 2)
    top, bottom = fig.axes
    assert len(top.texts) == 16 and len(bottom.texts) == 4
    assert len(bottom.patches) == 1


def test_glue_figure_glues_the_page_and_the_phone_version(monkeypatch):
    glued = []
    fake = types.ModuleType("myst_nb")
    fake.glue = lambda name, value, display=True: glued.append(
        (name, value.get_figwidth(), display))
    monkeypatch.setitem(sys.modules, "myst_nb", fake)
    glue_figure("fig-perdidas", curves.loss_functions)
    assert glued == [("fig-perdidas", 6.3, False),
                     ("fig-perdidas-movil", style.PHONE_WIDTH, False)]


def test_glue_figure_adds_the_summary_sheet_version(monkeypatch):
    """La de la hoja, con sus argumentos; sin versión apilada si la
    figura no la tiene."""
    glued = []
    fake = types.ModuleType("myst_nb")
    fake.glue = lambda name, value, display=True: glued.append(
        (name, value.get_size_inches().round(2).tolist(), display))
    monkeypatch.setitem(sys.modules, "myst_nb", fake)
    rows = [{"model": "mlp", "n_train": n, "accuracy": 0.9}
            for n in (100, 1000)]
    glue_figure("fig-datos", curves.data_vs_performance, rows,
                sheet={"height": 3.3})
    assert glued == [("fig-datos", [6.3, 4.0], False),
                     ("fig-datos" + screens.SHEET_SUFFIX, [6.3, 3.3], False)]


# ------------------------------------------------ la extensión de Sphinx


def _figure_output(key, fig):
    """La salida que deja ``myst_nb.glue(key, fig, display=False)``."""
    svg, pdf = io.StringIO(), io.BytesIO()
    fig.savefig(svg, format="svg")
    fig.savefig(pdf, format="pdf")
    prefix = "application/papermill.record/"
    return {"output_type": "display_data", "metadata": {
        "scrapbook": {"name": key, "mime_prefix": prefix}},
        "data": {prefix + "image/svg+xml": svg.getvalue(),
                 prefix + "application/pdf":
                     base64.b64encode(pdf.getvalue()).decode(),
                 prefix + "text/plain": "<Figure>"}}


def _build(tmp_path, builder):
    """Un libro de una página: dos figuras pegadas, una con versión
    apilada (``fig-perdidas``) y otra sin ella (``fig-sola``)."""
    from sphinx.application import Sphinx

    source = tmp_path / "fuente"
    source.mkdir(exist_ok=True)
    outputs = [_figure_output("fig-perdidas", curves.loss_functions()),
               _figure_output("fig-perdidas-movil",
                              curves.loss_functions(stacked=True)),
               _figure_output("fig-sola", curves.vanishing_gradient())]
    notebook = {"nbformat": 4, "nbformat_minor": 5, "metadata": {},
                "cells": [
        {"cell_type": "code", "metadata": {}, "execution_count": 1,
         "source": "glue(...)", "outputs": outputs, "id": "c1"},
        {"cell_type": "markdown", "metadata": {}, "id": "c2", "source":
         "# Página\n\n```{glue:figure} fig-perdidas\n:alt: Dos curvas.\n"
         ":name: fig-perdidas\n\nLas dos pérdidas.\n```\n\n"
         "```{glue:figure} fig-sola\n:alt: Una curva.\n\nSola.\n```\n"}]}
    (source / "index.ipynb").write_text(json.dumps(notebook),
                                        encoding="utf-8")
    (source / "conf.py").write_text(
        "import sys\n"
        f"sys.path.insert(0, {str(ROOT / 'tools')!r})\n"
        "extensions = ['myst_nb', 'pantallas']\n"
        "import json\n"
        "def _images(app, doctree, docname):\n"
        "    from docutils import nodes\n"
        "    found = [(i['uri'], i.get('narrow'))\n"
        "             for i in doctree.findall(nodes.image)]\n"
        "    (app.outdir / 'imagenes.json').write_text(json.dumps(found))\n"
        "def setup(app):\n"
        "    app.connect('doctree-resolved', _images)\n"
        "nb_execution_mode = 'off'\n"
        "latex_documents = [('index', 'libro.tex', 'Libro', 'Yo',"
        " 'manual')]\n", encoding="utf-8")
    out = tmp_path / builder
    app = Sphinx(str(source), str(source), str(out), str(tmp_path / "d"),
                 builder, status=None, warning=io.StringIO(),
                 freshenv=True)
    app.build()
    # Una segunda aplicación en el mismo proceso avisa que sus nodos ya
    # estaban registrados; la celda de prueba no tiene lenguaje.
    return out, [line for line in app._warning.getvalue().splitlines()
                 if "already registered" not in line
                 and "lexer" not in line]


def test_html_serves_the_stacked_version_on_narrow_screens(tmp_path):
    out, warnings = _build(tmp_path, "html")
    assert warnings == []
    page = (out / "index.html").read_text(encoding="utf-8")
    pictures = re.findall(r"<picture>(.*?)</picture>", page, re.S)
    assert len(pictures) == 1
    match = re.fullmatch(
        r'<source media="\(max-width: 600px\)" srcset="(_images/[^"]+'
        r'\.svg)"><img alt="Dos curvas\." src="(_images/[^"]+\.svg)" />\s*',
        pictures[0])
    assert match, pictures[0]
    phone, wide = (out / match[1], out / match[2])
    width = re.search(r'<svg[^>]* width="([\d.]+)pt"', phone.read_text())
    assert float(width[1]) == pytest.approx(style.PHONE_WIDTH * 72)
    width = re.search(r'<svg[^>]* width="([\d.]+)pt"', wide.read_text())
    assert float(width[1]) == pytest.approx(6.3 * 72)
    # Un número, un pie; la figura sin versión apilada, un <img> solo.
    assert page.count('class="caption-text"') == 2
    assert page.count("<img ") == 2
    assert re.search(r'<figure[^>]*>\s*<img alt="Una curva\."', page)
    assert screens.PHONE_MEDIA == "(max-width: 600px)"


def test_latex_prints_only_the_page_version(tmp_path):
    out, warnings = _build(tmp_path, "latex")
    assert warnings == []
    tex = (out / "libro.tex").read_text(encoding="utf-8")
    assert tex.count("\\sphinxincludegraphics") == 2
    assert len(list(out.glob("*.pdf"))) == 2
    # La versión apilada queda anotada en la imagen ancha, para imprimirla
    # en media página (ediciones.figure_grid); la figura sola, sin nada.
    images = json.loads((out / "imagenes.json").read_text())
    assert [bool(narrow) for _, narrow in images] == [True, False]
    (wide, narrow), _ = images
    assert narrow["uri"] != wide and narrow["uri"].endswith(".pdf")


def test_figures_side_by_side_print_their_narrow_version():
    sys.path.insert(0, str(ROOT / "tools"))
    import ediciones
    wide = nodes.image(uri="ancha.pdf", candidates={"*": "ancha.pdf"},
                       narrow={"uri": "angosta.pdf",
                               "candidates": {"*": "angosta.pdf"}})
    alone = nodes.image(uri="sola.pdf", candidates={"*": "sola.pdf"})
    figures = [nodes.figure("", wide), nodes.figure("", alone)]
    builder = types.SimpleNamespace(images={}, env=types.SimpleNamespace(
        images={"ancha.pdf": ({"index"}, "ancha1.pdf")}))
    blocks = ediciones.figure_grid(figures, builder)
    assert blocks[1] is figures[0] and blocks[3] is figures[1]
    assert (wide["uri"], wide["candidates"]) == ("angosta.pdf",
                                                 {"*": "angosta.pdf"})
    assert alone["uri"] == "sola.pdf"
    # La ancha viaja igual con el LaTeX, nombrada para la hoja de resumen.
    assert builder.images == {"ancha.pdf": "ancha1.pdf"}
    assert figures[0][1].astext() == \
        f"%{ediciones.WIDE_VERSION}: ancha1.pdf\n"
