"""Graba en una GPU las cifras del libro: producto de matrices y CNN de MNIST.

Uso, en la máquina con GPU y desde la raíz del repositorio:

    PYTHONPATH=code python benchmarks/record_gpu.py torch SALIDA
    KERAS_BACKEND=jax PYTHONPATH=code python benchmarks/record_gpu.py \\
        keras SALIDA

Cada parte escribe documentos JSON (esquema de ``esenciales.timing``) en
SALIDA; después se copian a ``code/esenciales/timing/recorded/``. La parte
«torch» mide además la CPU de la misma máquina, como referencia medida en
la misma corrida. Con ``--cpu`` todo corre en CPU con tamaños pequeños:
sirve para probar el guion en una máquina sin GPU (esas cifras no se
graban en el libro).
"""

import argparse
import json
import sys
import traceback
from pathlib import Path

from esenciales import timing

GPU_SIZES = (64, 128, 256, 512, 1024, 2048, 4096, 8192)
HOST_SIZES = (64, 128, 256, 512, 1024, 2048)
GPU_BATCHES = (32, 128, 512, 2048)
HOST_BATCHES = (32, 128, 512)


def torch_jobs(cpu_only):
    """Trabajos de PyTorch: (archivo, función que devuelve el documento)."""
    if cpu_only:
        return {
            "matmul_torch_cpu.json": lambda: timing.matmul_throughput(
                (64, 128), framework="torch"),
            "cnn_torch_cpu.json": lambda: timing.cnn_throughput(
                "torch", (32,)),
        }
    return {
        "matmul_torch_cuda.json": lambda: timing.matmul_throughput(
            GPU_SIZES, framework="torch",
            dtypes=("float32", "tf32", "bfloat16"), device="cuda"),
        "cnn_torch_cuda.json": lambda: timing.cnn_throughput(
            "torch", GPU_BATCHES, device="cuda"),
        "matmul_torch_cpu.json": lambda: timing.matmul_throughput(
            HOST_SIZES, framework="torch"),
        "cnn_torch_cpu.json": lambda: timing.cnn_throughput(
            "torch", HOST_BATCHES),
    }


def keras_jobs(cpu_only):
    """Trabajos de Keras, en el backend activo (JAX en la GPU)."""
    import keras

    backend = keras.backend.backend()
    device, batches = ("cpu", (32,)) if cpu_only else ("cuda", GPU_BATCHES)
    name = f"cnn_keras_{backend}_{device}.json"
    return {name: lambda: timing.cnn_throughput(
        "keras", batches, device=device)}


def run_jobs(jobs, out_dir):
    """Corre cada trabajo, guarda su JSON y sigue aunque uno falle."""
    docs, failed = [], []
    for filename, job in jobs.items():
        print(f"== {filename}", flush=True)
        try:
            doc = job()
        except Exception:
            traceback.print_exc()
            failed.append(filename)
            continue
        timing.save_results(doc, out_dir / filename)
        docs.append(doc)
        print(timing.table_markdown(timing.comparison_table([doc])),
              flush=True)
    return docs, failed


def main(argv=None):
    """Punto de entrada: elige la parte, corre y resume."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("part", choices=("torch", "keras"))
    parser.add_argument("out_dir", type=Path)
    parser.add_argument("--cpu", action="store_true",
                        help="prueba corta en CPU, sin GPU")
    args = parser.parse_args(argv)
    make_jobs = torch_jobs if args.part == "torch" else keras_jobs
    docs, failed = run_jobs(make_jobs(args.cpu), args.out_dir)
    if docs:
        print(json.dumps(docs[0]["provenance"], indent=1))
    if failed:
        print(f"Fallaron: {failed}", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
