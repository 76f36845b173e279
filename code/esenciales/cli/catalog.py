"""El catálogo del comando: los capítulos del libro y dónde está cada uno.

``esenciales ejecutar N`` corre las celdas del capítulo N tal como están en
su archivo MyST (ver ``esenciales.cli.chapters``): aquí no se repite nada
de lo que hacen. El archivo se busca primero entre los datos del paquete
instalado (``esenciales/libro/``, que ``make dist`` copia) y, si no está
ahí, en la carpeta ``book/`` del repositorio. ``ESENCIALES_LIBRO`` elige
otra carpeta. Este módulo no importa ningún framework.
"""

import importlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

IMDB_WORDS, IMDB_MAXLEN = 10_000, 200
"""Vocabulario y largo de las reseñas de IMDB para el LSTM y el Transformer.
"""

BOOK_ENV_VAR = "ESENCIALES_LIBRO"
"""Variable de entorno con otra carpeta de capítulos (un libro editado)."""


def _frozen(mapping=None):
    """Un diccionario de solo lectura (los registros son inmutables)."""
    return MappingProxyType(dict(mapping or {}))


@dataclass(frozen=True)
class Chapter:
    """Un capítulo del libro: número, nombre corto, título y archivo."""

    number: int
    slug: str
    title: str
    filename: str


CHAPTERS = (
    Chapter(1, "ia", "IA, ML y Deep Learning", "01_ia_ml_dl.md"),
    Chapter(2, "panorama", "Panorama general", "02_panorama.md"),
    Chapter(3, "redes", "Redes neuronales", "03_redes_neuronales.md"),
    Chapter(4, "cnn", "CNN en detalle", "04_cnn.md"),
    Chapter(5, "regularizacion", "Regularización y mejora de modelos",
            "05_regularizacion.md"),
    Chapter(6, "ejemplos", "Ejemplos en Keras (y en PyTorch)",
            "06_ejemplos.md"),
    Chapter(7, "conclusiones", "Conclusiones", "07_conclusiones.md"),
)


def book_folders():
    """Dónde se buscan los capítulos, en orden."""
    package = Path(__file__).resolve().parents[1]
    folders = [package / "libro", package.parents[1] / "book"]
    if os.environ.get(BOOK_ENV_VAR):
        folders.insert(0, Path(os.environ[BOOK_ENV_VAR]))
    return folders


def chapter_source(chapter):
    """La ruta del archivo MyST de ``chapter`` (un ``Chapter``).

    Lanza ``FileNotFoundError`` con un mensaje en español si no está en
    ninguna de las carpetas de ``book_folders()``.
    """
    folders = book_folders()
    for folder in folders:
        path = folder / chapter.filename
        if path.is_file():
            return path
    looked = ", ".join(str(f) for f in folders)
    raise FileNotFoundError(
        f"No se encontró el capítulo «{chapter.filename}» (se buscó en "
        f"{looked}); reinstalen el paquete o definan {BOOK_ENV_VAR} con la "
        "carpeta de los capítulos.")


@dataclass(frozen=True)
class ModelSpec:
    """Un modelo entrenable por nombre: su constructor y sus datos.

    ``data`` nombra la preparación de datos de ``esenciales.runs.training``;
    ``fit`` es la función de ``training`` que lo entrena, con ``loss`` y
    ``metrics`` tal cual; ``loss=None``: el modelo trae su pérdida (el
    VAE y su ELBO, con ``training.fit_vae``) y no hay evaluación.
    """

    name: str
    description: str
    data: str
    loss: "str | None" = "sparse_categorical_crossentropy"
    metrics: tuple = ("accuracy",)
    epochs: int = 5
    batch_size: int = 128
    kwargs: MappingProxyType = field(default_factory=_frozen)
    fit: str = "fit"

    def builder(self, framework):
        """El constructor del modelo en ``esenciales.<framework>.models``."""
        module = importlib.import_module(f"esenciales.{framework}.models")
        return getattr(module, self.name)


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
    ModelSpec("vae", "Autoencoder variacional (ELBO) sobre MNIST",
              data="mnist_reconstruction", loss=None, metrics=(),
              epochs=10, fit="fit_vae"),
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
