"""Entrenar modelos de PyTorch con la interfaz de ``model.fit`` de Keras.

``fit`` hace lo que en Keras hacen ``compile`` y ``fit``: baraja los datos
en cada época, los recorre por lotes (*batches*) con propagación hacia
adelante, pérdida, retropropagación y paso del optimizador, y devuelve el
historial con las mismas claves que Keras (``loss``, ``accuracy``,
``val_loss``, ``val_accuracy``).
"""

import copy
import math
import random
import sys

import numpy as np
import torch
from tqdm import tqdm

from esenciales.runs.schedules import warmup_cosine
from esenciales.torch import losses
from esenciales.torch.regularization import regularization_loss

EPSILON = 1e-7
"""El ε de Keras para los optimizadores."""

OPTIMIZERS = {
    "sgd": (torch.optim.SGD, {"lr": 0.01}),
    "adam": (torch.optim.Adam, {"lr": 0.001, "eps": EPSILON}),
    "rmsprop": (torch.optim.RMSprop, {"lr": 0.001, "alpha": 0.9,
                                      "eps": EPSILON}),
    "adagrad": (torch.optim.Adagrad, {"lr": 0.001, "eps": EPSILON,
                                      "initial_accumulator_value": 0.1}),
    "adamw": (torch.optim.AdamW, {"lr": 0.001, "eps": EPSILON,
                                  "weight_decay": 0.004}),
    "nadam": (torch.optim.NAdam, {"lr": 0.001, "eps": EPSILON}),
}
"""Optimizadores por nombre: los de ``torch.optim`` con los valores por
omisión de Keras. Adam y RMSprop ponen ε en otro lugar que Keras; para
usar las fórmulas de la clase, pase uno de ``esenciales.torch.optimizers``."""


def set_seed(seed):
    """Fija las semillas de Python, NumPy y PyTorch.

    Llamarla antes de construir un modelo hace reproducible su
    inicialización; ``fit`` la llama al empezar.
    """
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def resolve_device(device):
    """Traduce ``"auto"``, ``"cpu"`` o ``"cuda"`` a un dispositivo real."""
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cuda" and not torch.cuda.is_available():
        raise ValueError(
            "Se pidió device='cuda', pero PyTorch no encuentra ninguna GPU;"
            " use device='cpu' o device='auto'."
        )
    if device not in ("cpu", "cuda"):
        raise ValueError(
            f"Dispositivo desconocido: {device!r}; use 'auto', 'cpu' o "
            "'cuda'."
        )
    return device


LOSSES = {
    "sparse_categorical_crossentropy": losses.sparse_categorical_crossentropy,
    "categorical_crossentropy": losses.categorical_crossentropy,
    "binary_crossentropy": losses.binary_crossentropy,
    "mse": losses.mean_squared_error,
    "mean_squared_error": losses.mean_squared_error,
}
"""Pérdidas por nombre (las de ``esenciales.torch.losses``, sobre
probabilidades), con los nombres de Keras."""


def get_loss(loss):
    """Devuelve la función de pérdida ``loss(y_true, y_pred)``."""
    if callable(loss):
        return loss
    if loss not in LOSSES:
        raise ValueError(
            f"Pérdida desconocida: {loss!r}; use una de {sorted(LOSSES)} o "
            "una función loss(y_true, y_pred)."
        )
    return LOSSES[loss]


def get_optimizer(optimizer, model):
    """El optimizador: por nombre (``"adam"``), ya construido, o una
    función que lo construye con los parámetros entrenables."""
    if isinstance(optimizer, torch.optim.Optimizer):
        return optimizer
    params = [p for p in model.parameters() if p.requires_grad]
    if callable(optimizer):
        return optimizer(params)
    if optimizer not in OPTIMIZERS:
        raise ValueError(
            f"Optimizador desconocido: {optimizer!r}; use uno de "
            f"{sorted(OPTIMIZERS)} o un torch.optim.Optimizer."
        )
    cls, defaults = OPTIMIZERS[optimizer]
    return cls(params, **defaults)


