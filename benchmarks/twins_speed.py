"""Segundos por época de cada modelo en Keras y en PyTorch, en la CPU.

Entrena cada modelo del libro con datos al azar de su forma (los mismos
para los dos marcos), lotes y pérdida como en su receta, y mide cada
época con un *callback*. Los dos marcos se turnan: en cada ronda, cada
uno entrena dos épocas y cuenta solo la segunda (la primera de cada
llamada a ``fit`` arma el cargador de datos y, en Keras, el grafo). Así,
si otro programa ocupa la máquina un rato, les toca a los dos por igual.
Imprime la mediana de las épocas medidas, la razón PyTorch / Keras de
esta misma corrida y la meta (≤ 1,3).

    python benchmarks/twins_speed.py --n 2048 --rondas 5
    python benchmarks/twins_speed.py --models lstm_classifier --hilos 2
"""

import argparse
import os
import statistics
import time

import numpy as np

from esenciales import spanish, threads
from esenciales.runs import recipes

VOCAB, MAXLEN = 10_000, 200

MODELS = {  # nombre: (entrada Keras, entrada PyTorch); el resto, la receta
    "mlp_minimal": ((10,), (10,)),
    "mlp": ((784,), (784,)),
    "mnist_cnn": ((28, 28, 1), (1, 28, 28)),
    "cnn": ((32, 32, 3), (3, 32, 32)),
    "autoencoder": ((784,), (784,)),
    "lstm_classifier": ("tokens", "tokens"),
    "transformer_classifier": ("tokens", "tokens"),
}


def random_data(name, n, framework, seed=0):
    """Entradas y objetivos al azar con la forma que pide el modelo."""
    keras_shape, torch_shape = MODELS[name]
    loss = recipes.get(name).loss
    rng = np.random.default_rng(seed)
    shape = keras_shape if framework == "keras" else torch_shape
    if shape == "tokens":  # reseñas de largo variable, relleno por delante
        x = rng.integers(1, VOCAB, size=(n, MAXLEN)).astype("int32")
        lengths = rng.integers(20, MAXLEN + 1, size=n)
        x[np.arange(MAXLEN) < (MAXLEN - lengths)[:, None]] = 0
    else:
        x = rng.random((n, *shape), dtype=np.float32)
    if name == "autoencoder":
        y = x
    elif loss == "binary_crossentropy":
        y = rng.integers(0, 2, size=(n, 1)).astype("float32")
    else:
        y = rng.integers(0, 10, size=n).astype("int64")
    return x, y


class Twin:
    """Un modelo de un marco, listo para medir épocas de entrenamiento."""

    def __init__(self, name, framework, args):
        import importlib

        models = importlib.import_module(f"esenciales.{framework}.models")
        self.training = importlib.import_module(
            f"esenciales.{framework}.training")
        self.clock = make_clock(framework, self.training)
        self.name, self.args = name, args
        self.x, self.y = random_data(name, args.n, framework)
        self.recipe = recipes.get(name)
        self.training.set_seed(0)
        self.model = getattr(models, name)(**self.recipe.model_kwargs)

    def second_epoch(self):
        """Segundos de la segunda de dos épocas seguidas."""
        clock = self.clock()
        self.training.fit(self.model, self.x, self.y, epochs=2,
                          batch_size=batch_size(self.name, self.args),
                          loss=self.recipe.loss,
                          metrics=self.recipe.metrics,
                          callbacks=[clock], verbose=0, device="cpu")
        return clock.seconds[1]


def batch_size(name, args):
    """El tamaño de lote de ``--batch-size`` o, si no, el de la receta."""
    return args.batch_size or recipes.get(name).batch_size


def make_clock(framework, training):
    """La clase de un *callback* que anota los segundos de cada época."""
    base = (__import__("keras").callbacks.Callback
            if framework == "keras" else training.Callback)

    class Clock(base):
        def __init__(self):
            super().__init__()
            self.seconds = []

        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.seconds.append(time.perf_counter() - self.start)

    return Clock


def median_seconds(name, args):
    """Mediana de s/época por marco, turnándose ronda a ronda."""
    twins = {fw: Twin(name, fw, args) for fw in ("keras", "torch")}
    seconds = {fw: [] for fw in twins}
    for _ in range(args.rondas):
        for framework, twin in twins.items():
            seconds[framework].append(twin.second_epoch())
    return {fw: statistics.median(s) for fw, s in seconds.items()}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2048,
                        help="ejemplos por época (al azar)")
    parser.add_argument("--rondas", type=int, default=5,
                        help="rondas de dos épocas por marco")
    parser.add_argument("--batch-size", type=int, default=None,
                        help="lote de todos los modelos (por omisión, el "
                             "de la receta de cada uno)")
    parser.add_argument("--models", nargs="+", default=list(MODELS),
                        choices=list(MODELS))
    parser.add_argument("--hilos", type=int, default=None,
                        help="hilos por operación en los dos marcos")
    args = parser.parse_args()
    threads.prepare(args.hilos)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # sin avisos de TF

    print(f"{args.n} ejemplos al azar por época, mediana de {args.rondas}"
          " épocas por marco, CPU")
    print(f"{'modelo':>24} {'lote':>5} {'Keras s/época':>14}"
          f" {'PyTorch s/época':>16} {'razón':>7}")
    for name in args.models:
        medians = median_seconds(name, args)
        ratio = medians["torch"] / medians["keras"]
        print(f"{name:>24} {batch_size(name, args):>5}"
              f" {spanish.number(medians['keras']):>14}"
              f" {spanish.number(medians['torch']):>16}"
              f" {spanish.number(ratio, 2):>7}", flush=True)
    print("meta: razón PyTorch / Keras ≤ 1,3 en cada modelo")


if __name__ == "__main__":
    main()
