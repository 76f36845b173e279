"""El subcomando ``tiempos``: los experimentos de tiempos, en vivo."""

import argparse
import os
import sys

from esenciales.cli import render
from esenciales.cli.errors import (CommandError, check_outputs, doing,
                                   make_folder)
from esenciales.cli.options import (add_device, add_framework,
                                    add_overwrite, subparser)


def cmd_timings(args):
    """Mide en vivo los experimentos de tiempos y muestra una tabla por
    experimento (con las cifras grabadas en GPU si se piden)."""
    from esenciales import timing
    from esenciales.frameworks import DeviceError

    if args.guardar:
        make_folder(args.guardar)
        _check_saved_timings(timing, args)
    progress = render.Progress()
    try:
        for experiment in args.experimentos or timing.EXPERIMENTS:
            live = []
            for framework in _timing_frameworks(timing, experiment,
                                                args.framework):
                progress.step(f"midiendo {experiment} ({framework})")
                with doing(f"la medición de {experiment}"):
                    try:
                        doc = timing.measure(experiment, framework,
                                             args.device)
                    except DeviceError as error:
                        raise CommandError(str(error)) from None
                progress.done()
                live.append(doc)
                if args.guardar:
                    _save_timing(timing, doc, args.guardar)
            recorded = timing.recorded_results(experiment) \
                if args.grabados else []
            print(render.bold(f"\n{experiment}"))
            print(render.markdown_to_text(timing.table_markdown(
                timing.comparison_table(live, recorded))))
    finally:
        progress.close()
    return 0


def _timing_frameworks(timing, experiment, chosen):
    """Los marcos que mide ``experiment``; con --framework, solo ese
    (la neurona se mide siempre con NumPy)."""
    available = timing.experiment_frameworks(experiment)
    return (chosen,) if chosen in available else available


def _experiment(text):
    """Tipo de argparse: el nombre de un experimento de tiempos."""
    from esenciales import timing

    try:
        return timing.check_experiment(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"experimento desconocido «{text}» (opciones: "
            f"{', '.join(timing.EXPERIMENTS)})") from None


def _timing_path(folder, experiment, framework, device):
    """Dónde ``--guardar`` deja un resultado."""
    return os.path.join(folder, f"{experiment}_{framework}_{device}.json")


def _check_saved_timings(timing, args):
    """Error de uso, antes de medir, si un resultado pisaría un archivo
    (sin ``--sobrescribir``)."""
    from esenciales.frameworks import DeviceError, resolve_device

    outputs = {}
    for experiment in args.experimentos or timing.EXPERIMENTS:
        for framework in _timing_frameworks(timing, experiment,
                                            args.framework):
            try:
                device = "cpu" if framework == "numpy" else \
                    resolve_device(framework, args.device)
            except (DeviceError, ImportError):
                continue  # lo dirá la medición
            path = _timing_path(args.guardar, experiment, framework, device)
            outputs[f"--guardar ({os.path.basename(path)})"] = path
    check_outputs(outputs, args.sobrescribir)


def _save_timing(timing, doc, folder):
    from esenciales.files import atomic_write

    path = _timing_path(folder, doc["experiment"], doc["framework"],
                        doc["device"])
    atomic_write(path, lambda tmp: timing.save_results(doc, tmp))
    print(f"Guardado {path}", file=sys.stderr)


def add_parsers(subparsers):
    """``tiempos``."""
    from esenciales.timing import EXPERIMENT_NAMES, EXPERIMENTS

    parser = subparser(
        subparsers, "tiempos",
        "mide en vivo productos de matrices, pasos de la CNN, la neurona "
        "en lote vs en bucle y el paralelismo de datos",
        ["esenciales tiempos neurona",
         "esenciales tiempos matmul --framework torch",
         "esenciales tiempos paralelo --framework torch",
         "esenciales tiempos cnn --grabados --guardar /tmp"],
        cmd_timings)
    parser.add_argument(
        "experimentos", nargs="*", metavar="EXPERIMENTO", type=_experiment,
        help=", ".join(f"{key} ({EXPERIMENT_NAMES[key]})"
                       for key in EXPERIMENTS) + "; por omisión, todos")
    add_framework(parser, "solo este framework (por omisión, ambos)")
    add_device(parser)
    parser.add_argument("--grabados", action="store_true",
                        help="agrega a la tabla las cifras grabadas en GPU "
                             "que trae el paquete")
    parser.add_argument("--guardar", metavar="CARPETA",
                        help="guarda cada resultado como JSON en CARPETA "
                             "(la crea si falta)")
    add_overwrite(parser, "los JSON que ya estén en CARPETA")
