"""Las funciones de pérdida de la clase, desde sus fórmulas, en PyTorch.

Entropía cruzada (categórica, dispersa y binaria), error cuadrático medio
y la ELBO del autoencoder variacional. Cada función devuelve un escalar:
la media sobre el lote, como ``keras.losses`` con su reducción por
defecto. Con ``from_logits=True`` reciben los *logits* que devuelven los
clasificadores de ``esenciales.torch.models`` y usan log-sum-exp y
log-sigmoide, que no desbordan (como ``nn.CrossEntropyLoss`` y
``nn.BCEWithLogitsLoss``); por defecto reciben probabilidades, como las
de Keras. Las probabilidades se
recortan a [ε, 1 − ε] como en Keras. Los mismos nombres, argumentos y
fórmulas están en ``esenciales.keras.losses``.
"""

import torch
import torch.nn.functional as F

EPSILON = 1e-7  # el ε de Keras (keras.config.epsilon()) para recortar


def _check_same_shape(y_true, y_pred):
    """Error en español si las formas no coinciden."""
    a, b = tuple(y_true.shape), tuple(y_pred.shape)
    if a != b:
        raise ValueError(f"y_true y y_pred deben tener la misma forma; se "
                         f"recibió {a} y {b}.")


def _as_tensors(y_true, y_pred):
    """Convierte a tensores y lleva y_true al tipo de y_pred.

    Como Keras, acepta y_true (N,) frente a y_pred (N, 1) (una salida
    sigmoide o de regresión) y le agrega el eje final.
    """
    y_pred = torch.as_tensor(y_pred)
    y_true = torch.as_tensor(y_true, dtype=y_pred.dtype,
                             device=y_pred.device)
    if y_true.ndim == y_pred.ndim - 1 and y_pred.shape[-1] == 1:
        y_true = y_true.unsqueeze(-1)
    return y_true, y_pred


def log_probabilities(y_pred, from_logits=False):
    """log ŷ por filas: log-softmax estable o log de ŷ recortada.

    Forma: (N, C) -> (N, C). Concepto: con logits, log softmax(z) =
    z − log Σ exp(z) (log-sum-exp); con probabilidades, ŷ se normaliza y
    se recorta a [ε, 1 − ε] para que log nunca dé −∞.
    """
    if from_logits:
        return y_pred - torch.logsumexp(y_pred, dim=-1, keepdim=True)
    p = y_pred / y_pred.sum(dim=-1, keepdim=True)
    return torch.log(p.clamp(EPSILON, 1.0 - EPSILON))


def categorical_crossentropy(y_true, y_pred, from_logits=False):
    """Entropía cruzada categórica: L = −Σₖ yₖ log ŷₖ, media del lote.

    Forma: y_true (N, C) one-hot (o probabilidades), y_pred (N, C) ->
    escalar. Concepto: la pérdida de la clasificación multiclase.
    """
    y_true, y_pred = _as_tensors(y_true, y_pred)
    _check_same_shape(y_true, y_pred)
    log_p = log_probabilities(y_pred, from_logits)
    return torch.mean(-torch.sum(y_true * log_p, dim=-1))


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False):
    """Entropía cruzada con etiquetas enteras: L = −log ŷ[y], media.

    Forma: y_true (N,) o (N, 1) enteros en [0, C), y_pred (N, C) ->
    escalar. Concepto: la misma pérdida, usando solo la fila verdadera del
    one-hot (la «dispersa» de la clase).
    """
    y_pred = torch.as_tensor(y_pred)
    y_true = torch.as_tensor(y_true, device=y_pred.device)
    y_true = y_true.long().reshape(-1, 1)
    if y_pred.ndim != 2:
        raise ValueError(f"y_pred debe tener forma (N, C); se recibió "
                         f"{tuple(y_pred.shape)}.")
    log_p = log_probabilities(y_pred, from_logits)
    return -torch.mean(torch.gather(log_p, -1, y_true))


def binary_crossentropy_elementwise(y_true, y_pred, from_logits=False):
    """−[y log ŷ + (1 − y) log(1 − ŷ)] elemento a elemento.

    Forma: (...) y (...) -> (...). Concepto: con logits z se usa
    log ŷ = log σ(z) y log(1 − ŷ) = log σ(−z), estables para |z| grande.
    """
    y_true, y_pred = _as_tensors(y_true, y_pred)
    _check_same_shape(y_true, y_pred)
    if from_logits:
        log_p = F.logsigmoid(y_pred)
        log_not_p = F.logsigmoid(-y_pred)
    else:
        p = y_pred.clamp(EPSILON, 1.0 - EPSILON)
        log_p, log_not_p = torch.log(p), torch.log(1.0 - p)
    return -(y_true * log_p + (1.0 - y_true) * log_not_p)


def binary_crossentropy(y_true, y_pred, from_logits=False):
    """Entropía cruzada binaria, media sobre todos los elementos.

    Forma: y_true y y_pred (N, ...) con valores en [0, 1] -> escalar.
    Concepto: la pérdida de la clasificación binaria (salida sigmoide).
    """
    return torch.mean(binary_crossentropy_elementwise(y_true, y_pred,
                                                      from_logits))


def mean_squared_error(y_true, y_pred):
    """Error cuadrático medio: (1/N) Σ (y − ŷ)², sobre todos los elementos.

    Forma: y_true y y_pred de igual forma -> escalar. Concepto: la pérdida
    de la regresión; castiga los errores grandes de forma cuadrática.
    """
    y_true, y_pred = _as_tensors(y_true, y_pred)
    _check_same_shape(y_true, y_pred)
    return torch.mean(torch.square(y_true - y_pred))


def _per_example_sum(values):
    """Suma sobre todos los ejes menos el primero: (N, ...) -> (N,)."""
    return values.reshape(values.shape[0], -1).sum(dim=1)


def reconstruction_loss(x, x_reconstructed):
    """Término de reconstrucción de la ELBO: −log p(x|z) por ejemplo.

    Forma: x y x_reconstructed (N, ...) en [0, 1] -> (N,). Es la entropía
    cruzada binaria sumada sobre los píxeles (decodificador de Bernoulli).
    """
    return _per_example_sum(binary_crossentropy_elementwise(
        x, x_reconstructed))


def kl_divergence(mu, log_var):
    """KL(N(μ, σ²) ‖ N(0, I)) = −½ Σⱼ (1 + log σⱼ² − μⱼ² − σⱼ²).

    Forma: mu y log_var (N, d) -> (N,). Concepto: el término que regulariza
    el espacio latente del VAE hacia la normal estándar.
    """
    log_var, mu = _as_tensors(log_var, mu)
    _check_same_shape(mu, log_var)
    terms = 1.0 + log_var - torch.square(mu) - torch.exp(log_var)
    return -0.5 * torch.sum(terms, dim=-1)


def elbo(x, x_reconstructed, mu, log_var):
    """Pérdida del VAE: reconstrucción + KL, media sobre el lote.

    Forma: x, x_reconstructed (N, ...) en [0, 1]; mu, log_var (N, d) ->
    escalar. Concepto: menos la ELBO de la clase; minimizarla equilibra
    fidelidad (reconstrucción) y regularización (KL).
    """
    return torch.mean(reconstruction_loss(x, x_reconstructed)
                      + kl_divergence(mu, log_var))
