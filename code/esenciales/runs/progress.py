"""El avance de un entrenamiento por épocas, igual en Keras y en PyTorch.

Los dos gemelos aceptan *callbacks* con ``on_epoch_begin`` y
``on_epoch_end``. ``epoch_clock`` arma uno para cada framework que mide
cuánto dura cada época y se lo cuenta a un «escucha»; ``EpochLines`` es
el escucha más simple: una línea en español por época en la salida de
errores (``epoch_line``). Es la misma línea en ``esenciales entrenar``,
con ``--procesos N`` o sin él, y los segundos del resumen final son los
que mide este reloj.
"""

import sys
import time

from esenciales import spanish


def epoch_line(epoch, epochs, logs, seconds):
    """Las líneas de una época terminada, de 80 columnas como máximo: el
    entrenamiento y los segundos; debajo, si hay, la validación y la tasa.

    «Época 2/5 · pérdida 0,1234 · exactitud 96,10 % · 3,2 s»
    «  validación: pérdida 0,0987 · exactitud 97,20 % · tasa 0,0010»
    """
    train = {k: v for k, v in logs.items()
             if not k.startswith("val_") and k != "learning_rate"}
    line = (f"Época {epoch + 1}/{epochs} · {spanish.metrics(train)} · "
            f"{spanish.number(seconds, 1)} s")
    validation = {k[len("val_"):]: v for k, v in logs.items()
                  if k.startswith("val_")}
    below = []
    if validation:
        below.append(f"validación: {spanish.metrics(validation)}")
    if "learning_rate" in logs:
        below.append(spanish.metrics({"learning_rate":
                                      logs["learning_rate"]}))
    return line + (f"\n  {' · '.join(below)}" if below else "")


class EpochLines:
    """Escucha de ``epoch_clock``: una ``epoch_line`` por época terminada
    en ``stream`` (por omisión, la salida de errores)."""

    def __init__(self, stream=None):
        self.stream = stream

    def epoch_begin(self, epoch, epochs):
        """Nada que mostrar mientras la época corre."""

    def epoch_end(self, epoch, epochs, logs, seconds):
        print(epoch_line(epoch, epochs, logs, seconds),
              file=self.stream or sys.stderr, flush=True)


def epoch_clock(framework, epochs, listener=None):
    """Un *callback* de ``framework`` que cronometra cada época.

    ``clock.seconds`` guarda la duración de cada época terminada y
    ``clock.first_start``, el instante (``time.perf_counter``) en que
    empezó la primera. ``listener`` (como ``EpochLines``) recibe
    ``epoch_begin(época, épocas)`` y ``epoch_end(época, épocas, logs,
    segundos)``, con las épocas contadas desde 0.
    """
    if framework == "keras":
        import keras

        base = keras.callbacks.Callback
    else:
        from esenciales.torch.training import Callback as base

    class EpochClock(base):
        """Mide cada época y avisa al escucha."""

        def __init__(self):
            super().__init__()
            self.seconds, self.first_start = [], None

        def on_epoch_begin(self, epoch, logs=None):
            self.started = time.perf_counter()
            if self.first_start is None:
                self.first_start = self.started
            if listener is not None:
                listener.epoch_begin(epoch, epochs)

        def on_epoch_end(self, epoch, logs=None):
            seconds = time.perf_counter() - self.started
            self.seconds.append(seconds)
            if listener is not None:
                listener.epoch_end(epoch, epochs, logs or {}, seconds)

    return EpochClock()
