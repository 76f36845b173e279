"""La retropropagación a mano frente al autograd de PyTorch y de Keras.

En float64 el gradiente de NumPy coincide con el de ambos frameworks hasta
el redondeo, y con el gradiente numérico (diferencias centrales).
"""

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

from esenciales.scratch import backprop as bp

RNG = np.random.default_rng(0)
X = RNG.normal(size=(16, 6))
Y = RNG.integers(0, 3, 16)
PARAMS = bp.init_params(6, 5, 3, seed=1)
NAMES = ("W1", "b1", "W2", "b2")


@pytest.fixture(autouse=True, scope="module")
def one_blas_thread():
    """Matrices pequeñas: un hilo de BLAS evita la contención de hilos."""
    with threadpool_limits(1, user_api="blas"):
        yield


def _torch_gradients(params, x, y):
    import torch
    import torch.nn.functional as F

    p = {k: torch.tensor(v, requires_grad=True) for k, v in params.items()}
    h = torch.relu(torch.tensor(x) @ p["W1"] + p["b1"])
    loss = F.cross_entropy(h @ p["W2"] + p["b2"], torch.tensor(y))
    loss.backward()
    return loss.item(), {k: v.grad.numpy() for k, v in p.items()}


def _keras_gradients(params, x, y):
    import keras
    import tensorflow as tf
    from keras import ops

    p = {k: keras.Variable(v, dtype="float64") for k, v in params.items()}
    with tf.GradientTape() as tape:
        h = ops.relu(ops.convert_to_tensor(x) @ p["W1"] + p["b1"])
        probs = ops.softmax(h @ p["W2"] + p["b2"])
        loss = ops.mean(keras.losses.sparse_categorical_crossentropy(
            y, probs))
    grads = tape.gradient(loss, [p[k] for k in NAMES])
    return float(loss), {k: g.numpy() for k, g in zip(NAMES, grads)}


def test_shapes_and_probabilities():
    probs, cache = bp.forward(PARAMS, X)
    assert probs.shape == (16, 3)
    np.testing.assert_allclose(probs.sum(axis=1), 1.0, rtol=1e-12)
    assert cache["z1"].shape == cache["h"].shape == (16, 5)
    grads = bp.backward(PARAMS, cache, probs, Y)
    assert {k: g.shape for k, g in grads.items()} == \
        {k: v.shape for k, v in PARAMS.items()}


@pytest.mark.parametrize("reference", [_torch_gradients, _keras_gradients],
                         ids=["torch", "keras"])
def test_gradient_matches_autograd(reference):
    loss, grads = bp.loss_and_grads(PARAMS, X, Y)
    ref_loss, ref_grads = reference(PARAMS, X, Y)
    assert loss == pytest.approx(ref_loss, rel=1e-12)
    for name in NAMES:
        np.testing.assert_allclose(grads[name], ref_grads[name], atol=1e-6,
                                   rtol=1e-10)


def test_gradient_matches_numerical_gradient():
    _, grads = bp.loss_and_grads(PARAMS, X, Y)
    numerical = bp.numerical_gradient(PARAMS, X, Y)
    for name in NAMES:
        assert bp.relative_error(grads[name], numerical[name]) < 1e-6


def test_numerical_check_detects_a_wrong_gradient():
    _, grads = bp.loss_and_grads(PARAMS, X, Y)
    numerical = bp.numerical_gradient(PARAMS, X, Y)
    wrong = grads["W1"] * 1.01
    assert bp.relative_error(wrong, numerical["W1"]) > 1e-3


def test_update_is_gradient_descent():
    _, grads = bp.loss_and_grads(PARAMS, X, Y)
    new = bp.update(PARAMS, grads, 0.5)
    for name in NAMES:
        np.testing.assert_array_equal(new[name],
                                      PARAMS[name] - 0.5 * grads[name])
    assert new is not PARAMS and new["W1"] is not PARAMS["W1"]


def test_training_on_mnist_lowers_the_loss():
    from esenciales.data import load_mnist

    (images, labels), _ = load_mnist()
    x = images[:512].reshape(512, -1) / 255.0
    y = labels[:512].astype(np.int64)
    params, losses = bp.train(bp.init_params(784, 32, 10), x, y, steps=60,
                              learning_rate=0.5)
    assert len(losses) == 60
    assert losses[0] > 2.0 and losses[-1] < 0.5 * losses[0]
    accuracy = np.mean(bp.forward(params, x)[0].argmax(axis=1) == y)
    assert accuracy > 0.8


def test_train_step_returns_loss_before_the_step():
    loss, grads = bp.loss_and_grads(PARAMS, X, Y)
    new, reported = bp.train_step(PARAMS, X, Y, learning_rate=0.1)
    assert reported == loss
    np.testing.assert_array_equal(new["b2"], PARAMS["b2"] - 0.1 * grads["b2"])


def test_bad_inputs_give_spanish_errors():
    with pytest.raises(ValueError, match="forma \\(N, 6\\)"):
        bp.forward(PARAMS, X[:, :4])
    probs, _ = bp.forward(PARAMS, X)
    with pytest.raises(ValueError, match="entre 0 y 2"):
        bp.cross_entropy(probs, np.full(16, 3))
    with pytest.raises(ValueError, match="etiquetas enteras"):
        bp.cross_entropy(probs, Y.astype(float))
