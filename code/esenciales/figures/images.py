"""Imágenes y matrices: dígitos, filtros, mapas, confusión y atención.

Cada función recibe arreglos ya calculados y devuelve una ``Figure`` nueva
del estilo del libro (``esenciales.figures.style``): a lo sumo 6,3 pulgadas
de ancho, letras de 9 pt o más.
"""

import textwrap

import numpy as np
from matplotlib.patches import Rectangle

from esenciales import spanish
from esenciales.figures.style import (LARGE, MAX_WIDTH, PALETTE,
                                      PHONE_WIDTH, SMALL, decimal_comma,
                                      figure, panels)


def _square(image):
    image = np.asarray(image)
    if image.ndim == 2:
        return image
    side = int(round(np.sqrt(image.size)))
    return image.reshape(side, side)


def _bare(ax):
    ax.set_xticks([])
    ax.set_yticks([])


def digit_gallery(images, labels, n=10, title=None, stacked=False):
    """Una fila de imágenes pequeñas con su etiqueta debajo.

    Entrada: images (m, h, w) o (m, h·w) cuadradas, labels (m,). Con
    ``stacked=True``, seis por fila, para un teléfono.
    """
    images = np.asarray(images)[:n]
    count = len(images)
    fig, axes = panels(count, count, stacked,
                       1.25 if title is None else 1.55,
                       panel_height=0.95 if title is None else 1.1,
                       phone_columns=6, width=min(MAX_WIDTH, 0.6 * n))
    for ax, image, name in zip(axes, images, labels):
        ax.imshow(_square(image), cmap="gray_r")
        ax.set_xlabel(str(name))
        _bare(ax)
    if title:
        fig.suptitle(title, fontsize=LARGE, wrap=stacked)
    return fig