def accuracy(y_true, y_pred):
    """Exactitud del lote, con la regla de Keras para ``"accuracy"``.

    Salida de una columna: binaria (umbral 0,5); etiquetas *one-hot*:
    argmax contra argmax; etiquetas enteras: argmax contra la etiqueta.
    """
    if y_pred.ndim == 1 or y_pred.shape[-1] == 1:
        y_true = y_true.reshape(y_pred.shape)
        return ((y_pred > 0.5) == (y_true > 0.5)).float().mean()
    if y_true.ndim == y_pred.ndim:
        y_true = y_true.argmax(dim=-1)
    return (y_pred.argmax(dim=-1) == y_true).float().mean()


def get_metrics(metrics):
    """Traduce los nombres de métricas (solo ``"accuracy"``) a funciones."""
    known = {"accuracy": accuracy, "acc": accuracy}
    for name in metrics:
        if name not in known:
            raise ValueError(
                f"Métrica desconocida: {name!r}; este fit admite 'accuracy'."
            )
    return {"accuracy": known[name] for name in metrics}


def as_tensors(x, y, loss, device):
    """Convierte datos de NumPy en tensores en ``device``.

    Las etiquetas enteras quedan como ``long`` para la entropía cruzada
    dispersa o una pérdida propia; el resto pasa a ``float32``, y un
    objetivo de una dimensión pasa a (N, 1), como la salida sigmoide.
    """
    x = torch.tensor(np.asarray(x), device=device)
    y = torch.tensor(np.asarray(y), device=device)
    integer = not (y.is_floating_point() or y.dtype == torch.bool)
    if integer and (loss == "sparse_categorical_crossentropy"
                    or callable(loss)):
        return x, y.long()
    y = y.float()
    return x, y.reshape(-1, 1) if y.ndim == 1 else y


def split_validation(x, y, validation_split):
    """Separa la última fracción de los datos para validar, como Keras.

    Keras toma la validación del final, antes de barajar: con
    ``validation_split=0.1`` valida con el último 10 % de los ejemplos.
    """
    if not 0.0 <= validation_split < 1.0:
        raise ValueError(
            "validation_split debe estar en [0, 1); llegó "
            f"{validation_split}."
        )
    split_at = int(math.floor(len(x) * (1.0 - validation_split)))
    return (x[:split_at], y[:split_at]), (x[split_at:], y[split_at:])


class Callback:
    """Base de los *callbacks*, como ``keras.callbacks.Callback``.

    ``fit`` asigna ``self.model`` y ``self.optimizer`` antes de entrenar.
    Para detener el entrenamiento, un callback pone
    ``self.model.stop_training = True``.
    """

    model = None
    optimizer = None

    def on_train_begin(self, logs=None):
        """Se llama una vez, antes de la primera época."""

    def on_epoch_begin(self, epoch, logs=None):
        """Se llama al comenzar cada época."""

    def on_epoch_end(self, epoch, logs=None):
        """Se llama al terminar cada época, con sus métricas en ``logs``."""

    def on_train_end(self, logs=None):
        """Se llama una vez, al terminar el entrenamiento."""


class EarlyStopping(Callback):
    """Parada temprana (*early stopping*), como en Keras.

    Detiene el entrenamiento cuando ``monitor`` deja de mejorar (en más de
    ``min_delta``) durante ``patience`` épocas. Con
    ``restore_best_weights=True`` deja al final los pesos de la mejor
    época. La clase lo recomienda para evitar el sobreajuste.
    """

    def __init__(self, monitor="val_loss", min_delta=0.0, patience=0,
                 mode="auto", restore_best_weights=False):
        if mode == "auto":
            mode = "max" if "acc" in monitor or "auc" in monitor else "min"
        if mode not in ("min", "max"):
            raise ValueError(f"mode debe ser 'auto', 'min' o 'max': {mode!r}")
        self.monitor = monitor
        self.min_delta = abs(min_delta)
        self.patience = patience
        self.sign = 1.0 if mode == "max" else -1.0
        self.restore_best_weights = restore_best_weights

    def on_train_begin(self, logs=None):
        self.wait = 0
        self.best = None
        self.best_epoch = 0
        self.best_weights = None
        self.stopped_epoch = 0

    def on_epoch_end(self, epoch, logs=None):
        if self.monitor not in logs:
            raise ValueError(
                f"EarlyStopping vigila {self.monitor!r}, que no está entre "
                f"las métricas: {sorted(logs)}."
            )
        current = logs[self.monitor]
        self.wait += 1
        if self.best is None or self._improves(current):
            self.best, self.best_epoch, self.wait = current, epoch, 0
            if self.restore_best_weights:
                self.best_weights = copy.deepcopy(self.model.state_dict())
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.restore_best_weights and self.best_weights is not None:
            self.model.load_state_dict(self.best_weights)

    def _improves(self, current):
        return self.sign * (current - self.best) > self.min_delta


