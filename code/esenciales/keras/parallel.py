"""Paralelismo de datos y de modelo en Keras, con la API de distribución.

``keras.distribution`` reparte el trabajo entre dispositivos con el
backend JAX: ``DataParallel`` copia el modelo en cada dispositivo y parte
cada lote; ``ModelParallel`` parte los pesos según un ``LayoutMap``, un
diccionario de expresiones regulares sobre la ruta de cada variable
(``"mlp/oculta/kernel"``). JAX (con XLA) inserta por su cuenta las
comunicaciones que en PyTorch escribimos a mano.

Un solo proceso controla todos los dispositivos. Sin GPU, JAX puede
simular varios en la CPU con ``XLA_FLAGS=--xla_force_host_platform_
device_count=2``, pero solo si la variable existe antes de importar JAX;
por eso las funciones ``*_check`` y ``*_time`` corren su tarea en un
subproceso aparte (``python -m esenciales.keras.parallel TAREA``), con
tiempo límite.
"""

import argparse
import json
import statistics
import time
from pathlib import Path

import keras
import numpy as np

from esenciales.isolated import jax_devices_env, run_task
from esenciales.threads import available_cores

TASK_TIMEOUT = 300
"""Segundos que se le dan a una tarea completa en su subproceso."""

CHECK_STEPS, CHECK_BATCH = 4, 64
"""Pasos de SGD y lote global de la prueba de paralelismo de datos."""


def two_layer_mlp(n_inputs=784, n_hidden=128, n_classes=10):
    """MLP de dos capas densas: «oculta» (ReLU) y «salida» (softmax).

    Entrada: (N, n_inputs). Salida: (N, n_classes), probabilidades.
    """
    return keras.Sequential([
        keras.Input((n_inputs,)),
        keras.layers.Dense(n_hidden, activation="relu", name="oculta"),
        keras.layers.Dense(n_classes, activation="softmax", name="salida"),
    ], name="mlp")


# --- Paralelismo de datos ------------------------------------------------

def train_data_parallel(build_model, x, y, *, epochs=1, batch_size=64,
                        lr=0.1, seed=0):
    """Entrena con SGD, con una réplica del modelo en cada dispositivo.

    Entrada: x (N, d) y y (N,) enteros; batch_size es el lote global B:
    con R dispositivos, cada réplica ve B/R ejemplos de cada lote y los
    gradientes se promedian entre todas. Requiere el backend JAX.
    Salida: el modelo entrenado, con los mismos pesos en toda réplica.
    """
    _require_jax()
    devices = keras.distribution.list_devices()
    if batch_size % len(devices):
        raise ValueError(f"El lote {batch_size} no se reparte en "
                         f"{len(devices)} réplicas iguales.")
    distribution = keras.distribution.DataParallel(devices=devices)
    with distribution.scope():
        return _train_sgd(build_model, x, y, epochs, batch_size, lr, seed)


def _train_sgd(build_model, x, y, epochs, batch_size, lr, seed):
    """Construye, compila y entrena con SGD (en la distribución activa)."""
    keras.utils.set_random_seed(seed)
    model = build_model()
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=lr),
                  loss="sparse_categorical_crossentropy")
    model.fit(x, y, epochs=epochs, batch_size=batch_size, verbose=0)
    return model


def _require_jax():
    """La API de distribución de Keras solo funciona con JAX."""
    if keras.backend.backend() != "jax":
        raise RuntimeError(
            "keras.distribution requiere el backend JAX "
            "(KERAS_BACKEND=jax); este proceso usa "
            f"{keras.backend.backend()}.")


# --- Paralelismo de modelo -----------------------------------------------

def split_dense(model, shards=2):
    """Parte un two_layer_mlp entre R = shards dispositivos.

    La capa oculta se parte por columnas (cada dispositivo guarda H/R
    neuronas: kernel (d, H/R), bias (H/R,)) y la de salida por filas
    (kernel (H/R, K)); su bias queda repetido. Las claves del LayoutMap
    deben calzar enteras (re.fullmatch) con la ruta de cada variable: una
    clave que no calza deja el peso sin partir, sin avisar.
    Salida: un modelo nuevo con los mismos pesos, ya repartidos.
    """
    _require_jax()
    devices = keras.distribution.list_devices()[:shards]
    if len(devices) < shards:
        raise ValueError(f"Se pidieron {shards} trozos, pero hay "
                         f"{len(devices)} dispositivos.")
    mesh = keras.distribution.DeviceMesh(
        (1, shards), ["batch", "model"], devices)
    layout = keras.distribution.LayoutMap(mesh)
    hidden, output = model.layers
    layout[f".*/{hidden.name}/kernel"] = (None, "model")  # columnas
    layout[f".*/{hidden.name}/bias"] = ("model",)
    layout[f".*/{output.name}/kernel"] = ("model", None)  # filas
    distribution = keras.distribution.ModelParallel(
        layout_map=layout, batch_dim_name="batch")
    with distribution.scope():
        split = keras.models.clone_model(model)
        split.set_weights(model.get_weights())
    return split


