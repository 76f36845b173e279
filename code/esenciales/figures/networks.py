"""Diagramas de arquitecturas: la neurona, el MLP, la CNN, la RNN desplegada,
el autoencoder y el bloque Transformer, redibujados de la clase.

Cada función devuelve una ``Figure`` nueva, sin pyplot, con el estilo de
``esenciales.figures.style``: a lo sumo 6,3 pulgadas de ancho y ninguna letra
menor que 9 pt. Las cajas de un mismo diagrama miden lo mismo, salvo donde
su tamaño significa algo (y el docstring dice qué).
"""

import math

import numpy as np
from matplotlib.patches import Circle, Polygon, Rectangle

from esenciales import spanish
from esenciales.figures.style import (FILLS, LARGE, PALETTE, SIZE, SMALL,
                                      arrow, box, diagram, label)


def neuron(n_inputs=3):
    """La neurona artificial: entradas, pesos, suma con sesgo y activación."""
    fig, ax = diagram(6.3, 3.2, (0, 16), (0, 8.1))
    ys = np.linspace(6.8, 1.8, n_inputs)
    labels = [f"$x_{i + 1}$" for i in range(n_inputs - 1)] + ["$x_n$"]
    weights = [f"$w_{i + 1}$" for i in range(n_inputs - 1)] + ["$w_n$"]
    body = (8.0, 4.3)
    for y, name, weight in zip(ys, labels, weights):
        ax.add_patch(Circle((1.5, y), 0.6, facecolor=FILLS["entrada"],
                            edgecolor="0.3"))
        label(ax, 1.5, y, name, size=LARGE)
        arrow(ax, (2.1, y), (7.0, body[1] + (y - 4.3) * 0.25))
        label(ax, 4.3, (y + body[1]) / 2 + (y - 4.3) * 0.12 + 0.45, weight,
              size=LARGE, color=PALETTE[0])
    if n_inputs > 2:
        label(ax, 1.5, (ys[-2] + ys[-1]) / 2, "⋮", size=LARGE)
    ax.add_patch(Circle(body, 1.0, facecolor=FILLS["capa"], edgecolor="0.3",
                        lw=1.5))
    label(ax, *body, r"$\Sigma$", size=16)
    label(ax, 8.0, 7.1, "sesgo $b$", size=LARGE, color=PALETTE[1])
    arrow(ax, (8.0, 6.7), (8.0, 5.3), color=PALETTE[1])
    box(ax, 10.2, 3.4, 1.9, 1.8, "$f$", "salida", size=16)
    arrow(ax, (9.0, 4.3), (10.2, 4.3))
    label(ax, 9.6, 4.75, "$z$", size=LARGE)
    arrow(ax, (12.1, 4.3), (14.2, 4.3))
    label(ax, 14.8, 4.3, "$y$", size=16)
    label(ax, 8.0, 2.7, "potencial", size=SMALL)
    label(ax, 11.15, 2.7, "activación", size=SMALL)
    label(ax, 8.0, 0.6, r"$z = \sum_{i=1}^{n} x_i w_i + b"
          r"\qquad y = f(z)$", size=LARGE)
    return fig


def dense_network(layer_sizes=(4, 6, 6, 3), names=None):
    """Red densa: cada neurona conectada con todas las de la capa siguiente.

    Entrada: número de neuronas por capa. Las capas intermedias se rotulan
    «oculta»; la primera es la entrada y la última la salida.
    """
    n = len(layer_sizes)
    if names is None:
        names = (["entrada"] + [f"oculta {k}" for k in range(1, n - 1)]
                 + ["salida"])
    height = max(layer_sizes)
    fig, ax = diagram(min(6.3, 1.5 * n + 0.6), 0.42 * height + 1.0,
                      (-1.0, 3.0 * (n - 1) + 1.0), (-1.6, height + 0.1))
    fills = ["entrada"] + ["capa"] * (n - 2) + ["salida"]

    def positions(size):
        return (np.linspace(0, height - 1, size) if size > 1
                else [(height - 1) / 2])

    for k in range(n - 1):
        for y1 in positions(layer_sizes[k]):
            for y2 in positions(layer_sizes[k + 1]):
                ax.plot([3 * k, 3 * (k + 1)], [y1, y2], color="0.65",
                        lw=0.6, zorder=1)
    for k, size in enumerate(layer_sizes):
        for y in positions(size):
            ax.add_patch(Circle((3 * k, y), 0.32,
                                facecolor=FILLS[fills[k]], edgecolor="0.3",
                                zorder=2))
        label(ax, 3 * k, -1.0, names[k])
    return fig


