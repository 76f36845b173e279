"""El subcomando ``entorno``: versiones, dispositivos, hilos y datos."""

from esenciales.cli import render
from esenciales.cli.datasets import print_data_report
from esenciales.cli.errors import print_json
from esenciales.cli.options import add_json, subparser


def cmd_environment(args):
    """Informe del entorno: versiones, dispositivos y datos."""
    from esenciales import data, threads, timing

    progress = render.Progress()
    progress.step("consultando Keras, TensorFlow y PyTorch")
    try:
        info = timing.provenance()
        versions = info["versions"]
        gpus = _framework_gpus()
    finally:
        progress.close()
    document = {
        "python": info["python"], "platform": info["platform"],
        "versions": versions, "keras_backend": info["keras_backend"],
        "cpu": {"model": info["cpu_model"], "threads": info["cpu_threads"]},
        "gpu": info["gpu"], "framework_gpus": gpus,
        "threads": threads.settings(),
        "data": data.dataset_report(),
    }
    if args.json:
        print_json(document)
        return 0
    missing = "no instalado"
    rows = [
        ("Python", f"{info['python']} ({info['platform']})"),
        ("esenciales", versions["esenciales"]),
        ("Keras", f"{versions['keras']} (backend "
                  f"{document['keras_backend']})"
         if versions["keras"] else missing),
        ("TensorFlow", versions["tensorflow"] or missing),
        ("PyTorch", versions["torch"] or missing),
        ("CPU", f"{info['cpu_model']}, {info['cpu_threads']} hilos"),
        ("Hilos", _threads_text(document["threads"])),
        ("GPU (nvidia-smi)", _nvidia_gpus(info["gpu"])),
    ]
    rows += [(f"GPU ({name})", ", ".join(gpus) or "ninguna")
             for name, gpus in gpus.items()]
    for name, value in rows:
        print(f"{name + ':':<18} {value}")
    print(render.bold("Datos:"))
    print_data_report(document["data"])
    return 0


def _threads_text(settings):
    """Cuántos hilos usan los frameworks y con qué espera (OpenMP)."""
    count = settings.get("torch_threads") or settings.get("threads") \
        or settings["cores"]
    return (f"{count} de {settings['cores']} núcleos (espera "
            f"{settings['wait_policy']}, {settings['spin_count']} vueltas;"
            f" los elige --hilos N)")


def _nvidia_gpus(gpu):
    if not gpu:
        return "ninguna"
    names = ", ".join(g["name"] for g in gpu["gpus"])
    return f"{names} (driver {gpu['gpus'][0]['driver']}, " \
           f"CUDA {gpu['driver_cuda']})"


def _framework_gpus():
    """Las GPU que ve cada framework instalado (los importa): Keras, las
    de su backend: ``{"Keras": [...], "PyTorch": [...]}``."""
    from esenciales import frameworks

    found = {}
    for framework in frameworks.FRAMEWORKS:
        try:
            found[frameworks.FRAMEWORK_NAMES[framework]] = \
                frameworks.gpus(framework)
        except ImportError:  # no instalado: no ve nada
            continue
    return found


def add_parsers(subparsers):
    """``entorno``."""
    add_json(subparser(
        subparsers, "entorno",
        "informa Python, Keras, TensorFlow, PyTorch, dispositivos y datos",
        ["esenciales entorno", "esenciales entorno --json"],
        cmd_environment))
