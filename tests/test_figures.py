"""Las figuras del libro: se construyen sin pyplot y muestran los datos."""

import re

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from esenciales.figures import (catalog, curves, diagrams, images, networks,
                                scatter)
from esenciales.scratch import activations, classic, conv


def _texts(fig):
    return " ".join(t.get_text() for ax in fig.axes for t in ax.texts)


DIAGRAMS = [f for n, f in catalog.sample_figures()
            if n.startswith(("esenciales.figures.diagrams",
                             "esenciales.figures.networks"))]


def _ink(pixels, box):
    """Cuántos píxeles no blancos hay dentro de ``box`` (coordenadas de
    pantalla, con el origen abajo)."""
    height = pixels.shape[0]
    x0, x1 = int(box.x0), int(np.ceil(box.x1))
    y0, y1 = height - int(np.ceil(box.y1)), height - int(box.y0)
    region = pixels[max(y0, 0):y1, max(x0, 0):x1, :3]
    return int((region.min(axis=-1) < 200).sum())


def _drawn_texts(fig):
    """Los textos que se dibujan: los de la figura, los de cada eje, sus
    leyendas y, si el eje se ve, sus marcas y rótulos."""
    texts = list(fig.texts)
    for legend in fig.legends:
        texts += legend.get_texts()
    for ax in fig.axes:
        texts += [*ax.texts, ax.title]
        if ax.get_legend():
            texts += ax.get_legend().get_texts()
        if ax.axison:
            texts += [*ax.get_xticklabels(), *ax.get_yticklabels(),
                      ax.xaxis.label, ax.yaxis.label]
    return texts


@pytest.mark.parametrize("make", DIAGRAMS, ids=lambda f: getattr(
    f, "__name__", "muestra"))
def test_diagrams_draw_every_label(make, tmp_path):
    """Cada rótulo deja tinta donde matplotlib dice que está (no lo tapa
    una caja blanca ni queda vacío); la figura se guarda en PNG y en PDF
    (lo que el libro impreso incrusta), de una página, y el PNG leído de
    vuelta tiene tinta."""
    import matplotlib.image
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    fig = make()
    assert isinstance(fig, Figure)
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    renderer = canvas.get_renderer()
    pixels = np.asarray(canvas.buffer_rgba())
    texts = [t for t in _drawn_texts(fig)
             if t.get_visible() and t.get_text().strip()]
    assert texts
    for text in texts:
        box = text.get_window_extent(renderer)
        assert _ink(pixels, box) > 0, text.get_text()
    fig.savefig(tmp_path / "figura.png", dpi=40)
    fig.savefig(tmp_path / "figura.pdf")
    png = matplotlib.image.imread(tmp_path / "figura.png")
    assert (png[..., :3] < 0.8).any()
    pdf = (tmp_path / "figura.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    assert len(re.findall(rb"/Type\s*/Page\b(?!s)", pdf)) == 1


def test_diagram_labels_are_spanish():
    assert "Aprendizaje automático" in _texts(diagrams.ai_ml_dl_nesting())
    assert "HBM" in _texts(diagrams.memory_hierarchy())
    assert "DDR3" in _texts(diagrams.memory_hierarchy())
    assert "activación" in _texts(networks.neuron())
    assert "oculta 1" in _texts(networks.dense_network((3, 4, 2)))
    assert "extraer características" in _texts(networks.cnn_process())
    assert "atención multicabeza" in _texts(networks.transformer_block())
    assert "codificador" in _texts(networks.autoencoder_diagram())


def test_lecture_diagrams_carry_the_lecture_numbers():
    mlp = _texts(networks.mlp_architecture())
    for size in ("784", "128", "64", "10", "100\u202f480", "8256", "650"):
        assert size in mlp
    assert "4 × 3" in _texts(networks.vectorization(m=4, n=3, k=2))
    assert "$h_4$" in _texts(networks.rnn_unrolled(steps=4))


def test_dense_network_draws_every_connection():
    fig = networks.dense_network((3, 4, 2))
    assert len(fig.axes[0].lines) == 3 * 4 + 4 * 2


def test_conv_pool_chain_flatten_is_not_the_tallest_block():
    fig = networks.conv_pool_chain([("entrada", (28, 28, 1)),
                                    ("Conv", (26, 26, 32)),
                                    ("Flatten", (5408,))])
    heights = [p.get_height() for p in fig.axes[0].patches
               if isinstance(p, Rectangle)]
    assert heights[2] < heights[0]
    assert {"28×28×1", "5408"} <= {t.get_text() for t in fig.axes[0].texts}


def test_activation_plot_shows_the_package_functions():
    fig = curves.activation_functions(["sigmoid", "relu"], columns=2)
    sigmoid_panel, relu_panel = fig.axes
    z, y = sigmoid_panel.lines[0].get_data()
    np.testing.assert_allclose(y, activations.sigmoid(z))
    z, dy = sigmoid_panel.lines[1].get_data()
    np.testing.assert_allclose(dy, activations.sigmoid_grad(z))
    z, dy = relu_panel.lines[1].get_data()
    np.testing.assert_allclose(dy, activations.relu_grad(z))


def test_vanishing_gradient_shows_tanh_and_relu_apart():
    fig = curves.vanishing_gradient(depths=(1, 2, 3))
    sigmoid, tanh, relu = fig.axes[0].lines[:3]
    np.testing.assert_allclose(sigmoid.get_ydata(), [0.25, 0.0625, 0.015625])
    np.testing.assert_allclose(tanh.get_ydata(), relu.get_ydata())
    assert (tanh.get_marker(), tanh.get_linestyle()) != (
        relu.get_marker(), relu.get_linestyle())


def test_data_vs_performance_one_series_per_model_with_error_bars():
    rows = [
        {"model": m, "n_train": n, "accuracy": a, "accuracy_std": 0.01}
        for m, base in (("svm", 0.8), ("cnn", 0.7))
        for n, a in ((100, base), (1000, base + 0.15))
    ]
    fig = curves.data_vs_performance(rows, labels={"cnn": "CNN"})
    ax = fig.axes[0]
    assert ax.get_xscale() == "log"
    assert [c.get_label() for c in ax.containers] == ["svm", "CNN"]
    np.testing.assert_allclose(
        np.asarray(ax.containers[1].lines[0].get_ydata(), float), [70, 85])
    assert ax.containers[1].has_yerr


def test_astar_grid_draws_the_path():
    grid = classic.demo_grid()
    path, _ = classic.astar(grid, (0, 0), (19, 19))
    ax = images.astar_grid(grid, path).axes[0]
    cols, rows = ax.lines[0].get_data()
    assert list(zip(rows, cols)) == path


def test_embedding_scatter_panels_and_history():
    pts = np.random.default_rng(0).normal(size=(30, 2))
    labels = np.arange(30) % 3
    fig = scatter.embedding_scatter(pts, [labels, labels], ["a", "b"])
    assert len(fig.axes) == 2
    history = {"accuracy": [0.5, 0.7], "val_accuracy": [0.4, 0.6]}
    fig = curves.training_history({"MLP": history})
    assert len(fig.axes[0].lines) == 2


def test_matmul_gflops_log_axes():
    series = [{"label": "CPU", "sizes": [64, 128], "gflops": [5.0, 9.0]}]
    ax = curves.matmul_gflops(series).axes[0]
    assert ax.get_yscale() == "log"
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [5.0, 9.0])