def vectorization(m=4, n=3, k=2):
    """Una capa densa para un lote: Z = X·W + b, con sus dimensiones.

    X tiene una fila por ejemplo (m × n); W, una columna por neurona
    (n × k). La celda (i, j) de Z combina la fila i de X con la columna j
    de W: todos los ejemplos y todas las neuronas en una multiplicación.
    """
    fig, ax = diagram(6.3, 2.9, (0, 21), (-2.4, 7.3))

    def grid(x0, rows, cols, fill, hi_row=None, hi_col=None, name=""):
        for r in range(rows):
            for c in range(cols):
                on = r == hi_row or c == hi_col
                ax.add_patch(Rectangle((x0 + c, 5 - r - 1 + 0.0), 1, 1,
                                       facecolor=PALETTE[1] if on else
                                       FILLS[fill], alpha=0.75 if on
                                       else 1, edgecolor="0.3", lw=0.8))
        label(ax, x0 + cols / 2, 5.8, name, size=LARGE)
        label(ax, x0 + cols / 2, 5 - rows - 0.6,
              f"{rows} × {cols}" if isinstance(rows, int) else "",
              size=SMALL)
    grid(0.5, m, n, "entrada", hi_row=1, name="$X$")
    label(ax, 4.3, 3.0, "·", size=20)
    grid(5.2, n, k, "capa", hi_col=0, name="$W$")
    label(ax, 8.2, 3.0, "+", size=LARGE)
    grid(9.0, 1, k, "capa", name="$b$")
    label(ax, 11.7, 3.0, "=", size=LARGE)
    for r in range(m):
        for c in range(k):
            on = (r, c) == (1, 0)
            ax.add_patch(Rectangle((12.6 + c, 5 - r - 1), 1, 1,
                                   facecolor=PALETTE[1] if on else
                                   FILLS["salida"], alpha=0.75 if on else 1,
                                   edgecolor="0.3", lw=0.8))
    label(ax, 13.6, 5.8, "$Z$", size=LARGE)
    label(ax, 13.6, 5 - m - 0.6, f"{m} × {k}", size=SMALL)
    label(ax, 18.0, 3.9, "fila = un ejemplo", size=SMALL)
    label(ax, 18.0, 2.9, "columna = una neurona", size=SMALL)
    label(ax, 18.0, 1.9, "$Y = f(Z)$", size=SIZE)
    label(ax, 10.5, -1.8, "m ejemplos × n entradas  ·  n entradas × k "
          "neuronas  →  m × k salidas", size=SMALL)
    return fig


