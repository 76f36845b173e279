"""Copiar los pesos entre un modelo Keras y su gemelo en PyTorch.

Los dos marcos guardan los mismos números con otra disposición:

- Dense / Linear: Keras guarda el kernel (entradas, salidas); PyTorch,
  la matriz transpuesta (salidas, entradas).
- Conv2D / Conv2d: kernel (alto, ancho, entrada, salida) en Keras (HWIO);
  (salida, entrada, alto, ancho) en PyTorch (OIHW).
- Flatten: Keras aplana (H, W, C) y PyTorch (C, H, W); la capa densa que
  sigue tiene sus filas en otro orden y hay que permutarlas.
- LSTM: las dos usan el orden de compuertas i, f, c (g), o; PyTorch tiene
  dos sesgos, b_ih y b_hh, que se suman. Hacia PyTorch el sesgo Keras va
  en b_ih y b_hh queda en cero; de vuelta se suman.
- MultiHeadAttention: Keras guarda cada proyección como (d, cabezas,
  d_cabeza); PyTorch apila Q, K y V en una matriz (3d, d).

Las capas se emparejan en orden; la tabla ``_RULES`` dice, para cada
par de tipos, cómo pasar de una disposición a la otra. Este módulo no
importa TensorFlow ni PyTorch hasta que se llama.
"""

import numpy as np


def keras_to_torch(keras_model, torch_model):
    """Copia los pesos de un modelo Keras en su gemelo PyTorch.

    Modifica ``torch_model`` y lo devuelve. Lanza ``ValueError`` si los
    modelos no tienen las mismas capas con pesos y las mismas formas.
    """
    for k_layer, t_layer, hwc in _twin_layers(keras_model, torch_model):
        to_torch, _ = _rule(k_layer, t_layer)
        weights = k_layer.get_weights()
        if hwc:
            weights[0] = _rows_hwc_to_chw(weights[0], hwc)
        _set_torch_params(t_layer, to_torch(weights))
    return torch_model


def torch_to_keras(torch_model, keras_model):
    """Copia los pesos de un modelo PyTorch en su gemelo Keras.

    Modifica ``keras_model`` y lo devuelve. Lanza ``ValueError`` si los
    modelos no tienen las mismas capas con pesos y las mismas formas.
    """
    for k_layer, t_layer, hwc in _twin_layers(keras_model, torch_model):
        _, to_keras = _rule(k_layer, t_layer)
        params = {name: p.detach().cpu().numpy()
                  for name, p in t_layer.named_parameters()}
        shapes = [tuple(w.shape) for w in k_layer.weights]
        weights = to_keras(params, shapes)
        if hwc:
            weights[0] = _rows_chw_to_hwc(weights[0], hwc)
        _set_keras_weights(k_layer, weights, shapes)
    return keras_model


# --- Una regla por par de capas: (hacia PyTorch, hacia Keras) ---------

def _dense_to_torch(weights):
    kernel, bias = weights
    return {"weight": kernel.T, "bias": bias}


def _linear_to_keras(params, shapes):
    return [params["weight"].T, params["bias"]]


def _conv_to_torch(weights):
    kernel, bias = weights
    return {"weight": kernel.transpose(3, 2, 0, 1), "bias": bias}


def _conv_to_keras(params, shapes):
    return [params["weight"].transpose(2, 3, 1, 0), params["bias"]]


def _embedding_to_torch(weights):
    return {"weight": weights[0]}


def _embedding_to_keras(params, shapes):
    return [params["weight"]]


def _lstm_to_torch(weights):
    kernel, recurrent_kernel, bias = weights
    return {
        "weight_ih_l0": kernel.T,
        "weight_hh_l0": recurrent_kernel.T,
        "bias_ih_l0": bias,
        "bias_hh_l0": np.zeros_like(bias),
    }


def _lstm_to_keras(params, shapes):
    bias = params["bias_ih_l0"] + params["bias_hh_l0"]
    return [params["weight_ih_l0"].T, params["weight_hh_l0"].T, bias]


def _layer_norm_to_torch(weights):
    gamma, beta = weights
    return {"weight": gamma, "bias": beta}


def _layer_norm_to_keras(params, shapes):
    return [params["weight"], params["bias"]]


def _position_to_torch(weights):
    return {"positions": weights[0]}


def _position_to_keras(params, shapes):
    return [params["positions"]]


def _attention_to_torch(weights):
    q, q_bias, k, k_bias, v, v_bias, out, out_bias = weights
    dim = q.shape[0]
    return {
        "in_proj_weight": np.concatenate(
            [w.reshape(dim, -1).T for w in (q, k, v)]),
        "in_proj_bias": np.concatenate(
            [b.reshape(-1) for b in (q_bias, k_bias, v_bias)]),
        "out_proj.weight": out.reshape(-1, dim).T,
        "out_proj.bias": out_bias,
    }


def _attention_to_keras(params, shapes):
    q, k, v = np.split(params["in_proj_weight"], 3)
    q_bias, k_bias, v_bias = np.split(params["in_proj_bias"], 3)
    weights = [q.T, q_bias, k.T, k_bias, v.T, v_bias,
               params["out_proj.weight"].T, params["out_proj.bias"]]
    return [_reshaped(w, shape) for w, shape in zip(weights, shapes)]


