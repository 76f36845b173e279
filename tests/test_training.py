"""Pruebas de ``fit``, ``evaluate``, ``predict`` y los *callbacks*."""

import math

import keras
import numpy as np
import pytest
import tensorflow as tf
import torch

from esenciales.frameworks import DeviceError
from esenciales.keras import regularization as kreg
from esenciales.keras import training as ktrain
from esenciales.runs.schedules import warmup_cosine, warmup_cosine_schedule
from esenciales.torch import losses as tlosses
from esenciales.torch import regularization as treg
from esenciales.torch import training as ttrain


def tiny_data(n=40, seed=0):
    """Vectores de 784 al azar y etiquetas 0..9: un problema diminuto."""
    rng = np.random.default_rng(seed)
    x = rng.random((n, 784), dtype=np.float32)
    y = rng.integers(0, 10, n).astype("int64")
    return x, y


def torch_mlp(seed=0, **kwargs):
    ttrain.set_seed(seed)
    return treg.regularized_mlp(**kwargs)


def keras_mlp(seed=0, **kwargs):
    ktrain.set_seed(seed)
    return kreg.regularized_mlp(**kwargs)


FIT = dict(epochs=3, batch_size=16, validation_split=0.25, verbose=0)


def test_history_has_the_same_keys_and_lengths_as_keras():
    x, y = tiny_data()
    schedule = warmup_cosine_schedule(1e-3, warmup_steps=2, total_steps=6)
    h_torch = ttrain.fit(torch_mlp(), x, y, **FIT, schedule=schedule)
    h_keras = ktrain.fit(keras_mlp(), x, y, **FIT, schedule=schedule)
    assert set(h_torch) == set(h_keras) == {
        "loss", "accuracy", "val_loss", "val_accuracy",
        "learning_rate_per_step"}
    per_epoch = [k for k in h_torch if k != "learning_rate_per_step"]
    assert all(len(h[k]) == 3 for h in (h_torch, h_keras) for k in per_epoch)
    # 30 ejemplos de entrenamiento en lotes de 16: 2 pasos por época
    expected = [schedule(step) for step in range(6)]
    np.testing.assert_allclose(h_torch["learning_rate_per_step"], expected)
    np.testing.assert_allclose(h_keras["learning_rate_per_step"], expected)


@pytest.mark.parametrize("framework", ["torch", "keras"])
def test_same_seed_gives_the_same_history(framework):
    x, y = tiny_data()
    build, train = {"torch": (torch_mlp, ttrain),
                    "keras": (keras_mlp, ktrain)}[framework]
    first = train.fit(build(dropout=0.3), x, y, **FIT, seed=1)
    again = train.fit(build(dropout=0.3), x, y, **FIT, seed=1)
    other = train.fit(build(dropout=0.3), x, y, **FIT, seed=2)
    assert first == again
    assert first != other


def test_torch_fit_equals_a_hand_written_loop():
    x, y = tiny_data(n=50)
    model = torch_mlp()
    ttrain.fit(model, x, y, epochs=1, batch_size=16, verbose=0, seed=3)

    reference = torch_mlp()
    optimizer = torch.optim.Adam(reference.parameters(), eps=1e-7,
                                 fused=True)
    loss_fn = torch.nn.CrossEntropyLoss()
    loader = torch.utils.data.DataLoader(
        torch.utils.data.TensorDataset(torch.tensor(x), torch.tensor(y)),
        batch_size=16, shuffle=True,
        generator=torch.Generator().manual_seed(3))
    reference.train()
    for x_batch, y_batch in loader:
        optimizer.zero_grad()
        loss = loss_fn(reference(x_batch), y_batch)
        loss.backward()
        optimizer.step()
    for p, q in zip(model.parameters(), reference.parameters()):
        torch.testing.assert_close(p, q, rtol=0, atol=0)


