"""Qué palabras mira la atención de un Transformer entrenado.

Funciones sin *framework*: reciben los pesos de atención que devuelve
``attention_weights`` (de ``esenciales.keras.models`` o de
``esenciales.torch.models``) y los índices de una reseña.
"""

import numpy as np


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
