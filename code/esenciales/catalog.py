"""El catálogo de lo que el libro ejecuta: capítulos, ejemplos y modelos.

Cada entrada es un registro declarativo que apunta, por su ruta con puntos,
a la función del paquete que llaman las celdas del libro: aquí no se repite
código. Este módulo no importa ningún framework; la función se importa solo
al ejecutarla, para que ``esenciales --help`` responda al instante.
"""

import importlib
from dataclasses import dataclass, field
from types import MappingProxyType

FRAMEWORKS = ("keras", "torch")

IMDB_WORDS, IMDB_MAXLEN = 10_000, 200
"""Vocabulario y largo de las reseñas de IMDB para el LSTM y el Transformer.
"""


def _frozen(mapping=None):
    """Un diccionario de solo lectura (los registros son inmutables)."""
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class Example:
    """Un ejemplo ejecutable: la función del libro y sus argumentos.

    ``target`` es ``"modulo:funcion"``; si contiene ``{framework}``, el
    ejemplo existe en Keras y en PyTorch con el mismo nombre.
    """

    name: str
    description: str
    target: str
    kwargs: MappingProxyType = field(default_factory=_frozen)

    @property
    def frameworks(self):
        """Los frameworks del ejemplo; vacío si no depende de ninguno."""
        return FRAMEWORKS if "{framework}" in self.target else ()

    def resolve(self, framework=None):
        """Importa y devuelve la función a la que apunta el registro."""
        module_name, _, attr = self.target.format(
            framework=framework).partition(":")
        return getattr(importlib.import_module(module_name), attr)


@dataclass(frozen=True)
class Chapter:
    """Un capítulo del libro y los ejemplos que se pueden correr."""

    number: int
    slug: str
    title: str
    examples: tuple = ()

    def example(self, name):
        """El ejemplo llamado ``name``, o ``None`` si no existe."""
        return next((e for e in self.examples if e.name == name), None)


@dataclass(frozen=True)
class ModelSpec:
    """Un modelo entrenable por nombre: su constructor y sus datos.

    ``data`` nombra la preparación de datos de ``esenciales.trainer``;
    ``loss`` y ``metrics`` se pasan tal cual a ``training.fit``.
    """

    name: str
    description: str
    data: str
    loss: str = "sparse_categorical_crossentropy"
    metrics: tuple = ("accuracy",)
    epochs: int = 5
    batch_size: int = 128
    kwargs: MappingProxyType = field(default_factory=_frozen)

    def builder(self, framework):
        """El constructor del modelo en ``esenciales.<framework>.models``."""
        module = importlib.import_module(f"esenciales.{framework}.models")
        return getattr(module, self.name)


CHAPTERS = (
    Chapter(1, "ia", "IA, ML y Deep Learning"),
    Chapter(2, "panorama", "Panorama general"),
    Chapter(3, "redes", "Redes neuronales"),
    Chapter(4, "cnn", "CNN en detalle"),
    Chapter(5, "regularizacion", "Regularización y mejora de modelos"),
    Chapter(6, "ejemplos", "Ejemplos en Keras (y en PyTorch)"),
    Chapter(7, "conclusiones", "Conclusiones"),
)

MODELS = (
    ModelSpec("mlp_minimal",
              "MLP mínimo 10→32→1 sobre datos aleatorios (clase, cap. 6)",
              data="random", loss="binary_crossentropy", epochs=10,
              batch_size=64),
    ModelSpec("mlp", "MLP 784→128→64→10 sobre MNIST aplanado",
              data="mnist_flat"),
    ModelSpec("mnist_cnn", "La CNN de la clase para MNIST (28×28×1)",
              data="mnist"),
    ModelSpec("cnn",
              "CNN para 32×32×3, sobre Fashion-MNIST con relleno a 32×32 "
              "y 3 canales iguales", data="fashion_mnist32"),
    ModelSpec("lstm_classifier",
              "LSTM sobre reseñas de IMDB (10 000 palabras, 200 tokens)",
              data="imdb", loss="binary_crossentropy", epochs=2,
              batch_size=64, kwargs=_frozen({"vocab_size": IMDB_WORDS})),
    ModelSpec("transformer_classifier",
              "Transformer pequeño sobre reseñas de IMDB",
              data="imdb", loss="binary_crossentropy", epochs=2,
              batch_size=64,
              kwargs=_frozen({"vocab_size": IMDB_WORDS,
                              "maxlen": IMDB_MAXLEN})),
    ModelSpec("autoencoder", "Autoencoder 784→32→784 que reconstruye MNIST",
              data="mnist_reconstruction", loss="binary_crossentropy",
              metrics=()),
)


def find_chapter(key):
    """El capítulo por número (``"6"``) o por nombre corto (``"ejemplos"``).

    Devuelve ``None`` si no existe.
    """
    key = str(key).strip().lower()
    return next((c for c in CHAPTERS
                 if key in (str(c.number), f"{c.number:02d}", c.slug)), None)


def find_model(name):
    """El registro del modelo entrenable ``name``, o ``None``."""
    return next((m for m in MODELS if m.name == name), None)
