"""La CNN de MNIST de la clase, 5 épocas con el paquete, en Keras y PyTorch.

Entrena ``mnist_cnn()`` con todo MNIST (lote 128, 10 % para validar, como
en la clase; Adam con calentamiento y caída coseno hasta ``--peak-lr``) en
cada *framework* e imprime la exactitud en los 10 000 ejemplos de prueba y
los segundos por época. La meta es ≥ 98,7 % en ambos. Con ``--peak-lr 0``
usa la receta literal de la clase (Adam con tasa fija 0,001).

    python benchmarks/mnist_cnn_5_epochs.py [--frameworks keras torch]
"""

import argparse

from esenciales.frameworks import FRAMEWORKS
from esenciales.runs.experiments import train_mnist_cnn
from esenciales.timing import provenance


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frameworks", nargs="+", default=list(FRAMEWORKS),
                        choices=FRAMEWORKS)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--device", default="auto")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--peak-lr", type=float, default=3e-3)
    args = parser.parse_args()

    print(f"equipo: {provenance().get('cpu_model')} · device={args.device}")
    for framework in args.frameworks:
        out = train_mnist_cnn(framework, epochs=args.epochs, seed=args.seed,
                              peak_lr=args.peak_lr or None,
                              device=args.device, verbose=2)
        accuracy = out["test_accuracy"]
        verdict = "cumple" if accuracy >= 0.987 else "NO cumple"
        print(f"{framework:>5}: exactitud en prueba {accuracy:.2%} "
              f"({verdict} la meta de 98,7 %), "
              f"{out['seconds_per_epoch']:.1f} s por época")


if __name__ == "__main__":
    main()
