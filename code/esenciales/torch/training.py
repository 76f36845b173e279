"""Entrenar modelos de PyTorch con el ciclo explícito de siempre.

``fit`` es el ciclo que escribe cualquier proyecto de PyTorch: los datos
en un ``DataLoader``, y por cada lote ``zero_grad``, propagación hacia
adelante, pérdida, ``backward`` y ``step``; al final de la época,
``eval()`` y ``no_grad()`` para medir. Le agrega solo el historial (las
mismas claves que Keras: ``loss``, ``accuracy``, ``val_loss``,
``val_accuracy``) y una barra de progreso. Los modelos devuelven
*logits* y las pérdidas son las de ``torch.nn``, que los reciben.
"""

import copy
import math
import random
import sys

import numpy as np
import torch
from torch import nn
from torch.utils.data import (BatchSampler, DataLoader, RandomSampler,
                              SequentialSampler, TensorDataset)
from tqdm import tqdm

from esenciales.frameworks import choose_device
from esenciales.torch import losses
from esenciales.torch.regularization import regularization_loss

EPSILON = 1e-7
"""El ε de Keras para los optimizadores."""

OPTIMIZERS = {
    "sgd": (torch.optim.SGD, {"lr": 0.01}),
    "adam": (torch.optim.Adam, {"lr": 0.001, "eps": EPSILON,
                                "fused": True}),
    "rmsprop": (torch.optim.RMSprop, {"lr": 0.001, "alpha": 0.9,
                                      "eps": EPSILON}),
    "adagrad": (torch.optim.Adagrad, {"lr": 0.001, "eps": EPSILON,
                                      "initial_accumulator_value": 0.1}),
    "adamw": (torch.optim.AdamW, {"lr": 0.001, "eps": EPSILON,
                                  "weight_decay": 0.004, "fused": True}),
    "nadam": (torch.optim.NAdam, {"lr": 0.001, "eps": EPSILON,
                                  "momentum_decay": 1.0}),
}
"""Optimizadores por nombre: los de ``torch.optim`` con los valores por
omisión de Keras. NAdam: Keras calcula μ_t = β₁(1 − 0,5·0,96^t), que en
PyTorch es ``momentum_decay=1`` (el de PyTorch, 0,004, calienta μ_t mucho
más lento). Adam y AdamW van con ``fused=True``: la misma fórmula en un
solo núcleo por tensor, más rápido en la CPU y en la GPU. Adam y RMSprop
ponen ε en otro lugar que Keras; para usar las fórmulas de la clase,
pasen uno de ``esenciales.torch.optimizers``."""


def set_seed(seed):
    """Fija las semillas de Python, NumPy y PyTorch.

    Llamarla antes de construir un modelo hace reproducible su
    inicialización; ``fit`` la llama al empezar.
    """
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def resolve_device(device):
    """Traduce ``"auto"``, ``"cpu"`` o ``"cuda"`` a un dispositivo real.

    ``"auto"`` elige la GPU si PyTorch ve una; ``"cuda"`` sin GPU es un
    error (``DeviceError``).
    """
    return choose_device(device, torch.cuda.is_available, "PyTorch")


LOSSES = {
    "sparse_categorical_crossentropy": nn.CrossEntropyLoss,
    "categorical_crossentropy": nn.CrossEntropyLoss,
    "binary_crossentropy": nn.BCEWithLogitsLoss,
    "mse": nn.MSELoss,
    "mean_squared_error": nn.MSELoss,
}
"""Pérdidas por nombre de Keras → la pérdida de ``torch.nn`` que recibe
logits. ``nn.CrossEntropyLoss`` acepta etiquetas enteras o *one-hot*."""


def get_loss(loss, model):
    """La pérdida ``loss_fn(salida, objetivo)``, en el orden de PyTorch.

    Por nombre de Keras (``"binary_crossentropy"``) o una función propia.
    Un modelo cuya salida ya es una probabilidad (el autoencoder, que
    termina en ``nn.Sigmoid``) usa ``nn.BCELoss`` en lugar de la de
    logits.
    """
    if callable(loss):
        return loss
    if loss not in LOSSES:
        raise ValueError(
            f"Pérdida desconocida: {loss!r}; valen {sorted(LOSSES)} o "
            "una función loss(y_pred, y_true)."
        )
    logits = returns_logits(model)
    if loss == "binary_crossentropy" and not logits:
        return nn.BCELoss()
    return LOSSES[loss]()


