"""Paralelismo de datos y de modelo en PyTorch, con procesos de verdad.

Paralelismo de datos: cada proceso guarda una copia del modelo y recibe
un trozo distinto de cada lote (``DistributedSampler``);
``DistributedDataParallel`` promedia los gradientes con un *all-reduce*
durante ``backward``, así que todas las copias dan el mismo paso.
Paralelismo de modelo: la primera capa densa de un MLP se parte por
columnas y la segunda por filas (como en Megatron-LM); cada proceso
guarda la mitad de los pesos y un *all-reduce* suma las salidas parciales.

Los procesos se lanzan desde este módulo (``python -m
esenciales.torch.parallel TAREA``) con ``torch.multiprocessing.spawn``,
nunca desde la celda de un cuaderno: las funciones ``*_check`` y
``*_time`` corren la tarea en un subproceso aparte, con tiempo límite.
Backend ``gloo`` en CPU y ``nccl`` en GPU (una GPU por proceso).
"""

import argparse
import datetime
import json
import os
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import torch
import torch.distributed as dist
import torch.multiprocessing as mp
from torch import nn
from torch.nn.parallel import DistributedDataParallel
from torch.nn.utils import parameters_to_vector
from torch.utils.data import DataLoader, DistributedSampler, TensorDataset

from esenciales.isolated import free_port, run_task
from esenciales.threads import available_cores

GROUP_TIMEOUT = datetime.timedelta(seconds=60)
"""Cuánto espera un proceso a los demás antes de rendirse (no cuelga)."""

TASK_TIMEOUT = 300
"""Segundos que se le dan a una tarea completa en su subproceso."""

CHECK_STEPS, CHECK_BATCH = 4, 64
"""Pasos de SGD y lote global de la prueba de paralelismo de datos."""


def two_layer_mlp(n_inputs=784, n_hidden=128, n_classes=10):
    """MLP de dos capas densas que devuelve *logits*.

    Entrada: (N, n_inputs). Salida: (N, n_classes), sin softmax:
    ``nn.CrossEntropyLoss`` aplica log-softmax por su cuenta.
    """
    return nn.Sequential(
        nn.Linear(n_inputs, n_hidden), nn.ReLU(),
        nn.Linear(n_hidden, n_classes),
    )


# --- Paralelismo de datos ------------------------------------------------

def train_data_parallel(build_model, x, y, *, epochs=1, batch_size=64,
                        lr=0.1, seed=0):
    """Entrena con SGD siendo una de las R réplicas de un grupo.

    Se llama en cada uno de los R procesos de un grupo ya iniciado; sin
    grupo, R = 1 y es el entrenamiento de siempre. Entrada: x (N, d) y
    y (N,) enteros, los mismos en todos los procesos; batch_size es el
    lote global B: cada réplica ve B/R ejemplos distintos de cada lote.
    Salida: el modelo entrenado, con los mismos pesos en toda réplica.
    """
    replicas, rank = _world()
    if batch_size % replicas:
        raise ValueError(f"El lote {batch_size} no se reparte en "
                         f"{replicas} réplicas iguales.")
    torch.manual_seed(seed)  # la misma inicialización en todas
    model = build_model().to(x.device)
    if replicas > 1:
        model = DistributedDataParallel(model)
    data = TensorDataset(x, y)
    sampler = DistributedSampler(data, num_replicas=replicas, rank=rank,
                                 shuffle=True, seed=seed, drop_last=True)
    loader = DataLoader(data, batch_size=batch_size // replicas,
                        sampler=sampler)
    optimizer = torch.optim.SGD(model.parameters(), lr=lr)
    loss_fn = nn.CrossEntropyLoss()
    for epoch in range(epochs):
        sampler.set_epoch(epoch)  # otro orden en cada época
        for x_batch, y_batch in loader:
            optimizer.zero_grad()
            loss = loss_fn(model(x_batch), y_batch)
            loss.backward()  # aquí DDP promedia los gradientes
            optimizer.step()
    return getattr(model, "module", model)


def _world():
    """(procesos del grupo, rango de este proceso); (1, 0) sin grupo."""
    if dist.is_initialized():
        return dist.get_world_size(), dist.get_rank()
    return 1, 0