def test_torch_fit_is_the_explicit_loop_with_a_data_loader(monkeypatch):
    """Lo que hace ``fit``, observado y no leído en su código: lotes de un
    ``DataLoader``, un ``zero_grad`` y un ``step`` por lote, y el modelo
    en modo de evaluación al terminar."""
    loaders, calls = [], []
    real_loader = ttrain.DataLoader

    def spying_loader(*args, **kwargs):
        loaders.append(real_loader(*args, **kwargs))
        return loaders[-1]

    monkeypatch.setattr(ttrain, "DataLoader", spying_loader)
    x, y = tiny_data(n=40)
    model = torch_mlp()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for name in ("zero_grad", "step"):
        real = getattr(optimizer, name)
        monkeypatch.setattr(optimizer, name, lambda *a, _n=name, _r=real,
                            **k: calls.append(_n) or _r(*a, **k))
    ttrain.fit(model, x, y, epochs=2, batch_size=16, optimizer=optimizer,
               verbose=0)
    assert len(loaders) == 1
    assert [len(batch[0]) for batch in loaders[0]] == [16, 16, 8]
    assert calls == ["zero_grad", "step"] * (2 * 3)
    assert not model.training
    model = torch_mlp()
    assert isinstance(ttrain.get_loss("binary_crossentropy", model),
                      torch.nn.BCEWithLogitsLoss)
    assert isinstance(ttrain.get_loss("sparse_categorical_crossentropy",
                                      model), torch.nn.CrossEntropyLoss)


@pytest.mark.parametrize("framework", ["torch", "keras"])
def test_validation_split_takes_the_last_fraction(framework):
    x, y = tiny_data(n=42)
    build, train = {"torch": (torch_mlp, ttrain),
                    "keras": (keras_mlp, ktrain)}[framework]
    split_at = math.floor(42 * (1 - 0.25))  # 31 para entrenar, 11 validan
    by_split = train.fit(build(), x, y, **FIT)
    by_data = train.fit(build(), x[:split_at], y[:split_at],
                        **{**FIT, "validation_split": 0.0},
                        validation_data=(x[split_at:], y[split_at:]))
    np.testing.assert_allclose(by_split["val_loss"], by_data["val_loss"],
                               rtol=1e-6)
    np.testing.assert_allclose(by_split["loss"], by_data["loss"], rtol=1e-6)


def test_split_validation_matches_keras_arithmetic():
    x, y = np.arange(10), np.arange(10)
    (x_train, _), (x_val, _) = ttrain.split_validation(x, y, 0.25)
    assert list(x_train) == list(range(7)) and list(x_val) == [7, 8, 9]
    with pytest.raises(ValueError, match="validation_split"):
        ttrain.split_validation(x, y, 1.0)


def keras_probe():
    """Un modelo de Keras mínimo para que EarlyStopping guarde pesos."""
    model = keras.Sequential([keras.Input((1,)), keras.layers.Dense(1)])
    model.compile(loss="mse")
    return model


def stopping_epoch(callback, model, values):
    """Pasa una serie de ``val_loss`` al callback; ¿en qué época se detiene?"""
    model.stop_training = False
    callback.on_train_begin()
    for epoch, value in enumerate(values):
        callback.on_epoch_end(epoch, {"val_loss": value})
        if model.stop_training:
            return epoch
    return None


def test_early_stopping_stops_at_the_same_epoch_as_keras():
    values = [1.0, 0.5, 0.6, 0.55, 0.7, 0.4]
    torch_stop = ttrain.EarlyStopping(patience=2)
    torch_stop.model = torch.nn.Linear(1, 1)
    keras_stop = ktrain.EarlyStopping(patience=2)
    keras_stop.set_model(keras_probe())
    assert stopping_epoch(torch_stop, torch_stop.model, values) == 3
    assert stopping_epoch(keras_stop, keras_stop.model, values) == 3
    assert torch_stop.best == keras_stop.best == 0.5


