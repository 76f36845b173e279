"""El comando ``esenciales``: el código del libro desde la terminal.

Subcomandos: ``capitulos``, ``ejecutar``, ``modelos``, ``entrenar``,
``datos``, ``tiempos`` y ``entorno``. Al cargar este módulo no se importa
ningún framework: ``esenciales --help`` responde al instante y cada
subcomando importa lo que necesita al ejecutarse.

Códigos de salida: 0 bien, 1 error al ejecutar, 2 error de uso,
130 interrumpido con Ctrl-C.
"""

import argparse
import contextlib
import json
import os
import sys

from esenciales import __version__
from esenciales.cli import catalog
from esenciales.frameworks import FRAMEWORKS

PROG = "esenciales"
TIMING_EXPERIMENTS = ("matmul", "cnn", "neurona")
EXIT_ERROR, EXIT_USAGE, EXIT_INTERRUPTED = 1, 2, 130


class UsageError(Exception):
    """La orden está mal escrita o pide algo que no existe (salida 2)."""


class CommandError(Exception):
    """La orden es válida pero no se pudo cumplir (salida 1)."""


# --------------------------------------------------------------------------
# argparse en español

_SPANISH = {
    "usage: ": "uso: ",
    "positional arguments": "argumentos",
    "options": "opciones",
    "show this help message and exit": "muestra esta ayuda y termina",
    "argument %(argument_name)s: %(message)s":
        "argumento %(argument_name)s: %(message)s",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "opción inválida: %(value)r (elija entre %(choices)s)",
    "invalid %(type)s value: %(value)r": "valor inválido: %(value)r",
    "the following arguments are required: %s": "falta el argumento %s",
    "unrecognized arguments: %s": "argumentos no reconocidos: %s",
    "expected one argument": "falta su valor",
    "expected at least one argument": "falta al menos un valor",
    "ambiguous option: %(option)s could match %(matches)s":
        "opción ambigua: %(option)s puede ser %(matches)s",
}


@contextlib.contextmanager
def _spanish_argparse():
    """Traduce al español los mensajes de argparse mientras dura."""
    original = argparse._
    argparse._ = lambda message: _SPANISH.get(message, message)
    try:
        yield
    finally:
        argparse._ = original


class _Parser(argparse.ArgumentParser):
    """Un analizador que informa los errores de uso en una sola línea."""

    def error(self, message):
        raise UsageError(f"{message} (ayuda: {self.prog} --help)")