# --- Paralelismo de modelo -----------------------------------------------

class _CopyToShards(torch.autograd.Function):
    """Adelante, la identidad; atrás, suma los gradientes de los trozos."""

    @staticmethod
    def forward(ctx, x):
        return x.view_as(x)

    @staticmethod
    def backward(ctx, grad):
        grad = grad.clone()
        dist.all_reduce(grad)
        return grad


class _SumShards(torch.autograd.Function):
    """Adelante, suma las salidas parciales; atrás, la identidad."""

    @staticmethod
    def forward(ctx, x):
        x = x.clone()
        dist.all_reduce(x)
        return x

    @staticmethod
    def backward(ctx, grad):
        return grad


class _ShardedMLP(nn.Module):
    """El trozo de un MLP de dos capas que guarda este proceso.

    La capa oculta se queda con H/R columnas (neuronas) y la de salida
    con las mismas H/R filas de su matriz; el sesgo de salida se suma
    una sola vez, después de juntar las salidas parciales.
    """

    def __init__(self, hidden, output, rank, shards):
        super().__init__()
        size = hidden.out_features // shards
        mine = slice(rank * size, (rank + 1) * size)
        dtype = hidden.weight.dtype
        self.hidden = nn.Linear(hidden.in_features, size, dtype=dtype)
        self.output = nn.Linear(size, output.out_features, bias=False,
                                dtype=dtype)
        self.output_bias = nn.Parameter(output.bias.detach().clone())
        with torch.no_grad():
            self.hidden.weight.copy_(hidden.weight[mine])
            self.hidden.bias.copy_(hidden.bias[mine])
            self.output.weight.copy_(output.weight[:, mine])

    def forward(self, x):
        x = _CopyToShards.apply(x)
        partial = self.output(torch.relu(self.hidden(x)))
        return _SumShards.apply(partial) + self.output_bias


def split_dense(model, shards=2):
    """Parte un two_layer_mlp entre los procesos del grupo.

    Se llama en cada proceso (rango r de R = shards) con el mismo modelo
    completo. Salida: el trozo del proceso r: W1 (H/R, d), b1 (H/R,),
    W2 (K, H/R) y el sesgo b2 (K,) repetido. Su salida y sus gradientes
    son los de la capa sin partir.
    """
    replicas, rank = _world()
    if shards != replicas:
        raise ValueError(f"Se pidieron {shards} trozos, pero el grupo "
                         f"tiene {replicas} procesos.")
    hidden, _, output = model
    if hidden.out_features % shards:
        raise ValueError(f"{hidden.out_features} neuronas ocultas no se "
                         f"reparten en {shards} trozos iguales.")
    return _ShardedMLP(hidden, output, rank, shards)


def shard_shapes(model):
    """Forma de cada peso que guarda este proceso: dict nombre → forma."""
    return {name: list(p.shape) for name, p in model.named_parameters()}


# --- Las tareas, en procesos aparte --------------------------------------

def data_parallel_step_check(replicas=2, steps=CHECK_STEPS,
                             batch_size=CHECK_BATCH, seed=0):
    """Compara k pasos de SGD en R réplicas con k pasos en una sola.

    En float64: R procesos con lote B/R cada uno frente a un proceso con
    lote B, sobre los mismos datos. Salida: dict con ``max_abs_diff``
    (entre los pesos de ambos caminos), ``replica_spread`` (entre los
    pesos de las réplicas) y los parámetros de la prueba.
    """
    return run_task(__name__, "data-check",
                    {"replicas": replicas, "steps": steps,
                     "batch_size": batch_size, "seed": seed},
                    timeout=TASK_TIMEOUT)


def model_parallel_check(shards=2, seed=0):
    """Compara el MLP partido en ``shards`` procesos con el MLP entero.

    En float64, sobre un lote aleatorio. Salida: dict con
    ``output_diff``, ``grad_diff`` (pesos y entrada) y ``shard_shapes``
    (forma de cada peso en cada trozo).
    """
    return run_task(__name__, "model-check",
                    {"shards": shards, "seed": seed},
                    timeout=TASK_TIMEOUT)


