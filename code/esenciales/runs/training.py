"""Entrenar por nombre cualquier modelo del libro, en Keras o en PyTorch.

Es lo que hace ``esenciales entrenar``: prepara los datos del modelo, lo
construye con ``esenciales.<framework>.models`` y lo entrena con
``esenciales.<framework>.training.fit``, las mismas funciones que llaman
los capítulos. Guarda pesos e historial de forma atómica: un archivo
temporal que se renombra al final, así nunca queda un archivo a medias.
"""

import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from esenciales import data as datasets
from esenciales.cli import catalog
from esenciales.files import atomic_write, ensure_space, write_json
from esenciales.frameworks import (FRAMEWORK_NAMES, framework_module,
                                   resolve_device)
from esenciales.spanish import number, percent
from esenciales.runs.cache import cached_model

RANDOM_SAMPLES = 6000
"""Ejemplos aleatorios del «MLP mínimo» de la clase (``(6000, 10)``)."""


@dataclass
class TrainingResult:
    """Lo que deja un entrenamiento: modelo, historial y cifras finales."""

    name: str
    framework: str
    model: object
    history: dict
    test: dict
    n_train: int
    n_test: int
    seconds: float

    @property
    def epochs(self):
        return len(self.history.get("loss", ()))

    @property
    def seconds_per_epoch(self):
        return self.seconds / max(self.epochs, 1)

    def report(self):
        """Resumen en texto: pérdida, exactitud y segundos por época."""
        last = {key: values[-1] for key, values in self.history.items()}
        epochs = f"{self.epochs} época" + ("s" if self.epochs != 1 else "")
        lines = [
            f"Resumen: {self.name} · {FRAMEWORK_NAMES[self.framework]} · "
            f"{epochs}",
            f"  entrenamiento ({number(self.n_train)} ejemplos): "
            f"{_figures(last)}",
        ]
        if self.test:
            lines.append(f"  prueba ({number(self.n_test)} ejemplos): "
                         f"{_figures(self.test)}")
        lines.append(f"  tiempo: {number(self.seconds_per_epoch, 2)} s por "
                     f"época ({number(self.seconds, 1)} s en total)")
        return "\n".join(lines)


def _figures(metrics):
    """``pérdida 0,1234 · exactitud 97,50 %`` (sin exactitud si no hay)."""
    text = f"pérdida {number(metrics['loss'], 4)}"
    if "accuracy" in metrics:
        text += f" · exactitud {percent(metrics['accuracy'], 2)}"
    return text


# --------------------------------------------------------------------------
# Datos de cada modelo: (x, y), (x_test, y_test), ya listos para el modelo


