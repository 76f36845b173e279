"""Cada figura del paquete se lee impresa y en pantalla, también en gris."""

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from esenciales.figures import catalog, curves, style

FIGURES = catalog.sample_figures()


@pytest.mark.parametrize("make", [m for _, m in FIGURES],
                         ids=[n.rsplit(".", 1)[-1] for n, _ in FIGURES])
def test_every_text_is_at_least_8_pt_printed_and_11_px_on_screen(make):
    fig = make()
    assert fig.get_figwidth() <= style.MAX_WIDTH + 1e-9
    assert style.small_texts(fig) == []


def test_catalog_covers_every_public_figure_function():
    names = {n.rsplit(".", 1)[-1] for n, _ in FIGURES}
    assert {"memory_hierarchy", "rnn_unrolled", "transformer_block",
            "vectorization", "training_history", "reconstructions"} <= names
    assert len(names) == len(FIGURES)          # una sola «reconstructions»


def test_small_text_is_reported_with_its_printed_and_screen_size():
    fig = style.figure(6.3, 2.0)
    ax = fig.add_subplot()
    ax.text(0.5, 0.5, "chico", fontsize=7)
    ax.text(0.5, 0.2, "legible", fontsize=9)
    assert [(t, round(pt, 1)) for t, pt, _ in style.small_texts(fig)] == [
        ("chico", 7.0)]


def test_a_figure_wider_than_the_page_shrinks_its_letters():
    fig = Figure(figsize=(2 * style.PRINT_WIDTH, 3))
    fig.add_subplot().text(0, 0, "diez puntos", fontsize=10)
    found = {t: (pt, px) for t, pt, px in style.small_texts(fig)}
    pt, px = found["diez puntos"]
    assert pt == pytest.approx(5.0)
    assert px == pytest.approx(10 * style.SCREEN_WIDTH
                               / (2 * style.PRINT_WIDTH * 96) * 96 / 72)


def _tick_labels(fig, axis):
    """Rótulos de las marcas que se ven (dentro de los límites del eje)."""
    FigureCanvasAgg(fig).draw()
    ax = fig.axes[0]
    low, high = sorted(ax.get_xlim() if axis == "x" else ax.get_ylim())
    ticks = ax.get_xticklabels() if axis == "x" else ax.get_yticklabels()
    return [t.get_text() for t in ticks
            if t.get_text() and low <= t.get_position()[axis == "y"] <= high]


def test_epochs_are_integers_and_decimals_use_a_comma():
    history = {"accuracy": [0.5, 0.75, 0.875], "val_accuracy": [0.4, 0.7,
                                                                0.8]}
    fig = curves.training_history({"Keras": history})
    assert _tick_labels(fig, "x") == ["1", "2", "3"]
    y = _tick_labels(fig, "y")
    assert y and all("." not in t for t in y)
    assert any("," in t for t in y)


def test_thousands_on_an_axis_use_a_thin_no_break_space():
    fig = style.figure(6.3, 2.0)
    ax = fig.add_subplot()
    ax.plot([0, 50_000], [0, 1])
    style.decimal_comma(ax)
    assert "50\u202f000" in _tick_labels(fig, "x")


def test_series_differ_in_line_and_marker_not_only_in_colour():
    styles = [style.series(k) for k in range(5)]
    pairs = [(a, b) for i, a in enumerate(styles) for b in styles[i + 1:]]
    assert all(a["linestyle"] != b["linestyle"] and a["marker"] != b["marker"]
               for a, b in pairs)


def test_vae_legend_is_outside_the_points():
    from esenciales.figures import scatter
    rng = np.random.default_rng(0)
    fig = scatter.latent_scatter(rng.normal(size=(200, 2)),
                                rng.integers(0, 10, 200))
    FigureCanvasAgg(fig).draw()
    ax = fig.axes[0]
    legend = ax.get_legend().get_window_extent()
    assert legend.x0 >= ax.get_window_extent().x1


def test_book_formats_give_vector_svg_and_pdf_in_ipython():
    """La celda de preparación de cada capítulo llama ``use_book_formats``:
    cada figura sale en SVG (HTML) y PDF (LaTeX), ambos vectoriales."""
    import base64

    from IPython.core.interactiveshell import InteractiveShell

    style.use_book_formats()
    fig = style.figure()
    fig.add_subplot().plot([0, 1], [1, 0])
    data, _ = InteractiveShell.instance().display_formatter.format(fig)
    assert "image/png" not in data
    assert "<path" in data["image/svg+xml"]
    pdf = base64.b64decode(data["application/pdf"])
    assert pdf.startswith(b"%PDF") and b"/Subtype /Image" not in pdf


@pytest.mark.parametrize("ticks, labels", [
    ([0.775, 0.8, 0.825], ["0,775", "0,800", "0,825"]),
    ([0.0, 0.25, 0.5, 0.75], ["0,00", "0,25", "0,50", "0,75"]),
    ([-1.0, 0.0, 1.0], ["\u22121", "0", "1"]),
    ([10_000, 20_000], ["10\u202f000", "20\u202f000"]),
])
def test_every_tick_label_says_its_exact_value(ticks, labels):
    # El formateador de antes elegía los decimales por el paso: 0,775 se
    # escribía «0,78» y 0,25, «0,2». Ahora cada rótulo es su marca.
    fig = style.figure(6.3, 2.0)
    ax = fig.add_subplot()
    ax.plot([ticks[0], ticks[-1]], [ticks[0], ticks[-1]])
    ax.set_xticks(ticks)
    ax.set_xlim(ticks[0], ticks[-1])
    style.decimal_comma(ax)
    assert _tick_labels(fig, "x") == labels
    assert [style.tick_value(t) for t in labels] == pytest.approx(ticks)
    assert style.wrong_tick_labels(fig) == []


def _rounded_ticks_figure():
    """Marcas en 0,775 / 0,800 / 0,825 rotuladas con dos decimales: la
    primera y la última dicen otro valor («0.78», «0.82»)."""
    from matplotlib.ticker import FormatStrFormatter

    fig = style.figure(6.3, 2.0)
    ax = fig.add_subplot()
    ax.plot([0.775, 0.825], [0, 1])
    ax.set_xticks([0.775, 0.8, 0.825])
    ax.set_xlim(0.775, 0.825)
    ax.xaxis.set_major_formatter(FormatStrFormatter("%.2f"))  # 0.78
    return fig


def test_wrong_tick_labels_finds_a_label_that_rounds_its_tick():
    wrong = style.wrong_tick_labels(_rounded_ticks_figure())
    assert [(axis, text) for axis, _, text in wrong] == [
        ("x", "0.78"), ("x", "0.82")]


def test_a_figure_whose_ticks_lie_leaves_an_error_instead_of_its_svg(capsys):
    """En el libro, una figura con una marca que dice otro valor no sale:
    su celda queda con un error que ``check_book`` convierte en falla."""
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    style.use_book_formats()
    good = style.figure(6.3, 2.0)
    good.add_subplot().plot([0, 1], [1, 0])
    assert "<path" in shell.display_formatter.format(good)[0][
        "image/svg+xml"]
    data, _ = shell.display_formatter.format(_rounded_ticks_figure())
    assert "image/svg+xml" not in data
    shown = "".join(capsys.readouterr())
    assert "la marca 0.775 del eje x dice «0.78»" in shown
