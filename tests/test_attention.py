"""Qué palabras mira la atención: promedio, orden y relleno."""

import numpy as np
import pytest

from esenciales.runs import attention
from esenciales.torch import models as tmodels

WORDS = {i: f"p{i}" for i in range(3, 100)}


def review_and_weights():
    rng = np.random.default_rng(0)
    tokens = np.r_[np.zeros(6, int), rng.integers(3, 100, 14)]
    model = tmodels.transformer_classifier(100, 20).eval()
    return tokens, tmodels.attention_weights(model, tokens[None])[0]


def test_received_attention_is_a_distribution_over_real_words():
    tokens, weights = review_and_weights()
    received = attention.received_attention(weights, tokens)
    assert abs(received.sum() - 1) < 1e-5
    assert np.all(received[:6] == 0)  # nadie mira el relleno
    expected = weights[:, 6:, :].mean(axis=(0, 1))  # promedio a mano
    np.testing.assert_allclose(received, expected, rtol=1e-6)


def test_top_attended_are_sorted_and_name_their_words():
    tokens, weights = review_and_weights()
    top = attention.top_attended(weights, tokens, WORDS, k=4)
    values = [w for _, _, w in top]
    assert values == sorted(values, reverse=True)
    received = attention.received_attention(weights, tokens)
    assert values[0] == received.max()
    assert all(WORDS[tokens[i]] == word for i, word, _ in top)
    matrix, labels = attention.top_submatrix(weights, tokens, WORDS, k=4)
    positions = sorted(i for i, _, _ in top)
    assert labels == [WORDS[tokens[i]] for i in positions]
    np.testing.assert_allclose(
        matrix, weights.mean(axis=0)[np.ix_(positions, positions)])


def test_uniformity_measures_attention_against_the_even_split():
    from esenciales.runs import attention

    tokens = np.array([5, 6, 7, 8, 0, 0])          # 4 palabras reales
    even = np.zeros((1, 6, 6))
    even[:, :, :4] = 0.25
    spread = attention.uniformity(even, tokens)
    assert spread["words"] == 4 and spread["uniform"] == 0.25
    assert spread["top"] == pytest.approx(1.0)
    assert "casi parejos" in attention.uniformity_sentence(spread)
    peaked = even.copy()
    peaked[:, :, :4] = [0.7, 0.1, 0.1, 0.1]
    spread = attention.uniformity(peaked, tokens)
    assert spread["top"] == pytest.approx(2.8)     # 0,7 × 4 palabras
    assert "se apartan" in attention.uniformity_sentence(spread)


def test_a_single_epoch_is_not_drawn_as_a_curve():
    from esenciales.figures import curves

    with pytest.raises(ValueError, match="no es una curva"):
        curves.training_history({"Keras": {"accuracy": [0.8]}})
