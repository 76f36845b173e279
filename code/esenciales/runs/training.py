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
import statistics
import time
import typing
from dataclasses import dataclass, field

import numpy as np

from esenciales import data as datasets
from esenciales.files import write_json
from esenciales.frameworks import (FRAMEWORK_NAMES, framework_module,
                                   resolve_device)
from esenciales.runs import progress, recipes
from esenciales.runs.cache import cached_json, cached_model, recipe_key
from esenciales.runs.schedules import warmup_cosine
from esenciales.spanish import metrics, number

RANDOM_SAMPLES = 6000
"""Ejemplos aleatorios del «MLP mínimo» de la clase (``(6000, 10)``)."""


@dataclass
class TrainingResult:
    """Lo que deja un entrenamiento: receta, modelo, historial y cifras.

    ``history`` tiene una lista por cifra, una entrada por época, con las
    claves de Keras (``loss``, ``accuracy``, ``val_loss``…); ``test``, la
    pérdida y la exactitud en el conjunto de prueba. ``n_train`` cuenta
    los ejemplos con que el modelo entrenó (sin los de validación, que
    son ``n_validation``). ``seconds`` es lo que tardó ``fit``;
    ``epoch_seconds``, lo que tardó cada época (los segundos de las
    líneas de avance); ``setup_seconds``, lo que pasó antes de la primera
    época: cargar los datos, construir el modelo, preparar ``fit``.
    """

    recipe: recipes.Recipe
    framework: str
    model: object
    history: dict
    test: dict
    n_train: int
    n_test: int
    seconds: float
    restored_epoch: typing.Optional[int] = None
    n_validation: int = 0
    epoch_seconds: list = field(default_factory=list)
    setup_seconds: typing.Optional[float] = None

    @classmethod
    def from_record(cls, record, recipe, model=None):
        """El resultado guardado por ``record()`` (con su modelo, si hay)."""
        return cls(recipe, record["framework"], model, record["history"],
                   record["test"], record["n_train"], record["n_test"],
                   record["seconds"], record.get("restored_epoch"),
                   record.get("n_validation", 0),
                   record.get("epoch_seconds", []),
                   record.get("setup_seconds"))

    @property
    def name(self):
        return self.recipe.name

    @property
    def epochs(self):
        return len(self.history.get("loss", ()))

    @property
    def seconds_per_epoch(self):
        """La media de ``epoch_seconds`` (sin la preparación)."""
        if self.epoch_seconds:
            return statistics.fmean(self.epoch_seconds)
        return self.seconds / max(self.epochs, 1)

    @property
    def best_epoch(self):
        """Época (desde 1) de menor pérdida de validación (o ``None``)."""
        val_loss = self.history.get("val_loss")
        if not val_loss:
            return None
        return 1 + min(range(len(val_loss)), key=val_loss.__getitem__)

    def record(self):
        """Todo menos el modelo, listo para JSON (caché, ``--json``)."""
        return {"model": self.name, "framework": self.framework,
                "recipe": self.recipe.as_dict(), "epochs": self.epochs,
                "n_train": self.n_train, "n_validation": self.n_validation,
                "n_test": self.n_test, "seconds": self.seconds,
                "seconds_per_epoch": self.seconds_per_epoch,
                "epoch_seconds": self.epoch_seconds,
                "setup_seconds": self.setup_seconds,
                "best_epoch": self.best_epoch,
                "restored_epoch": self.restored_epoch,
                "history": self.history, "test": self.test}

    def report(self):
        """Resumen en texto: pérdida, exactitud, ejemplos y segundos.

        Los ejemplos de entrenamiento son los que entrenaron (sin los de
        validación); los segundos por época, la media de las líneas de
        avance, con la preparación aparte.
        """
        last = {key: values[-1] for key, values in self.history.items()}
        validation = {key[len("val_"):]: value for key, value in
                      last.items() if key.startswith("val_")}
        lines = [f"Resumen: {self.name} · "
                 f"{FRAMEWORK_NAMES[self.framework]} · "
                 f"{_count(self.epochs, 'época', 'épocas')}"]
        for title, n, values in (("entrenamiento", self.n_train, last),
                                 ("validación", self.n_validation,
                                  validation),
                                 ("prueba", self.n_test, self.test)):
            if n and values:
                examples = _count(n, "ejemplo", "ejemplos")
                lines.append(f"  {title} ({examples}): {_figures(values)}")
        lines.append(f"  tiempo: {number(self.seconds_per_epoch, 2)} s por "
                     f"época{self._setup_text()}")
        return "\n".join(lines)

    def _setup_text(self):
        """« + 1,3 s de preparación» (el total, si no se midió)."""
        if self.setup_seconds is None:
            return f" ({number(self.seconds, 1)} s en total)"
        return f" + {number(self.setup_seconds, 1)} s de preparación"