def shard_shapes(model):
    """Forma del trozo de cada peso que guarda un dispositivo.

    Salida: dict ruta → forma; igual a la forma completa si el peso está
    repetido en todos los dispositivos.
    """
    return {v.path: list(v.value.sharding.shard_shape(v.shape))
            for v in model.weights}


# --- Las tareas, en procesos aparte --------------------------------------

def data_parallel_step_check(replicas=2, steps=CHECK_STEPS,
                             batch_size=CHECK_BATCH, seed=0):
    """Compara k pasos de SGD en R réplicas con k pasos en una sola.

    En float64, con R dispositivos virtuales de JAX en la CPU: lote B/R
    por réplica frente a lote B en un dispositivo, sobre los mismos
    datos. Salida: dict con ``max_abs_diff``, ``replica_spread`` (entre
    las copias de cada peso) y los parámetros de la prueba.
    """
    return run_task(__name__, "data-check",
                    {"replicas": replicas, "steps": steps,
                     "batch_size": batch_size, "seed": seed},
                    env=jax_devices_env(replicas, "cpu", float64=True),
                    timeout=TASK_TIMEOUT)


def model_parallel_check(shards=2, seed=0):
    """Compara el MLP partido en ``shards`` dispositivos con el entero.

    En float64, sobre un lote aleatorio. Salida: dict con
    ``output_diff``, ``grad_diff`` y ``shard_shapes``.
    """
    return run_task(__name__, "model-check",
                    {"shards": shards, "seed": seed},
                    env=jax_devices_env(shards, "cpu", float64=True),
                    timeout=TASK_TIMEOUT)


def data_parallel_step_time(replicas=1, batch_size=256, steps=20,
                            device="cpu"):
    """Segundos por paso de entrenamiento con R réplicas, lote global B.

    ``train_on_batch`` de SGD sobre B ejemplos de MNIST simulados con el
    ``two_layer_mlp`` (784 → 512 → 10), con ``DataParallel`` si R > 1.
    Salida: dict con la mediana ``step_s`` (y cuartiles) y
    ``examples_per_s``.
    """
    return run_task(__name__, "step-time",
                    {"replicas": replicas, "batch_size": batch_size,
                     "steps": steps, "device": device},
                    env=jax_devices_env(replicas, device),
                    timeout=TASK_TIMEOUT)


def parallelism_report(replicas=2, batch_size=256, steps=20):
    """Las dos pruebas de igualdad y el tiempo por paso con 1 y R réplicas.

    Todo en un subproceso con R dispositivos virtuales de JAX en la CPU.
    Salida: dict con «data» (``data_parallel_step_check``), «model»
    (``model_parallel_check`` con R trozos) y «times», los resultados de
    ``data_parallel_step_time`` para 1 y para R réplicas.
    """
    return run_task(__name__, "report",
                    {"replicas": replicas, "shards": replicas,
                     "batch_size": batch_size, "steps": steps},
                    env=jax_devices_env(replicas, "cpu", float64=True),
                    timeout=TASK_TIMEOUT)


def _problem(n, n_inputs, n_classes, seed):
    """Datos aleatorios en float64: x (n, n_inputs), y (n,) enteros."""
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((n, n_inputs)),
            rng.integers(0, n_classes, size=n))


def _check_mlp():
    """El MLP pequeño de las pruebas de igualdad."""
    return two_layer_mlp(20, 16, 3)


def _max_diff(a, b):
    """Máxima diferencia absoluta entre dos listas de arreglos."""
    return max(float(np.max(np.abs(np.asarray(u) - np.asarray(v))))
               for u, v in zip(a, b))


