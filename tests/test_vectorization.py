"""Vectorización de una capa densa y colapso de capas lineales."""

import numpy as np
import pytest

from esenciales.scratch import activations, vectorization as vec


def test_loop_and_batched_dense_agree():
    x, w, b = vec.random_dense_problem(m=8, n=20, k=5, seed=3)
    looped = vec.dense_loop(x, w, b, activations.tanh)
    batched = vec.dense_batched(x, w, b, activations.tanh)
    assert batched.shape == (8, 5)
    np.testing.assert_allclose(looped, batched, rtol=1e-12, atol=1e-12)


def test_batched_dense_matches_torch_linear():
    import torch

    x, w, b = vec.random_dense_problem(m=6, n=10, k=4, seed=1)
    layer = torch.nn.Linear(10, 4).double()
    with torch.no_grad():
        layer.weight.copy_(torch.from_numpy(w.T))  # PyTorch guarda W^T
        layer.bias.copy_(torch.from_numpy(b))
        expected = torch.relu(layer(torch.from_numpy(x))).numpy()
    got = vec.dense_batched(x, w, b, activations.relu)
    np.testing.assert_allclose(got, expected, rtol=1e-12)


def test_linear_layers_collapse_to_one():
    weights, biases = vec.random_stack((4, 16, 16, 3), seed=0)
    w, b = vec.collapse_linear(weights, biases)
    assert w.shape == (4, 3) and b.shape == (3,)
    x = np.random.default_rng(2).normal(size=(10, 4))
    np.testing.assert_allclose(
        vec.linear_stack(x, weights, biases), x @ w + b, rtol=1e-10
    )


def test_nonlinearity_breaks_the_collapse():
    weights, biases = vec.random_stack((4, 16, 3), seed=0)
    w, b = vec.collapse_linear(weights, biases)
    x = np.random.default_rng(2).normal(size=(10, 4))
    hidden = activations.relu(x @ weights[0] + biases[0])
    with_relu = hidden @ weights[1] + biases[1]
    assert np.abs(with_relu - (x @ w + b)).max() > 0.1


def test_collapse_rejects_mismatched_lists():
    weights, biases = vec.random_stack((4, 5, 6), seed=0)
    with pytest.raises(ValueError, match="misma cantidad"):
        vec.collapse_linear(weights, biases[:1])
