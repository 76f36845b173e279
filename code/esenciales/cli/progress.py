"""El avance de un entrenamiento, igual en Keras y en PyTorch.

Los dos gemelos aceptan *callbacks* con ``on_epoch_begin`` y
``on_epoch_end``; aquí se arma uno para cada framework que escribe, en la
salida de errores, una línea en español por época (la barra en inglés de
Keras queda apagada con ``verbose=0``). Mientras una época corre, una
terminal muestra los segundos transcurridos.
"""

import time

from esenciales import spanish

METRIC_NAMES = {
    "loss": "pérdida",
    "accuracy": "exactitud",
    "val_loss": "pérdida val.",
    "val_accuracy": "exactitud val.",
    "learning_rate": "tasa",
}
"""Cómo se llama en español cada métrica del historial."""


def describe_metrics(logs):
    """``pérdida 0,693 · exactitud 49,4 %`` para las métricas de ``logs``."""
    parts = []
    order = [k for k in METRIC_NAMES if k in logs]
    for key, value in ((k, logs[k]) for k in order + sorted(
            set(logs) - set(order))):
        name = METRIC_NAMES.get(key, key)
        if "accuracy" in key:
            parts.append(f"{name} {spanish.percent(float(value))}")
        else:
            parts.append(f"{name} {spanish.number(float(value), 4)}")
    return " · ".join(parts)


def epoch_line(epoch, epochs, logs, seconds):
    """La línea de una época terminada."""
    return (f"Época {epoch + 1}/{epochs} · {describe_metrics(logs)} · "
            f"{spanish.number(seconds, 1)} s")


def epoch_reporter(framework, progress, epochs):
    """Un *callback* de ``framework`` que informa cada época en
    ``progress`` (un ``render.Progress``)."""
    if framework == "keras":
        import keras

        base = keras.callbacks.Callback
    else:
        from esenciales.torch.training import Callback as base

    class EpochReporter(base):
        """Escribe una línea por época; muestra el tiempo mientras corre."""

        def on_epoch_begin(self, epoch, logs=None):
            self.started = time.perf_counter()
            progress.step(f"Época {epoch + 1}/{epochs}")

        def on_epoch_end(self, epoch, logs=None):
            seconds = time.perf_counter() - self.started
            progress.note(epoch_line(epoch, epochs, logs or {}, seconds))

    return EpochReporter()
