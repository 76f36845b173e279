"""Entrenar una receta del libro, en Keras o en PyTorch.

Es lo que hacen los capítulos, ``esenciales ejecutar`` y ``esenciales
entrenar``: toma una receta de ``esenciales.runs.recipes`` (todas las
perillas a la vista), prepara sus datos, construye el modelo con
``esenciales.<framework>.models`` y lo entrena con
``esenciales.<framework>.training.fit``, las mismas funciones que muestran
los capítulos. ``trained`` hace lo mismo una sola vez y guarda el resultado
en la caché, con la receta como clave. Guarda pesos e historial de forma
atómica (``esenciales.files``): nunca queda un archivo a medias.
"""

import math
import time
from dataclasses import dataclass

import numpy as np

from esenciales import data as datasets
from esenciales.files import write_json
from esenciales.frameworks import (FRAMEWORK_NAMES, framework_module,
                                   resolve_device)
from esenciales.runs import recipes
from esenciales.runs.cache import cached_model, recipe_key
from esenciales.runs.schedules import warmup_cosine
from esenciales.spanish import number, percent

RANDOM_SAMPLES = 6000
"""Ejemplos aleatorios del «MLP mínimo» de la clase (``(6000, 10)``)."""


@dataclass
class TrainingResult:
    """Lo que deja un entrenamiento: receta, modelo, historial y cifras.

    ``history`` tiene una lista por cifra, una entrada por época, con las
    claves de Keras (``loss``, ``accuracy``, ``val_loss``…); ``test``, la
    pérdida y la exactitud en el conjunto de prueba.
    """

    recipe: recipes.Recipe
    framework: str
    model: object
    history: dict
    test: dict
    n_train: int
    n_test: int
    seconds: float

    @property
    def name(self):
        return self.recipe.name

    @property
    def epochs(self):
        return len(self.history.get("loss", ()))

    @property
    def seconds_per_epoch(self):
        return self.seconds / max(self.epochs, 1)

    def record(self):
        """Todo menos el modelo, listo para JSON (caché, ``--json``)."""
        return {"model": self.name, "framework": self.framework,
                "recipe": self.recipe.as_dict(), "epochs": self.epochs,
                "n_train": self.n_train, "n_test": self.n_test,
                "seconds": self.seconds,
                "seconds_per_epoch": self.seconds_per_epoch,
                "history": self.history, "test": self.test}

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


