"""Curvas: funciones, historiales de entrenamiento y mediciones.

Cada serie lleva color, tipo de línea y marcador distintos
(``style.series``), así que se distinguen también impresas en gris. Los
ejes usan coma decimal y las épocas, marcas enteras.
"""

import numpy as np

from esenciales import spanish
from esenciales.figures.style import (LARGE, PHONE_WIDTH, SMALL,
                                      decimal_comma, figure, integer_ticks,
                                      panels, series)
from esenciales.scratch import activations

def activation_functions(names=None, z=None, columns=3, stacked=False):
    """Cada activación y su derivada en un panel propio, en una grilla.

    Entrada: nombres de ``esenciales.scratch.activations.ACTIVATIONS``. En
    cada panel, la función (continua) y su derivada (discontinua). Con
    ``stacked=True``, un panel por fila, para un teléfono.
    """
    names = list(names or activations.ACTIVATIONS)
    z = np.linspace(-6, 8, 561) if z is None else np.asarray(z)
    rows = -(-len(names) // columns)
    fig, axes = panels(len(names), columns, stacked, 2.1 * rows + 0.3,
                       panel_height=2.0, sharex=not stacked)
    titles = {"sigmoid": "sigmoide", "tanh": "tanh", "relu": "ReLU",
              "relu6": "ReLU6", "leaky_relu": "Leaky-ReLU (α = 0,1)",
              "gelu": "GELU"}
    for ax, name in zip(axes, names):
        f, df = activations.get(name)
        kwargs = {"alpha": 0.1} if name == "leaky_relu" else {}
        ax.plot(z, f(z, **kwargs), label="$f(z)$",
                **{**series(0), "marker": None})
        ax.plot(z, df(z, **kwargs), label="$f'(z)$",
                **{**series(1), "marker": None})
        ax.axhline(0, color="0.6", lw=0.7)
        ax.axvline(0, color="0.6", lw=0.7)
        ax.grid(alpha=0.3)
        ax.set_title(titles.get(name, name), fontsize=LARGE)
        decimal_comma(ax)
    for ax in axes if stacked else axes[-columns:]:
        ax.set_xlabel("$z$")
    axes[0].legend(loc="upper left")
    return fig


def vanishing_gradient(depths=(1, 2, 4, 8, 16)):
    """Cota del factor que aportan las activaciones tras L capas: (máx f')^L.

    Concepto: σ' ≤ 1/4, así que las derivadas de la sigmoide achican el
    gradiente al menos 4 veces por capa; tanh y ReLU tienen derivada
    máxima 1 y sus curvas coinciden (se dibujan con marcadores distintos
    para que se vean las dos).
    """
    depths = np.asarray(depths)
    fig = figure(6.0, 3.6)
    ax = fig.add_subplot()
    styles = {"sigmoid": dict(series(0), markersize=6),
              "tanh": dict(series(1), markersize=11, fillstyle="none",
                           markeredgewidth=1.6),
              "relu": dict(series(2), markersize=5)}
    for name, label in (("sigmoid", "sigmoide"), ("tanh", "tanh"),
                        ("relu", "ReLU")):
        _, df = activations.get(name)
        peak = float(df(np.array([1e-9])).max() if name == "relu"
                     else df(np.array([0.0])).max())
        shown = spanish.significant(peak, 2)
        ax.plot(depths, peak ** depths, label=f"{label}: ({shown})$^L$",
                **styles[name])
    ax.set_yscale("log")
    ax.set_xlabel("número de capas $L$")
    ax.set_ylabel("factor máximo del gradiente")
    integer_ticks(ax, "x")
    ax.set_xticks(depths)
    decimal_comma(ax, "x")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(title="tanh y ReLU coinciden en 1", loc="lower left")
    return fig


def training_history(histories, metric="accuracy", title=None,
                     ylabel=None, stacked=False):
    """Curvas de una métrica por época, en entrenamiento y validación.

    Entrada: dict etiqueta -> historia (dict con listas ``metric`` y, si
    existe, ``val_`` + metric), como las que devuelve ``fit``. Cada
    etiqueta tiene su color y marcador; entrenamiento en línea continua y
    validación en discontinua. ``ylabel`` cambia el rótulo del eje (por
    omisión, el nombre en español de ``metric``). Con ``stacked=True``,
    angosta (la de un teléfono y la de media página impresa), con la
    leyenda debajo.
    """
    if any(len(history[metric]) < 2 for history in histories.values()):
        raise ValueError("Una sola época no es una curva: su cifra va en "
                         "el texto.")
    fig = figure(PHONE_WIDTH, 3.6) if stacked else figure(6.3, 3.7)
    ax = fig.add_subplot()
    for k, (name, history) in enumerate(histories.items()):
        style = series(k)
        epochs = np.arange(1, len(history[metric]) + 1)
        ax.plot(epochs, history[metric], color=style["color"],
                marker=style["marker"], linestyle="-",
                label=f"{name} (entrenamiento)")
        if f"val_{metric}" in history:
            ax.plot(epochs, history[f"val_{metric}"], color=style["color"],
                    marker=style["marker"], fillstyle="none",
                    linestyle="--", label=f"{name} (validación)")
    ax.set_xlabel("época")
    ax.set_ylabel(ylabel or spanish.METRIC_NAMES.get(metric, metric))
    integer_ticks(ax, "x")
    decimal_comma(ax)
    return _finish(fig, ax, title, legend_below=stacked)


def data_vs_performance(rows, labels=None, title=None, height=4.0):
    """Exactitud en prueba frente a ejemplos de entrenamiento, por modelo.

    Entrada: filas {"model", "n_train", "accuracy"} (como las de
    ``esenciales.runs.data_size.data_vs_performance``) y nombres
    legibles. Si las filas traen ``accuracy_std`` (varias semillas), se
    dibuja como barra de error. Redes en línea gruesa, clásicos en fina.
    ``height``: el alto de la figura, en pulgadas.
    """
    labels = labels or {}
    fig = figure(6.3, height)
    ax = fig.add_subplot()
    models = list(dict.fromkeys(row["model"] for row in rows))
    for k, model in enumerate(models):
        mine = sorted((r for r in rows if r["model"] == model),
                      key=lambda r: r["n_train"])
        deep = model in ("mlp", "cnn")
        x = [r["n_train"] for r in mine]
        y = [100 * r["accuracy"] for r in mine]
        err = ([100 * r["accuracy_std"] for r in mine]
               if all("accuracy_std" in r for r in mine) else None)
        ax.errorbar(x, y, yerr=err, lw=2.4 if deep else 1.5, capsize=3,
                    label=labels.get(model, model), **series(k))
    ax.set_xscale("log")
    ax.set_xlabel("ejemplos de entrenamiento (escala logarítmica)")
    ax.set_ylabel("exactitud en prueba (%)")
    ticks = sorted({r["n_train"] for r in rows})
    ax.set_xticks(ticks, [spanish.number(int(t)) for t in ticks])
    ax.xaxis.set_minor_formatter("")
    decimal_comma(ax, "y")
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=SMALL)
    if title:
        ax.set_title(title, fontsize=LARGE)
    return fig


