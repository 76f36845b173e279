"""Las funciones de pérdida de la clase, desde sus fórmulas, en Keras 3.

Entropía cruzada (categórica, dispersa y binaria), error cuadrático medio
y la ELBO del autoencoder variacional. Cada función devuelve un escalar:
la media sobre el lote, como ``keras.losses`` con su reducción por
defecto. Por defecto reciben probabilidades (la salida softmax o sigmoide
está dentro del modelo); con ``from_logits=True`` reciben *logits* y usan
log-sum-exp y log-sigmoide, que no desbordan. Las probabilidades se
recortan a [ε, 1 − ε] como en Keras. Los mismos nombres, argumentos y
fórmulas están en ``esenciales.torch.losses``; todo usa ``keras.ops``,
así que sirven dentro de ``compile``/``fit``.
"""

from keras import ops

EPSILON = 1e-7  # el ε de Keras (keras.config.epsilon()) para recortar


def _check_same_shape(y_true, y_pred):
    """Error en español si las formas conocidas no coinciden."""
    a, b = tuple(y_true.shape), tuple(y_pred.shape)
    same = len(a) == len(b) and all(
        i is None or j is None or i == j for i, j in zip(a, b))
    if not same:
        raise ValueError(f"y_true y y_pred deben tener la misma forma; se "
                         f"recibió {a} y {b}.")


def _as_tensors(y_true, y_pred):
    """Convierte a tensores y lleva y_true al tipo de y_pred.

    Como Keras, acepta y_true (N,) frente a y_pred (N, 1) (una salida
    sigmoide o de regresión) y le agrega el eje final.
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.cast(y_true, y_pred.dtype)
    if len(y_true.shape) == len(y_pred.shape) - 1 and y_pred.shape[-1] == 1:
        y_true = ops.expand_dims(y_true, -1)
    return y_true, y_pred


def log_probabilities(y_pred, from_logits=False):
    """log ŷ por filas: log-softmax estable o log de ŷ recortada.

    Forma: (N, C) -> (N, C). Concepto: con logits, log softmax(z) =
    z − log Σ exp(z) (log-sum-exp); con probabilidades, ŷ se normaliza y
    se recorta a [ε, 1 − ε] para que log nunca dé −∞.
    """
    if from_logits:
        return y_pred - ops.logsumexp(y_pred, axis=-1, keepdims=True)
    p = y_pred / ops.sum(y_pred, axis=-1, keepdims=True)
    return ops.log(ops.clip(p, EPSILON, 1.0 - EPSILON))


def categorical_crossentropy(y_true, y_pred, from_logits=False):
    """Entropía cruzada categórica: L = −Σₖ yₖ log ŷₖ, media del lote.

    Forma: y_true (N, C) one-hot (o probabilidades), y_pred (N, C) ->
    escalar. Concepto: la pérdida de la clasificación multiclase.
    """
    y_true, y_pred = _as_tensors(y_true, y_pred)
    _check_same_shape(y_true, y_pred)
    log_p = log_probabilities(y_pred, from_logits)
    return ops.mean(-ops.sum(y_true * log_p, axis=-1))


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False):
    """Entropía cruzada con etiquetas enteras: L = −log ŷ[y], media.

    Forma: y_true (N,) o (N, 1) enteros en [0, C), y_pred (N, C) ->
    escalar. Concepto: la misma pérdida, usando solo la fila verdadera del
    one-hot (la «dispersa» de la clase).
    """
    y_pred = ops.convert_to_tensor(y_pred)
    y_true = ops.reshape(ops.cast(y_true, "int32"), (-1, 1))
    if len(y_pred.shape) != 2:
        raise ValueError(f"y_pred debe tener forma (N, C); se recibió "
                         f"{tuple(y_pred.shape)}.")
    log_p = log_probabilities(y_pred, from_logits)
    return -ops.mean(ops.take_along_axis(log_p, y_true, axis=-1))


def binary_crossentropy_elementwise(y_true, y_pred, from_logits=False):
    """−[y log ŷ + (1 − y) log(1 − ŷ)] elemento a elemento.

    Forma: (...) y (...) -> (...). Concepto: con logits z se usa
    log ŷ = log σ(z) y log(1 − ŷ) = log σ(−z), estables para |z| grande.
    """
    y_true, y_pred = _as_tensors(y_true, y_pred)
    _check_same_shape(y_true, y_pred)
    if from_logits:
        log_p = ops.log_sigmoid(y_pred)
        log_not_p = ops.log_sigmoid(-y_pred)
    else:
        p = ops.clip(y_pred, EPSILON, 1.0 - EPSILON)
        log_p, log_not_p = ops.log(p), ops.log(1.0 - p)
    return -(y_true * log_p + (1.0 - y_true) * log_not_p)


def binary_crossentropy(y_true, y_pred, from_logits=False):
    """Entropía cruzada binaria, media sobre todos los elementos.

    Forma: y_true y y_pred (N, ...) con valores en [0, 1] -> escalar.
    Concepto: la pérdida de la clasificación binaria (salida sigmoide).
    """
    return ops.mean(binary_crossentropy_elementwise(y_true, y_pred,
                                                    from_logits))


def mean_squared_error(y_true, y_pred):
    """Error cuadrático medio: (1/N) Σ (y − ŷ)², sobre todos los elementos.

    Forma: y_true y y_pred de igual forma -> escalar. Concepto: la pérdida
    de la regresión; castiga los errores grandes de forma cuadrática.
    """
    y_true, y_pred = _as_tensors(y_true, y_pred)
    _check_same_shape(y_true, y_pred)
    return ops.mean(ops.square(y_true - y_pred))


def _per_example_sum(values):
    """Suma sobre todos los ejes menos el primero: (N, ...) -> (N,)."""
    return ops.sum(ops.reshape(values, (ops.shape(values)[0], -1)), axis=1)


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
    terms = 1.0 + log_var - ops.square(mu) - ops.exp(log_var)
    return -0.5 * ops.sum(terms, axis=-1)


def elbo(x, x_reconstructed, mu, log_var):
    """Pérdida del VAE: reconstrucción + KL, media sobre el lote.

    Forma: x, x_reconstructed (N, ...) en [0, 1]; mu, log_var (N, d) ->
    escalar. Concepto: menos la ELBO de la clase; minimizarla equilibra
    fidelidad (reconstrucción) y regularización (KL).
    """
    return ops.mean(reconstruction_loss(x, x_reconstructed)
                    + kl_divergence(mu, log_var))
