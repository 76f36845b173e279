"""Las figuras del libro: se construyen sin pyplot y muestran los datos."""

import numpy as np
import pytest
from matplotlib.figure import Figure

from esenciales.scratch import activations, classic
from esenciales.figures import plots

DIAGRAMS = [
    plots.ai_ml_dl_nesting, plots.memory_hierarchy, plots.compute_primitive,
    plots.parallelism, plots.learning_paradigms, plots.neuron,
    plots.dense_network, plots.training_pipeline,
]


def _texts(fig):
    return " ".join(t.get_text() for ax in fig.axes for t in ax.texts)


@pytest.mark.parametrize("make", DIAGRAMS, ids=lambda f: f.__name__)
def test_diagrams_render(make, tmp_path):
    fig = make()
    assert isinstance(fig, Figure)
    fig.savefig(tmp_path / "figura.png", dpi=40)
    assert (tmp_path / "figura.png").stat().st_size > 1000


def test_diagram_labels_are_spanish():
    assert "Aprendizaje automático" in _texts(plots.ai_ml_dl_nesting())
    assert "HBM" in _texts(plots.memory_hierarchy())
    assert "activación" in _texts(plots.neuron())
    assert "oculta 1" in _texts(plots.dense_network((3, 4, 2)))


def test_dense_network_draws_every_connection():
    fig = plots.dense_network((3, 4, 2))
    lines = fig.axes[0].lines
    assert len(lines) == 3 * 4 + 4 * 2


def test_activation_plot_shows_the_package_functions():
    fig = plots.activation_functions(["sigmoid", "relu"], columns=2)
    sigmoid_panel, relu_panel = fig.axes
    z, y = sigmoid_panel.lines[0].get_data()
    np.testing.assert_allclose(y, activations.sigmoid(z))
    z, dy = sigmoid_panel.lines[1].get_data()
    np.testing.assert_allclose(dy, activations.sigmoid_grad(z))
    z, dy = relu_panel.lines[1].get_data()
    np.testing.assert_allclose(dy, activations.relu_grad(z))


def test_vanishing_gradient_uses_peak_derivatives():
    fig = plots.vanishing_gradient(depths=(1, 2, 3))
    sigmoid_line = fig.axes[0].lines[0]
    np.testing.assert_allclose(sigmoid_line.get_ydata(),
                               [0.25, 0.0625, 0.015625])


def test_data_vs_performance_one_line_per_model():
    rows = [
        {"model": m, "n_train": n, "accuracy": a}
        for m, base in (("svm", 0.8), ("cnn", 0.7))
        for n, a in ((100, base), (1000, base + 0.15))
    ]
    fig = plots.data_vs_performance(rows, labels={"cnn": "CNN"})
    ax = fig.axes[0]
    assert ax.get_xscale() == "log"
    assert [line.get_label() for line in ax.lines] == ["svm", "CNN"]
    np.testing.assert_allclose(ax.lines[1].get_ydata(), [70, 85])


def test_astar_grid_draws_the_path():
    grid = classic.demo_grid()
    path, _ = classic.astar(grid, (0, 0), (19, 19))
    ax = plots.astar_grid(grid, path).axes[0]
    cols, rows = ax.lines[0].get_data()
    assert list(zip(rows, cols)) == path


def test_embedding_scatter_panels_and_history():
    points = np.random.default_rng(0).normal(size=(30, 2))
    labels = np.arange(30) % 3
    fig = plots.embedding_scatter(points, [labels, labels], ["a", "b"])
    assert len(fig.axes) == 2
    history = {"accuracy": [0.5, 0.7], "val_accuracy": [0.4, 0.6]}
    fig = plots.training_history({"MLP": history})
    assert len(fig.axes[0].lines) == 2


def test_matmul_gflops_log_axes():
    series = [{"label": "CPU", "sizes": [64, 128], "gflops": [5.0, 9.0]}]
    ax = plots.matmul_gflops(series).axes[0]
    assert ax.get_yscale() == "log"
    np.testing.assert_allclose(ax.lines[0].get_ydata(), [5.0, 9.0])


def test_digit_gallery_one_panel_per_image():
    x, y = classic.load_digits_data()
    fig = plots.digit_gallery(x, y, n=5)
    assert len(fig.axes) == 5


def test_reconstructions_two_rows_with_the_images():
    originals = np.random.default_rng(0).random((3, 16))
    fig = plots.reconstructions(originals, 1 - originals, n=3)
    assert len(fig.axes) == 6
    shown = fig.axes[3].images[0].get_array()
    np.testing.assert_allclose(shown, (1 - originals[0]).reshape(4, 4))
