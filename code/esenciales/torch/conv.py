"""La convolución y el *pooling* con PyTorch, para compararlos con la
versión a mano de ``esenciales.scratch.conv``."""

import numpy as np
import torch
from torch import nn
from torch.nn import functional as F


def _as_batch(image):
    """(H, W) -> tensor (1, 1, H, W) en float32: el formato NCHW."""
    return torch.as_tensor(np.asarray(image, dtype="float32"))[None, None]


def conv2d(image, kernel, stride=1, padding=0):
    """Convolución de un canal con ``F.conv2d``.

    Entrada: ``image`` (H, W) y ``kernel`` (k, k). Salida: (H', W').
    PyTorch acepta el relleno como número de ceros por lado.
    """
    weight = _as_batch(kernel)  # (C_out, C_in, k, k)
    y = F.conv2d(_as_batch(image), weight, stride=stride, padding=padding)
    return y[0, 0].numpy()


def max_pool2d(image, size=2, stride=None):
    """``F.max_pool2d`` sobre una matriz (H, W). Salida: (H', W')."""
    return F.max_pool2d(_as_batch(image), size, stride)[0, 0].numpy()


def avg_pool2d(image, size=2, stride=None):
    """``F.avg_pool2d`` sobre una matriz (H, W). Salida: (H', W')."""
    return F.avg_pool2d(_as_batch(image), size, stride)[0, 0].numpy()


def output_size(n, kernel_size, stride=1, padding=0):
    """Tamaño de salida medido: construye la capa y mira la forma.

    Sirve para comprobar la fórmula ``(n + 2p - k) // s + 1``.
    """
    layer = nn.Conv2d(1, 1, kernel_size, stride=stride, padding=padding)
    with torch.no_grad():
        return int(layer(torch.zeros(1, 1, n, n)).shape[-1])


def _first_conv(model):
    """La primera capa ``nn.Conv2d`` del modelo."""
    return next(m for m in model.modules() if isinstance(m, nn.Conv2d))


def conv_filters(model):
    """Los filtros de la primera convolución como imágenes.

    Entrada: un modelo con una ``nn.Conv2d`` de un canal de entrada.
    Salida: (filtros, k, k). PyTorch guarda el peso como
    (C_out, C_in, k, k).
    """
    return _first_conv(model).weight.detach().cpu().numpy()[:, 0]


def feature_maps(model, image):
    """Los mapas de características de la primera convolución (con ReLU).

    Entrada: ``image`` (28, 28) en [0, 1]. Salida: (filtros, H', W').
    """
    layer = _first_conv(model)
    x = _as_batch(image).to(layer.weight.device)
    with torch.no_grad():
        return torch.relu(layer(x))[0].cpu().numpy()