def _data_check(args, steps=None, batch_size=None):
    """Tarea «data-check»: pesos de R réplicas frente a un dispositivo."""
    steps, batch_size = steps or args.steps, batch_size or args.batch_size
    keras.config.set_floatx("float64")
    x, y = _problem(steps * batch_size, 20, 3, args.seed)
    keras.utils.set_random_seed(args.seed)
    initial = _check_mlp().get_weights()
    single = _train_sgd(_check_mlp, x, y, 1, batch_size, 0.1, args.seed)
    split = train_data_parallel(_check_mlp, x, y, epochs=1,
                                batch_size=batch_size, lr=0.1,
                                seed=args.seed)
    copies = [[shard.data for shard in v.value.addressable_shards]
              for v in split.weights]
    spread = max(_max_diff(c, [c[0]] * len(c)) for c in copies)
    return {"replicas": len(copies[0]), "steps": steps,
            "batch_size": batch_size,
            "dtype": str(split.weights[0].dtype),
            "max_abs_diff": _max_diff(split.get_weights(),
                                      single.get_weights()),
            "replica_spread": spread,
            "update_size": _max_diff(single.get_weights(), initial)}


def _model_check(args):
    """Tarea «model-check»: el MLP partido frente al entero."""
    import jax

    keras.config.set_floatx("float64")
    keras.utils.set_random_seed(args.seed)
    full = _check_mlp()
    split = split_dense(full, args.shards)
    x, y = _problem(8, 20, 3, args.seed)
    gradients = [jax.grad(_loss, argnums=(0, 1))(
        [v.value for v in model.trainable_variables], x, y, model)
        for model in (full, split)]
    (w_full, x_full), (w_split, x_split) = gradients
    return {"shards": args.shards, "dtype": str(split.weights[0].dtype),
            "output_diff": _max_diff([split(x)], [full(x)]),
            "grad_diff": _max_diff([*w_split, x_split], [*w_full, x_full]),
            "shard_shapes": shard_shapes(split),
            "full_shapes": {v.path: list(v.shape) for v in full.weights},
            "weights": [[v.path, list(v.shape), shape] for v, shape in
                        zip(full.weights, shard_shapes(split).values())]}


def _loss(trainable, x, y, model):
    """Entropía cruzada media del modelo con los pesos ``trainable``."""
    probs, _ = model.stateless_call(trainable, [], x)
    return keras.ops.mean(
        keras.losses.sparse_categorical_crossentropy(y, probs))


def _report(args):
    """Tarea «report»: las dos pruebas y los tiempos con 1 y R réplicas."""
    data = _data_check(args, CHECK_STEPS, CHECK_BATCH)
    model = _model_check(args)
    keras.config.set_floatx("float32")
    return {"data": data, "model": model,
            "times": [_step_time(args, replicas=1), _step_time(args)]}


def _step_time(args, repeats=5, replicas=None):
    """Tarea «step-time»: mediana de segundos por ``train_on_batch``."""
    replicas = replicas or args.replicas
    devices = keras.distribution.list_devices()[:replicas]
    distribution = keras.distribution.DataParallel(devices=devices)
    rng = np.random.default_rng(0)
    x = rng.random((args.batch_size, 784), dtype=np.float32)
    y = rng.integers(0, 10, size=args.batch_size)
    with distribution.scope():
        model = two_layer_mlp(784, 512, 10)
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01),
                      loss="sparse_categorical_crossentropy")
        for _ in range(3):  # calentamiento (y compilación de XLA)
            model.train_on_batch(x, y)
        times = []
        for _ in range(repeats):
            start = time.perf_counter()
            for _ in range(args.steps):
                loss = model.train_on_batch(x, y)
            float(loss)  # espera al dispositivo
            times.append((time.perf_counter() - start) / args.steps)
    q1, median, q3 = statistics.quantiles(times, n=4, method="inclusive")
    return {"replicas": len(devices), "batch_size": args.batch_size,
            "device": args.device, "steps": args.steps,
            "repeats": repeats, "step_s": median, "q1_s": q1, "q3_s": q3,
            "examples_per_s": args.batch_size / median,
            "threads_per_process": available_cores(),
            "cores": available_cores(),
            "parameters": model.count_params()}


TASKS = {"data-check": _data_check, "model-check": _model_check,
         "step-time": _step_time, "report": _report}


def _main(argv=None):
    """Punto de entrada del subproceso: corre una tarea y guarda su JSON."""
    parser = argparse.ArgumentParser(prog="esenciales.keras.parallel")
    parser.add_argument("task", choices=sorted(TASKS))
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--shards", type=int, default=2)
    parser.add_argument("--steps", type=int, default=4)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args(argv)
    _require_jax()
    result = TASKS[args.task](args)
    args.out.write_text(json.dumps(result), encoding="utf-8")


if __name__ == "__main__":
    from esenciales.keras import parallel

    parallel._main()
