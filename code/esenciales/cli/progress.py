"""El avance de un entrenamiento, igual en Keras y en PyTorch.

Los dos gemelos aceptan *callbacks* con ``on_epoch_begin`` y
``on_epoch_end``; aquí se arma uno para cada framework que escribe, en la
salida de errores, una línea en español por época (la barra en inglés de
Keras queda apagada con ``verbose=0``). Mientras una época corre, una
terminal muestra los segundos transcurridos.
"""

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


def epoch_reporter(framework, progress, epochs, safe_points=None):
    """Un *callback* de ``framework`` que informa cada época en
    ``progress`` (un ``render.Progress``).

    Con Keras y ``safe_points`` (un ``errors.SafePoints``), mientras
    ``fit`` corre, Ctrl-C y SIGTERM cortan entre dos lotes y no dentro del
    código nativo de TensorFlow. PyTorch no lo necesita: su excepción puede
    nacer en cualquier punto.
    """
    if framework == "keras":
        import keras

        base = keras.callbacks.Callback
    else:
        from esenciales.torch.training import Callback as base

    class EpochReporter(base):
        """Escribe una línea por época; muestra el tiempo mientras corre."""

        if framework == "keras" and safe_points is not None:
            def on_train_begin(self, logs=None):
                safe_points.arm()

            def on_train_batch_end(self, batch, logs=None):
                safe_points.check()

            def on_train_end(self, logs=None):
                safe_points.check()
                safe_points.disarm()

        def on_epoch_begin(self, epoch, logs=None):
            self.started = time.perf_counter()
            progress.step(f"Época {epoch + 1}/{epochs}")

        def on_epoch_end(self, epoch, logs=None):
            seconds = time.perf_counter() - self.started
            progress.note(epoch_line(epoch, epochs, logs or {}, seconds))

    return EpochReporter()
