"""Segundos por época de la CNN de MNIST con un núcleo ocupado por otro.

Entrena ``mnist_cnn`` (Keras y PyTorch) una época sobre un subconjunto de
MNIST en un proceso nuevo, con la CPU libre y con un proceso que gira sin
parar en uno de los núcleos, y con dos configuraciones de hilos:

- ``antes``: la de fábrica (PyTorch importado antes que nada: OpenMP sin
  ``OMP_WAIT_POLICY``, sus hilos giran mientras esperan);
- ``después``: ``esenciales.threads.prepare()`` (``OMP_WAIT_POLICY=PASSIVE``
  y ``GOMP_SPINCOUNT=300``);
- ``1 hilo``: ``prepare(1)``, como referencia.

Todo corre en los mismos ``--nucleos`` núcleos (``sched_setaffinity``).
Imprime la mediana de ``--repeticiones`` corridas y la razón ocupado/libre
medida en la misma corrida (las máquinas son ruidosas: valen las razones).

Uso: python benchmarks/threads_contention.py [--ejemplos 12000]
     [--repeticiones 3] [--nucleos 2] [--frameworks torch keras]
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

CONFIGS = ("antes", "después", "1 hilo")


def child(framework, config, n_examples):
    """Una medición en este proceso: segundos de una época."""
    if config == "antes" and framework == "torch":
        import torch  # noqa: F401  (OpenMP arranca sin la política)
    from esenciales import threads

    if config != "antes":
        threads.prepare(1 if config == "1 hilo" else None)
    from esenciales.data import load_mnist
    from esenciales.frameworks import framework_module

    models = framework_module(framework, "models")
    training = framework_module(framework, "training")
    data = framework_module(framework, "data")
    (x, y), _ = load_mnist()
    x, y = data.prepare_images(x[:n_examples]), y[:n_examples].astype("int64")
    model = models.mnist_cnn()
    training.fit(model, x[:512], y[:512], epochs=1, verbose=0)  # calienta
    start = time.perf_counter()
    training.fit(model, x, y, epochs=1, verbose=0)
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, **threads.settings()}))


def measure(framework, config, busy, args, cores):
    """Lanza un proceso que mide; con ``busy``, otro que gira al lado."""
    spinner = None
    if busy:
        spinner = subprocess.Popen(
            [sys.executable, "-c", "while True: pass"],
            preexec_fn=lambda: os.sched_setaffinity(0, cores[:1]))
    try:
        child_run = subprocess.run(
            [sys.executable, __file__, "--hijo", framework, config,
             "--ejemplos", str(args.ejemplos)],
            capture_output=True, text=True,
            preexec_fn=lambda: os.sched_setaffinity(0, cores),
            env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
    finally:
        if spinner is not None:
            spinner.kill()
            spinner.wait()
    if child_run.returncode != 0:
        sys.exit(f"La medición de {framework} ({config}) falló:\n"
                 f"{child_run.stderr.strip()}")
    return json.loads(child_run.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--hijo", nargs=2, metavar=("FRAMEWORK", "CONFIG"))
    parser.add_argument("--ejemplos", type=int, default=12_000)
    parser.add_argument("--repeticiones", type=int, default=3)
    parser.add_argument("--nucleos", type=int, default=2)
    parser.add_argument("--frameworks", nargs="+", default=["torch", "keras"])
    parser.add_argument("--configuraciones", nargs="+", default=CONFIGS,
                        choices=CONFIGS)
    args = parser.parse_args()
    if args.hijo:
        try:
            return child(*args.hijo, args.ejemplos)
        except Exception as error:  # el padre muestra el mensaje
            sys.exit(str(error))
    from esenciales import spanish  # solo el padre: no carga frameworks

    cores = sorted(os.sched_getaffinity(0))[:args.nucleos]
    print(f"mnist_cnn, {args.ejemplos} ejemplos, núcleos {cores}, mediana "
          f"de {args.repeticiones}; s por época (razón ocupado/libre)")
    print(f"{'framework':<10}{'hilos':<10}{'libre':>8}{'ocupado':>9}"
          f"{'razón':>7}  hilos de torch")
    for framework in args.frameworks:
        for config in args.configuraciones:
            times, info = {}, {}
            for busy in (False, True):
                runs = [measure(framework, config, busy, args, cores)
                        for _ in range(args.repeticiones)]
                times[busy] = statistics.median(r["seconds"] for r in runs)
                info = runs[-1]
            threads = info.get("torch_threads", "-")
            ratio = times[True] / times[False]
            print(f"{framework:<10}{config:<10}"
                  f"{spanish.number(times[False], 2):>8}"
                  f"{spanish.number(times[True], 2):>9}"
                  f"{spanish.number(ratio, 1):>7}  {threads}", flush=True)


if __name__ == "__main__":
    main()
