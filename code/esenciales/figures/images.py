"""Figuras de los capítulos 4 a 7, con matplotlib y rótulos en español.

Como en ``esenciales.figures.plots`` (capítulos 1 a 3), cada función crea y devuelve
una ``Figure`` nueva sin pyplot, a partir de resultados ya calculados.
"""

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle

from esenciales.figures.plots import PALETTE

# --- Capítulo 4 ------------------------------------------------------------


def annotated_grids(matrices, titles, windows=(), title=None):
    """Matrices pequeñas lado a lado, con su valor escrito en cada celda.

    Entrada: lista de matrices 2-D, sus títulos y ``windows``: tuplas
    ``(panel, fila, columna, alto, ancho)`` que se enmarcan en rojo.
    Sirve para seguir una convolución o un *pooling* a mano.
    """
    widths = [m.shape[1] for m in matrices]
    fig = Figure(figsize=(1.2 + 0.42 * sum(widths) + len(matrices), 3.0),
                 layout="constrained")
    axes = fig.subplots(1, len(matrices),
                        gridspec_kw={"width_ratios": widths})
    for ax, matrix, name in zip(axes, matrices, titles):
        matrix = np.asarray(matrix, dtype=float)
        ax.imshow(matrix, cmap="Blues", alpha=0.8)
        for (i, j), value in np.ndenumerate(matrix):
            ax.text(j, i, f"{value:g}", ha="center", va="center",
                    fontsize=8)
        ax.set_title(name, fontsize=10)
        ax.set_xticks([])
        ax.set_yticks([])
    for panel, row, col, height, width in windows:
        axes[panel].add_patch(Rectangle(
            (col - 0.5, row - 0.5), width, height, fill=False,
            edgecolor=PALETTE[3], lw=2.5))
    if title:
        fig.suptitle(title)
    return fig


def image_row(images, titles, title=None, cmap="gray_r"):
    """Una fila de imágenes con su título, cada una con su propia escala.

    Entrada: lista de matrices 2-D (una imagen y sus versiones filtradas).
    """
    fig = Figure(figsize=(2.3 * len(images), 2.6), layout="constrained")
    axes = fig.subplots(1, len(images))
    for ax, image, name in zip(np.atleast_1d(axes), images, titles):
        ax.imshow(image, cmap=cmap)
        ax.set_title(name, fontsize=10)
        ax.set_xlabel(f"{image.shape[0]}×{image.shape[1]}", fontsize=8)
        ax.set_xticks([])
        ax.set_yticks([])
    if title:
        fig.suptitle(title)
    return fig


def image_grid(images, ncols=8, title=None, signed=False, cmap="viridis",
               numbered=True):
    """Una grilla de imágenes pequeñas (filtros, mapas, dígitos generados).

    Entrada: arreglo (n, alto, ancho). Con ``signed=True`` usa una escala
    de colores simétrica: rojo positivo, azul negativo, blanco cero.
    """
    images = np.asarray(images)
    nrows = int(np.ceil(len(images) / ncols))
    fig = Figure(figsize=(1.1 * ncols, 1.15 * nrows + 0.4),
                 layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False)
    limit = np.abs(images).max() if signed else None
    for k, ax in enumerate(axes.flat):
        ax.set_xticks([])
        ax.set_yticks([])
        if k >= len(images):
            ax.axis("off")
            continue
        if signed:
            ax.imshow(images[k], cmap="RdBu_r", vmin=-limit, vmax=limit)
        else:
            ax.imshow(images[k], cmap=cmap)
        if numbered:
            ax.set_title(str(k), fontsize=7, pad=2)
    if title:
        fig.suptitle(title)
    return fig


