"""Cada modelo Keras y su gemelo PyTorch calculan la misma función.

Patrón: construir ambos, copiar pesos con ``convert``, misma entrada al
azar → mismas salidas (las probabilidades de Keras contra la softmax o
la sigmoide de los logits de PyTorch), misma pérdida (la de Keras sobre
probabilidades, la de ``torch.nn`` sobre logits) y mismos gradientes
(llevados de vuelta a la disposición Keras con la misma conversión).
"""

import copy

import keras
import numpy as np
import pytest
import tensorflow as tf
import torch
import torch.nn.functional as F

from esenciales import convert
from esenciales.keras import models as kmodels
from esenciales.torch import models as tmodels
from esenciales.torch.training import returns_logits

VOCAB, MAXLEN, BATCH = 50, 12, 4

# (modelo, argumentos, entrada, pérdida)
CASES = [
    ("neuron", (5,), "vectors", "mse"),
    ("mlp", (), "vectors", "categorical"),
    ("cnn", (), "images", "categorical"),
    ("lstm_classifier", (VOCAB,), "tokens", "binary"),
    ("autoencoder", (), "pixels", "reconstruction"),
    ("vae", (), "pixels", "elbo"),
    ("transformer_classifier", (VOCAB, MAXLEN), "tokens", "binary"),
    ("mlp_minimal", (), "vectors", "binary"),
    ("mnist_cnn", (), "images", "categorical"),
]
NAMES = [case[0] for case in CASES]
CASE = {case[0]: case for case in CASES}

# Medido en CPU (float32): salidas ≤ 5e-7 y gradientes ≤ 4e-6 relativos,
# también en la LSTM y el Transformer; las cotas dejan margen.
OUTPUT_ATOL = 1e-5
LOSS_RTOL = 1e-5
GRAD_RTOL = 1e-4  # relativo al gradiente más grande de cada parámetro


def build_twins(name, seed=0):
    _, args, _, _ = CASE[name]
    keras.utils.set_random_seed(seed)
    torch.manual_seed(seed)
    return getattr(kmodels, name)(*args), getattr(tmodels, name)(*args)


def make_batch(name, keras_model, seed=0):
    """Entrada (Keras, PyTorch) y etiquetas al azar para el modelo."""
    _, _, kind, loss = CASE[name]
    rng = np.random.default_rng(seed)
    shape = (BATCH, *keras_model.input_shape[1:])
    if kind == "tokens":  # relleno 0 por delante, como pad_sequences
        x = rng.integers(1, VOCAB, size=(BATCH, MAXLEN))
        x[0, :5], x[1, :1] = 0, 0
        x_keras, x_torch = x.astype("int32"), torch.as_tensor(x)
    elif kind == "images":
        x = rng.uniform(size=shape).astype("float32")
        x_keras, x_torch = x, torch.as_tensor(x.transpose(0, 3, 1, 2))
    elif kind == "pixels":
        x = rng.uniform(size=shape).astype("float32")
        x_keras, x_torch = x, torch.as_tensor(x)
    else:
        x = rng.normal(size=shape).astype("float32")
        x_keras, x_torch = x, torch.as_tensor(x)
    if loss == "categorical":
        y = rng.integers(0, 10, size=BATCH)
    elif loss == "binary":
        y = rng.integers(0, 2, size=(BATCH, 1)).astype("float32")
    elif loss == "mse":
        y = rng.normal(size=(BATCH, 1)).astype("float32")
    else:
        y = x
    return x_keras, x_torch, y


def keras_loss(kind, y, out):
    if kind == "categorical":
        return keras.losses.SparseCategoricalCrossentropy()(y, out)
    if kind == "binary" or kind == "reconstruction":
        return keras.losses.BinaryCrossentropy()(y, out)
    if kind == "mse":
        return keras.losses.MeanSquaredError()(y, out)
    x_hat, mu, log_var = out
    reconstruction = 784 * keras.losses.binary_crossentropy(y, x_hat)
    kl = -0.5 * keras.ops.sum(
        1 + log_var - mu ** 2 - keras.ops.exp(log_var), axis=1)
    return keras.ops.mean(reconstruction + kl)


