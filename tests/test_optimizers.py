"""Los optimizadores desde su fórmula frente a NumPy, Keras y PyTorch.

Problema real: regresión softmax sobre 256 imágenes de MNIST, en float64,
100 pasos con el lote completo (``esenciales.runs.optim_gaps``). Cada
optimizador debe coincidir (1e-6) con una referencia en NumPy de su
fórmula, con el built-in cuya fórmula es la misma y con su gemelo del otro
framework. Donde el built-in usa otra fórmula, una referencia NumPy de esa
otra fórmula reproduce al built-in y la brecha medida queda fijada en un
rango: si una versión nueva de Keras o PyTorch cambia, la prueba avisa.
"""

import functools

import numpy as np
import pytest
import torch
from threadpoolctl import threadpool_limits

from esenciales.runs import optim_gaps as og
from esenciales.keras import optimizers as keras_opt
from esenciales.torch import optimizers as torch_opt

STEPS = 100
TOL = 1e-6
NAMES = ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Nadam"]


@pytest.fixture(autouse=True, scope="module")
def one_thread():
    """Arreglos pequeños: un hilo evita la contención entre procesos."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    with threadpool_limits(1, user_api="blas"):
        yield
    torch.set_num_threads(threads)


@functools.cache
def problem():
    return og.softmax_regression_problem(256)


@functools.cache
def runs(case):
    return og.trajectories(case, problem(), STEPS)


def grad_fn(params):
    x, y, _ = problem()
    return og.softmax_regression_grads(params, x, y)


# ---------------------------------------------------------------------------
# Referencias en NumPy: cada fórmula escrita otra vez, sin framework.

def sgd(p, g, s, t, learning_rate, momentum, nesterov):
    if momentum == 0:
        p -= learning_rate * g
        return
    s["v"] = momentum * s.get("v", 0.0) + g
    p -= learning_rate * (g + momentum * s["v"] if nesterov else s["v"])


def _moments(g, s, beta_1, beta_2):
    s["m"] = beta_1 * s.get("m", 0.0) + (1 - beta_1) * g
    s["v"] = beta_2 * s.get("v", 0.0) + (1 - beta_2) * g**2
    return s["m"], s["v"]


def adam(p, g, s, t, learning_rate, beta_1, beta_2, epsilon):
    m, v = _moments(g, s, beta_1, beta_2)
    m_hat, v_hat = m / (1 - beta_1**t), v / (1 - beta_2**t)
    p -= learning_rate * m_hat / (np.sqrt(v_hat) + epsilon)


def adamw(p, g, s, t, learning_rate, weight_decay, beta_1, beta_2, epsilon):
    decay = learning_rate * weight_decay * p
    adam(p, g, s, t, learning_rate, beta_1, beta_2, epsilon)
    p -= decay


def rmsprop(p, g, s, t, learning_rate, rho, epsilon):
    s["v"] = rho * s.get("v", 0.0) + (1 - rho) * g**2
    p -= learning_rate * g / (np.sqrt(s["v"]) + epsilon)


def adagrad(p, g, s, t, learning_rate, initial_accumulator_value, epsilon):
    s["G"] = s.get("G", initial_accumulator_value) + g**2
    p -= learning_rate * g / (np.sqrt(s["G"]) + epsilon)


def nadam(p, g, s, t, learning_rate, beta_1, beta_2, epsilon,
          momentum_decay):
    def mu(k):
        return beta_1 * (1 - 0.5 * 0.96 ** (k * momentum_decay))

    s["prod"] = s.get("prod", 1.0) * mu(t)
    m, v = _moments(g, s, beta_1, beta_2)
    m_bar = (mu(t + 1) * m / (1 - s["prod"] * mu(t + 1))
             + (1 - mu(t)) * g / (1 - s["prod"]))
    p -= learning_rate * m_bar / (np.sqrt(v / (1 - beta_2**t)) + epsilon)


# Las fórmulas que siguen keras.optimizers cuando difieren de la clase.

def keras_adam(p, g, s, t, learning_rate, beta_1, beta_2, epsilon):
    """ε fuera de √v sin corregir: equivale a ε̂ = ε/√(1 − β₂ᵗ)."""
    m, v = _moments(g, s, beta_1, beta_2)
    alpha = learning_rate * np.sqrt(1 - beta_2**t) / (1 - beta_1**t)
    p -= alpha * m / (np.sqrt(v) + epsilon)


def keras_adamw(p, g, s, t, learning_rate, weight_decay, beta_1, beta_2,
                epsilon):
    p -= learning_rate * weight_decay * p
    keras_adam(p, g, s, t, learning_rate, beta_1, beta_2, epsilon)


def keras_rmsprop(p, g, s, t, learning_rate, rho, epsilon):
    """ε dentro de la raíz: √(v + ε)."""
    s["v"] = rho * s.get("v", 0.0) + (1 - rho) * g**2
    p -= learning_rate * g / np.sqrt(s["v"] + epsilon)


def keras_adagrad(p, g, s, t, learning_rate, initial_accumulator_value,
                  epsilon):
    """ε dentro de la raíz: √(G + ε)."""
    s["G"] = s.get("G", initial_accumulator_value) + g**2
    p -= learning_rate * g / np.sqrt(s["G"] + epsilon)


REFERENCES = {"SGD": sgd, "Adam": adam, "AdamW": adamw,
              "RMSprop": rmsprop, "Adagrad": adagrad, "Nadam": nadam}


def run_reference(update, name, h, grads=grad_fn, steps=STEPS):
    h = og.full_hyperparameters(name, h)
    params = [p.copy() for p in problem()[2]]
    states = [{} for _ in params]
    for t in range(1, steps + 1):
        for p, g, s in zip(params, grads(params), states):
            update(p, g, s, t, **h)
    return params


# ---------------------------------------------------------------------------
# Nuestros optimizadores frente a la fórmula, a los built-in y entre sí.

@pytest.mark.parametrize("framework", ["keras", "torch"])
@pytest.mark.parametrize("case", og.CASES)
def test_optimizer_follows_its_formula(case, framework):
    name, h = og.CASES[case]
    expected = run_reference(REFERENCES[name], name, h)
    assert og.max_gap(runs(case)[framework], expected) < TOL
    assert og.max_gap(expected, problem()[2]) > 0.01  # sí se movió


# (caso, framework) donde el built-in usa la misma fórmula que la clase.
SAME_FORMULA = [(case, "torch") for case in og.CASES] + [
    ("SGD", "keras"), ("SGD con momentum", "keras"),
    ("SGD con Nesterov", "keras"), ("Nadam (momentum_decay=1)", "keras")]


@pytest.mark.parametrize("case,framework", SAME_FORMULA)
def test_optimizer_matches_builtin_with_same_formula(case, framework):
    r = runs(case)
    assert og.max_gap(r[framework], r[framework + "_builtin"]) < TOL


# Brecha relativa medida (max |Δθ| / max |θ_final − θ_0|) con Keras 3.15:
# Adam y AdamW 0.077, RMSprop 0.915, Adagrad 6.9e-8, Nadam 0.130.
PINNED_KERAS_GAPS = {
    "Adam": (0.06, 0.095),
    "AdamW": (0.06, 0.095),
    "RMSprop": (0.85, 0.98),
    "Adagrad": (4e-8, 1e-7),
    "Nadam": (0.10, 0.16),
}


@pytest.mark.parametrize("case", PINNED_KERAS_GAPS)
def test_gap_to_keras_builtin_is_pinned(case):
    row = og.gap_rows(case, runs(case), STEPS)[0]
    assert row["builtin"] == "keras.optimizers." + case
    low, high = PINNED_KERAS_GAPS[case]
    assert low < row["relative_gap"] < high


KERAS_FORMULAS = {"Adam": keras_adam, "AdamW": keras_adamw,
                  "RMSprop": keras_rmsprop, "Adagrad": keras_adagrad}


@pytest.mark.parametrize("case", KERAS_FORMULAS)
def test_keras_builtin_follows_the_other_formula(case):
    """La brecha se debe solo al lugar de ε: la otra fórmula la explica."""
    name, h = og.CASES[case]
    expected = run_reference(KERAS_FORMULAS[case], name, h)
    assert og.max_gap(runs(case)["keras_builtin"], expected) < TOL


def test_keras_adam_is_the_lecture_formula_with_a_larger_epsilon():
    m, v, t, b1, b2, lr, eps = 0.3, 2e-12, 3, 0.9, 0.999, 1e-3, 1e-7
    keras_step = lr * np.sqrt(1 - b2**t) / (1 - b1**t) * m / (
        np.sqrt(v) + eps)
    eps_hat = og.keras_adam_effective_epsilon(t, eps, b2)
    lecture_step = lr * (m / (1 - b1**t)) / (
        np.sqrt(v / (1 - b2**t)) + eps_hat)
    assert keras_step == pytest.approx(lecture_step, rel=1e-12)
    assert og.keras_adam_effective_epsilon(1) == pytest.approx(
        1e-7 / np.sqrt(0.001))
    assert og.keras_adam_effective_epsilon(10**6) == pytest.approx(1e-7)


def test_keras_nadam_is_our_nadam_with_momentum_decay_one():
    default = runs("Nadam")["keras_builtin"]
    psi_one = run_reference(nadam, "Nadam", {"momentum_decay": 1.0})
    assert og.max_gap(default, psi_one) < TOL


@pytest.mark.parametrize("case", og.CASES)
def test_keras_and_torch_versions_agree(case):
    assert og.max_gap(runs(case)["keras"], runs(case)["torch"]) < TOL


@functools.cache
def recorded_gradients():
    """Gradientes reales grabados a lo largo de un descenso de gradiente."""
    x, y, params = problem()
    sequence = []
    for _ in range(STEPS):
        grads = og.softmax_regression_grads(params, x, y)
        sequence.append(grads)
        params = [p - 0.5 * g for p, g in zip(params, grads)]
    return sequence


def replay():
    """grad_fn que ignora los parámetros y entrega la secuencia grabada."""
    sequence = iter(recorded_gradients())
    return lambda params: next(sequence)


HYPER = {"SGD": {"learning_rate": 0.05, "momentum": 0.8, "nesterov": True},
         "Adam": {"learning_rate": 0.01, "beta_1": 0.8, "epsilon": 1e-6},
         "AdamW": {"learning_rate": 0.01, "weight_decay": 0.05},
         "RMSprop": {"learning_rate": 0.01, "rho": 0.5},
         "Adagrad": {"learning_rate": 0.05,
                     "initial_accumulator_value": 0.01},
         "Nadam": {"learning_rate": 0.01, "momentum_decay": 0.1}}


@pytest.mark.parametrize("name", NAMES)
def test_same_gradients_give_same_parameters_in_both_frameworks(name):
    h = HYPER[name]
    params0 = problem()[2]
    ours_keras = og.run_keras(getattr(keras_opt, name)(**h), params0,
                              replay(), STEPS)
    torch_cls = getattr(torch_opt, name)
    ours_torch = og.run_torch(lambda p: torch_cls(p, **h), params0,
                              replay(), STEPS)
    expected = run_reference(REFERENCES[name], name, h, replay())
    assert og.max_gap(ours_keras, ours_torch) < TOL
    assert og.max_gap(ours_torch, expected) < TOL


# ---------------------------------------------------------------------------
# Uso real: dentro de model.fit, con nn.Module y con estado guardado.

@pytest.mark.parametrize("name", NAMES)
def test_keras_optimizer_trains_inside_fit(name):
    import keras

    x, y, _ = problem()
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((784,)),
                              keras.layers.Dense(10, activation="softmax")])
    optimizer = getattr(keras_opt, name)(learning_rate=0.01)
    model.compile(optimizer=optimizer,
                  loss="sparse_categorical_crossentropy")
    before = model.evaluate(x, y, verbose=0)
    model.fit(x, y, epochs=2, batch_size=64, verbose=0)
    assert int(optimizer.iterations.numpy()) == 8
    assert model.evaluate(x, y, verbose=0) < before
    clone = type(optimizer).from_config(optimizer.get_config())
    assert clone.h == optimizer.h


@pytest.mark.filterwarnings("ignore:__array__ implementation:"
                            "DeprecationWarning")  # interno de Keras
def test_keras_model_with_our_optimizer_saves_and_loads(tmp_path):
    import keras

    x, y, _ = problem()
    model = keras.Sequential([keras.Input((784,)),
                              keras.layers.Dense(10, activation="softmax")])
    model.compile(optimizer=keras_opt.Nadam(0.01, momentum_decay=0.5),
                  loss="sparse_categorical_crossentropy")
    model.fit(x, y, epochs=1, batch_size=128, verbose=0)
    model.save(tmp_path / "modelo.keras")
    loaded = keras.models.load_model(tmp_path / "modelo.keras")
    assert isinstance(loaded.optimizer, keras_opt.Nadam)
    assert loaded.optimizer.h["momentum_decay"] == 0.5
    for a, b in zip(loaded.optimizer.variables, model.optimizer.variables):
        np.testing.assert_array_equal(a.numpy(), b.numpy())


def test_keras_sgd_momentum_in_fit_matches_builtin():
    import keras

    x, y, _ = problem()
    weights = []
    for optimizer in (keras_opt.SGD(0.05, momentum=0.9),
                      keras.optimizers.SGD(0.05, momentum=0.9)):
        keras.utils.set_random_seed(0)
        model = keras.Sequential([keras.Input((784,)),
                                  keras.layers.Dense(10)])
        model.compile(optimizer=optimizer, loss="mse")
        model.fit(x, np.eye(10)[y], epochs=2, batch_size=64, shuffle=False,
                  verbose=0)
        weights.append(model.get_weights())
    assert og.max_gap(*weights) < 1e-6


def test_torch_optimizer_with_groups_scheduler_and_state_dict():
    torch.manual_seed(0)
    x = torch.randn(64, 5, dtype=torch.float64)
    y = torch.randn(64, 1, dtype=torch.float64)

    def train(model, optimizer, scheduler, steps):
        for _ in range(steps):
            optimizer.zero_grad()
            torch.nn.functional.mse_loss(model(x), y).backward()
            optimizer.step()
            scheduler.step()

    def groups(model):
        return [{"params": [model.weight]},
                {"params": [model.bias], "lr": 0.1}]

    def halve_every_10(optimizer):
        return torch.optim.lr_scheduler.StepLR(optimizer, 10, gamma=0.5)

    ours = torch.nn.Linear(5, 1).double()
    builtin = torch.nn.Linear(5, 1).double()
    builtin.load_state_dict(ours.state_dict())
    opt = torch_opt.Adam(groups(ours), learning_rate=0.01)
    ref = torch.optim.Adam(groups(builtin), lr=0.01, eps=1e-7)
    ref_scheduler = halve_every_10(ref)
    train(ours, opt, halve_every_10(opt), 30)
    train(builtin, ref, ref_scheduler, 30)
    assert opt.param_groups[1]["lr"] == pytest.approx(0.1 / 8)
    resumed = torch_opt.Adam(groups(ours), learning_rate=0.01)
    resumed.load_state_dict(opt.state_dict())
    train(ours, resumed, halve_every_10(resumed), 10)
    train(builtin, ref, ref_scheduler, 10)
    for a, b in zip(ours.parameters(), builtin.parameters()):
        assert torch.allclose(a, b, atol=1e-12)


# ---------------------------------------------------------------------------
# Errores y la tabla para el libro.

@pytest.mark.parametrize("module", [keras_opt, torch_opt],
                         ids=["keras", "torch"])
def test_bad_hyperparameters_give_spanish_errors(module):
    def build(cls, **h):
        if module is torch_opt:
            return cls([torch.zeros(2, requires_grad=True)], **h)
        return cls(**h)

    with pytest.raises(ValueError, match="debe ser positiva"):
        build(module.Adam, learning_rate=-0.1)
    with pytest.raises(ValueError, match="beta_1 debe estar en"):
        build(module.Nadam, beta_1=1.0)
    with pytest.raises(ValueError, match="momentum debe estar en"):
        build(module.SGD, momentum=1.5)
    with pytest.raises(ValueError, match="epsilon no puede"):
        build(module.RMSprop, epsilon=-1.0)


def test_optimizer_gaps_table():
    rows = og.optimizer_gaps(steps=5, n_samples=64, cases=["Adam"])
    assert [r["builtin"] for r in rows] == ["keras.optimizers.Adam",
                                            "torch.optim.Adam"]
    keras_row, torch_row = rows
    assert keras_row["relative_gap"] > 1e-3
    assert torch_row["relative_gap"] < 1e-12
    assert all(r["steps"] == 5 and r["displacement"] > 0 for r in rows)


def test_signatures_match_between_frameworks():
    import inspect

    for name in NAMES:
        keras_sig = inspect.signature(getattr(keras_opt, name)).parameters
        torch_sig = inspect.signature(getattr(torch_opt, name)).parameters
        keras_args = {k: p.default for k, p in keras_sig.items()
                      if k != "kwargs"}
        torch_args = {k: p.default for k, p in torch_sig.items()
                      if k != "params"}
        assert keras_args == torch_args, name