@pytest.mark.parametrize("framework", ["torch", "keras"])
def test_early_stopping_restores_the_best_weights(framework):
    x, y = tiny_data(n=60)
    build, train = {"torch": (torch_mlp, ttrain),
                    "keras": (keras_mlp, ktrain)}[framework]
    model = build()
    split_at = 45
    stop = train.EarlyStopping(monitor="val_loss", patience=2,
                               restore_best_weights=True)
    history = train.fit(model, x[:split_at], y[:split_at], epochs=40,
                        batch_size=8, verbose=0,
                        validation_data=(x[split_at:], y[split_at:]),
                        callbacks=[stop])
    assert len(history["loss"]) < 40  # ruido puro: val_loss empeora pronto
    final = train.evaluate(model, x[split_at:], y[split_at:])
    assert final["loss"] == pytest.approx(min(history["val_loss"]),
                                          rel=1e-5)


def test_warmup_cosine_rises_from_almost_zero_then_decays():
    values = [warmup_cosine(step, 0.1, 4, 12, min_lr=0.02)
              for step in range(12)]
    expected = [0.025, 0.05, 0.075, 0.1] + [
        0.02 + 0.04 * (1 + math.cos(math.pi * k / 8)) for k in range(8)]
    np.testing.assert_allclose(values, expected, rtol=1e-12)
    assert warmup_cosine(12, 0.1, 4, 12, min_lr=0.02) == pytest.approx(0.02)


@pytest.mark.parametrize("framework", ["torch", "keras"])
def test_schedule_sets_the_rate_of_every_step(framework):
    """La tasa cambia lote a lote, y cada paso usa la que anota.

    Con SGD y sin momento, el paso k mueve los pesos en −tasa_k · ∇; un
    optimizador espía compara la tasa que ve el optimizador en cada
    paso con la del calendario.
    """
    x, y = tiny_data(n=48)
    schedule = warmup_cosine_schedule(0.2, warmup_steps=3, total_steps=9)
    seen = []
    if framework == "torch":
        model = torch_mlp()

        class Spy(torch.optim.SGD):
            def step(self, closure=None):
                seen.append(self.param_groups[0]["lr"])
                return super().step(closure)

        history = ttrain.fit(model, x, y, epochs=3, batch_size=16,
                             optimizer=Spy(model.parameters(), lr=0.01),
                             schedule=schedule, verbose=0)
    else:
        model = keras_mlp()

        class Spy(keras.callbacks.Callback):
            def on_train_batch_end(self, batch, logs=None):
                seen.append(float(self.model.optimizer.learning_rate))

        history = ktrain.fit(model, x, y, epochs=3, batch_size=16,
                             optimizer="sgd", schedule=schedule,
                             callbacks=[Spy()], verbose=0)
    expected = [schedule(step) for step in range(9)]
    assert expected[0] == pytest.approx(0.2 / 3)
    np.testing.assert_allclose(seen, expected, rtol=1e-6)
    np.testing.assert_allclose(history["learning_rate_per_step"], expected,
                               rtol=1e-6)


@pytest.mark.parametrize("name", ["sparse_categorical_crossentropy",
                                  "categorical_crossentropy",
                                  "binary_crossentropy", "mse"])
def test_torch_losses_on_logits_equal_keras_losses_on_probabilities(name):
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(8, 5)).astype("float32")
    if name == "binary_crossentropy":
        probs = 1 / (1 + np.exp(-logits))
    elif name == "mse":
        probs = logits  # regresión: la salida es la predicción
    else:
        probs = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    labels = rng.integers(0, 5, 8)
    y_true = {"sparse_categorical_crossentropy": labels,
              "categorical_crossentropy": np.eye(5)[labels],
              "binary_crossentropy": rng.integers(0, 2, (8, 5)),
              "mse": rng.random((8, 5))}[name].astype("float32")
    expected = keras.ops.convert_to_numpy(
        keras.ops.mean(keras.losses.get(name)(y_true, probs)))
    target = torch.tensor(y_true)
    if name.startswith("sparse"):
        target = target.long()
    loss_fn = ttrain.get_loss(name, torch_mlp())
    got = loss_fn(torch.tensor(logits), target)
    assert float(got) == pytest.approx(float(expected), rel=1e-5)


