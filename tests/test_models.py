"""Los modelos de la clase: parámetros, formas y piezas, en ambos marcos.

La equivalencia numérica Keras ↔ PyTorch está en ``test_convert.py``.
"""

import keras
import numpy as np
import pytest
import torch

from esenciales.keras import models as kmodels
from esenciales.torch import models as tmodels
from esenciales.torch import training as ttraining

VOCAB, MAXLEN = 1000, 20

# La aritmética de la clase: entradas × salidas + sesgos, capa por capa.
LSTM_KERAS = 4 * (64 * (128 + 64) + 64)  # kernel, recurrente, un sesgo
LSTM_TORCH = LSTM_KERAS  # b_ih entrenable; b_hh en cero y congelado
ATTENTION = 4 * (32 * 32 + 32)  # proyecciones Q, K, V y de salida
PARAMS = {  # nombre: (argumentos, parámetros Keras, parámetros PyTorch)
    "neuron": ((7,), 7 + 1, 7 + 1),
    "mlp": ((), 784 * 128 + 128 + 128 * 64 + 64 + 64 * 10 + 10, None),
    "cnn": ((), (3 * 3 * 3 * 32 + 32) + (3 * 3 * 32 * 64 + 64)
            + (13 * 13 * 64 * 10 + 10), None),
    "lstm_classifier": ((VOCAB,), VOCAB * 128 + LSTM_KERAS + 64 + 1, None),
    "autoencoder": ((), 784 * 32 + 32 + 32 * 784 + 784, None),
    "vae": ((), (784 * 256 + 256) + 2 * (256 * 2 + 2)
            + (2 * 256 + 256) + (256 * 784 + 784), None),
    "transformer_classifier": (
        (VOCAB, MAXLEN), VOCAB * 32 + MAXLEN * 32 + ATTENTION
        + 2 * (2 * 32) + (32 * 64 + 64) + (64 * 32 + 32) + 32 + 1, None),
    "mlp_minimal": ((), 10 * 32 + 32 + 32 + 1, None),
    "mnist_cnn": ((), (3 * 3 * 32 + 32) + (13 * 13 * 32 * 128 + 128)
                  + (128 * 10 + 10), None),
}


@pytest.mark.parametrize("name", list(PARAMS))
def test_parameter_counts_follow_the_lecture(name):
    args, keras_count, torch_count = PARAMS[name]
    torch_count = torch_count or keras_count
    assert kmodels.count_params(getattr(kmodels, name)(*args)) == keras_count
    assert tmodels.count_params(getattr(tmodels, name)(*args)) == torch_count


def test_pinned_counts():
    assert PARAMS["mlp"][1] == 109_386
    assert PARAMS["cnn"][1] == 127_562
    assert PARAMS["mnist_cnn"][1] == 693_962
    assert (LSTM_KERAS, LSTM_TORCH) == (49_408, 49_408)
    assert PARAMS["vae"][1] == 404_244


@pytest.mark.parametrize("name,keras_shape,torch_shape,classes", [
    ("mlp", (3, 784), (3, 784), 10),
    ("cnn", (3, 32, 32, 3), (3, 3, 32, 32), 10),
    ("mnist_cnn", (3, 28, 28, 1), (3, 1, 28, 28), 10),
    ("mlp_minimal", (3, 10), (3, 10), 1),
    ("neuron", (3, 4), (3, 4), 1),
])
def test_shapes_layouts_and_probabilities(
        name, keras_shape, torch_shape, classes):
    args = (4,) if name == "neuron" else ()
    rng = np.random.default_rng(0)
    x = rng.uniform(size=keras_shape).astype("float32")
    y_keras = np.asarray(getattr(kmodels, name)(*args)(x))
    x_torch = torch.as_tensor(
        rng.uniform(size=torch_shape), dtype=torch.float32)
    torch_model = getattr(tmodels, name)(*args)
    with torch.no_grad():
        y_torch = torch_model(x_torch).numpy()
    assert y_keras.shape == y_torch.shape == (3, classes)
    if classes == 10:  # Keras: softmax dentro; PyTorch: logits
        np.testing.assert_allclose(y_keras.sum(axis=1), 1, rtol=1e-5)
        assert ttraining.returns_logits(torch_model)
        assert (y_torch < 0).any()  # logits, no probabilidades
    elif name == "mlp_minimal":  # Keras: sigmoide dentro; PyTorch: logit
        assert ((y_keras > 0) & (y_keras < 1)).all()
        assert ttraining.returns_logits(torch_model)
    else:  # ReLU: la salida es la predicción en los dos
        assert (y_keras >= 0).all() and (y_torch >= 0).all()
        assert not ttraining.returns_logits(torch_model)