class WarmupCosine(Callback):
    """*Callback* que fija la tasa ``warmup_cosine`` al empezar cada época.

    Como ``keras.callbacks.LearningRateScheduler``, anota la tasa usada
    en el historial, bajo la clave ``learning_rate``.
    """

    def __init__(self, base_lr, warmup_epochs, total_epochs, min_lr=0.0):
        self.schedule = (base_lr, warmup_epochs, total_epochs, min_lr)

    def on_epoch_begin(self, epoch, logs=None):
        self.learning_rate = warmup_cosine(epoch, *self.schedule)
        for group in self.optimizer.param_groups:
            group["lr"] = self.learning_rate

    def on_epoch_end(self, epoch, logs=None):
        logs["learning_rate"] = self.learning_rate


def fit(model, x, y, *, epochs=5, batch_size=128, optimizer="adam",
        loss="sparse_categorical_crossentropy", metrics=("accuracy",),
        validation_split=0.0, validation_data=None, callbacks=(), seed=0,
        verbose=1, device="auto"):
    """Entrena ``model`` como ``model.compile`` + ``model.fit`` de Keras.

    ``x``: (N, ...) ``float32``; ``y``: (N,) etiquetas enteras, (N, K)
    *one-hot* u objetivos reales, según ``loss``. Devuelve el historial:
    un diccionario de listas, una entrada por época, con las claves de
    Keras (``loss``, ``accuracy``, ``val_loss``, ``val_accuracy``).
    Es el ciclo de la clase: propagación, pérdida, retropropagación y
    actualización, repetido por lotes y épocas.
    """
    device = resolve_device(device)
    set_seed(seed)
    model.to(device)
    optimizer = get_optimizer(optimizer, model)
    loss_fn, metric_fns = get_loss(loss), get_metrics(metrics)
    if validation_data is None and validation_split > 0:
        (x, y), validation_data = split_validation(x, y, validation_split)
    x, y = as_tensors(x, y, loss, device)
    if validation_data is not None:
        validation_data = as_tensors(*validation_data, loss, device)
    shuffler = torch.Generator().manual_seed(seed)
    model.stop_training = False
    for callback in callbacks:
        callback.model, callback.optimizer = model, optimizer
        callback.on_train_begin()
    history = {}
    for epoch in range(epochs):
        for callback in callbacks:
            callback.on_epoch_begin(epoch)
        bar = progress_bar(len(x), batch_size, epoch, epochs, verbose)
        order = torch.randperm(len(x), generator=shuffler).to(device)
        logs = train_epoch(model, x[order], y[order], optimizer, loss_fn,
                           metric_fns, batch_size, bar)
        if validation_data is not None:
            scores = evaluate_tensors(model, *validation_data, loss_fn,
                                      metric_fns, batch_size)
            logs.update({"val_" + k: v for k, v in scores.items()})
        for callback in callbacks:
            callback.on_epoch_end(epoch, logs)
        for key, value in logs.items():
            history.setdefault(key, []).append(value)
        report_epoch(bar, logs, epoch, epochs, verbose)
        if model.stop_training:
            break
    for callback in callbacks:
        callback.on_train_end()
    model.eval()  # fuera de fit, el modelo predice (sin dropout)
    return history


def fit_vae(model, x, *, epochs=10, batch_size=128, optimizer="adam",
            validation_split=0.0, seed=0, verbose=1, device="auto"):
    """Entrena un ``vae()`` minimizando la ELBO: reconstrucción + KL.

    ``x``: (N, 784) en [0, 1]; el objetivo es reconstruir la misma ``x``.
    El modelo devuelve (x̂, μ, log σ²) y la pérdida es
    ``losses.elbo(x, x̂, μ, log σ²)``. Devuelve el historial (``loss`` y,
    si hay validación, ``val_loss``), como ``fit``.
    """
    def negative_elbo(x_true, outputs):
        return losses.elbo(x_true, *outputs)

    return fit(model, x, x, epochs=epochs, batch_size=batch_size,
               optimizer=optimizer, loss=negative_elbo, metrics=(),
               validation_split=validation_split, seed=seed,
               verbose=verbose, device=device)


