"""La regla estadística del libro y el veredicto que se escribe con ella.

Una comparación del libro mide la misma cifra (la exactitud de prueba, la
entropía cruzada de prueba…) en una línea base y en una variante, con las
mismas semillas. La regla, la única que usa el libro:

1. la diferencia **semilla por semilla**, ``d_i = variante_i − base_i``;
2. su media ``d̄`` y su desviación estándar muestral ``s`` (con n − 1);
3. el intervalo de confianza del 95 %, ``d̄ ± t · s / √n``, con ``t`` el
   cuantil 0,975 de la t de Student con n − 1 grados de libertad;
4. la diferencia es **real** solo si el intervalo excluye el 0; si lo
   incluye, «no se distingue del azar con n semillas».

``verdict`` convierte esos números en la oración que el libro pega con
``glue``: nombra la cifra, da la media y el intervalo y dice qué se
concluye. Ninguna oración de un resultado se escribe a mano.
"""

import math

import numpy as np

from esenciales.spanish import MINUS, NO_BREAK_SPACE

PERCENT = NO_BREAK_SPACE + "%"

CONFIDENCE = 0.95
"""Nivel de confianza del intervalo de la regla."""


def mean_std(values):
    """Media y desviación estándar muestral (con n − 1) de unas cifras.

    Con una sola cifra, la desviación es 0.
    """
    values = np.asarray(values, dtype=float)
    std = values.std(ddof=1) if len(values) > 1 else 0.0
    return float(values.mean()), float(std)


def t_quantile(n, confidence=CONFIDENCE):
    """El cuantil de la t de Student para ``n`` cifras (n − 1 grados de
    libertad) que deja ``confidence`` al centro: 4,30 con n = 3."""
    from scipy.stats import t

    return float(t.ppf((1 + confidence) / 2, n - 1))


def paired_difference(baseline, variant, confidence=CONFIDENCE):
    """La regla del libro sobre dos listas pareadas por semilla.

    Entrada: ``baseline`` y ``variant``, una cifra por semilla, en el mismo
    orden. Salida: ``{"values", "mean", "std", "n", "low", "high",
    "real"}``: las diferencias ``variant − baseline``, su media y
    desviación, el intervalo de confianza y si excluye el 0. Con una sola
    semilla no hay intervalo (``low`` y ``high`` son ±∞) y nada es real.
    """
    if len(baseline) != len(variant):
        raise ValueError("Las dos variantes deben tener las mismas "
                         "semillas.")
    values = [float(v) - float(b) for b, v in zip(baseline, variant)]
    mean, std = mean_std(values)
    n = len(values)
    half = (t_quantile(n, confidence) * std / math.sqrt(n) if n > 1
            else math.inf)
    low, high = mean - half, mean + half
    return {"values": values, "mean": mean, "std": std, "n": n,
            "low": low, "high": high, "real": low > 0 or high < 0}


def direction(difference, higher_is_better=True):
    """``"mejora"``, ``"empeora"`` o ``"azar"``: lo que dice la regla.

    Con ``higher_is_better=None`` (una cifra que no es mejor ni peor,
    como las épocas entrenadas), ``"sube"`` o ``"baja"``.
    """
    if not difference["real"]:
        return "azar"
    up = difference["mean"] > 0
    if higher_is_better is None:
        return "sube" if up else "baja"
    return "mejora" if up == higher_is_better else "empeora"


def interval_text(difference, fmt, unit=""):
    """«de −0,8 a +3,2 puntos»: el intervalo con signo y unidad."""
    return (f"de {signed(fmt(difference['low']))} a "
            f"{signed(fmt(difference['high']))}{unit}")


def verdict(difference, metric, fmt, unit="", higher_is_better=True):
    """La oración que concluye una comparación, con la regla del libro.

    ``difference``: la salida de ``paired_difference``; ``metric``: la
    cifra con su artículo («la exactitud de prueba»); ``fmt``: escribe un
    número de la cifra («1,2»); ``unit``: lo que sigue al número
    («\u00a0puntos»). Ejemplo: «La exactitud de prueba mejora: +2,3
    puntos de media, con un intervalo del 95 % de +1,1 a +3,5 puntos
    (3 semillas), que excluye el 0.»
    """
    n = difference["n"]
    mean = f"{signed(fmt(difference['mean']))}{unit}"
    seeds = f"{n}{NO_BREAK_SPACE}semilla{'s' if n != 1 else ''}"
    if n < 2:
        return (f"Con {seeds}, {metric} no se puede comparar con el azar "
                f"(diferencia {mean}).")
    if difference["std"] == 0 and difference["mean"] == 0:
        return (f"Con {seeds}, {metric} no cambia: la diferencia es 0 en "
                "cada semilla.")
    interval = interval_text(difference, fmt, unit)
    word = direction(difference, higher_is_better)
    if word == "azar":
        return (f"Con {seeds}, {metric} no se distingue del azar: la "
                f"diferencia media es {mean} y su intervalo del "
                f"95{PERCENT} va {interval}, con el 0 dentro.")
    moves = "sube" if difference["mean"] > 0 else "baja"
    size = f"{fmt(abs(difference['mean']))}{unit}"
    change = (f"{moves} {size} de media" if word == moves
              else f"{word} ({moves} {size} de media)")
    return (f"{_capital(metric)} {change}; su intervalo del "
            f"95{PERCENT} va {interval} con {seeds} y excluye el 0.")


def spanish_list(words, none="ninguna"):
    """«a, b y c» (o ``none`` si no hay ninguna)."""
    words = list(words)
    if not words:
        return none
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " y " + words[-1]


def signed(text):
    """Un número escrito con ``spanish.number`` y su signo siempre a la
    vista: «1,2» → «+1,2»; «−0,8» queda igual, y el cero, sin signo."""
    return text if text.startswith(MINUS) or not text.strip("0,") \
        else "+" + text


def _capital(text):
    return text[:1].upper() + text[1:]
