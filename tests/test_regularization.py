"""Pruebas de las herramientas de regularización en Keras y PyTorch."""

import keras
import numpy as np
import pytest
import torch

from esenciales.keras import regularization as kreg
from esenciales.keras import training as ktrain
from esenciales.torch import regularization as treg
from esenciales.torch import training as ttrain


def images(n=8, seed=0):
    """Imágenes NHWC con un cuadrado claro en el centro, y su versión NCHW."""
    rng = np.random.default_rng(seed)
    x = np.zeros((n, 28, 28, 1), dtype="float32")
    x[:, 10:18, 10:18] = rng.uniform(0.5, 1.0, (n, 1, 1, 1))
    return x, x.transpose(0, 3, 1, 2).copy()


def torch_params(model):
    return sum(p.numel() for p in model.parameters())


def keras_params(model):
    return sum(int(np.prod(w.shape)) for w in model.trainable_weights)


@pytest.mark.parametrize("kwargs", [
    {}, {"dropout": 0.5}, {"l2": 1e-3}, {"batch_norm": True},
])
def test_regularized_models_have_the_same_parameters(kwargs):
    assert torch_params(treg.regularized_mlp(**kwargs)) == \
        keras_params(kreg.regularized_mlp(**kwargs))
    assert torch_params(treg.regularized_cnn(**kwargs, augment=True)) == \
        keras_params(kreg.regularized_cnn(**kwargs, augment=True))
    base = 784 * 128 + 128 + 128 * 64 + 64 + 64 * 10 + 10
    extra = 2 * (128 + 64) if kwargs.get("batch_norm") else 0
    assert torch_params(treg.regularized_mlp(**kwargs)) == base + extra


def test_dropout_is_active_only_in_training():
    x = np.random.default_rng(0).random((4, 784), dtype=np.float32)
    model = treg.regularized_mlp(dropout=0.5)
    model.train()
    assert not torch.equal(model(torch.tensor(x)), model(torch.tensor(x)))
    model.eval()
    assert torch.equal(model(torch.tensor(x)), model(torch.tensor(x)))

    kmodel = kreg.regularized_mlp(dropout=0.5)
    on = [np.asarray(kmodel(x, training=True)) for _ in range(2)]
    off = [np.asarray(kmodel(x, training=False)) for _ in range(2)]
    assert not np.array_equal(*on)
    np.testing.assert_array_equal(*off)


def test_l2_penalty_is_l2_times_the_sum_of_squared_kernels():
    model = treg.regularized_mlp(l2=1e-3)
    kernels = [m.weight for m in model.modules()
               if isinstance(m, torch.nn.Linear)]
    expected = 1e-3 * sum(float(w.detach().pow(2).sum()) for w in kernels)
    assert float(treg.regularization_loss(model).detach()) == \
        pytest.approx(expected)
    assert treg.regularization_loss(treg.regularized_mlp()) == 0.0

    kmodel = kreg.regularized_mlp(l2=1e-3)
    kkernels = [layer.kernel for layer in kmodel.layers
                if isinstance(layer, keras.layers.Dense)]
    kexpected = 1e-3 * sum(float(np.sum(np.asarray(k) ** 2))
                           for k in kkernels)
    assert kreg.regularization_loss(kmodel) == pytest.approx(kexpected,
                                                             rel=1e-5)


def test_torch_fit_adds_the_l2_penalty_to_the_loss():
    rng = np.random.default_rng(0)
    x = rng.random((20, 784), dtype=np.float32)
    y = rng.integers(0, 10, 20)
    model = treg.regularized_mlp(l2=1e-2)
    plain = treg.regularized_mlp()
    plain.load_state_dict({k.replace(".layer.", "."): v
                           for k, v in model.state_dict().items()})
    with_l2 = ttrain.evaluate(model, x, y)["loss"]
    without = ttrain.evaluate(plain, x, y)["loss"]
    penalty = float(treg.regularization_loss(model).detach())
    assert penalty > 0.1
    assert with_l2 - without == pytest.approx(penalty, rel=1e-4)


def test_augmentation_keeps_shape_and_only_acts_in_training():
    x_keras, x_torch = images()
    out_keras = kreg.augment_images(x_keras, seed=0)
    out_torch = treg.augment_images(x_torch, seed=0)
    assert out_keras.shape == x_keras.shape
    assert out_torch.shape == x_torch.shape
    assert not np.allclose(out_torch, x_torch)
    assert not np.allclose(out_keras, x_keras)
    np.testing.assert_array_equal(out_torch,
                                  treg.augment_images(x_torch, seed=0))
    layer = treg.augmentation().eval()
    assert torch.equal(layer(torch.tensor(x_torch)), torch.tensor(x_torch))
    klayer = kreg.augmentation()
    np.testing.assert_array_equal(klayer(x_keras, training=False), x_keras)


def center_of_mass(x):
    """Centro de masa (fila, columna) de cada imagen (N, 28, 28)."""
    grid = np.arange(28)
    mass = x.sum(axis=(1, 2))
    rows = (x.sum(axis=2) * grid).sum(axis=1) / mass
    cols = (x.sum(axis=1) * grid).sum(axis=1) / mass
    return np.stack([rows, cols], axis=1)


def test_augmentation_moves_the_digit_little_and_keeps_its_ink():
    x_keras, x_torch = images(n=32)
    before = center_of_mass(x_keras[..., 0])
    for out in (kreg.augment_images(x_keras, seed=1)[..., 0],
                treg.augment_images(x_torch, seed=1)[:, 0]):
        shift = np.abs(center_of_mass(out) - before)
        assert shift.max() <= 0.1 * 28 + 1  # a lo más un 10 % y un píxel
        assert shift.max() > 0.3            # pero sí se movió
        ink = out.sum(axis=(1, 2)) / x_keras[..., 0].sum(axis=(1, 2))
        np.testing.assert_allclose(ink, 1.0, atol=0.1)


def test_freeze_keeps_the_base_unchanged_while_the_head_learns():
    rng = np.random.default_rng(0)
    x_keras, x_torch = images(n=16)
    y = rng.integers(0, 3, 16)

    model = treg.transfer_model(treg.regularized_cnn(), 3)
    base = {k: v.clone() for k, v in model[0].state_dict().items()}
    head = model[1].weight.clone()
    ttrain.fit(model, x_torch, y, epochs=2, batch_size=4, verbose=0)
    for key, value in model[0].state_dict().items():
        assert torch.equal(value, base[key])
    assert not torch.equal(model[1].weight, head)
    assert model[-1].out_features == 3  # la cabeza da 3 logits

    kmodel = kreg.transfer_model(kreg.regularized_cnn(), 3)
    kbase = [np.array(w) for w in kmodel.layers[0].get_weights()]
    khead = kmodel.layers[1].get_weights()[0]
    ktrain.fit(kmodel, x_keras, y, epochs=2, batch_size=4, verbose=0)
    for before, after in zip(kbase, kmodel.layers[0].get_weights()):
        np.testing.assert_array_equal(before, after)
    assert not np.array_equal(khead, kmodel.layers[1].get_weights()[0])
    assert kmodel.output_shape == (None, 3)


def test_transfer_model_leaves_the_original_model_alone():
    original = treg.regularized_cnn()
    treg.transfer_model(original, 5)
    assert all(p.requires_grad for p in original.parameters())
    koriginal = kreg.regularized_cnn()
    kreg.transfer_model(koriginal, 5)
    assert koriginal.trainable and len(koriginal.trainable_weights) == 6
