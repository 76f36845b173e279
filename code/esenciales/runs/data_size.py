"""Los experimentos del capítulo 2: rendimiento frente a cantidad de datos.

Cuatro modelos clásicos (scikit-learn) y dos redes (PyTorch) se entrenan
con subconjuntos crecientes de MNIST, con varias semillas, y se evalúan en
las mismas imágenes de prueba: la figura «Rendimiento vs cantidad de
datos» de la clase, medida. La semilla ``s`` sortea las imágenes del
subconjunto, las mismas para todos los modelos, así que dos modelos se
comparan semilla por semilla con la regla del libro
(``esenciales.runs.stats``). Cada medición se guarda en la caché.
"""

import hashlib
import math
import time

from esenciales import data as datasets
from esenciales.frameworks import check_framework
from esenciales.runs import recipes, stats, training
from esenciales.runs.cache import cached_json
from esenciales.spanish import markdown_table, number

SEEDS = (0, 1, 2)
"""Semillas de cada punto de la curva."""

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
        # lbfgs se detiene cuando la pérdida mejora menos de tol por paso:
        # con tol=1e-3, unas 60 iteraciones con 60 000 imágenes; con el
        # 1e-4 por omisión, cuatro veces más tiempo y medio punto más.
        "logistic_regression": lambda: LogisticRegression(
            tol=1e-3, max_iter=1000),
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


def classic_key(name, n, seed, n_test):
    """La clave de caché de una medición clásica: el tamaño, la semilla y
    una huella del modelo con sus hiperparámetros (si cambian, se vuelve
    a medir)."""
    model = repr(classic_model(name, seed)).replace(" ", "")
    digest = hashlib.sha256(model.encode()).hexdigest()[:8]
    return f"datos-{name}-{n}-s{seed}-p{n_test}-{digest}"


def data_point(name, n, seed=0, n_test=2000, framework="torch"):
    """Una medición: ``name`` entrenado con ``n`` imágenes de MNIST.

    Las ``n`` imágenes salen de una permutación de las 60 000 fijada por
    ``seed``; la prueba son las primeras ``n_test`` de prueba. Cada
    medición se guarda en la caché: las redes, con su receta como clave;
    los clásicos, con el modelo y sus hiperparámetros.
    Salida: ``{"model", "n_train", "seed", "accuracy", "seconds"}``.
    """
    if name in CLASSIC_MODELS:
        def measure():
            start = time.perf_counter()
            score = classic_score(name, n, seed, n_test)
            return {"accuracy": score,
                    "seconds": time.perf_counter() - start}

        result = cached_json(classic_key(name, n, seed, n_test), measure)
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
    """Exactitud de modelos clásicos y profundos según los datos.

    Entrena cada modelo con subconjuntos crecientes de MNIST, con varias
    semillas, y lo evalúa en las mismas ``n_test`` imágenes de prueba.
    Cada medición se guarda en la caché. Devuelve una fila
    ``{"model", "n_train", "seed", "accuracy", "seconds"}`` por
    medición. Es la figura «Rendimiento vs cantidad de datos» de la
    clase.
    """
    unknown = set(models) - set(MODEL_LABELS)
    if unknown:
        raise ValueError(
            f"Modelos desconocidos: {sorted(unknown)}; los que hay son "
            f"{list(MODEL_LABELS)}.")
    if framework is not None:
        check_framework(framework)
    return [measure(*args) for measure, args in jobs(
        sizes, models, seeds, n_test, framework)]


