"""Los dos marcos con la misma receta y varias semillas: ¿aprenden igual?

Con una sola semilla por marco no se sabe si una diferencia viene de los
marcos o del azar (los pesos iniciales, el orden de los lotes). Aquí cada
modelo se entrena con ``SEEDS`` semillas en Keras y en PyTorch, sobre una
parte de sus datos (``SUBSETS``) para que quepa en el tiempo del libro.
Cada corrida es una receta del libro con otra semilla y menos ejemplos
(``seeded``), entrenada una vez por ``trained`` y guardada en la caché.
Este módulo no importa ningún framework hasta que se entrena.
"""

import numpy as np

from esenciales.frameworks import FRAMEWORKS
from esenciales.runs import recipes
from esenciales.runs.training import trained
from esenciales.spanish import markdown_table, mean_std, number

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
    for framework in FRAMEWORKS:
        for seed in seeds:
            run = trained(seeded(name, seed), framework)
            rows.append({"framework": framework, "seed": seed,
                         "test_accuracy": run.test["accuracy"],
                         "history": run.history})
    return rows


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


def within_spread(stats, a="keras", b="torch"):
    """¿Es la diferencia de medias menor que la dispersión entre semillas?

    Compara |media(b) − media(a)| con la mayor de las dos desviaciones:
    si es menor, cambiar de semilla mueve la exactitud más que cambiar de
    marco. Salida: ``(diferencia b − a, mayor desviación, bool)``.
    """
    difference = stats[b]["mean"] - stats[a]["mean"]
    spread = max(stats[a]["std"], stats[b]["std"])
    return difference, spread, abs(difference) <= spread


def title(name):
    """«LSTM en IMDB, 2000 reseñas»: el modelo y sus datos de entrenamiento."""
    model, unit = LABELS[name]
    return f"{model}, {number(SUBSETS[name]['n_train'])} {unit}"


def table(stats_by_model):
    """Tabla Markdown: media ± desviación por marco, diferencia y si cabe
    en la dispersión entre semillas (cifras en puntos porcentuales).

    Entrada: ``{nombre de receta: summary(filas)}``.
    """
    rows = []
    for name, stats in stats_by_model.items():
        difference, spread, within = within_spread(stats)
        rows.append({
            "modelo y datos": title(name),
            "Keras": mean_std(stats["keras"]["values"], 1, as_percent=True),
            "PyTorch": mean_std(stats["torch"]["values"], 1,
                                as_percent=True),
            "PyTorch − Keras": number(100 * difference, 1).replace(
                "-", "−") + " pp",  # signo menos tipográfico
            "mayor desviación": f"{number(100 * spread, 1)} pp",
            "¿dentro?": "sí" if within else "no"})
    return markdown_table(rows, align="lrrrrl")
