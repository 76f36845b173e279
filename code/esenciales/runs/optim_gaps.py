"""Cuánto se separan nuestros optimizadores de los de Keras y PyTorch.

Corre el mismo problema real (regresión softmax sobre un trozo de MNIST, en
float64) con cada optimizador escrito desde su fórmula y con el que trae el
*framework*, y mide la distancia entre los parámetros finales. Donde las
fórmulas coinciden la brecha es de redondeo (~1e-16); donde no (el ε de
Adam en Keras, el calendario de momentum del Nadam de Keras, el ε dentro
de la raíz en RMSprop y Adagrad de Keras), la brecha queda medida.

Dos brechas pequeñas (< 1e-6) no vienen de la fórmula: Keras guarda la
tasa de aprendizaje en float32 (~1e-8 en SGD con momentum) y
``torch.optim.NAdam`` guarda el producto de los μ en float32 salvo que el
tipo por defecto de torch sea float64 (~1e-10).

El módulo no importa TensorFlow ni PyTorch al cargarse: lo hace dentro de
cada función.
"""

import numpy as np

from esenciales.scratch.backprop import softmax

# Hiperparámetros por defecto de nuestros optimizadores (iguales en Keras y
# PyTorch); cada caso los traduce a los nombres de cada built-in.
CASES = {
    "SGD": ("SGD", {}),
    "SGD con momentum": ("SGD", {"momentum": 0.9}),
    "SGD con Nesterov": ("SGD", {"momentum": 0.9, "nesterov": True}),
    "Adam": ("Adam", {}),
    "AdamW": ("AdamW", {}),
    "RMSprop": ("RMSprop", {}),
    "Adagrad": ("Adagrad", {}),
    "Nadam": ("Nadam", {}),
    "Nadam (momentum_decay=1)": ("Nadam", {"momentum_decay": 1.0}),
}

# Nombres de torch.optim que difieren de los nuestros.
TORCH_NAMES = {"Nadam": "NAdam"}


def keras_adam_effective_epsilon(t, epsilon=1e-7, beta_2=0.999):
    """El ε que de hecho usa ``keras.optimizers.Adam`` en el paso t.

    Keras calcula θ ← θ − η·√(1−β₂ᵗ)/(1−β₁ᵗ)·m/(√v + ε), que es la fórmula
    de la clase con ε̂ = ε/√(1−β₂ᵗ) en lugar de ε: más grande al inicio
    (≈ 31.6·ε en t = 1) y igual a ε cuando t crece. Forma: escalares ->
    escalar.
    """
    return epsilon / (1.0 - beta_2**t) ** 0.5


def softmax_regression_problem(n_samples=256, seed=0):
    """Regresión softmax sobre las primeras imágenes de MNIST, en float64.

    Forma: devuelve (x (N, 784) en [0, 1], y (N,) enteros, [W (784, 10),
    b (10,)] iniciales). Concepto: un problema real y pequeño para
    comparar optimizadores paso a paso.
    """
    from esenciales.data import load_mnist

    (images, labels), _ = load_mnist()
    x = images[:n_samples].reshape(n_samples, -1) / 255.0
    rng = np.random.default_rng(seed)
    params = [rng.normal(0.0, 0.01, (784, 10)), np.zeros(10)]
    return x, labels[:n_samples].astype(np.int64), params


def softmax_regression_grads(params, x, y):
    """Gradiente de la entropía cruzada media respecto de [W, b].

    Forma: params [W (D, C), b (C,)], x (N, D), y (N,) -> [(D, C), (C,)].
    """
    W, b = params
    d = softmax(x @ W + b)
    d[np.arange(len(y)), y] -= 1.0
    d /= len(y)
    return [x.T @ d, d.sum(axis=0)]


def run_torch(optimizer_factory, params0, grad_fn, steps):
    """Aplica ``steps`` pasos de un optimizador de PyTorch.

    ``optimizer_factory(tensores) -> optimizador``; ``grad_fn(params)``
    recibe los parámetros actuales (arreglos NumPy) y devuelve la lista de
    gradientes. Devuelve los parámetros finales como arreglos NumPy.
    """
    import torch

    params = [torch.tensor(p, dtype=torch.float64, requires_grad=True)
              for p in params0]
    optimizer = optimizer_factory(params)
    for _ in range(steps):
        grads = grad_fn([p.detach().numpy() for p in params])
        for p, g in zip(params, grads):
            p.grad = torch.tensor(g, dtype=torch.float64)
        optimizer.step()
    return [p.detach().numpy().copy() for p in params]


def run_keras(optimizer, params0, grad_fn, steps):
    """Aplica ``steps`` pasos de un optimizador de Keras (como ``run_torch``).

    ``optimizer`` es una instancia nueva; las variables son float64. El
    paso corre en un grafo de TensorFlow (``tf.function``), como en
    ``model.fit``.
    """
    import keras
    import tensorflow as tf

    variables = [keras.Variable(p, dtype="float64") for p in params0]
    optimizer.build(variables)
    apply = tf.function(lambda grads: optimizer.apply(grads, variables))
    for _ in range(steps):
        grads = grad_fn([v.numpy() for v in variables])
        apply([tf.constant(g, dtype=tf.float64) for g in grads])
    return [v.numpy() for v in variables]


