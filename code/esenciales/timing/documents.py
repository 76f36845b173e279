"""Documentos de tiempos: el esquema, su armado y los archivos grabados.

Un documento es un dict listo para JSON con su procedencia (ver el
esquema en ``esenciales.timing``). Los grabados en GPU viven en
``timing/recorded`` como datos del paquete.
"""

import json
from pathlib import Path

from esenciales import frameworks
from esenciales.files import write_json
from esenciales.timing.provenance import provenance

SCHEMA = "esenciales.timing/1"
RECORDED_DIR = Path(__file__).resolve().parent / "recorded"
"""Tiempos grabados en GPU, instalados con el paquete (datos del paquete)."""
EXPERIMENTS = ("matmul", "cnn", "neurona", "paralelo")
EXPERIMENT_NAMES = {"matmul": "Producto de matrices",
                    "cnn": "CNN de MNIST", "neurona": "Neuronas",
                    "paralelo": "Paralelismo de datos"}
FRAMEWORK_NAMES = {"numpy": "NumPy", **frameworks.FRAMEWORK_NAMES}
BACKEND_NAMES = {
    "tensorflow": "TensorFlow", "jax": "JAX", "torch": "PyTorch",
    "numpy": "NumPy",
}


def document(experiment, framework, device, params, results):
    """Arma un documento del esquema con su procedencia."""
    return {
        "schema": SCHEMA,
        "experiment": experiment,
        "framework": framework,
        "backend": backend_of(framework, experiment),
        "device": device,
        "origin": "en vivo",
        "provenance": provenance(framework, device),
        "params": params,
        "results": results,
    }


def backend_of(framework, experiment=None):
    """El motor que ejecuta las operaciones del marco (el paralelismo de
    datos de Keras corre siempre con JAX)."""
    if framework == "numpy":
        return "numpy"
    if framework == "keras" and experiment == "paralelo":
        return "jax"
    return frameworks.engine(framework)


def measured_device(framework, device):
    """El dispositivo medido, «cpu» o «cuda», según
    ``esenciales.frameworks.resolve_device`` (NumPy: siempre la CPU)."""
    if framework == "numpy":  # solo CPU; su producto rechaza el resto
        return "cpu" if device == "auto" else device
    return frameworks.resolve_device(framework, device)


def check_experiment(experiment):
    """Devuelve ``experiment`` si existe; si no, ``ValueError``."""
    if experiment not in EXPERIMENTS:
        raise ValueError(f"Experimento desconocido: «{experiment}». "
                         f"Opciones: {', '.join(EXPERIMENTS)}.")
    return experiment


def save_results(doc, path):
    """Guarda un documento como JSON; en disco queda marcado «grabado»."""
    check_document(doc, path)
    return write_json(path, {**doc, "origin": "grabado"})


def load_recorded(path):
    """Lee un documento grabado y comprueba su esquema.

    Salida: el documento (dict) con ``origin`` = «grabado».
    """
    path = Path(path)
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        raise ValueError(f"No se pudo leer {path}: {err}") from err
    check_document(doc, path)
    return {**doc, "origin": "grabado"}


def recorded_results(experiment=None, directory=None):
    """Todos los documentos grabados de ``timing/recorded`` (o ``directory``).

    Entrada: un experimento («matmul», «cnn», «neurona») para filtrar, o
    None para todos.
    Salida: lista de documentos ordenada por nombre de archivo.
    """
    directory = Path(directory or RECORDED_DIR)
    docs = [load_recorded(p) for p in sorted(directory.glob("*.json"))]
    if experiment is None:
        return docs
    return [doc for doc in docs if doc["experiment"] == experiment]


def check_document(doc, where):
    """Falla con un mensaje claro si el documento no sigue el esquema."""
    required = ("schema", "experiment", "framework", "backend", "device",
                "provenance", "params", "results")
    if not isinstance(doc, dict):
        raise ValueError(f"{where}: se esperaba un objeto JSON.")
    missing = [key for key in required if key not in doc]
    if missing:
        raise ValueError(f"{where}: faltan las claves {missing}.")
    if doc["schema"] != SCHEMA:
        raise ValueError(
            f"{where}: esquema {doc['schema']!r}; se esperaba {SCHEMA!r}."
        )
    if doc["experiment"] not in EXPERIMENTS:
        raise ValueError(
            f"{where}: experimento desconocido {doc['experiment']!r}."
        )


def describe(doc):
    """Etiqueta corta: dispositivo · marco (backend) · origen."""
    return (f"{device_name(doc)} · {framework_name(doc)} "
            f"({doc.get('origin', 'en vivo')})")


def device_name(doc):
    """Nombre del dispositivo medido, p. ej. «NVIDIA H200» o la CPU."""
    device = doc["provenance"]["device"]
    if device["type"] == "cpu":
        threads = doc["provenance"].get("torch_threads") \
            or doc["provenance"]["cpu_threads"]
        return (f"CPU {device['name']} ({threads} "
                f"{'hilo' if threads == 1 else 'hilos'})")
    return device["name"] or "GPU"


def framework_name(doc):
    """Marco legible, con el backend para Keras: «Keras (JAX)»."""
    name = FRAMEWORK_NAMES[doc["framework"]]
    if doc["framework"] == "keras":
        return f"{name} ({BACKEND_NAMES.get(doc['backend'], '?')})"
    return name

