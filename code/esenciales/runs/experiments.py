"""Los experimentos del libro, con la misma interfaz para Keras y PyTorch.

Cada función elige el *framework* con ``framework="keras"`` o
``framework="torch"`` y devuelve datos simples (listas y diccionarios)
que un capítulo grafica. Este módulo no importa TensorFlow ni PyTorch
hasta que un experimento los necesita.
"""

import math
import time
from types import SimpleNamespace

import numpy as np

from esenciales import data as datasets
from esenciales.frameworks import (FRAMEWORK_NAMES, check_framework,
                                   framework_module)
from esenciales.runs.cache import cached_json
from esenciales.spanish import number, percent

CLASSIC_MODELS = ("logistic_regression", "svm", "random_forest")
DEEP_MODELS = ("mlp", "cnn")

MODEL_LABELS = {
    "logistic_regression": "Regresión logística",
    "svm": "SVM (kernel RBF)",
    "random_forest": "Bosque aleatorio",
    "mlp": "MLP",
    "cnn": "CNN",
}
"""Nombres en español de los modelos de ``data_vs_performance``."""

VALIDATION = slice(50_000, 52_000)
"""Ejemplos de MNIST de entrenamiento reservados para validar (nunca se
entrena con ellos en los experimentos)."""


def load_framework(framework):
    """Los módulos ``data``, ``models``, ``regularization`` y ``training``.

    ``framework``: ``"keras"`` o ``"torch"``; la importación ocurre aquí.
    """
    names = ("data", "models", "regularization", "training")
    return SimpleNamespace(**{name: framework_module(framework, name)
                              for name in names})


def mnist_subset(n, *, seed=0, digits=None):
    """``n`` ejemplos de MNIST de entrenamiento (``uint8``) y sus etiquetas.

    Toma los primeros ``n`` de una permutación fija de los 50 000 primeros
    ejemplos, así un subconjunto más grande contiene al más chico.
    ``digits`` restringe a esas clases y las renumera desde 0.
    """
    (x, y), _ = datasets.load_mnist()
    order = np.random.default_rng(seed).permutation(VALIDATION.start)
    return _take(x[order], y[order], n, digits)


def validation_subset(n=2000, *, digits=None):
    """Ejemplos de validación de MNIST: ``VALIDATION``, fuera del resto."""
    (x, y), _ = datasets.load_mnist()
    return _take(x[VALIDATION.start:], y[VALIDATION.start:], n, digits)


def _take(x, y, n, digits):
    """Los primeros ``n`` ejemplos de las clases ``digits`` (renumeradas)."""
    if digits is not None:
        keep = np.isin(y, digits)
        x, y = x[keep], np.searchsorted(digits, y[keep])
    if n > len(x):
        raise ValueError(f"Se pidieron {n} ejemplos, pero solo hay {len(x)}.")
    return x[:n], y[:n].astype("int64")


def classic_model(name, seed=0):
    """Un clasificador clásico de scikit-learn, por nombre."""
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.svm import SVC

    builders = {
        "logistic_regression": lambda: LogisticRegression(max_iter=300),
        "svm": lambda: SVC(kernel="rbf"),
        "random_forest": lambda: RandomForestClassifier(
            n_estimators=100, random_state=seed),
    }
    return builders[name]()


def deep_epochs(n, batch_size):
    """Épocas para ``n`` ejemplos: al menos 10 y al menos 100 pasos."""
    return max(10, math.ceil(100 * batch_size / n))


def score_model(name, fw, x, y, x_test, y_test, seed=0, batch_size=32):
    """Exactitud en prueba de un modelo entrenado con ``x``, ``y``."""
    if name in CLASSIC_MODELS:
        flat = fw.data.prepare_vectors
        model = classic_model(name, seed).fit(flat(x), y)
        return float(model.score(flat(x_test), y_test))
    prepare = {"mlp": fw.data.prepare_vectors,
               "cnn": fw.data.prepare_images}[name]
    fw.training.set_seed(seed)
    model = {"mlp": fw.models.mlp, "cnn": fw.models.mnist_cnn}[name]()
    fw.training.fit(model, prepare(x), y, batch_size=batch_size,
                    epochs=deep_epochs(len(x), batch_size), seed=seed,
                    verbose=0)
    scores = fw.training.evaluate(model, prepare(x_test), y_test)
    return scores["accuracy"]