def _positive_int(text):
    """Tipo de argparse: un entero mayor que cero."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(
            f"se esperaba un entero positivo, no «{text}»")
    return value


def _seed(text):
    """Tipo de argparse: un entero no negativo."""
    if not text.isdigit():
        raise argparse.ArgumentTypeError(
            f"la semilla debe ser un entero ≥ 0, no «{text}»")
    return int(text)


# --------------------------------------------------------------------------
# Salida: colores solo en una terminal


def _is_tty(stream=None):
    stream = stream or sys.stdout
    return hasattr(stream, "isatty") and stream.isatty()


def _paint(text, code, stream=None):
    """``text`` con color ANSI si la salida es una terminal con color."""
    if not _is_tty(stream) or os.environ.get("NO_COLOR") \
            or os.environ.get("TERM") == "dumb":
        return text
    return f"\033[{code}m{text}\033[0m"


def _bold(text):
    return _paint(text, "1")


def _format_value(value):
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def format_table(rows):
    """Una lista de diccionarios como tabla de texto alineada."""
    if not rows:
        return "(sin filas)"
    columns = list(dict.fromkeys(key for row in rows for key in row))
    cells = [[_format_value(row.get(c, "")) for c in columns] for row in rows]
    widths = [max(len(c), *(len(r[i]) for r in cells))
              for i, c in enumerate(columns)]
    line = "  ".join(c.ljust(w) for c, w in zip(columns, widths))
    lines = [_bold(line), "  ".join("─" * w for w in widths)]
    lines += ["  ".join(v.rjust(w) if _is_number(v) else v.ljust(w)
                        for v, w in zip(r, widths)) for r in cells]
    return "\n".join(line.rstrip() for line in lines)


def _is_number(text):
    try:
        float(text)
    except ValueError:
        return False
    return True


# --------------------------------------------------------------------------
# capitulos, ejecutar


def _chapter(key):
    chapter = catalog.find_chapter(key)
    if chapter is None:
        names = ", ".join(f"{c.number} ({c.slug})" for c in catalog.CHAPTERS)
        raise UsageError(f"Capítulo desconocido: «{key}». "
                         f"Capítulos: {names}.")
    return chapter


def cmd_chapters(args):
    """Lista los capítulos y sus ejemplos ejecutables."""
    chapters = [_chapter(args.capitulo)] if args.capitulo \
        else catalog.CHAPTERS
    for chapter in chapters:
        print(_bold(f"{chapter.number}  {chapter.slug:<15} {chapter.title}"))
        for example in chapter.examples:
            where = " [keras, torch]" if example.frameworks else ""
            print(f"     {example.name:<22} {example.description}{where}")
        if not chapter.examples:
            print("     (sin ejemplos ejecutables)")
    return 0


def cmd_run(args):
    """Ejecuta los ejemplos de un capítulo, o uno solo."""
    chapter = _chapter(args.capitulo)
    examples = chapter.examples
    if args.ejemplo:
        example = chapter.example(args.ejemplo)
        if example is None:
            names = ", ".join(e.name for e in examples) or "ninguno"
            raise UsageError(f"El capítulo {chapter.number} no tiene el "
                             f"ejemplo «{args.ejemplo}». Ejemplos: {names}.")
        examples = (example,)
    if not examples:
        raise UsageError(f"El capítulo {chapter.number} no tiene ejemplos "
                         "ejecutables.")
    if args.figuras:
        _make_folder(args.figuras)
    for example in examples:
        for framework in _frameworks_for(example, args.framework):
            _run_example(chapter, example, framework, args.figuras)
    return 0


def _frameworks_for(example, chosen):
    if not example.frameworks:
        return (None,)
    return (chosen,) if chosen else example.frameworks


def _run_example(chapter, example, framework, figures):
    label = f"{chapter.number}:{example.name}"
    if framework:
        label += f" ({framework})"
    print(_bold(f"── {label} · {example.description}"))
    result = example.run(framework)
    stem = f"cap{chapter.number}_{example.name}" + (
        f"_{framework}" if framework else "")
    _show(result, figures, stem)


def _show(result, figures, stem):
    """Muestra el resultado de un ejemplo según su tipo."""
    if result is None:
        return
    if hasattr(result, "savefig"):
        _save_figure(result, figures, stem)
    elif hasattr(result, "report"):
        print(result.report())
    elif _is_rows(result):
        print(format_table(result))
    elif _is_timing(result):
        from esenciales import timing

        print(timing.describe(result))
        print(format_table(timing.comparison_table([result])))
    elif isinstance(result, dict):
        _show_mapping(result)
    else:
        print(result)


def _is_rows(value):
    """¿Es una tabla: una lista de diccionarios?"""
    return isinstance(value, list) and bool(value) \
        and all(isinstance(row, dict) for row in value)


def _is_timing(value):
    """¿Es un documento de ``esenciales.timing``?"""
    return isinstance(value, dict) \
        and str(value.get("schema", "")).startswith("esenciales.timing")


def _is_history(value):
    """¿Es un historial de Keras: un diccionario de listas de números?"""
    return isinstance(value, dict) and bool(value) and all(
        isinstance(v, list) and all(isinstance(x, (int, float)) for x in v)
        for v in value.values())


def _show_mapping(mapping):
    """Un diccionario: historiales como tablas, lo demás clave: valor."""
    if all(_is_history(v) for v in mapping.values()):
        print(format_table([{"variante": label, "épocas": len(h["loss"]),
                             **{k: v[-1] for k, v in h.items()}}
                            for label, h in mapping.items()]))
        return
    for key, value in mapping.items():
        if _is_history(value):
            value = [{"época": i + 1, **{k: v[i] for k, v in value.items()}}
                     for i in range(len(value["loss"]))]
        if _is_rows(value):
            print(f"{key}:\n{format_table(value)}")
        elif isinstance(value, (str, int, float, bool, type(None))):
            text = _format_value(value)
            separator = "\n" if "\n" in text else " "
            print(f"{key}:{separator}{text}")
        elif isinstance(value, (dict, list, tuple)):
            text = json.dumps(value, ensure_ascii=False, default=str)
            print(f"{key}: {text}")
        else:  # un modelo u otro objeto: basta con su tipo
            print(f"{key}: {type(value).__name__}")


def _save_figure(figure, folder, stem):
    if not folder:
        print("(figura generada; use --figuras CARPETA para guardarla)")
        return
    from esenciales.files import atomic_write

    path = os.path.join(folder, f"{stem}.png")
    atomic_write(path, lambda tmp: figure.savefig(tmp, format="png"))
    print(f"Figura guardada en {path}")


# --------------------------------------------------------------------------
# modelos, entrenar


def cmd_models(args):
    """Lista los modelos que ``entrenar`` conoce."""
    rows = [{"modelo": m.name, "datos": m.data, "épocas": m.epochs,
             "lote": m.batch_size, "descripción": m.description}
            for m in catalog.MODELS]
    print(format_table(rows))
    return 0


def _make_folder(folder):
    """Crea la carpeta de salida si falta; error de uso si no se puede."""
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        raise UsageError(f"No se puede crear la carpeta «{folder}».") \
            from None
    if not os.access(folder, os.W_OK):
        raise UsageError(f"No se puede escribir en la carpeta «{folder}».")


def _check_output(path, option):
    """Comprueba antes de entrenar que ``path`` se podrá escribir."""
    if os.path.isdir(path):
        raise UsageError(f"{option}: «{path}» es una carpeta; "
                         "indique un nombre de archivo.")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise UsageError(f"{option}: la carpeta «{folder}» no existe.")
    if not os.access(folder, os.W_OK):
        raise UsageError(f"{option}: no se puede escribir en «{folder}».")


def cmd_train(args):
    """Entrena un modelo del libro y muestra el resumen."""
    if catalog.find_model(args.modelo) is None:
        names = ", ".join(m.name for m in catalog.MODELS)
        raise UsageError(f"Modelo desconocido: «{args.modelo}». "
                         f"Modelos: {names}.")
    from esenciales.runs.training import weights_suffix

    suffix = weights_suffix(args.framework)
    if args.save_weights and not args.save_weights.endswith(suffix):
        raise UsageError(f"--save-weights: con Keras el archivo debe "
                         f"terminar en «{suffix}» (exigencia de Keras 3).")
    for path, option in ((args.save_weights, "--save-weights"),
                         (args.save_history, "--save-history")):
        if path:
            _check_output(path, option)
    result = _train(args)
    print(result.report())
    _save_training(result, args)
    return 0


def _train(args):
    from esenciales.runs import training as trainer
    from esenciales.data import DataError
    from esenciales.frameworks import DeviceError

    print(_bold(f"Entrenando {args.modelo} con {args.framework} "
                f"(dispositivo: {args.device})…"), flush=True)
    try:
        return trainer.train(
            args.modelo, args.framework, epochs=args.epochs,
            batch_size=args.batch_size, seed=args.seed, device=args.device,
            limit=args.limit, verbose=1 if _is_tty() else 2)
    except (DataError, DeviceError) as error:
        raise CommandError(str(error)) from error


def _save_training(result, args):
    from esenciales.runs import training as trainer

    if args.save_weights:
        trainer.save_weights(result.model, result.framework,
                             args.save_weights)
        print(f"Pesos guardados en {args.save_weights}")
    if args.save_history:
        trainer.save_history(result, args.save_history)
        print(f"Historial guardado en {args.save_history}")


# --------------------------------------------------------------------------
# datos


def _dataset_keys(names):
    from esenciales import data as datasets

    for name in names:
        if name not in datasets.DATASETS:
            raise UsageError(f"Conjunto de datos desconocido: «{name}». "
                             f"Opciones: {', '.join(datasets.DATASETS)}.")
    return names or list(datasets.DATASETS)


def cmd_data_list(args):
    """Dónde se encontró cada conjunto de datos, sin descargar nada."""
    from esenciales import data as datasets

    for row in datasets.dataset_report():
        state = _paint(f"{'encontrado':<10}", "32") if row["found"] \
            else _paint(f"{'falta':<10}", "31")
        print(f"{row['name']:<15} {state} {row['path'] or '—'}")
        print(f"{'':<15} {row['title']}")
    return 0


def cmd_data_download(args):
    """Descarga (si faltan) y verifica los conjuntos pedidos."""
    from esenciales import data as datasets

    failed = []
    for key in _dataset_keys(args.nombres):
        print(_bold(f"{key}:"), flush=True)
        try:
            for path in datasets.download_dataset(key):
                print(f"  listo   {path}")
        except datasets.DataError as error:
            failed.append(key)
            _print_indented(error)
    return _data_outcome(failed, "no se pudieron conseguir")


def cmd_data_verify(args):
    """Comprueba la huella SHA-256 de cada archivo de los conjuntos."""
    from esenciales import data as datasets

    failed = []
    for key in _dataset_keys(args.nombres):
        print(_bold(f"{key}:"), flush=True)
        try:
            results = datasets.verify(key)
        except datasets.DataError as error:
            failed.append(key)
            _print_indented(error)
            continue
        for path, ok in results:
            state = _paint("correcto", "32") if ok \
                else _paint("CORRUPTO", "31")
            print(f"  {state} {path}")
        if not all(ok for _, ok in results):
            failed.append(key)
    return _data_outcome(failed, "fallaron")


def _print_indented(error):
    """El mensaje de un ``DataError`` (dice qué falta y cómo conseguirlo)."""
    for line in str(error).splitlines():
        print(f"  {line}", file=sys.stderr)


def _data_outcome(failed, verb):
    if failed:
        raise CommandError(f"{verb}: {', '.join(failed)} "
                           "(vea los mensajes de arriba).")
    return 0


# --------------------------------------------------------------------------
# tiempos


def cmd_timings(args):
    """Mide en vivo los experimentos de tiempos y muestra una tabla por
    experimento (con las cifras grabadas en GPU si se piden)."""
    from esenciales import timing

    if args.guardar:
        _make_folder(args.guardar)
    for experiment in args.experimentos or TIMING_EXPERIMENTS:
        live = []
        for framework in _timing_frameworks(experiment, args.framework):
            print(f"Midiendo {experiment} ({framework})…", flush=True,
                  file=sys.stderr)
            doc = _measure(timing, experiment, framework, args.device)
            live.append(doc)
            if args.guardar:
                _save_timing(timing, doc, args.guardar)
        recorded = timing.recorded_results(experiment) \
            if args.grabados else []
        print(_bold(f"\n{experiment}"))
        print(format_table(timing.comparison_table(live, recorded)))
    return 0


def _experiment(text):
    """Tipo de argparse: el nombre de un experimento de tiempos."""
    if text not in TIMING_EXPERIMENTS:
        raise argparse.ArgumentTypeError(
            f"experimento desconocido «{text}» (elija entre "
            f"{', '.join(TIMING_EXPERIMENTS)})")
    return text


def _timing_frameworks(experiment, chosen):
    if experiment == "neurona":
        return ("numpy",)
    return (chosen,) if chosen else FRAMEWORKS


def _measure(timing, experiment, framework, device):
    from esenciales.frameworks import DeviceError, resolve_device

    if experiment == "neurona":
        return timing.neuron_batched_vs_loop()
    try:
        device = resolve_device(framework, device)
    except DeviceError as error:
        raise CommandError(str(error)) from error
    if experiment == "matmul":
        return timing.matmul_throughput(framework=framework, device=device)
    return timing.cnn_throughput(framework, device=device)


def _save_timing(timing, doc, folder):
    name = f"{doc['experiment']}_{doc['framework']}_{doc['device']}.json"
    path = os.path.join(folder, name)
    timing.save_results(doc, path)
    print(f"Guardado {path}", file=sys.stderr)


# --------------------------------------------------------------------------
# entorno


def cmd_environment(args):
    """Informe del entorno: versiones, dispositivos y datos."""
    from esenciales import timing

    info = timing.provenance()
    versions = info["versions"]
    missing = "no instalado"
    rows = [
        ("Python", f"{info['python']} ({info['platform']})"),
        ("esenciales", versions["esenciales"]),
        ("Keras", f"{versions['keras']} (backend {_keras_backend()})"
         if versions["keras"] else missing),
        ("TensorFlow", versions["tensorflow"] or missing),
        ("PyTorch", versions["torch"] or missing),
        ("CPU", f"{info['cpu_model']}, {info['cpu_threads']} hilos"),
        ("GPU (nvidia-smi)", _nvidia_gpus(info["gpu"])),
    ]
    rows += _framework_gpus(versions)
    for name, value in rows:
        print(f"{name + ':':<18} {value}")
    print(_bold("Datos:"))
    return cmd_data_list(args)


def _keras_backend():
    import keras

    return keras.backend.backend()


def _nvidia_gpus(gpu):
    if not gpu:
        return "ninguna"
    names = ", ".join(g["name"] for g in gpu["gpus"])
    return f"{names} (driver {gpu['gpus'][0]['driver']}, " \
           f"CUDA {gpu['driver_cuda']})"


def _framework_gpus(versions):
    """Las GPU que ve cada framework instalado (los importa)."""
    rows = []
    if versions["torch"]:
        import torch

        names = [torch.cuda.get_device_name(i)
                 for i in range(torch.cuda.device_count())]
        rows.append(("GPU (PyTorch)", ", ".join(names) + (
            f" (CUDA {torch.version.cuda})" if names else "ninguna")))
    if versions["tensorflow"]:
        import tensorflow as tf

        gpus = tf.config.list_physical_devices("GPU")
        rows.append(("GPU (TensorFlow)",
                     ", ".join(g.name for g in gpus) or "ninguna"))
    return rows


# --------------------------------------------------------------------------
# cuaderno


def cmd_notebook(args):
    """Escribe el capítulo como cuaderno de Jupyter (.ipynb)."""
    from esenciales import notebooks

    chapter = _chapter(args.capitulo)
    if args.salida:
        _check_output(args.salida, "--salida")
    path, with_outputs = notebooks.save_chapter_notebook(chapter.number,
                                                         args.salida)
    detail = ("con las salidas del libro" if with_outputs
              else "sin salidas: ejecútenlo en Jupyter")
    print(f"Cuaderno del capítulo {chapter.number} ({detail}): {path}")
    return 0


def _notebook_parser(subparsers):
    parser = _subparser(
        subparsers, "cuaderno",
        "escribe un capítulo como cuaderno de Jupyter (.ipynb)",
        ["esenciales cuaderno 4",
         "esenciales cuaderno cnn --salida cnn.ipynb"], cmd_notebook)
    parser.add_argument("capitulo", metavar="CAPITULO",
                        help="número (4) o nombre corto (cnn) del capítulo")
    parser.add_argument("--salida", metavar="ARCHIVO",
                        help="archivo .ipynb que escribir (por omisión, "
                             "NN_nombre.ipynb en la carpeta actual)")


# --------------------------------------------------------------------------
# El analizador


DESCRIPTION = """\
El código del libro «Esenciales de Deep Learning» desde la terminal:
lista y ejecuta los ejemplos de cada capítulo, entrena los modelos del libro
en Keras o en PyTorch, consigue y verifica los datos, mide tiempos e informa
del entorno."""

EXAMPLES = """\
ejemplos:
  esenciales entorno
  esenciales capitulos
  esenciales ejecutar 4
  esenciales entrenar mnist_cnn --framework torch --epochs 1 --limit 2000
  esenciales datos verificar mnist
  esenciales tiempos neurona