def test_torch_accuracy_reads_logits_like_keras_reads_probabilities():
    logits = torch.tensor([[-1.0, 1.0], [2.0, -2.0], [0.1, 0.3]])
    assert int(ttrain.correct_predictions(logits, torch.tensor([1, 1, 1]))) \
        == 2
    assert int(ttrain.correct_predictions(
        logits, torch.eye(2)[[1, 0, 0]])) == 2
    binary = torch.tensor([[0.8], [-1.4], [0.04]])  # σ: 0,69; 0,20; 0,51
    assert int(ttrain.correct_predictions(
        binary, torch.tensor([[1.0], [0.0], [0.0]]))) == 2


def test_evaluate_and_predict_agree_between_each_other():
    x, y = tiny_data()
    for build, train in [(torch_mlp, ttrain), (keras_mlp, ktrain)]:
        model = build()
        probs = train.predict(model, x, batch_size=7)
        assert probs.shape == (40, 10)
        np.testing.assert_allclose(probs.sum(1), 1, rtol=1e-5)
        scores = train.evaluate(model, x, y, batch_size=7)
        expected = -np.log(probs[np.arange(40), y]).mean()
        assert scores["loss"] == pytest.approx(expected, rel=1e-4)
        assert scores["accuracy"] == pytest.approx(
            (probs.argmax(1) == y).mean())


def test_cuda_without_gpu_is_a_spanish_error(monkeypatch):
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(tf.config, "list_physical_devices",
                        lambda kind=None: [])
    x, y = tiny_data()
    with pytest.raises(DeviceError, match="no ve ninguna GPU"):
        ttrain.fit(torch_mlp(), x, y, device="cuda", verbose=0)
    with pytest.raises(DeviceError, match="no ve ninguna GPU"):
        ktrain.fit(keras_mlp(), x, y, device="cuda", verbose=0)
    assert ttrain.resolve_device("auto") == "cpu"
    assert ktrain.resolve_device("auto") == "cpu:0"
    with pytest.raises(ValueError, match="Dispositivo desconocido"):
        ttrain.resolve_device("tpu")


def test_bad_names_are_spanish_errors():
    model = torch_mlp()
    with pytest.raises(ValueError, match="Optimizador desconocido"):
        ttrain.get_optimizer("adamx", model)
    with pytest.raises(ValueError, match="Pérdida desconocida"):
        ttrain.get_loss("hinge2", model)
    with pytest.raises(ValueError, match="Métrica desconocida"):
        ttrain.check_metrics(["auc"])


def test_optimizers_by_name_use_keras_defaults():
    model = torch_mlp()
    assert ttrain.get_optimizer("sgd", model).defaults["lr"] == \
        keras.optimizers.get("sgd").learning_rate
    adam = ttrain.get_optimizer("adam", model)
    assert adam.defaults["eps"] == keras.optimizers.Adam().epsilon
    nadam = ttrain.get_optimizer("nadam", model)
    assert nadam.defaults["momentum_decay"] == 1.0  # la μ_t de Keras


def test_named_nadam_follows_keras_nadam_for_many_steps():
    """Mismo problema, mismos gradientes: NAdam por nombre = Keras Nadam."""
    rng = np.random.default_rng(0)
    start = rng.normal(size=(5,)).astype("float32")
    target = rng.normal(size=(5,)).astype("float32")
    weights = torch.nn.Parameter(torch.tensor(start))
    optimizer = ttrain.OPTIMIZERS["nadam"][0](
        [weights], **ttrain.OPTIMIZERS["nadam"][1])
    variable = keras.Variable(start)
    keras_nadam = keras.optimizers.Nadam()
    for _ in range(150):
        optimizer.zero_grad()
        ((weights - torch.tensor(target)) ** 2).sum().backward()
        optimizer.step()
        gradient = 2 * (variable.numpy() - target)
        keras_nadam.apply_gradients([(keras.ops.convert_to_tensor(gradient),
                                      variable)])
    np.testing.assert_allclose(weights.detach().numpy(), variable.numpy(),
                               rtol=1e-4, atol=1e-6)