def data_parallel_step_time(replicas=1, batch_size=256, steps=20,
                            device="cpu"):
    """Segundos por paso de entrenamiento con R réplicas, lote global B.

    Cada réplica da pasos de SGD sobre B/R ejemplos de MNIST simulados
    con el ``two_layer_mlp`` (784 → 512 → 10). Salida: dict con la
    mediana ``step_s`` (y cuartiles), ``examples_per_s`` e hilos por
    proceso.
    """
    return run_task(__name__, "step-time",
                    {"replicas": replicas, "batch_size": batch_size,
                     "steps": steps, "device": device},
                    timeout=TASK_TIMEOUT)


def parallelism_report(replicas=2, batch_size=256, steps=20):
    """Las dos pruebas de igualdad y el tiempo por paso con 1 y R réplicas.

    Todo en un subproceso y un solo grupo de R procesos (gloo, CPU).
    Salida: dict con «data» (``data_parallel_step_check``), «model»
    (``model_parallel_check`` con R trozos) y «times», los resultados de
    ``data_parallel_step_time`` para 1 y para R réplicas.
    """
    return run_task(__name__, "report",
                    {"replicas": replicas, "shards": replicas,
                     "batch_size": batch_size, "steps": steps},
                    timeout=TASK_TIMEOUT)


def replica_fit(fit):
    """Envuelve ``fit`` para un proceso del grupo: el modelo en DDP, a
    este proceso su parte de los datos y su parte del lote global (el
    ``batch_size`` que recibe, dividido por las réplicas)."""

    def fit_replica(model, x, *targets, batch_size, device="cpu",
                    **options):
        replicas, rank = _world()
        if batch_size % replicas:
            raise ValueError(f"El lote {batch_size} no se reparte en "
                             f"{replicas} réplicas iguales.")
        mine = list(DistributedSampler(range(len(x)), replicas, rank,
                                       shuffle=False, drop_last=True))
        if device == "cuda":
            model.to(f"cuda:{rank}")
        model = DistributedDataParallel(model)
        return fit(model, x[mine], *(t[mine] for t in targets),
                   batch_size=batch_size // replicas, device=device,
                   **options)

    return fit_replica


def _problem(n, n_inputs, n_classes, seed):
    """Datos aleatorios en float64: x (n, n_inputs), y (n,) enteros."""
    rng = np.random.default_rng(seed)
    x = torch.from_numpy(rng.standard_normal((n, n_inputs)))
    y = torch.from_numpy(rng.integers(0, n_classes, size=n))
    return x, y


def _check_mlp():
    """El MLP pequeño de las pruebas de igualdad, en float64."""
    return two_layer_mlp(20, 16, 3).double()


def _data_check(args):
    """Tarea «data-check»: pesos de R réplicas frente a un proceso."""
    with tempfile.TemporaryDirectory() as folder:
        problem = _data_problem(args.steps, args.batch_size, args.seed)
        spawn_replicas(_data_worker, args.replicas, "cpu", problem, folder)
        return _data_result(problem, args.replicas, folder)


def _data_problem(steps, batch_size, seed):
    """Datos, opciones y pesos de un solo proceso (antes y después)."""
    x, y = _problem(steps * batch_size, 20, 3, seed)
    options = dict(batch_size=batch_size, lr=0.1, seed=seed)
    torch.manual_seed(seed)
    initial = parameters_to_vector(_check_mlp().parameters()).detach()
    single = train_data_parallel(_check_mlp, x, y, **options)
    reference = parameters_to_vector(single.parameters()).detach()
    return {"x": x, "y": y, "options": options, "initial": initial,
            "reference": reference, "steps": steps}


def _data_result(problem, replicas, folder):
    """Compara los pesos del rango 0 con los de un solo proceso."""
    weights, spread = torch.load(Path(folder) / "data.pt")
    reference = problem["reference"]
    return {"replicas": replicas, "steps": problem["steps"],
            "batch_size": problem["options"]["batch_size"],
            "dtype": "float64",
            "max_abs_diff": float((weights - reference).abs().max()),
            "replica_spread": spread,
            "update_size": float(
                (reference - problem["initial"]).abs().max())}