def mlp_architecture(sizes=(784, 128, 64, 10),
                     activations=("", "ReLU", "ReLU", "softmax")):
    """El MLP de la clase: 784 → 128 → 64 → 10, con parámetros por capa.

    Cada capa es una columna de neuronas (se dibujan unas pocas y «⋮»); el
    número de neuronas y de parámetros va escrito debajo.
    """
    n = len(sizes)
    fig, ax = diagram(6.3, 3.5, (-1.5, 4.0 * (n - 1) + 1.5), (-3.6, 6.4))
    shown = 5
    ys = np.linspace(0.4, 5.6, shown)
    fills = ["entrada"] + ["capa"] * (n - 2) + ["salida"]
    for k in range(n - 1):
        for y1 in ys:
            for y2 in ys:
                ax.plot([4 * k, 4 * k + 4], [y1, y2], color="0.75",
                        lw=0.5, zorder=1)
    for k, size in enumerate(sizes):
        for j, y in enumerate(ys):
            if j == shown - 2:
                label(ax, 4 * k, y, "⋮", size=LARGE)
                continue
            ax.add_patch(Circle((4 * k, y), 0.4, facecolor=FILLS[fills[k]],
                                edgecolor="0.25", zorder=2))
        name = "entrada" if k == 0 else activations[k]
        label(ax, 4 * k, -0.5, f"{size}", size=LARGE, weight="bold")
        label(ax, 4 * k, -1.4, name)
        if k:
            params = sizes[k - 1] * size + size
            label(ax, 4 * k - 2, -2.7,
                  f"{spanish.number(params)}\nparámetros", size=SMALL)
    return fig


def dnn_architecture(sizes=(5, 7, 7, 7, 3)):
    """D) Arquitectura representativa de una red profunda.

    Entrada, capas ocultas que construyen representaciones cada vez más
    abstractas (bordes → formas → objetos) y salida con probabilidades.
    """
    n = len(sizes)
    fig, ax = diagram(6.3, 3.6, (-1.2, 3.0 * (n - 1) + 1.2), (-2.8, 7.2))
    tall = max(sizes)
    fills = ["entrada"] + ["capa"] * (n - 2) + ["salida"]
    cols = [np.linspace(0.3, tall - 0.7, s) for s in sizes]
    for k in range(n - 1):
        for y1 in cols[k]:
            for y2 in cols[k + 1]:
                ax.plot([3 * k, 3 * k + 3], [y1, y2], color="0.7", lw=0.5,
                        zorder=1)
    for k, ys in enumerate(cols):
        for y in ys:
            ax.add_patch(Circle((3 * k, y), 0.33, facecolor=FILLS[fills[k]],
                                edgecolor="0.25", zorder=2))
    label(ax, 0, -0.8, "entrada\n(píxeles)")
    label(ax, 3 * (n - 1), -0.8, "salida\n(probabilidades)")
    hidden = ("bordes", "formas", "partes")
    for k in range(1, n - 1):
        label(ax, 3 * k, -0.8, f"oculta {k}\n{hidden[(k - 1) % 3]}")
    arrow(ax, (2.6, -2.45), (3 * (n - 2) + 0.4, -2.45))
    label(ax, 1.5 * (n - 1), -1.95, "representaciones cada vez más "
          "abstractas", size=SMALL)
    return fig


def cnn_process(stages=(("imagen", "28 × 28 × 1"),
                        ("Conv\n+ ReLU", "26 × 26 × 32"),
                        ("Pooling", "13 × 13 × 32"),
                        ("Flatten", "5408"),
                        ("Densa\n+ ReLU", "128"),
                        ("softmax", "10 clases"))):
    """El proceso estándar de una CNN: extraer características, clasificar.

    Cajas iguales en una fila; debajo, la forma del tensor en cada etapa
    (la CNN de MNIST de la clase). Una llave separa la parte convolucional
    (características) de la densa (clasificación).
    """
    n = len(stages)
    fig, ax = diagram(6.3, 2.6, (0, 3.3 * n), (-2.8, 4.2))
    fills = ["entrada", "capa", "memoria", "gris", "salida", "salida"]
    for k, (name, shape) in enumerate(stages):
        x = 0.15 + 3.3 * k
        box(ax, x, 1.0, 2.4, 1.9, name, fills[k % len(fills)], size=SMALL)
        label(ax, x + 1.2, 0.4, shape, size=SMALL, color="0.2")
        if k:
            arrow(ax, (x - 0.85, 1.95), (x, 1.95))
    split = 3.3 * 3
    for x0, x1, text in ((0.15, split - 0.45, "extraer características"),
                         (split + 0.15, 3.3 * n - 0.45, "clasificar")):
        ax.plot([x0, x0, x1, x1], [-0.5, -0.8, -0.8, -0.5], color="0.3",
                lw=1)
        label(ax, (x0 + x1) / 2, -1.5, text)
    label(ax, 3.3 * n / 2, 3.7, "[Conv → ReLU]$^{\\times n}$ → Pool → … → "
          "Flatten → Densa", size=SMALL)
    return fig


