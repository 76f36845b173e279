"""Números y tablas como se escriben en español: el único formateador.

Coma decimal, espacio fino no separable para los miles (60 000), porcentajes
con espacio antes del signo, media ± desviación y tablas Markdown. Lo usan
el texto del libro (``glue``), la terminal y los ejes de las figuras.
"""

import math
import numbers

THIN_SPACE = "\u202f"
"""Espacio fino no separable: separa los miles sin partir el número."""

NO_BREAK_SPACE = "\u00a0"
"""Espacio no separable entre la cifra y su signo (95,1 %)."""


MINUS = "\u2212"
"""El signo menos tipográfico (−), más largo que el guion (-)."""


def number(value, digits=3):
    """Un número en español: ``60000`` → «60 000», ``-0.1234`` → «−0,123».

    Los enteros (``int``, ``numpy.int64``…) se escriben completos y los
    reales con ``digits`` decimales; los miles se separan desde 10 000
    (1000 queda junto). Los negativos llevan el menos tipográfico, y lo
    que se redondea a cero se escribe sin signo («0,00», nunca «−0,00»).
    """
    text = (f"{int(value):,d}" if isinstance(value, numbers.Integral)
            else f"{float(value):,.{digits}f}")
    if abs(value) < 10_000:
        text = text.replace(",", "")
    if text.startswith("-") and not text.strip("-0.,"):
        text = text[1:]
    return (text.replace(",", THIN_SPACE).replace(".", ",")
            .replace("-", MINUS))


SUPERSCRIPTS = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def scientific(value, digits=1):
    """Notación científica: ``2.8e-17`` → «2,8 × 10⁻¹⁷»; ``0`` → «0».

    Para cantidades diminutas, como el redondeo de float64.
    """
    if value == 0:
        return "0"
    mantissa, exponent = f"{value:.{digits}e}".split("e")
    power = str(int(exponent)).translate(SUPERSCRIPTS)
    return (f"{mantissa.replace('.', ',')}{NO_BREAK_SPACE}×"
            f"{NO_BREAK_SPACE}10{power}")


def significant(value, figures=3):
    """Un número con ``figures`` cifras significativas: ``0.012345`` →
    «0,0123», ``12.345`` → «12,3», ``1234.5`` → «1235»."""
    if value == 0:
        return "0"
    magnitude = math.floor(math.log10(abs(value)))
    return number(float(value), max(0, figures - 1 - magnitude))


def percent(value, digits=1):
    """Una fracción como porcentaje: ``0.9512`` → «95,1 %»."""
    return f"{number(100 * value, digits)}{NO_BREAK_SPACE}%"


def mean_std(values, digits=3, *, as_percent=False):
    """La media ± la desviación estándar muestral de ``values``."""
    import statistics

    values = [float(v) for v in values]
    mean = statistics.fmean(values)
    std = statistics.stdev(values) if len(values) > 1 else 0.0
    if as_percent:
        return (f"{number(100 * mean, digits)} ± "
                f"{number(100 * std, digits)}{NO_BREAK_SPACE}%")
    return f"{number(mean, digits)} ± {number(std, digits)}"


METRIC_NAMES = {
    "loss": "pérdida",
    "accuracy": "exactitud",
    "val_loss": "pérdida val.",
    "val_accuracy": "exactitud val.",
    "learning_rate": "tasa",
}
"""Cómo se llama en español cada métrica de un historial (claves de
Keras, las mismas en el gemelo PyTorch)."""


def metrics(values):
    """Las métricas de ``values`` en una línea, en el orden de
    ``METRIC_NAMES``: ``{"loss": 0.1234, "accuracy": 0.975}`` →
    «pérdida 0,1234 · exactitud 97,50 %» (exactitudes en porcentaje)."""
    order = [k for k in METRIC_NAMES if k in values]
    keys = order + sorted(set(values) - set(order))
    return " · ".join(
        f"{METRIC_NAMES.get(key, key)} "
        + (percent(float(values[key]), 2) if "accuracy" in key
           else number(float(values[key]), 4))
        for key in keys)


def markdown_table(rows, columns=None, align=None, numbers=number):
    """Una lista de diccionarios como tabla Markdown.

    ``columns`` fija el orden (todas las claves si se omite); ``align``
    da ``"l"`` o ``"r"`` por columna (los números a la derecha si se omite).
    Los números se escriben con ``numbers`` (por omisión, ``number``).
    """
    columns = list(columns or dict.fromkeys(k for r in rows for k in r))
    cells = [[numbers(v) if _is_number(v) else str(v)
              for v in (row.get(c, "") for c in columns)] for row in rows]
    if align is None:
        align = ["r" if rows and all(_is_number(r.get(c)) for r in rows)
                 else "l" for c in columns]
    rule = ["---:" if a == "r" else "---" for a in align]
    lines = ["| " + " | ".join(columns) + " |", "|" + "|".join(rule) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in cells]
    return "\n".join(lines)


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)