def _random_data(framework, limit, seed):
    """Los datos aleatorios del MLP mínimo: no hay nada que aprender."""
    rng = np.random.default_rng(seed)
    n = min(limit or RANDOM_SAMPLES, RANDOM_SAMPLES)

    def draw(count):
        x = rng.random((count, 10)).astype("float32")
        return x, rng.integers(0, 2, size=(count, 1)).astype("float32")

    return draw(n), draw(max(n // 6, 1))


def _images(loader, prepare, limit):
    """Carga, recorta a ``limit`` ejemplos y prepara imágenes y etiquetas."""
    (x, y), (x_test, y_test) = loader()
    x, y = x[:limit], y[:limit]
    x_test, y_test = x_test[:limit], y_test[:limit]
    return ((prepare(x), y.astype("int64")),
            (prepare(x_test), y_test.astype("int64")))


def _pad_to_32x32x3(x):
    """``(N, 28, 28)`` → ``(N, 32, 32, 3)``: 2 píxeles de relleno por lado
    y el canal gris repetido tres veces (la entrada de ``cnn()``)."""
    x = np.pad(x, ((0, 0), (2, 2), (2, 2)))
    return np.repeat(x[..., np.newaxis], 3, axis=-1)


def _mnist(framework, limit, seed):
    data = framework_module(framework, "data")
    return _images(datasets.load_mnist, data.prepare_images, limit)


def _mnist_flat(framework, limit, seed):
    data = framework_module(framework, "data")
    return _images(datasets.load_mnist, data.prepare_vectors, limit)


def _fashion_mnist32(framework, limit, seed):
    data = framework_module(framework, "data")
    return _images(datasets.load_fashion_mnist,
                   lambda x: data.prepare_images(_pad_to_32x32x3(x)), limit)


def _mnist_reconstruction(framework, limit, seed):
    (x, _), (x_test, _) = _mnist_flat(framework, limit, seed)
    return (x, x), (x_test, x_test)


def _imdb(framework, limit, seed):
    (x, y), (x_test, y_test) = datasets.load_imdb(
        num_words=catalog.IMDB_WORDS)

    def prepare(xs, ys):
        xs, ys = xs[:limit], ys[:limit]
        return (datasets.pad_sequences(xs, catalog.IMDB_MAXLEN),
                ys.astype("float32")[:, np.newaxis])

    return prepare(x, y), prepare(x_test, y_test)


DATA = {
    "random": _random_data,
    "mnist": _mnist,
    "mnist_flat": _mnist_flat,
    "fashion_mnist32": _fashion_mnist32,
    "mnist_reconstruction": _mnist_reconstruction,
    "imdb": _imdb,
}
"""Preparación de datos por nombre (el campo ``data`` de ``ModelSpec``)."""


def load_data(spec, framework, *, limit=None, seed=0):
    """Los datos de entrenamiento y de prueba del modelo ``spec``.

    ``limit`` se queda con los primeros ``limit`` ejemplos de cada parte.
    Lanza ``DataError`` si el conjunto de datos no está y no se puede
    descargar.
    """
    return DATA[spec.data](framework, limit, seed)


# --------------------------------------------------------------------------
# Entrenar


def train(name, framework="keras", *, epochs=None, batch_size=None, seed=0,
          device="auto", limit=None, verbose=1, callbacks=(),
          wrap_fit=None):
    """Entrena el modelo ``name`` del libro sobre sus datos.

    Usa ``esenciales.<framework>.models.<name>`` y ``training.fit`` con las
    épocas y el tamaño de lote de la clase salvo que se indiquen. Devuelve
    un :class:`TrainingResult` con el historial (claves de Keras) y la
    pérdida y exactitud en el conjunto de prueba. ``callbacks`` se pasan a
    ``fit`` (el avance por época de ``esenciales entrenar``);
    ``wrap_fit(fit)`` devuelve otro ``fit`` (el paralelismo de datos de
    ``entrenar --procesos N`` reparte así modelo y datos).
    """
    spec = catalog.find_model(name)
    if spec is None:
        raise ValueError(f"Modelo desconocido: «{name}».")
    resolve_device(framework, device)
    training = framework_module(framework, "training")
    (x, y), (x_test, y_test) = load_data(spec, framework, limit=limit,
                                         seed=seed)
    training.set_seed(seed)
    model = spec.builder(framework)(**spec.kwargs)
    options = dict(epochs=epochs or spec.epochs,
                   batch_size=batch_size or spec.batch_size, seed=seed,
                   verbose=verbose, device=device)
    targets = (y,)
    if spec.loss:
        options.update(loss=spec.loss, metrics=spec.metrics,
                       callbacks=callbacks)
    else:  # el modelo trae su pérdida (VAE): fit_vae(model, x)
        targets = ()
    start = time.perf_counter()
    fit = getattr(training, spec.fit)
    if wrap_fit is not None:
        fit = wrap_fit(fit)
    history = fit(model, x, *targets, **options)
    seconds = time.perf_counter() - start
    test = {}
    if spec.loss:
        test = training.evaluate(
            model, x_test, y_test, batch_size=options["batch_size"],
            loss=spec.loss, metrics=spec.metrics, device=device)
    return TrainingResult(name, framework, model, _plain(history),
                          _plain(test), len(x), len(x_test) if test else 0,
                          seconds)


def _plain(metrics):
    """Convierte números de NumPy o de los frameworks a ``float``."""
    return {key: ([float(v) for v in value]
                  if isinstance(value, (list, tuple)) else float(value))
            for key, value in metrics.items()}


# --------------------------------------------------------------------------
# Guardar sin dejar archivos a medias


def weights_suffix(framework):
    """La terminación que exige el formato de pesos de cada framework."""
    return ".weights.h5" if framework == "keras" else ""


def save_weights(model, framework, path):
    """Guarda los pesos: ``.weights.h5`` de Keras o ``state_dict`` de
    PyTorch (``torch.save``).

    Un disco lleno es un ``OSError`` y nunca deja un temporal: Keras solo
    escribe si caben los pesos (h5py no sobrevive a una escritura
    fallida) y PyTorch serializa en memoria antes de escribir.
    """
    if framework == "keras":
        ensure_space(Path(path).resolve().parent, _keras_bytes(model))
        atomic_write(path, model.save_weights, weights_suffix("keras"))
    else:
        import io

        import torch

        buffer = io.BytesIO()
        torch.save(model.state_dict(), buffer)
        atomic_write(path, lambda tmp: tmp.write_bytes(buffer.getvalue()))


def _keras_bytes(model):
    """Lo que ocupa, con holgura, el ``.weights.h5`` de ``model``."""
    import numpy as np

    data = sum(int(np.prod(w.shape)) * np.dtype(w.dtype).itemsize
               for w in model.weights)
    return int(1.1 * data) + 64 * 1024


def save_history(result, path):
    """Guarda el historial y las cifras finales como JSON."""
    document = {
        "model": result.name,
        "framework": result.framework,
        "epochs": result.epochs,
        "n_train": result.n_train,
        "n_test": result.n_test,
        "seconds": result.seconds,
        "seconds_per_epoch": result.seconds_per_epoch,
        "history": result.history,
        "test": result.test,
    }
    write_json(path, document)


# --------------------------------------------------------------------------
# Entrenar una vez y guardar en caché


def trained_mnist_cnn(framework="keras", epochs=5, seed=0):
    """La CNN de MNIST de la clase entrenada ``epochs`` épocas (en caché).

    Salida: dict con ``model``, ``history``, ``test_accuracy`` y
    ``seconds_per_epoch`` (medidos en el entrenamiento original).
    Concepto: la «CNN para MNIST en 15 líneas», completa, en ambos marcos.
    """
    models = framework_module(framework, "models")

    def train():
        from esenciales.runs.experiments import train_mnist_cnn
        run = train_mnist_cnn(framework, epochs=epochs, seed=seed)
        record = {k: v for k, v in run.items() if k != "model"}
        return run["model"], record

    key = f"mnist_cnn-{framework}-e{epochs}-s{seed}"
    model, record = cached_model(key, framework, models.mnist_cnn, train)
    return {"model": model, **record}


def trained(name, framework="keras", *, epochs=None, limit=None, seed=0):
    """Un modelo del catálogo entrenado con ``train``, en caché.

    Es lo mismo que ``esenciales entrenar NAME`` en la terminal. Salida:
    dict con ``model``, ``history``, ``test`` (pérdida y exactitud de
    prueba), ``seconds``, ``n_train`` y ``n_test``.
    """
    spec = catalog.find_model(name)
    if spec is None:
        raise ValueError(f"Modelo desconocido: {name!r}.")

    def build():
        return spec.builder(framework)(**spec.kwargs)

    def train():
        run = train(name, framework, epochs=epochs, limit=limit,
                            seed=seed, verbose=0)
        return run.model, {"history": run.history, "test": run.test,
                           "seconds": run.seconds, "n_train": run.n_train,
                           "n_test": run.n_test}

    key = f"{name}-{framework}-e{epochs}-n{limit}-s{seed}"
    model, record = cached_model(key, framework, build, train)
    return {"model": model, **record}
