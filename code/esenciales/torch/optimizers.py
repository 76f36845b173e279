"""Los optimizadores de la clase, escritos desde sus fórmulas, en PyTorch.

Cada clase hereda de ``torch.optim.Optimizer`` y su ``update`` aplica la
fórmula tal como se lee, parámetro por parámetro. Los nombres, argumentos y
valores por defecto son los mismos que en ``esenciales.keras.optimizers``
(nombres al estilo de Keras: ``learning_rate``, ``beta_1``, ``epsilon``...).
Las pruebas los comparan con ``torch.optim`` y ``keras.optimizers``.
"""

import torch


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


class _FormulaOptimizer(torch.optim.Optimizer):
    """Base común: recorre los parámetros con gradiente y aplica la fórmula.

    Cada subclase define ``update(p, g, state, h)``, que actualiza en su
    lugar el parámetro ``p`` con su gradiente ``g``, su estado ``state``
    (un diccionario; ``state["t"]`` es el número de paso: 1, 2, 3...) y los
    hiperparámetros ``h`` de su grupo. La tasa η se guarda en ``h["lr"]``,
    como en ``torch.optim``, para que los calendarios de tasa la cambien.
    """

    def __init__(self, params, learning_rate, **hyperparameters):
        check_hyperparameters(learning_rate, hyperparameters)
        super().__init__(params, dict(lr=learning_rate, **hyperparameters))

    @torch.no_grad()
    def step(self, closure=None):
        loss = None
        if closure is not None:
            with torch.enable_grad():
                loss = closure()
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state[p]
                state["t"] = state.get("t", 0) + 1
                self.update(p, p.grad, state, group)
        return loss


class SGD(_FormulaOptimizer):
    """Descenso de gradiente estocástico, con momentum y Nesterov opcionales.

    Fórmula: v ← μ·v + g;  θ ← θ − η·v  (Nesterov: θ ← θ − η·(g + μ·v)).
    Con μ = 0 es la regla de la clase: θ ← θ − η·∇L.
    Forma: cada parámetro conserva su forma; el estado v tiene la misma.
    """

    def __init__(self, params, learning_rate=0.01, momentum=0.0,
                 nesterov=False):
        super().__init__(params, learning_rate, momentum=momentum,
                         nesterov=nesterov)

    def update(self, p, g, state, h):
        lr, mu = h["lr"], h["momentum"]
        if mu == 0:
            p.sub_(lr * g)
            return
        v = state.setdefault("v", torch.zeros_like(p))
        v.mul_(mu).add_(g)
        if h["nesterov"]:
            p.sub_(lr * (g + mu * v))
        else:
            p.sub_(lr * v)


def adam_direction(g, state, h):
    """Actualiza los momentos m y v y devuelve m̂/(√v̂ + ε).

    Forma: g (forma del parámetro) -> misma forma. Concepto: el paso de
    Adam antes de multiplicarlo por η.
    """
    b1, b2, t = h["beta_1"], h["beta_2"], state["t"]
    m = state.setdefault("m", torch.zeros_like(g))
    v = state.setdefault("v", torch.zeros_like(g))
    m.mul_(b1).add_((1 - b1) * g)
    v.mul_(b2).add_((1 - b2) * g * g)
    m_hat = m / (1 - b1**t)
    v_hat = v / (1 - b2**t)
    return m_hat / (v_hat.sqrt() + h["epsilon"])


class Adam(_FormulaOptimizer):
    """Adam, con las ecuaciones de la clase.

    m ← β₁m + (1−β₁)g;  v ← β₂v + (1−β₂)g²;  m̂ = m/(1−β₁ᵗ);
    v̂ = v/(1−β₂ᵗ);  θ ← θ − η·m̂/(√v̂ + ε).
    Forma: cada parámetro conserva su forma; m y v tienen la misma.
    """

    def __init__(self, params, learning_rate=1e-3, beta_1=0.9,
                 beta_2=0.999, epsilon=1e-7):
        super().__init__(params, learning_rate, beta_1=beta_1,
                         beta_2=beta_2, epsilon=epsilon)

    def update(self, p, g, state, h):
        p.sub_(h["lr"] * adam_direction(g, state, h))