def returns_logits(model):
    """¿Devuelve ``model`` logits? Sí, si su última capa es ``nn.Linear``.

    Entonces ``predict`` les aplica la softmax (o, con una sola columna,
    la sigmoide). Si termina en otra capa (``nn.Sigmoid``, ``nn.ReLU``),
    su salida ya es la predicción. Se lee del modelo tal como lo muestra
    su listado, sin anotaciones; un modelo envuelto
    (``DistributedDataParallel``) se lee en ``model.module``.
    """
    layers = [m for m in getattr(model, "module", model).modules()
              if not list(m.children())]
    return isinstance(layers[-1], nn.Linear)


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
            f"Optimizador desconocido: {optimizer!r}; valen "
            f"{sorted(OPTIMIZERS)} o un torch.optim.Optimizer."
        )
    cls, defaults = OPTIMIZERS[optimizer]
    return cls(params, **defaults)


def correct_predictions(outputs, y):
    """Cuántas predicciones del lote aciertan (un tensor escalar).

    Una columna de logits: positiva si el logit es > 0 (probabilidad
    > 0,5); varias columnas: la clase de mayor logit, contra la etiqueta
    entera o el argmax del *one-hot*.
    """
    if outputs.shape[-1] == 1:
        return ((outputs > 0) == (y > 0.5)).sum()
    if y.ndim == outputs.ndim:
        y = y.argmax(dim=-1)
    return (outputs.argmax(dim=-1) == y).sum()


def check_metrics(metrics):
    """Acepta ``("accuracy",)`` o ``()``; otro nombre es un error."""
    for name in metrics:
        if name not in ("accuracy", "acc"):
            raise ValueError(
                f"Métrica desconocida: {name!r}; este fit admite "
                "'accuracy'."
            )
    return bool(metrics)


def as_tensors(x, y, loss_fn):
    """Convierte datos de NumPy en tensores para ``loss_fn``.

    ``nn.CrossEntropyLoss`` recibe etiquetas enteras (``long``) o
    *one-hot* (``float32``); el resto, ``float32``, y un objetivo de una
    dimensión pasa a (N, 1), la forma de la salida.
    """
    x = torch.tensor(np.asarray(x))  # una copia: el arreglo puede ser
    y = torch.tensor(np.asarray(y))  # de solo lectura
    integer = not (y.is_floating_point() or y.dtype == torch.bool)
    if integer and isinstance(loss_fn, nn.CrossEntropyLoss):
        return x, y.long().reshape(-1)
    if integer and not isinstance(loss_fn, nn.Module):
        return x, y.long()
    y = y.float()
    return x, y.reshape(-1, 1) if y.ndim == 1 else y


def data_loader(x, y, loss_fn, batch_size, shuffle=False, seed=0):
    """``TensorDataset`` + ``DataLoader``: los lotes de ``x`` e ``y``.

    Con ``shuffle=True`` baraja en cada época, con un generador propio
    sembrado con ``seed`` (el mismo orden en cada corrida). Los lotes
    salen en el mismo orden que con ``DataLoader(dataset, batch_size,
    shuffle=True, generator=...)``, pero el ``BatchSampler`` le pide al
    ``TensorDataset`` el lote entero de una vez, en lugar de un ejemplo
    a la vez: con modelos chicos, eso es buena parte del tiempo.
    """
    dataset = TensorDataset(*as_tensors(x, y, loss_fn))
    generator = torch.Generator().manual_seed(seed) if shuffle else None
    order = (RandomSampler(dataset, generator=generator) if shuffle
             else SequentialSampler(dataset))
    batches = BatchSampler(order, batch_size, drop_last=False)
    return DataLoader(dataset, sampler=batches, batch_size=None,
                      generator=generator)


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
            raise ValueError(
                f"mode debe ser 'auto', 'min' o 'max': {mode!r}")
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


