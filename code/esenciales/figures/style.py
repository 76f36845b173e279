"""El estilo de todas las figuras del libro, en un solo lugar.

Una figura del libro mide a lo sumo ``MAX_WIDTH`` pulgadas de ancho: cabe en
la caja de texto del PDF (carta, márgenes de 2,2 cm) sin reducirse, y en la
columna del HTML a 1280 px tampoco se achica. Así el tamaño de letra que se
elige aquí es el que se imprime: nada baja de ``MIN_POINTS`` (9 pt, por
sobre los 8 pt impresos y los 11 px en pantalla que pide el libro).

Los tamaños por omisión de matplotlib (10 pt en ejes, marcas y leyendas)
ya cumplen; este módulo fija los de los diagramas y prohíbe achicarlos.

Las series se distinguen por color, tipo de línea y marcador a la vez, para
que se lean también impresas en gris. Los ejes numéricos usan coma decimal
(``esenciales.spanish.number``, el formateador único) y las épocas, marcas
enteras.
"""

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import FancyArrowPatch, FancyBboxPatch
from matplotlib.text import Text
from matplotlib.ticker import FuncFormatter, MaxNLocator

from esenciales import spanish

MAX_WIDTH = 6.3
"""Ancho máximo de una figura, en pulgadas (la caja de texto del PDF)."""

PRINT_WIDTH = 6.77
"""Ancho de la caja de texto del PDF: carta (8,5 in) menos 2 × 2,2 cm."""

SCREEN_WIDTH = 700
"""Ancho en píxeles de la columna de texto del HTML con la ventana a 1280."""

PHONE_SCREEN = 316
"""Ancho en píxeles de una figura apilada. En un teléfono de 375 px, la
imagen de una figura mide 327 px (la columna de 343 menos el margen de
la figura), y el recorte de la celda (``bbox_inches="tight"``) le suma
unos 11 px de borde: así se ve a tamaño natural, sin achicarse."""

PHONE_WIDTH = PHONE_SCREEN / 96
"""Ese ancho en pulgadas (3,54): el de toda figura apilada."""

MIN_PRINTED = 8.0
"""Letra mínima impresa, en puntos."""

MIN_SCREEN = 11.0
"""Letra mínima en pantalla a 1280 px, en píxeles CSS (96 por pulgada)."""

SIZE = 10
"""Letra de rótulos, ejes y leyendas."""

SMALL = 9
"""Letra más chica permitida (notas dentro de un diagrama)."""

LARGE = 11
"""Letra de títulos de panel y de los nombres principales de un diagrama."""

PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00",
           "#56B4E9", "#000000", "#F0E442")
"""Okabe–Ito: distinguible con daltonismo; el orden alterna claros y
oscuros para que dos series seguidas difieran también en gris."""

LINESTYLES = ("-", "--", "-.", ":", (0, (5, 1, 1, 1, 1, 1)))
MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*", "<", ">")

FILLS = {"entrada": "#fde0c5", "capa": "#dae8fc", "salida": "#d5e8d4",
         "atencion": "#f8cecc", "memoria": "#e1d5e7", "nota": "#fff2cc",
         "gris": "#eeeeee"}
"""Rellenos claros de las cajas de los diagramas (el texto va en negro)."""

OUTPUT_FORMATS = ("svg", "pdf")
"""Formatos de las figuras de las celdas: SVG para el HTML (nítido a
cualquier tamaño, el texto se puede buscar) y PDF para LaTeX (vectorial al
imprimir). Jupyter muestra el SVG y guarda también el PDF."""


def use_book_formats():
    """Las figuras de las celdas salen en ``OUTPUT_FORMATS``, revisadas.

    La llama la celda de preparación de cada capítulo: es la única que
    decide los formatos. Antes de escribir el SVG, cada figura pasa por
    ``wrong_tick_labels``: una marca cuyo rótulo dice otro valor deja un
    error en la salida de la celda, y ``tools/check_book.py`` hace fallar
    la construcción. Fuera de IPython (``esenciales ejecutar``) el comando
    reemplaza ``matplotlib_inline`` y la llamada no hace nada.
    """
    from IPython import get_ipython
    from matplotlib.figure import Figure
    from matplotlib_inline.backend_inline import set_matplotlib_formats

    set_matplotlib_formats(*OUTPUT_FORMATS)
    shell = get_ipython()
    if shell is not None:
        svg = shell.display_formatter.formatters["image/svg+xml"]
        svg.for_type(Figure, checked_ticks(svg.lookup_by_type(Figure)))


