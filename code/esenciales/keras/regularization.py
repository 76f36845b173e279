"""Regularización en Keras: las herramientas que la clase enumera.

*Dropout*, penalización L2 (*weight decay*), aumento de datos (*data
augmentation*), normalización por lotes (*batch normalization*) y
aprendizaje por transferencia (*transfer learning*). La parada temprana
es ``esenciales.keras.training.EarlyStopping``.
"""

import keras
import numpy as np
from keras import layers


def regularization_loss(model):
    """Suma de las penalizaciones L2 del modelo (0.0 si no tiene).

    Keras las reúne en ``model.losses`` y ``fit`` las suma a la pérdida.
    """
    return float(sum(keras.ops.convert_to_numpy(p) for p in model.losses))


def _l2(l2):
    """El regularizador L2 de Keras, o ninguno si ``l2 == 0``."""
    return keras.regularizers.L2(l2) if l2 else None


def _hidden(layer, dropout, batch_norm):
    """Capa oculta: densa/convolución → [BN] → ReLU → [dropout]."""
    block = [layer]
    if batch_norm:
        block.append(layers.BatchNormalization(epsilon=1e-3, momentum=0.9))
    block.append(layers.Activation("relu"))
    if dropout:
        block.append(layers.Dropout(dropout))
    return block


def regularized_mlp(dropout=0.0, l2=0.0, batch_norm=False):
    """El MLP de la clase (784 → 128 → 64 → 10) con regularización opcional.

    Entrada: (N, 784) en [0, 1]. Salida: (N, 10) probabilidades.
    ``dropout``: fracción de neuronas apagadas tras cada capa oculta;
    ``l2``: penalización de los pesos; ``batch_norm``: normaliza antes
    de cada ReLU.
    """
    return keras.Sequential([
        keras.Input(shape=(784,)),
        *_hidden(layers.Dense(128, kernel_regularizer=_l2(l2)), dropout,
                 batch_norm),
        *_hidden(layers.Dense(64, kernel_regularizer=_l2(l2)), dropout,
                 batch_norm),
        layers.Dense(10, activation="softmax", kernel_regularizer=_l2(l2)),
    ])


def regularized_cnn(dropout=0.0, l2=0.0, batch_norm=False, augment=False,
                    conv_blocks=1):
    """La CNN de MNIST de la clase con regularización opcional.

    Entrada: (N, 28, 28, 1) en [0, 1]. Salida: (N, 10) probabilidades.
    Conv 32 3×3 → MaxPool → Flatten → Dense 128 → Dense 10, más
    ``augment`` (desplazamientos y giros aleatorios al entrenar),
    ``batch_norm``, ``dropout`` y ``l2`` como en ``regularized_mlp``.
    ``conv_blocks=2`` agrega un segundo bloque Conv 64 3×3 → MaxPool.
    """
    blocks = []
    for filters in (32, 64)[:conv_blocks]:
        conv = layers.Conv2D(filters, (3, 3), kernel_regularizer=_l2(l2))
        blocks += [*_hidden(conv, 0.0, batch_norm), layers.MaxPool2D()]
    return keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        *([augmentation()] if augment else []),
        *blocks,
        layers.Flatten(),
        *_hidden(layers.Dense(128, kernel_regularizer=_l2(l2)), dropout,
                 batch_norm),
        layers.Dense(10, activation="softmax", kernel_regularizer=_l2(l2)),
    ])


def augmentation(shift=0.1, rotation=0.05):
    """Capa de aumento de datos: desplazamientos y giros aleatorios.

    Entrada y salida: (N, alto, ancho, C). ``shift``: fracción máxima del
    tamaño que se desplaza; ``rotation``: fracción máxima de una vuelta.
    Los bordes vacíos se rellenan con ceros. Solo actúa al entrenar.
    """
    return keras.Sequential([
        layers.RandomRotation(rotation, fill_mode="constant"),
        layers.RandomTranslation(shift, shift, fill_mode="constant"),
    ], name="augmentation")


def augment_images(x, seed=0, shift=0.1, rotation=0.05):
    """Aplica una vez el aumento de datos a un lote, para mirarlo.

    Entrada y salida: (N, 28, 28, 1) ``float32``; misma forma, y cada
    imagen sigue siendo el mismo dígito (la etiqueta no cambia).
    """
    keras.utils.set_random_seed(seed)
    layer = augmentation(shift, rotation)
    return keras.ops.convert_to_numpy(layer(np.asarray(x), training=True))


def freeze(model):
    """Congela los pesos de ``model``: el optimizador ya no los cambia."""
    model.trainable = False
    return model


def transfer_model(model, n_classes):
    """Reutiliza la base convolucional de un modelo entrenado (*transfer
    learning*).

    Copia las capas de ``model`` (secuencial) anteriores a su primera capa
    densa (convoluciones, *pooling* y ``Flatten``), las congela como base
    y agrega una cabeza nueva: una capa densa de ``n_classes`` con
    softmax. Solo la cabeza se entrena.
    """
    clone = keras.models.clone_model(model)
    clone.set_weights(model.get_weights())
    first = next(i for i, layer in enumerate(clone.layers)
                 if isinstance(layer, layers.Dense))
    base = freeze(keras.Sequential([keras.Input(model.input_shape[1:]),
                                    *clone.layers[:first]]))
    return keras.Sequential([base,
                             layers.Dense(n_classes, activation="softmax")])
