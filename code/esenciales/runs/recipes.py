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
import typing
from dataclasses import dataclass, field

IMDB_WORDS, IMDB_MAXLEN = 10_000, 200
"""Vocabulario y largo de las reseñas de IMDB (LSTM y Transformer)."""

SCHEDULES = ("constant", "warmup_cosine")
"""Calendarios de la tasa: fija, o calentamiento lineal + caída coseno."""


@dataclass(frozen=True)
class Recipe:
    """Todo lo que decide un entrenamiento, en un objeto inmutable.

    ``model`` es una función de ``esenciales.<framework>.models`` y
    ``model_kwargs`` sus argumentos; ``data`` nombra la preparación de
    datos de ``esenciales.runs.training.DATA``. ``n_train`` y ``n_test``
    recortan los conjuntos de entrenamiento y de prueba (``None``: todos). Con ``schedule="warmup_cosine"`` la tasa sube durante
    ``warmup_epochs`` hasta ``learning_rate`` y baja como coseno hasta
    ``min_learning_rate``, lote a lote. ``loss="elbo"``: el VAE, que se
    entrena con ``fit_vae`` y no tiene exactitud.
    """

    name: str
    description: str
    model: str
    data: str
    model_kwargs: dict = field(default_factory=dict)
    n_train: typing.Optional[int] = None
    n_test: typing.Optional[int] = None
    validation_split: float = 0.0
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
    seed: int = 0

    def __post_init__(self):
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
        return record

    @property
    def fits_with_elbo(self):
        """¿Se entrena con ``fit_vae`` (el modelo trae su pérdida)?"""
        return self.loss == "elbo"


def field_names():
    """Los campos de una receta, en el orden en que se declaran."""
    return [f.name for f in dataclasses.fields(Recipe)]


OPTIONAL = ("n_train", "n_test", "patience")
"""Campos que admiten ``None`` (todos los ejemplos; sin parada temprana)."""


def field_type(name):
    """El tipo de los valores de un campo: ``int``, ``float``, ``str``…"""
    kind = typing.get_type_hints(Recipe)[name]
    return int if name in OPTIONAL else kind


def check(recipe):
    """Lanza ``ValueError`` en español si una perilla es imposible."""
    for name in field_names():
        value, kind = getattr(recipe, name), field_type(name)
        if not (_is_a(value, kind) or (value is None and name in OPTIONAL)):
            raise ValueError(f"Receta «{recipe.name}»: {name} debe ser "
                             f"{_KIND_NAMES[kind]}; llegó {value!r}.")
        if kind in (int, float) and value is not None and value < 0:
            raise ValueError(f"Receta «{recipe.name}»: {name} no puede ser "
                             f"negativo; llegó {value!r}.")
    for name in ("epochs", "batch_size", "learning_rate", "n_train",
                 "n_test"):
        if getattr(recipe, name) == 0:
            raise ValueError(f"Receta «{recipe.name}»: {name} debe ser "
                             "mayor que 0.")
    if recipe.validation_split >= 1:
        raise ValueError(f"Receta «{recipe.name}»: validation_split es una "
                         f"fracción menor que 1; llegó "
                         f"{recipe.validation_split}.")
    if recipe.schedule not in SCHEDULES:
        raise ValueError(f"Receta «{recipe.name}»: calendario desconocido "
                         f"«{recipe.schedule}». Opciones: "
                         f"{', '.join(SCHEDULES)}.")
    if recipe.warmup_epochs > recipe.epochs:
        raise ValueError(f"Receta «{recipe.name}»: warmup_epochs "
                         f"({recipe.warmup_epochs}) supera epochs "
                         f"({recipe.epochs}).")


def _is_a(value, kind):
    """``isinstance`` sin contar ``True`` como número; un entero es real."""
    if isinstance(value, bool):
        return False
    return isinstance(value, (int, float) if kind is float else kind)


_KIND_NAMES = {int: "un entero", float: "un número", str: "un texto",
               dict: "un diccionario", tuple: "una tupla"}


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
)}
"""Todas las recetas, por nombre (el nombre es también el del modelo)."""


def from_dict(record):
    """La receta de ``recipe.as_dict()`` (por ejemplo, leída de JSON)."""
    return Recipe(**{**record, "metrics": tuple(record["metrics"])})


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
