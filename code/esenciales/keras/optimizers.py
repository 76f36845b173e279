"""Los optimizadores de la clase, escritos desde sus fórmulas, en Keras 3.

Cada clase hereda de ``keras.optimizers.Optimizer``: ``build`` crea el
estado (m, v...) con la forma de cada variable y ``update_step`` aplica la
fórmula tal como se lee, con ``keras.ops``. Los nombres, argumentos y
valores por defecto son los mismos que en ``esenciales.torch.optimizers``.
Las pruebas los comparan con ``keras.optimizers`` y ``torch.optim``.
"""

import keras
from keras import ops


def check_hyperparameters(learning_rate, h):
    """Error en español si η ≤ 0, si β, ρ o μ salen de [0, 1) o si ε < 0."""
    if isinstance(learning_rate, (int, float)) and learning_rate <= 0:
        raise ValueError(f"learning_rate debe ser positiva; se recibió "
                         f"{learning_rate}.")
    for name in ("beta_1", "beta_2", "rho", "momentum"):
        if name in h and not 0 <= h[name] < 1:
            raise ValueError(f"{name} debe estar en [0, 1); se recibió "
                             f"{h[name]}.")
    if h.get("epsilon", 0) < 0:
        raise ValueError("epsilon no puede ser negativo.")


class _FormulaOptimizer(keras.optimizers.Optimizer):
    """Base común: guarda los hiperparámetros en ``self.h``.

    ``kwargs`` son las opciones del optimizador base de Keras (``name``,
    ``clipnorm``...). ``get_config`` devuelve también los hiperparámetros,
    para que un modelo compilado con estas clases se pueda guardar.
    """

    def __init__(self, learning_rate, hyperparameters, **kwargs):
        check_hyperparameters(learning_rate, hyperparameters)
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.h = dict(hyperparameters)

    def apply(self, grads, trainable_variables=None):
        """Aplica las fórmulas con gradientes densos.

        El gradiente de un ``Embedding`` llega disperso (solo las filas
        de las palabras del lote); sumado a una matriz de ceros, las
        fórmulas lo leen completo, con ceros en las demás filas.
        """
        if trainable_variables is not None:
            grads = [g if g is None
                     else ops.add(ops.zeros(w.shape, w.dtype), g)
                     for g, w in zip(grads, trainable_variables)]
        return super().apply(grads, trainable_variables)

    def step_number(self, variable):
        """Número de paso t (1, 2, 3...) con el tipo de ``variable``."""
        return ops.cast(self.iterations + 1, variable.dtype)

    def slots(self, variables, name, initializer="zeros"):
        """Un estado con la forma de cada variable (m, v, G...)."""
        return [self.add_variable_from_reference(w, name, initializer)
                for w in variables]

    def get_config(self):
        return {**super().get_config(), **self.h}


@keras.saving.register_keras_serializable("esenciales")
class SGD(_FormulaOptimizer):
    """Descenso de gradiente estocástico, con momentum y Nesterov opcionales.

    Fórmula: v ← μ·v + g;  θ ← θ − η·v  (Nesterov: θ ← θ − η·(g + μ·v)).
    Con μ = 0 es la regla de la clase: θ ← θ − η·∇L.
    Forma: cada variable conserva su forma; el estado v tiene la misma.
    """

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False,
                 **kwargs):
        super().__init__(learning_rate, dict(momentum=momentum,
                                              nesterov=nesterov), **kwargs)

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        if self.h["momentum"] != 0:
            self.v = self.slots(variables, "v")

    def update_step(self, gradient, variable, learning_rate):
        lr = ops.cast(learning_rate, variable.dtype)
        g = ops.cast(gradient, variable.dtype)
        mu = self.h["momentum"]
        if mu == 0:
            self.assign_sub(variable, lr * g)
            return
        v = self.v[self._get_variable_index(variable)]
        self.assign(v, mu * v + g)
        if self.h["nesterov"]:
            self.assign_sub(variable, lr * (g + mu * v))
        else:
            self.assign_sub(variable, lr * v)


