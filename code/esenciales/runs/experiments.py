"""Los experimentos del libro: lo que la clase afirma, medido con semillas.

Un experimento compara dos recetas de entrenamiento, una línea base y la
misma con una técnica, con varias semillas. Cada semilla sortea el
subconjunto de datos, los pesos iniciales y el orden de los lotes; la
línea base y la técnica comparten la semilla, así que ven los mismos
ejemplos. Cada cifra se resume como media ± desviación estándar.

Este módulo no importa TensorFlow ni PyTorch hasta que un experimento los
necesita.
"""

import functools
import importlib
import math
import time
from dataclasses import asdict, dataclass, replace
from types import SimpleNamespace

import numpy as np

from esenciales import data as datasets
from esenciales.frameworks import check_framework
from esenciales.runs.cache import cached_json, cached_model
from esenciales.runs.schedules import warmup_cosine_schedule
from esenciales.spanish import NO_BREAK_SPACE, markdown_table, number

SEEDS = (0, 1, 2)
"""Semillas de cada comparación y de cada punto del capítulo 2."""

VALIDATION = slice(50_000, 52_000)
"""Ejemplos de MNIST de entrenamiento reservados para validar (nunca se
entrena con ellos en los experimentos)."""

OLD_DIGITS = (0, 1, 2, 3, 4)
NEW_DIGITS = (5, 6, 7, 8, 9)


# --- Datos ------------------------------------------------------------------

def load_framework(framework):
    """Los módulos ``data``, ``models``, ``regularization`` y ``training``.

    ``framework``: ``"keras"`` o ``"torch"``; la importación ocurre aquí.
    """
    check_framework(framework)
    names = ("data", "models", "regularization", "training")
    return SimpleNamespace(**{
        name: importlib.import_module(f"esenciales.{framework}.{name}")
        for name in names
    })


def mnist_subset(n, *, seed=0, digits=None, pool=VALIDATION.start):
    """``n`` ejemplos de MNIST de entrenamiento (``uint8``) y sus etiquetas.

    Toma los primeros ``n`` de una permutación (fijada por ``seed``) de
    los ``pool`` primeros ejemplos: con la misma semilla, un subconjunto
    más grande contiene al más chico. ``digits`` restringe a esas clases
    y las renumera desde 0.
    """
    (x, y), _ = datasets.load_mnist()
    order = np.random.default_rng(seed).permutation(pool)
    return _take(x[order], y[order], n, digits)


def validation_subset(n=2000, *, digits=None):
    """Ejemplos de validación de MNIST: ``VALIDATION``, fuera del resto."""
    (x, y), _ = datasets.load_mnist()
    return _take(x[VALIDATION.start:], y[VALIDATION.start:], n, digits)


def test_subset(n=None, *, digits=None):
    """Los ejemplos de prueba de MNIST (los primeros ``n``; de ``digits``)."""
    _, (x, y) = datasets.load_mnist()
    if digits is not None:
        keep = np.isin(y, digits)
        x, y = x[keep], y[keep]
    return _take(x, y, len(x) if n is None else n, digits)


def _take(x, y, n, digits):
    """Los primeros ``n`` ejemplos de las clases ``digits`` (renumeradas)."""
    if digits is not None:
        keep = np.isin(y, digits)
        x, y = x[keep], np.searchsorted(digits, y[keep])
    if n > len(x):
        raise ValueError(f"Se pidieron {n} ejemplos, pero solo hay {len(x)}.")
    return x[:n], y[:n].astype("int64")


# --- Una receta, un entrenamiento --------------------------------------------

@dataclass(frozen=True)
class Setting:
    """Todas las perillas de un entrenamiento del capítulo 5, a la vista.

    ``model``: ``"mlp"`` (784 → 128 → 64 → 10) o ``"cnn"`` (la de la
    clase), con las técnicas ``dropout``, ``l2``, ``batch_norm`` y
    ``augment``. ``learning_rate=None`` deja la tasa por omisión del
    optimizador; ``warmup_epochs`` activa calentamiento y caída coseno
    hasta ``learning_rate``; ``patience`` activa la parada temprana (con
    los mejores pesos restaurados); ``source`` es la receta de la red
    cuya base se transfiere (congelada) a esta tarea.
    """

    model: str = "mlp"
    dropout: float = 0.0
    l2: float = 0.0
    batch_norm: bool = False
    augment: bool = False
    n_train: int = 1000
    n_val: int = 2000
    digits: tuple | None = None
    epochs: int = 40
    batch_size: int = 64
    optimizer: str = "adam"
    learning_rate: float | None = None
    warmup_epochs: int = 0
    patience: int | None = None
    source: "Setting | None" = None
    framework: str = "torch"

    def key(self):
        """Texto que identifica la receta (para la caché de resultados)."""
        return repr(sorted(asdict(self).items()))


