"""El avance de un entrenamiento en la terminal, igual en Keras y en PyTorch.

``esenciales.runs.progress.epoch_clock`` mide cada época y se lo cuenta
a un escucha; aquí está el de ``entrenar``: mientras una época corre, una
terminal muestra los segundos transcurridos; al terminar, queda la línea
de ``epoch_line`` en la salida de errores (la barra en inglés de Keras
queda apagada con ``verbose=0``). Con Keras, además, un *callback* hace
que Ctrl-C y SIGTERM corten entre dos lotes.
"""

from esenciales.runs.progress import epoch_line


class EpochProgress:
    """Escucha de ``epoch_clock`` que informa cada época en ``progress``
    (un ``render.Progress``)."""

    def __init__(self, progress):
        self.progress = progress

    def epoch_begin(self, epoch, epochs):
        self.progress.step(f"Época {epoch + 1}/{epochs}")

    def epoch_end(self, epoch, epochs, logs, seconds):
        self.progress.note(epoch_line(epoch, epochs, logs, seconds))


def safe_points_callback(safe_points):
    """Un *callback* de Keras que, mientras ``fit`` corre, hace que Ctrl-C
    y SIGTERM corten entre dos lotes (``safe_points``, un
    ``errors.SafePoints``) y no dentro del código nativo de TensorFlow.

    PyTorch no lo necesita: su excepción puede nacer en cualquier punto.
    """
    import keras

    class SafePointsCallback(keras.callbacks.Callback):
        """Arma los puntos seguros y los revisa tras cada lote."""

        def on_train_begin(self, logs=None):
            safe_points.arm()

        def on_train_batch_end(self, batch, logs=None):
            safe_points.check()

        def on_train_end(self, logs=None):
            safe_points.check()
            safe_points.disarm()

    return SafePointsCallback()