def test_fit_vae_minimizes_the_elbo_in_both_frameworks():
    from esenciales.keras import models as kmodels
    from esenciales.torch import models as tmodels

    rng = np.random.default_rng(0)
    x = (rng.random((96, 784)) < 0.2).astype("float32")
    ttrain.set_seed(0)
    tvae = tmodels.vae()
    ktrain.set_seed(0)
    kvae = kmodels.vae()
    before = [w.copy() for w in kvae.get_weights()]
    h_torch = ttrain.fit_vae(tvae, x, epochs=3, batch_size=32,
                             validation_split=0.25, verbose=0)
    h_keras = ktrain.fit_vae(kvae, x, epochs=3, batch_size=32,
                             validation_split=0.25, verbose=0)
    assert set(h_torch) == set(h_keras) == {"loss", "val_loss"}
    for history in (h_torch, h_keras):
        assert len(history["loss"]) == 3
        assert history["loss"][-1] < history["loss"][0]
    assert any(not np.array_equal(a, b)
               for a, b in zip(before, kvae.get_weights()))
    with torch.no_grad():
        x_hat, mu, log_var = tvae.eval()(torch.tensor(x[72:]))
        expected = float(tlosses.elbo(torch.tensor(x[72:]), x_hat, mu,
                                      log_var))
    assert h_torch["val_loss"][-1] == pytest.approx(expected, rel=1e-5)


def test_binary_targets_of_one_dimension_work_like_keras():
    from esenciales.torch import models as tmodels

    rng = np.random.default_rng(0)
    x = rng.random((64, 10), dtype=np.float32)
    y = (x.sum(1) > 5).astype("int64")
    ttrain.set_seed(0)
    model = tmodels.mlp_minimal()
    history = ttrain.fit(model, x, y, epochs=2,
                         loss="binary_crossentropy", verbose=0)
    assert set(history) == {"loss", "accuracy"}
    # La exactitud de evaluate, contra la de sus propias probabilidades.
    probabilities = ttrain.predict(model, x).ravel()
    expected = np.mean((probabilities > 0.5) == y)
    scores = ttrain.evaluate(model, x, y, loss="binary_crossentropy")
    assert scores["accuracy"] == pytest.approx(expected)


def test_torch_fit_reports_one_line_per_epoch_outside_a_terminal(capsys):
    x, y = tiny_data()
    model = torch_mlp(dropout=0.5)
    ttrain.fit(model, x, y, epochs=2, verbose=1)
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(" - ")[0] for line in lines] == ["Época 1/2",
                                                         "Época 2/2"]
    assert "accuracy: " in lines[0] and "loss: " in lines[0]
    assert not model.training  # queda listo para predecir, sin dropout
    ttrain.fit(model, x, y, epochs=1, verbose=0)
    assert capsys.readouterr().out == ""


def test_full_batch_fit_gives_the_same_model_in_keras_and_torch():
    """Con un solo lote por época el orden no importa: ambos fit coinciden.

    Con SGD. (Adam y RMSprop no entran aquí: Keras y PyTorch ponen ε en
    lugares distintos; esa diferencia la miden las pruebas de los
    optimizadores.)
    """
    from esenciales.convert import keras_to_torch
    from esenciales.keras import models as kmodels
    from esenciales.torch import models as tmodels

    x, y = tiny_data(n=32)
    kmodel = kmodels.mlp()
    tmodel = keras_to_torch(kmodel, tmodels.mlp())
    options = dict(epochs=3, batch_size=32, optimizer="sgd", verbose=0)
    h_keras = ktrain.fit(kmodel, x, y, **options)
    h_torch = ttrain.fit(tmodel, x, y, **options)
    np.testing.assert_allclose(h_torch["loss"], h_keras["loss"], rtol=1e-5)
    np.testing.assert_allclose(ttrain.predict(tmodel, x),
                               ktrain.predict(kmodel, x), atol=1e-5)


