"""Calendarios de la tasa de aprendizaje, sin depender de ningún *framework*.

``esenciales.keras.training`` y ``esenciales.torch.training`` los usan con
el mismo nombre: la fórmula es una sola.
"""

import math


def warmup_cosine(epoch, base_lr, warmup_epochs, total_epochs, min_lr=0.0):
    """Tasa de aprendizaje con calentamiento (*warm-up*) y caída coseno.

    Sube en línea recta hasta ``base_lr`` durante ``warmup_epochs`` épocas
    y luego baja como medio coseno hacia ``min_lr`` hasta ``total_epochs``.
    Es el "learning rate schedule / warm-up" de la clase.
    """
    if epoch < warmup_epochs:
        return base_lr * (epoch + 1) / warmup_epochs
    progress = (epoch - warmup_epochs) / max(1, total_epochs - warmup_epochs)
    cosine = 0.5 * (1 + math.cos(math.pi * progress))
    return min_lr + (base_lr - min_lr) * cosine