def conv_pool_chain(stages):
    """La cadena Conv → Pool → Flatten → Dense, con la forma de cada etapa.

    Entrada: lista de tuplas ``(nombre, forma)`` donde forma es
    ``(alto, ancho, canales)`` para mapas o ``(unidades,)`` para vectores.
    Cada bloque se dibuja con altura proporcional a su resolución.
    """
    fig = Figure(figsize=(1.75 * len(stages), 3.4), layout="constrained")
    ax = fig.add_subplot()
    ax.set_xlim(-0.2, 1.75 * len(stages))
    ax.set_ylim(-1.0, 3.2)
    ax.axis("off")
    biggest = max(shape[0] for shape in stages[0][1:])
    for k, (name, shape) in enumerate(stages):
        x = 0.2 + 1.75 * k
        if len(shape) == 3:
            height = 2.6 * shape[0] / biggest
            depth = min(0.15 + 0.02 * shape[2], 0.9)
            label = "×".join(str(s) for s in shape)
            color = PALETTE[0]
        else:
            height, depth = 2.6 * min(shape[0] / 1000, 1) + 0.3, 0.25
            label = str(shape[0])
            color = PALETTE[1]
        ax.add_patch(Rectangle((x, 1.3 - height / 2), depth, height,
                               facecolor=color, alpha=0.55,
                               edgecolor="0.2"))
        ax.text(x + depth / 2, -0.35, name, ha="center", fontsize=9)
        ax.text(x + depth / 2, -0.8, label, ha="center", fontsize=9,
                color="0.3")
        if k:
            ax.annotate("", (x - 0.1, 1.3), (x - 0.75, 1.3),
                        arrowprops={"arrowstyle": "-|>", "color": "0.4"})
    return fig


# --- Capítulo 6 ------------------------------------------------------------


def confusion_matrix(matrix, labels=None, title=None):
    """Matriz de confusión con los conteos escritos en cada celda.

    Entrada: matriz (C, C) de enteros: fila = clase real, columna =
    clase predicha.
    """
    matrix = np.asarray(matrix)
    labels = range(len(matrix)) if labels is None else labels
    fig = Figure(figsize=(5.6, 4.8), layout="constrained")
    ax = fig.add_subplot()
    image = ax.imshow(np.log1p(matrix), cmap="Blues")
    for (i, j), value in np.ndenumerate(matrix):
        color = "white" if value > matrix.max() / 3 else "black"
        ax.text(j, i, str(value), ha="center", va="center", fontsize=7,
                color=color)
    ax.set_xticks(range(len(matrix)), labels)
    ax.set_yticks(range(len(matrix)), labels)
    ax.set_xlabel("clase predicha")
    ax.set_ylabel("clase real")
    fig.colorbar(image, ax=ax, label="log(1 + conteo)")
    if title:
        ax.set_title(title)
    return fig


def reconstructions(originals, rebuilt, n=10, title=None):
    """Dos filas: imágenes originales arriba y su reconstrucción abajo.

    Entrada: arreglos (m, 784) o (m, 28, 28) con valores en [0, 1].
    """
    fig = Figure(figsize=(1.0 * n, 2.4), layout="constrained")
    axes = fig.subplots(2, n)
    for row, (images, name) in enumerate(((originals, "original"),
                                          (rebuilt, "reconstruida"))):
        for k in range(n):
            ax = axes[row, k]
            ax.imshow(np.reshape(images[k], (28, 28)), cmap="gray_r",
                      vmin=0, vmax=1)
            ax.set_xticks([])
            ax.set_yticks([])
        axes[row, 0].set_ylabel(name, fontsize=8)
    if title:
        fig.suptitle(title)
    return fig


def latent_scatter(codes, labels, title=None):
    """El espacio latente 2-D: un punto por imagen, coloreado por dígito.

    Entrada: ``codes`` (m, 2) y ``labels`` (m,) enteros 0..9.
    """
    fig = Figure(figsize=(5.6, 4.6), layout="constrained")
    ax = fig.add_subplot()
    for digit in range(10):
        points = codes[labels == digit]
        ax.scatter(points[:, 0], points[:, 1], s=4, alpha=0.6,
                   color=PALETTE[digit], label=str(digit))
    ax.set_xlabel("$z_1$")
    ax.set_ylabel("$z_2$")
    ax.legend(title="dígito", markerscale=3, fontsize=7, ncol=2)
    if title:
        ax.set_title(title)
    return fig


def attention_map(weights, tokens, title=None):
    """Los pesos de atención entre las palabras de una frase.

    Entrada: matriz (n, n) (fila = palabra que consulta, columna = palabra
    atendida; cada fila suma 1) y la lista de ``n`` palabras.
    """
    n = len(tokens)
    fig = Figure(figsize=(1.2 + 0.42 * n, 1.0 + 0.4 * n),
                 layout="constrained")
    ax = fig.add_subplot()
    image = ax.imshow(weights, cmap="viridis", vmin=0)
    ax.set_xticks(range(n), tokens, rotation=60, ha="right", fontsize=8)
    ax.set_yticks(range(n), tokens, fontsize=8)
    ax.set_xlabel("palabra atendida")
    ax.set_ylabel("palabra que consulta")
    fig.colorbar(image, ax=ax, label="peso de atención")
    if title:
        ax.set_title(title)
    return fig
