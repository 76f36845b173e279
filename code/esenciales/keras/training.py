"""Entrenar modelos de Keras: ``compile`` + ``fit``, como en la clase.

Las funciones tienen las mismas firmas que ``esenciales.torch.training``;
aquí casi todo el trabajo lo hace Keras.
"""

import keras

from esenciales.frameworks import choose_device, keras_device
from esenciales.keras import losses

EarlyStopping = keras.callbacks.EarlyStopping
"""Parada temprana (*early stopping*): el *callback* de Keras, tal cual."""


def set_seed(seed):
    """Fija las semillas de Python, NumPy y del *backend* de Keras.

    Llamarla antes de construir un modelo hace reproducible su
    inicialización; ``fit`` la llama al empezar.
    """
    keras.utils.set_random_seed(seed)


def resolve_device(device):
    """Traduce ``"auto"``, ``"cpu"`` o ``"cuda"`` a un dispositivo de Keras.

    ``"auto"`` elige la GPU si el backend de Keras ve una; ``"cuda"`` sin
    GPU es un error (``DeviceError``). Devuelve el nombre que espera
    ``keras.device``: ``"cpu:0"`` o ``"gpu:0"``.
    """
    return keras_device(choose_device(device, _gpu_visible, "Keras"))


def _gpu_visible():
    """¿Ve el backend de Keras alguna GPU? Keras no tiene una pregunta
    común a sus tres backends: cada uno responde a su manera."""
    backend = keras.backend.backend()
    if backend == "torch":
        import torch

        return torch.cuda.is_available()
    if backend == "jax":
        import jax

        return any(d.platform == "gpu" for d in jax.devices())
    import tensorflow as tf

    return bool(tf.config.list_physical_devices("GPU"))


class _StepSchedule(keras.callbacks.Callback):
    """Fija la tasa de aprendizaje al empezar cada lote: ``schedule(paso)``.

    ``LearningRateScheduler`` de Keras cambia la tasa una vez por época;
    este *callback* lo hace en cada paso y anota la tasa usada en
    ``rates`` (una por paso, como el gemelo PyTorch).
    """

    def __init__(self, schedule):
        super().__init__()
        self.schedule = schedule
        self.rates = []

    def on_train_batch_begin(self, batch, logs=None):
        rate = float(self.schedule(len(self.rates)))
        self.model.optimizer.learning_rate = rate
        self.rates.append(rate)


def fit(model, x, y, *, epochs=5, batch_size=128, optimizer="adam",
        loss="sparse_categorical_crossentropy", metrics=("accuracy",),
        validation_split=0.0, validation_data=None, callbacks=(),
        schedule=None, seed=0, verbose=1, device="auto"):
    """Entrena ``model`` con ``model.compile`` y ``model.fit`` de Keras.

    ``x``: (N, ...) ``float32``; ``y``: (N,) etiquetas enteras, (N, K)
    *one-hot* u objetivos reales, según ``loss``. ``schedule``: función
    paso → tasa de aprendizaje, aplicada lote a lote. Devuelve el
    historial: una entrada por época (``loss``, ``accuracy``,
    ``val_loss``, ``val_accuracy``) y, con ``schedule``,
    ``learning_rate_per_step``. Es el ``compile``/``fit`` de la clase.
    """
    device = resolve_device(device)
    set_seed(seed)
    callbacks = _with_schedule(callbacks, schedule)
    model.compile(optimizer=optimizer, loss=loss, metrics=list(metrics))
    with keras.device(device):
        history = model.fit(
            x, y, epochs=epochs, batch_size=batch_size,
            validation_split=validation_split,
            validation_data=validation_data, callbacks=callbacks,
            verbose=verbose,
        )
    return _with_rates(history.history, callbacks)


def _with_schedule(callbacks, schedule):
    """Los *callbacks* de ``fit``, más el del calendario si lo hay."""
    callbacks = list(callbacks)
    if schedule is not None:
        callbacks.append(_StepSchedule(schedule))
    return callbacks


def _with_rates(history, callbacks):
    """El historial de Keras, y la tasa de cada paso si hubo calendario."""
    history = dict(history)
    for callback in callbacks:
        if isinstance(callback, _StepSchedule):
            history["learning_rate_per_step"] = callback.rates
    return history


class _ELBOModel(keras.Model):
    """Envuelve un ``vae()`` para que ``fit`` de Keras minimice la ELBO.

    El VAE devuelve [x̂, μ, log σ²]; la pérdida no compara x̂ con una
    etiqueta, sino que combina las tres salidas con la entrada. Keras
    permite eso sobrescribiendo ``compute_loss``.
    """

    def __init__(self, vae, **kwargs):
        super().__init__(**kwargs)
        self.vae = vae

    def call(self, x, training=False):
        return self.vae(x, training=training)

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None,
                     training=True):
        return losses.elbo(x, *y_pred)


def fit_vae(model, x, *, epochs=10, batch_size=128, optimizer="adam",
            validation_split=0.0, callbacks=(), schedule=None, seed=0,
            verbose=1, device="auto"):
    """Entrena un ``vae()`` minimizando la ELBO: reconstrucción + KL.

    ``x``: (N, 784) en [0, 1]; el objetivo es reconstruir la misma ``x``.
    Devuelve el historial (``loss`` y, si hay validación, ``val_loss``),
    como ``fit``. Los pesos entrenados quedan en ``model``.
    """
    device = resolve_device(device)
    set_seed(seed)
    callbacks = _with_schedule(callbacks, schedule)
    trainer = _ELBOModel(model, name="elbo_model")
    trainer.compile(optimizer=optimizer)
    with keras.device(device):
        history = trainer.fit(x, epochs=epochs, batch_size=batch_size,
                              validation_split=validation_split,
                              callbacks=callbacks, verbose=verbose)
    return _with_rates(history.history, callbacks)


def evaluate(model, x, y, *, batch_size=128,
             loss="sparse_categorical_crossentropy", metrics=("accuracy",),
             device="auto"):
    """Pérdida y métricas de ``model`` sobre ``x``, ``y``, como Keras.

    Devuelve un diccionario, p. ej. ``{"loss": 0.05, "accuracy": 0.98}``.
    """
    device = resolve_device(device)
    optimizer = getattr(model, "optimizer", None) or "adam"
    model.compile(optimizer=optimizer, loss=loss, metrics=list(metrics))
    with keras.device(device):
        return model.evaluate(x, y, batch_size=batch_size, verbose=0,
                              return_dict=True)


def predict(model, x, *, batch_size=128, device="auto"):
    """Salidas de ``model`` para ``x``, por lotes, como arreglo de NumPy."""
    with keras.device(resolve_device(device)):
        return model.predict(x, batch_size=batch_size, verbose=0)