def build_model(fw, setting, pretrained=None):
    """El modelo de ``setting``, sin entrenar (o la base ``pretrained``
    congelada con una cabeza nueva)."""
    n_classes = 10 if setting.digits is None else len(setting.digits)
    if pretrained is not None:
        return fw.regularization.transfer_model(pretrained, n_classes)
    if setting.model == "mlp":
        return fw.regularization.regularized_mlp(
            dropout=setting.dropout, l2=setting.l2,
            batch_norm=setting.batch_norm)
    if setting.model == "cnn":
        return fw.regularization.regularized_cnn(
            dropout=setting.dropout, l2=setting.l2,
            batch_norm=setting.batch_norm, augment=setting.augment)
    raise ValueError(f"Modelo desconocido: {setting.model!r}; use 'mlp' o "
                     "'cnn'.")


def prepared(fw, setting, x):
    """Imágenes ``uint8`` en el formato de entrada del modelo."""
    if setting.model == "mlp":
        return fw.data.prepare_vectors(x)
    return fw.data.prepare_images(x)


def train(setting, seed=0, pretrained=None):
    """Entrena ``setting`` con la semilla ``seed`` y lo evalúa en prueba.

    Salida: ``{"history", "test_accuracy", "test_loss", "epochs",
    "best_epoch", "restored_epoch", "seconds"}``. ``history`` tiene una
    entrada por época (pérdida y exactitud, de entrenamiento y de
    validación); ``best_epoch`` es la de menor pérdida de validación
    (desde 1); ``restored_epoch`` es la que dejó la parada temprana, o
    ``None`` sin ella. La exactitud de prueba es la del modelo final, es
    decir, la de la época restaurada si hubo parada temprana.
    """
    fw = load_framework(setting.framework)
    x, y = mnist_subset(setting.n_train, seed=seed, digits=setting.digits)
    x_val, y_val = validation_subset(setting.n_val, digits=setting.digits)
    x_test, y_test = test_subset(digits=setting.digits)
    fw.training.set_seed(seed)
    model = build_model(fw, setting, pretrained)
    callbacks = []
    stop = None
    if setting.patience is not None:
        stop = fw.training.EarlyStopping(
            monitor="val_loss", patience=setting.patience,
            restore_best_weights=True)
        callbacks.append(stop)
    schedule = learning_rate_schedule(
        setting, math.ceil(len(x) / setting.batch_size))
    start = time.perf_counter()
    history = fw.training.fit(
        model, prepared(fw, setting, x), y, epochs=setting.epochs,
        batch_size=setting.batch_size, optimizer=setting.optimizer,
        validation_data=(prepared(fw, setting, x_val), y_val),
        callbacks=callbacks, schedule=schedule, seed=seed, verbose=0)
    seconds = time.perf_counter() - start
    probabilities = fw.training.predict(model, prepared(fw, setting, x_test))
    history = {k: [float(v) for v in values]
               for k, values in history.items()}
    return {
        "history": history,
        "test_accuracy": accuracy(probabilities, y_test),
        "test_loss": cross_entropy(probabilities, y_test),
        "epochs": len(history["loss"]),
        "best_epoch": best_epoch(history),
        "restored_epoch": None if stop is None else restored_epoch(stop),
        "seconds": seconds,
        "model": model,
    }


def learning_rate_schedule(setting, steps_per_epoch):
    """La tasa de cada lote: ``None`` (la del optimizador), constante, o
    con calentamiento lineal durante ``warmup_epochs`` y caída coseno
    (en pasos, no en épocas)."""
    if setting.learning_rate is None:
        return None
    if not setting.warmup_epochs:
        return functools.partial(constant_rate, rate=setting.learning_rate)
    return warmup_cosine_schedule(setting.learning_rate,
                                  setting.warmup_epochs * steps_per_epoch,
                                  setting.epochs * steps_per_epoch)


