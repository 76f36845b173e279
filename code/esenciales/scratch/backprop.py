"""Retropropagación a mano: una red de dos capas escrita solo con NumPy.

La red es la de la diapositiva «Arquitectura representativa»: x → capa
densa → ReLU → capa densa → softmax, entrenada con entropía cruzada. Cada
función hace uno de los cuatro pasos de la clase: (1) *forward*, (2) la
pérdida J, (3) *back-prop*, el gradiente ∇J, y (4) la actualización de los
pesos. Las pruebas comparan el gradiente con el *autograd* de PyTorch y de
Keras y con un gradiente numérico.

Notación de formas: N ejemplos, D entradas, H neuronas ocultas, C clases.
"""

import numpy as np

from esenciales.scratch.activations import relu, relu_grad


def init_params(n_inputs, n_hidden, n_classes, seed=0):
    """Pesos iniciales de He (W ~ N(0, 2/fan_in)) y sesgos en cero.

    Forma: devuelve {"W1": (D, H), "b1": (H,), "W2": (H, C), "b2": (C,)}.
    Concepto: los parámetros ω que el entrenamiento ajusta.
    """
    rng = np.random.default_rng(seed)
    return {
        "W1": rng.normal(0.0, np.sqrt(2.0 / n_inputs), (n_inputs, n_hidden)),
        "b1": np.zeros(n_hidden),
        "W2": rng.normal(0.0, np.sqrt(2.0 / n_hidden), (n_hidden, n_classes)),
        "b2": np.zeros(n_classes),
    }


def softmax(z):
    """Softmax por filas, estable: resta el máximo antes de exponenciar.

    Forma: (N, C) -> (N, C), cada fila suma 1. Concepto: probabilidades.
    """
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def forward(params, x):
    """Paso 1, *forward*: x → ReLU(x·W1 + b1) → softmax(h·W2 + b2).

    Forma: x (N, D) -> (probs (N, C), cache). ``cache`` guarda lo que el
    paso hacia atrás necesita: x, z1 = x·W1 + b1 (N, H) y h = ReLU(z1).
    """
    x = np.asarray(x, dtype=float)
    n_inputs = params["W1"].shape[0]
    if x.ndim != 2 or x.shape[1] != n_inputs:
        raise ValueError(f"x debe tener forma (N, {n_inputs}); "
                         f"se recibió {x.shape}.")
    z1 = x @ params["W1"] + params["b1"]
    h = relu(z1)
    probs = softmax(h @ params["W2"] + params["b2"])
    return probs, {"x": x, "z1": z1, "h": h}


def cross_entropy(probs, y):
    """Paso 2, la pérdida J = −(1/N) Σᵢ log p̂ᵢ[yᵢ] (entropía cruzada).

    Forma: probs (N, C), y (N,) enteros en [0, C) -> escalar.
    """
    y = np.asarray(y)
    n, n_classes = probs.shape
    if y.shape != (n,) or not np.issubdtype(y.dtype, np.integer):
        raise ValueError(f"y debe ser un vector de {n} etiquetas enteras; "
                         f"se recibió forma {y.shape} y tipo {y.dtype}.")
    if y.min() < 0 or y.max() >= n_classes:
        raise ValueError(f"Las etiquetas deben estar entre 0 y "
                         f"{n_classes - 1}.")
    return float(-np.mean(np.log(probs[np.arange(n), y])))


def backward(params, cache, probs, y):
    """Paso 3, *back-prop*: la regla de la cadena de la salida a la entrada.

    Forma: probs (N, C), y (N,) -> {"W1": (D, H), "b1": (H,), "W2": (H, C),
    "b2": (C,)}, el gradiente ∇J con las mismas formas que ``params``.
    Concepto: softmax + entropía cruzada dan ∂J/∂z2 = (p̂ − onehot(y))/N.
    """
    n = len(y)
    dz2 = probs.copy()
    dz2[np.arange(n), y] -= 1.0
    dz2 /= n
    dh = dz2 @ params["W2"].T
    dz1 = dh * relu_grad(cache["z1"])
    return {
        "W1": cache["x"].T @ dz1,
        "b1": dz1.sum(axis=0),
        "W2": cache["h"].T @ dz2,
        "b2": dz2.sum(axis=0),
    }


def update(params, grads, learning_rate):
    """Paso 4, la actualización: ω ← ω − η·∇J (descenso de gradiente).

    Forma: dos diccionarios con las mismas formas -> uno nuevo igual.
    """
    return {k: params[k] - learning_rate * grads[k] for k in params}


def loss_and_grads(params, x, y):
    """Los pasos 1 a 3 juntos: devuelve (J, ∇J).

    Forma: x (N, D), y (N,) -> (escalar, diccionario como ``params``).
    """
    probs, cache = forward(params, x)
    return cross_entropy(probs, y), backward(params, cache, probs, y)


def train_step(params, x, y, learning_rate=0.1):
    """Un paso completo de entrenamiento: forward, J, back-prop, update.

    Forma: x (N, D), y (N,) -> (params nuevos, J antes del paso).
    """
    loss, grads = loss_and_grads(params, x, y)
    return update(params, grads, learning_rate), loss


def train(params, x, y, *, steps=100, learning_rate=0.1):
    """Repite ``train_step`` con el lote completo: descenso de gradiente.

    Forma: x (N, D), y (N,) -> (params finales, lista de ``steps`` valores
    de J, cada uno medido antes de su paso).
    """
    losses = []
    for _ in range(steps):
        params, loss = train_step(params, x, y, learning_rate)
        losses.append(loss)
    return params, losses


def numerical_gradient(params, x, y, h=1e-6):
    """Gradiente por diferencias centrales: (J(ω + h) − J(ω − h)) / 2h.

    Forma: igual que ``backward``. Concepto: la comprobación de gradientes,
    lenta (dos *forward* por peso) pero independiente de la regla de la
    cadena; solo sirve para redes pequeñas.
    """
    grads = {}
    for name, value in params.items():
        grad = np.zeros_like(value)
        for i in np.ndindex(value.shape):
            grad[i] = _central_difference(params, name, i, x, y, h)
        grads[name] = grad
    return grads


def _central_difference(params, name, index, x, y, h):
    """(J(ω + h·eᵢ) − J(ω − h·eᵢ)) / 2h para un solo peso ωᵢ."""
    shifted = dict(params)
    losses = []
    for sign in (1.0, -1.0):
        shifted[name] = params[name].copy()
        shifted[name][index] += sign * h
        losses.append(cross_entropy(forward(shifted, x)[0], y))
    return (losses[0] - losses[1]) / (2 * h)


def relative_error(a, b):
    """Error relativo ‖a − b‖ / (‖a‖ + ‖b‖) entre dos gradientes.

    Forma: dos arreglos de igual forma -> escalar (0 si ambos son nulos).
    Concepto: la medida habitual de la comprobación de gradientes; un
    gradiente a mano correcto da menos de 1e-7 en float64.
    """
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    scale = np.linalg.norm(a) + np.linalg.norm(b)
    return float(np.linalg.norm(a - b) / scale) if scale > 0 else 0.0
