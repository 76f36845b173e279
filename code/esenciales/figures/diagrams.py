"""Diagramas de conceptos: las figuras de la clase, con cajas y flechas.

Cada función devuelve una ``Figure`` nueva, sin pyplot, con el estilo de
``esenciales.figures.style``: a lo sumo 6,3 pulgadas de ancho y ninguna letra
menor que 9 pt. Las cajas de un mismo diagrama miden lo mismo, salvo donde
su tamaño significa algo (y el docstring dice qué).

Aquí, los de conceptos, hardware y procesos (IA ⊃ ML ⊃ DL, memoria y
cómputo, paralelismo, taxonomías, el ciclo de entrenamiento); las
arquitecturas de redes están en ``esenciales.figures.networks``, cuyos
nombres también se leen desde aquí (``diagrams.neuron()``).
"""

import numpy as np
from matplotlib.patches import Circle, Ellipse, Rectangle

from esenciales.figures.networks import (
    autoencoder_diagram, cnn_process, conv_pool_chain, dense_network,
    dnn_architecture, mlp_architecture, neuron, rnn_unrolled,
    transformer_block, vectorization)
from esenciales.figures.style import (LARGE, PALETTE, SMALL, arrow, box,
                                      diagram, figure, label, panels)

__all__ = [
    # conceptos, hardware y procesos (este módulo)
    "ai_architecture", "ai_ml_dl_nesting", "compute_primitive",
    "learning_paradigms", "memory_hierarchy", "ml_taxonomy", "parallelism",
    "task_types", "training_pipeline",
    # arquitecturas (esenciales.figures.networks)
    "autoencoder_diagram", "cnn_process", "conv_pool_chain",
    "dense_network", "dnn_architecture", "mlp_architecture", "neuron",
    "rnn_unrolled", "transformer_block", "vectorization",
]


def ai_ml_dl_nesting():
    """Tres regiones anidadas: IA ⊃ ML ⊃ DL, con un ejemplo en cada una."""
    fig, ax = diagram(6.3, 3.9, (0, 10), (0, 6.2))
    regions = (
        ((5, 3.0), 9.8, 6.0, "#eef4fb", "Inteligencia artificial",
         "reglas, búsqueda, lógica\n(MYCIN, Deep Blue)", 5.35),
        ((5.6, 2.25), 7.8, 4.1, "#cfe2f3", "Aprendizaje automático",
         "aprende de datos\n(SVM, bosques, k-means)", 3.85),
        ((6.3, 1.45), 4.6, 2.3, "#9fc5e8", "Deep learning",
         "redes profundas\n(CNN, Transformers)", 2.05),
    )
    for center, w, h, color, name, example, y_name in regions:
        ax.add_patch(Ellipse(center, w, h, facecolor=color,
                             edgecolor="#2b5d8a", lw=1.5))
        label(ax, center[0], y_name, name, size=LARGE, weight="bold",
              color="#12324f")
        label(ax, center[0], y_name - 0.62, example, size=SMALL,
              color="#12324f")
    return fig


def memory_hierarchy():
    """Subsistema de memoria de CPU, GPU y TPU v1, lado a lado.

    Cada columna va de la memoria más rápida y pequeña (arriba) a la más
    lenta y grande (abajo); el ancho de cada caja crece con la capacidad.
    Los números son órdenes de magnitud típicos.
    """
    fig, ax = diagram(6.3, 4.3, (0, 22), (0, 15.0))
    columns = (
        ("CPU", 0.2, "entrada", "pocos núcleos potentes", (
            "Registros\n~1 KB · 1 ciclo", "Caché L1 / L2\n32 KB – 2 MB",
            "Caché L3\n8 – 64 MB", "DRAM (DDR)\n~100 GB/s")),
        ("GPU", 7.4, "salida", "decenas de SM", (
            "Registros\n~256 KB por SM", "Compartida / L1\n~200 KB por SM",
            "Caché L2\n40 – 60 MB", "HBM\n2 – 5 TB/s")),
        ("TPU v1", 14.6, "capa", "una unidad de matrices", (
            "Acumuladores\n4 MiB", "Unified Buffer\n24 MiB (SRAM)",
            "Weight FIFO\npesos al MXU", "DDR3\n8 GiB · 30 GB/s")),
    )
    for name, x0, fill, cores, levels in columns:
        label(ax, x0 + 3.5, 14.3, name, size=LARGE, weight="bold")
        label(ax, x0 + 3.5, 13.25, cores, size=SMALL, style="italic")
        for k, text in enumerate(levels):
            width = 5.0 + 0.65 * k        # más abajo: más capacidad
            y = 10.0 - 3.0 * k
            box(ax, x0 + 3.5 - width / 2, y, width, 2.3, text, fill,
                size=SMALL)
            if k:
                arrow(ax, (x0 + 3.5, y + 3.0), (x0 + 3.5, y + 2.3),
                      style="<|-|>")
    label(ax, 11.0, 0.25, "hacia abajo: más capacidad, más lenta",
          size=SMALL, color="0.3")
    return fig