def constant_rate(step, rate):
    """La misma tasa en todos los pasos."""
    return rate


def accuracy(probabilities, y):
    """Fracción de aciertos: la clase más probable contra la etiqueta."""
    return float(np.mean(np.argmax(probabilities, axis=1) == y))


def cross_entropy(probabilities, y):
    """Entropía cruzada media, −log p(clase real), sin penalizaciones."""
    p = np.clip(probabilities[np.arange(len(y)), y], 1e-7, 1.0)
    return float(-np.mean(np.log(p)))


def best_epoch(history):
    """Época (desde 1) de menor pérdida de validación."""
    val_loss = history["val_loss"]
    return 1 + min(range(len(val_loss)), key=val_loss.__getitem__)


def restored_epoch(stop):
    """Época (desde 1) cuyos pesos dejó la parada temprana ``stop``."""
    return int(stop.best_epoch) + 1


# --- Muchas semillas ---------------------------------------------------------

def mean_std(values):
    """Media y desviación estándar muestral (con n − 1) de unas cifras.

    Con una sola cifra, la desviación es 0.
    """
    values = np.asarray(values, dtype=float)
    std = values.std(ddof=1) if len(values) > 1 else 0.0
    return float(values.mean()), float(std)


def curve_bands(runs, metric):
    """Media y desviación por época de ``metric`` entre las corridas.

    Las corridas pueden tener largos distintos (parada temprana): cada
    época promedia las corridas que llegaron a ella. Salida:
    ``(épocas, medias, desviaciones)`` como listas.
    """
    longest = max(len(run["history"][metric]) for run in runs)
    means, stds = [], []
    for epoch in range(longest):
        values = [run["history"][metric][epoch] for run in runs
                  if len(run["history"][metric]) > epoch]
        mean, std = mean_std(values)
        means.append(mean)
        stds.append(std)
    return list(range(1, longest + 1)), means, stds


def cached_run(setting, seed):
    """``train(setting, seed)`` sin el modelo, guardado en la caché.

    La clave es la receta completa más la semilla: cambiar una perilla
    entrena de nuevo; repetir la misma receta solo lee el resultado.
    """
    def compute():
        pretrained = (None if setting.source is None
                      else pretrained_model(setting.source))
        run = train(setting, seed, pretrained)
        run.pop("model")
        return run

    return cached_json(f"experimento-{_digest(setting)}-s{seed}", compute)


def pretrained_model(setting, seed=0):
    """La red de ``setting`` entrenada una vez (la base que se transfiere)."""
    fw = load_framework(setting.framework)

    def fit_source():
        run = train(setting, seed)
        return run.pop("model"), run

    model, _ = cached_model(f"base-{_digest(setting)}-s{seed}",
                            setting.framework,
                            lambda: build_model(fw, setting), fit_source)
    return model


def _digest(setting):
    """Resumen corto y estable de la receta (para nombrar archivos)."""
    import hashlib
    return hashlib.sha256(setting.key().encode()).hexdigest()[:16]


def run_seeds(setting, seeds=SEEDS):
    """Las corridas de ``setting``, una por semilla, desde la caché."""
    return [cached_run(setting, seed) for seed in seeds]


# --- Capítulo 5: cada técnica frente a su línea base -------------------------

@dataclass(frozen=True)
class Comparison:
    """Una técnica del capítulo 5: la línea base, la técnica y sus semillas.

    ``metric`` es la cifra que la técnica promete mejorar.
    """

    label: str
    baseline: Setting
    technique: Setting
    seeds: tuple = SEEDS
    metric: str = "test_accuracy"


OVERFITTING = Setting(model="mlp", n_train=1000, epochs=40)
"""El régimen del sobreajuste: el MLP con 1000 dígitos y 40 épocas
memoriza su conjunto de entrenamiento (exactitud de entrenamiento 100 %)."""

SMALL_IMAGES = Setting(model="cnn", n_train=500, n_val=500, epochs=30)
"""La CNN con solo 500 imágenes: memoriza en pocas épocas."""

PLAIN_SGD = Setting(model="mlp", n_train=2000, epochs=10, optimizer="sgd")
"""El MLP con SGD simple (tasa 0,01), que avanza despacio."""

HIGH_RATE = Setting(model="mlp", n_train=10_000, epochs=10, batch_size=128,
                    learning_rate=0.01)
"""El MLP con Adam y una tasa alta (0,01), constante durante 10 épocas."""

