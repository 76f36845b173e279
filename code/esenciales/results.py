"""Entrenamientos largos del libro, hechos una vez y guardados en caché.

El capítulo 4 muestra los filtros de la CNN de MNIST y el capítulo 6 la
evalúa: los dos llaman a ``trained_mnist_cnn``, que entrena la primera vez
y después solo carga los pesos. La caché vive en ``$ESENCIALES_CACHE``
o, si no está definida, en la caché del usuario (``~/.cache/esenciales``).
Este módulo no importa TensorFlow ni PyTorch hasta que se usa.
"""

import importlib
import json
import os

from esenciales.catalog import FRAMEWORKS
from esenciales.datasets import cache_root

FRAMEWORK_NAMES = {"keras": "Keras", "torch": "PyTorch"}

WEIGHT_SUFFIX = {"keras": ".npz", "torch": ".pt"}

CACHE_VERSION = 2
"""Versión de las recetas de entrenamiento: se sube al cambiar una, y los
resultados guardados con la anterior dejan de usarse."""


def cache_dir():
    """Carpeta donde se guardan pesos e historias de entrenamiento."""
    return cache_root() / f"resultados-v{CACHE_VERSION}"


def framework_module(framework, name):
    """Importa ``esenciales.<framework>.<name>`` o avisa en español."""
    if framework not in FRAMEWORKS:
        raise ValueError(f"Framework desconocido: {framework!r}; use "
                         f"'keras' o 'torch'.")
    return importlib.import_module(f"esenciales.{framework}.{name}")


def _write_json(path, record):
    """Escribe ``record`` como JSON de forma atómica."""
    tmp = path.with_name(f"tmp-{path.name}")
    text = json.dumps(record, ensure_ascii=False, indent=1, default=float)
    tmp.write_text(text)
    os.replace(tmp, path)


def cached_json(key, compute):
    """Devuelve ``compute()`` guardado en ``<caché>/<key>.json``.

    ``compute`` debe devolver algo serializable en JSON (historias,
    tablas). La segunda llamada con la misma clave solo lee el archivo.
    """
    path = cache_dir() / f"{key}.json"
    if path.exists():
        return json.loads(path.read_text())
    path.parent.mkdir(parents=True, exist_ok=True)
    _write_json(path, compute())
    return json.loads(path.read_text())


def cached_model(key, framework, build, train):
    """Un modelo entrenado una sola vez: pesos y registro en caché.

    ``build()`` crea el modelo vacío (para cargar pesos); ``train()``
    devuelve ``(modelo, registro)`` con un registro serializable en JSON.
    Salida: ``(modelo, registro)``.
    """
    weights = framework_module(framework, "weights")
    directory = cache_dir()
    weights_path = directory / f"{key}{WEIGHT_SUFFIX[framework]}"
    record_path = directory / f"{key}.json"
    if weights_path.exists() and record_path.exists():
        model = weights.load_weights(build(), weights_path)
        return model, json.loads(record_path.read_text())
    model, record = train()
    directory.mkdir(parents=True, exist_ok=True)
    weights.save_weights(model, weights_path)
    _write_json(record_path, record)
    return model, record


def trained_mnist_cnn(framework="keras", epochs=5, seed=0):
    """La CNN de MNIST de la clase entrenada ``epochs`` épocas (en caché).

    Salida: dict con ``model``, ``history``, ``test_accuracy`` y
    ``seconds_per_epoch`` (medidos en el entrenamiento original).
    Concepto: la «CNN para MNIST en 15 líneas», completa, en ambos marcos.
    """
    models = framework_module(framework, "models")

    def train():
        from esenciales.experiments import train_mnist_cnn
        run = train_mnist_cnn(framework, epochs=epochs, seed=seed)
        record = {k: v for k, v in run.items() if k != "model"}
        return run["model"], record

    key = f"mnist_cnn-{framework}-e{epochs}-s{seed}"
    model, record = cached_model(key, framework, models.mnist_cnn, train)
    return {"model": model, **record}