class AdamW(_FormulaOptimizer):
    """AdamW: Adam con decaimiento de pesos desacoplado del gradiente.

    θ ← θ − η·(m̂/(√v̂ + ε) + λ·θ), con m̂ y v̂ como en Adam.
    El término λ·θ no pasa por m ni v: eso lo distingue de sumar L2 a la
    pérdida. Forma: cada parámetro conserva su forma.
    """

    def __init__(self, params, learning_rate=1e-3, weight_decay=0.004,
                 beta_1=0.9, beta_2=0.999, epsilon=1e-7):
        super().__init__(params, learning_rate, weight_decay=weight_decay,
                         beta_1=beta_1, beta_2=beta_2, epsilon=epsilon)

    def update(self, p, g, state, h):
        step = adam_direction(g, state, h) + h["weight_decay"] * p
        p.sub_(h["lr"] * step)


class RMSprop(_FormulaOptimizer):
    """RMSprop: divide el gradiente por la media móvil de su cuadrado.

    v ← ρ·v + (1−ρ)·g²;  θ ← θ − η·g/(√v + ε).
    Forma: cada parámetro conserva su forma; v tiene la misma.
    """

    def __init__(self, params, learning_rate=1e-3, rho=0.9, epsilon=1e-7):
        super().__init__(params, learning_rate, rho=rho, epsilon=epsilon)

    def update(self, p, g, state, h):
        rho = h["rho"]
        v = state.setdefault("v", torch.zeros_like(p))
        v.mul_(rho).add_((1 - rho) * g * g)
        p.sub_(h["lr"] * g / (v.sqrt() + h["epsilon"]))


class Adagrad(_FormulaOptimizer):
    """Adagrad: cada parámetro acumula la suma de sus gradientes al cuadrado.

    G ← G + g²;  θ ← θ − η·g/(√G + ε), con G inicial = G₀.
    Forma: cada parámetro conserva su forma; G tiene la misma.
    """

    def __init__(self, params, learning_rate=1e-3,
                 initial_accumulator_value=0.1, epsilon=1e-7):
        super().__init__(params, learning_rate,
                         initial_accumulator_value=initial_accumulator_value,
                         epsilon=epsilon)

    def update(self, p, g, state, h):
        g0 = h["initial_accumulator_value"]
        G = state.setdefault("G", torch.full_like(p, g0))
        G.add_(g * g)
        p.sub_(h["lr"] * g / (G.sqrt() + h["epsilon"]))


def nadam_momentum(t, beta_1, momentum_decay):
    """Coeficiente de momentum de Nadam en el paso t: β₁(1 − ½·0.96^(t·ψ)).

    Forma: escalares -> escalar. Concepto: el momentum crece con t.
    """
    return beta_1 * (1.0 - 0.5 * 0.96 ** (t * momentum_decay))


class Nadam(_FormulaOptimizer):
    """Nadam (Dozat, 2016): Adam con momentum de Nesterov.

    μₜ = β₁(1 − ½·0.96^(t·ψ)), Πₜ = μ₁···μₜ; m y v como en Adam;
    θ ← θ − η·(μₜ₊₁·m/(1 − Πₜ₊₁) + (1 − μₜ)·g/(1 − Πₜ))/(√v̂ + ε).
    ψ = 0.004 es el calendario del artículo (el de torch.optim.NAdam);
    ψ = 1 reproduce keras.optimizers.Nadam.
    Forma: cada parámetro conserva su forma.
    """

    def __init__(self, params, learning_rate=1e-3, beta_1=0.9,
                 beta_2=0.999, epsilon=1e-7, momentum_decay=0.004):
        super().__init__(params, learning_rate, beta_1=beta_1,
                         beta_2=beta_2, epsilon=epsilon,
                         momentum_decay=momentum_decay)

    def update(self, p, g, state, h):
        b1, b2, t = h["beta_1"], h["beta_2"], state["t"]
        mu_t = nadam_momentum(t, b1, h["momentum_decay"])
        mu_next = nadam_momentum(t + 1, b1, h["momentum_decay"])
        prod_t = state.get("mu_product", 1.0) * mu_t
        state["mu_product"] = prod_t
        m = state.setdefault("m", torch.zeros_like(p))
        v = state.setdefault("v", torch.zeros_like(p))
        m.mul_(b1).add_((1 - b1) * g)
        v.mul_(b2).add_((1 - b2) * g * g)
        m_bar = (mu_next * m / (1 - prod_t * mu_next)
                 + (1 - mu_t) * g / (1 - prod_t))
        v_hat = v / (1 - b2**t)
        p.sub_(h["lr"] * m_bar / (v_hat.sqrt() + h["epsilon"]))