SOURCE_TASK = Setting(model="cnn", digits=OLD_DIGITS, n_train=10_000,
                      n_val=500, epochs=2)
"""La tarea de origen: la CNN aprende los dígitos 0–4 con 10 000 ejemplos."""

FEW_LABELS = Setting(model="cnn", digits=NEW_DIGITS, n_train=50, n_val=500,
                     epochs=40, batch_size=16)
"""La tarea de destino: los dígitos 5–9 con solo 50 ejemplos."""

COMPARISONS = {
    "dropout": Comparison(
        "dropout", OVERFITTING, replace(OVERFITTING, dropout=0.5)),
    "l2": Comparison(
        "L2", OVERFITTING, replace(OVERFITTING, l2=1e-3)),
    "augmentation": Comparison(
        "aumento de datos", SMALL_IMAGES,
        replace(SMALL_IMAGES, augment=True)),
    "batch_norm": Comparison(
        "normalización por lotes", PLAIN_SGD,
        replace(PLAIN_SGD, batch_norm=True),
        metric="first_val_accuracy"),
    "early_stopping": Comparison(
        "parada temprana", OVERFITTING, replace(OVERFITTING, patience=5),
        metric="test_loss"),
    "warmup": Comparison(
        "calendario de la tasa", HIGH_RATE,
        replace(HIGH_RATE, warmup_epochs=1)),
    "transfer": Comparison(
        "transferencia", FEW_LABELS, replace(FEW_LABELS, source=SOURCE_TASK)),
}
"""Las comparaciones del capítulo 5, por nombre."""


def compare(name):
    """Las corridas de una comparación: ``{"baseline": [...],
    "technique": [...]}``, una corrida por semilla (desde la caché)."""
    if name not in COMPARISONS:
        raise ValueError(f"No existe la comparación «{name}». Opciones: "
                         f"{', '.join(COMPARISONS)}.")
    comparison = COMPARISONS[name]
    return {"baseline": run_seeds(comparison.baseline, comparison.seeds),
            "technique": run_seeds(comparison.technique, comparison.seeds)}


def first_val_accuracy(run):
    """Exactitud de validación tras la primera época."""
    return run["history"]["val_accuracy"][0]


def final_train_accuracy(run):
    """Exactitud de entrenamiento en la última época."""
    return run["history"]["accuracy"][-1]


FIGURES = {
    "test_accuracy": lambda run: run["test_accuracy"],
    "test_loss": lambda run: run["test_loss"],
    "train_accuracy": final_train_accuracy,
    "first_val_accuracy": first_val_accuracy,
    "epochs": lambda run: run["epochs"],
    "best_epoch": lambda run: run["best_epoch"],
}
"""Las cifras que se resumen de cada corrida, por nombre."""


def figure_of(runs, name):
    """La cifra ``name`` (una de ``FIGURES``) de cada corrida."""
    return [FIGURES[name](run) for run in runs]


def effect(runs, name="test_accuracy"):
    """Resumen de una cifra en una comparación.

    Salida: ``{"baseline", "technique", "difference"}``, cada uno con
    ``mean`` y ``std`` entre semillas (la diferencia, semilla por
    semilla), y ``"within_spread"``: si la diferencia media no supera su
    propia desviación.
    """
    base = figure_of(runs["baseline"], name)
    tech = figure_of(runs["technique"], name)
    if len(base) != len(tech):
        raise ValueError("Las dos variantes deben tener las mismas semillas.")
    parts = {"baseline": base, "technique": tech,
             "difference": [t - b for b, t in zip(base, tech)]}
    summary_ = {key: dict(zip(("mean", "std"), mean_std(values)),
                          values=values)
                for key, values in parts.items()}
    difference = summary_["difference"]
    summary_["within_spread"] = abs(difference["mean"]) <= difference["std"]
    return summary_


FIGURE_LABELS = {
    "test_accuracy": "exactitud de prueba",
    "test_loss": "entropía cruzada de prueba",
    "train_accuracy": "exactitud de entrenamiento",
    "first_val_accuracy": "exactitud de validación tras 1 época",
    "epochs": "épocas entrenadas",
    "best_epoch": "época de menor pérdida de validación",
}
"""Nombres en español de las cifras de ``FIGURES``."""