def train_epoch(model, loader, loss_fn, optimizer, scheduler=None,
                device="cpu", rates=None):
    """Una época del ciclo de entrenamiento estándar de PyTorch.

    Por cada lote: gradientes a cero, propagación, pérdida,
    retropropagación y un paso del optimizador (y del calendario de la
    tasa, si hay). Devuelve las sumas de la época, para ``averages``.
    """
    model.train()
    totals = {"loss": 0.0, "correct": 0, "n": 0}
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        optimizer.zero_grad()
        outputs = model(x)
        loss = loss_fn(outputs, y) + regularization_loss(model)
        loss.backward()
        optimizer.step()
        if rates is not None:
            rates.append(optimizer.param_groups[0]["lr"])
        if scheduler is not None:
            scheduler.step()
        accumulate(totals, loss.detach(), outputs, y)
    return totals


@torch.no_grad()
def evaluate_loader(model, loader, loss_fn, device="cpu"):
    """Pérdida y aciertos sobre ``loader``: ``eval()`` y ``no_grad()``."""
    model.eval()
    totals = {"loss": 0.0, "correct": 0, "n": 0}
    penalty = regularization_loss(model)
    for x, y in loader:
        x, y = x.to(device), y.to(device)
        outputs = model(x)
        loss = loss_fn(outputs, y) + penalty
        accumulate(totals, loss, outputs, y)
    return totals


def accumulate(totals, loss, outputs, y):
    """Suma la pérdida y los aciertos de un lote (sin esperar a la GPU)."""
    n = len(y)
    totals["loss"] = totals["loss"] + loss * n
    if isinstance(outputs, torch.Tensor):
        totals["correct"] = totals["correct"] + correct_predictions(
            outputs, y)
    totals["n"] += n


def averages(totals, accuracy, prefix=""):
    """Las métricas de la época: ``{"loss": ..., "accuracy": ...}``."""
    logs = {prefix + "loss": float(totals["loss"]) / totals["n"]}
    if accuracy:
        logs[prefix + "accuracy"] = float(totals["correct"]) / totals["n"]
    return logs


def fit(model, x, y, *, epochs=5, batch_size=128, optimizer="adam",
        loss="sparse_categorical_crossentropy", metrics=("accuracy",),
        validation_split=0.0, validation_data=None, callbacks=(),
        schedule=None, seed=0, verbose=1, device="auto"):
    """Entrena ``model`` con el ciclo explícito de PyTorch.

    ``x``: (N, ...); ``y``: (N,) etiquetas enteras, (N, K) *one-hot* u
    objetivos reales, según ``loss`` (un nombre de Keras, traducido a su
    pérdida de ``torch.nn``). ``schedule``: función paso → tasa de
    aprendizaje, aplicada lote a lote. Devuelve el historial: una entrada
    por época (``loss``, ``accuracy``, ``val_loss``, ``val_accuracy``) y,
    con ``schedule``, ``learning_rate_per_step``.
    """
    device = resolve_device(device)
    set_seed(seed)
    model.to(device)
    optimizer = get_optimizer(optimizer, model)
    loss_fn, accuracy = get_loss(loss, model), check_metrics(metrics)
    if validation_data is None and validation_split > 0:
        (x, y), validation_data = split_validation(x, y, validation_split)
    train_loader = data_loader(x, y, loss_fn, batch_size, shuffle=True,
                               seed=seed)
    val_loader = None
    if validation_data is not None:
        val_loader = data_loader(*validation_data, loss_fn, batch_size)
    scheduler, rates = step_scheduler(optimizer, schedule)
    model.stop_training = False
    for callback in callbacks:
        callback.model, callback.optimizer = model, optimizer
        callback.on_train_begin()
    history = {}
    for epoch in range(epochs):
        for callback in callbacks:
            callback.on_epoch_begin(epoch)
        batches = progress(train_loader, epoch, epochs, verbose)
        totals = train_epoch(model, batches, loss_fn, optimizer, scheduler,
                             device, rates)
        logs = averages(totals, accuracy)
        if val_loader is not None:
            totals = evaluate_loader(model, val_loader, loss_fn, device)
            logs.update(averages(totals, accuracy, prefix="val_"))
        for callback in callbacks:
            callback.on_epoch_end(epoch, logs)
        for key, value in logs.items():
            history.setdefault(key, []).append(value)
        report_epoch(batches, logs, epoch, epochs, verbose)
        if model.stop_training:
            break
    for callback in callbacks:
        callback.on_train_end()
    model.eval()  # fuera de fit, el modelo predice (sin dropout)
    if rates is not None:
        history["learning_rate_per_step"] = rates
    return history


