"""Los experimentos del libro: lo que la clase afirma, medido con semillas.

Un experimento compara dos recetas de entrenamiento
(``esenciales.runs.recipes``), una línea base y la misma con una técnica,
con varias semillas: la semilla ``s`` es ``receta.replace(seed=s)``, que
sortea el subconjunto de datos, los pesos iniciales y el orden de los
lotes. La línea base y la técnica comparten la semilla, así que ven los
mismos ejemplos. Cada receta se entrena una vez con
``esenciales.runs.training`` y su registro queda en la caché de
resultados, con la receta como clave. Cada cifra se resume como media ±
desviación estándar.

Este módulo no importa TensorFlow ni PyTorch hasta que un experimento los
necesita.
"""

import math
import time
from dataclasses import dataclass

import numpy as np

from esenciales import data as datasets
from esenciales.frameworks import check_framework
from esenciales.runs import recipes, training
from esenciales.runs.cache import cached_json
from esenciales.spanish import NO_BREAK_SPACE, markdown_table, number

SEEDS = (0, 1, 2)
"""Semillas de cada comparación y de cada punto del capítulo 2."""

FRAMEWORK = "torch"
"""Los experimentos corren en PyTorch (los gemelos dan lo mismo: cap. 6)."""


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


def run_seeds(recipe, seeds=SEEDS):
    """Los registros de ``recipe``, uno por semilla, desde la caché.

    Cada uno es el ``record()`` de ``training.train``: historial, cifras
    de prueba (``test``), ``best_epoch`` y ``restored_epoch``.
    """
    recipe = recipes.get(recipe)
    return [training.trained_record(recipe.replace(seed=seed), FRAMEWORK)
            for seed in seeds]


# --- Capítulo 5: cada técnica frente a su línea base -------------------------

@dataclass(frozen=True)
class Comparison:
    """Una técnica del capítulo 5: la línea base, la técnica y sus semillas.

    ``metric`` es la cifra que la técnica promete mejorar.
    """

    label: str
    baseline: recipes.Recipe
    technique: recipes.Recipe
    seeds: tuple = SEEDS
    metric: str = "test_accuracy"


def technique(name, **overrides):
    """La receta ``name`` (o la receta misma) con una técnica: argumentos
    del modelo (``dropout=0.5``) o campos de la receta (``patience=5``)."""
    recipe = recipes.get(name)
    knobs = {k: v for k, v in overrides.items()
             if k in recipes.field_names()}
    model_kwargs = {k: v for k, v in overrides.items() if k not in knobs}
    return recipe.replace(
        model_kwargs={**recipe.model_kwargs, **model_kwargs}, **knobs)


def _comparison(label, name, metric="test_accuracy", **changes):
    """La receta ``name`` (o la receta misma) sin y con la técnica, con
    las semillas ``SEEDS``."""
    return Comparison(label, recipes.get(name),
                      technique(name, **changes), metric=metric)


COMPARISONS = {
    "dropout": _comparison("dropout", "mlp_overfitting", dropout=0.5),
    "l2": _comparison("L2", "mlp_overfitting", l2=1e-3),
    "augmentation": _comparison("aumento de datos", "cnn_small_data",
                                augment=True),
    "batch_norm": _comparison("normalización por lotes", "mlp_plain_sgd",
                              metric="first_val_accuracy", batch_norm=True),
    "early_stopping": _comparison("parada temprana", "mlp_overfitting",
                                  metric="test_loss", patience=5),
    "warmup": _comparison("calendario de la tasa", "mlp_high_rate",
                          schedule="warmup_cosine", warmup_epochs=1.0),
    "transfer": _comparison("transferencia", "cnn_digits_5_9",
                            source="cnn_digits_0_4"),
    "second_block": _comparison(   # el ejercicio del capítulo 6
        "segundo bloque convolucional",
        recipes.get("cnn_small_data").replace(n_train=2000, epochs=5),
        conv_blocks=2),
}
"""Las comparaciones del libro, por nombre."""


def compare(name, **overrides):
    """Las corridas de una comparación: ``{"baseline": [...],
    "technique": [...]}``, una corrida por semilla (desde la caché).

    ``overrides`` cambia un campo en las dos recetas (``epochs=60``).
    """
    if name not in COMPARISONS:
        raise ValueError(f"No existe la comparación «{name}». Opciones: "
                         f"{', '.join(COMPARISONS)}.")
    comparison = COMPARISONS[name]
    return {variant: run_seeds(recipe.replace(**overrides), comparison.seeds)
            for variant, recipe in (("baseline", comparison.baseline),
                                    ("technique", comparison.technique))}


def first_val_accuracy(run):
    """Exactitud de validación tras la primera época."""
    return run["history"]["val_accuracy"][0]


def final_train_accuracy(run):
    """Exactitud de entrenamiento en la última época."""
    return run["history"]["accuracy"][-1]