def test_sequence_models_take_integer_tokens():
    x = np.random.default_rng(0).integers(0, VOCAB, size=(2, MAXLEN))
    for models in (kmodels, tmodels):
        for model in (models.lstm_classifier(VOCAB),
                      models.transformer_classifier(VOCAB, MAXLEN)):
            if models is tmodels:
                with torch.no_grad():
                    y = torch.sigmoid(model(torch.as_tensor(x))).numpy()
            else:
                y = np.asarray(model(x.astype("int32")))
            assert y.shape == (2, 1)
            assert ((y > 0) & (y < 1)).all()


def test_autoencoder_is_encoder_then_decoder():
    x = np.random.default_rng(0).uniform(size=(3, 784)).astype("float32")
    model = kmodels.autoencoder()
    z = np.asarray(kmodels.encoder(model)(x))
    assert z.shape == (3, 32)
    np.testing.assert_allclose(
        kmodels.decoder(model)(z), model(x), atol=1e-6)

    model = tmodels.autoencoder()
    with torch.no_grad():
        z = tmodels.encoder(model)(torch.as_tensor(x))
        assert z.shape == (3, 32)
        torch.testing.assert_close(
            tmodels.decoder(model)(z), model(torch.as_tensor(x)))


def test_vae_returns_reconstruction_mu_and_log_var():
    x = np.random.default_rng(0).uniform(size=(3, 784)).astype("float32")
    for models, run in ((kmodels, _keras_eval), (tmodels, _torch_eval)):
        model = models.vae(latent_dim=5)
        x_hat, mu, log_var = run(model, x)
        assert x_hat.shape == (3, 784)
        assert mu.shape == log_var.shape == (3, 5)
        assert ((x_hat > 0) & (x_hat < 1)).all()
        enc_mu, enc_log_var = run(models.encoder(model), x)
        np.testing.assert_allclose(enc_mu, mu, atol=1e-6)
        np.testing.assert_allclose(enc_log_var, log_var, atol=1e-6)
        # Al predecir, z = μ: el decodificador de μ es la reconstrucción.
        np.testing.assert_allclose(
            run(models.decoder(model), mu), x_hat, atol=1e-6)


def _keras_eval(model, x):
    out = model(x, training=False)
    if isinstance(out, list):
        return tuple(np.asarray(o) for o in out)
    return np.asarray(out)


def _torch_eval(model, x):
    model.eval()
    with torch.no_grad():
        out = model(torch.as_tensor(x))
    if isinstance(out, tuple):
        return tuple(o.numpy() for o in out)
    return out.numpy()


def test_sampling_draws_from_the_gaussian_only_when_training():
    mu = np.full((20000, 2), 3.0, dtype="float32")
    log_var = np.full((20000, 2), np.log(4.0), dtype="float32")

    keras.utils.set_random_seed(0)
    layer = kmodels.Sampling()
    z_keras = np.asarray(layer([mu, log_var], training=True))
    np.testing.assert_array_equal(layer([mu, log_var], training=False), mu)

    torch.manual_seed(0)
    sampling = tmodels.Sampling()
    z_torch = sampling(torch.as_tensor(mu), torch.as_tensor(log_var))
    sampling.eval()
    np.testing.assert_array_equal(
        sampling(torch.as_tensor(mu), torch.as_tensor(log_var)), mu)

    for z in (z_keras, z_torch.numpy()):
        assert z.mean() == pytest.approx(3.0, abs=0.05)  # μ
        assert z.std() == pytest.approx(2.0, abs=0.05)  # σ = exp(½ log σ²)


def test_attention_weights_are_distributions_over_tokens():
    x = np.random.default_rng(0).integers(0, VOCAB, size=(2, MAXLEN))
    for models in (kmodels, tmodels):
        model = models.transformer_classifier(VOCAB, MAXLEN, num_heads=4)
        weights = models.attention_weights(model, x)
        assert isinstance(weights, np.ndarray)
        assert weights.shape == (2, 4, MAXLEN, MAXLEN)
        assert (weights >= 0).all()
        np.testing.assert_allclose(weights.sum(axis=-1), 1, rtol=1e-5)


