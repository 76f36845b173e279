"""La convolución y el *pooling* con las capas de Keras, para compararlos
con la versión a mano de ``esenciales.scratch.conv``."""

import keras
import numpy as np


def _as_batch(image):
    """(H, W) -> (1, H, W, 1) en float32: el formato NHWC de Keras."""
    return np.asarray(image, dtype="float32")[None, :, :, None]


def _first_map(y):
    """(1, H', W', 1) -> (H', W') como matriz de NumPy."""
    return keras.ops.convert_to_numpy(y)[0, :, :, 0]


def conv2d(image, kernel, stride=1, padding=0):
    """Convolución de un canal con ``ZeroPadding2D`` + ``Conv2D``.

    Entrada: ``image`` (H, W) y ``kernel`` (k, k). Salida: (H', W').
    Keras solo ofrece ``padding="valid"`` o ``"same"``; un relleno de
    ``padding`` ceros por lado se agrega con ``ZeroPadding2D``.
    """
    kernel = np.asarray(kernel, dtype="float32")
    x = keras.layers.ZeroPadding2D(padding)(_as_batch(image))
    layer = keras.layers.Conv2D(1, kernel.shape, strides=stride,
                                use_bias=False)
    layer.build(x.shape)
    layer.set_weights([kernel[:, :, None, None]])  # (k, k, C_in, C_out)
    return _first_map(layer(x))


def max_pool2d(image, size=2, stride=None):
    """``MaxPooling2D`` sobre una matriz (H, W). Salida: (H', W')."""
    layer = keras.layers.MaxPooling2D(size, strides=stride)
    return _first_map(layer(_as_batch(image)))


def avg_pool2d(image, size=2, stride=None):
    """``AveragePooling2D`` sobre una matriz (H, W). Salida: (H', W')."""
    layer = keras.layers.AveragePooling2D(size, strides=stride)
    return _first_map(layer(_as_batch(image)))


def output_size(n, kernel_size, stride=1, padding=0):
    """Tamaño de salida medido en Keras: construye la capa y mira la forma.

    Sirve para comprobar la fórmula ``(n + 2p - k) // s + 1``.
    """
    x = keras.layers.ZeroPadding2D(padding)(np.zeros((1, n, n, 1),
                                                     dtype="float32"))
    y = keras.layers.Conv2D(1, kernel_size, strides=stride)(x)
    return int(y.shape[1])


def _first_conv(model):
    """La primera capa ``Conv2D`` del modelo."""
    return next(layer for layer in model.layers
                if isinstance(layer, keras.layers.Conv2D))


def conv_filters(model):
    """Los filtros de la primera convolución como imágenes.

    Entrada: un modelo con una ``Conv2D`` de un canal de entrada.
    Salida: (filtros, k, k).
    """
    kernel = _first_conv(model).get_weights()[0]  # (k, k, C_in, C_out)
    return np.transpose(kernel[:, :, 0, :], (2, 0, 1))


def feature_maps(model, image):
    """Los mapas de características de la primera convolución (con ReLU).

    Entrada: ``image`` (28, 28) en [0, 1]. Salida: (filtros, H', W').
    """
    maps = _first_conv(model)(_as_batch(image))
    return np.transpose(keras.ops.convert_to_numpy(maps)[0], (2, 0, 1))
