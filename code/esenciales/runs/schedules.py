"""Calendarios de la tasa de aprendizaje, sin depender de ningún *framework*.

``esenciales.keras.training.fit`` y ``esenciales.torch.training.fit``
reciben el calendario como una función paso → tasa y lo aplican lote a
lote: la fórmula es una sola.
"""

import functools
import math


def warmup_cosine(step, peak_lr, warmup_steps, total_steps, min_lr=0.0):
    """Tasa de aprendizaje del paso ``step``: calentamiento y caída coseno.

    Sube en línea recta desde casi 0 (peak_lr / warmup_steps en el paso 0)
    hasta ``peak_lr`` en el paso ``warmup_steps − 1``, y luego baja como
    medio coseno hacia ``min_lr``, al que llega en el paso
    ``total_steps``. Un paso es un lote. Es el "learning rate schedule /
    warm-up" de la clase.
    """
    if step < warmup_steps:
        return peak_lr * (step + 1) / warmup_steps
    progress = (step - warmup_steps) / max(1, total_steps - warmup_steps)
    cosine = 0.5 * (1 + math.cos(math.pi * min(progress, 1.0)))
    return min_lr + (peak_lr - min_lr) * cosine


def warmup_cosine_schedule(peak_lr, warmup_steps, total_steps, min_lr=0.0):
    """El calendario ``warmup_cosine`` como función de un argumento.

    Salida: ``schedule(step) → tasa``, lo que recibe ``fit(...,
    schedule=...)`` en los dos *frameworks*.
    """
    return functools.partial(warmup_cosine, peak_lr=peak_lr,
                             warmup_steps=warmup_steps,
                             total_steps=total_steps, min_lr=min_lr)