def test_torch_summary_takes_the_input_shape_keras_declares(capsys):
    """PyTorch no declara la entrada: ``summary`` la recibe y muestra las
    mismas formas de salida que Keras; sin ella, solo los parámetros."""
    tmodels.summary(tmodels.mnist_cnn(), (1, 28, 28))
    shown = capsys.readouterr().out
    assert "[1, 10]" in shown and "[1, 32, 13, 13]" in shown
    tmodels.summary(tmodels.lstm_classifier(VOCAB), (None,))  # enteros
    assert "[1, 1]" in capsys.readouterr().out
    tmodels.summary(tmodels.mlp())
    shown = capsys.readouterr().out
    assert "109,386" in shown and "[1, 10]" not in shown
    assert kmodels.mnist_cnn().input_shape == (None, 28, 28, 1)


@pytest.mark.parametrize("models", [kmodels, tmodels])
def test_summary_prints_layers_and_parameter_count(models, capsys):
    models.summary(models.vae(), (784,))
    models.summary(models.lstm_classifier(VOCAB), (None,))
    printed = capsys.readouterr().out
    assert "404,244" in printed
    trainable = PARAMS["lstm_classifier"][1]  # los dos marcos
    assert f"Trainable params: {trainable:,}" in printed
    assert "(None, 784)" in printed or "[1, 784]" in printed


# --- La misma inicialización en los dos marcos --------------------------

def _weights(model, framework):
    """{nombre corto: arreglo} de los pesos de un modelo, en orden."""
    if framework == "keras":
        return [w.numpy() for w in model.weights]
    return [p.detach().numpy() for p in model.parameters()]


def glorot_limit(fan_in, fan_out):
    return np.sqrt(6 / (fan_in + fan_out))


def assert_uniform(w, limit):
    """Pesos U(−limit, limit): máximo ≈ limit y desviación limit/√3."""
    assert np.abs(w).max() <= limit * (1 + 1e-6)
    assert np.abs(w).max() > 0.97 * limit
    assert w.std() == pytest.approx(limit / np.sqrt(3), rel=0.05)


@pytest.mark.parametrize("framework", ["keras", "torch"])
def test_lstm_starts_from_the_documented_initialisation(framework):
    models = kmodels if framework == "keras" else tmodels
    embedding, kernel, recurrent, *biases, dense, dense_bias = _weights(
        models.lstm_classifier(VOCAB), framework)
    assert_uniform(embedding, 0.05)  # embeddings U(±0,05)
    assert_uniform(kernel, glorot_limit(128, 4 * 64))  # Glorot uniforme
    # Recurrente ortogonal: (H, 4H) con filas ortonormales en los dos.
    recurrent = recurrent if framework == "keras" else recurrent.T
    np.testing.assert_allclose(recurrent @ recurrent.T, np.eye(64),
                               atol=1e-5)
    bias = sum(biases)  # PyTorch: b_ih + b_hh; Keras: un solo sesgo
    expected = np.zeros(4 * 64)
    expected[64:128] = 1.0  # compuerta de olvido (i, f, g, o) en 1
    np.testing.assert_array_equal(bias, expected)
    assert np.abs(dense).max() <= glorot_limit(64, 1)
    np.testing.assert_array_equal(dense_bias, 0)


@pytest.mark.parametrize("name,args", [("mnist_cnn", ()), ("mlp", ()),
                                       ("transformer_classifier",
                                        (VOCAB, MAXLEN))])
def test_twins_start_with_the_same_weight_statistics(name, args):
    """Cada peso: mismo rango y misma desviación en Keras y en PyTorch.

    Los pesos iniciales del gemelo PyTorch se copian (``convert``) a un
    modelo Keras para compararlos peso a peso, en la misma disposición.
    """
    from esenciales.convert import torch_to_keras

    keras.utils.set_random_seed(0)
    torch.manual_seed(0)
    keras_model = getattr(kmodels, name)(*args)
    expected = [w.numpy() for w in keras_model.weights]
    torch_model = getattr(tmodels, name)(*args)
    copied = torch_to_keras(torch_model, getattr(kmodels, name)(*args))
    for w, k in zip(expected, [w.numpy() for w in copied.weights]):
        if np.all(w == w.flat[0]):  # sesgos en 0, γ de LayerNorm en 1
            np.testing.assert_array_equal(k, w.flat[0])
        elif w.size >= 500:  # con menos valores, la muestra es ruidosa
            assert k.std() == pytest.approx(w.std(), rel=0.1)


def test_pytorch_defaults_are_not_the_matched_initialisation():
    """Sin ``init_weights``, PyTorch parte de otro lugar: N(0, 1)."""
    embedding = torch.nn.Embedding(VOCAB, 128)
    assert float(embedding.weight.detach().std()) == pytest.approx(1.0, rel=0.05)
    matched = tmodels.lstm_classifier(VOCAB).embedding.weight
    assert float(matched.detach().std()) == pytest.approx(0.05 / np.sqrt(3),
                                                 rel=0.05)


