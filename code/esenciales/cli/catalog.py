"""El catálogo de lo que el libro ejecuta: capítulos, ejemplos y modelos.

Cada entrada es un registro declarativo que apunta, por su ruta con puntos,
a la función del paquete que llaman las celdas del libro: aquí no se repite
código. Este módulo no importa ningún framework; la función se importa solo
al ejecutarla, para que ``esenciales --help`` responda al instante.
"""

import importlib
from dataclasses import dataclass, field
from types import MappingProxyType

from esenciales.frameworks import FRAMEWORKS

IMDB_WORDS, IMDB_MAXLEN = 10_000, 200
"""Vocabulario y largo de las reseñas de IMDB para el LSTM y el Transformer.
"""


def _frozen(mapping=None):
    """Un diccionario de solo lectura (los registros son inmutables)."""
    return MappingProxyType(dict(mapping or {}))


def import_target(target, framework):
    """Importa la función ``"modulo:funcion"`` (con ``{framework}``)."""
    module_name, _, attr = target.replace(
        "{framework}", str(framework)).partition(":")
    return getattr(importlib.import_module(module_name), attr)


def _value(value, framework):
    """Un argumento listo: una ``Call`` se ejecuta y en un texto
    ``{framework}`` se reemplaza por el framework elegido."""
    if isinstance(value, Call):
        return value.run(framework)
    if isinstance(value, str):
        return value.replace("{framework}", str(framework))
    return value


def _uses_framework(value):
    if isinstance(value, Call):
        return value.uses_framework
    return isinstance(value, str) and "{framework}" in value


@dataclass(frozen=True)
class Call:
    """Una llamada ``target(**kwargs)`` cuyo resultado es un argumento.

    ``args``, si se da, es otra ``Call`` cuyo resultado (una tupla) se
    pasa como argumentos posicionales: ``f(*datos())``.
    """

    target: str
    kwargs: MappingProxyType = field(default_factory=_frozen)
    args: "Call | None" = None

    @property
    def uses_framework(self):
        return any(_uses_framework(v) for v in (
            self.target, self.args, *self.kwargs.values()))

    def run(self, framework=None):
        """Importa la función, arma sus argumentos y la llama."""
        args = self.args.run(framework) if self.args else ()
        kwargs = {k: _value(v, framework) for k, v in self.kwargs.items()}
        return import_target(self.target, framework)(*args, **kwargs)


@dataclass(frozen=True)
class Example:
    """Un ejemplo ejecutable: la función del libro y sus argumentos.

    Si ``{framework}`` aparece en ``call`` (en la ruta o en un argumento),
    el ejemplo existe en Keras y en PyTorch con el mismo nombre.
    """

    name: str
    description: str
    call: Call

    @property
    def frameworks(self):
        """Los frameworks del ejemplo; vacío si no depende de ninguno."""
        return FRAMEWORKS if self.call.uses_framework else ()

    def resolve(self, framework=None):
        """Importa y devuelve la función principal del ejemplo."""
        return import_target(self.call.target, framework)

    def run(self, framework=None):
        """Ejecuta el ejemplo y devuelve su resultado."""
        return self.call.run(framework)


def example(name, description, target, args=None, /, **kwargs):
    """Atajo para declarar un :class:`Example` en una línea."""
    return Example(name, description, Call(target, _frozen(kwargs), args))


def summary(name, description, model, /, **kwargs):
    """Ejemplo que muestra capas y parámetros de un modelo del libro."""
    build = Call(f"esenciales.{{framework}}.models:{model}", _frozen(kwargs))
    return example(name, description,
                   "esenciales.{framework}.models:summary", model=build)


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


def _figure(name, description, function):
    return example(name, "Figura: " + description, f"esenciales.figures.{function}")


def _regularization(name, description, experiment):
    """Un experimento del capítulo 5, con la caché que usa el libro."""
    return example(name, description + " (minutos la primera vez)",
                   "esenciales.runs.experiments:cached_experiment",
                   name=experiment, framework="{framework}")


def _trained(name, description, model, **kwargs):
    """Un modelo del capítulo 6 entrenado con la caché que usa el libro."""
    return example(name, description + " (minutos la primera vez)",
                   "esenciales.runs.training:trained", name=model,
                   framework="{framework}", **kwargs)