def formatted(value, name, signed=False):
    """Una cifra de ``FIGURES`` como la escribe el libro.

    Exactitudes en %, la entropía cruzada con tres decimales, épocas con
    uno; ``signed`` antepone el signo (para diferencias).
    """
    scale, digits = {"test_loss": (1, 3), "epochs": (1, 1),
                     "best_epoch": (1, 1)}.get(name, (100, 1))
    text = number(float(scale * value), digits)
    if signed and value >= 0:
        text = "+" + text
    return text.replace("-", "−")


def formatted_pair(summary_, name, signed=False):
    """«media ± desviación» de una cifra, con su unidad."""
    unit = "" if name in ("test_loss", "epochs", "best_epoch") else (
        " puntos" if signed else f"{NO_BREAK_SPACE}%")
    return (f"{formatted(summary_['mean'], name, signed)} ± "
            f"{formatted(summary_['std'], name)}{unit}")


def verdict(summary_):
    """La diferencia en palabras: dentro o fuera de la dispersión."""
    return ("dentro de la dispersión entre semillas"
            if summary_["within_spread"]
            else "fuera de la dispersión entre semillas")


def conclusion(name, runs):
    """Una oración con el veredicto sobre la exactitud de prueba."""
    summary_ = effect(runs, "test_accuracy")
    label = COMPARISONS[name].label
    if summary_["within_spread"]:
        return (f"Con estas semillas, la {label} no cambia la exactitud de "
                "prueba de forma distinguible del azar.")
    change = "mejora" if summary_["difference"]["mean"] > 0 else "empeora"
    return (f"La {label} {change} la exactitud de prueba más allá de la "
            "dispersión entre semillas.")


def comparison_table(name, runs, figures=("test_accuracy", "test_loss")):
    """Tabla Markdown de una comparación: media ± desviación por variante
    y la diferencia semilla por semilla."""
    comparison = COMPARISONS[name]
    n = len(comparison.seeds)
    rows = [{"variante": "línea base"},
            {"variante": f"con {comparison.label}"},
            {"variante": "diferencia (por semilla)"}]
    for figure_name in figures:
        summary_ = effect(runs, figure_name)
        column = FIGURE_LABELS[figure_name]
        rows[0][column] = formatted_pair(summary_["baseline"], figure_name)
        rows[1][column] = formatted_pair(summary_["technique"], figure_name)
        rows[2][column] = formatted_pair(summary_["difference"],
                                         figure_name, signed=True)
    columns = ["variante", *(FIGURE_LABELS[f] for f in figures)]
    table = markdown_table(rows, columns, align=["l"] + ["r"] * len(figures))
    return table + f"\n\nMedia ± desviación estándar con {n} semillas."


def comparison_numbers(name, runs):
    """Las cifras de una comparación, escritas, para citarlas con ``glue``.

    Claves ``<name>_<cifra>_base``, ``_tech``, ``_diff`` y ``_verdict``
    para cada cifra de ``FIGURES``, más ``<name>_seeds``.
    """
    numbers = {f"{name}_seeds": str(len(COMPARISONS[name].seeds))}
    for figure_name in FIGURES:
        summary_ = effect(runs, figure_name)
        key = f"{name}_{figure_name}"
        numbers[f"{key}_base"] = formatted_pair(summary_["baseline"],
                                                figure_name)
        numbers[f"{key}_tech"] = formatted_pair(summary_["technique"],
                                                figure_name)
        numbers[f"{key}_diff"] = formatted_pair(summary_["difference"],
                                                figure_name, signed=True)
        numbers[f"{key}_verdict"] = verdict(summary_)
    return numbers


def comparison_curves(name, runs, metric="loss",
                      variants=("baseline", "technique")):
    """Bandas por época de ``metric`` (entrenamiento y validación) de las
    variantes, listas para ``figures.curves.seed_curves``."""
    comparison = COMPARISONS[name]
    labels = {"baseline": "línea base",
              "technique": f"con {comparison.label}"}
    bands = {}
    for variant in variants:
        label = labels[variant]
        bands[label] = curve_bands(runs[variant], metric)
        bands[f"{label} (validación)"] = curve_bands(runs[variant],
                                                     f"val_{metric}")
    return bands


