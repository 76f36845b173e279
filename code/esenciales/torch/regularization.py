"""Regularización en PyTorch: las herramientas que la clase enumera.

*Dropout*, penalización L2 (*weight decay*), aumento de datos (*data
augmentation*), normalización por lotes (*batch normalization*) y
aprendizaje por transferencia (*transfer learning*). La parada temprana
es ``esenciales.torch.training.EarlyStopping``.
"""

import copy
import math

import numpy as np
import torch
from torch import nn

from esenciales.torch.models import init_weights


class L2(nn.Module):
    """Envuelve una capa y suma su penalización ``l2 · Σ w²`` a la pérdida.

    Es el gemelo de ``kernel_regularizer=keras.regularizers.L2(l2)``:
    penaliza la matriz de pesos (no el sesgo). ``fit`` suma la
    penalización de todas estas capas, igual que Keras suma
    ``model.losses``.
    """

    def __init__(self, layer, l2):
        super().__init__()
        self.layer = layer
        self.l2 = l2

    def forward(self, x):
        return self.layer(x)

    def penalty(self):
        """``l2 · Σ w²`` sobre los pesos de la capa envuelta."""
        return self.l2 * self.layer.weight.pow(2).sum()


def regularization_loss(model):
    """Suma de las penalizaciones L2 del modelo (0.0 si no tiene)."""
    return sum((m.penalty() for m in model.modules() if isinstance(m, L2)),
               0.0)


def _with_l2(layer, l2):
    """La capa tal cual, o envuelta en ``L2`` si ``l2 > 0``."""
    return L2(layer, l2) if l2 else layer


def _hidden(layer, units, dropout, l2, batch_norm, norm=nn.BatchNorm1d):
    """Capa oculta: lineal/convolución → [BN] → ReLU → [dropout]."""
    block = [_with_l2(layer, l2)]
    if batch_norm:
        block.append(norm(units, eps=1e-3, momentum=0.1))
    block.append(nn.ReLU())
    if dropout:
        block.append(nn.Dropout(dropout))
    return block


def regularized_mlp(dropout=0.0, l2=0.0, batch_norm=False):
    """El MLP de la clase (784 → 128 → 64 → 10) con regularización opcional.

    Entrada: (N, 784) en [0, 1]. Salida: (N, 10) logits.
    ``dropout``: fracción de neuronas apagadas tras cada capa oculta;
    ``l2``: penalización de los pesos; ``batch_norm``: normaliza antes
    de cada ReLU.
    """
    model = nn.Sequential(
        *_hidden(nn.Linear(784, 128), 128, dropout, l2, batch_norm),
        *_hidden(nn.Linear(128, 64), 64, dropout, l2, batch_norm),
        _with_l2(nn.Linear(64, 10), l2),
    )
    return init_weights(model)  # reglas de Keras: los gemelos parten igual


def regularized_cnn(dropout=0.0, l2=0.0, batch_norm=False, augment=False,
                    conv_blocks=1):
    """La CNN de MNIST de la clase con regularización opcional.

    Entrada: (N, 1, 28, 28) en [0, 1]. Salida: (N, 10) logits.
    Conv 32 3×3 → MaxPool → Flatten → Dense 128 → Dense 10, más
    ``augment`` (desplazamientos y giros aleatorios al entrenar),
    ``batch_norm``, ``dropout`` y ``l2`` como en ``regularized_mlp``.
    ``conv_blocks=2`` agrega un segundo bloque Conv 64 3×3 → MaxPool.
    """
    blocks, channels, size = [], 1, 28
    for filters in (32, 64)[:conv_blocks]:
        conv = nn.Conv2d(channels, filters, 3)
        blocks += [*_hidden(conv, filters, 0.0, l2, batch_norm,
                            nn.BatchNorm2d), nn.MaxPool2d(2)]
        channels, size = filters, (size - 2) // 2
    model = nn.Sequential(
        *([augmentation()] if augment else []),
        *blocks,
        nn.Flatten(),
        *_hidden(nn.Linear(channels * size * size, 128), 128, dropout, l2,
                 batch_norm),
        _with_l2(nn.Linear(128, 10), l2),
    )
    return init_weights(model)  # reglas de Keras: los gemelos parten igual


class RandomShiftRotation(nn.Module):
    """Desplaza y gira cada imagen al azar, solo durante el entrenamiento.

    Entrada y salida: (N, C, alto, ancho). ``shift``: fracción máxima del
    tamaño que se desplaza; ``rotation``: fracción máxima de una vuelta
    (como ``RandomTranslation`` y ``RandomRotation`` de Keras). Los bordes
    que quedan vacíos se rellenan con ceros. En ``eval()`` no hace nada.
    """

    def __init__(self, shift=0.1, rotation=0.05):
        super().__init__()
        self.shift = shift
        self.rotation = rotation

    def forward(self, x):
        if not self.training:
            return x
        n = len(x)
        angle = (torch.rand(n) * 2 - 1) * self.rotation * 2 * math.pi
        shift = (torch.rand(n, 2) * 2 - 1) * self.shift * 2
        cos, sin = torch.cos(angle), torch.sin(angle)
        theta = torch.stack([
            torch.stack([cos, -sin, shift[:, 0]], dim=1),
            torch.stack([sin, cos, shift[:, 1]], dim=1),
        ], dim=1).to(x)
        grid = nn.functional.affine_grid(theta, x.shape,
                                         align_corners=False)
        return nn.functional.grid_sample(x, grid, padding_mode="zeros",
                                         align_corners=False)


def augmentation(shift=0.1, rotation=0.05):
    """Capa de aumento de datos: desplazamientos y giros aleatorios.

    Se pone al comienzo del modelo; solo actúa al entrenar.
    """
    return RandomShiftRotation(shift, rotation)


@torch.no_grad()
def augment_images(x, seed=0, shift=0.1, rotation=0.05):
    """Aplica una vez el aumento de datos a un lote, para mirarlo.

    Entrada y salida: (N, 1, 28, 28) ``float32``; misma forma, y cada
    imagen sigue siendo el mismo dígito (la etiqueta no cambia).
    """
    torch.manual_seed(seed)
    layer = augmentation(shift, rotation).train()
    return layer(torch.as_tensor(np.asarray(x))).numpy()


def freeze(model):
    """Congela los pesos de ``model``: el optimizador ya no los cambia."""
    for parameter in model.parameters():
        parameter.requires_grad_(False)
    return model


def transfer_model(model, n_classes):
    """Reutiliza la base convolucional de un modelo entrenado (*transfer
    learning*).

    Copia las capas de ``model`` (secuencial) anteriores a su primera capa
    densa (convoluciones, *pooling* y ``Flatten``), las congela como base
    y agrega una cabeza nueva: una capa densa de ``n_classes`` que da
    logits. Solo la cabeza se entrena.
    """
    layers = [m for m in copy.deepcopy(model).modules()
              if not list(m.children())]
    first = next(i for i, m in enumerate(layers)
                 if isinstance(m, nn.Linear))
    base = freeze(nn.Sequential(*layers[:first]))
    head = init_weights(nn.Linear(layers[first].in_features, n_classes))
    return nn.Sequential(base, head)