CHAPTERS = (
    Chapter(1, "ia", "IA, ML y Deep Learning", (
        _figure("anidamiento", "IA ⊃ ML ⊃ DL", "plots:ai_ml_dl_nesting"),
        example("reglas", "Sistema experto frente a un árbol que aprende "
                "sus reglas (iris)",
                "esenciales.scratch.classic:rules_vs_learning",
                seed=0),
        example("minimax", "Valor del gato y nodos de Minimax sin poda",
                "esenciales.scratch.classic:count_minimax_nodes",
                prune=False),
        example("alfabeta", "Lo mismo con la poda alfa-beta",
                "esenciales.scratch.classic:count_minimax_nodes",
                prune=True),
        example("clasicos", "Cinco modelos clásicos sobre los dígitos 8×8",
                "esenciales.scratch.classic:compare_classical",
                Call("esenciales.scratch.classic:load_digits_data"), seed=0),
    )),
    Chapter(2, "panorama", "Panorama general", (
        example("datos_vs_rendimiento", "Exactitud de modelos clásicos y "
                "profundos según la cantidad de datos (minutos)",
                "esenciales.runs.experiments:data_vs_performance",
                sizes=(100, 300, 1000, 3000), framework="torch",
                n_test=2000, seed=0),
        _figure("memoria", "jerarquía de memoria de CPU, GPU y TPU",
                "plots:memory_hierarchy"),
        _figure("primitiva", "la operación básica de CPU, GPU y TPU",
                "plots:compute_primitive"),
        _figure("paralelismo", "paralelismo de datos y de modelo",
                "plots:parallelism"),
        _figure("paradigmas", "tipos de aprendizaje",
                "plots:learning_paradigms"),
    )),
    Chapter(3, "redes", "Redes neuronales", (
        _figure("figura_neurona", "la neurona artificial", "plots:neuron"),
        _figure("figura_red", "una red densa", "plots:dense_network"),
        _figure("activaciones", "funciones de activación y derivadas",
                "plots:activation_functions"),
        _figure("desvanecimiento", "el gradiente que se desvanece",
                "plots:vanishing_gradient"),
        _figure("ciclo", "el ciclo de entrenamiento",
                "plots:training_pipeline"),
        summary("neurona", "Una neurona: Dense(1) con 3 entradas", "neuron",
                n_features=3),
        summary("mlp", "MLP 784→128→64→10", "mlp"),
        summary("lstm", "LSTM para clasificar reseñas", "lstm_classifier",
                vocab_size=IMDB_WORDS),
        summary("autoencoder", "Autoencoder 784→32→784", "autoencoder"),
        summary("vae", "Autoencoder variacional con espacio latente 2-D",
                "vae"),
        summary("transformer", "Transformer pequeño para reseñas",
                "transformer_classifier", vocab_size=IMDB_WORDS,
                maxlen=IMDB_MAXLEN),
        example("vectorizacion", "Neuronas en un bucle de Python frente a "
                "Y = f(XW + b) en lote", "esenciales.timing:"
                "neuron_batched_vs_loop"),
        example("optimizadores", "Nuestros optimizadores frente a los de "
                "Keras y PyTorch",
                "esenciales.runs.optim_gaps:optimizer_gaps"),
    )),
    Chapter(4, "cnn", "CNN en detalle", (
        summary("cnn", "CNN para imágenes 32×32×3", "cnn"),
        summary("mnist_cnn", "La CNN de la clase para MNIST", "mnist_cnn"),
    )),
    Chapter(5, "regularizacion", "Regularización y mejora de modelos", (
        _regularization("dropout", "Curvas con y sin dropout", "dropout"),
        _regularization("l2", "Curvas con y sin decaimiento de pesos",
                        "weight_decay"),
        _regularization("aumento", "Curvas con y sin aumento de datos",
                        "augmentation"),
        _regularization("batchnorm", "Curvas con y sin normalización por "
                        "lotes", "batch_norm"),
        _regularization("parada_temprana", "Parada temprana",
                        "early_stopping"),
        _regularization("transferencia", "Aprendizaje por transferencia",
                        "transfer_learning"),
    )),
    Chapter(6, "ejemplos", "Ejemplos en Keras (y en PyTorch)", (
        example("mlp_minimo", "El MLP mínimo sobre datos aleatorios: "
                "nada que aprender", "esenciales.runs.training:train",
                name="mlp_minimal", framework="{framework}"),
        example("cnn_mnist", "La CNN para MNIST en 15 líneas: MNIST "
                "completo, 5 épocas (minutos la primera vez)",
                "esenciales.runs.training:trained_mnist_cnn",
                framework="{framework}", epochs=5),
        _trained("lstm", "LSTM sobre 3000 reseñas de IMDB",
                 "lstm_classifier", limit=3000),
        _trained("autoencoder", "Autoencoder sobre MNIST", "autoencoder"),
        _trained("vae", "VAE sobre MNIST, 5 épocas", "vae", epochs=5),
        _trained("transformer", "Transformer sobre 3000 reseñas de IMDB",
                 "transformer_classifier", limit=3000),
    )),
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
