"""El experimento de inicialización: el mismo LSTM, dos puntos de partida.

El gemelo PyTorch del clasificador LSTM se entrena con las reglas de
inicialización de Keras (``init_weights``, lo que hace el paquete) y con
las de PyTorch por omisión (``Embedding`` N(0, 1), todos los pesos de la
LSTM U(±1/√H)), con las mismas reseñas, épocas, lotes y semillas. Lo que
cambia la exactitud es solo el punto de partida. Este módulo no importa
PyTorch hasta que el experimento corre.
"""

import numpy as np

from esenciales import data as datasets
from esenciales.runs.cache import cached_json, code_hash

VARIANTS = {
    "keras_rules": "reglas de Keras (init_weights)",
    "torch_defaults": "PyTorch por omisión",
}
"""Los dos puntos de partida, con su nombre en español."""


def imdb_subset(n_train, n_test, num_words=10_000, maxlen=200):
    """Las primeras reseñas de IMDB, rellenadas a ``maxlen`` tokens.

    Salida: ``(x, y), (x_test, y_test)``; x (n, maxlen) ``int32`` con
    relleno 0 por delante, y (n, 1) ``float32``.
    """
    (x, y), (x_test, y_test) = datasets.load_imdb(num_words=num_words)

    def prepare(xs, ys, n):
        return (datasets.pad_sequences(xs[:n], maxlen),
                ys[:n].astype("float32")[:, np.newaxis])

    return prepare(x, y, n_train), prepare(x_test, y_test, n_test)


def torch_default_init(model):
    """Devuelve ``model`` con la inicialización por omisión de PyTorch.

    Llama ``reset_parameters()`` de cada capa, que es lo que hace PyTorch
    al construirla; deshace ``init_weights``.
    """
    for module in model.modules():
        if hasattr(module, "reset_parameters"):
            module.reset_parameters()
    return model


def run_once(variant, seed, data, epochs, batch_size):
    """Entrena un LSTM de PyTorch desde ``variant``; su exactitud."""
    from esenciales.torch import models, training

    (x, y), (x_test, y_test) = data
    training.set_seed(seed)
    model = models.lstm_classifier(vocab_size=10_000)
    if variant == "torch_defaults":
        torch_default_init(model)
    history = training.fit(model, x, y, epochs=epochs, batch_size=batch_size,
                           loss="binary_crossentropy",
                           validation_data=(x_test, y_test), seed=seed,
                           verbose=0, device="cpu")
    return {"variant": variant, "seed": seed, "history": history,
            "test_accuracy": history["val_accuracy"][-1]}


def initialization_experiment(seeds=(0, 1, 2), n_train=2000, n_test=2000,
                              epochs=2, batch_size=64):
    """Exactitud de prueba del LSTM de PyTorch con cada inicialización.

    Mismas reseñas, semillas, épocas y lotes para las dos variantes.
    Salida: filas ``{"variant", "seed", "history", "test_accuracy"}``,
    una por variante y semilla (en caché: se calcula una sola vez).
    """
    key = (f"inicializacion-lstm-n{n_train}-t{n_test}-e{epochs}"
           f"-b{batch_size}-s{'_'.join(map(str, seeds))}")
    key += "-" + code_hash("torch", extra=("runs/initialization.py",))

    def compute():
        data = imdb_subset(n_train, n_test)
        return [run_once(variant, seed, data, epochs, batch_size)
                for variant in VARIANTS for seed in seeds]

    return cached_json(key, compute)


def summary(rows):
    """Media y desviación de la exactitud por variante.

    Salida: ``{variante: {"mean", "std", "values"}}`` (desviación
    muestral, con n − 1).
    """
    out = {}
    for variant in VARIANTS:
        values = [r["test_accuracy"] for r in rows if r["variant"] == variant]
        out[variant] = {"mean": float(np.mean(values)),
                        "std": float(np.std(values, ddof=1)),
                        "values": values}
    return out
