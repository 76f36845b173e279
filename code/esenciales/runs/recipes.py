"""Las recetas: cada perilla de cada entrenamiento del libro, a la vista.

Una receta dice todo lo que decide un entrenamiento: qué modelo, con qué
datos, cuántos ejemplos, qué optimizador, qué tasa de aprendizaje y qué
calendario, cuántas épocas, qué lote, cuánta validación, qué semilla. Los
capítulos, ``esenciales ejecutar`` y ``esenciales entrenar`` entrenan con
estas mismas recetas (``esenciales.runs.training.train``), y la caché de
resultados usa la receta completa como clave: cambiar una perilla aquí
vuelve a entrenar, sin subir versiones a mano.

Para variar una receta sin tocar este archivo::

    recipes.get("mnist_cnn").replace(learning_rate=1e-3, epochs=2)

(en la terminal: ``esenciales entrenar mnist_cnn --learning-rate 1e-3``).
Este módulo no importa ningún framework.
"""

import dataclasses
import difflib
import typing
from dataclasses import dataclass, field

IMDB_WORDS, IMDB_MAXLEN = 10_000, 200
"""Vocabulario y largo de las reseñas de IMDB (LSTM y Transformer)."""

SCHEDULES = ("constant", "warmup_cosine")
"""Calendarios de la tasa: fija, o calentamiento lineal + caída coseno."""

OPTIMIZERS = ("sgd", "adam", "rmsprop", "adagrad", "adamw", "nadam")
"""Optimizadores por nombre: los que entienden los dos gemelos."""

LOSSES = ("sparse_categorical_crossentropy", "categorical_crossentropy",
          "binary_crossentropy", "mse", "mean_squared_error", "elbo")
"""Pérdidas por nombre (de Keras); ``elbo`` es la del VAE."""

METRICS = ("accuracy",)
"""Métricas por nombre que calculan los dos gemelos."""


@dataclass(frozen=True)
class Recipe:
    """Todo lo que decide un entrenamiento, en un objeto inmutable.

    ``model`` es una función de ``esenciales.<framework>.models`` (o de
    ``.regularization``) y ``model_kwargs`` sus argumentos (``dropout``,
    ``l2``…); ``data`` nombra la preparación de datos de
    ``esenciales.runs.training.DATA``. ``n_train`` ejemplos de
    entrenamiento sorteados con la semilla (``None``: todos, en orden) y
    los primeros ``n_test`` de prueba; ``digits`` deja solo esas clases,
    renumeradas desde 0. La validación es ``validation_split`` (una
    fracción del entrenamiento) o ``n_validation`` ejemplos apartados al
    final del conjunto de entrenamiento, que nunca se entrenan. Con
    ``schedule="warmup_cosine"`` la tasa sube durante ``warmup_epochs``
    hasta ``learning_rate`` y baja como coseno hasta
    ``min_learning_rate``, lote a lote. ``patience``: parada temprana con
    los mejores pesos restaurados. ``source``: la receta (o su nombre)
    cuya base convolucional, ya entrenada, se congela y se reutiliza
    (transferencia). ``loss="elbo"``: el VAE, que se entrena con
    ``fit_vae`` y no tiene exactitud.
    """

    name: str
    description: str
    model: str
    data: str
    model_kwargs: dict = field(default_factory=dict)
    n_train: typing.Optional[int] = None
    n_test: typing.Optional[int] = None
    digits: tuple = ()
    validation_split: float = 0.0
    n_validation: typing.Optional[int] = None
    epochs: int = 5
    batch_size: int = 128
    optimizer: str = "adam"
    learning_rate: float = 1e-3
    schedule: str = "constant"
    warmup_epochs: float = 0.0
    min_learning_rate: float = 0.0
    loss: str = "sparse_categorical_crossentropy"
    metrics: tuple = ("accuracy",)
    patience: typing.Optional[int] = None
    source: typing.Optional["Recipe"] = None
    seed: int = 0

    def __post_init__(self):
        # Desde la terminal llegan textos: «--digits 5,6» y «--source
        # cnn_digits_0_4» se vuelven enteros y la receta de ese nombre.
        if isinstance(self.source, str):
            object.__setattr__(self, "source", get(self.source))
        if all(isinstance(d, str) and d.isdigit() for d in self.digits):
            object.__setattr__(self, "digits",
                               tuple(int(d) for d in self.digits))
        check(self)

    def replace(self, **overrides):
        """Una copia con otros valores: ``receta.replace(epochs=2)``.

        Los nombres y los tipos se comprueban: un campo mal escrito o un
        valor imposible da un ``ValueError`` en español.
        """
        unknown = sorted(set(overrides) - set(field_names()))
        if unknown:
            raise ValueError(
                f"La receta no tiene el campo «{unknown[0]}». Campos: "
                f"{', '.join(field_names())}.")
        return dataclasses.replace(self, **overrides)

    def as_dict(self):
        """La receta como diccionario listo para JSON."""
        record = dataclasses.asdict(self)
        record["metrics"] = list(self.metrics)
        record["digits"] = list(self.digits)
        if self.source is not None:
            record["source"] = self.source.as_dict()
        return record

    @property
    def fits_with_elbo(self):
        """¿Se entrena con ``fit_vae`` (el modelo trae su pérdida)?"""
        return self.loss == "elbo"