def checked_ticks(printer):
    """``printer(fig)``, pero solo si cada marca dice su valor; si no,
    ``ValueError`` con las marcas que mienten."""
    def print_checked(fig):
        wrong = wrong_tick_labels(fig)
        if wrong:
            raise ValueError("figura con marcas que dicen otro valor: "
                             + "; ".join(f"la marca {value!r} del eje "
                                         f"{axis} dice «{text}»"
                                         for axis, value, text in wrong))
        return printer(fig)
    return print_checked


def series(k):
    """Color, línea y marcador de la serie número ``k`` (legibles en gris)."""
    return {"color": PALETTE[k % len(PALETTE)],
            "linestyle": LINESTYLES[k % len(LINESTYLES)],
            "marker": MARKERS[k % len(MARKERS)]}


def figure(width=MAX_WIDTH, height=3.6):
    """Figura nueva del libro, sin pyplot; el ancho no pasa de MAX_WIDTH."""
    if width > MAX_WIDTH + 1e-9:
        height *= MAX_WIDTH / width
        width = MAX_WIDTH
    return Figure(figsize=(width, height), layout="constrained")


def panels(n, columns, stacked=False, height=3.6, panel_height=2.4,
           phone_columns=1, width=MAX_WIDTH, **subplots_kw):
    """Figura de ``n`` paneles y sus ejes, para la página o para un teléfono.

    Para la página (y el PDF), ``columns`` paneles por fila en una figura
    de ``width`` × ``height`` pulgadas. Apilada (``stacked=True``), la
    misma figura dibujada para un teléfono: ``phone_columns`` paneles por
    fila (uno, por omisión), ``PHONE_WIDTH`` de ancho y ``panel_height``
    por fila. Así la letra de cada panel se lee con el tamaño que tiene,
    en vez de achicarse con la figura entera hasta la mitad.

    Devuelve (fig, axes): ``axes``, un arreglo plano con los ``n`` ejes;
    los que sobran en la última fila se esconden.
    """
    if stacked:
        columns = phone_columns
    rows = -(-n // columns)
    if stacked:
        fig = Figure(figsize=(PHONE_WIDTH, panel_height * rows),
                     layout="constrained")
    else:
        fig = figure(width, height)
    axes = fig.subplots(rows, columns, squeeze=False, **subplots_kw)
    axes = axes.ravel()
    for ax in axes[n:]:
        ax.set_visible(False)
    return fig, axes[:n]


def diagram(width, height, xlim, ylim):
    """Figura con un eje sin marcos en coordenadas propias, para diagramas.

    La relación de aspecto es 1: una unidad mide lo mismo en x y en y.
    """
    fig = figure(width, height)
    ax = fig.add_subplot()
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig, ax


def box(ax, x, y, w, h, text="", fill="capa", size=SIZE, **text_kw):
    """Caja con bordes redondeados y texto centrado; (x, y) es la esquina."""
    color = FILLS.get(fill, fill)
    ax.add_patch(FancyBboxPatch((x, y), w, h, boxstyle="round,pad=0,"
                                "rounding_size=0.15", facecolor=color,
                                edgecolor="0.25", lw=1.1))
    if text:
        ax.text(x + w / 2, y + h / 2, text, ha="center", va="center",
                fontsize=size, **text_kw)


def arrow(ax, start, end, color="0.25", width=1.2, style="-|>", **kw):
    """Flecha de ``start`` a ``end`` (``connectionstyle`` para curvarla)."""
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle=style,
                                 mutation_scale=12, color=color, lw=width,
                                 shrinkA=0, shrinkB=0, **kw))


def label(ax, x, y, text, size=SIZE, **kw):
    """Texto de un diagrama, con el tamaño del libro."""
    kw.setdefault("ha", "center")
    kw.setdefault("va", "center")
    return ax.text(x, y, text, fontsize=size, **kw)


# --------------------------------------------------------------- los ejes


MAX_TICK_DECIMALS = 6
"""Más allá de estas cifras decimales, una marca se escribe con sus
cifras significativas (no ocurre con los localizadores de matplotlib)."""


def tick_decimals(locs):
    """Las cifras decimales con que **todas** las marcas se escriben
    exactas: 0,775 / 0,800 / 0,825 piden tres, 0 / 0,25 / 0,5 piden dos.

    Ninguna marca se redondea a otro valor: se busca el menor número de
    decimales con que cada una, escrita, vuelve a ser ella misma.
    """
    locs = [float(v) for v in locs if np.isfinite(v)]
    for digits in range(MAX_TICK_DECIMALS + 1):
        if all(abs(round(v, digits) - v) <= 1e-9 * max(1.0, abs(v))
               for v in locs):
            return digits
    return MAX_TICK_DECIMALS