_RULES = {
    ("Dense", "Linear"): (_dense_to_torch, _linear_to_keras),
    ("Conv2D", "Conv2d"): (_conv_to_torch, _conv_to_keras),
    ("Embedding", "Embedding"): (_embedding_to_torch, _embedding_to_keras),
    ("LSTM", "LSTM"): (_lstm_to_torch, _lstm_to_keras),
    ("LayerNormalization", "LayerNorm"): (
        _layer_norm_to_torch, _layer_norm_to_keras),
    ("PositionEmbedding", "PositionEmbedding"): (
        _position_to_torch, _position_to_keras),
    ("MultiHeadAttention", "MultiheadAttention"): (
        _attention_to_torch, _attention_to_keras),
}
_TORCH_TYPES = {torch_type for _, torch_type in _RULES}


# --- Flatten: filas de la capa densa en orden (H, W, C) o (C, H, W) ----

def _rows_hwc_to_chw(kernel, hwc):
    """Filas de un kernel Keras: del orden (H, W, C) al (C, H, W)."""
    height, width, channels = hwc
    rows = kernel.reshape(height, width, channels, -1)
    return rows.transpose(2, 0, 1, 3).reshape(kernel.shape)


def _rows_chw_to_hwc(kernel, hwc):
    """Filas de un kernel Keras: del orden (C, H, W) al (H, W, C)."""
    height, width, channels = hwc
    rows = kernel.reshape(channels, height, width, -1)
    return rows.transpose(1, 2, 0, 3).reshape(kernel.shape)


# --- Emparejar capas ---------------------------------------------------

def _twin_layers(keras_model, torch_model):
    """Pares (capa Keras, capa PyTorch, forma aplanada) en orden."""
    keras_layers = list(_keras_layers(keras_model))
    torch_layers = list(_torch_layers(torch_model))
    if len(keras_layers) != len(torch_layers):
        raise ValueError(
            "Los modelos no son gemelos: el de Keras tiene "
            f"{len(keras_layers)} capas con pesos y el de PyTorch "
            f"{len(torch_layers)}."
        )
    for (k_layer, hwc), t_layer in zip(keras_layers, torch_layers):
        _check_options(k_layer, t_layer)
        yield k_layer, t_layer, hwc


def _keras_layers(model):
    """Capas Keras con pesos, en orden, entrando en los submodelos.

    Junto a cada capa va la forma (H, W, C) que aplanó un ``Flatten``
    justo antes, o ``None``.
    """
    import keras

    hwc = None
    for layer in model.layers:
        if isinstance(layer, keras.Model):
            yield from _keras_layers(layer)
        elif type(layer).__name__ == "Flatten":
            shape = tuple(layer.input.shape[1:])
            hwc = shape if len(shape) == 3 else None
        elif layer.weights:
            yield layer, hwc
            hwc = None


def _torch_layers(module):
    """Módulos PyTorch con pesos, en el orden en que se registraron."""
    for child in module.children():
        if type(child).__name__ in _TORCH_TYPES:
            yield child
        elif any(True for _ in child.parameters(recurse=False)):
            raise ValueError(
                f"No sé convertir la capa PyTorch {type(child).__name__}.")
        else:
            yield from _torch_layers(child)


def _rule(k_layer, t_layer):
    pair = (type(k_layer).__name__, type(t_layer).__name__)
    if pair not in _RULES:
        raise ValueError(
            f"La capa Keras «{k_layer.name}» ({pair[0]}) no corresponde a "
            f"una capa PyTorch {pair[1]}: los modelos no son gemelos."
        )
    return _RULES[pair]


def _check_options(k_layer, t_layer):
    """Opciones que cambian el cálculo sin cambiar la forma de los pesos."""
    k_eps = getattr(k_layer, "epsilon", None)
    t_eps = getattr(t_layer, "eps", None)
    if k_eps is not None and t_eps is not None and \
            not np.isclose(k_eps, t_eps, rtol=1e-6, atol=0):
        raise ValueError(
            f"LayerNorm con epsilon distinto: {k_eps} en Keras y {t_eps} "
            "en PyTorch."
        )
    if getattr(t_layer, "batch_first", True) is not True:
        raise ValueError(
            f"La capa PyTorch {type(t_layer).__name__} debe usar "
            "batch_first=True, como Keras (lote, tiempo, rasgos)."
        )


# --- Escribir los pesos, verificando formas ----------------------------

def _reshaped(array, shape):
    if array.size != np.prod(shape):
        raise ValueError(
            f"No puedo llevar un peso de forma {array.shape} a {shape}.")
    return array.reshape(shape)


def _set_torch_params(layer, arrays):
    import torch

    params = dict(layer.named_parameters())
    if params.keys() != arrays.keys():
        raise ValueError(
            f"La capa PyTorch {type(layer).__name__} tiene los parámetros "
            f"{sorted(params)} y se esperaban {sorted(arrays)}."
        )
    for name, array in arrays.items():
        if tuple(params[name].shape) != array.shape:
            raise ValueError(
                f"Forma incompatible en {type(layer).__name__}.{name}: "
                f"PyTorch tiene {tuple(params[name].shape)} y Keras "
                f"da {array.shape}."
            )
        with torch.no_grad():
            params[name].copy_(torch.from_numpy(np.ascontiguousarray(array)))


def _set_keras_weights(layer, weights, shapes):
    found = [w.shape for w in weights]
    if found != shapes:
        raise ValueError(
            f"Forma incompatible en la capa Keras «{layer.name}»: tiene "
            f"{shapes} y PyTorch da {found}."
        )
    layer.set_weights(weights)
