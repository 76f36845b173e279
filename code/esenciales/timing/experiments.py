"""Los cuatro experimentos de tiempos y cómo medir uno por su nombre.

Producto de matrices (GFLOP/s), paso de entrenamiento de la CNN de MNIST
(imágenes/s), neuronas en bucle frente a lote y paralelismo de datos.
Cada uno devuelve un documento (``esenciales.timing.documents``). Los
marcos se importan dentro de cada función.
"""

from esenciales import frameworks
from esenciales.frameworks import check_framework
from esenciales.timing.clock import time_call
from esenciales.timing.documents import (FRAMEWORK_NAMES, backend_of,
                                         check_experiment, document,
                                         measured_device)


def matmul_throughput(sizes=(64, 128, 256, 512, 1024), *,
                      framework="torch", dtypes=("float32",),
                      device="cpu", warmup=2, repeats=7, min_time=0.02):
    """Mide GFLOP/s del producto de dos matrices n×n para cada tamaño.

    Entrada: tamaños ``n``; marco («numpy», «torch», «keras»); tipos
    («float32», «tf32» y «bfloat16»; tf32 solo con PyTorch en GPU).
    Salida: documento con una fila por (tipo, n): tiempos y ``gflops``,
    contando 2·n³ operaciones por producto.
    Concepto: entrenar cuesta de GFLOPs a TFLOPs; las GPU aceleran el
    producto de matrices.
    """
    check_framework(framework, ("numpy", "torch", "keras"))
    device = measured_device(framework, device)
    rows = []
    for dtype in dtypes:
        for n in sizes:
            fn, sync = _matmul_case(framework, n, dtype, device)
            stats = _with_precision(
                framework, dtype,
                lambda: time_call(fn, sync=sync, warmup=warmup,
                                  repeats=repeats, min_time=min_time),
            )
            flop = 2 * n**3
            gflops = flop / stats["median_s"] / 1e9
            rows.append({"n": n, "dtype": dtype, "flop": flop, **stats,
                         "gflops": gflops})
    params = {"sizes": list(sizes), "dtypes": list(dtypes),
              "data": "normal aleatoria"}
    return document("matmul", framework, device, params, rows)


def _matmul_case(framework, n, dtype, device):
    """Devuelve (fn, sync): fn multiplica dos matrices n×n aleatorias."""
    if dtype not in ("float32", "tf32", "bfloat16"):
        raise ValueError(
            f"Tipo desconocido: {dtype!r}; valen float32, tf32 o bfloat16."
        )
    if dtype == "tf32" and (framework == "numpy" or device != "cuda"):
        raise ValueError("tf32 solo se mide en una GPU (cuda), con PyTorch "
                         "o con Keras.")
    cases = {"numpy": _numpy_matmul, "torch": _torch_matmul,
             "keras": _keras_matmul}
    return cases[framework](n, dtype, device)


def _numpy_matmul(n, dtype, device):
    """Producto con NumPy, solo en CPU y en float32."""
    import numpy as np

    if device != "cpu" or dtype != "float32":
        raise ValueError("NumPy solo multiplica en CPU y en float32.")
    rng = np.random.default_rng(0)
    a, b = rng.standard_normal((2, n, n), dtype=np.float32)
    return (lambda: a @ b), None


def _torch_matmul(n, dtype, device):
    """Producto con PyTorch; en GPU sincroniza antes de leer el reloj."""
    import torch

    torch_dtype = torch.bfloat16 if dtype == "bfloat16" else torch.float32
    gen = torch.Generator().manual_seed(0)
    a, b = torch.randn(2, n, n, generator=gen).to(device, torch_dtype)
    return (lambda: a @ b), _torch_sync(device)


def _torch_sync(device):
    """Función que espera a la GPU (en CPU no hay nada que esperar)."""
    import torch

    if device == "cuda":
        return lambda result: torch.cuda.synchronize()
    return None


def _keras_matmul(n, dtype, device):
    """Producto con keras.ops en el backend activo de Keras."""
    import keras

    dtype = "float32" if dtype == "tf32" else dtype
    with keras.device(frameworks.keras_device(device)):
        keras.utils.set_random_seed(0)
        a = keras.random.normal((n, n), dtype=dtype)
        b = keras.random.normal((n, n), dtype=dtype)
    return (lambda: keras.ops.matmul(a, b)), _keras_sync


def _keras_sync(result):
    """Espera el resultado trayendo un elemento a NumPy (vale para todo
    backend)."""
    import keras

    keras.ops.convert_to_numpy(keras.ops.ravel(result)[0])