def train_epoch(model, x, y, optimizer, loss_fn, metric_fns, batch_size,
                bar):
    """Una época de entrenamiento sobre ``x``, ``y`` ya barajados.

    Devuelve la pérdida y las métricas promediadas sobre los ejemplos,
    acumuladas lote a lote mientras los pesos cambian (como Keras).
    """
    model.train()
    batches = {**{name: [] for name in metric_fns}, "loss": []}
    sizes = []
    for start in range(0, len(x), batch_size):
        x_batch = x[start:start + batch_size]
        y_batch = y[start:start + batch_size]
        y_pred = model(x_batch)
        loss = loss_fn(y_batch, y_pred) + regularization_loss(model)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        sizes.append(len(x_batch))
        batches["loss"].append(loss.detach())
        for name, metric in metric_fns.items():
            batches[name].append(metric(y_batch, y_pred.detach()))
        if bar is not None:
            bar.update(1)
    return weighted_means(batches, sizes)


def weighted_means(batches, sizes):
    """Promedia los valores de cada lote, ponderados por su tamaño.

    Los valores quedan en el dispositivo hasta el final de la época: así
    no se espera a la GPU en cada lote.
    """
    weights = torch.tensor(sizes, dtype=torch.float32) / sum(sizes)
    return {name: float(torch.stack(values).float().cpu() @ weights)
            for name, values in batches.items()}


@torch.no_grad()
def evaluate_tensors(model, x, y, loss_fn, metric_fns, batch_size):
    """Pérdida y métricas de ``model`` en modo de inferencia, por lotes."""
    model.eval()
    batches = {**{name: [] for name in metric_fns}, "loss": []}
    sizes = []
    penalty = regularization_loss(model)
    for start in range(0, len(x), batch_size):
        x_batch = x[start:start + batch_size]
        y_batch = y[start:start + batch_size]
        y_pred = model(x_batch)
        sizes.append(len(x_batch))
        batches["loss"].append(loss_fn(y_batch, y_pred) + penalty)
        for name, metric in metric_fns.items():
            batches[name].append(metric(y_batch, y_pred))
    return weighted_means(batches, sizes)


def evaluate(model, x, y, *, batch_size=128,
             loss="sparse_categorical_crossentropy", metrics=("accuracy",),
             device="auto"):
    """Pérdida y métricas de ``model`` sobre ``x``, ``y``, como Keras.

    Devuelve un diccionario, p. ej. ``{"loss": 0.05, "accuracy": 0.98}``.
    """
    device = resolve_device(device)
    model.to(device)
    x, y = as_tensors(x, y, loss, device)
    return evaluate_tensors(model, x, y, get_loss(loss), get_metrics(metrics),
                            batch_size)


@torch.no_grad()
def predict(model, x, *, batch_size=128, device="auto"):
    """Salidas de ``model`` para ``x``, por lotes, como arreglo de NumPy."""
    device = resolve_device(device)
    model.to(device).eval()
    x = torch.tensor(np.asarray(x), device=device)
    outputs = [model(x[start:start + batch_size]).cpu()
               for start in range(0, len(x), batch_size)]
    return torch.cat(outputs).numpy()


def progress_bar(n, batch_size, epoch, epochs, verbose):
    """Barra de progreso de la época (``tqdm``), solo en una terminal."""
    if verbose != 1 or not sys.stderr.isatty():
        return None
    return tqdm(total=math.ceil(n / batch_size), unit="lote", leave=True,
                desc=f"Época {epoch + 1}/{epochs}")


def report_epoch(bar, logs, epoch, epochs, verbose):
    """Muestra las métricas de la época: en la barra o en una línea."""
    summary = " - ".join(f"{k}: {v:.4f}" for k, v in logs.items())
    if bar is not None:
        bar.set_postfix_str(summary)
        bar.close()
    elif verbose:
        print(f"Época {epoch + 1}/{epochs} - {summary}")
