"""Vectorización y capas densas encadenadas, con NumPy.

Dos ideas del capítulo 3: (1) procesar un lote completo con una sola
multiplicación de matrices, Y = f(XW + b), en vez de un ciclo por ejemplo y
por neurona; (2) apilar capas lineales sin activación equivale a una sola
capa lineal, así que la profundidad sin no linealidad no agrega capacidad.
"""

import numpy as np


def dense_loop(x, w, b, activation):
    """Capa densa ejemplo por ejemplo y neurona por neurona (lento).

    Entrada: x (m, n), w (n, k), b (k,). Salida: (m, k). Concepto:
    y = f(Σ xᵢ wᵢ + b), calculada con ciclos de Python.
    """
    m, n = x.shape
    k = w.shape[1]
    y = np.empty((m, k))
    for row in range(m):
        for unit in range(k):
            z = b[unit]
            for i in range(n):
                z += x[row, i] * w[i, unit]
            y[row, unit] = activation(z)
    return y


def dense_batched(x, w, b, activation):
    """La misma capa para todo el lote con una multiplicación de matrices.

    Entrada: x (m, n), w (n, k), b (k,). Salida: (m, k). Concepto:
    Y = f(XW + b), la vectorización que aprovechan CPU y GPU.
    """
    return activation(x @ w + b)


def random_dense_problem(m=64, n=784, k=32, seed=0):
    """Un lote y los pesos de una capa densa, al azar y reproducibles.

    Salida: (x (m, n), w (n, k), b (k,)).
    """
    rng = np.random.default_rng(seed)
    x = rng.random((m, n))
    w = rng.normal(0.0, n**-0.5, (n, k))
    b = rng.normal(0.0, 0.1, k)
    return x, w, b


def linear_stack(x, weights, biases):
    """Aplica capas lineales en cadena, sin activación entre ellas.

    Entrada: x (m, n), listas de W_l (n_l, n_{l+1}) y b_l. Salida:
    (m, n_L). Concepto: salida de una capa = entrada de la siguiente.
    """
    for w, b in zip(weights, biases, strict=True):
        x = x @ w + b
    return x


def collapse_linear(weights, biases):
    """Une capas lineales encadenadas en una sola capa (W, b) equivalente.

    Entrada: listas de W_l y b_l. Salida: (W, b) con
    W = W₁W₂…W_L y b = (…(b₁W₂ + b₂)W₃ + …) + b_L. Concepto: sin
    activaciones, la red profunda sigue siendo lineal.
    """
    if not weights or len(weights) != len(biases):
        raise ValueError("Se necesita la misma cantidad (≥ 1) de W y de b.")
    w_total, b_total = weights[0], biases[0]
    for w, b in zip(weights[1:], biases[1:]):
        w_total = w_total @ w
        b_total = b_total @ w + b
    return w_total, b_total


def random_stack(sizes=(4, 16, 16, 3), seed=0):
    """Pesos y sesgos al azar para capas de tamaños ``sizes``.

    Salida: (weights, biases), listas de largo len(sizes) - 1.
    """
    rng = np.random.default_rng(seed)
    weights = [rng.normal(size=(a, c)) for a, c in zip(sizes, sizes[1:])]
    biases = [rng.normal(size=c) for c in sizes[1:]]
    return weights, biases