def _with_precision(framework, dtype, measure):
    """Mide con una precisión explícita: TF32 si se pide; si no, float32
    exacto. Cada motor tiene su propio interruptor (PyTorch, JAX y
    TensorFlow usan TF32 por omisión en algunas GPU)."""
    engine = backend_of(framework)
    if engine == "torch":
        return _torch_precision(dtype, measure)
    if engine == "jax":
        import jax

        with jax.default_matmul_precision(
                "tensorfloat32" if dtype == "tf32" else "highest"):
            return measure()
    if engine == "tensorflow":
        import tensorflow as tf

        before = tf.config.experimental.tensor_float_32_execution_enabled()
        tf.config.experimental.enable_tensor_float_32_execution(
            dtype == "tf32")
        try:
            return measure()
        finally:
            tf.config.experimental.enable_tensor_float_32_execution(before)
    return measure()


def _torch_precision(dtype, measure):
    """PyTorch: «high» permite TF32; «highest», float32 exacto."""
    import torch

    before = torch.get_float32_matmul_precision()
    torch.set_float32_matmul_precision(
        "high" if dtype == "tf32" else "highest"
    )
    try:
        return measure()
    finally:
        torch.set_float32_matmul_precision(before)


# --- Experimento 2: paso de entrenamiento de la CNN de MNIST -------------

def cnn_throughput(framework="torch", batch_sizes=(32, 128), *,
                   device="cpu", warmup=2, repeats=5, min_time=0.05):
    """Mide imágenes por segundo de un paso de entrenamiento de mnist_cnn.

    Entrada: marco («torch» o «keras», en su backend activo), tamaños de
    lote y dispositivo. El paso es el que entrena la receta «mnist_cnn»
    (su optimizador, su pérdida y sus métricas, con el ``fit`` de cada
    marco). Los lotes son imágenes 28×28 aleatorias en [0, 1] con
    etiquetas aleatorias: la velocidad no depende de los valores.
    Salida: documento con una fila por lote: tiempos por paso e
    ``images_per_s``.
    Concepto: el costo de entrenar se mide en pasos (adelante, atrás,
    actualización) por segundo.
    """
    from esenciales.runs import recipes

    check_framework(framework)
    device = measured_device(framework, device)
    recipe = recipes.get(CNN_RECIPE)
    make_step = torch_training_step if framework == "torch" \
        else keras_training_step
    rows = []
    for batch_size in batch_sizes:
        fn, sync = make_step(recipe, batch_size, device)
        stats = time_call(fn, sync=sync, warmup=warmup, repeats=repeats,
                          min_time=min_time)
        rows.append({"batch_size": batch_size, **stats,
                     "images_per_s": batch_size / stats["median_s"]})
    params = {"batch_sizes": list(batch_sizes), "model": recipe.model,
              "recipe": recipe.name, "optimizer": recipe.optimizer,
              "loss": recipe.loss, "data": "aleatorios"}
    return document("cnn", framework, device, params, rows)


CNN_RECIPE = "mnist_cnn"
"""La receta cuyo paso de entrenamiento mide ``cnn_throughput``."""


def random_batch(batch_size, shape):
    """Imágenes aleatorias en [0, 1] y etiquetas aleatorias 0..9."""
    import numpy as np

    rng = np.random.default_rng(0)
    x = rng.random((batch_size, *shape), dtype=np.float32)
    y = rng.integers(0, 10, size=batch_size)
    return x, y


def torch_training_step(recipe, batch_size, device):
    """Devuelve (fn, sync): fn da un paso de ``train_epoch``, el ciclo de
    ``fit``, sobre un lote fijo, con el optimizador y la pérdida de
    ``recipe`` (``nn.CrossEntropyLoss`` sobre logits)."""
    import torch

    from esenciales.torch import models
    from esenciales.torch.training import (get_loss, get_optimizer,
                                           train_epoch)

    torch.manual_seed(0)
    model = getattr(models, recipe.model)().to(device)
    optimizer = get_optimizer(recipe.optimizer, model)
    loss_fn = get_loss(recipe.loss, model)
    x, y = random_batch(batch_size, (1, 28, 28))
    batch = [(torch.from_numpy(x).to(device),
              torch.from_numpy(y).to(device))]

    def step():
        return train_epoch(model, batch, loss_fn, optimizer,
                           device=device)["loss"]

    return step, _torch_sync(device)


