"""La receta ``mnist_cnn`` completa (5 épocas de MNIST) en Keras y PyTorch.

Entrena la receta del libro (lote 128, 10 % para validar, Adam con
calentamiento y caída coseno) en cada *framework* e imprime la exactitud en
los 10 000 ejemplos de prueba y los segundos por época. La meta es ≥ 98,7 %
en ambos. Con ``--literal`` usa la receta literal de la diapositiva (Adam
con tasa fija 0,001).

    python benchmarks/mnist_cnn_5_epochs.py [--frameworks keras torch]
"""

import argparse

from esenciales import threads
from esenciales.frameworks import FRAMEWORKS
from esenciales.runs import recipes
from esenciales.runs.training import train
from esenciales.timing import provenance


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frameworks", nargs="+", default=list(FRAMEWORKS),
                        choices=FRAMEWORKS)
    parser.add_argument("--epochs", type=int, default=5)
    parser.add_argument("--device", default="auto")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--literal", action="store_true")
    args = parser.parse_args()
    threads.prepare()  # hilos y memoria, antes de cargar los marcos

    recipe = recipes.get("mnist_cnn").replace(epochs=args.epochs,
                                              seed=args.seed)
    if args.literal:
        recipe = recipe.replace(learning_rate=1e-3, schedule="constant",
                                warmup_epochs=0)
    print(f"equipo: {provenance().get('cpu_model')} · device={args.device}")
    for framework in args.frameworks:
        result = train(recipe, framework, device=args.device, verbose=2)
        accuracy = result.test["accuracy"]
        verdict = "cumple" if accuracy >= 0.987 else "NO cumple"
        print(f"{framework:>5}: exactitud en prueba {accuracy:.2%} "
              f"({verdict} la meta de 98,7 %), "
              f"{result.seconds_per_epoch:.1f} s por época")


if __name__ == "__main__":
    main()
