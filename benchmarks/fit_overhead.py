"""¿Cuánto agrega ``fit`` de PyTorch frente a un ciclo escrito a mano?

Entrena la CNN de MNIST de la clase con ``esenciales.torch.training.fit``
y con el ciclo mínimo de PyTorch (mismo modelo inicial, mismos lotes en el
mismo orden, mismo optimizador), alternando ambos, e imprime las medianas
de tiempo y su razón. La meta es una razón ≤ 1,05. ``fit`` se mide dos
veces: sin métricas (el mismo trabajo que el ciclo a mano) y calculando
además la exactitud de cada lote, como hace Keras.

    python benchmarks/fit_overhead.py --n 10000 --epochs 1 --repeats 3
"""

import argparse
import statistics
import time

import torch
from torch.utils.data import DataLoader, TensorDataset

from esenciales import threads
from esenciales.data import load_mnist
from esenciales.timing import provenance
from esenciales.torch import data, models, training


def hand_loop(model, x, y, *, epochs, batch_size, seed, device):
    """El ciclo de PyTorch más simple: sin métricas, historial ni barra."""
    model.to(device)
    optimizer = training.get_optimizer("adam", model)
    loss_fn = torch.nn.CrossEntropyLoss()
    loader = DataLoader(TensorDataset(torch.tensor(x), torch.tensor(y)),
                        batch_size=batch_size, shuffle=True,
                        generator=torch.Generator().manual_seed(seed))
    for _ in range(epochs):
        model.train()
        for x_batch, y_batch in loader:
            x_batch, y_batch = x_batch.to(device), y_batch.to(device)
            optimizer.zero_grad()
            loss = loss_fn(model(x_batch), y_batch)
            loss.backward()
            optimizer.step()


def package_fit(model, x, y, *, epochs, batch_size, seed, device):
    """El ``fit`` del paquete, sin barra de progreso ni métricas."""
    training.fit(model, x, y, epochs=epochs, batch_size=batch_size,
                 metrics=(), seed=seed, verbose=0, device=device)


def package_fit_accuracy(model, x, y, *, epochs, batch_size, seed, device):
    """El ``fit`` del paquete, calculando la exactitud de cada lote."""
    training.fit(model, x, y, epochs=epochs, batch_size=batch_size,
                 seed=seed, verbose=0, device=device)


def timed(train, x, y, args):
    """Segundos de un entrenamiento desde el mismo modelo inicial."""
    training.set_seed(args.seed)
    model = models.mnist_cnn()
    if args.device == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    train(model, x, y, epochs=args.epochs, batch_size=args.batch_size,
          seed=args.seed, device=args.device)
    if args.device == "cuda":
        torch.cuda.synchronize()
    return time.perf_counter() - start, model


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--epochs", type=int, default=1)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, default=None,
                        help="hilos de PyTorch (por omisión, los suyos)")
    args = parser.parse_args()
    args.device = training.resolve_device(args.device)
    threads.prepare(args.threads)  # la casa de los hilos

    (x, y), _ = load_mnist()
    x, y = data.prepare_images(x[:args.n]), y[:args.n].astype("int64")
    loops = {"a mano": hand_loop, "fit": package_fit,
             "fit + exactitud": package_fit_accuracy}
    for train in loops.values():  # calentamiento: la primera vez cuesta más
        timed(train, x[:1024], y[:1024], args)
    times = {name: [] for name in loops}
    for _ in range(args.repeats):
        trained = {}
        for name, train in loops.items():
            seconds, trained[name] = timed(train, x, y, args)
            times[name].append(seconds)
    gap = max(float((p - q).detach().abs().max()) for p, q in
              zip(trained["fit"].parameters(),
                  trained["a mano"].parameters()))

    info = provenance(framework="torch", device=args.device)
    print(f"CNN de MNIST, {args.n} imágenes, {args.epochs} época(s), lote "
          f"{args.batch_size}, {args.repeats} repeticiones, "
          f"{torch.get_num_threads()} hilo(s)")
    print(f"equipo: {info.get('cpu_model')} · {args.device}")
    medians = {name: statistics.median(v) for name, v in times.items()}
    for name, values in times.items():
        print(f"{name:>15}: mediana {medians[name]:.3f} s  "
              f"({', '.join(f'{v:.3f}' for v in values)})")
    for name in ("fit", "fit + exactitud"):
        ratio = medians[name] / medians["a mano"]
        print(f"razón {name} / a mano: {ratio:.3f} (meta ≤ 1,05)")
    print(f"máxima diferencia entre los pesos finales: {gap:.2e}")


if __name__ == "__main__":
    main()