def conv_pool_chain(stages):
    """La cadena Conv → Pool → Flatten → Densa, con la forma de cada etapa.

    Entrada: lista de tuplas ``(nombre, forma)`` donde forma es
    ``(alto, ancho, canales)`` para mapas o ``(unidades,)`` para vectores.
    Un mapa se dibuja con el alto proporcional a su lado y el ancho
    creciendo con sus canales; un vector, como una barra angosta de alto
    fijo (la mitad del mapa más grande), con su largo escrito debajo.
    """
    n = len(stages)
    fig, ax = diagram(6.3, 2.9, (0, 3.0 * n), (-2.6, 4.4))
    sides = [shape[0] for _, shape in stages if len(shape) == 3]
    biggest = max(sides) if sides else 1
    for k, (name, shape) in enumerate(stages):
        cx = 1.5 + 3.0 * k
        if len(shape) == 3:
            height = 3.6 * shape[0] / biggest
            width = 0.4 + 0.35 * math.log2(max(shape[2], 1))
            text = "×".join(str(s) for s in shape)
            fill = "capa"
        else:
            height, width = 1.8, 0.45
            text = spanish.number(int(shape[0]))
            fill = "salida"
        ax.add_patch(Rectangle((cx - width / 2, 1.9 - height / 2), width,
                               height, facecolor=FILLS[fill],
                               edgecolor="0.25", lw=1.1,
                               hatch="///" if fill == "salida" else None))
        label(ax, cx, -0.7, name, size=SMALL)
        label(ax, cx, -1.6, text, size=SMALL, color="0.25")
        if k:
            arrow(ax, (cx - 2.05, 1.9), (cx - 1.0, 1.9))
    return fig


def rnn_unrolled(steps=4):
    """Una RNN plegada (con su ciclo) y desplegada en el tiempo.

    Los mismos pesos W_x y W_h se usan en cada paso; h_t pasa al siguiente.
    """
    fig, ax = diagram(6.3, 2.8, (-0.5, 4.5 + 3.4 * steps), (-1.3, 6.8))
    box(ax, 0.3, 2.2, 2.4, 1.8, "RNN", "capa", size=LARGE, weight="bold")
    arrow(ax, (1.5, 0.7), (1.5, 2.2))
    label(ax, 1.5, 0.1, "$x_t$")
    arrow(ax, (1.5, 4.0), (1.5, 5.4))
    label(ax, 1.5, 5.9, "$h_t$")
    arrow(ax, (2.7, 3.5), (2.7, 2.7), connectionstyle="arc3,rad=-1.6")
    label(ax, 3.55, 4.3, "$h_{t-1}$", size=SMALL)
    label(ax, 3.75, 3.1, "=", size=LARGE)
    for t in range(steps):
        x = 4.5 + 3.4 * t
        box(ax, x, 2.2, 2.4, 1.8, "$W_x,\\ W_h$", "capa", size=SIZE)
        arrow(ax, (x + 1.2, 0.7), (x + 1.2, 2.2))
        label(ax, x + 1.2, 0.1, f"$x_{t + 1}$")
        arrow(ax, (x + 1.2, 4.0), (x + 1.2, 5.4))
        label(ax, x + 1.2, 5.9, f"$h_{t + 1}$")
        if t:
            arrow(ax, (x - 1.0, 3.1), (x, 3.1))
    label(ax, 4.5 + 3.4 * steps / 2 - 0.5, -0.9,
          "los mismos pesos en cada paso; $h_t$ resume lo leído", size=SMALL)
    return fig


