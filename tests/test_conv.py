"""La convolución y el pooling a mano frente a Keras y PyTorch."""

import keras
import numpy as np
import pytest
import torch

from esenciales.scratch import conv
from esenciales.keras import conv as keras_conv
from esenciales.torch import conv as torch_conv

CASES = [  # (n, k, stride, padding)
    (28, 3, 1, 0), (28, 3, 1, 1), (28, 5, 2, 2), (7, 3, 2, 0),
    (10, 4, 3, 1), (32, 3, 2, 1), (5, 5, 1, 0),
]


@pytest.mark.parametrize("n,k,s,p", CASES)
def test_conv2d_matches_keras_and_torch(n, k, s, p):
    rng = np.random.default_rng(n * 100 + k * 10 + s)
    image = rng.normal(size=(n, n))
    kernel = rng.normal(size=(k, k))
    ours = conv.conv2d(image, kernel, stride=s, padding=p)
    expected = conv.output_size(n, k, s, p)
    assert ours.shape == (expected, expected)
    np.testing.assert_allclose(
        ours, keras_conv.conv2d(image, kernel, s, p), atol=1e-4)
    np.testing.assert_allclose(
        ours, torch_conv.conv2d(image, kernel, s, p), atol=1e-4)
    direct = torch.nn.functional.conv2d(
        torch.tensor(image[None, None]), torch.tensor(kernel[None, None]),
        stride=s, padding=p)[0, 0].numpy()
    np.testing.assert_allclose(ours, direct, atol=1e-10)


@pytest.mark.parametrize("n,k,s,p", CASES)
def test_output_size_formula_matches_frameworks(n, k, s, p):
    x = np.zeros((1, n, n, 1), dtype="float32")
    padded = keras.layers.ZeroPadding2D(p)(x)
    keras_out = keras.layers.Conv2D(2, k, strides=s)(padded)
    torch_out = torch.nn.Conv2d(1, 2, k, stride=s, padding=p)(
        torch.zeros(1, 1, n, n))
    expected = conv.output_size(n, k, s, p)
    assert tuple(keras_out.shape[1:3]) == (expected, expected)
    assert tuple(torch_out.shape[2:]) == (expected, expected)
    assert keras_conv.output_size(n, k, s, p) == expected
    assert torch_conv.output_size(n, k, s, p) == expected


def test_same_padding_keeps_size_with_stride_one():
    x = np.zeros((1, 28, 28, 1), dtype="float32")
    out = keras.layers.Conv2D(1, 3, padding="same")(x)
    assert out.shape[1] == conv.output_size(28, 3, 1, 1) == 28


def test_known_small_convolution():
    image = np.arange(16.0).reshape(4, 4)
    kernel = np.array([[1.0, 0.0], [0.0, -1.0]])
    # Cada ventana 2x2 da a - d = -(4 + 1) = -5.
    np.testing.assert_array_equal(conv.conv2d(image, kernel),
                                  np.full((3, 3), -5.0))


@pytest.mark.parametrize("size,stride", [(2, None), (3, 1), (3, 2)])
def test_pooling_matches_keras_and_torch(size, stride):
    rng = np.random.default_rng(size)
    image = rng.normal(size=(12, 12))
    s = size if stride is None else stride
    x_k = image[None, :, :, None].astype("float32")
    x_t = torch.tensor(image, dtype=torch.float32)[None, None]
    f = torch.nn.functional
    pairs = [
        (conv.max_pool2d, keras.layers.MaxPooling2D(size, s), f.max_pool2d),
        (conv.avg_pool2d, keras.layers.AveragePooling2D(size, s),
         f.avg_pool2d),
    ]
    for ours_fn, keras_layer, torch_fn in pairs:
        ours = ours_fn(image, size, stride)
        by_keras = keras.ops.convert_to_numpy(keras_layer(x_k))[0, :, :, 0]
        by_torch = torch_fn(x_t, size, s)[0, 0].numpy()
        np.testing.assert_allclose(ours, by_keras, atol=1e-5)
        np.testing.assert_allclose(ours, by_torch, atol=1e-5)
    for module in (keras_conv, torch_conv):
        np.testing.assert_allclose(conv.max_pool2d(image, size, stride),
                                   module.max_pool2d(image, size, stride),
                                   atol=1e-5)
        np.testing.assert_allclose(conv.avg_pool2d(image, size, stride),
                                   module.avg_pool2d(image, size, stride),
                                   atol=1e-5)