def data_vs_performance(sizes=(100, 300, 1000, 3000),
                        models=CLASSIC_MODELS + DEEP_MODELS,
                        framework="torch", n_test=2000, seed=0):
    """Exactitud de modelos clásicos y profundos según la cantidad de datos.

    Entrena cada modelo con subconjuntos crecientes de MNIST y lo evalúa
    en los primeros ``n_test`` ejemplos de prueba. Devuelve una tabla
    ordenada: una fila ``{"model", "n_train", "accuracy", "seconds"}``
    por modelo y tamaño. Es la figura "Rendimiento vs cantidad de datos"
    de la clase: los modelos profundos ganan cuando crecen los datos.
    """
    unknown = set(models) - set(MODEL_LABELS)
    if unknown:
        raise ValueError(
            f"Modelos desconocidos: {sorted(unknown)}; use algunos de "
            f"{list(MODEL_LABELS)}."
        )
    fw = load_framework(framework)
    _, (x_test, y_test) = datasets.load_mnist()
    x_test, y_test = x_test[:n_test], y_test[:n_test].astype("int64")
    rows = []
    for n in sizes:
        x, y = mnist_subset(n, seed=seed)
        for name in models:
            start = time.perf_counter()
            accuracy = score_model(name, fw, x, y, x_test, y_test, seed)
            rows.append({"model": name, "n_train": n,
                         "accuracy": accuracy,
                         "seconds": time.perf_counter() - start})
    return rows


def compare(variants, fw, x, y, validation, *, epochs, batch_size=64,
            seed=0, **fit_kwargs):
    """Entrena cada variante y devuelve ``{etiqueta: historial}``.

    ``variants``: ``{etiqueta: (constructor, callbacks)}``; cada modelo
    se construye con la misma semilla y se valida con ``validation``.
    """
    histories = {}
    for label, (build, callbacks) in variants.items():
        fw.training.set_seed(seed)
        histories[label] = fw.training.fit(
            build(), x, y, epochs=epochs, batch_size=batch_size,
            validation_data=validation, callbacks=callbacks, seed=seed,
            verbose=0, **fit_kwargs)
    return histories


def _vectors(fw, n_train, n_val, seed):
    """Datos de MNIST aplanados: (x, y) de entrenamiento y de validación."""
    x, y = mnist_subset(n_train, seed=seed)
    x_val, y_val = validation_subset(n_val)
    prepare = fw.data.prepare_vectors
    return prepare(x), y, (prepare(x_val), y_val)


def _images(fw, n_train, n_val, seed):
    """Datos de MNIST como imágenes: entrenamiento y validación."""
    x, y = mnist_subset(n_train, seed=seed)
    x_val, y_val = validation_subset(n_val)
    prepare = fw.data.prepare_images
    return prepare(x), y, (prepare(x_val), y_val)


def dropout_experiment(framework="torch", seed=0, n_train=1000, epochs=30):
    """Curvas de entrenamiento y validación del MLP sin y con *dropout*.

    Con pocos datos el MLP memoriza (sobreajuste): la pérdida de
    entrenamiento baja y la de validación sube. *Dropout* (0,5) lo frena.
    Devuelve ``{"sin dropout": historial, "con dropout": historial}``.
    """
    fw = load_framework(framework)
    reg = fw.regularization
    variants = {
        "sin dropout": (reg.regularized_mlp, ()),
        "con dropout": (lambda: reg.regularized_mlp(dropout=0.5), ()),
    }
    return compare(variants, fw, *_vectors(fw, n_train, 2000, seed),
                   epochs=epochs, seed=seed)


def weight_decay_experiment(framework="torch", seed=0, n_train=1000,
                            epochs=30, l2=1e-3):
    """Curvas del MLP sin y con penalización L2 (*weight decay*).

    La pérdida con L2 incluye la penalización ``l2 · Σ w²`` (en
    entrenamiento y en validación), como en Keras; por eso conviene mirar
    la brecha ``val_loss − loss``, que la penalización achica. Devuelve
    ``{"sin L2": historial, "con L2": historial}``.
    """
    fw = load_framework(framework)
    reg = fw.regularization
    variants = {
        "sin L2": (reg.regularized_mlp, ()),
        "con L2": (lambda: reg.regularized_mlp(l2=l2), ()),
    }
    return compare(variants, fw, *_vectors(fw, n_train, 2000, seed),
                   epochs=epochs, seed=seed)