def full_hyperparameters(name, h):
    """Los hiperparámetros de nuestro optimizador ``name``, con defaults.

    Forma: nombre ("Adam"...) y dict parcial -> dict completo, incluida
    ``learning_rate``. Los defaults son los mismos en Keras y PyTorch.
    """
    import inspect

    from esenciales.torch import optimizers as ours

    signature = inspect.signature(getattr(ours, name)).parameters
    full = {k: p.default for k, p in signature.items()
            if p.default is not inspect.Parameter.empty}
    return {**full, **h}


def torch_builtin(name, **h):
    """Fábrica del optimizador de ``torch.optim`` con nuestros argumentos.

    Forma: nombre y argumentos al estilo Keras -> función(params) que
    construye el built-in equivalente (traduce ``beta_1`` a ``betas``...).
    """
    import torch

    h = full_hyperparameters(name, h)
    kw = {"lr": h.pop("learning_rate")}
    if "beta_1" in h:
        kw["betas"] = (h.pop("beta_1"), h.pop("beta_2"))
    renames = {"epsilon": "eps", "rho": "alpha"}
    kw.update({renames.get(k, k): v for k, v in h.items()})
    cls = getattr(torch.optim, TORCH_NAMES.get(name, name))
    return lambda params: cls(params, **kw)


def keras_builtin(name, **h):
    """El optimizador de ``keras.optimizers`` con nuestros argumentos.

    ``momentum_decay`` no existe en Keras (su Nadam usa ψ = 1) y se omite.
    """
    import keras

    h = full_hyperparameters(name, h)
    h.pop("momentum_decay", None)
    return getattr(keras.optimizers, name)(**h)


def trajectories(case, problem, steps=100):
    """Parámetros finales de las cuatro versiones de un caso de ``CASES``.

    ``problem`` es lo que devuelve ``softmax_regression_problem``.
    Forma: devuelve {"keras": ..., "keras_builtin": ..., "torch": ...,
    "torch_builtin": ..., "initial": ...}, cada uno [W (784, 10), b (10,)].
    """
    from esenciales.keras import optimizers as keras_ours
    from esenciales.torch import optimizers as torch_ours

    name, h = CASES[case]
    x, y, params0 = problem

    def grad_fn(params):
        return softmax_regression_grads(params, x, y)

    torch_cls = getattr(torch_ours, name)
    return {
        "keras": run_keras(getattr(keras_ours, name)(**h), params0,
                           grad_fn, steps),
        "keras_builtin": run_keras(keras_builtin(name, **h), params0,
                                   grad_fn, steps),
        "torch": run_torch(lambda p: torch_cls(p, **h), params0, grad_fn,
                           steps),
        "torch_builtin": run_torch(torch_builtin(name, **h), params0,
                                   grad_fn, steps),
        "initial": params0,
    }


def max_gap(a, b):
    """Mayor diferencia absoluta entre dos listas de arreglos."""
    return float(max(np.max(np.abs(p - q)) for p, q in zip(a, b)))


def optimizer_gaps(steps=100, n_samples=256, cases=None):
    """Tabla de brechas entre nuestros optimizadores y los built-in.

    Forma: devuelve una lista de filas (dict) con optimizer, framework
    ("Keras"/"PyTorch"), builtin, steps, max_abs_gap (mayor |Δθ| final),
    displacement (mayor |θ_final − θ_0| del built-in) y relative_gap
    (max_abs_gap / displacement). Concepto: la misma fórmula da los
    mismos números; una fórmula distinta, una brecha medible.
    """
    from threadpoolctl import threadpool_limits

    problem = softmax_regression_problem(n_samples)
    with threadpool_limits(1, user_api="blas"):  # matrices pequeñas
        return [row for case in cases or CASES
                for row in gap_rows(case, trajectories(case, problem, steps),
                                    steps)]


def gap_rows(case, runs, steps):
    """Las dos filas (Keras y PyTorch) de la tabla para un caso."""
    name = CASES[case][0]
    rows = []
    for fw, label, builtin_name in (
            ("keras", "Keras", "keras.optimizers." + name),
            ("torch", "PyTorch",
             "torch.optim." + TORCH_NAMES.get(name, name))):
        builtin = runs[fw + "_builtin"]
        gap = max_gap(runs[fw], builtin)
        moved = max_gap(builtin, runs["initial"])
        rows.append({"optimizer": case, "framework": label,
                     "builtin": builtin_name, "steps": steps,
                     "max_abs_gap": gap, "displacement": moved,
                     "relative_gap": gap / moved})
    return rows
