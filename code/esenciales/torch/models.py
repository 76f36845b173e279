"""Los modelos de la clase en PyTorch.

Cada función construye un modelo nuevo, sin entrenar. El gemelo en
``esenciales.keras.models`` tiene el mismo nombre y los mismos argumentos,
y ``esenciales.convert`` copia los pesos de uno a otro. Las imágenes
entran en formato NCHW: (lote, canales, alto, ancho).

Dos diferencias con el gemelo Keras, las dos propias de PyTorch:

- Los clasificadores devuelven *logits* (puntajes sin normalizar): la
  softmax o la sigmoide la aplica la pérdida (``nn.CrossEntropyLoss``,
  ``nn.BCEWithLogitsLoss``) con log-sum-exp, que no desborda.
- La inicialización se fija a la vista, con ``init_weights``, en la
  última línea de cada modelo: las mismas reglas que Keras usa por
  omisión (las de PyTorch son otras, y el capítulo 6 mide cuánto pesa).

PyTorch no pide declarar la entrada, como hace ``keras.Input``: la forma
se da al llamar a ``summary``.
"""

from collections import OrderedDict

import torch
import torchinfo
from torch import nn

EMBEDDING_RANGE = 0.05
"""Los embeddings parten de U(−0,05, 0,05), como en Keras."""


def init_weights(model):
    """Inicializa ``model`` con las reglas de Keras, capa por capa.

    - Linear, Conv2d y proyecciones de atención: Glorot uniforme,
      U(±√(6 / (fan_in + fan_out))), y sesgos en cero.
    - LSTM: entrada Glorot uniforme, recurrente ortogonal, sesgos en
      cero salvo el de la compuerta de olvido, en 1.
    - Embedding: U(±0,05). LayerNorm: γ = 1, β = 0.
    Devuelve el mismo modelo. Es la lección de inicialización del
    capítulo 6: con las reglas por omisión de PyTorch, el mismo modelo
    aprende otra cosa en el mismo número de épocas.
    """
    for module in model.modules():
        if isinstance(module, (nn.Linear, nn.Conv2d)):
            nn.init.xavier_uniform_(module.weight)
            nn.init.zeros_(module.bias)
        elif isinstance(module, nn.Embedding):
            nn.init.uniform_(module.weight, -EMBEDDING_RANGE,
                             EMBEDDING_RANGE)
        elif isinstance(module, nn.LSTM):
            _init_lstm(module)
        elif isinstance(module, nn.MultiheadAttention):
            for block in module.in_proj_weight.chunk(3):  # Q, K, V
                nn.init.xavier_uniform_(block)
            nn.init.zeros_(module.in_proj_bias)
    return model


def _init_lstm(lstm):
    """Glorot (entrada), ortogonal (recurrente), sesgo de olvido 1.

    El sesgo de Keras va en b_ih; b_hh queda en cero (ver
    ``single_bias_lstm``).
    """
    hidden = lstm.hidden_size
    for name, param in lstm.named_parameters(recurse=False):
        if name.startswith("weight_ih"):
            nn.init.xavier_uniform_(param)
        elif name.startswith("weight_hh"):  # (4H, H), como Keras (H, 4H)ᵀ
            nn.init.orthogonal_(param)
        else:
            nn.init.zeros_(param)
            if name.startswith("bias_ih"):  # compuertas i, f, g, o
                nn.init.ones_(param.data[hidden:2 * hidden])


def neuron(n_features):
    """Una sola neurona: y = ReLU(Wx + b).

    Entrada: (N, n_features). Salida: (N, 1).
    ``Linear(n_features, 1)`` es una neurona; tiene n_features + 1
    parámetros.
    """
    model = nn.Sequential(
        nn.Linear(n_features, 1),
        nn.ReLU(),
    )
    return init_weights(model)  # reglas de Keras: los gemelos parten igual


def mlp():
    """Perceptrón multicapa para imágenes de 28×28 aplanadas.

    Entrada: (N, 784). Salida: (N, 10), logits por clase.
    Capas densas encadenadas con activaciones no lineales (ReLU).
    """
    model = nn.Sequential(
        nn.Linear(784, 128), nn.ReLU(),
        nn.Linear(128, 64), nn.ReLU(),
        nn.Linear(64, 10),
    )
    return init_weights(model)  # reglas de Keras: los gemelos parten igual