@keras.saving.register_keras_serializable("esenciales")
class Adam(_FormulaOptimizer):
    """Adam, con las ecuaciones de la clase.

    m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  m̂ = m/(1−β₁ᵗ);
    v̂ = v/(1−β₂ᵗ);  θ ← θ − η·m̂/(√v̂ + ε).
    Forma: cada variable conserva su forma; m y v tienen la misma.
    """

    def __init__(self, learning_rate=1e-3, beta_1=0.9, beta_2=0.999,
                 epsilon=1e-7, **kwargs):
        super().__init__(learning_rate, dict(beta_1=beta_1, beta_2=beta_2,
                                              epsilon=epsilon), **kwargs)

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self.m = self.slots(variables, "m")
        self.v = self.slots(variables, "v")

    def adam_direction(self, g, variable):
        """Actualiza los momentos m y v y devuelve m̂/(√v̂ + ε)."""
        b1, b2 = self.h["beta_1"], self.h["beta_2"]
        t = self.step_number(variable)
        i = self._get_variable_index(variable)
        m, v = self.m[i], self.v[i]
        self.assign(m, b1 * m + (1 - b1) * g)
        self.assign(v, b2 * v + (1 - b2) * g * g)
        m_hat = m / (1 - ops.power(b1, t))
        v_hat = v / (1 - ops.power(b2, t))
        return m_hat / (ops.sqrt(v_hat) + self.h["epsilon"])

    def update_step(self, gradient, variable, learning_rate):
        lr = ops.cast(learning_rate, variable.dtype)
        g = ops.cast(gradient, variable.dtype)
        self.assign_sub(variable, lr * self.adam_direction(g, variable))


@keras.saving.register_keras_serializable("esenciales")
class AdamW(Adam):
    """AdamW: Adam con decaimiento de pesos desacoplado del gradiente.

    θ ← θ − η·(m̂/(√v̂ + ε) + λ·θ), con m̂ y v̂ como en Adam.
    El término λ·θ no pasa por m ni v: eso lo distingue de sumar L2 a la
    pérdida. Forma: cada variable conserva su forma.
    """

    def __init__(self, learning_rate=1e-3, weight_decay=0.004, beta_1=0.9,
                 beta_2=0.999, epsilon=1e-7, **kwargs):
        super().__init__(learning_rate, beta_1, beta_2, epsilon, **kwargs)
        self.h["weight_decay"] = weight_decay

    def update_step(self, gradient, variable, learning_rate):
        lr = ops.cast(learning_rate, variable.dtype)
        g = ops.cast(gradient, variable.dtype)
        step = (self.adam_direction(g, variable)
                + self.h["weight_decay"] * variable)
        self.assign_sub(variable, lr * step)


@keras.saving.register_keras_serializable("esenciales")
class RMSprop(_FormulaOptimizer):
    """RMSprop: divide el gradiente por la media móvil de su cuadrado.

    v ← ρ·v + (1−ρ)·g²;  θ ← θ − η·g/(√v + ε).
    Forma: cada variable conserva su forma; v tiene la misma.
    """

    def __init__(self, learning_rate=1e-3, rho=0.9, epsilon=1e-7,
                 **kwargs):
        super().__init__(learning_rate, dict(rho=rho, epsilon=epsilon),
                         **kwargs)

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self.v = self.slots(variables, "v")

    def update_step(self, gradient, variable, learning_rate):
        lr = ops.cast(learning_rate, variable.dtype)
        g = ops.cast(gradient, variable.dtype)
        rho = self.h["rho"]
        v = self.v[self._get_variable_index(variable)]
        self.assign(v, rho * v + (1 - rho) * g * g)
        self.assign_sub(variable, lr * g / (ops.sqrt(v) + self.h["epsilon"]))


