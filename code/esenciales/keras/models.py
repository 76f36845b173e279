"""Los modelos de la clase en Keras 3.

Cada función construye un modelo nuevo, sin entrenar. El gemelo en
``esenciales.torch.models`` tiene el mismo nombre y los mismos argumentos,
y ``esenciales.convert`` copia los pesos de uno a otro. La activación final
(softmax o sigmoide) va dentro del modelo, como en la clase: los
clasificadores devuelven probabilidades (el gemelo PyTorch, *logits*).
Los pesos parten de los inicializadores por omisión de Keras (Glorot
uniforme, ortogonal en la LSTM, embeddings U(±0,05)), que el gemelo
PyTorch fija a mano. Las imágenes entran en formato NHWC: (lote, alto,
ancho, canales).
"""

import math

import keras
from keras import layers, ops


def neuron(n_features):
    """Una sola neurona: y = ReLU(Wx + b).

    Entrada: (N, n_features). Salida: (N, 1).
    ``Dense(1)`` es una neurona; tiene n_features + 1 parámetros.
    """
    return keras.Sequential([
        keras.Input(shape=(n_features,)),
        layers.Dense(1, activation="relu"),
    ], name="neuron")


def mlp():
    """Perceptrón multicapa para imágenes de 28×28 aplanadas.

    Entrada: (N, 784). Salida: (N, 10), probabilidades por clase.
    Capas densas encadenadas con activaciones no lineales (ReLU).
    """
    return keras.Sequential([
        keras.Input(shape=(784,)),
        layers.Dense(128, activation="relu"),
        layers.Dense(64, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ], name="mlp")


def cnn():
    """Red convolucional para imágenes en color de 32×32.

    Entrada: (N, 32, 32, 3). Salida: (N, 10), probabilidades por clase.
    Filtros que comparten pesos, pooling y una capa densa al final.
    """
    return keras.Sequential([
        keras.Input(shape=(32, 32, 3)),
        layers.Conv2D(32, 3, activation="relu"),
        layers.MaxPooling2D(2),
        layers.Conv2D(64, 3, activation="relu"),
        layers.Flatten(),
        layers.Dense(10, activation="softmax"),
    ], name="cnn")


def lstm_classifier(vocab_size):
    """Clasificador binario de secuencias de palabras con una LSTM.

    Entrada: (N, T) enteros en [0, vocab_size), 0 = relleno. Salida:
    (N, 1), probabilidad de la clase positiva. El estado h_t se recicla
    paso a paso; la capa densa lee el último h_T. El relleno no cuenta:
    ``mask_zero=True`` hace que la LSTM salte los ceros.
    """
    return keras.Sequential([
        keras.Input(shape=(None,), dtype="int32"),
        layers.Embedding(vocab_size, 128, mask_zero=True),
        layers.LSTM(64),
        layers.Dense(1, activation="sigmoid"),
    ], name="lstm_classifier")


def autoencoder():
    """Autoencoder denso: comprime 784 valores en 32 y los reconstruye.

    Entrada: (N, 784) en [0, 1]. Salida: (N, 784) en [0, 1].
    Codificador x → z (32 números) y decodificador z → x̂; se entrena
    para que x̂ se parezca a x. ``encoder(model)`` y ``decoder(model)``
    devuelven cada mitad.
    """
    inputs = keras.Input(shape=(784,))
    encoded = layers.Dense(32, activation="relu")(inputs)
    encoder = keras.Model(inputs, encoded, name="encoder")

    codes = keras.Input(shape=(32,))
    decoded = layers.Dense(784, activation="sigmoid")(codes)
    decoder = keras.Model(codes, decoded, name="decoder")

    return keras.Model(inputs, decoder(encoder(inputs)), name="autoencoder")


@keras.saving.register_keras_serializable(package="esenciales")
class Sampling(layers.Layer):
    """Truco de reparametrización: z = μ + σ·ε, con ε ~ N(0, I).

    Entrada: [μ, log σ²], cada uno (N, d). Salida: z, (N, d).
    Al entrenar, z es una muestra; al predecir, z = μ.
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.seed_generator = keras.random.SeedGenerator()

    def call(self, inputs, training=None):
        mu, log_var = inputs
        if not training:
            return mu
        eps = keras.random.normal(ops.shape(mu), seed=self.seed_generator)
        return mu + ops.exp(0.5 * log_var) * eps


def vae(latent_dim=2):
    """Autoencoder variacional (VAE) denso para imágenes de 28×28.

    Entrada: (N, 784) en [0, 1]. Salida: [x̂ (N, 784), μ (N, latent_dim),
    log σ² (N, latent_dim)]. El codificador da la media y el log de la
    varianza de q(z|x); ``Sampling`` toma z; el decodificador da x̂.
    Con x̂, μ y log σ² se calcula la ELBO: reconstrucción + KL.
    """
    inputs = keras.Input(shape=(784,))
    hidden = layers.Dense(256, activation="relu")(inputs)
    mu = layers.Dense(latent_dim, name="mu")(hidden)
    log_var = layers.Dense(latent_dim, name="log_var")(hidden)
    encoder = keras.Model(inputs, [mu, log_var], name="encoder")

    latent = keras.Input(shape=(latent_dim,))
    hidden = layers.Dense(256, activation="relu")(latent)
    outputs = layers.Dense(784, activation="sigmoid")(hidden)
    decoder = keras.Model(latent, outputs, name="decoder")

    mu, log_var = encoder(inputs)
    z = Sampling(name="sampling")([mu, log_var])
    return keras.Model(inputs, [decoder(z), mu, log_var], name="vae")


def encoder(model):
    """El codificador de un ``autoencoder()`` o de un ``vae()``.

    autoencoder: (N, 784) → z (N, 32). vae: (N, 784) → [μ, log σ²].
    """
    return model.get_layer("encoder")


def decoder(model):
    """El decodificador de un ``autoencoder()`` o de un ``vae()``.

    Entrada: z, (N, 32) o (N, latent_dim). Salida: x̂, (N, 784).
    En el VAE, decodificar z ~ N(0, I) genera imágenes nuevas.
    """
    return model.get_layer("decoder")


@keras.saving.register_keras_serializable(package="esenciales")
class PositionEmbedding(layers.Layer):
    """Suma a cada posición t un vector aprendido p_t.

    Entrada: (N, T, d). Salida: (N, T, d). Sin esto, la atención no
    distingue el orden de los tokens.
    """

    def __init__(self, maxlen, dim, **kwargs):
        super().__init__(**kwargs)
        self.maxlen = maxlen
        self.dim = dim
        self.positions = self.add_weight(
            shape=(maxlen, dim), initializer="random_normal",
            name="positions",
        )

    def call(self, x):
        return x + self.positions

    def get_config(self):
        return {**super().get_config(), "maxlen": self.maxlen,
                "dim": self.dim}


def transformer_classifier(vocab_size, maxlen, embed_dim=32, num_heads=2,
                           ff_dim=64):
    """Clasificador binario con un bloque codificador Transformer.

    Entrada: (N, maxlen) enteros en [0, vocab_size), 0 = relleno.
    Salida: (N, 1), probabilidad de la clase positiva. Embedding de
    tokens y de posiciones, autoatención multicabeza, red feed-forward,
    conexiones residuales y LayerNorm; luego el promedio sobre las
    posiciones. La máscara ``keep`` saca el relleno de la atención y del
    promedio.
    """
    inputs = keras.Input(shape=(maxlen,), dtype="int32")
    keep = ops.not_equal(inputs, 0)  # (N, maxlen): True = token real
    x = layers.Embedding(vocab_size, embed_dim, name="tokens")(inputs)
    x = PositionEmbedding(maxlen, embed_dim, name="positions")(x)

    attention = layers.MultiHeadAttention(
        num_heads, key_dim=embed_dim // num_heads, name="attention")
    attended = attention(x, x, value_mask=keep)
    x = layers.LayerNormalization(epsilon=1e-5)(x + attended)

    ff = layers.Dense(ff_dim, activation="relu")(x)
    ff = layers.Dense(embed_dim)(ff)
    x = layers.LayerNormalization(epsilon=1e-5)(x + ff)

    x = layers.GlobalAveragePooling1D()(x, mask=keep)
    outputs = layers.Dense(1, activation="sigmoid")(x)
    return keras.Model(inputs, outputs, name="transformer_classifier")


def attention_weights(model, x):
    """Pesos de atención de un ``transformer_classifier`` para el lote x.

    Entrada: (N, maxlen) enteros. Salida: arreglo NumPy
    (N, num_heads, maxlen, maxlen); la fila i dice cuánto mira el token i
    a cada token j, y suma 1; el relleno recibe peso 0.
    """
    embed = keras.Model(model.input, model.get_layer("positions").output)
    h = embed(x)
    _, weights = model.get_layer("attention")(
        h, h, value_mask=ops.not_equal(x, 0), return_attention_scores=True)
    return ops.convert_to_numpy(weights)


def mlp_minimal():
    """El «MLP mínimo» de la clase: 10 entradas, una salida binaria.

    Entrada: (N, 10). Salida: (N, 1), probabilidad de la clase 1.
    """
    return keras.Sequential([
        keras.Input(shape=(10,)),
        layers.Dense(32, activation="relu"),
        layers.Dense(1, activation="sigmoid"),
    ], name="mlp_minimal")


def mnist_cnn():
    """La «CNN para MNIST en 15 líneas» de la clase.

    Entrada: (N, 28, 28, 1) en [0, 1]. Salida: (N, 10), probabilidades.
    Conv → ReLU → Pool, luego aplanar y dos capas densas.
    """
    return keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(32, (3, 3), activation="relu"),
        layers.MaxPooling2D(),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dense(10, activation="softmax"),
    ], name="mnist_cnn")


def count_params(model):
    """Número de parámetros entrenables del modelo (un entero).

    Cuenta los que ajusta el optimizador, como el gemelo PyTorch.
    """
    return sum(math.prod(w.shape) for w in model.trainable_weights)


def summary(model, input_shape=None):
    """Imprime capas, formas de salida y parámetros (``model.summary``).

    ``input_shape``: la forma de una entrada, sin el lote, para un modelo
    que aún no la conoce (``model.build``); los del libro la declaran con
    ``keras.Input`` y no la necesitan.
    """
    if input_shape is not None and not model.built:
        model.build((None, *input_shape))
    model.summary(expand_nested=True)