def torch_loss(kind, y, out):
    """La pérdida de ``torch.nn`` que usa ``fit``: sobre logits."""
    y = torch.as_tensor(y)
    if kind == "categorical":
        return F.cross_entropy(out, y)
    if kind == "binary":
        return F.binary_cross_entropy_with_logits(out, y)
    if kind == "reconstruction":  # el autoencoder termina en sigmoide
        return F.binary_cross_entropy(out, y)
    if kind == "mse":
        return F.mse_loss(out, y)
    x_hat, mu, log_var = out
    reconstruction = F.binary_cross_entropy(x_hat, y, reduction="none")
    kl = -0.5 * (1 + log_var - mu ** 2 - log_var.exp()).sum(dim=1)
    return (reconstruction.sum(dim=1) + kl).mean()


def as_list(out):
    return list(out) if isinstance(out, (list, tuple)) else [out]


def probabilities(torch_model, out):
    """Softmax o sigmoide de los logits, como la última capa de Keras."""
    if not returns_logits(torch_model):
        return out
    if out.shape[-1] == 1:
        return torch.sigmoid(out)
    return torch.softmax(out, dim=-1)


def max_diff(a, b):
    return float(np.max(np.abs(np.asarray(a) - np.asarray(b))))


def keras_forward_backward(model, x, y, kind):
    with tf.GradientTape() as tape:
        out = model(x, training=False)
        loss = keras_loss(kind, y, out)
    grads = tape.gradient(loss, model.trainable_weights)
    grads = [tf.convert_to_tensor(g).numpy() for g in grads]  # Embedding
    return out, float(loss), grads


def torch_grads_as_keras(name, torch_model):
    """Gradientes de PyTorch llevados a la disposición de los pesos Keras.

    Se copian los gradientes en un clon del modelo y se convierte el clon.
    En la LSTM, b_hh está congelado (sin gradiente) y queda en cero: la
    conversión suma b_ih + b_hh, así que el sesgo Keras recibe el
    gradiente de b_ih.
    """
    clone = copy.deepcopy(torch_model)
    for p, q in zip(clone.parameters(), torch_model.parameters()):
        p.data.copy_(q.grad if q.requires_grad else torch.zeros_like(q))
    keras_grads = build_twins(name, seed=1)[0]
    convert.torch_to_keras(clone, keras_grads)
    return [w.numpy() for w in keras_grads.trainable_weights]


@pytest.mark.parametrize("name", NAMES)
def test_keras_to_torch_same_outputs_loss_and_gradients(name):
    keras_model, torch_model = build_twins(name)
    convert.keras_to_torch(keras_model, torch_model)
    torch_model.eval()
    x_keras, x_torch, y = make_batch(name, keras_model)
    kind = CASE[name][3]

    k_out, k_loss, k_grads = keras_forward_backward(
        keras_model, x_keras, y, kind)
    t_out = torch_model(x_torch)
    t_loss = torch_loss(kind, y, t_out)
    t_loss.backward()

    t_probs = probabilities(torch_model, t_out) if kind != "elbo" else t_out
    for k, t in zip(as_list(k_out), as_list(t_probs), strict=True):
        assert k.shape == tuple(t.shape)
        assert max_diff(k, t.detach()) <= OUTPUT_ATOL
    assert t_loss.item() == pytest.approx(k_loss, rel=LOSS_RTOL)

    t_grads = torch_grads_as_keras(name, torch_model)
    assert len(t_grads) == len(k_grads) == len(
        keras_model.trainable_weights)
    for k, t in zip(k_grads, t_grads):
        assert k.shape == t.shape
        scale = max(float(np.max(np.abs(k))), 1e-3)
        assert max_diff(k, t) <= GRAD_RTOL * scale