def compute_primitive():
    """Unidad mínima de cómputo: escalar (CPU), vector (GPU), matriz (TPU)."""
    fig, ax = diagram(6.3, 2.2, (0, 24), (0, 8.2))
    specs = (
        ("CPU", "escalar", 4, (1, 1), PALETTE[4],
         "una operación por\ninstrucción"),
        ("GPU", "vector", 12, (1, 8), PALETTE[2],
         "la misma instrucción\nsobre muchos datos"),
        ("TPU", "matriz", 20, (5, 5), PALETTE[5],
         "arreglo sistólico:\nproducto de matrices"),
    )
    cell = 0.75
    for name, kind, cx, (rows, cols), color, note in specs:
        x0 = cx - cols * cell / 2
        y0 = 4.4 - rows * cell / 2
        for r in range(rows):
            for c in range(cols):
                ax.add_patch(Rectangle((x0 + c * cell, y0 + r * cell),
                                       cell, cell, facecolor=color,
                                       edgecolor="white", lw=1))
        label(ax, cx, 7.7, f"{name}: {kind}", size=LARGE, weight="bold")
        label(ax, cx, 0.6, note, size=SMALL)
    return fig


def parallelism():
    """Paralelismo de datos (arriba) frente a paralelismo de modelo (abajo).

    Datos: cada GPU tiene el modelo completo y un trozo del lote; se
    promedian los gradientes. Modelo: cada GPU tiene parte de las capas y
    se pasan las activaciones.
    """
    fig, ax = diagram(6.3, 4.4, (0, 20), (0, 14))
    label(ax, 10, 13.4, "Paralelismo de datos", size=LARGE, weight="bold")
    for k, y in enumerate((9.6, 6.9)):
        box(ax, 0.3, y, 4.2, 2.0, f"lote {k + 1}", "entrada", size=SMALL)
        box(ax, 6.3, y, 5.6, 2.0, f"GPU {k + 1}: modelo completo", "salida",
            size=SMALL)
        arrow(ax, (4.5, y + 1.0), (6.3, y + 1.0))
        arrow(ax, (11.9, y + 1.0), (14.0, 9.25))
    box(ax, 14.0, 8.25, 5.7, 2.0, "promedio de\ngradientes", "memoria",
        size=SMALL)
    label(ax, 10, 5.2, "Paralelismo de modelo", size=LARGE, weight="bold")
    box(ax, 0.3, 1.4, 3.4, 2.3, "datos", "entrada", size=SMALL)
    box(ax, 5.4, 1.4, 5.0, 2.3, "GPU 1\ncapas 1 a 3", "salida", size=SMALL)
    box(ax, 14.4, 1.4, 5.0, 2.3, "GPU 2\ncapas 4 a 6", "salida",
        size=SMALL)
    arrow(ax, (3.7, 2.55), (5.4, 2.55))
    arrow(ax, (10.4, 2.55), (14.4, 2.55))
    label(ax, 12.4, 3.3, "activaciones", size=SMALL)
    return fig


