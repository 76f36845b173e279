"""Convolución y *pooling* a mano, con NumPy y sin marcos de trabajo.

Este módulo muestra, en pocas líneas, lo que hacen por dentro ``Conv2D`` y
``MaxPooling2D`` (Keras) o ``nn.Conv2d`` y ``nn.MaxPool2d`` (PyTorch): una
ventana que recorre la imagen, multiplica y suma. No importa TensorFlow ni
PyTorch.
"""

import numpy as np


def output_size(n, kernel_size, stride=1, padding=0):
    """Tamaño de salida de una convolución o un *pooling* en una dimensión.

    Entrada: tamaño ``n``, ventana ``kernel_size``, paso ``stride`` y
    relleno ``padding`` (enteros). Salida: ``(n + 2p - k) // s + 1``.
    Concepto: stride, padding y pooling controlan la dimensionalidad.
    """
    for name, value in (("n", n), ("kernel_size", kernel_size),
                        ("stride", stride)):
        if int(value) != value or value < 1:
            raise ValueError(f"{name} debe ser un entero positivo; "
                             f"se recibió {value!r}.")
    if int(padding) != padding or padding < 0:
        raise ValueError(f"padding debe ser un entero no negativo; "
                         f"se recibió {padding!r}.")
    if kernel_size > n + 2 * padding:
        raise ValueError(f"La ventana ({kernel_size}) es más grande que la "
                         f"entrada con relleno ({n + 2 * padding}).")
    return (n + 2 * padding - kernel_size) // stride + 1


def _check_2d(array, name):
    """Convierte ``array`` en una matriz 2-D de floats o avisa en español."""
    array = np.asarray(array, dtype=np.float64)
    if array.ndim != 2:
        raise ValueError(f"{name} debe ser una matriz 2-D; tiene forma "
                         f"{array.shape}.")
    return array


def conv2d(image, kernel, stride=1, padding=0):
    """Convolución 2-D de un canal, calculada ventana por ventana.

    Entrada: ``image`` (H, W) y ``kernel`` (k_h, k_w). Salida: matriz
    (H', W') con H' = output_size(H, k_h, stride, padding), ídem W'.
    Como en Keras y PyTorch, es una correlación cruzada: el filtro no se
    invierte. Concepto: filtrado local con parámetros compartidos.
    """
    image = np.pad(_check_2d(image, "image"), padding)
    kernel = _check_2d(kernel, "kernel")
    k_h, k_w = kernel.shape
    out_h = output_size(image.shape[0], k_h, stride)
    out_w = output_size(image.shape[1], k_w, stride)
    out = np.zeros((out_h, out_w))
    for i in range(out_h):
        for j in range(out_w):
            r, c = i * stride, j * stride
            window = image[r:r + k_h, c:c + k_w]
            out[i, j] = np.sum(window * kernel)
    return out


def _pool2d(image, size, stride, reduce):
    """Recorre ``image`` con ventanas ``size`` × ``size`` y las reduce."""
    image = _check_2d(image, "image")
    stride = size if stride is None else stride
    out_h = output_size(image.shape[0], size, stride)
    out_w = output_size(image.shape[1], size, stride)
    out = np.zeros((out_h, out_w))
    for i in range(out_h):
        for j in range(out_w):
            r, c = i * stride, j * stride
            out[i, j] = reduce(image[r:r + size, c:c + size])
    return out


def max_pool2d(image, size=2, stride=None):
    """*Max pooling*: el máximo de cada ventana.

    Entrada: ``image`` (H, W). Salida: (H', W'); por omisión el paso es
    igual a la ventana, así que 2 × 2 reduce cada lado a la mitad.
    Concepto: reducir resolución y ganar invariancia a traslaciones.
    """
    return _pool2d(image, size, stride, np.max)


def avg_pool2d(image, size=2, stride=None):
    """*Average pooling*: el promedio de cada ventana.

    Entrada: ``image`` (H, W). Salida: (H', W').
    Concepto: reducir resolución suavizando en vez de elegir el máximo.
    """
    return _pool2d(image, size, stride, np.mean)


def shift_change(image, kernel, pixels=1, pool=None):
    """Cuánto cambia el mapa de rasgos al desplazar la imagen.

    Desplaza ``image`` (H, W) ``pixels`` columnas a la derecha, le aplica
    ``kernel``, ReLU y, si se da, ``pool``; devuelve el cambio relativo
    ‖a − b‖ / ‖a‖ entre el mapa del original (a) y el del desplazado (b).
    Concepto: el *pooling* da invariancia parcial a traslaciones.
    """
    maps = []
    for img in (image, np.roll(image, pixels, axis=1)):
        features = np.maximum(conv2d(img, kernel), 0)
        maps.append(features if pool is None else pool(features))
    return np.linalg.norm(maps[0] - maps[1]) / np.linalg.norm(maps[0])


def conv_params(kernel_size, in_channels, filters, bias=True):
    """Parámetros de una capa convolucional: k·k·C_in·C_out (+ C_out).

    No depende del tamaño de la imagen: el mismo filtro se comparte en
    todas las posiciones. Concepto: parámetros compartidos.
    """
    weights = kernel_size * kernel_size * in_channels * filters
    return weights + (filters if bias else 0)


def dense_params(n_inputs, units, bias=True):
    """Parámetros de una capa densa: n_in·n_out (+ n_out).

    Concepto: sin filtrado local, cada salida mira todos los píxeles.
    """
    return n_inputs * units + (units if bias else 0)


def edge_kernels():
    """Tres filtros 3 × 3 clásicos: bordes verticales, horizontales y
    un suavizado (promedio). Salida: dict nombre -> matriz (3, 3).
    Concepto: un filtro convolucional es un detector local de patrones.
    """
    vertical = np.array([[1., 0., -1.], [2., 0., -2.], [1., 0., -1.]])
    return {"bordes verticales": vertical,
            "bordes horizontales": vertical.T.copy(),
            "suavizado": np.full((3, 3), 1 / 9)}