FIGURES = {
    "test_accuracy": lambda run: run["test"]["accuracy"],
    "test_loss": lambda run: run["test"]["loss"],
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


def comparison_numbers(prefix, runs):
    """Las cifras de una comparación, escritas, para citarlas con ``glue``.

    ``runs``: ``{"baseline": [...], "technique": [...]}`` con las mismas
    semillas (las de ``compare``, u otras dos listas de corridas pareadas).
    Claves ``<prefix>_<cifra>_base``, ``_tech``, ``_diff`` y ``_verdict``
    para cada cifra de ``FIGURES``, más ``<prefix>_seeds``.
    """
    numbers = {f"{prefix}_seeds": str(len(runs["baseline"]))}
    for figure_name in FIGURES:
        summary_ = effect(runs, figure_name)
        key = f"{prefix}_{figure_name}"
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
    """Tres listas en palabras: las técnicas que mejoran la exactitud de
    prueba más allá de la dispersión, las que quedan dentro de ella y las
    que la empeoran más allá de ella."""
    gain, within, loss = [], [], []
    for name, runs in results.items():
        summary_ = effect(runs, "test_accuracy")
        label = COMPARISONS[name].label
        if summary_["within_spread"]:
            within.append(label)
        elif summary_["difference"]["mean"] > 0:
            gain.append(label)
        else:
            loss.append(label)
    return _spanish_list(gain), _spanish_list(within), _spanish_list(loss)


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

DATA_SIZES = (100, 1000, 10_000, 60_000)
"""Tamaños de entrenamiento del capítulo 2: de 100 a todo MNIST, uno por
orden de magnitud (el eje es logarítmico)."""

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


def deep_epochs(n, batch_size=64, steps=200):
    """Épocas para ``n`` ejemplos: al menos ``steps`` pasos de gradiente
    y al menos una época (a lo sumo 100)."""
    return min(100, max(1, math.ceil(steps * batch_size / n)))


DEEP_RECIPES = {"mlp": "mlp", "cnn": "mnist_cnn"}
"""La receta de cada red de la curva (``recipes.RECIPES``)."""


def deep_recipe(name, n, seed=0, n_test=2000):
    """La receta de una red de la curva, con ``n`` imágenes.

    La de ``DEEP_RECIPES`` con Adam a tasa fija 0,001, lotes de 64, sin
    validación y ``deep_epochs(n)`` épocas: la misma para cada tamaño.
    """
    return recipes.get(DEEP_RECIPES[name]).replace(
        n_train=n, n_test=n_test, epochs=deep_epochs(n), batch_size=64,
        learning_rate=1e-3, schedule="constant", warmup_epochs=0.0,
        validation_split=0.0, seed=seed)


def classic_score(name, n, seed=0, n_test=2000):
    """Exactitud en prueba de un modelo clásico entrenado con ``n``
    imágenes: las mismas que ve ``deep_recipe(…, n, seed)``."""
    from esenciales.data.preprocessing import prepare_vectors

    data = training.select(recipes.get("mlp").replace(
        n_train=n, n_test=n_test, seed=seed), *datasets.load_mnist())
    (x, y), (x_test, y_test) = data.train, data.test
    model = classic_model(name, seed).fit(prepare_vectors(x), y)
    return float(model.score(prepare_vectors(x_test), y_test))


def data_point(name, n, seed=0, n_test=2000, framework="torch"):
    """Una medición: ``name`` entrenado con ``n`` imágenes de MNIST.

    Las ``n`` imágenes salen de una permutación de las 60 000 fijada por
    ``seed``; la prueba son las primeras ``n_test`` de prueba. Cada
    medición se guarda en la caché (las redes, con su receta como clave).
    Salida: ``{"model", "n_train", "seed", "accuracy", "seconds"}``.
    """
    if name in CLASSIC_MODELS:
        def measure():
            start = time.perf_counter()
            score = classic_score(name, n, seed, n_test)
            return {"accuracy": score,
                    "seconds": time.perf_counter() - start}

        result = cached_json(f"datos-{name}-{n}-s{seed}-p{n_test}", measure)
    else:
        record = training.trained_record(
            deep_recipe(name, n, seed, n_test), framework)
        result = {"accuracy": record["test"]["accuracy"],
                  "seconds": record["seconds"]}
    return {"model": name, "n_train": n, "seed": seed, **result}


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
            f"Modelos desconocidos: {sorted(unknown)}; los que hay son "
            f"{list(MODEL_LABELS)}.")
    if framework is not None:
        check_framework(framework)
    return [data_point(name, n, seed, n_test, framework)
            for n in sizes for name in models
            for seed in seeds_for(name, n, seeds)]


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


def learnable_minimal(seed=0, framework="torch", n=6000):
    """El MLP mínimo del capítulo 6 cuando la etiqueta sí depende de x.

    La receta ``mlp_minimal`` con los datos ``random_sum``: (n, 10)
    uniformes en [0, 1), como en la diapositiva, pero con ``y = 1`` si
    ``x₁ + x₂ > 1``. Salida: ``{"test_accuracy"}`` en ``n // 6`` ejemplos
    de prueba sacados igual (de la caché, por receta).
    """
    recipe = recipes.get("mlp_minimal").replace(data="random_sum",
                                                n_train=n, seed=seed)
    record = training.trained_record(recipe, framework)
    return {"test_accuracy": record["test"]["accuracy"]}