def _data_worker(rank, problem, folder):
    """Una réplica: entrena y compara sus pesos con los de las demás."""
    model = train_data_parallel(_check_mlp, problem["x"], problem["y"],
                                **problem["options"])
    flat = parameters_to_vector(model.parameters()).detach()
    copies = [torch.empty_like(flat) for _ in range(dist.get_world_size())]
    dist.all_gather(copies, flat)
    spread = max(float((c - copies[0]).abs().max()) for c in copies)
    if rank == 0:
        torch.save((flat, spread), Path(folder) / "data.pt")


def _model_check(args):
    """Tarea «model-check»: el MLP partido frente al entero."""
    with tempfile.TemporaryDirectory() as folder:
        spawn_replicas(_model_worker, args.shards, "cpu", args.seed, folder)
        return json.loads((Path(folder) / "model.json").read_text())


def _model_worker(rank, seed, folder):
    """Un trozo: salida y gradientes frente a los del MLP entero."""
    shards = dist.get_world_size()
    torch.manual_seed(seed)  # el mismo MLP entero en todos los procesos
    full = _check_mlp()
    x, y = _problem(8, 20, 3, seed)
    x_full, x_split = x.clone().requires_grad_(), x.clone().requires_grad_()
    loss_fn = nn.CrossEntropyLoss()
    out_full = full(x_full)
    loss_fn(out_full, y).backward()
    split = split_dense(full, shards)
    out_split = split(x_split)
    loss_fn(out_split, y).backward()
    size = split.hidden.out_features
    mine = slice(rank * size, (rank + 1) * size)
    hidden, _, output = full
    pairs = [(split.hidden.weight.grad, hidden.weight.grad[mine]),
             (split.hidden.bias.grad, hidden.bias.grad[mine]),
             (split.output.weight.grad, output.weight.grad[:, mine]),
             (split.output_bias.grad, output.bias.grad),
             (x_split.grad, x_full.grad)]
    diffs = torch.tensor([
        float((out_split - out_full).abs().max()),
        max(float((a - b).abs().max()) for a, b in pairs),
    ], dtype=torch.float64)
    dist.all_reduce(diffs, op=dist.ReduceOp.MAX)
    if rank == 0:
        pieces = (split.hidden.weight, split.hidden.bias,
                  split.output.weight, split.output_bias)
        weights = [[name, list(p.shape), list(piece.shape)] for
                   (name, p), piece in zip(full.named_parameters(), pieces)]
        result = {"shards": shards, "dtype": "float64",
                  "output_diff": float(diffs[0]),
                  "grad_diff": float(diffs[1]),
                  "shard_shapes": shard_shapes(split),
                  "full_shapes": shard_shapes(full), "weights": weights}
        (Path(folder) / "model.json").write_text(json.dumps(result))


def _step_time(args):
    """Tarea «step-time»: un proceso sin grupo, o R procesos con DDP."""
    if args.replicas == 1:
        torch.set_num_threads(_cores())
        return _time_steps(0, args.batch_size, args.steps, args.device)
    with tempfile.TemporaryDirectory() as folder:
        spawn_replicas(_time_worker, args.replicas, args.device, args.batch_size,
               args.steps, args.device, folder)
        return json.loads((Path(folder) / "time.json").read_text())


def _time_worker(rank, batch_size, steps, device, folder):
    """Una réplica cronometra sus pasos; el rango 0 guarda el resultado."""
    result = _time_steps(rank, batch_size, steps, device)
    if rank == 0:
        (Path(folder) / "time.json").write_text(json.dumps(result))


def _report(args):
    """Tarea «report»: las dos pruebas y los tiempos, un solo grupo."""
    torch.set_num_threads(_cores())  # un proceso usa todos los núcleos
    single = _time_steps(0, args.batch_size, args.steps, "cpu")
    with tempfile.TemporaryDirectory() as folder:
        problem = _data_problem(CHECK_STEPS, CHECK_BATCH, args.seed)
        spawn_replicas(_report_worker, args.replicas, "cpu", problem, args,
               folder)
        return {
            "data": _data_result(problem, args.replicas, folder),
            "model": json.loads((Path(folder) / "model.json").read_text()),
            "times": [single,
                      json.loads((Path(folder) / "time.json").read_text())],
        }