def field_names():
    """Los campos de una receta, en el orden en que se declaran."""
    return [f.name for f in dataclasses.fields(Recipe)]


OPTIONAL = ("n_train", "n_test", "n_validation", "patience", "source")
"""Campos que admiten ``None`` (todos los ejemplos; sin validación
apartada; sin parada temprana; sin transferencia)."""


def field_type(name):
    """El tipo de los valores de un campo: ``int``, ``float``, ``str``…

    ``source`` se escribe como texto: el nombre de una receta.
    """
    if name == "source":
        return str
    kind = typing.get_type_hints(Recipe)[name]
    return int if name in OPTIONAL else kind


def check(recipe):
    """Lanza ``ValueError`` en español si una perilla es imposible."""
    for name in field_names():
        value, kind = getattr(recipe, name), field_type(name)
        if name == "source":
            kind = Recipe
        if not (_is_a(value, kind) or (value is None and name in OPTIONAL)):
            raise ValueError(f"Receta «{recipe.name}»: {name} debe ser "
                             f"{_KIND_NAMES[kind]}; llegó {value!r}.")
        if kind in (int, float) and value is not None and value < 0:
            raise ValueError(f"Receta «{recipe.name}»: {name} no puede ser "
                             f"negativo; llegó {value!r}.")
    for name in ("epochs", "batch_size", "learning_rate", "n_train",
                 "n_test", "n_validation"):
        if getattr(recipe, name) == 0:
            raise ValueError(f"Receta «{recipe.name}»: {name} debe ser "
                             "mayor que 0.")
    if recipe.validation_split >= 1:
        raise ValueError(f"Receta «{recipe.name}»: validation_split es una "
                         f"fracción menor que 1; llegó "
                         f"{recipe.validation_split}.")
    if recipe.validation_split and recipe.n_validation is not None:
        raise ValueError(f"Receta «{recipe.name}»: la validación es "
                         "validation_split o n_validation, no las dos.")
    if not (all(_is_a(d, int) and 0 <= d <= 9 for d in recipe.digits)
            and list(recipe.digits) == sorted(set(recipe.digits))):
        raise ValueError(f"Receta «{recipe.name}»: digits son clases del "
                         f"0 al 9, en orden y sin repetir; llegó "
                         f"{recipe.digits!r}.")
    if recipe.patience is not None and not (recipe.validation_split
                                            or recipe.n_validation):
        raise ValueError(f"Receta «{recipe.name}»: la parada temprana "
                         "(patience) vigila la validación; pidan "
                         "validation_split o n_validation.")
    if recipe.schedule not in SCHEDULES:
        raise ValueError(f"Receta «{recipe.name}»: calendario desconocido "
                         f"«{recipe.schedule}». Opciones: "
                         f"{', '.join(SCHEDULES)}.")
    for name, value, options in (
            ("optimizer", recipe.optimizer, OPTIMIZERS),
            ("loss", recipe.loss, LOSSES),
            *(("metrics", metric, METRICS) for metric in recipe.metrics)):
        if value not in options:
            raise ValueError(f"Receta «{recipe.name}»: {name} desconocido "
                             f"«{value}». Opciones: {', '.join(options)}."
                             f"{_closest(value, options)}")
    if recipe.warmup_epochs > recipe.epochs:
        raise ValueError(f"Receta «{recipe.name}»: warmup_epochs "
                         f"({recipe.warmup_epochs}) supera epochs "
                         f"({recipe.epochs}).")


def _closest(value, options):
    """« ¿Quisieron decir «adam»?» si una opción se parece a ``value``."""
    close = difflib.get_close_matches(str(value), options, n=1)
    return f" ¿Quisieron decir «{close[0]}»?" if close else ""


def _is_a(value, kind):
    """``isinstance`` sin contar ``True`` como número; un entero es real."""
    if isinstance(value, bool):
        return False
    return isinstance(value, (int, float) if kind is float else kind)


_KIND_NAMES = {int: "un entero", float: "un número", str: "un texto",
               dict: "un diccionario", tuple: "una tupla",
               Recipe: "una receta o su nombre"}


# --------------------------------------------------------------------------
# Las recetas del libro. Cada una es lo que entrena un capítulo.

