"""Entrenar una receta con paralelismo de datos (``entrenar --procesos R``).

PyTorch: R procesos, cada uno con una copia del modelo en
``DistributedDataParallel`` y 1/R de los datos
(``esenciales.torch.parallel``). Keras: un proceso con el backend JAX y R
dispositivos (R GPU, o R simulados en la CPU) bajo
``keras.distribution.DataParallel``. En los dos marcos el entrenamiento es
el de siempre, por receta (``esenciales.runs.training.train``), y corre en
un subproceso (``python -m esenciales.runs.parallel train``): los procesos
de PyTorch y los dispositivos simulados de JAX no se lanzan desde la celda
de un cuaderno. ``batch_size`` es el lote global de la receta. El avance
es el de ``esenciales entrenar`` sin réplicas: una ``epoch_line`` por
época (en PyTorch, la del proceso 0).
"""

import argparse
import importlib.util
import json
import pickle
import sys
import tempfile
from pathlib import Path

from esenciales.frameworks import check_framework
from esenciales.isolated import TaskError, jax_devices_env, run_task
from esenciales.runs import progress, recipes


def train_recipe(recipe, framework="torch", replicas=2, **options):
    """Entrena ``recipe`` con ``replicas`` réplicas de datos.

    ``options`` son ``device`` y ``verbose`` (distinto de 0: una línea
    por época en la salida de errores, la de ``progress.epoch_line``).
    Salida: el ``TrainingResult``; en PyTorch, el del proceso 0 (su
    historial mide su parte de los datos; la prueba, el conjunto
    completo).
    """
    check_framework(framework)
    recipe = recipes.get(recipe)
    if recipe.batch_size % replicas:
        raise ValueError(f"El lote {recipe.batch_size} no se reparte "
                         f"en {replicas} réplicas iguales.")
    env = None
    if framework == "keras":
        if importlib.util.find_spec("jax") is None:
            raise TaskError("El paralelismo de Keras necesita JAX: "
                            "instalen el extra esenciales[jax].")
        device = "cuda" if options.get("device") == "cuda" else "cpu"
        env = jax_devices_env(replicas, device)
    with tempfile.TemporaryDirectory(prefix="esenciales-") as folder:
        result = Path(folder) / "resultado.pkl"
        run_task(__name__, "train",
                 {"framework": framework, "replicas": replicas,
                  "recipe": json.dumps(recipe.as_dict()), "result": result,
                  "options": json.dumps(options)},
                 env=env, timeout=None, stream=True)
        with open(result, "rb") as file:
            return pickle.load(file)


# --- Dentro del subproceso ----------------------------------------------

def _train_keras(recipe, replicas, options, result_path):
    """La receta con ``DataParallel`` sobre ``replicas`` dispositivos."""
    import keras

    from esenciales.runs.training import train

    devices = keras.distribution.list_devices()[:replicas]
    if len(devices) < replicas:
        raise ValueError(f"Se pidieron {replicas} réplicas, pero hay "
                         f"{len(devices)} dispositivos.")
    keras.distribution.set_distribution(
        keras.distribution.DataParallel(devices=devices))
    result = _clean_failure(lambda: train(recipe, "keras", **{
        **_train_options(options), "device": "auto"}))
    _save(result, result_path)


def _train_torch(recipe, replicas, options, result_path):
    """La receta en ``replicas`` procesos con DDP; el 0 guarda el
    resultado."""
    import torch.multiprocessing as mp

    from esenciales.frameworks import resolve_device
    from esenciales.torch.parallel import spawn_replicas

    device = resolve_device("torch", options.get("device", "cpu"))
    try:
        spawn_replicas(_torch_replica, replicas, device, recipe.as_dict(),
                       {**options, "device": device}, result_path)
    except mp.ProcessExitedException:  # el proceso ya dijo por qué
        raise SystemExit(1) from None


def _torch_replica(rank, record, options, result_path):
    """Un proceso del grupo: entrena su parte con el ``fit`` envuelto."""
    from esenciales.runs.training import train
    from esenciales.torch.parallel import replica_fit

    if rank != 0:
        options = {**options, "verbose": 0}
    result = _clean_failure(
        lambda: train(recipes.from_dict(record), "torch",
                      wrap_fit=replica_fit, **_train_options(options)),
        f"proceso {rank}: ")
    if rank == 0:
        _save(result, result_path)


def _train_options(options):
    """Las opciones de ``train``: ``fit`` calla (``verbose=0``) y, si se
    pidió avance, cada época escribe su ``epoch_line``."""
    report = options.get("verbose", 0)
    return {**options, "verbose": 0,
            "listener": progress.EpochLines() if report else None}


def _clean_failure(run, where=""):
    """Corre ``run()``; si falla, una línea clara y salida 1, sin traza."""
    try:
        return run()
    except Exception as error:
        print(f"esenciales: {where}{error}", file=sys.stderr)
        raise SystemExit(1) from None


def _save(result, path):
    with open(path, "wb") as file:
        pickle.dump(result, file)


def _main(argv=None):
    """Punto de entrada del subproceso: entrena y deja el resultado."""
    parser = argparse.ArgumentParser(prog="esenciales.runs.parallel")
    parser.add_argument("task", choices=["train"])
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--framework", required=True)
    parser.add_argument("--replicas", type=int, required=True)
    parser.add_argument("--recipe", required=True)
    parser.add_argument("--result", type=Path, required=True)
    parser.add_argument("--options", default="{}")
    args = parser.parse_args(argv)
    recipe = recipes.from_dict(json.loads(args.recipe))
    train = _train_keras if args.framework == "keras" else _train_torch
    train(recipe, args.replicas, json.loads(args.options), args.result)
    args.out.write_text(json.dumps({"recipe": recipe.name,
                                    "replicas": args.replicas}),
                        encoding="utf-8")


if __name__ == "__main__":
    # Por su nombre de módulo: los procesos de PyTorch reciben funciones
    # de esenciales.runs.parallel, no de __main__.
    from esenciales.runs import parallel

    parallel._main()