def test_max_pool_known_values():
    image = np.array([[1, 2, 5, 6], [3, 4, 7, 8],
                      [9, 10, 13, 14], [11, 12, 15, 16]], dtype=float)
    np.testing.assert_array_equal(conv.max_pool2d(image),
                                  [[4, 8], [12, 16]])
    np.testing.assert_array_equal(conv.avg_pool2d(image),
                                  [[2.5, 6.5], [10.5, 14.5]])


def test_parameter_counts_match_frameworks():
    conv_layer = keras.layers.Conv2D(32, 3)
    conv_layer.build((None, 28, 28, 1))
    dense_layer = keras.layers.Dense(32)
    dense_layer.build((None, 784))
    assert conv_layer.count_params() == conv.conv_params(3, 1, 32) == 320
    assert dense_layer.count_params() == conv.dense_params(784, 32)
    torch_conv_layer = torch.nn.Conv2d(3, 64, 5)
    n_torch = sum(p.numel() for p in torch_conv_layer.parameters())
    assert n_torch == conv.conv_params(5, 3, 64)


@pytest.mark.parametrize("args", [
    (0, 3, 1, 0), (28, 0, 1, 0), (28, 3, 0, 0), (28, 3, 1, -1),
    (2, 5, 1, 0), (28, 2.5, 1, 0),
])
def test_output_size_rejects_bad_input(args):
    with pytest.raises(ValueError):
        conv.output_size(*args)


def test_conv2d_rejects_non_matrix():
    with pytest.raises(ValueError, match="2-D"):
        conv.conv2d(np.zeros((2, 4, 4)), np.ones((3, 3)))
    with pytest.raises(ValueError, match="más grande"):
        conv.conv2d(np.zeros((2, 2)), np.ones((3, 3)))


def _expected_maps(filters, biases, image):
    """ReLU(conv2d + sesgo) de cada filtro, calculado con NumPy."""
    return np.stack([np.maximum(conv.conv2d(image, f) + b, 0)
                     for f, b in zip(filters, biases)])


def test_filters_and_feature_maps_keras():
    model = keras.Sequential([keras.Input((28, 28, 1)),
                              keras.layers.Conv2D(4, 3, activation="relu"),
                              keras.layers.Flatten()])
    image = np.random.default_rng(0).random((28, 28))
    filters = keras_conv.conv_filters(model)
    bias = np.linspace(-0.2, 0.2, 4).astype("float32")
    model.layers[0].set_weights([model.layers[0].get_weights()[0], bias])
    assert filters.shape == (4, 3, 3)
    np.testing.assert_allclose(filters[2],
                               model.layers[0].get_weights()[0][:, :, 0, 2])
    maps = keras_conv.feature_maps(model, image)
    assert maps.shape == (4, 26, 26)
    np.testing.assert_allclose(maps, _expected_maps(filters, bias, image),
                               atol=1e-5)


def test_filters_and_feature_maps_torch():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Conv2d(1, 4, 3), torch.nn.ReLU())
    image = np.random.default_rng(0).random((28, 28))
    filters = torch_conv.conv_filters(model)
    assert filters.shape == (4, 3, 3)
    bias = model[0].bias.detach().numpy()
    maps = torch_conv.feature_maps(model, image)
    assert maps.shape == (4, 26, 26)
    assert (maps >= 0).all() and (maps == 0).any()
    np.testing.assert_allclose(maps, _expected_maps(filters, bias, image),
                               atol=1e-5)


@pytest.mark.parametrize("pixels", [0, 1, 2])
@pytest.mark.parametrize("pool", [None, "max", "avg"])
def test_shift_change_against_torch(pixels, pool):
    """El cambio relativo al desplazar, calculado con las operaciones de
    PyTorch (conv2d, ReLU, pooling) como oráculo."""
    rng = np.random.default_rng(pixels)
    image = rng.uniform(size=(12, 12))
    kernel = conv.edge_kernels()["bordes verticales"]
    ours = conv.shift_change(image, kernel, pixels,
                             {None: None, "max": conv.max_pool2d,
                              "avg": conv.avg_pool2d}[pool])
    F = torch.nn.functional
    pools = {None: lambda t: t, "max": lambda t: F.max_pool2d(t, 2),
             "avg": lambda t: F.avg_pool2d(t, 2)}
    maps = [pools[pool](F.relu(F.conv2d(
        torch.tensor(img)[None, None], torch.tensor(kernel)[None, None])))
        for img in (image, np.roll(image, pixels, axis=1))]
    expected = ((maps[0] - maps[1]).norm() / maps[0].norm()).item()
    assert ours == pytest.approx(expected, rel=1e-9, abs=1e-12)
    assert (ours == 0) == (pixels == 0)