@pytest.mark.parametrize("optimizer", ["sgd", "adam"])
@pytest.mark.parametrize("name,args", [("lstm_classifier", (50,)),
                                       ("transformer_classifier", (50, 12))])
def test_sequence_twins_take_the_same_steps_from_the_same_weights(
        name, args, optimizer):
    """Mismos pesos iniciales (``convert``) y un lote por época: la LSTM
    y el Transformer enmascarados aprenden lo mismo en los dos marcos,
    paso a paso (Keras sobre probabilidades, PyTorch sobre logits con
    ``nn.BCEWithLogitsLoss``). En la LSTM de PyTorch, b_hh está
    congelado (``single_bias_lstm``): si también se entrenara, la suma de
    los dos sesgos se movería el doble y las pérdidas se separarían.
    Adam va con la fórmula de la clase en los dos marcos (``Adam`` de
    ``esenciales.<marco>.optimizers``): los ``Adam`` de Keras y de
    PyTorch ponen ε en lugares distintos."""
    from esenciales.convert import keras_to_torch
    from esenciales.keras import models as kmodels
    from esenciales.keras import optimizers as kopt
    from esenciales.torch import models as tmodels
    from esenciales.torch import optimizers as topt

    rng = np.random.default_rng(0)
    x = rng.integers(1, 50, size=(32, 12)).astype("int32")
    x[np.arange(12) < rng.integers(0, 8, size=32)[:, None]] = 0  # relleno
    y = rng.integers(0, 2, size=(32, 1)).astype("float32")
    keras_model = getattr(kmodels, name)(*args)
    torch_model = keras_to_torch(keras_model, getattr(tmodels, name)(*args))
    options = dict(epochs=3, batch_size=32, loss="binary_crossentropy",
                   verbose=0)
    if optimizer == "sgd":
        keras_optimizer, torch_optimizer = "sgd", "sgd"
    else:
        keras_optimizer, torch_optimizer = kopt.Adam(), topt.Adam
    h_keras = ktrain.fit(keras_model, x, y, optimizer=keras_optimizer,
                         **options)
    h_torch = ttrain.fit(torch_model, x, y, optimizer=torch_optimizer,
                         **options)
    np.testing.assert_allclose(h_torch["loss"], h_keras["loss"], rtol=1e-5)
    np.testing.assert_allclose(ttrain.predict(torch_model, x),
                               ktrain.predict(keras_model, x), atol=1e-5)


def test_a_trainable_second_lstm_bias_takes_twice_the_step():
    """El control de la prueba anterior: con b_hh entrenable (la
    ``nn.LSTM`` de siempre), un paso de SGD mueve la suma de los sesgos
    el doble que en Keras."""
    from esenciales.convert import keras_to_torch
    from esenciales.keras import models as kmodels
    from esenciales.torch import models as tmodels

    rng = np.random.default_rng(0)
    x = rng.integers(1, 50, size=(32, 12)).astype("int32")
    y = rng.integers(0, 2, size=(32, 1)).astype("float32")
    keras_model = kmodels.lstm_classifier(50)
    torch_model = keras_to_torch(keras_model, tmodels.lstm_classifier(50))
    torch_model.lstm.bias_hh_l0.requires_grad_(True)
    before = keras_model.layers[1].get_weights()[2]
    options = dict(epochs=1, batch_size=32, optimizer="sgd",
                   loss="binary_crossentropy", verbose=0)
    ktrain.fit(keras_model, x, y, **options)
    ttrain.fit(torch_model, x, y, **options)
    keras_step = keras_model.layers[1].get_weights()[2] - before
    lstm = torch_model.lstm
    torch_step = (lstm.bias_ih_l0 + lstm.bias_hh_l0).detach().numpy() \
        - before
    np.testing.assert_allclose(torch_step, 2 * keras_step, rtol=1e-3,
                               atol=1e-8)