@keras.saving.register_keras_serializable("esenciales")
class Adagrad(_FormulaOptimizer):
    """Adagrad: cada parámetro acumula la suma de sus gradientes al cuadrado.

    G ← G + g²;  θ ← θ − η·g/(√G + ε), con G inicial = G₀.
    Forma: cada variable conserva su forma; G tiene la misma.
    """

    def __init__(self, learning_rate=1e-3, initial_accumulator_value=0.1,
                 epsilon=1e-7, **kwargs):
        h = dict(initial_accumulator_value=initial_accumulator_value,
                 epsilon=epsilon)
        super().__init__(learning_rate, h, **kwargs)

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        g0 = keras.initializers.Constant(self.h["initial_accumulator_value"])
        self.G = self.slots(variables, "G", g0)

    def update_step(self, gradient, variable, learning_rate):
        lr = ops.cast(learning_rate, variable.dtype)
        g = ops.cast(gradient, variable.dtype)
        G = self.G[self._get_variable_index(variable)]
        self.assign_add(G, g * g)
        self.assign_sub(variable, lr * g / (ops.sqrt(G) + self.h["epsilon"]))


def nadam_momentum(t, beta_1, momentum_decay):
    """Coeficiente de momentum de Nadam en el paso t: β₁(1 − ½·0.96^(t·ψ)).

    Forma: t escalar (tensor) -> escalar. Concepto: el momentum crece con t.
    """
    return beta_1 * (1.0 - 0.5 * ops.power(0.96, t * momentum_decay))


@keras.saving.register_keras_serializable("esenciales")
class Nadam(_FormulaOptimizer):
    """Nadam (Dozat, 2016): Adam con momentum de Nesterov.

    μₜ = β₁(1 − ½·0.96^(t·ψ)), Πₜ = μ₁···μₜ; m y v como en Adam;
    θ ← θ − η·(μₜ₊₁·m/(1 − Πₜ₊₁) + (1 − μₜ)·g/(1 − Πₜ))/(√v̂ + ε).
    ψ = 0.004 es el calendario del artículo (el de torch.optim.NAdam);
    ψ = 1 reproduce keras.optimizers.Nadam.
    Forma: cada variable conserva su forma.
    """

    def __init__(self, learning_rate=1e-3, beta_1=0.9, beta_2=0.999,
                 epsilon=1e-7, momentum_decay=0.004, **kwargs):
        h = dict(beta_1=beta_1, beta_2=beta_2, epsilon=epsilon,
                 momentum_decay=momentum_decay)
        super().__init__(learning_rate, h, **kwargs)

    def build(self, variables):
        if self.built:
            return
        super().build(variables)
        self.m = self.slots(variables, "m")
        self.v = self.slots(variables, "v")
        self.mu_product = [
            self.add_variable((), "ones", w.dtype, name="mu_product")
            for w in variables
        ]

    def update_step(self, gradient, variable, learning_rate):
        lr = ops.cast(learning_rate, variable.dtype)
        g = ops.cast(gradient, variable.dtype)
        b1, b2 = self.h["beta_1"], self.h["beta_2"]
        t = self.step_number(variable)
        mu_t = nadam_momentum(t, b1, self.h["momentum_decay"])
        mu_next = nadam_momentum(t + 1, b1, self.h["momentum_decay"])
        i = self._get_variable_index(variable)
        m, v, prod = self.m[i], self.v[i], self.mu_product[i]
        self.assign(prod, prod * mu_t)
        self.assign(m, b1 * m + (1 - b1) * g)
        self.assign(v, b2 * v + (1 - b2) * g * g)
        m_bar = (mu_next * m / (1 - prod * mu_next)
                 + (1 - mu_t) * g / (1 - prod))
        v_hat = v / (1 - ops.power(b2, t))
        self.assign_sub(variable,
                        lr * m_bar / (ops.sqrt(v_hat) + self.h["epsilon"]))