def cnn():
    """Red convolucional para imágenes en color de 32×32.

    Entrada: (N, 3, 32, 32). Salida: (N, 10), logits por clase.
    Filtros que comparten pesos, pooling y una capa densa al final.
    Formas: 32×32 → conv 30×30 → pool 15×15 → conv 13×13, con 64 canales.
    """
    model = nn.Sequential(
        nn.Conv2d(3, 32, 3),
        nn.MaxPool2d(2), nn.ReLU(),  # = ReLU y luego pool, 4× menos valores
        nn.Conv2d(32, 64, 3), nn.ReLU(),
        nn.Flatten(),
        nn.Linear(64 * 13 * 13, 10),
    )
    model = init_weights(model)  # reglas de Keras: los gemelos parten igual
    return model.to(memory_format=torch.channels_last)


def left_align(tokens):
    """Mueve los tokens reales al principio de cada fila.

    Entrada: (N, T) con relleno 0 por delante, como ``pad_sequences``.
    Salida: (tokens (N, T) con el relleno al final, largos (N,)).
    """
    lengths = (tokens != 0).sum(dim=1)
    steps = torch.arange(tokens.shape[1], device=tokens.device)
    start = tokens.shape[1] - lengths
    order = (steps + start[:, None]) % tokens.shape[1]
    return tokens.gather(1, order), lengths


def single_bias_lstm(input_size, hidden_size):
    """Una ``nn.LSTM`` con un solo sesgo entrenable, como la de Keras.

    PyTorch suma dos sesgos en cada compuerta, b_ih + b_hh, y los dos
    reciben el mismo gradiente: con Adam, la suma se movería el doble
    que el único sesgo de Keras. Dejamos b_hh en cero y congelado
    (``requires_grad_(False)``): el optimizador solo ajusta b_ih, y los
    parámetros entrenables son los mismos que en Keras.
    """
    lstm = nn.LSTM(input_size, hidden_size, batch_first=True)
    nn.init.zeros_(lstm.bias_hh_l0)
    lstm.bias_hh_l0.requires_grad_(False)
    return lstm


class LSTMClassifier(nn.Module):
    """Embedding, una LSTM que lee hasta la última palabra real y una
    salida binaria."""

    def __init__(self, vocab_size, embed_dim=128, units=64):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=0)
        self.lstm = single_bias_lstm(embed_dim, units)
        self.head = nn.Linear(units, 1)

    def forward(self, tokens):
        tokens, lengths = left_align(tokens)  # relleno al final
        states, _ = self.lstm(self.embedding(tokens))  # (N, T, units)
        last = (lengths - 1).clamp(min=0)  # la última palabra real
        rows = torch.arange(len(tokens), device=tokens.device)
        h_last = states[rows, last]
        return self.head(h_last)


def lstm_classifier(vocab_size):
    """Clasificador binario de secuencias de palabras con una LSTM.

    Entrada: (N, T) enteros en [0, vocab_size), 0 = relleno. Salida:
    (N, 1), logit de la clase positiva. El estado h_t se recicla paso a
    paso; la capa densa lee el h_t de la última palabra real de cada
    reseña. El relleno no cuenta: pasa al final de la fila, después de
    ese h_t.
    """
    model = LSTMClassifier(vocab_size)
    return init_weights(model)  # reglas de Keras: los gemelos parten igual


def autoencoder():
    """Autoencoder denso: comprime 784 valores en 32 y los reconstruye.

    Entrada: (N, 784) en [0, 1]. Salida: (N, 784) en [0, 1].
    Codificador x → z (32 números) y decodificador z → x̂; se entrena
    para que x̂ se parezca a x. ``encoder(model)`` y ``decoder(model)``
    devuelven cada mitad.
    """
    model = nn.Sequential(OrderedDict(
        encoder=nn.Sequential(nn.Linear(784, 32), nn.ReLU()),
        decoder=nn.Sequential(nn.Linear(32, 784), nn.Sigmoid()),
    ))
    return init_weights(model)  # reglas de Keras: los gemelos parten igual


class Sampling(nn.Module):
    """Truco de reparametrización: z = μ + σ·ε, con ε ~ N(0, I).

    Entrada: μ y log σ², cada uno (N, d). Salida: z, (N, d).
    Al entrenar (``model.train()``), z es una muestra; al predecir
    (``model.eval()``), z = μ.
    """

    def forward(self, mu, log_var):
        if not self.training:
            return mu
        eps = torch.randn_like(mu)
        return mu + torch.exp(0.5 * log_var) * eps


