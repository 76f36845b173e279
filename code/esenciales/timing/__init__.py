"""Cronometraje honesto, con procedencia, de productos de matrices y modelos.

Cada medición calienta primero, espera a que el dispositivo termine antes de
leer el reloj, repite varias veces y resume con la mediana y los cuartiles.
Los resultados son «documentos»: diccionarios listos para JSON que guardan
también su procedencia (dispositivo, versiones, fecha). El libro muestra las
cifras medidas en vivo en la CPU junto a cifras grabadas una vez en una GPU.

Esquema de un documento (``schema`` = ``SCHEMA``)::

    schema, experiment ("matmul" | "cnn" | "neurona"),
    framework ("numpy" | "torch" | "keras"), backend (motor de Keras o el
    mismo marco), device ("cpu" | "cuda"), origin ("en vivo" | "grabado"),
    provenance (ver ``provenance``), params (argumentos del experimento),
    results: filas con median_s, q1_s, q3_s, min_s, max_s, repeats,
    number y además: matmul -> n, dtype, flop, gflops;
    cnn -> batch_size, images_per_s; neurona -> method, neurons_per_s,
    speedup.

Este módulo no importa TensorFlow, Keras, PyTorch ni NumPy al cargarse
(``esenciales tiempos --help`` responde al instante): cada uno se importa
dentro de la función que lo usa.
"""

import datetime
import importlib.metadata
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

import esenciales
from esenciales import frameworks, spanish
from esenciales.files import write_json
from esenciales.frameworks import check_framework

SCHEMA = "esenciales.timing/1"
RECORDED_DIR = Path(__file__).resolve().parent / "recorded"
"""Tiempos grabados en GPU, instalados con el paquete (datos del paquete)."""
EXPERIMENTS = ("matmul", "cnn", "neurona", "paralelo")
FRAMEWORK_NAMES = {"numpy": "NumPy", **frameworks.FRAMEWORK_NAMES}
BACKEND_NAMES = {
    "tensorflow": "TensorFlow", "jax": "JAX", "torch": "PyTorch",
    "numpy": "NumPy",
}


# --- El cronómetro -------------------------------------------------------

def time_call(fn, *, sync=None, warmup=2, repeats=7, min_time=0.02):
    """Mide cuánto tarda ``fn()`` y resume las repeticiones.

    Entrada: ``fn`` sin argumentos; ``sync(resultado)`` espera a que el
    dispositivo termine (la GPU trabaja de forma asíncrona). Cada repetición
    llama a ``fn`` las veces necesarias para durar al menos ``min_time``.
    Salida: dict con ``median_s``, ``q1_s``, ``q3_s``, ``min_s`` y ``max_s``
    (segundos por llamada), ``repeats`` y ``number`` (llamadas por
    repetición).
    Concepto: medir bien es calentar, sincronizar y repetir.
    """
    if repeats < 1 or warmup < 0 or min_time < 0:
        raise ValueError(
            "Se requiere repeats >= 1, warmup >= 0 y min_time >= 0."
        )
    sync = sync or _no_sync
    for _ in range(warmup):
        sync(fn())
    number = _calls_per_repeat(fn, sync, min_time)
    times = [_run(fn, sync, number) / number for _ in range(repeats)]
    return _summary(times, number)


def _no_sync(result):
    """No espera nada: el cálculo ya terminó al volver ``fn``."""


def _run(fn, sync, number):
    """Segundos que tardan ``number`` llamadas, sincronizando al final."""
    start = time.perf_counter()
    for _ in range(number):
        result = fn()
    sync(result)
    return time.perf_counter() - start


def _calls_per_repeat(fn, sync, min_time):
    """Duplica las llamadas hasta que una repetición dure ``min_time``."""
    number = 1
    while _run(fn, sync, number) < min_time and number < 2**20:
        number *= 2
    return number