def reconstructions(originals, rebuilt, n=8, title=None, stacked=False,
                    height=None):
    """Imágenes originales (arriba) y sus reconstrucciones (abajo).

    Entrada: dos arreglos (m, h·w) o (m, h, w) de imágenes cuadradas en
    [0, 1]. Concepto: lo que un autoencoder conserva al comprimir. Con
    ``stacked=True``, en dos tandas (la mitad de las imágenes en cada
    par de filas), para un teléfono. ``height``: el alto de la figura de
    la página, en pulgadas (por omisión, 1,7 o 2 con título).
    """
    n = min(n, len(originals))
    per_row = -(-n // 2) if stacked else n
    bands = -(-n // per_row)
    if height is None:
        height = 1.7 if title is None else 2.0
    fig, axes = panels(2 * bands * per_row, per_row, stacked, height,
                       panel_height=0.85 if title is None else 0.95,
                       phone_columns=per_row,
                       width=min(MAX_WIDTH, 1.1 + 0.65 * n))
    axes = axes.reshape(2 * bands, per_row)
    for k in range(bands * per_row):
        band, column = divmod(k, per_row)
        for row, group in enumerate((originals, rebuilt)):
            ax = axes[2 * band + row, column]
            if k >= n:
                ax.set_visible(False)
                continue
            ax.imshow(_square(group[k]), cmap="gray_r", vmin=0, vmax=1)
            _bare(ax)
    for band in range(bands):   # rótulos horizontales: se leen sin girar
        for row, name in ((2 * band, "original"),
                          (2 * band + 1, "reconstruida")):
            axes[row, 0].set_ylabel(name, fontsize=SMALL, rotation=0,
                                    ha="right", va="center")
    if title:
        fig.suptitle(title, fontsize=LARGE, wrap=stacked)
    return fig


def annotated_grids(matrices, titles, windows=(), title=None,
                    stacked=False):
    """Matrices pequeñas lado a lado, con su valor escrito en cada celda.

    Entrada: lista de matrices 2-D, sus títulos y ``windows``: tuplas
    ``(panel, fila, columna, alto, ancho)`` que se enmarcan en rojo.
    Sirve para seguir una convolución o un *pooling* a mano. Con
    ``stacked=True``, una matriz por fila, para un teléfono.
    """
    n = len(matrices)
    heights = [np.shape(m)[0] for m in matrices]
    widths = [np.shape(m)[1] for m in matrices]
    if stacked:
        cell = min(0.42, (PHONE_WIDTH - 0.3) / max(widths))
        fig, axes = panels(n, n, True, panel_height=0.4 + cell * sum(
            heights) / n, gridspec_kw={"height_ratios": heights})
    else:
        cell = min(0.42, (MAX_WIDTH - 0.4 * n) / sum(widths))
        fig, axes = panels(n, n, width=min(MAX_WIDTH, 0.4 * n + cell * sum(
            widths)), height=0.9 + cell * max(heights),
            gridspec_kw={"width_ratios": widths})
    for ax, matrix, name in zip(axes, matrices, titles):
        matrix = np.asarray(matrix, dtype=float)
        ax.imshow(matrix, cmap="Blues", alpha=0.8)
        for (i, j), value in np.ndenumerate(matrix):
            text = (spanish.number(int(value)) if float(value).is_integer()
                    else spanish.number(float(value), 2))
            ax.text(j, i, text, ha="center", va="center", fontsize=SMALL)
        ax.set_title(name, fontsize=SMALL)
        _bare(ax)
    for panel, row, col, height, width in windows:
        axes[panel].add_patch(Rectangle(
            (col - 0.5, row - 0.5), width, height, fill=False,
            edgecolor=PALETTE[1], lw=2.5))
    if title:
        fig.suptitle(title, fontsize=LARGE, wrap=stacked)
    return fig


def image_row(images, titles, title=None, cmap="gray_r", stacked=False):
    """Una fila de imágenes con su título, cada una con su propia escala.

    Entrada: lista de matrices 2-D (una imagen y sus versiones filtradas).
    Con ``stacked=True``, dos por fila, para un teléfono.
    """
    n = len(images)
    fig, axes = panels(n, n, stacked, 2.1, panel_height=2.1,
                       phone_columns=2, width=min(MAX_WIDTH, 1.6 * n))
    for ax, image, name in zip(axes, images, titles):
        ax.imshow(image, cmap=cmap)
        ax.set_title(name, fontsize=SMALL)
        ax.set_xlabel(f"{image.shape[0]}×{image.shape[1]}", fontsize=SMALL)
        _bare(ax)
    if title:
        fig.suptitle(title, fontsize=LARGE, wrap=stacked)
    return fig


def image_grid(images, ncols=8, title=None, signed=False, cmap="viridis",
               numbered=True, stacked=False):
    """Una grilla de imágenes pequeñas (filtros, mapas, dígitos generados).

    Entrada: arreglo (n, alto, ancho). Con ``signed=True`` usa una escala
    de colores simétrica: rojo positivo, azul negativo, blanco cero. Con
    ``stacked=True``, dibujada para un teléfono: una grilla numerada
    (filtro 0, 1, …) pasa a la mitad de columnas; una sin números, cuyas
    filas y columnas significan algo (una grilla de z, originales arriba
    y aumentadas abajo), conserva su forma y solo se achica.
    """
    images = np.asarray(images)
    if stacked and numbered:
        ncols = -(-ncols // 2)
    nrows = int(np.ceil(len(images) / ncols))
    side = min(0.75, (PHONE_WIDTH if stacked else MAX_WIDTH) / ncols)
    fig = figure(side * ncols, (side + 0.2) * nrows + 0.35)
    axes = fig.subplots(nrows, ncols, squeeze=False)
    limit = np.abs(images).max() if signed else None
    for k, ax in enumerate(axes.flat):
        _bare(ax)
        if k >= len(images):
            ax.axis("off")
            continue
        if signed:
            ax.imshow(images[k], cmap="RdBu_r", vmin=-limit, vmax=limit)
        else:
            ax.imshow(images[k], cmap=cmap)
        if numbered:
            ax.set_title(str(k), fontsize=SMALL, pad=2)
    if title:
        fig.suptitle(title, fontsize=LARGE, wrap=stacked)
    return fig


def confusion_matrix(matrix, labels=None, title=None):
    """Matriz de confusión con los conteos escritos en cada celda.

    Entrada: matriz (C, C) de enteros: fila = clase real, columna =
    clase predicha.
    """
    matrix = np.asarray(matrix)
    labels = range(len(matrix)) if labels is None else labels
    fig = figure(6.0, 5.2)
    ax = fig.add_subplot()
    image = ax.imshow(np.log1p(matrix), cmap="Blues")
    for (i, j), value in np.ndenumerate(matrix):
        color = "white" if value > matrix.max() / 3 else "black"
        ax.text(j, i, spanish.number(int(value)), ha="center", va="center",
                fontsize=SMALL, color=color)
    ax.set_xticks(range(len(matrix)), labels)
    ax.set_yticks(range(len(matrix)), labels)
    ax.set_xlabel("clase predicha")
    ax.set_ylabel("clase real")
    bar = fig.colorbar(image, ax=ax, label="log(1 + conteo)")
    decimal_comma(bar.ax, "y")
    if title:
        ax.set_title(title, fontsize=LARGE)
    return fig


def attention_map(weights, tokens, title=None, uniform=None,
                  stacked=False):
    """Los pesos de atención entre las palabras de una frase.

    Entrada: matriz (n, n) (fila = palabra que consulta, columna = palabra
    atendida) y la lista de ``n`` palabras. Con ``uniform`` (el peso que
    daría una atención pareja, 1 / palabras reales), cada peso se dibuja
    como múltiplo de él: 1 es «igual que mirar todo por igual». La barra
    de color escribe el valor exacto de cada marca. Con ``stacked=True``,
    angosta: la de un teléfono y la de media página impresa.
    """
    n = len(tokens)
    width = PHONE_WIDTH if stacked else min(MAX_WIDTH, 1.8 + 0.36 * n)
    fig = figure(width, width + 1.2 * stacked - 0.2)
    ax = fig.add_subplot()
    weights = np.asarray(weights, dtype=float)
    if uniform is not None:
        weights = weights / uniform
    image = ax.imshow(weights, cmap="viridis",
                      vmin=None if uniform is not None else 0)
    ax.set_xticks(range(n), tokens, rotation=60, ha="right",
                  fontsize=SMALL)
    ax.set_yticks(range(n), tokens, fontsize=SMALL)
    ax.set_xlabel("palabra atendida")
    ax.set_ylabel("palabra que consulta")
    bar = fig.colorbar(image, ax=ax, label="peso de atención" if uniform is
                       None else "peso / peso uniforme",
                       location="bottom" if stacked else "right")
    decimal_comma(bar.ax, "x" if stacked else "y")
    if title:
        ax.set_title(textwrap.fill(title, 36) if stacked else title,
                     fontsize=LARGE)
    return fig


def astar_grid(grid, path, title="Ruta planificada con A*"):
    """Grilla con obstáculos y el camino encontrado, inicio y meta marcados.

    Entrada: grid (alto, ancho) de 0/1 y path, lista de celdas (fila, col).
    """
    grid = np.asarray(grid)
    fig = figure(4.4, 4.6)
    ax = fig.add_subplot()
    ax.imshow(grid, cmap="Greys", vmin=0, vmax=1.4)
    rows, cols = zip(*path)
    ax.plot(cols, rows, color=PALETTE[1], lw=2.4, label="camino")
    ax.plot(cols[0], rows[0], "o", color=PALETTE[2], ms=10, label="inicio")
    ax.plot(cols[-1], rows[-1], "*", color=PALETTE[0], ms=16, label="meta")
    _bare(ax)
    ax.set_title(title, fontsize=LARGE)
    ax.legend(loc="upper right", fontsize=SMALL, framealpha=0.9)
    return fig