def summary_table(results):
    """Tabla Markdown con todas las comparaciones: la cifra de cada una.

    ``results``: ``{nombre: corridas}`` (las de ``compare``). Una fila por
    técnica con su cifra principal (``Comparison.metric``), las dos
    medias ± desviación, la diferencia y si está dentro de la dispersión.
    """
    rows = []
    for name, runs in results.items():
        comparison = COMPARISONS[name]
        summary_ = effect(runs, comparison.metric)
        rows.append({
            "técnica": comparison.label,
            "cifra": FIGURE_LABELS[comparison.metric],
            "semillas": str(len(comparison.seeds)),
            "línea base": formatted_pair(summary_["baseline"],
                                         comparison.metric),
            "con la técnica": formatted_pair(summary_["technique"],
                                             comparison.metric),
            "diferencia": formatted_pair(summary_["difference"],
                                         comparison.metric, signed=True),
            "¿dentro de la dispersión?": ("sí" if summary_["within_spread"]
                                          else "no"),
        })
    return markdown_table(rows, align=["l", "l", "r", "r", "r", "r", "l"])


def accuracy_effects(results):
    """``(técnica, diferencia media, desviación)`` de la exactitud de
    prueba, en puntos porcentuales, para ``figures.curves.effects``."""
    rows = []
    for name, runs in results.items():
        difference = effect(runs, "test_accuracy")["difference"]
        rows.append((COMPARISONS[name].label, 100 * difference["mean"],
                     100 * difference["std"]))
    return rows


def accuracy_verdicts(results):
    """Dos listas en palabras: las técnicas que mejoran la exactitud de
    prueba más allá de la dispersión, y las que quedan dentro de ella."""
    gain, within = [], []
    for name, runs in results.items():
        summary_ = effect(runs, "test_accuracy")
        label = COMPARISONS[name].label
        if summary_["within_spread"]:
            within.append(label)
        elif summary_["difference"]["mean"] > 0:
            gain.append(label)
    return _spanish_list(gain), _spanish_list(within)


def _spanish_list(words):
    """«a, b y c» (o «ninguna»)."""
    if not words:
        return "ninguna"
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " y " + words[-1]


# --- Capítulo 2: rendimiento frente a cantidad de datos ----------------------

MODEL_LABELS = {
    "logistic_regression": "Regresión logística",
    "knn": "k vecinos más cercanos",
    "random_forest": "Bosque aleatorio",
    "svm": "SVM (kernel RBF)",
    "mlp": "MLP",
    "cnn": "CNN",
}
"""Nombres en español de los modelos de ``data_vs_performance``."""

CLASSIC_MODELS = ("logistic_regression", "knn", "random_forest", "svm")
DEEP_MODELS = ("mlp", "cnn")

DATA_SIZES = (100, 300, 1000, 3000, 10_000, 60_000)
"""Tamaños de entrenamiento del capítulo 2: de 100 a todo MNIST."""

SVM_MAX = 10_000
"""Tamaño máximo para la SVM: su costo crece como n² o más."""

SVM_SEEDS_MAX = 3000
"""Más allá de este tamaño, la SVM se entrena con una sola semilla."""


def classic_model(name, seed=0):
    """Un clasificador clásico de scikit-learn, por nombre."""
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.svm import SVC

    builders = {
        "logistic_regression": lambda: LogisticRegression(max_iter=100),
        "knn": lambda: KNeighborsClassifier(n_neighbors=3),
        "random_forest": lambda: RandomForestClassifier(
            n_estimators=50, random_state=seed, n_jobs=2),
        "svm": lambda: SVC(kernel="rbf"),
    }
    return builders[name]()


def deep_epochs(n, batch_size=32, steps=400):
    """Épocas para ``n`` ejemplos: al menos ``steps`` pasos de gradiente
    y al menos una época (a lo sumo 100)."""
    return min(100, max(1, math.ceil(steps * batch_size / n)))


def score_model(name, x, y, x_test, y_test, seed=0, framework="torch"):
    """Exactitud en prueba de un modelo entrenado con ``x``, ``y``."""
    if name in CLASSIC_MODELS:
        from esenciales.data.preprocessing import prepare_vectors
        model = classic_model(name, seed).fit(prepare_vectors(x), y)
        return float(model.score(prepare_vectors(x_test), y_test))
    fw = load_framework(framework)
    prepare = {"mlp": fw.data.prepare_vectors,
               "cnn": fw.data.prepare_images}[name]
    fw.training.set_seed(seed)
    model = {"mlp": fw.models.mlp, "cnn": fw.models.mnist_cnn}[name]()
    fw.training.fit(model, prepare(x), y, batch_size=32,
                    epochs=deep_epochs(len(x)), seed=seed, verbose=0)
    return accuracy(fw.training.predict(model, prepare(x_test)), y_test)