def ai_architecture():
    """A) La arquitectura de la IA: cinco capas, del cómputo a las tareas.

    Cada capa se apoya en la de abajo; todas las cajas miden lo mismo.
    """
    fig, ax = diagram(6.3, 3.9, (0, 16), (0, 9.9))
    layers = (
        ("Aplicaciones", "visión, lenguaje, robótica, recomendación",
         "salida"),
        ("Modelos", "reglas, ML clásico, redes profundas", "capa"),
        ("Aprendizaje", "pérdida, gradiente, optimizador", "atencion"),
        ("Datos", "etiquetados, sin etiquetar, interacción", "entrada"),
        ("Cómputo", "CPU, GPU, TPU, memoria", "gris"),
    )
    for k, (name, detail, fill) in enumerate(layers):
        y = 8.0 - 1.95 * k
        box(ax, 0.2, y, 15.6, 1.6, fill=fill)
        label(ax, 3.0, y + 0.8, name, size=LARGE, weight="bold")
        label(ax, 10.2, y + 0.8, detail)
    return fig


def ml_taxonomy():
    """B) Taxonomía: los tipos de aprendizaje y, dentro, las redes profundas.

    Un árbol de dos niveles: IA → ML → cuatro paradigmas, y la franja del
    deep learning que atraviesa a todos con sus arquitecturas.
    """
    fig, ax = diagram(6.3, 4.4, (0, 16), (0, 11.2))
    box(ax, 5.0, 9.6, 6.0, 1.3, "Inteligencia artificial", "gris",
        size=LARGE, weight="bold")
    box(ax, 5.0, 7.5, 6.0, 1.3, "Aprendizaje automático", "capa",
        size=LARGE, weight="bold")
    arrow(ax, (8.0, 9.6), (8.0, 8.8))
    kinds = (("Supervisado", "clasificación\nregresión"),
             ("No\nsupervisado", "agrupamiento\nreducción"),
             ("Semi- y auto-\nsupervisado", "pocas\netiquetas"),
             ("Por refuerzo", "agente y\nrecompensa"))
    for k, (name, detail) in enumerate(kinds):
        x = 0.2 + 4.0 * k
        box(ax, x, 4.3, 3.6, 2.1, name, "entrada", weight="bold")
        label(ax, x + 1.8, 3.35, detail, size=SMALL)
        arrow(ax, (8.0, 7.5), (x + 1.8, 6.4))
    box(ax, 0.2, 0.2, 15.6, 2.1, fill="salida")
    label(ax, 8.0, 1.75, "Deep learning: atraviesa los cuatro tipos",
          weight="bold")
    label(ax, 8.0, 0.85, "MLP · CNN · RNN/LSTM · autoencoders · "
          "Transformers · GNN")
    return fig


def task_types():
    """C) Clasificación por tarea: qué se predice, un ejemplo, un modelo.

    Cinco columnas de igual tamaño, una por tipo de tarea.
    """
    fig, ax = diagram(6.3, 3.3, (0, 20), (0, 10.5))
    tasks = (
        ("Clasificación", "una clase", "¿spam o no?", "CNN, SVM"),
        ("Regresión", "un número", "demanda\neléctrica", "lineal, MLP"),
        ("Agrupamiento", "grupos", "catálogo de\ngalaxias", "k-means"),
        ("Generación", "datos nuevos", "texto,\nimágenes", "VAE,\nGPT"),
        ("Decisión", "una acción", "AlphaGo,\ndrones", "refuerzo"),
    )
    for k, (name, output, example, model) in enumerate(tasks):
        x = 0.15 + 4.0 * k
        box(ax, x, 8.2, 3.7, 2.0, name, "capa", size=SMALL, weight="bold")
        box(ax, x, 5.6, 3.7, 2.2, f"predice\n{output}", "entrada",
            size=SMALL)
        box(ax, x, 2.9, 3.7, 2.3, example, "nota", size=SMALL)
        box(ax, x, 0.2, 3.7, 2.3, model, "salida", size=SMALL)
    return fig


