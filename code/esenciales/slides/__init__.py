"""Los programas de las diapositivas de la clase, ejecutados tal como están.

El libro entrena sus modelos con recetas (``esenciales.runs.recipes``),
que a veces se apartan a propósito de la clase. Para que la comparación
sea honesta, los programas completos de las diapositivas viven aquí sin
tocar una coma, cada uno en su archivo (``cnn_mnist.py``: la «CNN para
MNIST en 15 líneas»), y ``run`` los ejecuta tal cual.

Lo único que se agrega va por fuera del texto: una semilla fija antes de
empezar, la lectura de MNIST desde la copia local del paquete en vez de la
descarga de Keras (los mismos arreglos, ver ``run``), y, al terminar, la
exactitud en el conjunto de prueba que el programa deja en ``X_test`` y
``y_test``. El resultado se guarda en la caché con el texto del programa
como clave: se ejecuta una sola vez. Este módulo no importa Keras hasta
que se usa; los programas no se importan: se ejecutan.
"""

import contextlib
import hashlib
import io
import time
import warnings
from dataclasses import dataclass
from pathlib import Path

from esenciales.runs.cache import cached_json, code_only
from esenciales.spanish import percent

PROGRAMS = {"cnn_mnist": "cnn_mnist.py"}
"""Nombre de cada programa de las diapositivas y su archivo."""

SEED = 0
"""Semilla que se fija antes de ejecutar un programa (el texto no la fija)."""


@dataclass
class SlideRun:
    """Lo que deja un programa de las diapositivas al ejecutarse.

    ``history`` es el de ``model.fit`` (una lista por cifra, una entrada
    por época); ``test``, pérdida y exactitud en ``X_test``/``y_test``;
    ``warnings``, los avisos que el programa produjo al correr.
    """

    name: str
    history: dict
    test: dict
    seconds: float
    warnings: list

    @property
    def seconds_per_epoch(self):
        return self.seconds / max(len(self.history.get("loss", ())), 1)


def path(name):
    """Archivo del programa ``name`` (ver ``PROGRAMS``)."""
    if name not in PROGRAMS:
        raise ValueError(f"no hay un programa de las diapositivas llamado "
                         f"«{name}»; hay: {', '.join(PROGRAMS)}")
    return Path(__file__).resolve().parent / PROGRAMS[name]


def source(name):
    """El texto del programa ``name``, tal como está en la diapositiva."""
    return path(name).read_text(encoding="utf-8")


def run(name="cnn_mnist"):
    """Ejecuta el programa ``name`` una sola vez; después, lo lee de la caché.

    La clave es una huella del texto del programa y del código de este
    módulo: cambiar una coma del programa lo vuelve a ejecutar.
    Salida: ``SlideRun``.
    """
    text = source(name)
    digest = hashlib.sha256(text.encode())
    digest.update(code_only(Path(__file__).read_text(encoding="utf-8")))
    key = f"diapositiva-{name}-{digest.hexdigest()[:16]}"
    record = cached_json(key, lambda: execute(text, str(path(name))))
    return SlideRun(name, record["history"], record["test"],
                    record["seconds"], record["warnings"])


def execute(text, filename="<diapositiva>", load_data=None):
    """Ejecuta el programa text sin cambiarlo; devuelve su registro (JSON).

    mnist.load_data() de Keras descarga MNIST de internet: mientras el
    programa corre, la reemplaza load_data (por omisión load_mnist del
    paquete, con los mismos arreglos uint8 de forma (60000, 28, 28) y
    (10000, 28, 28), leídos de la copia local o descargados con sumas de
    verificación). La barra de progreso de fit se descarta; los avisos
    quedan en el registro.
    """
    import keras
    from keras.datasets import mnist

    if load_data is None:
        from esenciales.data import load_mnist as load_data
    keras.utils.set_random_seed(SEED)
    namespace = {"__name__": "__main__", "__file__": filename}
    saved = mnist.load_data
    mnist.load_data = load_data
    try:
        with warnings.catch_warnings(record=True) as caught, \
                contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("always")
            start = time.perf_counter()
            exec(compile(text, filename, "exec"), namespace)
            seconds = time.perf_counter() - start
            model = namespace["model"]
            test = model.evaluate(namespace["X_test"], namespace["y_test"],
                                  verbose=0, return_dict=True)
    finally:
        mnist.load_data = saved
    notices = sorted({str(w.message).splitlines()[0] for w in caught
                      if not issubclass(w.category, DeprecationWarning)})
    return {"history": model.history.history, "test": test,
            "seconds": seconds, "warnings": notices}


def comparison(runs):
    """Filas de una tabla que compara entrenamientos de un clasificador.

    ``runs``: ``{rótulo: corrida}``; cada corrida tiene ``history`` (con
    ``val_accuracy`` por época) y ``test`` (con ``accuracy``), como
    ``SlideRun`` y ``esenciales.runs.training.TrainingResult``.
    Salida: filas para ``esenciales.spanish.markdown_table``.
    """
    return [{"versión": label,
             "validación, época 1": percent(run.history["val_accuracy"][0],
                                            2),
             "validación, última época":
                 percent(run.history["val_accuracy"][-1], 2),
             "prueba": percent(run.test["accuracy"], 2)}
            for label, run in runs.items()]