def _random_data(framework, n_train, n_test, seed):
    """Los datos aleatorios del MLP mínimo: no hay nada que aprender."""
    rng = np.random.default_rng(seed)
    n = min(n_train or RANDOM_SAMPLES, RANDOM_SAMPLES)

    def draw(count):
        x = rng.random((count, 10)).astype("float32")
        return x, rng.integers(0, 2, size=(count, 1)).astype("float32")

    return draw(n), draw(n_test or max(n // 6, 1))


def _images(loader, prepare, n_train, n_test):
    """Carga, recorta y prepara imágenes y etiquetas enteras."""
    (x, y), (x_test, y_test) = loader()
    x, y = x[:n_train], y[:n_train]
    x_test, y_test = x_test[:n_test], y_test[:n_test]
    return ((prepare(x), y.astype("int64")),
            (prepare(x_test), y_test.astype("int64")))


def _pad_to_32x32x3(x):
    """``(N, 28, 28)`` → ``(N, 32, 32, 3)``: 2 píxeles de relleno por lado
    y el canal gris repetido tres veces (la entrada de ``cnn()``)."""
    x = np.pad(x, ((0, 0), (2, 2), (2, 2)))
    return np.repeat(x[..., np.newaxis], 3, axis=-1)


def _mnist(framework, n_train, n_test, seed):
    data = framework_module(framework, "data")
    return _images(datasets.load_mnist, data.prepare_images, n_train, n_test)


def _mnist_flat(framework, n_train, n_test, seed):
    data = framework_module(framework, "data")
    return _images(datasets.load_mnist, data.prepare_vectors, n_train,
                   n_test)


def _fashion_mnist32(framework, n_train, n_test, seed):
    data = framework_module(framework, "data")
    return _images(datasets.load_fashion_mnist,
                   lambda x: data.prepare_images(_pad_to_32x32x3(x)),
                   n_train, n_test)


def _mnist_reconstruction(framework, n_train, n_test, seed):
    (x, _), (x_test, _) = _mnist_flat(framework, n_train, n_test, seed)
    return (x, x), (x_test, x_test)


def _imdb(framework, n_train, n_test, seed):
    (x, y), (x_test, y_test) = datasets.load_imdb(
        num_words=recipes.IMDB_WORDS)

    def prepare(xs, ys, n):
        xs, ys = xs[:n], ys[:n]
        return (datasets.pad_sequences(xs, recipes.IMDB_MAXLEN),
                ys.astype("float32")[:, np.newaxis])

    return prepare(x, y, n_train), prepare(x_test, y_test, n_test)


DATA = {
    "random": _random_data,
    "mnist": _mnist,
    "mnist_flat": _mnist_flat,
    "fashion_mnist32": _fashion_mnist32,
    "mnist_reconstruction": _mnist_reconstruction,
    "imdb": _imdb,
}
"""Preparación de datos por nombre (el campo ``data`` de una receta)."""


def load_data(recipe, framework):
    """Los datos de entrenamiento y de prueba de ``recipe``, ya preparados.

    Salida: ``(x, y), (x_test, y_test)`` con los primeros ``n_train`` y
    ``n_test`` ejemplos (todos si son ``None``). Lanza ``DataError`` si el
    conjunto de datos no está y no se puede descargar.
    """
    return DATA[recipe.data](framework, recipe.n_train, recipe.n_test,
                             recipe.seed)


# --------------------------------------------------------------------------
# Entrenar


def learning_rate_schedule(recipe, n_examples):
    """La tasa de aprendizaje de cada lote, como función ``paso → tasa``.

    Con ``schedule="warmup_cosine"``, el calentamiento dura
    ``warmup_epochs`` épocas y el coseno llega a ``min_learning_rate`` en
    el último lote; con ``"constant"``, la tasa es siempre la misma.
    ``n_examples`` cuenta los ejemplos de entrenamiento, sin validación.
    """
    if recipe.schedule == "constant":
        return lambda step: recipe.learning_rate
    steps_per_epoch = math.ceil(n_examples / recipe.batch_size)
    warmup = max(1, round(recipe.warmup_epochs * steps_per_epoch))
    total = recipe.epochs * steps_per_epoch
    return lambda step: warmup_cosine(step, recipe.learning_rate, warmup,
                                      total, recipe.min_learning_rate)


def train(recipe, framework="keras", *, device="auto", verbose=0,
          callbacks=(), wrap_fit=None):
    """Entrena la receta ``recipe`` (una ``Recipe`` o su nombre).

    Construye el modelo, lo entrena con ``fit`` del framework (o
    ``fit_vae``, si la pérdida es la ELBO) con todas las perillas de la
    receta y lo evalúa en el conjunto de prueba. ``callbacks`` se suman a
    los de la receta (avance, por ejemplo); ``wrap_fit(fit)`` permite
    envolver ``fit`` (entrenamiento en paralelo). Salida:
    ``TrainingResult``.
    """
    recipe = recipes.get(recipe)
    resolve_device(framework, device)
    models = framework_module(framework, "models")
    training = framework_module(framework, "training")
    (x, y), (x_test, y_test) = load_data(recipe, framework)
    training.set_seed(recipe.seed)
    model = getattr(models, recipe.model)(**recipe.model_kwargs)
    fit = training.fit_vae if recipe.fits_with_elbo else training.fit
    if wrap_fit is not None:
        fit = wrap_fit(fit)
    n_fit = math.floor(len(x) * (1 - recipe.validation_split))
    options = dict(epochs=recipe.epochs, batch_size=recipe.batch_size,
                   optimizer=recipe.optimizer,
                   validation_split=recipe.validation_split,
                   schedule=learning_rate_schedule(recipe, n_fit),
                   callbacks=[*_recipe_callbacks(recipe, training),
                              *callbacks],
                   seed=recipe.seed, verbose=verbose, device=device)
    targets = () if recipe.fits_with_elbo else (y,)
    if not recipe.fits_with_elbo:
        options.update(loss=recipe.loss, metrics=recipe.metrics)
    start = time.perf_counter()
    history = fit(model, x, *targets, **options)
    seconds = time.perf_counter() - start
    test = {}
    if not recipe.fits_with_elbo:
        test = training.evaluate(
            model, x_test, y_test, batch_size=recipe.batch_size,
            loss=recipe.loss, metrics=recipe.metrics, device=device)
    return TrainingResult(recipe, framework, model, _plain(history),
                          _plain(test), len(x), len(x_test) if test else 0,
                          seconds)


def _recipe_callbacks(recipe, training):
    """Parada temprana si la receta tiene ``patience``."""
    if recipe.patience is None:
        return []
    return [training.EarlyStopping(monitor="val_loss",
                                   patience=recipe.patience,
                                   restore_best_weights=True)]


def _plain(metrics):
    """Convierte números de NumPy o de los frameworks a ``float``."""
    return {key: ([float(v) for v in value]
                  if isinstance(value, (list, tuple)) else float(value))
            for key, value in metrics.items()}


def trained(recipe, framework="keras"):
    """La receta entrenada una sola vez; después, leída de la caché.

    Es ``train(recipe, framework)`` con el resultado (pesos y registro)
    guardado bajo ``cache.recipe_key``: cambiar una perilla de la receta o
    el código que entrena vuelve a entrenar. Salida: ``TrainingResult``
    (``seconds`` es el tiempo del entrenamiento original).
    """
    recipe = recipes.get(recipe)
    models = framework_module(framework, "models")

    def build():
        return getattr(models, recipe.model)(**recipe.model_kwargs)

    def fresh():
        result = train(recipe, framework)
        return result.model, result.record()

    model, record = cached_model(recipe_key(recipe, framework), framework,
                                 build, fresh)
    return TrainingResult(recipe, framework, model, record["history"],
                          record["test"], record["n_train"],
                          record["n_test"], record["seconds"])


# --------------------------------------------------------------------------
# Guardar sin dejar archivos a medias


def save_weights(model, framework, path):
    """Guarda los pesos como lo decide cada gemelo (``<fw>/weights.py``):
    ``.weights.h5`` de Keras o ``state_dict`` de PyTorch. Atómico; un
    disco lleno es un ``OSError`` y no deja temporales."""
    framework_module(framework, "weights").save_weights(model, path)


def save_history(result, path):
    """Guarda el registro del entrenamiento (``result.record()``) en JSON."""
    write_json(path, result.record())
