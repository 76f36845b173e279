"""Las pérdidas desde su fórmula frente a keras.losses y torch.nn.functional.

Se comparan en float64 con los built-in, entre sí (Keras frente a
PyTorch), con logits extremos (estabilidad) y con probabilidades 0 y 1
(recorte como en Keras).
"""

import keras
import numpy as np
import pytest
import torch
import torch.nn.functional as F

from esenciales.keras import losses as kl
from esenciales.torch import losses as tl

N, C = 32, 10
RNG = np.random.default_rng(0)
LOGITS = RNG.normal(0.0, 3.0, (N, C))
PROBS = np.exp(LOGITS) / np.exp(LOGITS).sum(axis=1, keepdims=True)
LABELS = RNG.integers(0, C, N)
ONE_HOT = np.eye(C)[LABELS]
BIN_LOGITS = RNG.normal(0.0, 3.0, (N, 5))
BIN_PROBS = 1.0 / (1.0 + np.exp(-BIN_LOGITS))
BIN_TARGETS = RNG.integers(0, 2, (N, 5)).astype(float)
PIXELS = RNG.random((N, 784))
PIXELS_HAT = RNG.uniform(0.01, 0.99, (N, 784))
MU = RNG.normal(0.0, 1.0, (N, 2))
LOG_VAR = RNG.normal(0.0, 0.5, (N, 2))


def knp(value):
    return float(keras.ops.convert_to_numpy(value))


def t(array):
    return torch.tensor(array, dtype=torch.float64)


# Cada caso: (nombre, argumentos, built-in de Keras, built-in de PyTorch).
CASES = {
    "categorical_probs": (
        "categorical_crossentropy", (ONE_HOT, PROBS), {},
        lambda: keras.losses.CategoricalCrossentropy()(ONE_HOT, PROBS),
        lambda: F.nll_loss(torch.log(t(PROBS)), torch.tensor(LABELS))),
    "categorical_logits": (
        "categorical_crossentropy", (ONE_HOT, LOGITS), {"from_logits": True},
        lambda: keras.losses.CategoricalCrossentropy(from_logits=True)(
            ONE_HOT, LOGITS),
        lambda: F.cross_entropy(t(LOGITS), t(ONE_HOT))),
    "sparse_probs": (
        "sparse_categorical_crossentropy", (LABELS, PROBS), {},
        lambda: keras.losses.SparseCategoricalCrossentropy()(LABELS, PROBS),
        lambda: F.nll_loss(torch.log(t(PROBS)), torch.tensor(LABELS))),
    "sparse_logits": (
        "sparse_categorical_crossentropy", (LABELS, LOGITS),
        {"from_logits": True},
        lambda: keras.losses.SparseCategoricalCrossentropy(
            from_logits=True)(LABELS, LOGITS),
        lambda: F.cross_entropy(t(LOGITS), torch.tensor(LABELS))),
    "binary_probs": (
        "binary_crossentropy", (BIN_TARGETS, BIN_PROBS), {},
        lambda: keras.losses.BinaryCrossentropy()(BIN_TARGETS, BIN_PROBS),
        lambda: F.binary_cross_entropy(t(BIN_PROBS), t(BIN_TARGETS))),
    "binary_logits": (
        "binary_crossentropy", (BIN_TARGETS, BIN_LOGITS),
        {"from_logits": True},
        lambda: keras.losses.BinaryCrossentropy(from_logits=True)(
            BIN_TARGETS, BIN_LOGITS),
        lambda: F.binary_cross_entropy_with_logits(
            t(BIN_LOGITS), t(BIN_TARGETS))),
    "mse": (
        "mean_squared_error", (BIN_TARGETS, BIN_PROBS), {},
        lambda: keras.losses.MeanSquaredError()(BIN_TARGETS, BIN_PROBS),
        lambda: F.mse_loss(t(BIN_PROBS), t(BIN_TARGETS))),
}


@pytest.mark.parametrize("case", CASES)
def test_keras_loss_matches_keras_builtin(case):
    name, args, kwargs, keras_builtin, _ = CASES[case]
    ours = knp(getattr(kl, name)(*args, **kwargs))
    assert ours == pytest.approx(knp(keras_builtin()), rel=1e-6)


