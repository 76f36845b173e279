"""Funciones de activación y sus derivadas, escritas con NumPy.

Cada activación recibe un arreglo ``z`` de cualquier forma y devuelve otro
de la misma forma, elemento a elemento. Son las funciones de la diapositiva
«Funciones de activación» de la clase: sigmoide, tanh, ReLU, ReLU6,
Leaky-ReLU y GELU. El capítulo 3 las grafica junto a sus derivadas y las
pruebas las comparan con ``keras.activations`` y ``torch.nn.functional``.
"""

import math

import numpy as np

_SQRT_2 = math.sqrt(2.0)
_SQRT_2PI = math.sqrt(2.0 * math.pi)
_erf = np.vectorize(math.erf, otypes=[float])


def sigmoid(z):
    """Sigmoide σ(z) = 1 / (1 + e^(-z)), con valores en (0, 1).

    Forma: (...) -> (...). Concepto: la activación clásica, que satura.
    """
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))  # nunca desborda: el exponente es <= 0
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_grad(z):
    """Derivada σ'(z) = σ(z)(1 - σ(z)); su máximo es 1/4, en z = 0.

    Forma: (...) -> (...). Concepto: el gradiente que se desvanece.
    """
    s = sigmoid(z)
    return s * (1.0 - s)


def tanh(z):
    """Tangente hiperbólica, con valores en (-1, 1) y centrada en cero.

    Forma: (...) -> (...). Concepto: activación saturante y simétrica.
    """
    return np.tanh(np.asarray(z, dtype=float))


def tanh_grad(z):
    """Derivada tanh'(z) = 1 - tanh(z)²; su máximo es 1, en z = 0.

    Forma: (...) -> (...). Concepto: satura igual que la sigmoide.
    """
    return 1.0 - tanh(z) ** 2


def relu(z):
    """ReLU(z) = max(0, z): deja pasar lo positivo y anula lo negativo.

    Forma: (...) -> (...). Concepto: la activación por defecto en DL.
    """
    return np.maximum(0.0, np.asarray(z, dtype=float))


def relu_grad(z):
    """Derivada de ReLU: 1 si z > 0 y 0 si no (en z = 0 se toma 0).

    Forma: (...) -> (...). Concepto: gradiente que no satura si z > 0.
    """
    return (np.asarray(z, dtype=float) > 0).astype(float)


def relu6(z):
    """ReLU6(z) = min(max(0, z), 6): ReLU acotada arriba por 6.

    Forma: (...) -> (...). Concepto: activación de redes móviles.
    """
    return np.clip(np.asarray(z, dtype=float), 0.0, 6.0)


def relu6_grad(z):
    """Derivada de ReLU6: 1 si 0 < z < 6 y 0 fuera de ese intervalo.

    Forma: (...) -> (...). Concepto: ReLU acotada.
    """
    z = np.asarray(z, dtype=float)
    return ((z > 0) & (z < 6)).astype(float)


def leaky_relu(z, alpha=0.01):
    """Leaky-ReLU: z si z > 0 y alpha·z si no (una pendiente pequeña).

    Forma: (...) -> (...). Concepto: evita neuronas «muertas».
    """
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, alpha * z)


def leaky_relu_grad(z, alpha=0.01):
    """Derivada de Leaky-ReLU: 1 si z > 0 y alpha si no.

    Forma: (...) -> (...). Concepto: el gradiente nunca es cero.
    """
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, 1.0, alpha)


def gelu(z):
    """GELU(z) = z·Φ(z), con Φ la distribución normal estándar acumulada.

    Forma: (...) -> (...). Concepto: la activación de los Transformers.
    """
    z = np.asarray(z, dtype=float)
    return z * _normal_cdf(z)


def gelu_grad(z):
    """Derivada GELU'(z) = Φ(z) + z·φ(z), con φ la densidad normal.

    Forma: (...) -> (...). Concepto: suave y no monótona cerca de cero.
    """
    z = np.asarray(z, dtype=float)
    density = np.exp(-0.5 * z**2) / _SQRT_2PI
    return _normal_cdf(z) + z * density


def _normal_cdf(z):
    """Φ(z) = (1 + erf(z/√2)) / 2, la normal estándar acumulada."""
    return 0.5 * (1.0 + _erf(z / _SQRT_2))


ACTIVATIONS = {
    "sigmoid": (sigmoid, sigmoid_grad),
    "tanh": (tanh, tanh_grad),
    "relu": (relu, relu_grad),
    "relu6": (relu6, relu6_grad),
    "leaky_relu": (leaky_relu, leaky_relu_grad),
    "gelu": (gelu, gelu_grad),
}
"""Cada nombre con su par (función, derivada), en el orden de la clase."""


def get(name):
    """Devuelve el par (función, derivada) de la activación ``name``.

    Lanza ``ValueError`` con un mensaje en español si el nombre no existe.
    """
    if name not in ACTIVATIONS:
        known = ", ".join(ACTIVATIONS)
        raise ValueError(
            f"Activación desconocida: {name!r}. Las disponibles son: {known}."
        )
    return ACTIVATIONS[name]
