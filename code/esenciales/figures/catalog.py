"""Una muestra de cada figura del paquete, para revisar cómo se lee.

``sample_figures()`` recorre todas las funciones públicas de los módulos
de figuras y las llama con datos pequeños, sintéticos pero con la forma de
los del libro. La usan ``tests/test_figure_style.py`` y
``tools/check_book.py``: toda figura nueva queda revisada (tamaño de letra
impreso y en pantalla) sin que nadie tenga que acordarse de agregarla.
``stacked_figures()`` da la versión apilada de las de varios paneles, la
que el HTML muestra en un teléfono.
"""

import functools
import inspect

import numpy as np

from esenciales.figures import curves, diagrams, images, networks, scatter

MODULES = (diagrams, networks, curves, images, scatter)


def _history(epochs=5, start=0.6):
    up = start + (1 - start) * (1 - np.exp(-np.arange(1, epochs + 1) / 2))
    return {"accuracy": list(up), "val_accuracy": list(up - 0.02),
            "loss": list(1 - up), "val_loss": list(1.05 - up)}


def _samples():
    rng = np.random.default_rng(0)
    digits = rng.random((12, 28, 28))
    grid = np.zeros((12, 12), dtype=int)
    grid[4, :9] = 1
    return {
        "astar_grid": lambda: images.astar_grid(
            grid, [(0, 0), (0, 11), (11, 11)]),
        "embedding_scatter": lambda **kw: scatter.embedding_scatter(
            rng.normal(size=(200, 2)), [rng.integers(0, 10, 200)] * 2,
            ["dígito", "grupo"], **kw),
        "latent_scatter": lambda **kw: scatter.latent_scatter(
            rng.normal(size=(300, 2)), rng.integers(0, 10, 300),
            title="espacio latente", **kw),
        "digit_gallery": lambda **kw: images.digit_gallery(
            digits, range(12), n=12, title="dígitos", **kw),
        "reconstructions": lambda **kw: images.reconstructions(
            digits, digits, n=10, title="reconstrucciones", **kw),
        "annotated_grids": lambda **kw: images.annotated_grids(
            [np.arange(36.0).reshape(6, 6), np.ones((3, 3)) / 9,
             np.zeros((4, 4))], ["entrada", "filtro", "salida"],
            windows=[(0, 0, 0, 3, 3)], **kw),
        "image_row": lambda **kw: images.image_row(
            [digits[0]] * 4, ["original", "a", "b", "c"], title="filtros",
            **kw),
        "image_grid": lambda **kw: images.image_grid(
            rng.normal(size=(32, 3, 3)), signed=True, title="32 filtros",
            **kw),
        "confusion_matrix": lambda: images.confusion_matrix(
            rng.integers(0, 1200, (10, 10)), title="confusión"),
        "attention_map": lambda **kw: images.attention_map(
            rng.dirichlet(np.ones(12), 12),
            [f"palabra{k}" for k in range(12)], title="atención", **kw),
        "conv_pool_chain": lambda: networks.conv_pool_chain(
            [("imagen", (28, 28, 1)), ("conv", (26, 26, 32)),
             ("pool", (13, 13, 32)), ("flatten", (5408,)),
             ("densa", (128,)), ("salida", (10,))]),
        "training_history": lambda **kw: curves.training_history(
            {"Keras": _history(), "PyTorch": _history(start=0.5)},
            title="historial", **kw),
        "data_vs_performance": lambda: curves.data_vs_performance(
            [{"model": m, "n_train": n, "accuracy": 0.5 + 0.1 * k,
              "accuracy_std": 0.01}
             for m in ("logistic", "svm", "forest", "mlp", "cnn")
             for k, n in enumerate((100, 300, 1000, 3000))],
            title="datos y rendimiento"),
        "seed_curves": lambda: curves.seed_curves(
            {label: (list(range(1, 41)), list(np.linspace(1, 0.2, 40)),
                     [0.05] * 40)
             for label in ("línea base", "línea base (validación)",
                           "con la técnica",
                           "con la técnica (validación)")},
            title="pérdida por época"),
        "effects": lambda: curves.effects(
            [("aumento de datos", 4.1, 0.6), ("dropout", 0.8, 0.2),
             ("transferencia", 0.3, 1.9)],
            xlabel="cambio en la exactitud (puntos)", title="efectos"),
        "matmul_gflops": lambda: curves.matmul_gflops(
            [{"label": f"serie {k} con un rótulo largo",
              "sizes": [64, 128, 256, 512, 1024],
              "gflops": [10 * k + s / 10 for s in (64, 128, 256, 512,
                                                   1024)]}
             for k in range(1, 6)], title="GFLOP/s"),
        "learning_rate_steps": lambda: curves.learning_rate_steps(
            {name: {"learning_rate_per_step": [
                3e-3 * min((s + 1) / 24, 0.5 + 0.5 * np.cos(
                    np.pi * max(s - 24, 0) / 48)) for s in range(72)]}
             for name in ("Keras", "PyTorch")}, 24, title="tasa"),
        "seeded_accuracy": lambda: curves.seeded_accuracy(
            {"CNN de MNIST (4000 imágenes)": {
                "keras": {"mean": 0.97, "std": 0.002,
                          "values": [0.968, 0.97, 0.972]},
                "torch": {"mean": 0.969, "std": 0.003,
                          "values": [0.966, 0.969, 0.972]}},
             "LSTM en IMDB (2000 reseñas)": {
                "keras": {"mean": 0.75, "std": 0.07,
                          "values": [0.67, 0.79, 0.79]},
                "torch": {"mean": 0.79, "std": 0.02,
                          "values": [0.81, 0.78, 0.8]}}},
            {"keras": "Keras", "torch": "PyTorch"},
            title="los dos marcos, tres semillas"),
    }


def sample_figures():
    """(nombre, función sin argumentos) de cada figura pública."""
    return [(name, make) for name, make, _ in _catalog()]


def stacked_figures():
    """(nombre, función sin argumentos) de la versión apilada, para un
    teléfono, de cada figura de varios paneles (las que aceptan
    ``stacked``)."""
    return [(name, functools.partial(make, stacked=True))
            for name, make, function in _catalog()
            if "stacked" in inspect.signature(function).parameters]


def _catalog():
    """(nombre, muestra, función) de cada figura pública."""
    samples = _samples()
    found = []
    for module in MODULES:
        for name, function in inspect.getmembers(module,
                                                  inspect.isfunction):
            if name.startswith("_") or function.__module__ != \
                    module.__name__:
                continue
            if name in samples:
                found.append((f"{module.__name__}.{name}", samples[name],
                              function))
            elif all(p.default is not p.empty for p in
                     inspect.signature(function).parameters.values()):
                found.append((f"{module.__name__}.{name}", function,
                              function))
            else:
                raise LookupError(f"{module.__name__}.{name} necesita una "
                                  "muestra en esenciales.figures.catalog")
    return found