def step_scheduler(optimizer, schedule):
    """Un ``LambdaLR`` que sigue ``schedule(paso)``, y la lista de tasas.

    ``LambdaLR`` multiplica la tasa inicial del optimizador por un
    factor; lo elegimos para que la tasa sea exactamente
    ``schedule(paso)``. Sin calendario devuelve (None, None).
    """
    if schedule is None:
        return None, None
    base_lr = optimizer.param_groups[0]["lr"]
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: schedule(step) / base_lr)
    return scheduler, []


def fit_vae(model, x, *, epochs=10, batch_size=128, optimizer="adam",
            validation_split=0.0, callbacks=(), schedule=None, seed=0,
            verbose=1, device="auto"):
    """Entrena un ``vae()`` minimizando la ELBO: reconstrucción + KL.

    ``x``: (N, 784) en [0, 1]; el objetivo es reconstruir la misma ``x``.
    El modelo devuelve (x̂, μ, log σ²) y la pérdida es
    ``losses.elbo(x, x̂, μ, log σ²)``. Devuelve el historial (``loss`` y,
    si hay validación, ``val_loss``), como ``fit``.
    """
    def negative_elbo(outputs, x_true):
        return losses.elbo(x_true, *outputs)

    return fit(model, x, x, epochs=epochs, batch_size=batch_size,
               optimizer=optimizer, loss=negative_elbo, metrics=(),
               validation_split=validation_split, callbacks=callbacks,
               schedule=schedule, seed=seed, verbose=verbose, device=device)


def evaluate(model, x, y, *, batch_size=128,
             loss="sparse_categorical_crossentropy", metrics=("accuracy",),
             device="auto"):
    """Pérdida y métricas de ``model`` sobre ``x``, ``y``, como Keras.

    Devuelve un diccionario, p. ej. ``{"loss": 0.05, "accuracy": 0.98}``.
    """
    device = resolve_device(device)
    model.to(device)
    loss_fn, accuracy = get_loss(loss, model), check_metrics(metrics)
    loader = data_loader(x, y, loss_fn, batch_size)
    return averages(evaluate_loader(model, loader, loss_fn, device),
                    accuracy)


@torch.no_grad()
def predict(model, x, *, batch_size=128, device="auto"):
    """Probabilidades de ``model`` para ``x``, como arreglo de NumPy.

    Los clasificadores de PyTorch devuelven logits (terminan en
    ``nn.Linear``); aquí se pasan por la softmax (varias columnas) o la
    sigmoide (una), para dar lo mismo que ``predict`` del gemelo Keras.
    Otros modelos: su salida tal cual.
    """
    device = resolve_device(device)
    model.to(device).eval()
    logits = returns_logits(model)

    def to_probabilities(z):
        if not logits:
            return z
        return torch.sigmoid(z) if z.shape[-1] == 1 else z.softmax(dim=-1)

    x = torch.as_tensor(np.asarray(x))
    outputs = [to_probabilities(model(batch.to(device))).cpu()
               for batch in torch.split(x, batch_size)]
    return torch.cat(outputs).numpy()


def progress(loader, epoch, epochs, verbose):
    """Los lotes de la época, con barra de progreso en una terminal."""
    if verbose != 1 or not sys.stderr.isatty():
        return loader
    return tqdm(loader, unit="lote", leave=True,
                desc=f"Época {epoch + 1}/{epochs}")


def report_epoch(batches, logs, epoch, epochs, verbose):
    """Muestra las métricas de la época: en la barra o en una línea."""
    summary = " - ".join(f"{k}: {v:.4f}" for k, v in logs.items())
    if isinstance(batches, tqdm):
        batches.set_postfix_str(summary)
        batches.close()
    elif verbose:
        print(f"Época {epoch + 1}/{epochs} - {summary}")