def test_digit_gallery_one_panel_per_image():
    x, y = classic.load_digits_data()
    assert len(images.digit_gallery(x, y, n=5).axes) == 5


def test_reconstructions_two_rows_with_the_images():
    originals = np.random.default_rng(0).random((3, 16))
    fig = images.reconstructions(originals, 1 - originals, n=3)
    assert len(fig.axes) == 6
    shown = fig.axes[3].images[0].get_array()
    np.testing.assert_allclose(shown, (1 - originals[0]).reshape(4, 4))
    x = np.random.default_rng(0).random((10, 784))
    assert len(images.reconstructions(x, x, n=10).axes) == 20


def test_annotated_grids_writes_every_value_and_frames_windows():
    image = np.arange(16.0).reshape(4, 4)
    pooled = conv.max_pool2d(image)
    fig = images.annotated_grids([image, pooled], ["a", "b"],
                                 windows=[(0, 0, 0, 2, 2)])
    left, right = fig.axes
    assert len(left.texts) == 16 and len(right.texts) == 4
    assert right.texts[-1].get_text() == "15"
    frames = [p for p in left.patches if isinstance(p, Rectangle)]
    assert len(frames) == 1 and frames[0].get_width() == 2


def test_annotated_grids_write_decimals_with_a_comma():
    fig = images.annotated_grids([np.full((2, 2), 0.25)], ["a"])
    assert fig.axes[0].texts[0].get_text() == "0,25"


def test_image_grid_hides_unused_cells_and_is_symmetric():
    filters = np.random.default_rng(0).normal(size=(5, 3, 3))
    fig = images.image_grid(filters, ncols=4, signed=True)
    assert len(fig.axes) == 8
    assert sum(ax.axison for ax in fig.axes) == 5
    low, high = fig.axes[0].images[0].get_clim()
    assert low == -high == -np.abs(filters).max()


def test_confusion_matrix_labels_axes_and_counts():
    fig = images.confusion_matrix(np.array([[5, 1], [0, 12_000]]))
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.texts] == ["5", "1", "0",
                                               "12\u202f000"]
    assert ax.get_xlabel() == "clase predicha"
    assert ax.get_ylabel() == "clase real"


def test_latent_scatter_one_series_per_digit():
    codes = np.random.default_rng(0).normal(size=(100, 2))
    fig = scatter.latent_scatter(codes, np.arange(100) % 10)
    assert len(fig.axes[0].collections) == 10


def test_attention_map_labels_its_words():
    weights = np.full((3, 3), 1 / 3)
    fig = images.attention_map(weights, ["una", "buena", "película"])
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert labels == ["una", "buena", "película"]