def autoencoder_diagram(sizes=(784, 32, 784)):
    """Autoencoder: el codificador comprime x en z; el decodificador
    reconstruye x̂. La altura de cada capa es proporcional a su tamaño
    (en escala de raíz cuadrada, para que 32 se vea junto a 784)."""
    fig, ax = diagram(6.3, 2.9, (0, 20), (-2.2, 7.2))
    heights = [0.2 * math.sqrt(s) for s in sizes]
    xs = (1.0, 9.3, 17.6)
    fills = ("entrada", "atencion", "salida")
    names = ("$x$", "$z$", "$\\hat x$")
    for x, h, fill, name, size in zip(xs, heights, fills, names, sizes):
        ax.add_patch(Rectangle((x, 3.0 - h / 2), 1.4, h,
                               facecolor=FILLS[fill], edgecolor="0.25"))
        label(ax, x + 0.7, 3.0 + h / 2 + 0.5, name, size=LARGE)
        label(ax, x + 0.7, 3.0 - h / 2 - 0.5, str(size), size=SMALL)
    for (x0, h0), (x1, h1), text in (((xs[0] + 1.4, heights[0]),
                                      (xs[1], heights[1]), "codificador"),
                                     ((xs[1] + 1.4, heights[1]),
                                      (xs[2], heights[2]), "decodificador")):
        ax.add_patch(Polygon([(x0 + 0.3, 3 + h0 / 2), (x1 - 0.3, 3 + h1 / 2),
                              (x1 - 0.3, 3 - h1 / 2), (x0 + 0.3, 3 - h0 / 2)],
                             facecolor=FILLS["capa"], edgecolor="0.4"))
        label(ax, (x0 + x1) / 2, 3.0, text)
    label(ax, 10.0, -1.6, "se entrena para que $\\hat x \\approx x$: "
          "32 números deben guardar lo esencial de 784", size=SMALL)
    return fig


def transformer_block():
    """Un bloque codificador del Transformer, de abajo hacia arriba.

    Embedding + posición, atención multicabeza, suma y normalización, red
    densa por posición, suma y normalización; las conexiones residuales
    rodean cada subcapa. El bloque se repite N veces.
    """
    fig, ax = diagram(4.6, 4.6, (0, 12), (0, 12.2))
    rows = (
        (0.3, "embedding + posición", "entrada"),
        (2.5, "atención multicabeza", "atencion"),
        (4.6, "suma y normalización", "gris"),
        (6.7, "red densa (por posición)", "capa"),
        (8.8, "suma y normalización", "gris"),
    )
    for y, text, fill in rows:
        box(ax, 2.0, y, 7.0, 1.3, text, fill)
    for (y0, _, _), (y1, _, _) in zip(rows, rows[1:]):
        arrow(ax, (5.5, y0 + 1.3), (5.5, y1))
    arrow(ax, (5.5, 10.1), (5.5, 11.3))
    label(ax, 5.5, 11.75, "a la cabeza de clasificación", size=SMALL)
    for y_from, y_to in ((1.9, 5.25), (6.1, 9.45)):
        ax.plot([5.5, 9.9, 9.9], [y_from, y_from, y_to], color=PALETTE[0],
                lw=1.3)
        arrow(ax, (9.9, y_to), (9.0, y_to), color=PALETTE[0])
    label(ax, 11.0, 7.6, "residual", size=SMALL, rotation=90,
          color=PALETTE[0])
    ax.plot([1.4, 1.1, 1.1, 1.4], [2.3, 2.3, 10.3, 10.3], color="0.3", lw=1)
    label(ax, 0.55, 6.3, "× N", size=LARGE)
    return fig