def augmentation_experiment(framework="torch", seed=0, n_train=500,
                            epochs=30):
    """Curvas de la CNN sin y con aumento de datos (desplazamientos, giros).

    Con 500 imágenes la CNN memoriza; al ver cada época versiones
    movidas de los dígitos, generaliza mejor. Devuelve
    ``{"sin aumento": historial, "con aumento": historial}``.
    """
    fw = load_framework(framework)
    reg = fw.regularization
    variants = {
        "sin aumento": (reg.regularized_cnn, ()),
        "con aumento": (lambda: reg.regularized_cnn(augment=True), ()),
    }
    return compare(variants, fw, *_images(fw, n_train, 500, seed),
                   epochs=epochs, seed=seed)


def batch_norm_experiment(framework="torch", seed=0, n_train=2000,
                          epochs=15):
    """Curvas del MLP sin y con normalización por lotes, con SGD simple.

    Normalizar antes de cada ReLU acelera el descenso con la misma tasa
    de aprendizaje. Devuelve ``{"sin batch norm": historial,
    "con batch norm": historial}``.
    """
    fw = load_framework(framework)
    reg = fw.regularization
    variants = {
        "sin batch norm": (reg.regularized_mlp, ()),
        "con batch norm": (lambda: reg.regularized_mlp(batch_norm=True), ()),
    }
    return compare(variants, fw, *_vectors(fw, n_train, 2000, seed),
                   epochs=epochs, seed=seed, optimizer="sgd")


def early_stopping_experiment(framework="torch", seed=0, n_train=1000,
                              epochs=40, patience=3):
    """Curvas del MLP sin y con parada temprana (*early stopping*).

    Con parada temprana el entrenamiento se detiene ``patience`` épocas
    después del mínimo de ``val_loss`` y recupera esos pesos; su
    historial es más corto. Devuelve ``{"sin parada temprana": ...,
    "con parada temprana": ...}``.
    """
    fw = load_framework(framework)
    reg, training = fw.regularization, fw.training
    stop = training.EarlyStopping(monitor="val_loss", patience=patience,
                                  restore_best_weights=True)
    variants = {
        "sin parada temprana": (reg.regularized_mlp, ()),
        "con parada temprana": (reg.regularized_mlp, (stop,)),
    }
    return compare(variants, fw, *_vectors(fw, n_train, 2000, seed),
                   epochs=epochs, seed=seed)


def transfer_learning_experiment(framework="torch", seed=0, n_pretrain=3000,
                                 n_train=200, epochs=15):
    """Aprender los dígitos 5–9 con pocos ejemplos, desde cero o transfiriendo.

    Primero entrena la CNN de MNIST con ``n_pretrain`` dígitos 0–4; luego
    compara, con solo ``n_train`` dígitos 5–9, una CNN nueva contra la
    base convolucional ya entrenada (congelada) y una cabeza nueva, que
    entrena unos 27 000 parámetros en vez de unos 700 000.
    Devuelve ``{"desde cero": historial, "transferencia": historial}``.
    """
    fw = load_framework(framework)
    prepare = fw.data.prepare_images
    old, new = [0, 1, 2, 3, 4], [5, 6, 7, 8, 9]
    x_old, y_old = mnist_subset(n_pretrain, seed=seed, digits=old)
    fw.training.set_seed(seed)
    pretrained = fw.models.mnist_cnn()
    fw.training.fit(pretrained, prepare(x_old), y_old, epochs=2,
                    batch_size=64, seed=seed, verbose=0)
    x, y = mnist_subset(n_train, seed=seed + 1, digits=new)
    x_val, y_val = validation_subset(1000, digits=new)
    variants = {
        "desde cero": (fw.models.mnist_cnn, ()),
        "transferencia": (
            lambda: fw.regularization.transfer_model(pretrained, 5), ()),
    }
    return compare(variants, fw, prepare(x), y, (prepare(x_val), y_val),
                   epochs=epochs, batch_size=32, seed=seed)