Cada subcomando tiene su ayuda: esenciales entrenar --help"""


def _formatter(prog):
    """Ayuda con los ejemplos tal cual y columnas un poco más anchas."""
    return argparse.RawDescriptionHelpFormatter(prog, max_help_position=30)


def _subparser(subparsers, name, summary, examples, handler):
    parser = subparsers.add_parser(
        name, help=summary, description=summary,
        epilog="ejemplos:\n" + "\n".join(f"  {e}" for e in examples),
        formatter_class=_formatter)
    parser.set_defaults(handler=handler)
    return parser


def _add_framework(parser, help_text, default=None):
    parser.add_argument("--framework", choices=FRAMEWORKS,
                        default=default, help=help_text)


def _add_device(parser):
    parser.add_argument(
        "--device", choices=("auto", "cpu", "cuda"), default="auto",
        help="dispositivo: auto (GPU si hay), cpu o cuda (por omisión: "
             "%(default)s)")


def build_parser():
    """El analizador de argumentos del comando ``esenciales``."""
    parser = _Parser(prog=PROG, description=DESCRIPTION, epilog=EXAMPLES,
                     formatter_class=_formatter)
    parser.add_argument("--version", action="version",
                        version=f"{PROG} {__version__}",
                        help="muestra la versión y termina")
    parser.add_argument("--depurar", action="store_true",
                        help="ante un error inesperado, muestra la traza "
                             "completa de Python")
    subparsers = parser.add_subparsers(
        title="subcomandos", metavar="SUBCOMANDO", dest="subcommand",
        required=True)
    _chapters_parser(subparsers)
    _run_parser(subparsers)
    _subparser(subparsers, "modelos",
               "lista los modelos que se pueden entrenar y sus datos",
               ["esenciales modelos"], cmd_models)
    _train_parser(subparsers)
    _data_parser(subparsers)
    _timings_parser(subparsers)
    _notebook_parser(subparsers)
    _subparser(subparsers, "entorno",
               "informa Python, Keras, TensorFlow, PyTorch, dispositivos "
               "y datos", ["esenciales entorno"], cmd_environment)
    return parser


def _chapters_parser(subparsers):
    parser = _subparser(
        subparsers, "capitulos",
        "lista los capítulos y los ejemplos que se pueden ejecutar",
        ["esenciales capitulos", "esenciales capitulos cnn"], cmd_chapters)
    parser.add_argument("capitulo", nargs="?", metavar="CAPITULO",
                        help="número (4) o nombre corto (cnn) del capítulo")


def _run_parser(subparsers):
    parser = _subparser(
        subparsers, "ejecutar",
        "ejecuta los ejemplos de un capítulo (las mismas funciones que "
        "llama el libro)",
        ["esenciales ejecutar 4", "esenciales ejecutar 1 reglas",
         "esenciales ejecutar cnn --framework torch --figuras /tmp"],
        cmd_run)
    parser.add_argument("capitulo", metavar="CAPITULO",
                        help="número (4) o nombre corto (cnn) del capítulo")
    parser.add_argument("ejemplo", nargs="?", metavar="EJEMPLO",
                        help="un solo ejemplo (por omisión, todos)")
    _add_framework(parser, "solo este framework (por omisión, ambos)")
    parser.add_argument("--figuras", metavar="CARPETA",
                        help="guarda en CARPETA las figuras (PNG); la crea "
                             "si falta")


def _train_parser(subparsers):
    parser = _subparser(
        subparsers, "entrenar",
        "entrena un modelo del libro sobre sus datos y resume el resultado",
        ["esenciales entrenar mnist_cnn",
         "esenciales entrenar mnist_cnn --framework torch --epochs 1 "
         "--limit 2000",
         "esenciales entrenar mlp_minimal --save-history historia.json",
         "esenciales entrenar cnn --framework keras "
         "--save-weights cnn.weights.h5"],
        cmd_train)
    parser.add_argument("modelo", metavar="MODELO",
                        help="nombre del modelo (ver «esenciales modelos»)")
    _add_framework(parser, "keras o torch (por omisión: %(default)s)",
                   default="keras")
    parser.add_argument("--epochs", type=_positive_int, metavar="N",
                        help="épocas (por omisión, las de la clase)")
    parser.add_argument("--batch-size", type=_positive_int, metavar="N",
                        help="tamaño del lote (por omisión, el de la clase)")
    parser.add_argument("--seed", type=_seed, default=0, metavar="N",
                        help="semilla (por omisión: %(default)s)")
    _add_device(parser)
    parser.add_argument("--limit", type=_positive_int, metavar="N",
                        help="usa solo los primeros N ejemplos de "
                             "entrenamiento y de prueba")
    parser.add_argument("--save-weights", metavar="RUTA",
                        help="guarda los pesos (Keras: RUTA.weights.h5; "
                             "PyTorch: state_dict, p. ej. RUTA.pt)")
    parser.add_argument("--save-history", metavar="RUTA.json",
                        help="guarda el historial y el resumen en JSON")


def _data_parser(subparsers):
    parser = _subparser(
        subparsers, "datos",
        "dice dónde está cada conjunto de datos; los descarga y verifica",
        ["esenciales datos", "esenciales datos descargar mnist",
         "esenciales datos verificar"], cmd_data_list)
    actions = parser.add_subparsers(title="acciones", metavar="ACCION",
                                    dest="action")
    for name, summary, handler in (
            ("descargar", "descarga los conjuntos que falten y los "
                          "verifica", cmd_data_download),
            ("verificar", "comprueba la huella SHA-256 de cada archivo",
             cmd_data_verify)):
        action = _subparser(actions, name, summary,
                            [f"esenciales datos {name}",
                             f"esenciales datos {name} mnist imdb"],
                            handler)
        action.add_argument("nombres", nargs="*", metavar="CONJUNTO",
                            help="mnist, fashion-mnist o imdb (por "
                                 "omisión, todos)")


def _timings_parser(subparsers):
    parser = _subparser(
        subparsers, "tiempos",
        "mide en vivo productos de matrices, pasos de la CNN y la neurona "
        "en lote vs en bucle",
        ["esenciales tiempos neurona",
         "esenciales tiempos matmul --framework torch",
         "esenciales tiempos cnn --grabados --guardar /tmp"],
        cmd_timings)
    parser.add_argument("experimentos", nargs="*", metavar="EXPERIMENTO",
                        type=_experiment,
                        help="matmul, cnn o neurona (por omisión, todos)")
    _add_framework(parser, "solo este framework (por omisión, ambos)")
    _add_device(parser)
    parser.add_argument("--grabados", action="store_true",
                        help="agrega a la tabla las cifras grabadas en GPU "
                             "que trae el libro")
    parser.add_argument("--guardar", metavar="CARPETA",
                        help="guarda cada resultado como JSON en CARPETA "
                             "(la crea si falta)")


# --------------------------------------------------------------------------
# Punto de entrada


def main(argv=None):
    """Ejecuta ``esenciales`` con ``argv`` y devuelve el código de salida.

    Nunca muestra una traza de Python salvo con ``--depurar``.
    """
    debug = "--depurar" in (sys.argv[1:] if argv is None else argv)
    try:
        with _spanish_argparse():
            args = build_parser().parse_args(argv)
        return args.handler(args)
    except SystemExit as exit_:  # --help y --version
        return exit_.code or 0
    except BrokenPipeError:  # p. ej. «esenciales capitulos | head»
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_ERROR
    except UsageError as error:
        return _fail(error, EXIT_USAGE)
    except KeyboardInterrupt:
        print("\nInterrumpido: no quedó ningún archivo a medias.",
              file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as error:
        if debug:
            raise
        return _fail(_describe(error), EXIT_ERROR)


def _describe(error):
    """El mensaje de un error; los inesperados llevan su tipo."""
    if isinstance(error, ModuleNotFoundError) and error.name:
        package = error.name.split(".")[0]
        return (f"falta el paquete «{package}»; instálelo (pip install "
                f"{package}) o use el otro framework")
    expected = (CommandError, ValueError, OSError)
    if isinstance(error, expected) or type(error).__name__ == "DataError":
        return error
    return (f"{type(error).__name__}: {error} (error inesperado; repita "
            f"con «{PROG} --depurar …» para ver la traza)")


def _fail(message, code):
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return code
