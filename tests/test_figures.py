"""Las figuras de los capítulos 4 a 7: contenido, no solo que no fallen."""

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from esenciales.scratch import conv
from esenciales.figures import images as figures


def test_annotated_grids_writes_every_value_and_frames_windows():
    image = np.arange(16.0).reshape(4, 4)
    pooled = conv.max_pool2d(image)
    fig = figures.annotated_grids([image, pooled], ["a", "b"],
                                  windows=[(0, 0, 0, 2, 2)])
    left, right = fig.axes
    assert len(left.texts) == 16 and len(right.texts) == 4
    assert right.texts[-1].get_text() == "15"
    frames = [p for p in left.patches if isinstance(p, Rectangle)]
    assert len(frames) == 1 and frames[0].get_width() == 2


def test_image_grid_hides_unused_cells_and_is_symmetric():
    filters = np.random.default_rng(0).normal(size=(5, 3, 3))
    fig = figures.image_grid(filters, ncols=4, signed=True)
    assert len(fig.axes) == 8
    assert sum(ax.axison for ax in fig.axes) == 5
    low, high = fig.axes[0].images[0].get_clim()
    assert low == -high == -np.abs(filters).max()


def test_confusion_matrix_labels_axes_and_counts():
    matrix = np.array([[5, 1], [0, 7]])
    fig = figures.confusion_matrix(matrix)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.texts] == ["5", "1", "0", "7"]
    assert ax.get_xlabel() == "clase predicha"
    assert ax.get_ylabel() == "clase real"


def test_latent_scatter_one_series_per_digit():
    codes = np.random.default_rng(0).normal(size=(100, 2))
    labels = np.arange(100) % 10
    fig = figures.latent_scatter(codes, labels)
    assert len(fig.axes[0].collections) == 10


def test_reconstructions_and_attention_and_chain_shapes():
    x = np.random.default_rng(0).random((10, 784))
    assert len(figures.reconstructions(x, x).axes) == 20
    weights = np.full((3, 3), 1 / 3)
    fig = figures.attention_map(weights, ["una", "buena", "película"])
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels()]
    assert labels == ["una", "buena", "película"]
    chain = figures.conv_pool_chain([("entrada", (28, 28, 1)),
                                     ("Flatten", (784,))])
    assert isinstance(chain, Figure)
    assert {t.get_text() for t in chain.axes[0].texts} >= {"28×28×1", "784"}