RECIPES = {recipe.name: recipe for recipe in (
    Recipe(name="mlp_minimal",
           description="El MLP mínimo de la clase, 10→32→1, sobre datos "
                       "aleatorios: no hay nada que aprender (cap. 6)",
           model="mlp_minimal", data="random",
           loss="binary_crossentropy",
           epochs=10, batch_size=64,
           optimizer="adam", learning_rate=1e-3),
    Recipe(name="mlp",
           description="MLP 784→128→64→10 sobre MNIST aplanado",
           model="mlp", data="mnist_flat",
           epochs=5, batch_size=128,
           optimizer="adam", learning_rate=1e-3),
    Recipe(name="mnist_cnn",
           description="La «CNN para MNIST en 15 líneas» de la clase, con "
                       "calentamiento y caída coseno (cap. 4, 6 y 7)",
           model="mnist_cnn", data="mnist", validation_split=0.1,
           epochs=5, batch_size=128,
           optimizer="adam", learning_rate=3e-3,
           schedule="warmup_cosine", warmup_epochs=1),
    Recipe(name="cnn",
           description="CNN para 32×32×3 sobre Fashion-MNIST, con relleno "
                       "a 32×32 y 3 canales iguales",
           model="cnn", data="fashion_mnist32",
           epochs=5, batch_size=128,
           optimizer="adam", learning_rate=1e-3),
    Recipe(name="lstm_classifier",
           description="LSTM sobre las 25 000 reseñas de IMDB (10 000 "
                       "palabras, 200 tokens)",
           model="lstm_classifier", model_kwargs={"vocab_size": IMDB_WORDS},
           data="imdb", loss="binary_crossentropy",
           epochs=2, batch_size=64,
           optimizer="adam", learning_rate=3e-3,
           schedule="warmup_cosine", warmup_epochs=0.2),
    Recipe(name="transformer_classifier",
           description="Transformer pequeño sobre las 25 000 reseñas de "
                       "IMDB",
           model="transformer_classifier",
           model_kwargs={"vocab_size": IMDB_WORDS, "maxlen": IMDB_MAXLEN},
           data="imdb", loss="binary_crossentropy",
           epochs=1, batch_size=64,
           optimizer="adam", learning_rate=3e-3,
           schedule="warmup_cosine", warmup_epochs=0.2),
    Recipe(name="autoencoder",
           description="Autoencoder 784→32→784 que reconstruye MNIST",
           model="autoencoder", data="mnist_reconstruction",
           loss="binary_crossentropy", metrics=(),
           epochs=5, batch_size=128,
           optimizer="adam", learning_rate=1e-3),
    Recipe(name="vae",
           description="Autoencoder variacional (ELBO) sobre MNIST",
           model="vae", data="mnist_reconstruction",
           loss="elbo", metrics=(),
           epochs=5, batch_size=128,
           optimizer="adam", learning_rate=1e-3),
    # Los regímenes del capítulo 5, donde cada técnica puede mostrarse:
    # la línea base de cada comparación (la técnica es un ``replace``).
    Recipe(name="mlp_overfitting",
           description="El MLP con 1000 dígitos y 30 épocas: memoriza "
                       "(cap. 5)",
           model="regularized_mlp", data="mnist_flat",
           n_train=1000, n_validation=2000,
           epochs=30, batch_size=64,
           optimizer="adam", learning_rate=1e-3),
    Recipe(name="cnn_small_data",
           description="La CNN con 500 imágenes: memoriza en pocas "
                       "épocas (cap. 5)",
           model="regularized_cnn", data="mnist",
           n_train=500, n_validation=300,
           epochs=30, batch_size=64,
           optimizer="adam", learning_rate=1e-3),
    Recipe(name="mlp_plain_sgd",
           description="El MLP con SGD simple, que avanza despacio "
                       "(cap. 5)",
           model="regularized_mlp", data="mnist_flat",
           n_train=2000, n_validation=2000,
           epochs=10, batch_size=64,
           optimizer="sgd", learning_rate=0.01),
    Recipe(name="mlp_high_rate",
           description="El MLP con Adam y una tasa alta, constante "
                       "(cap. 5)",
           model="regularized_mlp", data="mnist_flat",
           n_train=10_000, n_validation=2000,
           epochs=10, batch_size=128,
           optimizer="adam", learning_rate=0.01),
    Recipe(name="cnn_digits_0_4",
           description="La CNN con los dígitos 0–4: la base que se "
                       "transfiere (cap. 5)",
           model="regularized_cnn", data="mnist", digits=(0, 1, 2, 3, 4),
           n_train=10_000, n_validation=500,
           epochs=2, batch_size=64,
           optimizer="adam", learning_rate=1e-3),
    Recipe(name="cnn_digits_5_9",
           description="La CNN con solo 50 ejemplos de los dígitos 5–9 "
                       "(cap. 5)",
           model="regularized_cnn", data="mnist", digits=(5, 6, 7, 8, 9),
           n_train=50, n_validation=200,
           epochs=40, batch_size=16,
           optimizer="adam", learning_rate=1e-3),
)}
"""Todas las recetas, por nombre (el nombre es también el del modelo)."""


def from_dict(record):
    """La receta de ``recipe.as_dict()`` (por ejemplo, leída de JSON)."""
    source = record.get("source")
    return Recipe(**{**record, "metrics": tuple(record["metrics"]),
                     "digits": tuple(record.get("digits", ())),
                     "source": None if source is None
                     else from_dict(source)})


def names():
    """Los nombres de las recetas, en el orden del libro."""
    return list(RECIPES)


def get(name):
    """La receta ``name``; un nombre desconocido da ``ValueError``."""
    if isinstance(name, Recipe):
        return name
    try:
        return RECIPES[name]
    except KeyError:
        raise ValueError(f"Receta desconocida: «{name}». Opciones: "
                         f"{', '.join(RECIPES)}.") from None