# --- El relleno no cuenta ---------------------------------------------

def _padded_tokens():
    rng = np.random.default_rng(1)
    x = rng.integers(1, VOCAB, size=(3, MAXLEN)).astype("int32")
    x[0, :12] = 0  # relleno por delante, como pad_sequences
    x[1, :3] = 0
    return x


@pytest.mark.parametrize("name,args", [("lstm_classifier", (VOCAB,)),
                                       ("transformer_classifier",
                                        (VOCAB, MAXLEN))])
def test_output_ignores_what_the_padding_embedding_holds(name, args):
    x = _padded_tokens()
    keras_model = getattr(kmodels, name)(*args)
    embedding = keras_model.layers[0] if name == "lstm_classifier" \
        else keras_model.get_layer("tokens")
    before = np.asarray(keras_model(x))
    table = embedding.embeddings.numpy()
    table[0] = 100.0  # el vector del relleno, absurdo
    embedding.embeddings.assign(table)
    np.testing.assert_allclose(keras_model(x), before, atol=1e-6)

    torch_model = getattr(tmodels, name)(*args).eval()
    tokens = torch.as_tensor(x).long()
    table = torch_model.embedding if name == "lstm_classifier" \
        else torch_model.tokens
    with torch.no_grad():
        before = torch_model(tokens)
        table.weight[0] = 100.0
        torch.testing.assert_close(torch_model(tokens), before)


@pytest.mark.parametrize("name,args", [("lstm_classifier", (VOCAB,)),
                                       ("transformer_classifier",
                                        (VOCAB, MAXLEN))])
def test_padding_changes_nothing_but_the_length(name, args):
    """La LSTM da lo mismo con o sin relleno; la atención no lo mira.

    La LSTM admite largos libres: se compara la reseña rellenada con la
    misma reseña sin relleno. El Transformer tiene largo fijo: ninguna
    posición le da peso de atención al relleno.
    """
    x = _padded_tokens()
    torch_model = getattr(tmodels, name)(*args).eval()
    keras_model = getattr(kmodels, name)(*args)
    if name == "lstm_classifier":
        short = x[:1, 12:]
        with torch.no_grad():
            torch.testing.assert_close(
                torch_model(torch.as_tensor(x[:1]).long()),
                torch_model(torch.as_tensor(short).long()))
        np.testing.assert_allclose(keras_model(x[:1]), keras_model(short),
                                   atol=1e-6)
    weights = kmodels.attention_weights(keras_model, x) \
        if name == "transformer_classifier" else None
    if weights is not None:  # nadie mira el relleno
        assert np.abs(weights[0, :, :, :12]).max() == 0
        t_weights = tmodels.attention_weights(torch_model, x)
        assert np.abs(t_weights[0, :, :, :12]).max() == 0


def test_torch_lstm_trains_the_keras_parameter_set():
    """Un solo sesgo entrenable por compuerta, como Keras: b_hh existe
    (la ``nn.LSTM`` lo trae) pero vale cero y el optimizador no lo ve."""
    lstm = tmodels.lstm_classifier(VOCAB).lstm
    trainable = {name: tuple(p.shape) for name, p in lstm.named_parameters()
                 if p.requires_grad}
    assert trainable == {"weight_ih_l0": (256, 128),
                         "weight_hh_l0": (256, 64), "bias_ih_l0": (256,)}
    assert not lstm.bias_hh_l0.requires_grad
    assert not lstm.bias_hh_l0.detach().any()
    keras_lstm = kmodels.lstm_classifier(VOCAB).layers[1]
    assert [tuple(w.shape) for w in keras_lstm.trainable_weights] == [
        (128, 256), (64, 256), (256,)]


def _packed_reference(model, tokens):
    """La salida con ``pack_padded_sequence``: la LSTM se detiene en la
    última palabra real de cada reseña (el camino lento, de referencia)."""
    from torch.nn.utils.rnn import pack_padded_sequence

    aligned, lengths = tmodels.left_align(tokens)
    packed = pack_padded_sequence(
        model.embedding(aligned), lengths.clamp(min=1), batch_first=True,
        enforce_sorted=False)
    _, (h_last, _) = model.lstm(packed)
    return model.head(h_last[-1])


def test_lstm_reads_the_same_final_state_as_a_packed_sequence():
    x = _padded_tokens()
    x[2] = 0  # una reseña vacía: solo relleno
    tokens = torch.as_tensor(x).long()
    model = tmodels.lstm_classifier(VOCAB).eval()
    with torch.no_grad():
        torch.testing.assert_close(model(tokens),
                                   _packed_reference(model, tokens))
