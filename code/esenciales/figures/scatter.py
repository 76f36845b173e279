"""Nubes de puntos: proyecciones y espacios latentes, coloreados por clase.

Cada clase lleva color y marcador propios (``style.series``), para que se
distingan también en gris; las leyendas van fuera de los datos.
"""

import numpy as np

from esenciales.figures.style import (LARGE, MARKERS, PALETTE,
                                      PHONE_WIDTH, SMALL, decimal_comma,
                                      figure, panels)


def embedding_scatter(points, colorings, titles, annotate=True,
                      stacked=False, height=3.5):
    """Puntos 2D coloreados de varias formas, un panel por coloración.

    Entrada: points (n, 2); colorings, lista de arreglos (n,) de enteros
    (por ejemplo, el dígito verdadero y el grupo de k-means); titles. Con
    ``annotate``, cada grupo lleva su número escrito en su mediana. Con
    ``stacked=True``, un panel por fila, para un teléfono; ``height``, el
    alto de la figura de la página, en pulgadas.
    """
    points = np.asarray(points)
    fig, axes = panels(len(colorings), len(colorings), stacked, height,
                       panel_height=3.2)
    for ax, labels, title in zip(axes, colorings, titles):
        labels = np.asarray(labels)
        for value in np.unique(labels):
            mine = points[labels == value]
            ax.scatter(mine[:, 0], mine[:, 1], s=6, alpha=0.7,
                       color=PALETTE[int(value) % len(PALETTE)],
                       marker=MARKERS[int(value) % len(MARKERS)])
            if annotate:
                cx, cy = np.median(mine, axis=0)
                ax.text(cx, cy, str(value), fontsize=LARGE, weight="bold",
                        ha="center", va="center",
                        bbox=dict(boxstyle="round", fc="white", alpha=0.8))
        ax.set_title(title, fontsize=SMALL)
        ax.set_xticks([])
        ax.set_yticks([])
    return fig


def latent_scatter(codes, labels, title=None, stacked=False):
    """El espacio latente 2-D: un punto por imagen, coloreado por dígito.

    Entrada: ``codes`` (m, 2) y ``labels`` (m,) enteros 0..9. La leyenda
    va a la derecha, fuera de los puntos; con ``stacked=True`` (angosta:
    la de un teléfono y la de media página impresa), debajo.
    """
    codes, labels = np.asarray(codes), np.asarray(labels)
    fig = figure(PHONE_WIDTH, 4.4) if stacked else figure(6.3, 4.4)
    ax = fig.add_subplot()
    for digit in range(10):
        mine = codes[labels == digit]
        ax.scatter(mine[:, 0], mine[:, 1], s=5, alpha=0.6,
                   color=PALETTE[digit % len(PALETTE)],
                   marker=MARKERS[digit % len(MARKERS)], label=str(digit))
    ax.set_xlabel("$z_1$")
    ax.set_ylabel("$z_2$")
    decimal_comma(ax)
    if stacked:
        fig.legend(title="dígito", markerscale=3, fontsize=SMALL, ncols=5,
                   loc="outside lower center")
    else:
        ax.legend(title="dígito", markerscale=3, fontsize=SMALL,
                  loc="upper left", bbox_to_anchor=(1.02, 1.0))
    if title:
        ax.set_title(title, fontsize=LARGE)
    return fig
