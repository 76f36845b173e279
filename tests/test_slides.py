"""Los programas de las diapositivas: texto intacto, ejecutado y en caché."""

import hashlib
from pathlib import Path

import numpy as np
import pytest

from esenciales import slides

LECTURE = Path("/work/shared/seed/000_f75abb0b5a3e71c0.txt")
CNN_MNIST_SHA256 = (
    "c1ae37906e53109d5408aeb548d4f15f1f7e671e92018c4dd5c52b69f2e6f3df")
"""sha256 del programa «CNN para MNIST en 15 líneas» copiado de la clase."""


@pytest.fixture(autouse=True)
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("ESENCIALES_CACHE", str(tmp_path))
    return tmp_path


def test_the_program_is_the_slide_verbatim():
    text = slides.source("cnn_mnist")
    assert hashlib.sha256(text.encode()).hexdigest() == CNN_MNIST_SHA256
    if LECTURE.exists():  # el texto de la clase, donde está a mano
        assert text.strip() in LECTURE.read_text(encoding="utf-8")
    for line in ("loss='categorical_crossentropy'", "optimizer='adam'",
                 "y_train = to_categorical(y_train,10)",
                 "model.fit(X_train,y_train,epochs=5,batch_size=128,"):
        assert line in text


def test_unknown_program_is_one_spanish_error():
    with pytest.raises(ValueError, match="no hay un programa"):
        slides.source("resnet")


def _tiny_mnist():
    rng = np.random.default_rng(0)
    x = rng.integers(0, 256, (300, 28, 28), dtype=np.uint8)
    y = rng.integers(0, 10, 300).astype(np.uint8)
    return (x[:200], y[:200]), (x[200:], y[200:])


def test_execute_runs_the_text_unchanged_on_the_given_data():
    from keras.datasets import mnist

    original = mnist.load_data
    record = slides.execute(slides.source("cnn_mnist"),
                            load_data=_tiny_mnist)
    assert mnist.load_data is original          # la descarga vuelve
    history = record["history"]
    assert len(history["loss"]) == 5            # epochs=5
    assert len(history["val_accuracy"]) == 5    # validation_split=0.1
    # Diez clases equiprobables: la entropía cruzada parte cerca de ln 10.
    assert abs(history["loss"][0] - np.log(10)) < 0.5
    assert any("input_shape" in w for w in record["warnings"])


def test_run_executes_once_and_the_key_follows_the_text(monkeypatch):
    calls = []

    def fake(text, filename="", load_data=None):
        calls.append(text)
        return {"history": {"loss": [1.0, 0.5]}, "test": {"accuracy": 0.9},
                "seconds": 2.0, "warnings": []}

    monkeypatch.setattr(slides, "execute", fake)
    first = slides.run("cnn_mnist")
    second = slides.run("cnn_mnist")
    assert len(calls) == 1
    assert first == second and first.seconds_per_epoch == 1.0
    changed = slides.source("cnn_mnist").replace("epochs=5", "epochs=6")
    monkeypatch.setattr(slides, "source", lambda name: changed)
    slides.run("cnn_mnist")
    assert len(calls) == 2 and calls[1] == changed
