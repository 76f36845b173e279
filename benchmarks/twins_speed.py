"""Segundos por época de cada modelo en Keras y en PyTorch, en la CPU.

Entrena cada modelo del libro con datos al azar de su forma (los mismos
para los dos marcos), lotes y pérdida como en su receta, y mide cada
época con un *callback*; la primera época (trazado, calentamiento) no
cuenta. Imprime la mediana de las épocas siguientes, la razón
PyTorch / Keras medida en esta misma corrida y la meta (≤ 1,3).

    python benchmarks/twins_speed.py --n 2048 --epochs 4
    python benchmarks/twins_speed.py --models lstm_classifier --hilos 2
"""

import argparse
import os
import statistics
import time

import numpy as np

from esenciales import threads

VOCAB, MAXLEN = 10_000, 200

MODELS = {  # nombre: (argumentos, entrada Keras, entrada PyTorch, pérdida)
    "mlp_minimal": ((), (10,), (10,), "binary_crossentropy"),
    "mlp": ((), (784,), (784,), "sparse_categorical_crossentropy"),
    "mnist_cnn": ((), (28, 28, 1), (1, 28, 28),
                  "sparse_categorical_crossentropy"),
    "cnn": ((), (32, 32, 3), (3, 32, 32), "sparse_categorical_crossentropy"),
    "autoencoder": ((), (784,), (784,), "binary_crossentropy"),
    "lstm_classifier": ((VOCAB,), "tokens", "tokens", "binary_crossentropy"),
    "transformer_classifier": ((VOCAB, MAXLEN), "tokens", "tokens",
                               "binary_crossentropy"),
}


def random_data(name, n, framework, seed=0):
    """Entradas y objetivos al azar con la forma que pide el modelo."""
    args, keras_shape, torch_shape, loss = MODELS[name]
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


def epoch_seconds(name, framework, args):
    """Segundos de cada época después de la primera."""
    import importlib

    models = importlib.import_module(f"esenciales.{framework}.models")
    training = importlib.import_module(f"esenciales.{framework}.training")
    base = (importlib.import_module("keras").callbacks.Callback
            if framework == "keras" else training.Callback)

    class Clock(base):
        def __init__(self):
            super().__init__()
            self.seconds = []

        def on_epoch_begin(self, epoch, logs=None):
            self.start = time.perf_counter()

        def on_epoch_end(self, epoch, logs=None):
            self.seconds.append(time.perf_counter() - self.start)

    x, y = random_data(name, args.n, framework)
    metrics = () if name == "autoencoder" else ("accuracy",)
    training.set_seed(0)
    model = getattr(models, name)(*MODELS[name][0])
    clock = Clock()
    training.fit(model, x, y, epochs=args.epochs, batch_size=args.batch_size,
                 loss=MODELS[name][3], metrics=metrics, callbacks=[clock],
                 verbose=0, device="cpu")
    return clock.seconds[1:]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2048,
                        help="ejemplos por época (al azar)")
    parser.add_argument("--epochs", type=int, default=4,
                        help="épocas; la primera no se mide")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--models", nargs="+", default=list(MODELS),
                        choices=list(MODELS))
    parser.add_argument("--hilos", type=int, default=None,
                        help="hilos por operación en los dos marcos")
    args = parser.parse_args()
    threads.prepare(args.hilos)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")  # sin avisos de TF

    print(f"{args.n} ejemplos al azar por época, lotes de {args.batch_size},"
          f" mediana de {args.epochs - 1} épocas (sin la primera), CPU")
    print(f"{'modelo':>24} {'Keras s/época':>14} {'PyTorch s/época':>16}"
          f" {'razón':>7}")
    for name in args.models:
        medians = {fw: statistics.median(epoch_seconds(name, fw, args))
                   for fw in ("keras", "torch")}
        ratio = medians["torch"] / medians["keras"]
        print(f"{name:>24} {medians['keras']:14.3f} {medians['torch']:16.3f}"
              f" {ratio:7.2f}".replace(".", ","), flush=True)
    print("meta: razón PyTorch / Keras ≤ 1,3 en cada modelo")


if __name__ == "__main__":
    main()
