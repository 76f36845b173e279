"""Los dos marcos con la misma receta y varias semillas: ¿aprenden igual?

Con una sola semilla por marco no se sabe si una diferencia viene de los
marcos o del azar (los pesos iniciales, el orden de los lotes). Aquí cada
modelo se entrena con ``SEEDS`` semillas en Keras y en PyTorch, sobre una
parte de sus datos (``SUBSETS``) para que quepa en el tiempo del libro.
La semilla elige los mismos ejemplos en los dos marcos, así que la
diferencia se toma semilla por semilla y se juzga con la regla del libro
(``esenciales.runs.stats``).
Cada corrida es una receta del libro con otra semilla y menos ejemplos
(``seeded``), entrenada una vez por ``trained`` y guardada en la caché.
Este módulo no importa ningún framework hasta que se entrena.
"""

import numpy as np

from esenciales.frameworks import FRAMEWORKS
from esenciales.runs import recipes, stats
from esenciales.runs.training import trained
from esenciales.spanish import (NO_BREAK_SPACE, markdown_table, mean_std,
                                 number)

SEEDS = (0, 1, 2)
"""Las semillas de cada marco."""

SUBSETS = {
    "mnist_cnn": {"n_train": 4000},
    "lstm_classifier": {"n_train": 2000, "n_test": 2000},
}
"""Cuántos ejemplos usa cada modelo (sin ``n_test``: toda la prueba)."""

LABELS = {"mnist_cnn": ("CNN de MNIST", "imágenes"),
          "lstm_classifier": ("LSTM en IMDB", "reseñas")}
"""Nombre de cada modelo en las tablas y qué son sus ejemplos."""


def seeded(name, seed):
    """La receta ``name`` con la semilla ``seed`` y los datos de
    ``SUBSETS``; todo lo demás (épocas, lotes, tasa), como en el libro."""
    return recipes.get(name).replace(seed=seed, **SUBSETS[name])


def compare_frameworks(name, seeds=SEEDS):
    """Exactitud de prueba de ``name`` en cada marco y semilla.

    Salida: filas ``{"framework", "seed", "test_accuracy", "history"}``,
    una por marco y semilla (cada una en la caché de resultados).
    """
    rows = []
    for train, (recipe, framework) in jobs(name, seeds):
        run = train(recipe, framework)
        rows.append({"framework": framework, "seed": recipe.seed,
                     "test_accuracy": run.test["accuracy"],
                     "history": run.history})
    return rows


def jobs(name, seeds=SEEDS):
    """Los entrenamientos de ``compare_frameworks(name)``, como pares
    ``(función, argumentos)``: los que ``tools/prefetch.py`` hace antes,
    en paralelo."""
    return [(trained, (seeded(name, seed), framework))
            for framework in FRAMEWORKS for seed in seeds]


def summary(rows, by="framework"):
    """Media y desviación de la exactitud de prueba por ``by``.

    Salida: ``{valor de by: {"mean", "std", "values"}}``, en el orden de
    las filas (desviación muestral, con n − 1).
    """
    groups = {}
    for row in rows:
        groups.setdefault(row[by], []).append(row["test_accuracy"])
    return {key: {"mean": float(np.mean(values)),
                  "std": float(np.std(values, ddof=1)),
                  "values": values}
            for key, values in groups.items()}


def framework_difference(summary_, a="keras", b="torch"):
    """La regla del libro sobre ``b − a``, semilla por semilla
    (``stats.paired_difference``: media, intervalo del 95 %, ``real``)."""
    return stats.paired_difference(summary_[a]["values"],
                                   summary_[b]["values"])


def _points(value):
    return number(100 * value, 1)


def verdict(name, summary_):
    """La oración de la regla sobre la exactitud de prueba de PyTorch
    menos la de Keras, para el modelo ``name``."""
    return stats.verdict(
        framework_difference(summary_),
        f"la exactitud de prueba de PyTorch frente a la de Keras "
        f"({title(name)})", _points, unit=f"{NO_BREAK_SPACE}puntos",
        higher_is_better=None)


def title(name):
    """«LSTM en IMDB, 2000 reseñas»: el modelo y sus datos de entrenamiento."""
    model, unit = LABELS[name]
    return f"{model}, {number(SUBSETS[name]['n_train'])} {unit}"


def table(stats_by_model):
    """Tabla Markdown: media ± desviación por marco, la diferencia
    semilla por semilla con su intervalo del 95 % y lo que concluye la
    regla del libro (cifras en puntos porcentuales).

    Entrada: ``{nombre de receta: summary(filas)}``.
    """
    rows = []
    for name, summary_ in stats_by_model.items():
        difference = framework_difference(summary_)
        rows.append({
            "modelo y datos": title(name),
            "Keras": mean_std(summary_["keras"]["values"], 1,
                              as_percent=True),
            "PyTorch": mean_std(summary_["torch"]["values"], 1,
                                as_percent=True),
            "PyTorch − Keras":
                stats.signed(_points(difference["mean"])) + " pp",
            "IC 95\u00a0%": stats.interval_text(difference, _points, " pp"),
            "¿se distinguen?": "sí" if difference["real"] else
            "no (azar)"})
    return markdown_table(rows, align="lrrrrl")
