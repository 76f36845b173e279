"""Los experimentos del capítulo 5: cada técnica frente a su línea base.

Un experimento compara dos recetas de entrenamiento
(``esenciales.runs.recipes``), una línea base y la misma con una técnica,
con varias semillas: la semilla ``s`` es ``receta.replace(seed=s)``, que
sortea el subconjunto de datos, los pesos iniciales y el orden de los
lotes. La línea base y la técnica comparten la semilla, así que ven los
mismos ejemplos. Cada receta se entrena una vez con
``esenciales.runs.training`` y su registro queda en la caché de
resultados, con la receta como clave. Cada variante se resume como media ±
desviación estándar; la diferencia, con la regla del libro
(``esenciales.runs.stats``): su media y su intervalo del 95 %.

Este módulo no importa TensorFlow ni PyTorch hasta que un experimento los
necesita.
"""

from dataclasses import dataclass

from esenciales.runs import recipes, stats, training
from esenciales.spanish import NO_BREAK_SPACE, markdown_table, number

SEEDS = (0, 1, 2)
"""Semillas de cada comparación."""

MORE_SEEDS = (0, 1, 2, 3, 4)
"""Semillas de las comparaciones baratas cuyo intervalo con tres queda
demasiado ancho para decidir (la transferencia)."""

FRAMEWORK = "torch"
"""Los experimentos corren en PyTorch (los gemelos dan lo mismo: cap. 6)."""


# --- Muchas semillas ---------------------------------------------------------

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
        mean, std = stats.mean_std(values)
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


# --- Cada técnica frente a su línea base -------------------------------------

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