def _summary(times, number):
    """Mediana, cuartiles y extremos de una lista de tiempos."""
    if len(times) > 1:
        q1, _, q3 = statistics.quantiles(times, n=4, method="inclusive")
    else:
        q1 = q3 = times[0]
    return {
        "median_s": statistics.median(times), "q1_s": q1, "q3_s": q3,
        "min_s": min(times), "max_s": max(times),
        "repeats": len(times), "number": number,
    }


# --- Procedencia ---------------------------------------------------------

def provenance(framework=None, device="cpu"):
    """Describe dónde y con qué se midió: máquina, versiones y fecha.

    Entrada: el marco medido («numpy», «torch», «keras») y el dispositivo
    («cpu» o «cuda»).
    Salida: dict JSON con fecha ISO, Python, CPU (modelo e hilos), GPU
    (nombre, cantidad, driver y CUDA, si hay), versiones y backend de Keras.
    Concepto: una cifra sin su procedencia no se puede comparar.
    """
    info = {
        "date": datetime.datetime.now(datetime.timezone.utc)
        .isoformat(timespec="seconds"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu_model": _cpu_model(),
        "cpu_threads": os.cpu_count(),
        "versions": _versions(),
        "keras_backend": None,
        "gpu": _gpu_info(),
    }
    if info["versions"]["keras"]:
        info["keras_backend"] = frameworks.keras_backend()
    if framework == "torch":
        info["torch_threads"] = _torch_threads()
    info["device"] = _device_info(device, info)
    return info


def _cpu_model():
    """Nombre del procesador, leído de /proc/cpuinfo cuando existe."""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text(errors="replace").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def _versions():
    """Versiones instaladas, sin importar los marcos (None si faltan)."""
    names = {
        "numpy": ("numpy",), "keras": ("keras",),
        "tensorflow": ("tensorflow", "tensorflow-cpu"),
        "torch": ("torch",), "jax": ("jax",), "jaxlib": ("jaxlib",),
    }
    versions = {key: _dist_version(d) for key, d in names.items()}
    versions["esenciales"] = esenciales.__version__
    return versions


def _dist_version(dists):
    """Versión de la primera distribución instalada de la lista."""
    for dist in dists:
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            continue
    return None


def _torch_threads():
    """Hilos que usa PyTorch en la CPU."""
    import torch

    return torch.get_num_threads()


def _gpu_info():
    """GPUs NVIDIA visibles según nvidia-smi y PyTorch (None si no hay)."""
    gpus = _nvidia_smi()
    if not gpus:
        return None
    info = {"count": len(gpus), "name": gpus[0]["name"], "gpus": gpus,
            "driver_cuda": _driver_cuda()}
    info.update(_cuda_versions())
    return info


def _driver_cuda():
    """Versión de CUDA que declara el driver en la cabecera de nvidia-smi."""
    try:
        out = subprocess.run(["nvidia-smi"], capture_output=True,
                             text=True, timeout=30).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    found = re.search(r"CUDA Version:\s*([\d.]+)", out)
    return found.group(1) if found else None


def _nvidia_smi():
    """Nombre, driver y memoria de cada GPU, o lista vacía sin nvidia-smi."""
    if shutil.which("nvidia-smi") is None:
        return []
    query = "name,driver_version,memory.total"
    try:
        out = subprocess.run(
            ["nvidia-smi", f"--query-gpu={query}",
             "--format=csv,noheader"],
            capture_output=True, text=True, timeout=30, check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    rows = [line.split(", ") for line in out.strip().splitlines()]
    keys = ("name", "driver", "memory")
    return [dict(zip(keys, row)) for row in rows if len(row) == 3]


def _cuda_versions():
    """CUDA y cuDNN de PyTorch, o los dispositivos de JAX, si ya se
    importaron."""
    info = {}
    torch = sys.modules.get("torch")
    if torch is not None and torch.cuda.is_available():
        info["torch_cuda"] = torch.version.cuda
        info["cudnn"] = torch.backends.cudnn.version()
    jax = sys.modules.get("jax")
    if jax is not None:
        info["jax_devices"] = [d.device_kind for d in jax.devices()]
    return info


def _device_info(device, info):
    """Nombre y cantidad del dispositivo medido."""
    if device == "cpu":
        return {"type": "cpu", "name": info["cpu_model"], "count": 1}
    gpu = info["gpu"] or {}
    return {
        "type": device, "name": gpu.get("name"),
        "count": gpu.get("count", 0),
    }


# --- Documentos ----------------------------------------------------------

def _document(experiment, framework, device, params, results):
    """Arma un documento del esquema con su procedencia."""
    return {
        "schema": SCHEMA,
        "experiment": experiment,
        "framework": framework,
        "backend": _backend_of(framework, experiment),
        "device": device,
        "origin": "en vivo",
        "provenance": provenance(framework, device),
        "params": params,
        "results": results,
    }


def _backend_of(framework, experiment=None):
    """El motor que ejecuta las operaciones del marco (el paralelismo de
    datos de Keras corre siempre con JAX)."""
    if framework == "numpy":
        return "numpy"
    if framework == "keras" and experiment == "paralelo":
        return "jax"
    return frameworks.engine(framework)


def _device(framework, device):
    """El dispositivo medido, «cpu» o «cuda», según
    ``esenciales.frameworks.resolve_device`` (NumPy: siempre la CPU)."""
    if framework == "numpy":  # solo CPU; _numpy_matmul rechaza el resto
        return "cpu" if device == "auto" else device
    return frameworks.resolve_device(framework, device)


# --- Experimento 1: producto de matrices -------------------------------

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
    device = _device(framework, device)
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
    return _document("matmul", framework, device, params, rows)


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
    engine = _backend_of(framework)
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
    lote y dispositivo. Los lotes son imágenes 28×28 aleatorias en [0, 1]
    con etiquetas aleatorias: la velocidad no depende de los valores.
    Salida: documento con una fila por lote: tiempos por paso e
    ``images_per_s``.
    Concepto: el costo de entrenar se mide en pasos (adelante, atrás,
    actualización) por segundo.
    """
    check_framework(framework)
    device = _device(framework, device)
    make_step = _torch_cnn_step if framework == "torch" \
        else _keras_cnn_step
    rows = []
    for batch_size in batch_sizes:
        fn, sync = make_step(batch_size, device)
        stats = time_call(fn, sync=sync, warmup=warmup, repeats=repeats,
                          min_time=min_time)
        rows.append({"batch_size": batch_size, **stats,
                     "images_per_s": batch_size / stats["median_s"]})
    params = {"batch_sizes": list(batch_sizes), "model": "mnist_cnn",
              "optimizer": "adam", "loss": "sparse_categorical_crossentropy",
              "data": "aleatorios"}
    return _document("cnn", framework, device, params, rows)


def _random_batch(batch_size, shape):
    """Imágenes aleatorias en [0, 1] y etiquetas aleatorias 0..9."""
    import numpy as np

    rng = np.random.default_rng(0)
    x = rng.random((batch_size, *shape), dtype=np.float32)
    y = rng.integers(0, 10, size=batch_size)
    return x, y


def _torch_cnn_step(batch_size, device):
    """Devuelve (fn, sync): fn da un paso de Adam sobre un lote fijo, con
    la pérdida que usa ``fit`` (``nn.CrossEntropyLoss`` sobre logits)."""
    import torch

    from esenciales.torch.models import mnist_cnn
    from esenciales.torch.training import get_loss

    torch.manual_seed(0)
    model = mnist_cnn().to(device)
    optimizer = torch.optim.Adam(model.parameters())
    loss_fn = get_loss("sparse_categorical_crossentropy", model)
    x, y = _random_batch(batch_size, (1, 28, 28))
    x = torch.from_numpy(x).to(device)
    y = torch.from_numpy(y).to(device)

    def step():
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        return loss

    return step, _torch_sync(device)


def _keras_cnn_step(batch_size, device):
    """Devuelve (fn, sync): fn llama a train_on_batch, que ya sincroniza."""
    import keras

    from esenciales.keras.models import mnist_cnn

    x, y = _random_batch(batch_size, (28, 28, 1))
    with keras.device(frameworks.keras_device(device)):
        keras.utils.set_random_seed(0)
        model = mnist_cnn()
        model.compile(optimizer="adam",
                      loss="sparse_categorical_crossentropy")
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
    return _document("neurona", "numpy", "cpu", params, rows)


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
    device = _device(framework, device)
    parallel = frameworks.framework_module(framework, "parallel")
    rows = [parallel.data_parallel_step_time(r, batch_size, steps, device)
            for r in replicas]
    params = {"replicas": list(replicas), "batch_size": batch_size,
              "steps": steps, "model": "MLP 784 → 512 → 10, SGD"}
    return _document("paralelo", framework, device, params, rows)


# --- Cualquier experimento, por su nombre -------------------------------

def experiment_frameworks(experiment):
    """Los marcos con que se mide ``experiment``: la neurona, solo NumPy;
    el resto, Keras y PyTorch."""
    check_experiment(experiment)
    return ("numpy",) if experiment == "neurona" else frameworks.FRAMEWORKS


def check_experiment(experiment):
    """Devuelve ``experiment`` si existe; si no, ``ValueError``."""
    if experiment not in EXPERIMENTS:
        raise ValueError(f"Experimento desconocido: «{experiment}». "
                         f"Opciones: {', '.join(EXPERIMENTS)}.")
    return experiment


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


# --- En vivo en la GPU, o grabado ---------------------------------------

GPU_SIZES = (64, 128, 256, 512, 1024, 2048, 4096, 8192)
GPU_BATCHES = (32, 128, 512, 2048)


def live_device(framework="torch"):
    """«cuda» si ``framework`` ve una GPU CUDA en esta máquina; si no,
    «cpu»."""
    return frameworks.resolve_device(framework, "auto")


def gpu_replicas():
    """Réplicas que se pueden medir en GPU: 1, y 2 si hay dos GPU."""
    return (1, 2) if len(frameworks.gpus("torch")) >= 2 else (1,)


def gpu_jobs(experiment, framework, device="cuda"):
    """Las mediciones en GPU de un experimento: {archivo: función}.

    Es la lista que graba ``benchmarks/record_gpu.py`` y la que el libro
    mide en vivo cuando hay GPU. Con ``device="cpu"`` corre lo mismo en
    tamaños pequeños (prueba del guion en una máquina sin GPU).
    """
    small = device == "cpu"
    jobs = {
        "matmul": lambda: matmul_throughput(
            (64, 128) if small else GPU_SIZES, framework=framework,
            dtypes=("float32",) if small
            else ("float32", "tf32", "bfloat16"), device=device),
        "cnn": lambda: cnn_throughput(
            framework, (32,) if small else GPU_BATCHES, device=device),
        "paralelo": lambda: data_parallel_throughput(
            framework, (1,) if small else gpu_replicas(),
            batch_size=256 if small else 4096, steps=5 if small else 50,
            device=device),
    }
    return {_job_file(experiment, framework, device): jobs[experiment]}


def _job_file(experiment, framework, device):
    """Nombre del archivo grabado: «cnn_keras_jax_cuda.json»."""
    label = framework
    if framework == "keras":
        label = f"keras_{_backend_of(framework, experiment)}"
    return f"{experiment}_{label}_{device}.json"


def gpu_documents(experiment, frameworks_=("torch", "keras")):
    """Documentos de GPU de un experimento: medidos ahora si hay GPU.

    Si PyTorch ve una GPU CUDA, mide en ella con cada marco (origen «en
    vivo»); si no, devuelve los documentos grabados en GPU (origen
    «grabado», con su fecha, dispositivo, driver y versiones).
    """
    if live_device("torch") != "cuda":
        return [doc for doc in recorded_results(experiment)
                if doc["device"] == "cuda"]
    docs = []
    for framework in frameworks_:
        for job in gpu_jobs(experiment, framework).values():
            docs.append(job())
    return docs


def host_documents(experiment, gpu_docs):
    """La CPU de la máquina de la GPU, medida en la misma corrida.

    Si las cifras de GPU son grabadas, devuelve las de CPU grabadas junto
    con ellas (la comparación justa es en la misma máquina); si son en
    vivo, no hace falta: la CPU en vivo ya es de esta máquina.
    """
    if any(doc["origin"] == "en vivo" for doc in gpu_docs):
        return []
    return [doc for doc in recorded_results(experiment)
            if doc["device"] == "cpu"]


def provenance_markdown(docs):
    """Lista Markdown con la procedencia de cada documento grabado.

    Una línea por documento: experimento y marco, fecha, dispositivo,
    driver y CUDA, y versiones de los marcos. Los documentos en vivo se
    describen con una sola frase.
    """
    lines = []
    for doc in docs:
        if doc.get("origin") != "grabado":
            continue
        info = doc["provenance"]
        gpu = info.get("gpu") or {}
        driver = (gpu.get("gpus") or [{}])[0].get("driver")
        cuda = gpu.get("torch_cuda") or gpu.get("driver_cuda")
        keys = (("torch",) if doc["framework"] == "torch"
                else ("keras", doc["backend"]))
        versions = ", ".join(
            f"{FRAMEWORK_NAMES.get(key, BACKEND_NAMES.get(key, key))} "
            f"{info['versions'][key]}"
            for key in keys if info["versions"].get(key))
        parts = [f"grabado el {info['date'][:10]}", device_name(doc)]
        if driver:
            parts.append(f"driver {driver}")
        if cuda:
            parts.append(f"CUDA {cuda}")
        parts.append(versions)
        lines.append(f"- **{EXPERIMENT_NAMES[doc['experiment']]} · "
                     f"{framework_name(doc)}**: " + "; ".join(parts) + ".")
    if not lines:
        return "Todas las cifras de esta tabla se midieron en vivo."
    return "\n".join(lines)


EXPERIMENT_NAMES = {"matmul": "Producto de matrices",
                    "cnn": "CNN de MNIST", "neurona": "Neuronas",
                    "paralelo": "Paralelismo de datos"}


def comparison_markdown(live_docs, other_docs=()):
    """Tabla de ``comparison_table`` y, debajo, la procedencia de las
    cifras grabadas (lo que el libro muestra bajo cada medición)."""
    rows = comparison_table(live_docs, other_docs)
    return (table_markdown(rows) + "\n\n"
            + provenance_markdown([*live_docs, *other_docs]))


def origin_phrase(doc):
    """«medida en vivo» o «grabada el 2025-07-14»."""
    if doc.get("origin") == "grabado":
        return f"grabada el {doc['provenance']['date'][:10]}"
    return "medida en vivo al construir este libro"


def _torch_gpu(docs):
    """El documento de PyTorch en GPU (el primero si hubiera varios)."""
    return next(d for d in docs
                if d["framework"] == "torch" and d["device"] == "cuda")


def matmul_numbers(live, gpu_docs, host_docs):
    """Cifras del producto de matrices para ``glue`` (textos en español).

    ``live``: la CPU de esta construcción; ``gpu_docs`` y ``host_docs``:
    los de ``gpu_documents`` y ``host_documents``. La CPU de referencia
    es la de la máquina de la GPU (la grabada, o esta misma si la GPU se
    midió en vivo).
    """
    gpu = _torch_gpu(gpu_docs)
    reference = host_docs[0] if host_docs else live
    peaks = matmul_peaks(gpu)
    ref_peak = matmul_peaks(reference)["float32"]["gflops"]
    numbers = {
        "mm-cpu-vivo": spanish.number(round(
            max(r["gflops"] for r in live["results"]))),
        "mm-gpu-nombre": device_name(gpu),
        "mm-gpu-origen": origin_phrase(gpu),
        "mm-ref-nombre": device_name(reference),
        "mm-ref": spanish.number(round(ref_peak)),
    }
    for dtype, key in (("float32", "fp32"), ("bfloat16", "bf16")):
        if dtype not in peaks:
            continue
        tflops = peaks[dtype]["gflops"] / 1e3
        numbers[f"mm-gpu-{key}"] = spanish.number(round(tflops))
        numbers[f"mm-razon-{dtype}"] = spanish.number(
            round(peaks[dtype]["gflops"] / ref_peak))
    return numbers


def cnn_numbers(live, gpu_docs, host_docs, epoch=60_000):
    """Cifras del paso de la CNN para ``glue`` (textos en español)."""
    gpu = _torch_gpu(gpu_docs)
    reference = host_docs[0] if host_docs else live

    def best(doc):
        return max(r["images_per_s"] for r in doc["results"])

    return {
        "cnn-gpu": spanish.number(round(best(gpu))),
        "cnn-gpu-origen": origin_phrase(gpu),
        "cnn-ref-nombre": device_name(reference),
        "cnn-ref": spanish.number(round(best(reference))),
        "cnn-razon-ref": spanish.number(round(best(gpu) / best(reference))),
        "cnn-cpu": spanish.number(round(best(live))),
        "cnn-razon": spanish.number(round(best(gpu) / best(live))),
        "cnn-epoca-gpu": spanish.number(epoch / best(gpu), 2),
        "cnn-epoca-cpu": spanish.number(round(epoch / best(live))),
    }


# --- Archivos grabados ---------------------------------------------------

def save_results(doc, path):
    """Guarda un documento como JSON; en disco queda marcado «grabado»."""
    _check_doc(doc, path)
    return write_json(path, {**doc, "origin": "grabado"})


def load_recorded(path):
    """Lee un documento grabado y comprueba su esquema.

    Salida: el documento (dict) con ``origin`` = «grabado».
    """
    path = Path(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise ValueError(f"No se pudo leer {path}: {err}") from err
    _check_doc(doc, path)
    return {**doc, "origin": "grabado"}


def recorded_results(experiment=None, directory=None):
    """Todos los documentos grabados de ``timing/recorded`` (o ``directory``).

    Entrada: un experimento («matmul», «cnn», «neurona») para filtrar, o
    None para todos.
    Salida: lista de documentos ordenada por nombre de archivo.
    """
    directory = Path(directory or RECORDED_DIR)
    docs = [load_recorded(p) for p in sorted(directory.glob("*.json"))]
    if experiment is None:
        return docs
    return [doc for doc in docs if doc["experiment"] == experiment]


def _check_doc(doc, where):
    """Falla con un mensaje claro si el documento no sigue el esquema."""
    required = ("schema", "experiment", "framework", "backend", "device",
                "provenance", "params", "results")
    if not isinstance(doc, dict):
        raise ValueError(f"{where}: se esperaba un objeto JSON.")
    missing = [key for key in required if key not in doc]
    if missing:
        raise ValueError(f"{where}: faltan las claves {missing}.")
    if doc["schema"] != SCHEMA:
        raise ValueError(
            f"{where}: esquema {doc['schema']!r}; se esperaba {SCHEMA!r}."
        )
    if doc["experiment"] not in EXPERIMENTS:
        raise ValueError(
            f"{where}: experimento desconocido {doc['experiment']!r}."
        )


# --- Tablas y series para el libro ---------------------------------------

def describe(doc):
    """Etiqueta corta: dispositivo · marco (backend) · origen."""
    return (f"{device_name(doc)} · {framework_name(doc)} "
            f"({doc.get('origin', 'en vivo')})")


def device_name(doc):
    """Nombre del dispositivo medido, p. ej. «NVIDIA H200» o la CPU."""
    device = doc["provenance"]["device"]
    if device["type"] == "cpu":
        threads = doc["provenance"].get("torch_threads") \
            or doc["provenance"]["cpu_threads"]
        return (f"CPU {device['name']} ({threads} "
                f"{'hilo' if threads == 1 else 'hilos'})")
    return device["name"] or "GPU"


def framework_name(doc):
    """Marco legible, con el backend para Keras: «Keras (JAX)»."""
    name = FRAMEWORK_NAMES[doc["framework"]]
    if doc["framework"] == "keras":
        return f"{name} ({BACKEND_NAMES.get(doc['backend'], '?')})"
    return name


def matmul_peaks(doc):
    """Mejor GFLOP/s de cada tipo en un documento de matmul.

    Salida: dict tipo -> {"n": tamaño, "gflops": valor}.
    """
    if doc["experiment"] != "matmul":
        raise ValueError("Se esperaba un documento del experimento matmul.")
    peaks = {}
    for row in doc["results"]:
        best = peaks.get(row["dtype"])
        if best is None or row["gflops"] > best["gflops"]:
            peaks[row["dtype"]] = {"n": row["n"], "gflops": row["gflops"]}
    return peaks


def peak_fractions(doc, reference="bfloat16"):
    """Mejor GFLOP/s de cada tipo como fracción del mejor de ``reference``.

    Salida: dict tipo -> fracción (1.0 para la referencia).
    """
    peaks = matmul_peaks(doc)
    if reference not in peaks:
        raise ValueError(f"El documento no tiene filas de {reference!r}.")
    top = peaks[reference]["gflops"]
    return {dtype: peak["gflops"] / top for dtype, peak in peaks.items()}


def comparison_table(live_docs, recorded_docs=()):
    """Filas para comparar cifras en vivo con cifras grabadas.

    Entrada: documentos medidos ahora y documentos grabados (pueden
    mezclarse experimentos). Salida: lista de dicts con claves en
    castellano: «origen», «dispositivo», «marco» y las columnas propias
    del experimento (matmul: mejor GFLOP/s por tipo; cnn: imágenes/s por
    lote; neurona: tiempo y aceleración por método).
    """
    rows = []
    for doc in [*live_docs, *recorded_docs]:
        _check_doc(doc, "documento")
        base = {"origen": doc.get("origin", "en vivo"),
                "dispositivo": device_name(doc),
                "marco": framework_name(doc)}
        rows += [{**base, **extra} for extra in _table_rows(doc)]
    return rows


def _table_rows(doc):
    """Columnas propias de cada experimento."""
    if doc["experiment"] == "matmul":
        return [{"tipo": dtype, "n": peak["n"], "GFLOP/s": peak["gflops"]}
                for dtype, peak in matmul_peaks(doc).items()]
    if doc["experiment"] == "cnn":
        return [{"lote": r["batch_size"], "imágenes/s": r["images_per_s"]}
                for r in doc["results"]]
    if doc["experiment"] == "paralelo":
        return [{"réplicas": r["replicas"], "lote": r["batch_size"],
                 "ms por paso": 1e3 * r["step_s"],
                 "ejemplos/s": r["examples_per_s"]}
                for r in doc["results"]]
    return [{"método": r["method"], "ms": 1e3 * r["median_s"],
             "aceleración": r["speedup"]} for r in doc["results"]]


def table_markdown(rows):
    """Tabla Markdown de las filas de ``comparison_table``.

    Las columnas son la unión de las claves, en orden de aparición.
    """
    if not rows:
        raise ValueError("No hay filas para la tabla.")
    return spanish.markdown_table(rows, numbers=_format)


def _format(value):
    """Reales con tres cifras significativas; enteros completos."""
    if isinstance(value, float):
        return spanish.significant(value)
    return spanish.number(value)


def matmul_series(docs):
    """Datos del gráfico log-log de GFLOP/s frente al tamaño n.

    Salida: lista de dicts, una serie por (documento, tipo), con «label»,
    «sizes», «gflops» y «origin».
    """
    series = []
    for doc in docs:
        if doc["experiment"] != "matmul":
            continue
        for dtype in dict.fromkeys(r["dtype"] for r in doc["results"]):
            rows = [r for r in doc["results"] if r["dtype"] == dtype]
            series.append({
                "label": f"{describe(doc)} · {dtype}",
                "sizes": [r["n"] for r in rows],
                "gflops": [r["gflops"] for r in rows],
                "origin": doc.get("origin", "en vivo"),
            })
    return series
