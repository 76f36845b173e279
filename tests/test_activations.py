"""Las activaciones de NumPy frente a Keras y PyTorch, y sus derivadas."""

import numpy as np
import pytest

from esenciales.scratch import activations as act

NAMES = list(act.ACTIVATIONS)
# Puntos de prueba que evitan los quiebres exactos de ReLU/ReLU6 (0 y 6).
Z = np.concatenate([np.linspace(-8, 8, 161) + 0.013, [-30.0, 30.0]])


def _keras_reference(name, z):
    import keras
    x = keras.ops.convert_to_tensor(z.astype("float32"))
    functions = {
        "sigmoid": keras.activations.sigmoid,
        "tanh": keras.activations.tanh,
        "relu": keras.activations.relu,
        "relu6": keras.activations.relu6,
        "leaky_relu": lambda t: keras.activations.leaky_relu(
            t, negative_slope=0.01
        ),
        "gelu": lambda t: keras.activations.gelu(t, approximate=False),
    }
    return keras.ops.convert_to_numpy(functions[name](x))


def _torch_functional(name):
    import torch.nn.functional as F

    functions = {
        "sigmoid": lambda t: t.sigmoid(),
        "tanh": lambda t: t.tanh(),
        "relu": F.relu,
        "relu6": F.relu6,
        "leaky_relu": lambda t: F.leaky_relu(t, negative_slope=0.01),
        "gelu": F.gelu,
    }
    return functions[name]


@pytest.mark.parametrize("name", NAMES)
def test_activation_matches_keras(name):
    f, _ = act.get(name)
    np.testing.assert_allclose(
        f(Z), _keras_reference(name, Z), rtol=1e-5, atol=1e-6
    )


@pytest.mark.parametrize("name", NAMES)
def test_activation_and_gradient_match_torch(name):
    import torch

    f, df = act.get(name)
    t = torch.tensor(Z, dtype=torch.float64, requires_grad=True)
    y = _torch_functional(name)(t)
    y.sum().backward()
    np.testing.assert_allclose(f(Z), y.detach().numpy(), rtol=1e-10, atol=0)
    np.testing.assert_allclose(df(Z), t.grad.numpy(), rtol=1e-9, atol=1e-12)


@pytest.mark.parametrize("name", NAMES)
def test_gradient_matches_finite_differences(name):
    f, df = act.get(name)
    h = 1e-6
    numeric = (f(Z + h) - f(Z - h)) / (2 * h)
    np.testing.assert_allclose(df(Z), numeric, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("name", NAMES)
def test_shape_is_preserved(name):
    f, df = act.get(name)
    z = np.arange(24.0).reshape(2, 3, 4) - 12
    assert f(z).shape == z.shape
    assert df(z).shape == z.shape


def test_known_values():
    assert act.sigmoid(0.0) == pytest.approx(0.5)
    assert act.sigmoid_grad(0.0) == pytest.approx(0.25)
    assert act.tanh_grad(0.0) == pytest.approx(1.0)
    assert act.relu6(10.0) == 6.0
    assert act.leaky_relu(-2.0, alpha=0.1) == pytest.approx(-0.2)
    assert act.gelu(0.0) == 0.0


def test_saturating_activations_lose_gradient():
    # La idea de la diapositiva: sigmoide y tanh saturan, ReLU no.
    assert act.sigmoid_grad(10.0) < 1e-4
    assert act.tanh_grad(10.0) < 1e-8
    assert act.relu_grad(10.0) == 1.0


def test_unknown_activation_has_spanish_error():
    with pytest.raises(ValueError, match="Activación desconocida"):
        act.get("swish")