def _comparison(label, name, metric="test_accuracy", seeds=SEEDS,
                **changes):
    """La receta ``name`` (o la receta misma) sin y con la técnica."""
    return Comparison(label, recipes.get(name),
                      technique(name, **changes), seeds, metric)


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
                            seeds=MORE_SEEDS, source="cnn_digits_0_4"),
    "second_block": _comparison(   # el ejercicio del capítulo 6
        "segundo bloque convolucional",
        recipes.get("cnn_small_data").replace(n_train=1000, epochs=5),
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


def jobs(name):
    """Los entrenamientos de ``compare(name)``, como pares ``(función,
    argumentos)``: los que ``tools/prefetch.py`` hace antes, en paralelo.
    La receta de origen de una transferencia va primero."""
    comparison = COMPARISONS[name]
    source = comparison.technique.source
    first = [] if source is None else [(training.trained,
                                        (source, FRAMEWORK))]
    return first + [(training.trained_record,
                     (recipe.replace(seed=seed), FRAMEWORK))
                    for recipe in (comparison.baseline, comparison.technique)
                    for seed in comparison.seeds]


# --- Las cifras de cada corrida ----------------------------------------------

def first_val_accuracy(run):
    """Exactitud de validación tras la primera época."""
    return run["history"]["val_accuracy"][0]


def final_train_accuracy(run):
    """Exactitud de entrenamiento en la última época."""
    return run["history"]["accuracy"][-1]


def val_loss_rise(run):
    """Cuánto subió la pérdida de validación desde su mínimo hasta la
    última época (0 si el mínimo está en la última)."""
    val_loss = run["history"]["val_loss"]
    return val_loss[-1] - min(val_loss)


FIGURES = {
    "test_accuracy": lambda run: run["test"]["accuracy"],
    "test_loss": lambda run: run["test"]["loss"],
    "train_accuracy": final_train_accuracy,
    "first_val_accuracy": first_val_accuracy,
    "epochs": lambda run: run["epochs"],
    "best_epoch": lambda run: run["best_epoch"],
    "val_loss_rise": val_loss_rise,
}
"""Las cifras que se resumen de cada corrida, por nombre."""

FIGURE_LABELS = {
    "test_accuracy": "exactitud de prueba",
    "test_loss": "entropía cruzada de prueba",
    "train_accuracy": "exactitud de entrenamiento",
    "first_val_accuracy": "exactitud de validación tras 1 época",
    "epochs": "épocas entrenadas",
    "best_epoch": "época de menor pérdida de validación",
    "val_loss_rise": "subida de la pérdida de validación tras su mínimo",
}
"""Nombres en español de las cifras de ``FIGURES``."""

BETTER = {"test_accuracy": True, "test_loss": False,
          "first_val_accuracy": True}
"""Si subir la cifra es mejorar; las que faltan solo suben o bajan."""


def figure_of(runs, name):
    """La cifra ``name`` (una de ``FIGURES``) de cada corrida."""
    return [FIGURES[name](run) for run in runs]


def effect(runs, name="test_accuracy"):
    """Resumen de una cifra en una comparación.

    Salida: ``{"baseline", "technique"}``, cada uno con ``mean``, ``std``
    y ``values`` entre semillas, y ``"difference"``: la regla del libro
    sobre la diferencia semilla por semilla
    (``stats.paired_difference``: media, intervalo del 95 %, ``real``).
    """
    base = figure_of(runs["baseline"], name)
    tech = figure_of(runs["technique"], name)
    summary_ = {key: dict(zip(("mean", "std"), stats.mean_std(values)),
                          values=values)
                for key, values in (("baseline", base), ("technique", tech))}
    summary_["difference"] = stats.paired_difference(base, tech)
    return summary_


def _scale(name):
    """Factor y decimales con que el libro escribe la cifra ``name``."""
    return {"test_loss": (1, 3), "val_loss_rise": (1, 3), "epochs": (1, 1),
            "best_epoch": (1, 1)}.get(name, (100, 1))


def formatted(value, name, signed=False):
    """Una cifra de ``FIGURES`` como la escribe el libro.

    Exactitudes en %, la entropía cruzada con tres decimales, épocas con
    uno; ``signed`` antepone el signo (para diferencias).
    """
    scale, digits = _scale(name)
    text = number(float(scale * value), digits)
    return stats.signed(text) if signed else text


def _unit(name, difference=False):
    """La unidad tras el número: «\u00a0%», «\u00a0puntos» o nada."""
    if _scale(name)[0] == 1:
        return ""
    return f"{NO_BREAK_SPACE}puntos" if difference else f"{NO_BREAK_SPACE}%"


def formatted_pair(summary_, name, signed=False):
    """«media ± desviación» de una cifra, con su unidad."""
    return (f"{formatted(summary_['mean'], name, signed)} ± "
            f"{formatted(summary_['std'], name)}{_unit(name, signed)}")


def difference_verdict(difference, name):
    """La oración de la regla sobre la diferencia de la cifra ``name``."""
    scale, digits = _scale(name)
    article = "el número de" if name == "epochs" else "la"
    return stats.verdict(
        difference, f"{article} {FIGURE_LABELS[name]}",
        lambda v: number(float(scale * v), digits),
        unit=_unit(name, difference=True),
        higher_is_better=BETTER.get(name))


def interval(difference, name):
    """«de −0,8 a +3,2 puntos»: el intervalo del 95 % de la diferencia."""
    scale, digits = _scale(name)
    return stats.interval_text(
        difference, lambda v: number(float(scale * v), digits),
        _unit(name, difference=True))


def comparison_table(name, runs, figures=("test_accuracy", "test_loss")):
    """Tabla Markdown de una comparación: media ± desviación por variante,
    y la diferencia semilla por semilla con su intervalo del 95 %."""
    comparison = COMPARISONS[name]
    n = len(runs["baseline"])
    rows = [{"variante": "línea base"},
            {"variante": f"con {comparison.label}"},
            {"variante": "diferencia (media)"},
            {"variante": "intervalo del 95\u00a0%"}]
    for figure_name in figures:
        summary_ = effect(runs, figure_name)
        column = FIGURE_LABELS[figure_name]
        difference = summary_["difference"]
        rows[0][column] = formatted_pair(summary_["baseline"], figure_name)
        rows[1][column] = formatted_pair(summary_["technique"], figure_name)
        rows[2][column] = (formatted(difference["mean"], figure_name, True)
                           + _unit(figure_name, True))
        rows[3][column] = interval(difference, figure_name)
    columns = ["variante", *(FIGURE_LABELS[f] for f in figures)]
    table = markdown_table(rows, columns, align=["l"] + ["r"] * len(figures))
    return table + (f"\n\nMedia ± desviación estándar con {n} semillas; la "
                    "diferencia, semilla por semilla, con su intervalo de "
                    "confianza del 95\u00a0% (t de Student, "
                    f"{n - 1} grados de libertad).")


def comparison_numbers(prefix, runs):
    """Las cifras de una comparación, escritas, para citarlas con ``glue``.

    ``runs``: ``{"baseline": [...], "technique": [...]}`` con las mismas
    semillas (las de ``compare``, u otras dos listas de corridas pareadas).
    Claves ``<prefix>_<cifra>_base``, ``_tech``, ``_diff`` (la media de la
    diferencia), ``_interval`` y ``_verdict`` (la oración de la regla) para
    cada cifra de ``FIGURES``, más ``<prefix>_seeds``.
    """
    numbers = {f"{prefix}_seeds": str(len(runs["baseline"]))}
    for figure_name in FIGURES:
        summary_ = effect(runs, figure_name)
        difference = summary_["difference"]
        key = f"{prefix}_{figure_name}"
        numbers[f"{key}_base"] = formatted_pair(summary_["baseline"],
                                                figure_name)
        numbers[f"{key}_tech"] = formatted_pair(summary_["technique"],
                                                figure_name)
        numbers[f"{key}_diff"] = (formatted(difference["mean"], figure_name,
                                            True)
                                  + _unit(figure_name, True))
        numbers[f"{key}_interval"] = interval(difference, figure_name)
        numbers[f"{key}_verdict"] = difference_verdict(difference,
                                                       figure_name)
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


# --- Todas juntas ------------------------------------------------------------

VERDICT_WORDS = {"mejora": "mejora", "empeora": "empeora",
                 "azar": "no se distingue del azar"}
"""Cómo dice la tabla resumen lo que concluye la regla."""


def summary_table(results):
    """Tabla Markdown con todas las comparaciones: la cifra de cada una.

    ``results``: ``{nombre: corridas}`` (las de ``compare``). Una fila por
    técnica con su cifra principal (``Comparison.metric``), las dos
    medias ± desviación, la diferencia, su intervalo del 95 % y lo que
    concluye la regla del libro sobre esa cifra.
    """
    rows = []
    for name, runs in results.items():
        metric = COMPARISONS[name].metric
        summary_ = effect(runs, metric)
        difference = summary_["difference"]
        rows.append({
            "técnica": COMPARISONS[name].label,
            "cifra": FIGURE_LABELS[metric],
            "semillas": str(difference["n"]),
            "línea base": formatted_pair(summary_["baseline"], metric),
            "con la técnica": formatted_pair(summary_["technique"], metric),
            "diferencia (IC 95\u00a0%)": (
                formatted(difference["mean"], metric, True)
                + f" ({interval(difference, metric).removeprefix('de ')})"),
            "veredicto": VERDICT_WORDS[stats.direction(
                difference, BETTER.get(metric, True))],
        })
    return markdown_table(rows, align=["l", "l", "r", "r", "r", "r", "l"])


def accuracy_effects(results):
    """``(técnica, diferencia media, media intervalo)`` de la exactitud
    de prueba, en puntos porcentuales, para ``figures.curves.effects``."""
    rows = []
    for name, runs in results.items():
        difference = effect(runs, "test_accuracy")["difference"]
        rows.append((COMPARISONS[name].label, 100 * difference["mean"],
                     100 * (difference["high"] - difference["mean"])))
    return rows


def accuracy_verdicts(results):
    """Tres listas en palabras, según la regla sobre la exactitud de
    prueba: las técnicas que la mejoran, las que no se distinguen del
    azar y las que la empeoran."""
    groups = {"mejora": [], "azar": [], "empeora": []}
    for name, runs in results.items():
        difference = effect(runs, "test_accuracy")["difference"]
        groups[stats.direction(difference)].append(COMPARISONS[name].label)
    return tuple(stats.spanish_list(groups[key])
                 for key in ("mejora", "azar", "empeora"))


def conclusion(name, runs, metric="test_accuracy"):
    """La oración de la regla sobre ``metric`` en la comparación ``name``."""
    return difference_verdict(effect(runs, metric)["difference"], metric)