def keras_training_step(recipe, batch_size, device):
    """Devuelve (fn, sync): fn llama a ``train_on_batch`` del modelo
    compilado como lo compila ``fit`` con ``recipe`` (optimizador, pérdida
    y métricas); ``train_on_batch`` ya sincroniza."""
    import keras

    from esenciales.keras import models

    x, y = random_batch(batch_size, (28, 28, 1))
    with keras.device(frameworks.keras_device(device)):
        keras.utils.set_random_seed(0)
        model = getattr(models, recipe.model)()
        model.compile(optimizer=recipe.optimizer, loss=recipe.loss,
                      metrics=list(recipe.metrics))
        x = keras.ops.convert_to_tensor(x)
        y = keras.ops.convert_to_tensor(y)

    def step():
        with keras.device(frameworks.keras_device(device)):
            return model.train_on_batch(x, y)

    return step, None


# --- Experimento 3: neuronas en bucle frente a lote ----------------------

def neuron_batched_vs_loop(n_samples=32, n_inputs=784, n_units=16, *,
                           warmup=1, repeats=3, min_time=0.0):
    """Compara evaluar neurona por neurona con ``Y = f(XW + b)`` en lote.

    Entrada: m = ``n_samples`` ejemplos de ``n_inputs`` rasgos y
    ``n_units`` neuronas ReLU (``esenciales.scratch.vectorization``): el bucle
    recorre ejemplos, neuronas y entradas en Python; el lote hace un solo
    producto de matrices.
    Salida: documento con dos filas («bucle» y «lote»): tiempos, neuronas
    evaluadas por segundo y aceleración frente al bucle. ``params`` guarda
    la diferencia máxima entre ambos resultados.
    Concepto: vectorización; una GPU evalúa miles de neuronas a la vez.
    """
    import numpy as np

    from esenciales.scratch.activations import relu
    from esenciales.scratch.vectorization import (
        dense_batched, dense_loop, random_dense_problem,
    )

    x, w, b = random_dense_problem(n_samples, n_inputs, n_units)
    methods = {"bucle": lambda: dense_loop(x, w, b, relu),
               "lote": lambda: dense_batched(x, w, b, relu)}
    stats = {name: time_call(fn, warmup=warmup, repeats=repeats,
                             min_time=min_time)
             for name, fn in methods.items()}
    evaluations = n_samples * n_units
    loop_median = stats["bucle"]["median_s"]
    rows = [{"method": name, **s,
             "neurons_per_s": evaluations / s["median_s"],
             "speedup": loop_median / s["median_s"]}
            for name, s in stats.items()]
    gap = np.max(np.abs(methods["bucle"]() - methods["lote"]()))
    params = {"n_samples": n_samples, "n_inputs": n_inputs,
              "n_units": n_units, "activation": "relu",
              "max_abs_diff": float(gap)}
    return document("neurona", "numpy", "cpu", params, rows)


# --- Experimento 4: paralelismo de datos --------------------------------

def data_parallel_throughput(framework="torch", replicas=(1, 2), *,
                             batch_size=256, steps=20, device="cpu"):
    """Tiempo por paso de entrenamiento con 1, 2… réplicas de datos.

    Entrada: marco («torch»: procesos con DistributedDataParallel;
    «keras»: DataParallel con JAX), cantidades de réplicas, lote global y
    dispositivo. Cada medición corre en un subproceso
    (``esenciales.<marco>.parallel.data_parallel_step_time``).
    Salida: documento con una fila por cantidad de réplicas: ``step_s``,
    cuartiles y ``examples_per_s``.
    Concepto: el paralelismo de datos reparte el lote; la comunicación
    de los gradientes cuesta.
    """
    check_framework(framework)
    device = measured_device(framework, device)
    parallel = frameworks.framework_module(framework, "parallel")
    rows = [parallel.data_parallel_step_time(r, batch_size, steps, device)
            for r in replicas]
    params = {"replicas": list(replicas), "batch_size": batch_size,
              "steps": steps, "model": "MLP 784 → 512 → 10, SGD"}
    return document("paralelo", framework, device, params, rows)


# --- Cualquier experimento, por su nombre -------------------------------

def experiment_frameworks(experiment):
    """Los marcos con que se mide ``experiment``: la neurona, solo NumPy;
    el resto, Keras y PyTorch."""
    check_experiment(experiment)
    return ("numpy",) if experiment == "neurona" else frameworks.FRAMEWORKS


def measure(experiment, framework, device="auto"):
    """Mide en vivo ``experiment`` con ``framework`` en sus tamaños por
    omisión (lo que corre ``esenciales tiempos``); devuelve el documento.
    """
    if framework not in experiment_frameworks(experiment):
        raise ValueError(f"El experimento «{experiment}» no se mide con "
                         f"{FRAMEWORK_NAMES.get(framework, framework)}.")
    if experiment == "neurona":
        return neuron_batched_vs_loop()
    if experiment == "matmul":
        return matmul_throughput(framework=framework, device=device)
    if experiment == "cnn":
        return cnn_throughput(framework, device=device)
    return data_parallel_throughput(framework, device=device)
