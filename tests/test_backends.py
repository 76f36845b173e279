"""Los gemelos de Keras corren en los tres backends de Keras 3.

Cada backend (TensorFlow, JAX y PyTorch) en su propio proceso, porque
Keras lo elige una sola vez, al importarse (``KERAS_BACKEND``). En cada
uno: todos los modelos se construyen y entrenan un paso con ``fit`` (el
VAE con ``fit_vae``), ``resolve_device("auto")`` responde, las pérdidas
del libro dan lo mismo que NumPy y los optimizadores escritos desde su
fórmula dan lo mismo que los de Keras.
"""

import json
import os
import subprocess
import sys

import numpy as np
import pytest

SCRIPT = r'''
import json
import numpy as np
import keras
from esenciales.keras import losses, models, optimizers, regularization
from esenciales.keras import training

rng = np.random.default_rng(0)
report = {"backend": keras.backend.backend(), "fit": {}, "losses": {},
          "optimizers": {}}

def images(n, shape):
    return rng.uniform(size=(n, *shape)).astype("float32")

tokens = rng.integers(1, 50, size=(16, 12)).astype("int32")
binary = rng.integers(0, 2, size=16).astype("float32")
classes = rng.integers(0, 10, size=16).astype("int32")
cases = {
    "neuron": (models.neuron(4), images(16, (4,)), binary, "mse"),
    "mlp": (models.mlp(), images(16, (784,)), classes, None),
    "cnn": (models.cnn(), images(16, (32, 32, 3)), classes, None),
    "mnist_cnn": (models.mnist_cnn(), images(16, (28, 28, 1)), classes,
                  None),
    "mlp_minimal": (models.mlp_minimal(), images(16, (10,)), binary,
                    "binary_crossentropy"),
    "lstm_classifier": (models.lstm_classifier(50), tokens, binary,
                        "binary_crossentropy"),
    "transformer_classifier": (models.transformer_classifier(50, 12),
                               tokens, binary, "binary_crossentropy"),
    "autoencoder": (models.autoencoder(), images(16, (784,)), None,
                    "binary_crossentropy"),
    "regularized_cnn": (regularization.regularized_cnn(
        dropout=0.2, l2=1e-4, batch_norm=True, augment=True),
        images(16, (28, 28, 1)), classes, None),
}
for name, (model, x, y, loss) in cases.items():
    y = x if y is None else y
    kwargs = {"loss": loss} if loss else {}
    metrics = () if loss in ("mse", "binary_crossentropy") and \
        name in ("neuron", "autoencoder") else ("accuracy",)
    history = training.fit(model, x, y, epochs=1, batch_size=8,
                           metrics=metrics, verbose=0, device="cpu",
                           **kwargs)
    report["fit"][name] = history["loss"][0]
history = training.fit_vae(models.vae(), images(16, (784,)), epochs=1,
                           batch_size=8, verbose=0, device="cpu")
report["fit"]["vae"] = history["loss"][0]

p = rng.dirichlet(np.ones(5), size=4).astype("float32")
onehot = np.eye(5, dtype="float32")[rng.integers(0, 5, size=4)]
report["losses"]["categorical_crossentropy"] = [
    float(losses.categorical_crossentropy(onehot, p)),
    float(-np.mean(np.sum(onehot * np.log(p), axis=1)))]
report["losses"]["mean_squared_error"] = [
    float(losses.mean_squared_error(onehot, p)),
    float(np.mean((onehot - p) ** 2))]

for name in ("SGD", "Adam", "RMSprop", "Adagrad", "Nadam"):
    start = rng.normal(size=(3, 2)).astype("float32")
    grads = [rng.normal(size=(3, 2)).astype("float32") for _ in range(5)]
    finals = []
    for optimizer in (getattr(optimizers, name)(),
                      getattr(keras.optimizers, name)()):
        variable = keras.Variable(start)
        for g in grads:
            optimizer.apply([keras.ops.convert_to_tensor(g)], [variable])
        finals.append(keras.ops.convert_to_numpy(variable).tolist())
    report["optimizers"][name] = finals
from esenciales import frameworks

report["device"] = [training.resolve_device("auto"),
                    frameworks.cuda_available("keras")]
print(json.dumps(report))
'''


@pytest.mark.parametrize("backend", ["tensorflow", "jax", "torch"])
def test_keras_twins_train_on_each_backend(backend):
    env = {**os.environ, "KERAS_BACKEND": backend,
           "TF_CPP_MIN_LOG_LEVEL": "3", "JAX_PLATFORMS": "cpu",
           "CUDA_VISIBLE_DEVICES": ""}
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["backend"] == backend
    # El dispositivo «auto» del gemelo pregunta al backend lo mismo que
    # esenciales.frameworks (aquí, sin GPU visible).
    assert report["device"] == ["cpu:0", False]
    assert len(report["fit"]) == 10
    assert all(np.isfinite(loss) for loss in report["fit"].values())
    for name, (ours, numpy) in report["losses"].items():
        assert ours == pytest.approx(numpy, rel=1e-5), name
    for name, (formula, builtin) in report["optimizers"].items():
        # Adam, RMSprop y Nadam ponen ε (y Nadam su μₜ) en otro lugar
        # que Keras: tests/test_optimizers.py fija esas diferencias; aquí
        # basta que la fórmula corra igual en cada backend.
        np.testing.assert_allclose(formula, builtin, atol=1e-3,
                                   err_msg=name)