class GaussianEncoder(nn.Module):
    """Codificador del VAE: x → (μ, log σ²) de q(z|x).

    Entrada: (N, 784). Salida: (μ, log σ²), cada uno (N, latent_dim).
    """

    def __init__(self, latent_dim):
        super().__init__()
        self.hidden = nn.Sequential(nn.Linear(784, 256), nn.ReLU())
        self.mu = nn.Linear(256, latent_dim)
        self.log_var = nn.Linear(256, latent_dim)

    def forward(self, x):
        h = self.hidden(x)
        return self.mu(h), self.log_var(h)


class VAE(nn.Module):
    """Codificador, muestreo y decodificador: x → (x̂, μ, log σ²)."""

    def __init__(self, encoder, decoder):
        super().__init__()
        self.encoder = encoder
        self.sampling = Sampling()
        self.decoder = decoder

    def forward(self, x):
        mu, log_var = self.encoder(x)
        z = self.sampling(mu, log_var)
        return self.decoder(z), mu, log_var


def vae(latent_dim=2):
    """Autoencoder variacional (VAE) denso para imágenes de 28×28.

    Entrada: (N, 784) en [0, 1]. Salida: (x̂ (N, 784), μ (N, latent_dim),
    log σ² (N, latent_dim)). El codificador da la media y el log de la
    varianza de q(z|x); ``Sampling`` toma z; el decodificador da x̂.
    Con x̂, μ y log σ² se calcula la ELBO: reconstrucción + KL.
    """
    decoder = nn.Sequential(
        nn.Linear(latent_dim, 256), nn.ReLU(),
        nn.Linear(256, 784), nn.Sigmoid(),
    )
    model = VAE(GaussianEncoder(latent_dim), decoder)
    return init_weights(model)  # reglas de Keras: los gemelos parten igual


def encoder(model):
    """El codificador de un ``autoencoder()`` o de un ``vae()``.

    autoencoder: (N, 784) → z (N, 32). vae: (N, 784) → (μ, log σ²).
    """
    return model.encoder


def decoder(model):
    """El decodificador de un ``autoencoder()`` o de un ``vae()``.

    Entrada: z, (N, 32) o (N, latent_dim). Salida: x̂, (N, 784).
    En el VAE, decodificar z ~ N(0, I) genera imágenes nuevas.
    """
    return model.decoder


class PositionEmbedding(nn.Module):
    """Suma a cada posición t un vector aprendido p_t.

    Entrada: (N, T, d). Salida: (N, T, d). Sin esto, la atención no
    distingue el orden de los tokens.
    """

    def __init__(self, maxlen, dim):
        super().__init__()
        self.positions = nn.Parameter(torch.randn(maxlen, dim) * 0.05)
        # N(0; 0,05), como el inicializador random_normal de Keras

    def forward(self, x):
        return x + self.positions


class TransformerClassifier(nn.Module):
    """Embeddings, un bloque codificador Transformer y una salida binaria.

    Entrada: (N, maxlen) enteros, 0 = relleno. Salida: (N, 1), logit.
    El relleno se enmascara en la atención (``key_padding_mask``) y en
    el promedio final.
    """

    def __init__(self, vocab_size, maxlen, embed_dim, num_heads, ff_dim):
        super().__init__()
        self.tokens = nn.Embedding(vocab_size, embed_dim, padding_idx=0)
        self.positions = PositionEmbedding(maxlen, embed_dim)
        self.attention = nn.MultiheadAttention(
            embed_dim, num_heads, batch_first=True)
        self.norm1 = nn.LayerNorm(embed_dim, eps=1e-5)
        self.ff = nn.Sequential(
            nn.Linear(embed_dim, ff_dim), nn.ReLU(),
            nn.Linear(ff_dim, embed_dim),
        )
        self.norm2 = nn.LayerNorm(embed_dim, eps=1e-5)
        self.head = nn.Linear(embed_dim, 1)

    def embed(self, x):
        """Tokens → vectores con su posición: (N, T) → (N, T, d)."""
        return self.positions(self.tokens(x))

    def forward(self, tokens):
        padding = tokens == 0
        x = self.embed(tokens)
        attended, _ = self.attention(x, x, x, key_padding_mask=padding,
                                     need_weights=False)
        x = self.norm1(x + attended)
        x = self.norm2(x + self.ff(x))
        return self.head(masked_mean(x, ~padding))