def jobs(sizes=DATA_SIZES, models=tuple(MODEL_LABELS), seeds=SEEDS,
         n_test=2000, framework="torch"):
    """Las mediciones de ``data_vs_performance``, como pares ``(función,
    argumentos)``: las que ``tools/prefetch.py`` hace antes, en
    paralelo."""
    return [(data_point, (name, n, seed, n_test, framework))
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
            mean, std = stats.mean_std(values)
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


def data_numbers(rows, summary):
    """Las cifras y oraciones de la figura del capítulo 2, para ``glue``.

    ``dvp_small`` y ``dvp_large``: el tamaño menor y el mayor;
    ``dvp_<modelo>_small`` / ``_large``: su exactitud media (en %);
    ``dvp_ranking_small`` / ``_large``: quién tiene la media más alta y
    qué dice la regla del libro frente a los demás;
    ``dvp_mlp_versus``: el MLP frente a los clásicos, tamaño por tamaño;
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
        numbers["dvp_flattest"] = NAMES[flattest]
        numbers["dvp_flattest_gain"] = number(100 * gains[flattest], 1)
    for tag, n in (("small", sizes[0]), ("large", sizes[-1])):
        numbers[f"dvp_ranking_{tag}"] = ranking_sentence(rows, summary, n)
    if "mlp" in models:
        classics = [m for m in CLASSIC_MODELS if m in models]
        sentences = [versus_sentence(rows, "mlp", classics, n)
                     for n in sizes
                     if len(paired_accuracies(rows, "mlp", "mlp", n)[0]) > 1]
        text = "; ".join(sentences)
        numbers["dvp_mlp_versus"] = text[:1].upper() + text[1:] + "."
    svm = [p["n_train"] for p in summary if p["model"] == "svm"]
    numbers["dvp_svm_max"] = number(max(svm)) if svm else "—"
    if svm:
        numbers["dvp_svm_at_max"] = number(100 * mean["svm", max(svm)], 1)
        numbers["dvp_cnn_at_svm_max"] = number(
            100 * mean["cnn", max(svm)], 1)
    return numbers




# --- Lo que concluye la regla del libro --------------------------------------

NAMES = {
    "logistic_regression": "la regresión logística",
    "knn": "el k-NN",
    "random_forest": "el bosque aleatorio",
    "svm": "la SVM",
    "mlp": "el MLP",
    "cnn": "la CNN",
}
"""Cada modelo con su artículo, como lo nombra una oración."""


def paired_accuracies(rows, a, b, n):
    """Exactitudes de ``a`` y ``b`` con ``n`` imágenes, pareadas por
    semilla (las semillas que ambos tienen): dos listas."""
    found = {(r["model"], r["seed"]): r["accuracy"] for r in rows
             if r["n_train"] == n}
    seeds = sorted(s for m, s in found if m == a and (b, s) in found)
    return [found[a, s] for s in seeds], [found[b, s] for s in seeds]


def versus(rows, model, others, n):
    """La regla del libro entre ``model`` y cada uno de ``others`` con
    ``n`` imágenes. Salida: ``{"mejora": [...], "empeora": [...],
    "azar": [...], "sin": [...]}`` con los nombres de ``NAMES``: a quién
    supera, ante quién queda por debajo, de quién no se distingue y con
    quién no hay dos semillas para comparar."""
    groups = {"mejora": [], "empeora": [], "azar": [], "sin": []}
    for other in others:
        theirs, ours = paired_accuracies(rows, other, model, n)
        if not ours:
            continue
        if len(ours) < 2:
            groups["sin"].append(NAMES[other])
            continue
        difference = stats.paired_difference(theirs, ours)
        groups[stats.direction(difference)].append(NAMES[other])
    return groups


def versus_sentence(rows, model, others, n):
    """Una oración con lo que concluye ``versus``, nombrando la cifra."""
    groups = versus(rows, model, others, n)
    seeds = len(paired_accuracies(rows, model, model, n)[0])
    parts = _versus_parts(groups)
    return _contract(f"con {number(n)} imágenes y {seeds} semillas, "
                     f"{NAMES[model]} "
                     f"{stats.spanish_list(parts, 'no se compara')}")


def _versus_parts(groups):
    """Las frases de ``versus``: a quién supera, frente a quién queda por
    debajo, con quién no se distingue del azar y con quién no se compara."""
    parts = []
    if groups["mejora"]:
        parts.append("supera a " + stats.spanish_list(groups["mejora"]))
    if groups["empeora"]:
        parts.append("queda por debajo de "
                     + stats.spanish_list(groups["empeora"]))
    if groups["azar"]:
        parts.append("no se distingue del azar frente a "
                     + stats.spanish_list(groups["azar"]))
    if groups["sin"]:
        parts.append("frente a " + stats.spanish_list(groups["sin"])
                     + " no se puede comparar (una sola corrida)")
    return parts


def ranking_sentence(rows, summary, n):
    """Quién tiene la mayor exactitud de prueba media con ``n`` imágenes
    y qué dice la regla del libro frente a cada uno de los demás."""
    means = {p["model"]: p for p in summary if p["n_train"] == n}
    best = max(means, key=lambda m: means[m]["accuracy"])
    head = (f"Con {number(n)} imágenes, la exactitud de prueba media más "
            f"alta es la de {NAMES[best]} "
            f"({number(100 * means[best]['accuracy'], 1)}\u00a0%)")
    if means[best]["runs"] < 2:
        return (head + ", en una sola corrida por modelo: sin semillas no "
                "hay intervalo, y el orden no se puede separar del azar.")
    others = [m for m in means if m != best]
    parts = _versus_parts(versus(rows, best, others, n))
    return _contract(head + f"; con {means[best]['runs']} semillas, "
                     + stats.spanish_list(parts, "no se compara") + ".")


def _contract(text):
    """«a el» → «al», «de el» → «del»."""
    return text.replace(" a el ", " al ").replace(" de el ", " del ")