@pytest.mark.parametrize("case", CASES)
def test_torch_loss_matches_torch_builtin(case):
    name, args, kwargs, _, torch_builtin = CASES[case]
    ours = getattr(tl, name)(*[t(a) for a in args], **kwargs)
    assert ours.dtype == torch.float64
    assert float(ours) == pytest.approx(float(torch_builtin()), rel=1e-12)


@pytest.mark.parametrize("case", CASES)
def test_keras_and_torch_losses_agree(case):
    name, args, kwargs, _, _ = CASES[case]
    keras_value = knp(getattr(kl, name)(*args, **kwargs))
    torch_value = float(getattr(tl, name)(*[t(a) for a in args], **kwargs))
    assert keras_value == pytest.approx(torch_value, rel=1e-12)


def _reference_elbo():
    """La ELBO con los built-in: BCE sumada por píxel y KL de torch."""
    normal = torch.distributions.Normal
    q = normal(t(MU), torch.exp(0.5 * t(LOG_VAR)))
    kl_div = torch.distributions.kl_divergence(q, normal(0.0, 1.0))
    recon = F.binary_cross_entropy(t(PIXELS_HAT), t(PIXELS),
                                   reduction="none").sum(dim=1)
    return recon, kl_div.sum(dim=1)


def test_elbo_terms_match_builtins_in_both_frameworks():
    recon, kl_div = _reference_elbo()
    expected = float((recon + kl_div).mean())
    keras_recon = 784 * keras.ops.convert_to_numpy(
        keras.losses.binary_crossentropy(PIXELS, PIXELS_HAT))
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(kl.reconstruction_loss(PIXELS,
                                                          PIXELS_HAT)),
        keras_recon, rtol=1e-10)
    np.testing.assert_allclose(
        tl.reconstruction_loss(t(PIXELS), t(PIXELS_HAT)).numpy(),
        recon.numpy(), rtol=1e-12)
    np.testing.assert_allclose(
        tl.kl_divergence(t(MU), t(LOG_VAR)).numpy(), kl_div.numpy(),
        rtol=1e-12)
    np.testing.assert_allclose(
        keras.ops.convert_to_numpy(kl.kl_divergence(MU, LOG_VAR)),
        kl_div.numpy(), rtol=1e-12)
    assert knp(kl.elbo(PIXELS, PIXELS_HAT, MU, LOG_VAR)) == pytest.approx(
        expected, rel=1e-12)
    assert float(tl.elbo(t(PIXELS), t(PIXELS_HAT), t(MU), t(LOG_VAR))) == \
        pytest.approx(expected, rel=1e-12)


def test_elbo_accepts_images_and_kl_vanishes_at_standard_normal():
    images = PIXELS.reshape(N, 28, 28, 1)
    images_hat = PIXELS_HAT.reshape(N, 28, 28, 1)
    zeros = np.zeros((N, 2))
    expected = float(_reference_elbo()[0].mean())
    assert knp(kl.elbo(images, images_hat, zeros, zeros)) == pytest.approx(
        expected, rel=1e-12)
    assert float(tl.elbo(t(images), t(images_hat), t(zeros), t(zeros))) == \
        pytest.approx(expected, rel=1e-12)


def test_keras_elbo_runs_inside_a_compiled_function():
    import tensorflow as tf

    spec = tf.TensorSpec((None, 784), tf.float64)
    latent = tf.TensorSpec((None, 2), tf.float64)
    graph_elbo = tf.function(kl.elbo, input_signature=(spec, spec, latent,
                                                       latent))
    value = float(graph_elbo(PIXELS, PIXELS_HAT, MU, LOG_VAR))
    assert value == pytest.approx(knp(kl.elbo(PIXELS, PIXELS_HAT, MU,
                                              LOG_VAR)), rel=1e-12)