def tick_label(value, digits):
    """Una marca en español con ``digits`` decimales y el menos
    tipográfico; el 0 nunca lleva signo."""
    if abs(value) < 0.5 * 10.0 ** -max(digits, MAX_TICK_DECIMALS):
        value = 0.0
    return (spanish.number(int(round(value))) if digits == 0
            else spanish.number(float(value), digits))


def tick_value(label):
    """El número que dice el rótulo de una marca («−0,25» → −0.25,
    «60 000» → 60000, «12 %» → 12); ``None`` si no es un número."""
    text = (label.replace("\u2212", "-").replace(spanish.THIN_SPACE, "")
            .replace(spanish.NO_BREAK_SPACE, "").replace(" ", "")
            .removesuffix("%").replace(",", "."))
    try:
        return float(text)
    except ValueError:
        return None


def decimal_comma(ax, which="both"):
    """Marcas de los ejes con coma decimal y miles con espacio fino.

    Usa ``esenciales.spanish.number`` con los decimales de
    ``tick_decimals``: cada rótulo dice el valor exacto de su marca. Los
    ejes logarítmicos conservan sus potencias de 10.
    """
    for name in ("x", "y") if which == "both" else (which,):
        axis = getattr(ax, f"{name}axis")
        if axis.get_scale() != "linear":
            continue

        def fmt(value, pos, axis=axis):
            return tick_label(value,
                              tick_decimals(axis.get_majorticklocs()))

        axis.set_major_formatter(FuncFormatter(fmt))


def wrong_tick_labels(fig):
    """Las marcas cuyo rótulo no dice su valor: (eje, valor, rótulo).

    Dibuja la figura y lee cada rótulo numérico de los ejes lineales de
    vuelta a número; uno que no vuelve a su marca es un error (lo revisa
    ``tools/check_book.py``).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    if fig.canvas is None or not hasattr(fig.canvas, "get_renderer"):
        FigureCanvasAgg(fig)
    fig.canvas.draw()
    wrong = []
    for ax in fig.axes:
        for name in ("x", "y"):
            axis = getattr(ax, f"{name}axis")
            if axis.get_scale() != "linear" or not ax.axison:
                continue
            low, high = sorted(getattr(ax, f"get_{name}lim")())
            for tick in axis.get_major_ticks():
                value = float(tick.get_loc())
                text = tick.label1.get_text()
                shown = tick_value(text)
                if shown is None or not low <= value <= high \
                        or not tick.label1.get_visible():
                    continue
                if abs(shown - value) > 1e-9 * max(1.0, abs(value)):
                    wrong.append((name, value, text))
    return wrong


def integer_ticks(ax, which="x"):
    """Solo marcas enteras en el eje (épocas, capas, pasos)."""
    getattr(ax, f"{which}axis").set_major_locator(
        MaxNLocator(integer=True, min_n_ticks=2))


# ---------------------------------------------------------- legibilidad


def printed_scale(fig):
    """Factor por el que el PDF multiplica la figura (≤ 1 si no cabe)."""
    width = fig.get_figwidth()
    return min(1.0, PRINT_WIDTH / width)


def screen_scale(fig):
    """Factor por el que el HTML la multiplica a 1280 px (≤ 1)."""
    return min(1.0, SCREEN_WIDTH / (fig.get_figwidth() * 96))


def texts(fig):
    """Todos los textos visibles de la figura (rótulos, marcas, leyendas)."""
    fig.canvas.draw_idle()
    found = []
    for artist in fig.findobj(Text):
        if artist.get_visible() and artist.get_text().strip():
            if artist.axes is not None and not artist.axes.get_visible():
                continue
            found.append(artist)
    return found


def phone_scale(fig):
    """Factor por el que el HTML la multiplica en un teléfono de 375 px."""
    return min(1.0, PHONE_SCREEN / (fig.get_figwidth() * 96))


def small_texts(fig, scale=None):
    """(texto, pt impresos, px en pantalla) de los que quedan muy chicos.

    En pantalla, con ``screen_scale`` (1280 px), o con ``scale`` si se da
    (``phone_scale`` para una figura apilada).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    if fig.canvas is None or not hasattr(fig.canvas, "get_renderer"):
        FigureCanvasAgg(fig)
    fig.canvas.draw()
    printed = printed_scale(fig)
    screen = screen_scale(fig) if scale is None else scale
    small = []
    for artist in texts(fig):
        size = artist.get_fontsize()
        pt, px = size * printed, size * screen * 96 / 72
        if pt < MIN_PRINTED - 1e-6 or px < MIN_SCREEN - 1e-6:
            small.append((artist.get_text(), pt, px))
    return small
