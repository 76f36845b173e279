"""Qué palabras mira la atención de un Transformer entrenado.

Funciones sin *framework*: reciben los pesos de atención que devuelve
``attention_weights`` (de ``esenciales.keras.models`` o de
``esenciales.torch.models``) y los índices de una reseña.
"""

import numpy as np

from esenciales.spanish import number


def received_attention(weights, tokens):
    """Cuánta atención recibe cada posición, en promedio.

    Entrada: weights (cabezas, T, T) de una reseña y tokens (T,) con
    relleno 0. Salida: (T,), el peso que cada token recibe promediado
    sobre las cabezas y sobre los tokens reales que consultan; el
    relleno recibe 0 y la suma sobre las posiciones es 1.
    """
    real = np.asarray(tokens) != 0
    return weights[:, real, :].mean(axis=(0, 1))


def top_attended(weights, tokens, words, k=10):
    """Las ``k`` palabras que más atención reciben, de mayor a menor.

    ``words``: diccionario índice → palabra. Salida: lista de
    ``(posición, palabra, peso)``; ``<?>`` marca una palabra fuera del
    vocabulario. Con atención uniforme, cada peso sería 1 / (tokens
    reales).
    """
    received = received_attention(weights, tokens)
    order = np.argsort(received)[::-1][:k]
    return [(int(i), words.get(int(tokens[i]), "<?>"), float(received[i]))
            for i in order]


def top_submatrix(weights, tokens, words, k=12):
    """La atención entre las ``k`` palabras más atendidas de una reseña.

    Entrada: weights (cabezas, T, T), tokens (T,), ``words`` índice →
    palabra. Salida: (matriz (k, k) promediada sobre las cabezas, con las
    palabras en el orden de la reseña; sus rótulos). Cada fila es una de
    esas palabras consultando a las otras; no suma 1, porque el resto del
    peso va a las demás palabras de la reseña.
    """
    positions = sorted(i for i, _, _ in top_attended(weights, tokens,
                                                     words, k))
    matrix = weights.mean(axis=0)[np.ix_(positions, positions)]
    labels = [words.get(int(tokens[i]), "<?>") for i in positions]
    return matrix, labels


def uniformity(weights, tokens):
    """¿Cuánto se aparta la atención de mirar todo por igual?

    Salida: ``{"words", "uniform", "top", "low"}``: las palabras reales,
    el peso uniforme (1 / palabras), y el peso recibido mayor y menor,
    como múltiplos del uniforme (1 = atención pareja).
    """
    received = received_attention(weights, tokens)
    real = np.asarray(tokens) != 0
    words = int(real.sum())
    ratios = received[real] * words
    return {"words": words, "uniform": 1 / words,
            "top": float(ratios.max()), "low": float(ratios.min())}


NEAR_UNIFORM = 1.5
"""Si ninguna palabra recibe más que esto veces el peso uniforme (ni
menos que su inverso), la atención es «casi pareja»."""


def uniformity_sentence(spread):
    """Lo que dicen los números de ``uniformity``, en una oración."""
    top = number(spread["top"], 2)
    low = number(spread["low"], 2)
    if spread["top"] < NEAR_UNIFORM and spread["low"] > 1 / NEAR_UNIFORM:
        return (f"Los pesos son casi parejos: la palabra más atendida "
                f"recibe {top} veces el peso uniforme y la menos atendida "
                f"{low} veces. Tras una época, este Transformer apenas usa "
                "la atención para elegir palabras: promedia casi por igual "
                "toda la reseña, y el orden de las más «atendidas» dice "
                "poco.")
    return (f"Los pesos se apartan de lo parejo: la palabra más atendida "
            f"recibe {top} veces el peso uniforme y la menos atendida "
            f"{low} veces.")