def _count(n, one, many):
    """«1 época», «54 000 ejemplos»."""
    return f"{number(n)} {one if n == 1 else many}"


def _figures(values):
    """``pérdida 0,1234 · exactitud 97,50 %`` (sin exactitud si no hay)."""
    return metrics({key: values[key] for key in ("loss", "accuracy")
                    if key in values})


# --------------------------------------------------------------------------
# Datos de cada modelo: (x, y), (x_test, y_test), ya listos para el modelo

HELD_OUT = 10_000
"""Ejemplos del final del conjunto de entrenamiento que se apartan para
validar cuando la receta pide ``n_validation`` (en MNIST, del 50 000 en
adelante): ninguna receta entrena con ellos."""


@dataclass
class Data:
    """Los datos de una receta, ya preparados para el modelo.

    ``train`` y ``test``: pares ``(x, y)``; ``validation``: el par de
    validación apartado, o ``None`` (sin validación, o con
    ``validation_split``, que ``fit`` separa del entrenamiento).
    """

    train: tuple
    test: tuple
    validation: typing.Optional[tuple] = None


def _random_data(recipe, framework):
    """Los datos aleatorios del MLP mínimo: no hay nada que aprender."""
    rng = np.random.default_rng(recipe.seed)
    n = min(recipe.n_train or RANDOM_SAMPLES, RANDOM_SAMPLES)

    def draw(count):
        x = rng.random((count, 10)).astype("float32")
        return x, rng.integers(0, 2, size=(count, 1)).astype("float32")

    return Data(draw(n), draw(recipe.n_test or max(n // 6, 1)))


def _random_sum_data(recipe, framework):
    """Como ``_random_data``, pero la etiqueta sí depende de la entrada:
    ``y = 1`` si ``x₁ + x₂ > 1`` (el ejercicio del capítulo 6)."""
    data = _random_data(recipe, framework)

    def relabel(x):
        return x, (x[:, 0] + x[:, 1] > 1).astype("float32")[:, np.newaxis]

    return Data(relabel(data.train[0]), relabel(data.test[0]))


def select(recipe, train, test):
    """Los ejemplos que pide la receta, sin preparar.

    Aparta los ``n_validation`` ejemplos de validación (del final del
    entrenamiento), deja las clases ``digits`` (renumeradas desde 0) y
    toma ``n_train`` ejemplos de entrenamiento sorteados con la semilla:
    con la misma semilla, un subconjunto grande contiene al chico.
    Entrada y salida: pares ``(x, y)``; ``Data`` sin preparar.
    """
    (x, y), (x_test, y_test) = train, test
    validation = None
    if recipe.n_validation is not None:
        validation = _first(x[-HELD_OUT:], y[-HELD_OUT:], recipe,
                            recipe.n_validation)
        x, y = x[:-HELD_OUT], y[:-HELD_OUT]
    if recipe.n_train is not None:
        order = np.random.default_rng(recipe.seed).permutation(len(x))
        x, y = x[order], y[order]
    return Data(_first(x, y, recipe, recipe.n_train),
                _first(x_test, y_test, recipe, recipe.n_test), validation)


def _first(x, y, recipe, n):
    """Los primeros ``n`` ejemplos de las clases ``recipe.digits``."""
    if recipe.digits:
        keep = np.isin(y, recipe.digits)
        x, y = x[keep], np.searchsorted(recipe.digits, y[keep])
    n = len(x) if n is None else n
    if n > len(x):
        raise ValueError(f"Receta «{recipe.name}»: se pidieron {n} "
                         f"ejemplos, pero solo hay {len(x)}.")
    return x[:n], y[:n]


def _images(loader, prepare, recipe):
    """Carga, elige y prepara imágenes; etiquetas enteras."""
    data = select(recipe, *loader())

    def ready(pair):
        return None if pair is None else (prepare(pair[0]),
                                          pair[1].astype("int64"))

    return Data(ready(data.train), ready(data.test), ready(data.validation))


def _pad_to_32x32x3(x):
    """``(N, 28, 28)`` → ``(N, 32, 32, 3)``: 2 píxeles de relleno por lado
    y el canal gris repetido tres veces (la entrada de ``cnn()``)."""
    x = np.pad(x, ((0, 0), (2, 2), (2, 2)))
    return np.repeat(x[..., np.newaxis], 3, axis=-1)


def _mnist(recipe, framework):
    data = framework_module(framework, "data")
    return _images(datasets.load_mnist, data.prepare_images, recipe)


def _mnist_flat(recipe, framework):
    data = framework_module(framework, "data")
    return _images(datasets.load_mnist, data.prepare_vectors, recipe)


def _fashion_mnist32(recipe, framework):
    data = framework_module(framework, "data")
    return _images(datasets.load_fashion_mnist,
                   lambda x: data.prepare_images(_pad_to_32x32x3(x)),
                   recipe)


def _mnist_reconstruction(recipe, framework):
    data = _mnist_flat(recipe, framework)

    def itself(pair):
        return None if pair is None else (pair[0], pair[0])

    return Data(itself(data.train), itself(data.test),
                itself(data.validation))


def _imdb(recipe, framework):
    data = select(recipe, *datasets.load_imdb(num_words=recipes.IMDB_WORDS))

    def ready(pair):
        return None if pair is None else (
            datasets.pad_sequences(pair[0], recipes.IMDB_MAXLEN),
            pair[1].astype("float32")[:, np.newaxis])

    return Data(ready(data.train), ready(data.test), ready(data.validation))


DATA = {
    "random": _random_data,
    "random_sum": _random_sum_data,
    "mnist": _mnist,
    "mnist_flat": _mnist_flat,
    "fashion_mnist32": _fashion_mnist32,
    "mnist_reconstruction": _mnist_reconstruction,
    "imdb": _imdb,
}
"""Preparación de datos por nombre (el campo ``data`` de una receta)."""


def load_data(recipe, framework):
    """Los datos de entrenamiento, validación y prueba de ``recipe``.

    Salida: ``Data`` con los ejemplos que pide la receta (``select``), ya
    preparados para el modelo de ``framework``. Lanza ``DataError`` si el
    conjunto de datos no está y no se puede descargar.
    """
    return DATA[recipe.data](recipe, framework)


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


MODEL_MODULES = ("models", "regularization")
"""Dónde buscar el ``model`` de una receta, en cada gemelo."""


def build_model(recipe, framework, base=None):
    """El modelo de ``recipe`` sin entrenar.

    ``recipe.model`` es una función de ``esenciales.<framework>.models``
    o de ``.regularization``, con ``recipe.model_kwargs``. Con
    ``recipe.source``: la base convolucional de ``base`` (la receta de
    origen ya entrenada; ``trained`` si no se da), congelada, con una
    cabeza nueva de una salida por clase.
    """
    if recipe.source is not None:
        if base is None:
            base = trained(recipe.source, framework).model
        regularization = framework_module(framework, "regularization")
        return regularization.transfer_model(base, len(recipe.digits) or 10)
    for name in MODEL_MODULES:
        module = framework_module(framework, name)
        if hasattr(module, recipe.model):
            return getattr(module, recipe.model)(**recipe.model_kwargs)
    raise ValueError(f"Modelo desconocido: «{recipe.model}».")


def train(recipe, framework="keras", *, device="auto", verbose=0,
          callbacks=(), wrap_fit=None, listener=None):
    """Entrena la receta ``recipe`` (una ``Recipe`` o su nombre).

    Construye el modelo, lo entrena con ``fit`` del framework (o
    ``fit_vae``, si la pérdida es la ELBO) con todas las perillas de la
    receta y lo evalúa en el conjunto de prueba; con parada temprana, con
    los pesos de la época restaurada. ``callbacks`` se suman a los de la
    receta; ``listener`` recibe el avance de cada época (como
    ``progress.EpochLines``); ``wrap_fit(fit)`` permite envolver ``fit``
    (entrenamiento en paralelo). Salida: ``TrainingResult``.
    """
    started = time.perf_counter()
    recipe = recipes.get(recipe)
    resolve_device(framework, device)
    training = framework_module(framework, "training")
    data = load_data(recipe, framework)
    base = None if recipe.source is None else trained(recipe.source,
                                                      framework).model
    training.set_seed(recipe.seed)
    model = build_model(recipe, framework, base)
    fit = training.fit_vae if recipe.fits_with_elbo else training.fit
    if wrap_fit is not None:
        fit = wrap_fit(fit)
    (x, y), (x_test, y_test) = data.train, data.test
    n_fit = math.floor(len(x) * (1 - recipe.validation_split))
    n_validation = (len(x) - n_fit if data.validation is None
                    else len(data.validation[0]))
    stop = early_stopping(recipe, training)
    clock = progress.epoch_clock(framework, recipe.epochs, listener)
    options = dict(epochs=recipe.epochs, batch_size=recipe.batch_size,
                   optimizer=recipe.optimizer,
                   validation_split=recipe.validation_split,
                   schedule=learning_rate_schedule(recipe, n_fit),
                   callbacks=[*([stop] if stop else []), *callbacks, clock],
                   seed=recipe.seed, verbose=verbose, device=device)
    if data.validation is not None:
        options["validation_data"] = data.validation
    targets = () if recipe.fits_with_elbo else (y,)
    if not recipe.fits_with_elbo:
        options.update(loss=recipe.loss, metrics=recipe.metrics)
    start = time.perf_counter()
    history = fit(model, x, *targets, **options)
    seconds = time.perf_counter() - start
    test = {}
    if not recipe.fits_with_elbo:
        test = test_scores(recipe, framework, model, x_test, y_test, device)
    return TrainingResult(recipe, framework, model, _plain(history),
                          _plain(test), n_fit, len(x_test) if test else 0,
                          seconds, restored_epoch(stop), n_validation,
                          clock.seconds, _since(started, clock.first_start))


def _since(start, end):
    """Segundos de ``start`` a ``end`` (``None`` si ``end`` no llegó)."""
    return None if end is None else end - start


def early_stopping(recipe, training):
    """La parada temprana de la receta (si tiene ``patience``), que
    vigila la pérdida de validación y restaura los mejores pesos."""
    if recipe.patience is None:
        return None
    return training.EarlyStopping(monitor="val_loss",
                                  patience=recipe.patience,
                                  restore_best_weights=True)


def restored_epoch(stop):
    """Época (desde 1) cuyos pesos dejó la parada temprana ``stop``
    (``None`` sin parada temprana)."""
    return None if stop is None else int(stop.best_epoch) + 1


def test_scores(recipe, framework, model, x_test, y_test, device="auto"):
    """Pérdida y métricas en prueba, sin la penalización L2.

    ``evaluate`` de los dos frameworks suma la penalización de los pesos
    a la pérdida; aquí se resta, para que la pérdida de prueba sea solo
    la de los datos (comparable con y sin L2).
    """
    training = framework_module(framework, "training")
    regularization = framework_module(framework, "regularization")
    scores = training.evaluate(model, x_test, y_test,
                               batch_size=recipe.batch_size,
                               loss=recipe.loss, metrics=recipe.metrics,
                               device=device)
    penalty = regularization.regularization_loss(model)
    if hasattr(penalty, "detach"):  # un tensor de PyTorch con gradiente
        penalty = penalty.detach()
    scores["loss"] = float(scores["loss"]) - float(penalty)
    return scores


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

    def fresh():
        result = train(recipe, framework)
        return result.model, result.record()

    model, record = cached_model(recipe_key(recipe, framework), framework,
                                 lambda: build_model(recipe, framework),
                                 fresh)
    return TrainingResult.from_record(record, recipe, model)


def trained_record(recipe, framework="keras"):
    """Lo que dejó la receta entrenada, sin el modelo: ``record()``.

    La misma entrada de la caché que ``trained`` (sin leer los pesos);
    sirve para los experimentos, que entrenan muchas recetas y solo
    miran sus cifras. Salida: el diccionario de ``record()``.
    """
    recipe = recipes.get(recipe)
    return cached_json(recipe_key(recipe, framework),
                         lambda: train(recipe, framework).record())


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