def data_point(name, n, seed=0, n_test=2000, framework="torch"):
    """Una medición: ``name`` entrenado con ``n`` imágenes de MNIST.

    Las ``n`` imágenes salen de una permutación de las 60 000 fijada por
    ``seed``; la prueba son las primeras ``n_test`` de prueba. Salida:
    ``{"model", "n_train", "seed", "accuracy", "seconds"}``.
    """
    (x, y), (x_test, y_test) = datasets.load_mnist()
    order = np.random.default_rng(seed).permutation(len(x))[:n]
    start = time.perf_counter()
    score = score_model(name, x[order], y[order].astype("int64"),
                        x_test[:n_test], y_test[:n_test].astype("int64"),
                        seed, framework)
    return {"model": name, "n_train": n, "seed": seed, "accuracy": score,
            "seconds": time.perf_counter() - start}


def seeds_for(name, n, seeds):
    """Las semillas de un punto: todas, salvo con los 60 000 ejemplos.

    Con todo MNIST la semilla ya no cambia los datos, solo el azar del
    modelo: una corrida por modelo. La SVM, la más cara, no pasa de
    ``SVM_MAX`` y usa una semilla más allá de ``SVM_SEEDS_MAX``.
    """
    if name == "svm" and n > SVM_MAX:
        return ()
    if name == "svm" and n > SVM_SEEDS_MAX:
        return seeds[:1]
    return seeds[:1] if n >= 60_000 else seeds


def data_vs_performance(sizes=DATA_SIZES, models=tuple(MODEL_LABELS),
                        seeds=SEEDS, n_test=2000, framework="torch"):
    """Exactitud de modelos clásicos y profundos según la cantidad de datos.

    Entrena cada modelo con subconjuntos crecientes de MNIST, con varias
    semillas, y lo evalúa en las mismas ``n_test`` imágenes de prueba.
    Cada medición se guarda en la caché. Devuelve una fila
    ``{"model", "n_train", "seed", "accuracy", "seconds"}`` por
    medición. Es la figura «Rendimiento vs cantidad de datos» de la clase.
    """
    unknown = set(models) - set(MODEL_LABELS)
    if unknown:
        raise ValueError(
            f"Modelos desconocidos: {sorted(unknown)}; use algunos de "
            f"{list(MODEL_LABELS)}.")
    if framework is not None:
        check_framework(framework)
    rows = []
    for n in sizes:
        for name in models:
            for seed in seeds_for(name, n, seeds):
                key = (f"datos-{name}-{n}-s{seed}-p{n_test}"
                       + ("" if name in CLASSIC_MODELS else f"-{framework}"))
                rows.append(cached_json(key, lambda: data_point(
                    name, n, seed, n_test, framework)))
    return rows


def data_summary(rows):
    """Media y desviación de la exactitud por modelo y tamaño.

    Salida: una fila ``{"model", "n_train", "accuracy", "accuracy_std",
    "runs"}`` por modelo y tamaño (en orden creciente), lista para
    ``figures.curves.data_vs_performance``.
    """
    summary = []
    for name in dict.fromkeys(row["model"] for row in rows):
        for n in sorted({r["n_train"] for r in rows if r["model"] == name}):
            values = [r["accuracy"] for r in rows
                      if r["model"] == name and r["n_train"] == n]
            mean, std = mean_std(values)
            summary.append({"model": name, "n_train": n, "accuracy": mean,
                            "accuracy_std": std, "runs": len(values)})
    return summary


def data_table(summary):
    """Tabla Markdown: exactitud media ± desviación por modelo y tamaño."""
    sizes = sorted({point["n_train"] for point in summary})
    rows = []
    for name in dict.fromkeys(point["model"] for point in summary):
        row = {"modelo": MODEL_LABELS[name]}
        for point in summary:
            if point["model"] == name:
                row[number(point["n_train"])] = _accuracy_text(point)
        rows.append(row)
    columns = ["modelo", *(number(n) for n in sizes)]
    for row in rows:
        for column in columns:
            row.setdefault(column, "—")
    return markdown_table(rows, columns, align=["l"] + ["r"] * len(sizes))