def cached_experiment(name, framework="torch"):
    """Un experimento de regularización del capítulo 5, con caché.

    ``name`` es el prefijo de una función ``<name>_experiment`` de
    ``esenciales.experiments`` (``"dropout"``, ``"weight_decay"``,
    ``"augmentation"``, ``"batch_norm"``, ``"early_stopping"``,
    ``"transfer_learning"``). Salida: ``{etiqueta: historial}``.
    """
    from esenciales import experiments
    run = getattr(experiments, f"{name}_experiment", None)
    if run is None:
        raise ValueError(f"No existe el experimento {name!r}.")
    framework_module(framework, "models")  # valida el nombre del marco
    return cached_json(f"{name}-{framework}", lambda: run(framework))


def summarize(history):
    """Las cifras clave de un historial con validación.

    Salida: dict con las épocas, las pérdidas y exactitudes finales, y la
    menor pérdida de validación con su época (contando desde 1).
    """
    val_loss = history["val_loss"]
    best = min(range(len(val_loss)), key=val_loss.__getitem__)
    return {"epochs": len(history["loss"]),
            "loss": history["loss"][-1],
            "val_loss": val_loss[-1],
            "best_val_loss": val_loss[best],
            "best_epoch": best + 1,
            "accuracy": history["accuracy"][-1],
            "val_accuracy": history["val_accuracy"][-1],
            "best_val_accuracy": max(history["val_accuracy"])}


def spanish(value):
    """Un número como lo escribe el libro: enteros tal cual, el resto con
    tres decimales y coma decimal (0.1234 -> «0,123»)."""
    if isinstance(value, int):
        return str(value)
    return f"{value:.3f}".replace(".", ",")


def percent(value, digits=1):
    """Una fracción como porcentaje en español: 0.9512 -> «95,1 %»."""
    return f"{100 * value:.{digits}f}".replace(".", ",") + " %"


def formatted(summary):
    """``summarize`` con cada cifra ya escrita como texto en español."""
    return {key: percent(value) if "accuracy" in key else spanish(value)
            for key, value in summary.items()}


def comparison_markdown(runs):
    """Tabla Markdown de un experimento en los dos marcos.

    Entrada: ``{marco: {etiqueta: historial}}``. Una fila por marco y
    variante, con las cifras de ``summarize``.
    """
    header = ("| marco | variante | épocas | pérdida entren. | pérdida "
              "valid. | mínima valid. (época) | exactitud valid. |")
    lines = [header, "|---|---|---:|---:|---:|---:|---:|"]
    for framework, histories in runs.items():
        for label, history in histories.items():
            s = formatted(summarize(history))
            lines.append(
                f"| {FRAMEWORK_NAMES[framework]} | {label} | {s['epochs']} "
                f"| {s['loss']} | {s['val_loss']} | {s['best_val_loss']} "
                f"({s['best_epoch']}) | {s['val_accuracy']} |")
    return "\n".join(lines)


def experiment_numbers(prefix, runs):
    """Las cifras de un experimento con nombres para citarlas en el texto.

    Entrada: ``{marco: {etiqueta: historial}}``. Salida: dict
    ``"<prefix>_<marco><i>_<cifra>" -> texto``, donde ``i`` es la posición
    de la variante (0 = sin la técnica, 1 = con ella).
    """
    numbers = {}
    for framework, histories in runs.items():
        for i, history in enumerate(histories.values()):
            for key, text in formatted(summarize(history)).items():
                numbers[f"{prefix}_{framework}{i}_{key}"] = text
    return numbers


def trained(name, framework="keras", *, epochs=None, limit=None, seed=0):
    """Un modelo del catálogo entrenado con ``trainer.train``, en caché.

    Es lo mismo que ``esenciales entrenar NAME`` en la terminal. Salida:
    dict con ``model``, ``history``, ``test`` (pérdida y exactitud de
    prueba), ``seconds``, ``n_train`` y ``n_test``.
    """
    from esenciales import catalog, trainer
    spec = catalog.find_model(name)
    if spec is None:
        raise ValueError(f"Modelo desconocido: {name!r}.")

    def build():
        return spec.builder(framework)(**spec.kwargs)

    def train():
        run = trainer.train(name, framework, epochs=epochs, limit=limit,
                            seed=seed, verbose=0)
        return run.model, {"history": run.history, "test": run.test,
                           "seconds": run.seconds, "n_train": run.n_train,
                           "n_test": run.n_test}

    key = f"{name}-{framework}-e{epochs}-n{limit}-s{seed}"
    model, record = cached_model(key, framework, build, train)
    return {"model": model, **record}