def matmul_gflops(series_list, title=None):
    """GFLOP/s frente al tamaño n de una multiplicación n × n (log-log).

    Entrada: lista de {"label", "sizes", "gflops"} (ver
    ``esenciales.timing.matmul_series``).
    """
    fig = figure(6.3, 5.0)
    ax = fig.add_subplot()
    for k, item in enumerate(series_list):
        ax.plot(item["sizes"], item["gflops"], label=item["label"],
                **series(k))
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    sizes = sorted({s for item in series_list for s in item["sizes"]})
    ax.set_xticks(sizes, [spanish.number(int(s)) for s in sizes])
    ax.xaxis.set_minor_formatter("")
    ax.set_xlabel("tamaño n de la matriz (n × n)")
    ax.set_ylabel("GFLOP/s")
    ax.grid(True, which="major", alpha=0.3)
    fig.legend(loc="outside lower center", fontsize=SMALL, ncols=2)
    if title:
        ax.set_title(title, fontsize=LARGE)
    return fig


def loss_functions(stacked=False):
    """Las dos pérdidas de la clase, lado a lado, como función del error.

    Izquierda: entropía cruzada, −ln p, según la probabilidad p que la red
    da a la clase correcta. Derecha: error cuadrático, (y − ŷ)², según el
    error. Concepto: la primera castiga sin límite la seguridad equivocada;
    la segunda, los errores grandes de forma cuadrática. Con
    ``stacked=True``, una sobre la otra, para un teléfono.
    """
    fig, (ce, mse) = panels(2, 2, stacked, 2.9, panel_height=2.6)
    p = np.linspace(0.005, 1, 400)
    ce.plot(p, -np.log(p), **{**series(0), "marker": None})
    ce.set_xlabel("probabilidad de la clase correcta $\\hat y_k$")
    ce.set_ylabel("$-\\ln \\hat y_k$")
    ce.set_title("entropía cruzada", fontsize=LARGE)
    error = np.linspace(-3, 3, 301)
    mse.plot(error, error ** 2, **{**series(1), "marker": None})
    mse.set_xlabel("error $y - \\hat y$")
    mse.set_ylabel("$(y - \\hat y)^2$")
    mse.set_title("error cuadrático", fontsize=LARGE)
    for ax in (ce, mse):
        ax.grid(alpha=0.3)
        decimal_comma(ax)
    return fig