@pytest.mark.parametrize("module", [kl, tl], ids=["keras", "torch"])
def test_extreme_logits_give_exact_finite_losses(module):
    logits = np.array([[1000.0, 0.0, -1000.0], [1000.0, 0.0, -1000.0]])
    labels = np.array([0, 2])
    convert = t if module is tl else np.asarray
    sparse = module.sparse_categorical_crossentropy(
        convert(labels), convert(logits), from_logits=True)
    one_hot = module.categorical_crossentropy(
        convert(np.eye(3)[labels]), convert(logits), from_logits=True)
    binary = module.binary_crossentropy(
        convert(np.array([[0.0, 1.0]])), convert(np.array([[1000.0,
                                                             -1000.0]])),
        from_logits=True)
    assert float(sparse) == pytest.approx(1000.0, rel=1e-12)
    assert float(one_hot) == pytest.approx(1000.0, rel=1e-12)
    assert float(binary) == pytest.approx(1000.0, rel=1e-12)


def test_naive_softmax_log_overflows_where_ours_does_not():
    logits = np.array([[1000.0, 0.0, -1000.0]])
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        naive = -np.log(np.exp(logits) / np.exp(logits).sum())[0, 2]
    assert not np.isfinite(naive)
    ours = float(tl.sparse_categorical_crossentropy(
        torch.tensor([2]), t(logits), from_logits=True))
    assert ours == pytest.approx(2000.0)


@pytest.mark.parametrize("name", ["categorical_crossentropy",
                                  "binary_crossentropy"])
def test_probabilities_zero_and_one_are_clipped_like_keras(name):
    y_true = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
    y_pred = np.array([[1.0, 0.0, 0.0], [1.0, 0.0, 0.0]])
    expected = float(np.mean(keras.ops.convert_to_numpy(
        getattr(keras.losses, name)(y_true, y_pred))))
    keras_value = knp(getattr(kl, name)(y_true, y_pred))
    torch_value = float(getattr(tl, name)(t(y_true), t(y_pred)))
    assert np.isfinite(keras_value)
    assert keras_value == pytest.approx(expected, rel=1e-6)
    assert torch_value == pytest.approx(expected, rel=1e-6)


def test_torch_gradient_of_crossentropy_from_logits():
    logits = t(LOGITS).requires_grad_()
    tl.sparse_categorical_crossentropy(
        torch.tensor(LABELS), logits, from_logits=True).backward()
    expected = (PROBS - ONE_HOT) / N
    np.testing.assert_allclose(logits.grad.numpy(), expected, atol=1e-12)


def test_keras_loss_trains_inside_compile_and_fit():
    x = RNG.random((64, 8)).astype("float32")
    y = RNG.integers(0, 3, 64)
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((8,)),
                              keras.layers.Dense(3, activation="softmax")])
    model.compile(optimizer="sgd", loss=kl.sparse_categorical_crossentropy)
    ours = model.evaluate(x, y, verbose=0)
    builtin = keras.losses.SparseCategoricalCrossentropy()(y, model(x))
    assert ours == pytest.approx(knp(builtin), rel=1e-5)
    history = model.fit(x, y, epochs=2, batch_size=16, verbose=0).history
    assert history["loss"][1] < history["loss"][0]


@pytest.mark.parametrize("name", ["binary_crossentropy",
                                  "mean_squared_error"])
def test_labels_of_shape_n_against_one_output_column(name):
    y = BIN_TARGETS[:, 0]
    p = BIN_PROBS[:, :1]
    builtin = {"binary_crossentropy": keras.losses.BinaryCrossentropy(),
               "mean_squared_error": keras.losses.MeanSquaredError()}[name]
    expected = knp(builtin(y, p))
    assert knp(getattr(kl, name)(y, p)) == pytest.approx(expected, rel=1e-6)
    assert float(getattr(tl, name)(t(y), t(p))) == pytest.approx(
        expected, rel=1e-6)


@pytest.mark.parametrize("module", [kl, tl], ids=["keras", "torch"])
def test_shape_mismatch_gives_spanish_error(module):
    convert = t if module is tl else np.asarray
    with pytest.raises(ValueError, match="misma forma"):
        module.categorical_crossentropy(convert(ONE_HOT),
                                        convert(PROBS[:, :5]))
    with pytest.raises(ValueError, match="misma forma"):
        module.mean_squared_error(convert(BIN_TARGETS),
                                  convert(BIN_PROBS[:3]))
    with pytest.raises(ValueError, match="forma \\(N, C\\)"):
        module.sparse_categorical_crossentropy(convert(LABELS),
                                               convert(PROBS[:, 0]))