def masked_mean(x, keep):
    """Promedio sobre el tiempo de las posiciones con ``keep`` verdadero.

    Entrada: x (N, T, d), keep (N, T) booleano. Salida: (N, d). Es el
    ``GlobalAveragePooling1D`` de Keras con máscara.
    """
    keep = keep.unsqueeze(-1).to(x.dtype)
    return (x * keep).sum(dim=1) / keep.sum(dim=1).clamp(min=1.0)


def transformer_classifier(vocab_size, maxlen, embed_dim=32, num_heads=2,
                           ff_dim=64):
    """Clasificador binario con un bloque codificador Transformer.

    Entrada: (N, maxlen) enteros en [0, vocab_size), 0 = relleno.
    Salida: (N, 1), logit de la clase positiva. Embedding de tokens y de
    posiciones, autoatención multicabeza, red feed-forward, conexiones
    residuales y LayerNorm; luego el promedio sobre las posiciones que
    no son relleno.
    """
    model = TransformerClassifier(
        vocab_size, maxlen, embed_dim, num_heads, ff_dim)
    return init_weights(model)  # reglas de Keras: los gemelos parten igual


def attention_weights(model, x):
    """Pesos de atención de un ``transformer_classifier`` para el lote x.

    Entrada: (N, maxlen) enteros. Salida: arreglo NumPy
    (N, num_heads, maxlen, maxlen); la fila i dice cuánto mira el token i
    a cada token j, y suma 1; el relleno recibe peso 0.
    """
    device = next(model.parameters()).device
    x = torch.as_tensor(x, dtype=torch.long, device=device)
    with torch.no_grad():
        h = model.embed(x)
        _, weights = model.attention(
            h, h, h, key_padding_mask=x == 0, average_attn_weights=False)
    return weights.cpu().numpy()


def mlp_minimal():
    """El «MLP mínimo» de la clase: 10 entradas, una salida binaria.

    Entrada: (N, 10). Salida: (N, 1), logit de la clase 1.
    """
    model = nn.Sequential(
        nn.Linear(10, 32), nn.ReLU(),
        nn.Linear(32, 1),
    )
    return init_weights(model)  # reglas de Keras: los gemelos parten igual


def mnist_cnn():
    """La «CNN para MNIST en 15 líneas» de la clase.

    Entrada: (N, 1, 28, 28) en [0, 1]. Salida: (N, 10), logits.
    Conv → Pool → ReLU, luego aplanar y dos capas densas.
    Formas: 28×28 → conv 26×26 → pool 13×13, con 32 canales.
    """
    model = nn.Sequential(
        nn.Conv2d(1, 32, 3),
        nn.MaxPool2d(2), nn.ReLU(),  # = ReLU y luego pool, 4× menos valores
        nn.Flatten(),
        nn.Linear(32 * 13 * 13, 128), nn.ReLU(),
        nn.Linear(128, 10),
    )
    model = init_weights(model)  # reglas de Keras: los gemelos parten igual
    # Canales al final en memoria (la forma sigue siendo NCHW): la
    # convolución y el pooling de la CPU corren así más rápido.
    return model.to(memory_format=torch.channels_last)


def count_params(model):
    """Número de parámetros entrenables del modelo (un entero).

    Cuenta los que ajusta el optimizador: el b_hh congelado de
    ``single_bias_lstm`` no entra, como en Keras.
    """
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


def summary(model, input_shape=None):
    """Imprime capas, formas de salida y parámetros (con torchinfo).

    ``input_shape``: la forma de una entrada, sin el lote (PyTorch no la
    declara, como ``keras.Input``); con ella, torchinfo pasa un lote de 1
    y muestra las formas de salida, y un largo libre (``None``) se toma
    como 1. Un modelo que empieza con ``nn.Embedding`` recibe enteros.
    """
    if input_shape is None:
        print(torchinfo.summary(model, verbose=0))
        return
    shape = [1, *(1 if size is None else size for size in input_shape)]
    first = next(m for m in model.modules() if not list(m.children()))
    dtype = torch.long if isinstance(first, nn.Embedding) else torch.float32
    print(torchinfo.summary(
        model, input_size=shape, dtypes=[dtype],
        device=next(model.parameters()).device,
        col_names=("output_size", "num_params"), verbose=0,
    ))