@pytest.mark.parametrize("name", NAMES)
def test_torch_to_keras_same_outputs(name):
    keras_model, torch_model = build_twins(name, seed=2)
    if name == "lstm_classifier":  # que b_hh no sea cero: se debe sumar
        torch.nn.init.normal_(torch_model.lstm.bias_hh_l0)
    convert.torch_to_keras(torch_model, keras_model)
    torch_model.eval()
    x_keras, x_torch, _ = make_batch(name, keras_model, seed=3)
    with torch.no_grad():
        t_out = torch_model(x_torch)
        if name != "vae":
            t_out = probabilities(torch_model, t_out)
    t_out = as_list(t_out)
    k_out = as_list(keras_model(x_keras, training=False))
    for k, t in zip(k_out, t_out, strict=True):
        assert max_diff(k, t) <= OUTPUT_ATOL


@pytest.mark.parametrize("name", NAMES)
def test_round_trip_keeps_keras_weights(name):
    keras_model, torch_model = build_twins(name)
    original = [w.numpy() for w in keras_model.weights]
    convert.keras_to_torch(keras_model, torch_model)
    back = build_twins(name, seed=1)[0]
    convert.torch_to_keras(torch_model, back)
    for a, b in zip(original, back.weights, strict=True):
        np.testing.assert_array_equal(a, b.numpy())


def test_flatten_rows_are_permuted_for_channels_first():
    keras_model, torch_model = build_twins("mnist_cnn")
    convert.keras_to_torch(keras_model, torch_model)
    kernel = keras_model.layers[3].get_weights()[0]  # Dense tras Flatten
    weight = torch_model[4].weight.detach().numpy()
    # fila Keras (h, w, c) = columna PyTorch (c, h, w)
    h, w, c = 5, 7, 11
    np.testing.assert_array_equal(
        kernel[(h * 13 + w) * 32 + c], weight[:, c * 169 + h * 13 + w])


def test_lstm_keras_bias_goes_to_b_ih_and_b_hh_is_zero():
    keras_model, torch_model = build_twins("lstm_classifier")
    convert.keras_to_torch(keras_model, torch_model)
    lstm = torch_model.lstm
    keras_bias = keras_model.layers[1].get_weights()[2]
    np.testing.assert_array_equal(lstm.bias_ih_l0.detach(), keras_bias)
    assert not lstm.bias_hh_l0.detach().any()


def test_attention_weights_agree():
    keras_model, torch_model = build_twins("transformer_classifier")
    convert.keras_to_torch(keras_model, torch_model)
    x_keras, x_torch, _ = make_batch("transformer_classifier", keras_model)
    k_weights = kmodels.attention_weights(keras_model, x_keras)
    t_weights = tmodels.attention_weights(torch_model, x_torch)
    assert k_weights.shape == t_weights.shape == (BATCH, 2, MAXLEN, MAXLEN)
    assert max_diff(k_weights, t_weights) <= OUTPUT_ATOL


def test_mismatched_models_raise_spanish_errors():
    with pytest.raises(ValueError, match="no son gemelos"):
        convert.keras_to_torch(kmodels.mlp(), tmodels.mlp_minimal()[:2])
    with pytest.raises(ValueError, match="no corresponde"):
        convert.keras_to_torch(kmodels.mnist_cnn(), tmodels.mlp())
    with pytest.raises(ValueError, match="Forma incompatible"):
        convert.keras_to_torch(kmodels.mlp_minimal(), torch.nn.Sequential(
            torch.nn.Linear(10, 1), torch.nn.Linear(1, 1)))
    with pytest.raises(ValueError, match="Forma incompatible"):
        convert.torch_to_keras(tmodels.neuron(3), kmodels.neuron(4))


def test_layer_norm_epsilon_and_batch_first_are_checked():
    keras_model, torch_model = build_twins(
        "transformer_classifier", seed=0)
    torch_model.norm1.eps = 1e-3
    with pytest.raises(ValueError, match="epsilon"):
        convert.keras_to_torch(keras_model, torch_model)
    keras_model, torch_model = build_twins("lstm_classifier")
    torch_model.lstm.batch_first = False
    with pytest.raises(ValueError, match="batch_first"):
        convert.keras_to_torch(keras_model, torch_model)