def _accuracy_text(point):
    """«95,1 ± 0,3» (en %), o solo «95,1» si hubo una sola corrida."""
    text = number(100 * point["accuracy"], 1)
    if point["runs"] > 1:
        text += " ± " + number(100 * point["accuracy_std"], 1)
    return text


def data_numbers(summary):
    """Las cifras de la figura del capítulo 2, escritas para ``glue``.

    ``dvp_small`` y ``dvp_large``: el tamaño menor y el mayor;
    ``dvp_<modelo>_small`` / ``_large``: su exactitud media (en %);
    ``dvp_best_small`` / ``dvp_best_large``: el mejor modelo en cada
    extremo; ``dvp_cnn_first``: desde qué tamaño la CNN queda primera;
    ``dvp_<modelo>_gain``: cuántos puntos gana del penúltimo tamaño al
    último (¿se estanca?); ``dvp_svm_max``: el tamaño mayor de la SVM.
    """
    sizes = sorted({point["n_train"] for point in summary})
    mean = {(p["model"], p["n_train"]): p["accuracy"] for p in summary}
    models = list(dict.fromkeys(p["model"] for p in summary))
    numbers = {"dvp_small": number(sizes[0]), "dvp_large": number(sizes[-1]),
               "dvp_before_large": number(sizes[-2])}
    for name in models:
        for tag, n in (("small", sizes[0]), ("large", sizes[-1])):
            if (name, n) in mean:
                numbers[f"dvp_{name}_{tag}"] = number(100 * mean[name, n], 1)
        if (name, sizes[-2]) in mean and (name, sizes[-1]) in mean:
            gain = 100 * (mean[name, sizes[-1]] - mean[name, sizes[-2]])
            numbers[f"dvp_{name}_gain"] = number(gain, 1)
    gains = {m: mean[m, sizes[-1]] - mean[m, sizes[-2]] for m in models
             if (m, sizes[-2]) in mean and (m, sizes[-1]) in mean}
    if gains:
        flattest = min(gains, key=gains.get)
        label = MODEL_LABELS[flattest]
        numbers["dvp_flattest"] = (label if label[:2].isupper()
                                   else label[0].lower() + label[1:])
        numbers["dvp_flattest_gain"] = number(100 * gains[flattest], 1)
    for tag, n in (("small", sizes[0]), ("large", sizes[-1])):
        best = max((m for m in models if (m, n) in mean),
                   key=lambda m: mean[m, n])
        numbers[f"dvp_best_{tag}"] = MODEL_LABELS[best]
    first = next((n for n in sizes if max(
        (m for m in models if (m, n) in mean),
        key=lambda m: mean[m, n]) == "cnn"), None)
    numbers["dvp_cnn_first"] = "—" if first is None else number(first)
    svm = [p["n_train"] for p in summary if p["model"] == "svm"]
    numbers["dvp_svm_max"] = number(max(svm)) if svm else "—"
    if svm:
        numbers["dvp_svm_at_max"] = number(100 * mean["svm", max(svm)], 1)
        numbers["dvp_cnn_at_svm_max"] = number(
            100 * mean["cnn", max(svm)], 1)
    return numbers


def learnable_minimal(seed=0, framework="torch", n=6000, epochs=10):
    """El MLP mínimo del capítulo 6 cuando la etiqueta sí depende de x.

    Datos como los de la diapositiva, (n, 10) uniformes en [0, 1), pero
    con ``y = 1`` si ``x₁ + x₂ > 1``; 10 épocas con lotes de 64 y Adam.
    Salida: exactitud en ``n // 6`` ejemplos de prueba sacados igual (en
    caché por semilla y marco).
    """
    def compute():
        fw = load_framework(framework)
        rng = np.random.default_rng(seed)
        x = rng.random((n + n // 6, 10)).astype("float32")
        y = (x[:, 0] + x[:, 1] > 1).astype("float32")[:, None]
        fw.training.set_seed(seed)
        model = fw.models.mlp_minimal()
        fw.training.fit(model, x[:n], y[:n], epochs=epochs, batch_size=64,
                        loss="binary_crossentropy", seed=seed, verbose=0)
        p = fw.training.predict(model, x[n:])
        return {"test_accuracy": float(np.mean((p > 0.5) == (y[n:] > 0.5)))}

    return cached_json(f"minimo-aprendible-{framework}-n{n}-e{epochs}-s{seed}",
                       compute)