def _report_worker(rank, problem, args, folder):
    """Cada réplica corre las dos pruebas y cronometra sus pasos."""
    _data_worker(rank, problem, folder)
    _model_worker(rank, args.seed, folder)
    _time_worker(rank, args.batch_size, args.steps, "cpu", folder)


def _time_steps(rank, batch_size, steps, device, repeats=5):
    """Mediana de segundos por paso de SGD del MLP 784 → 512 → 10."""
    replicas, _ = _world()
    device = f"cuda:{rank}" if device == "cuda" else "cpu"
    torch.manual_seed(rank)
    model = two_layer_mlp(784, 512, 10).to(device)
    if replicas > 1:
        model = DistributedDataParallel(model)
    x = torch.rand(batch_size // replicas, 784, device=device)
    y = torch.randint(0, 10, (batch_size // replicas,), device=device)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    loss_fn = nn.CrossEntropyLoss()

    def step():
        optimizer.zero_grad()
        loss_fn(model(x), y).backward()
        optimizer.step()

    for _ in range(3):  # calentamiento
        step()
    times = []
    for _ in range(repeats):
        _barrier(device)
        start = time.perf_counter()
        for _ in range(steps):
            step()
        _barrier(device)
        times.append((time.perf_counter() - start) / steps)
    q1, median, q3 = statistics.quantiles(times, n=4, method="inclusive")
    return {"replicas": replicas, "batch_size": batch_size,
            "device": device.split(":")[0], "steps": steps,
            "repeats": repeats, "step_s": median, "q1_s": q1, "q3_s": q3,
            "examples_per_s": batch_size / median,
            "threads_per_process": torch.get_num_threads(),
            "cores": _cores(),
            "parameters": sum(p.numel() for p in model.parameters())}


def _barrier(device):
    """Espera a la GPU y a los demás procesos (si hay grupo)."""
    if device.startswith("cuda"):
        torch.cuda.synchronize(device)
    if dist.is_initialized():
        dist.barrier()


# --- Lanzar procesos -----------------------------------------------------

def spawn_replicas(worker, replicas, device, *args):
    """Lanza ``worker(rank, *args)`` en ``replicas`` procesos en grupo."""
    if device == "cuda" and replicas > torch.cuda.device_count():
        raise ValueError(f"Se pidieron {replicas} procesos en GPU, pero "
                         f"hay {torch.cuda.device_count()} GPU.")
    os.environ["MASTER_ADDR"] = "127.0.0.1"
    os.environ["MASTER_PORT"] = str(free_port())
    mp.spawn(_replica, args=(replicas, device, worker, args),
             nprocs=replicas, join=True)


def _cores():
    """Núcleos que este proceso puede usar (la casa de los hilos)."""
    return available_cores()


def _replica(rank, replicas, device, worker, args):
    """Cuerpo de cada proceso: une el grupo, trabaja y lo deja."""
    torch.set_num_threads(max(1, _cores() // replicas))  # se reparten
    backend = "nccl" if device == "cuda" else "gloo"
    if device == "cuda":
        torch.cuda.set_device(rank)
    dist.init_process_group(backend, rank=rank, world_size=replicas,
                            timeout=GROUP_TIMEOUT)
    try:
        worker(rank, *args)
    finally:
        dist.destroy_process_group()


TASKS = {"data-check": _data_check, "model-check": _model_check,
         "step-time": _step_time, "report": _report}


def _main(argv=None):
    """Punto de entrada del subproceso: corre una tarea y guarda su JSON."""
    parser = argparse.ArgumentParser(prog="esenciales.torch.parallel")
    parser.add_argument("task", choices=sorted(TASKS))
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--replicas", type=int, default=2)
    parser.add_argument("--shards", type=int, default=2)
    parser.add_argument("--steps", type=int, default=4)
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--device", default="cpu")
    args = parser.parse_args(argv)
    try:
        result = TASKS[args.task](args)
    except mp.ProcessExitedException:  # el proceso ya dijo por qué
        raise SystemExit(1) from None
    args.out.write_text(json.dumps(result), encoding="utf-8")


if __name__ == "__main__":
    from esenciales.torch import parallel

    parallel._main()