def train_mnist_cnn(framework="keras", epochs=5, batch_size=128,
                    validation_split=0.1, seed=0, n_train=None,
                    peak_lr=3e-3, device="auto", verbose=0):
    """Entrena la CNN de MNIST de la clase ("CNN para MNIST en 15 líneas").

    Usa todo MNIST (o sus primeros ``n_train`` ejemplos) con Adam y, si
    ``peak_lr`` no es ``None``, el calendario de la clase: una época de
    calentamiento (*warm-up*) hasta ``peak_lr`` y caída coseno; con
    ``peak_lr=None``, Adam con su tasa fija (0,001), como en la clase.
    Evalúa en los 10 000 ejemplos de prueba. Devuelve ``{"model",
    "history", "test_accuracy", "seconds_per_epoch"}``; los segundos
    incluyen la validación.
    """
    fw = load_framework(framework)
    (x, y), (x_test, y_test) = datasets.load_mnist()
    if n_train is not None:
        x, y = x[:n_train], y[:n_train]
    prepare = fw.data.prepare_images
    schedule = ([] if peak_lr is None
                else [fw.training.WarmupCosine(peak_lr, 1, epochs)])
    fw.training.set_seed(seed)
    model = fw.models.mnist_cnn()
    start = time.perf_counter()
    history = fw.training.fit(
        model, prepare(x), y.astype("int64"), epochs=epochs,
        batch_size=batch_size, validation_split=validation_split,
        callbacks=schedule, seed=seed, verbose=verbose, device=device)
    seconds = (time.perf_counter() - start) / len(history["loss"])
    scores = fw.training.evaluate(model, prepare(x_test),
                                  y_test.astype("int64"), device=device)
    return {"model": model, "history": history,
            "test_accuracy": scores["accuracy"],
            "seconds_per_epoch": seconds}


# --------------------------------------------------------------------------
# Experimentos en caché y sus cifras


CACHED_EXPERIMENTS = {
    "dropout": dropout_experiment,
    "weight_decay": weight_decay_experiment,
    "augmentation": augmentation_experiment,
    "batch_norm": batch_norm_experiment,
    "early_stopping": early_stopping_experiment,
    "transfer_learning": transfer_learning_experiment,
}
"""Los experimentos de regularización del capítulo 5, por nombre."""


def cached_experiment(name, framework="torch"):
    """Un experimento de regularización del capítulo 5, con caché.

    ``name`` es el prefijo de una función ``<name>_experiment`` de
    ``esenciales.runs.experiments`` (``"dropout"``, ``"weight_decay"``,
    ``"augmentation"``, ``"batch_norm"``, ``"early_stopping"``,
    ``"transfer_learning"``). Salida: ``{etiqueta: historial}``.
    """
    run = CACHED_EXPERIMENTS.get(name)
    if run is None:
        raise ValueError(f"No existe el experimento «{name}». Opciones: "
                         f"{', '.join(CACHED_EXPERIMENTS)}.")
    check_framework(framework)
    return cached_json(f"{name}-{framework}", lambda: run(framework))


def summarize(history):
    """Las cifras clave de un historial con validación.

    Salida: dict con las épocas, las pérdidas y exactitudes finales, y la
    menor pérdida de validación con su época (contando desde 1).
    """
    val_loss = history["val_loss"]
    best = min(range(len(val_loss)), key=val_loss.__getitem__)
    return {"epochs": len(history["loss"]),
            "loss": history["loss"][-1],
            "val_loss": val_loss[-1],
            "best_val_loss": val_loss[best],
            "best_epoch": best + 1,
            "accuracy": history["accuracy"][-1],
            "val_accuracy": history["val_accuracy"][-1],
            "best_val_accuracy": max(history["val_accuracy"])}


def comparison_markdown(runs):
    """Tabla Markdown de un experimento en los dos marcos.

    Entrada: ``{marco: {etiqueta: historial}}``. Una fila por marco y
    variante, con las cifras de ``summarize``.
    """
    header = ("| marco | variante | épocas | pérdida entren. | pérdida "
              "valid. | mínima valid. (época) | exactitud valid. |")
    lines = [header, "|---|---|---:|---:|---:|---:|---:|"]
    for framework, histories in runs.items():
        for label, history in histories.items():
            s = formatted(summarize(history))
            lines.append(
                f"| {FRAMEWORK_NAMES[framework]} | {label} | {s['epochs']} "
                f"| {s['loss']} | {s['val_loss']} | {s['best_val_loss']} "
                f"({s['best_epoch']}) | {s['val_accuracy']} |")
    return "\n".join(lines)


def experiment_numbers(prefix, runs):
    """Las cifras de un experimento con nombres para citarlas en el texto.

    Entrada: ``{marco: {etiqueta: historial}}``. Salida: dict
    ``"<prefix>_<marco><i>_<cifra>" -> texto``, donde ``i`` es la posición
    de la variante (0 = sin la técnica, 1 = con ella).
    """
    numbers = {}
    for framework, histories in runs.items():
        for i, history in enumerate(histories.values()):
            for key, text in formatted(summarize(history)).items():
                numbers[f"{prefix}_{framework}{i}_{key}"] = text
    return numbers


def formatted(summary):
    """``summarize`` con cada cifra ya escrita como texto en español."""
    return {key: percent(value) if "accuracy" in key else number(value)
            for key, value in summary.items()}