def seed_curves(variants, metric="loss", title=None):
    """Curvas por época con una banda de ± una desviación entre semillas.

    Entrada: ``{etiqueta: (épocas, medias, desviaciones)}``, como las de
    ``techniques.curve_bands``. Las etiquetas que terminan en
    «(validación)» van en línea discontinua con el color de su variante;
    la exactitud se dibuja en %.
    """
    fig = figure(6.3, 3.7)
    ax = fig.add_subplot()
    scale = 100 if metric == "accuracy" else 1
    variant_index = {}
    for label, (epochs, mean, std) in variants.items():
        validation = label.endswith("(validación)")
        name = label.removesuffix(" (validación)")
        style = series(variant_index.setdefault(name, len(variant_index)))
        epochs, mean, std = (np.asarray(v, dtype=float)
                             for v in (epochs, mean, std))
        ax.plot(epochs, scale * mean, color=style["color"],
                marker=style["marker"], fillstyle="none" if validation
                else "full", markevery=max(1, len(epochs) // 10),
                linestyle="--" if validation else "-", label=label)
        ax.fill_between(epochs, scale * (mean - std), scale * (mean + std),
                        color=style["color"], alpha=0.2, lw=0)
    ax.set_xlabel("época")
    ax.set_ylabel(spanish.METRIC_NAMES.get(metric, metric)
                  + (" (%)" if metric == "accuracy" else ""))
    integer_ticks(ax, "x")
    decimal_comma(ax)
    return _finish(fig, ax, title)


def effects(rows, xlabel, title=None):
    """El efecto de cada técnica: diferencia media, su intervalo y el cero.

    Entrada: lista de ``(nombre, media, medio ancho del intervalo)``, en
    la unidad que dice ``xlabel`` (el intervalo del 95 % de la regla del
    libro, ``runs.stats``). Una barra que cruza la línea del cero es una
    diferencia que no se distingue del azar.
    """
    fig = figure(6.3, 0.9 + 0.45 * len(rows))
    ax = fig.add_subplot()
    names, means, halves = zip(*rows)
    y = np.arange(len(rows))[::-1]
    style = series(0)
    ax.errorbar(means, y, xerr=halves, fmt=style["marker"],
                color=style["color"], capsize=4)
    ax.axvline(0, color="0.3", lw=1, ls="--")
    ax.set_yticks(y, names)
    ax.set_ylim(-0.6, len(rows) - 0.4)
    ax.set_xlabel(xlabel)
    decimal_comma(ax, "x")
    ax.grid(axis="x", alpha=0.3)
    if title:
        ax.set_title(title, fontsize=LARGE)
    return fig


def learning_rate_steps(histories, steps_per_epoch, title=None):
    """La tasa de aprendizaje de cada paso (lote), como la anotó ``fit``.

    Entrada: dict etiqueta -> historia con ``learning_rate_per_step``;
    ``steps_per_epoch`` marca con líneas punteadas dónde empieza cada
    época. Con dos marcos, las curvas deben superponerse: la primera va
    gruesa y las siguientes, más finas y discontinuas encima.
    """
    fig = figure(6.3, 3.4)
    ax = fig.add_subplot()
    n_steps = 0
    for k, (name, history) in enumerate(histories.items()):
        rates = 1e3 * np.asarray(history["learning_rate_per_step"])
        n_steps = max(n_steps, len(rates))
        ax.plot(np.arange(len(rates)), rates, color=series(k)["color"],
                linestyle=("-", "--", ":")[k % 3], linewidth=3.0 - k,
                label=name)
    for start in range(steps_per_epoch, n_steps, steps_per_epoch):
        ax.axvline(start, color="0.6", linestyle=":", linewidth=1)
    ax.set_xlabel("paso (lote); las líneas punteadas separan las épocas")
    ax.set_ylabel("tasa de aprendizaje (× 10⁻³)")
    integer_ticks(ax, "x")
    decimal_comma(ax)
    return _finish(fig, ax, title)


def seeded_accuracy(panels, labels, title=None):
    """Exactitud de prueba con varias semillas: cada semilla y su media.

    Entrada: ``{panel: {serie: {"mean", "std", "values"}}}``, un panel
    por modelo (como ``runs.comparison.summary``), y nombres legibles
    por serie. Cada semilla es un punto; la barra corta, la media; la
    línea horizontal, ± una desviación estándar. Cada panel tiene su
    propia escala: lo que se compara son las series de un mismo panel.
    """
    fig = figure(6.3, 0.5 + sum(0.9 + 0.55 * len(p)
                                for p in panels.values()))
    heights = [len(summary) + 1 for summary in panels.values()]
    axes = fig.subplots(len(panels), 1, squeeze=False,
                        height_ratios=heights).ravel()
    for ax, (name, summary) in zip(axes, panels.items()):
        for k, (key, stats) in enumerate(summary.items()):
            style = series(k)
            values = 100 * np.asarray(stats["values"])
            ax.plot(values, np.full(len(values), k, dtype=float),
                    linestyle="none", marker=style["marker"],
                    color=style["color"], markersize=8, fillstyle="none")
            ax.errorbar(100 * stats["mean"], k, xerr=100 * stats["std"],
                        color=style["color"], capsize=6, marker="|",
                        markersize=22, linewidth=2)
        ax.set_yticks(range(len(summary)),
                      [labels[key] for key in summary], fontsize=SMALL)
        ax.set_ylim(-0.6, len(summary) - 0.4)
        ax.invert_yaxis()  # la primera serie, arriba
        ax.set_xlabel("exactitud de prueba (%)")
        decimal_comma(ax, "x")
        ax.grid(alpha=0.3, axis="x")
        if len(panels) > 1 or not title:
            ax.set_title(name, fontsize=SMALL + 1)
    if title:
        fig.suptitle(title, fontsize=LARGE)
    return fig


def _finish(fig, ax, title, legend_below=False):
    """Cuadrícula suave, leyenda y título: el cierre común de las curvas.

    ``legend_below``: la leyenda bajo el gráfico, en una figura angosta
    donde taparía las curvas."""
    ax.grid(alpha=0.3)
    if legend_below:
        fig.legend(fontsize=SMALL, loc="outside lower center")
    else:
        ax.legend(fontsize=SMALL)
    if title:
        ax.set_title(title, fontsize=LARGE)
    return fig
