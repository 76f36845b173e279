"""Graba en una GPU, en una sola corrida, todas las cifras de GPU del libro.

Uso, en la máquina con GPU y desde la raíz del repositorio:

    PYTHONPATH=code python benchmarks/record_gpu.py

Mide con PyTorch (producto de matrices en float32, tf32 y bfloat16; paso
de la CNN de MNIST; paso con paralelismo de datos) y, en un subproceso con
KERAS_BACKEND=jax, lo mismo con Keras, con la precisión de cada producto
fijada de forma explícita. Mide también la CPU de la misma máquina, como
referencia medida en la misma corrida. Escribe un JSON por medición
(esquema de ``esenciales.timing``, con su procedencia) en
``code/esenciales/timing/recorded/``, de donde los lee el libro. En una
H100 o H200 tarda menos de 5 minutos.

Con ``--device cpu`` corre todo en la CPU con tamaños pequeños y escribe
en una carpeta temporal: sirve para probar el guion en una máquina sin
GPU (esas cifras no van al libro).
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
import traceback
from pathlib import Path

from esenciales import threads, timing

EXPERIMENTS = ("matmul", "cnn", "paralelo")
HOST_SIZES = (64, 128, 256, 512, 1024, 2048)
HOST_BATCHES = (32, 128, 512)


def framework_jobs(framework, device):
    """Las mediciones de un marco: {archivo: función sin argumentos}."""
    jobs = {}
    for experiment in EXPERIMENTS:
        jobs.update(timing.gpu_jobs(experiment, framework, device))
    if framework == "torch" and device == "cuda":
        jobs["matmul_torch_cpu.json"] = lambda: timing.matmul_throughput(
            HOST_SIZES, framework="torch")
        jobs["cnn_torch_cpu.json"] = lambda: timing.cnn_throughput(
            "torch", HOST_BATCHES)
    return jobs


def run_jobs(jobs, out_dir):
    """Corre cada medición, guarda su JSON y sigue aunque una falle."""
    failed = []
    for filename, job in jobs.items():
        start = time.perf_counter()
        print(f"== {filename}", flush=True)
        try:
            doc = job()
        except Exception:
            traceback.print_exc()
            failed.append(filename)
            continue
        timing.save_results(doc, out_dir / filename)
        rows = timing.comparison_table([doc])
        print(timing.table_markdown(rows), flush=True)
        print(f"   ({time.perf_counter() - start:.1f} s)", flush=True)
    return failed


def run_keras_part(out_dir, device):
    """Keras con JAX, en un subproceso: el backend se elige al importar."""
    env = {**os.environ, "KERAS_BACKEND": "jax"}
    if device == "cpu":
        env["JAX_PLATFORMS"] = "cpu"
    command = [sys.executable, __file__, "--parte", "keras",
               "--device", device, "--salida", str(out_dir)]
    return subprocess.run(command, env=env).returncode


def main(argv=None):
    """Corre PyTorch aquí y Keras en un subproceso; resume al final."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--device", choices=("cuda", "cpu"),
                        default="cuda")
    parser.add_argument("--salida", type=Path, default=None,
                        help="carpeta de los JSON (por omisión, la del "
                        "paquete con cuda y una temporal con cpu)")
    parser.add_argument("--parte", choices=("todo", "torch", "keras"),
                        default="todo")
    args = parser.parse_args(argv)
    threads.prepare()  # hilos y memoria, antes de cargar los marcos
    if args.device == "cuda" and timing.live_device("torch") != "cuda":
        print("PyTorch no ve ninguna GPU CUDA: use --device cpu para "
              "probar el guion.", file=sys.stderr)
        return 2
    out_dir = args.salida or (
        timing.RECORDED_DIR if args.device == "cuda"
        else Path(tempfile.mkdtemp(prefix="record_gpu_")))
    start = time.perf_counter()
    failed = []
    if args.parte in ("todo", "torch"):
        failed += run_jobs(framework_jobs("torch", args.device), out_dir)
    if args.parte == "keras":
        failed += run_jobs(framework_jobs("keras", args.device), out_dir)
    elif args.parte == "todo" and run_keras_part(out_dir, args.device):
        failed.append("keras")
    print(f"Listo en {time.perf_counter() - start:.0f} s: {out_dir}")
    if failed:
        print(f"Fallaron: {failed}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