def training_pipeline():
    """Ciclo de entrenamiento: forward, pérdida, back-prop y actualización."""
    fig, ax = diagram(6.3, 2.9, (0, 24), (0, 11))
    steps = (
        (0.2, "1. Forward\n$x \\rightarrow \\hat{y}$", "capa"),
        (6.3, "2. Pérdida\n$J(\\hat{y}, y)$", "entrada"),
        (12.4, "3. Back-prop\n$\\nabla_{w} J$", "atencion"),
        (18.5, "4. Actualizar\n$w \\leftarrow w - \\eta\\,\\nabla_{w} J$",
         "salida"),
    )
    for x, text, fill in steps:
        box(ax, x, 5.0, 5.3, 4.2, text, fill, size=SMALL)
    for (x, _, _), (x2, _, _) in zip(steps, steps[1:]):
        arrow(ax, (x + 5.3, 7.1), (x2, 7.1))
    ax.plot([21.15, 21.15, 2.85], [5.0, 2.5, 2.5], color="0.25", lw=1.2)
    arrow(ax, (2.85, 2.5), (2.85, 5.0))
    label(ax, 12.0, 1.3, "siguiente lote (muchas veces por época)",
          size=SMALL)
    return fig


def learning_paradigms(stacked=False):
    """Los cuatro tipos de aprendizaje con un dibujo mínimo de cada uno.

    En una grilla de 2 × 2; con ``stacked=True``, uno por fila, para un
    teléfono.
    """
    fig, axes = panels(4, 2, stacked, 5.6, panel_height=2.9)
    rng = np.random.default_rng(0)
    a = rng.normal((-1.2, -1.0), 0.55, (40, 2))
    b = rng.normal((1.2, 1.0), 0.55, (40, 2))
    sup, unsup, semi, rl = axes
    sup.scatter(*a.T, color=PALETTE[0], marker="o", s=14, label="clase A")
    sup.scatter(*b.T, color=PALETTE[1], marker="s", s=14, label="clase B")
    sup.plot([-3, 3], [3, -3], "k--", lw=1, label="frontera")
    sup.legend(fontsize=SMALL, loc="lower right", handletextpad=0.2,
               borderpad=0.3, labelspacing=0.2)
    sup.set_title("Supervisado", fontsize=LARGE)
    unsup.scatter(*np.vstack([a, b]).T, color="0.45", s=14)
    for center, color, ls in (((-1.2, -1.0), PALETTE[2], "-"),
                              ((1.2, 1.0), PALETTE[3], "--")):
        unsup.add_patch(Circle(center, 1.3, fill=False, color=color, lw=2,
                               ls=ls))
    unsup.set_title("No supervisado", fontsize=LARGE)
    semi.scatter(*np.vstack([a, b]).T, color="0.78", s=14,
                 label="sin etiqueta")
    semi.scatter(*a[:3].T, color=PALETTE[0], marker="o", s=50, label="A")
    semi.scatter(*b[:3].T, color=PALETTE[1], marker="s", s=50, label="B")
    semi.legend(fontsize=SMALL, loc="lower right", handletextpad=0.2,
                borderpad=0.3, labelspacing=0.2)
    semi.set_title("Semi-supervisado", fontsize=LARGE)
    for ax in (sup, unsup, semi):
        ax.set_xlim(-3, 3)
        ax.set_ylim(-3, 3)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.spines[["top", "right"]].set_visible(True)
    rl.set_xlim(0, 10)
    rl.set_ylim(0, 10)
    rl.set_aspect("equal")
    rl.axis("off")
    box(rl, 2.5, 6.8, 5.0, 2.0, "Agente", "capa", size=LARGE)
    box(rl, 2.5, 1.2, 5.0, 2.0, "Entorno", "salida", size=LARGE)
    rl.plot([7.5, 9.0, 9.0], [7.8, 7.8, 2.2], color="0.25", lw=1.2)
    arrow(rl, (9.0, 2.2), (7.5, 2.2))
    label(rl, 9.55, 5.0, "acción", size=SMALL, rotation=-90)
    rl.plot([2.5, 1.0, 1.0], [2.2, 2.2, 7.8], color="0.25", lw=1.2)
    arrow(rl, (1.0, 7.8), (2.5, 7.8))
    label(rl, 0.4, 5.0, "estado,\nrecompensa", size=SMALL, rotation=90)
    rl.set_title("Por refuerzo", fontsize=LARGE)
    return fig
