"""El comando ``esenciales``: el código del libro desde la terminal.

Subcomandos: ``capitulos``, ``ejecutar``, ``modelos``, ``recetas``,
``entrenar``, ``datos``, ``cache``, ``tiempos``, ``cuaderno`` y
``entorno``. Al cargar este módulo no se importa ningún framework:
``esenciales --help`` responde al instante y cada subcomando importa lo que
necesita al ejecutarse.

Códigos de salida: 0 bien, 1 error al ejecutar, 2 error de uso,
130 interrumpido con Ctrl-C, 143 terminado con SIGTERM. Ante cualquiera de
ellos, una sola línea en español en la salida de errores, nunca una traza
(salvo con ``--depurar``), y ningún archivo a medias.
"""

import argparse
import contextlib
import json
import os
import signal
import sys
import threading

from esenciales import __version__
from esenciales.cli import catalog, quiet, render
from esenciales.files import describe_os_error

PROG = "esenciales"
EXIT_ERROR, EXIT_USAGE = 1, 2
EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143


class UsageError(Exception):
    """La orden está mal escrita o pide algo que no existe (salida 2)."""


class CommandError(Exception):
    """La orden es válida pero no se pudo cumplir (salida 1)."""


class Terminated(BaseException):
    """Llegó SIGTERM. Como Ctrl-C, corre los ``finally`` (que borran los
    temporales) antes de salir con 143."""


def install_signal_handlers():
    """SIGTERM se vuelve la excepción ``Terminated`` (en el hilo principal)."""
    def terminate(signum, frame):
        raise Terminated()

    signal.signal(signal.SIGTERM, terminate)


# --------------------------------------------------------------------------
# Qué se está haciendo: para que una interrupción diga qué se perdió


_INTERRUPTED_DURING = []


@contextlib.contextmanager
def doing(what):
    """Anota ``what`` («el entrenamiento de mlp») mientras dura el bloque:
    si una señal lo corta, el mensaje lo nombra (el más interno)."""
    try:
        yield
    except (KeyboardInterrupt, Terminated):
        if not _INTERRUPTED_DURING:
            _INTERRUPTED_DURING.append(what)
        raise


def _interrupted_message(word):
    what = f" durante {_INTERRUPTED_DURING[0]}" if _INTERRUPTED_DURING \
        else ""
    return (f"{word}{what}: no se guardó nada a medias ni quedó ningún "
            "temporal; pueden repetir la orden.")


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
        "opción inválida: %(value)r (opciones: %(choices)s)",
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


def _print_json(document):
    """Un objeto JSON en la salida estándar (para scripts)."""
    print(json.dumps(document, ensure_ascii=False, indent=1, default=str))


# --------------------------------------------------------------------------
# Archivos de salida: comprobar antes de trabajar, escribir sin perder nada


def _make_folder(folder):
    """Crea la carpeta de salida si falta; error de uso si no se puede."""
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        raise UsageError(f"No se puede crear la carpeta «{folder}».") \
            from None
    if not os.access(folder, os.W_OK):
        raise UsageError(f"No se puede escribir en la carpeta «{folder}».")


def check_outputs(outputs, overwrite):
    """Comprueba, antes de trabajar, que cada salida se podrá escribir.

    ``outputs``: ``{opción: ruta}`` (las rutas ``None`` se ignoran). Error
    de uso si dos opciones nombran el mismo archivo, si una ruta es una
    carpeta, si su carpeta no existe o si el archivo ya existe y no se
    pidió ``--sobrescribir``.
    """
    seen = {}
    for option, path in outputs.items():
        if not path:
            continue
        real = os.path.realpath(path)
        if real in seen:
            raise UsageError(f"{seen[real]} y {option} nombran el mismo "
                             f"archivo «{path}»; usen dos nombres distintos.")
        seen[real] = option
        if os.path.isdir(path):
            raise UsageError(f"{option}: «{path}» es una carpeta; "
                             "indiquen un nombre de archivo.")
        folder = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(folder):
            raise UsageError(f"{option}: la carpeta «{folder}» no existe.")
        if not os.access(folder, os.W_OK):
            raise UsageError(f"{option}: no se puede escribir en «{folder}».")
        if os.path.exists(path) and not overwrite:
            raise UsageError(f"{option}: «{path}» ya existe; para "
                             "reemplazarlo agreguen --sobrescribir.")


# --------------------------------------------------------------------------
# capitulos, ejecutar


def _chapter(key):
    chapter = catalog.find_chapter(key)
    if chapter is None:
        names = ", ".join(f"{c.number} ({c.slug})" for c in catalog.CHAPTERS)
        raise UsageError(f"Capítulo desconocido: «{key}». "
                         f"Capítulos: {names}.")
    return chapter


def _chapter_cells(chapter):
    from esenciales.cli import chapters

    try:
        text = catalog.chapter_source(chapter).read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise CommandError(str(error)) from None
    return text, chapters.visible_cells(chapters.parse_cells(text))


def cmd_chapters(args):
    """Lista los capítulos y, para uno, sus celdas."""
    if not args.capitulo:
        rows = [[str(c.number), c.slug, c.title] for c in catalog.CHAPTERS]
        print(render.text_table(["capítulo", "nombre", "título"], rows,
                                ["r", "l", "l"]))
        return 0
    chapter = _chapter(args.capitulo)
    _, cells = _chapter_cells(chapter)
    print(render.bold(f"{chapter.number}  {chapter.slug}  {chapter.title}"))
    rows = [[str(i), cell.title] for i, cell in enumerate(cells, start=1)]
    print(render.text_table(["celda", "primera línea"], rows, ["r", "l"]))
    return 0


def cmd_run(args):
    """Ejecuta las celdas de un capítulo y muestra lo que el libro muestra."""
    from esenciales.cli import chapters

    chapter = _chapter(args.capitulo)
    text, cells = _chapter_cells(chapter)
    if args.celda is not None and not 1 <= args.celda <= len(cells):
        raise UsageError(f"El capítulo {chapter.number} tiene "
                         f"{len(cells)} celdas visibles; no existe la "
                         f"celda {args.celda}.")
    if args.figuras:
        _make_folder(args.figuras)
    display = chapters.Display(args.figuras, _save_figure)
    print(render.bold(f"Capítulo {chapter.number}: {chapter.title}"))
    progress = render.Progress()
    try:
        with doing(f"el capítulo {chapter.number}"):
            chapters.run_chapter(chapter, text, only=args.celda,
                                 display=display, progress=progress)
    except chapters.CellError as error:
        if isinstance(error.error, OSError) and error.error.filename:
            raise CommandError(_write_failure(error.error)) from None
        raise CommandError(f"capítulo {chapter.number}: {error}") from None
    finally:
        progress.close()
    if display.glued and (args.cifras or not any(
            c.shows_output for c in cells)):
        print(render.bold("Cifras que cita el texto (glue):"))
        print(render.text_table(["nombre", "valor"],
                                [[k, v] for k, v in display.glued.items()],
                                ["l", "r"]))
    return 0


def _save_figure(path, figure):
    from esenciales.files import atomic_write

    atomic_write(path, lambda tmp: figure.savefig(tmp, format="png"))


def _write_failure(error):
    return (f"No se pudo escribir «{error.filename}»: "
            f"{describe_os_error(error)}.")


# --------------------------------------------------------------------------
# datos


def _dataset_keys(names):
    from esenciales import data

    for name in names:
        if name not in data.DATASETS:
            raise UsageError(f"Conjunto de datos desconocido: «{name}». "
                             f"Opciones: {', '.join(data.DATASETS)}.")
    return names or list(data.DATASETS)


def cmd_data_list(args):
    """Dónde se encontró cada conjunto de datos, sin descargar nada."""
    from esenciales import data

    report = data.dataset_report()
    if getattr(args, "json", False):
        _print_json(report)
        return 0
    _print_data_report(report)
    return 0


def _print_data_report(report):
    for row in report:
        state = render.paint(f"{'encontrado':<10}", "32") if row["found"] \
            else render.paint(f"{'falta':<10}", "31")
        print(f"{row['name']:<15} {state} {row['path'] or '—'}")
        print(f"{'':<15} {row['title']}")


def cmd_data_download(args):
    """Descarga (si faltan) y verifica los conjuntos pedidos."""
    from esenciales import data

    failed = []
    for key in _dataset_keys(args.nombres):
        print(render.bold(f"{key}:"), flush=True)
        try:
            with doing(f"la descarga de {key}"):
                for path in data.download_dataset(key):
                    print(f"  listo   {path}")
        except data.DataError as error:
            failed.append(key)
            _print_indented(error)
    return _data_outcome(failed, "no se pudieron conseguir")


def cmd_data_verify(args):
    """Comprueba la huella SHA-256 de cada archivo de los conjuntos."""
    from esenciales import data

    failed = []
    for key in _dataset_keys(args.nombres):
        print(render.bold(f"{key}:"), flush=True)
        try:
            results = data.verify(key)
        except data.DataError as error:
            failed.append(key)
            _print_indented(error)
            continue
        for path, problem in results:
            state = render.paint("correcto", "32") if not problem \
                else render.paint("CORRUPTO", "31")
            print(f"  {state} {path}")
            if problem:
                print(f"           {problem}")
        if any(problem for _, problem in results):
            failed.append(key)
    return _data_outcome(failed, "archivos dañados o que faltan en")


def _print_indented(error):
    """El mensaje de un ``DataError`` (dice qué falta y cómo conseguirlo)."""
    for line in str(error).splitlines():
        print(f"  {line}", file=sys.stderr)


def _data_outcome(failed, what):
    if failed:
        keys = " ".join(failed)
        raise CommandError(f"{what}: {', '.join(failed)}; para repararlos: "
                           f"esenciales datos descargar {keys}")
    return 0


# --------------------------------------------------------------------------
# tiempos


def cmd_timings(args):
    """Mide en vivo los experimentos de tiempos y muestra una tabla por
    experimento (con las cifras grabadas en GPU si se piden)."""
    from esenciales import timing
    from esenciales.frameworks import DeviceError

    if args.guardar:
        _make_folder(args.guardar)
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


def _save_timing(timing, doc, folder):
    from esenciales.files import atomic_write

    name = f"{doc['experiment']}_{doc['framework']}_{doc['device']}.json"
    path = os.path.join(folder, name)
    atomic_write(path, lambda tmp: timing.save_results(doc, tmp))
    print(f"Guardado {path}", file=sys.stderr)


# --------------------------------------------------------------------------
# entorno


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
        _print_json(document)
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
    _print_data_report(document["data"])
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


# --------------------------------------------------------------------------
# modelos, recetas


FIELD_HELP = {
    "model": "función de esenciales.<framework>.models",
    "model_kwargs": "argumentos del modelo, en JSON",
    "data": "preparación de los datos",
    "n_train": "ejemplos de entrenamiento (none: todos)",
    "n_test": "ejemplos de prueba (none: todos)",
    "digits": "clases que se conservan, p. ej. 5,6,7 (vacío: todas)",
    "validation_split": "fracción para validación",
    "n_validation": "ejemplos de validación apartados (none: ninguno)",
    "epochs": "épocas",
    "batch_size": "tamaño del lote",
    "optimizer": "optimizador",
    "learning_rate": "tasa de aprendizaje",
    "schedule": "calendario de la tasa: constant o warmup_cosine",
    "warmup_epochs": "épocas de calentamiento",
    "min_learning_rate": "tasa al final del coseno",
    "loss": "pérdida",
    "metrics": "métricas, separadas por comas",
    "patience": "paciencia de la parada temprana (none: sin ella)",
    "source": "receta cuya base entrenada se transfiere (none: ninguna)",
    "seed": "semilla: el mismo número da el mismo resultado en CPU",
}
"""Qué es cada campo de una receta (la ayuda de ``entrenar``)."""


def _recipes():
    from esenciales.runs import recipes

    return recipes


def _recipe(name):
    try:
        return _recipes().get(name)
    except ValueError as error:
        raise UsageError(str(error)) from None


def _tunable_fields():
    """Los campos que ``entrenar`` deja cambiar (todos menos el nombre)."""
    return [name for name in _recipes().field_names()
            if name not in ("name", "description")]


def cmd_models(args):
    """Lista los modelos que ``entrenar`` conoce (uno por receta)."""
    rows = [{"model": r.name, "data": r.data, "epochs": r.epochs,
             "batch_size": r.batch_size, "description": r.description}
            for r in _recipes().RECIPES.values()]
    if args.json:
        _print_json(rows)
        return 0
    print(render.text_table(
        ["modelo", "épocas", "lote", "descripción"],
        [[r["model"], str(r["epochs"]), str(r["batch_size"]),
          r["description"]] for r in rows], ["l", "r", "r", "l"]))
    return 0


def cmd_recipes(args):
    """Lista las recetas, o muestra todos los campos de una."""
    if args.nombre:
        recipe = _recipe(args.nombre)
        if args.json:
            _print_json(recipe.as_dict())
        else:
            print_recipe(recipe)
        return 0
    recipes = list(_recipes().RECIPES.values())
    if args.json:
        _print_json({r.name: r.as_dict() for r in recipes})
        return 0
    print(render.text_table(
        ["receta", "optimizador", "tasa", "calendario", "épocas", "lote",
         "valid."],
        [[r.name, r.optimizer, _value(r.learning_rate), r.schedule,
          str(r.epochs), str(r.batch_size), _validation(r)]
         for r in recipes]))
    print("valid.: fracción del entrenamiento (%) o ejemplos apartados.\n"
          "Todos los campos de una: esenciales recetas NOMBRE.\n"
          "Cualquiera se cambia al entrenar: esenciales entrenar NOMBRE "
          "--epochs 2")
    return 0


def _validation(recipe):
    """La validación de una receta: «10 %» del entrenamiento, «2000»
    ejemplos apartados o «—» si no tiene."""
    from esenciales import spanish

    if recipe.n_validation is not None:
        return spanish.number(recipe.n_validation)
    if recipe.validation_split:
        return spanish.percent(recipe.validation_split, 0)
    return "—"


def _value(value):
    """Un campo de receta como texto: números en español."""
    from esenciales import spanish

    if isinstance(value, float):
        return spanish.number(value, 6).rstrip("0").rstrip(",")
    if isinstance(value, int) and not isinstance(value, bool):
        return spanish.number(value)
    if isinstance(value, (tuple, list)):
        return ", ".join(map(str, value)) or "—"
    if value is None:
        return "—"
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def print_recipe(recipe, stream=None):
    """Todos los campos de ``recipe``, uno por línea."""
    stream = stream or sys.stdout
    fields = recipe.as_dict()
    print(render.bold(f"Receta {recipe.name}:", stream), file=stream)
    width = max(len(k) for k in fields)
    for key, value in fields.items():
        text = f"  {key:<{width}}  {_value(value)}"
        if len(text) >= render.WIDTH:
            text = text[:render.WIDTH - 2] + "…"
        print(text, file=stream)


# --------------------------------------------------------------------------
# entrenar


def _field_parser(name, kind):
    """Tipo de argparse para el campo ``name`` de la receta."""
    def parse(text):
        if name in _recipes().OPTIONAL and text.lower() in ("none", "todos"):
            return None
        try:
            if kind is dict:
                value = json.loads(text)
                if not isinstance(value, dict):
                    raise ValueError
                return value
            if kind is tuple:
                return tuple(p.strip() for p in text.split(",") if p.strip())
            return kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"«{text}» no es un valor válido para {name}") from None

    parse.__name__ = name
    return parse


def _recipe_overrides(args):
    """Los campos que la orden cambia: ``{campo: valor}``."""
    overrides = {name: getattr(args, f"recipe_{name}")
                 for name in _tunable_fields()
                 if getattr(args, f"recipe_{name}") is not None}
    if args.limit:
        overrides.setdefault("n_train", args.limit)
        overrides.setdefault("n_test", args.limit)
    return overrides


def cmd_train(args):
    """Entrena un modelo del libro por su receta y resume el resultado."""
    try:
        recipe = _recipe(args.modelo).replace(**_recipe_overrides(args))
    except ValueError as error:
        raise UsageError(str(error)) from None
    _check_weights_suffix(args)
    check_outputs({"--save-weights": args.save_weights,
                   "--save-history": args.save_history}, args.sobrescribir)
    print_recipe(recipe, sys.stderr if args.json else sys.stdout)
    result = _train(recipe, args)
    saved = _save_training(result, args)
    if args.json:
        _print_json(training_document(result, recipe, saved))
    else:
        print(result.report())
        for kind, path in saved.items():
            print(f"{SAVED[kind]} en {path}")
    return 0


def _check_weights_suffix(args):
    from esenciales.frameworks import framework_module

    if not args.save_weights:
        return
    try:
        framework_module(args.framework, "weights").check_path(
            args.save_weights)
    except ValueError as error:
        raise UsageError(f"--save-weights: {error}") from None


def _train(recipe, args):
    from esenciales.cli.progress import epoch_reporter
    from esenciales.data import DataError
    from esenciales.frameworks import FRAMEWORK_NAMES, DeviceError
    from esenciales.runs import training

    print(render.bold(f"Entrenando {recipe.name} con "
                      f"{FRAMEWORK_NAMES[args.framework]} (dispositivo: "
                      f"{args.device})…", sys.stderr), file=sys.stderr,
          flush=True)
    if args.procesos > 1:
        return _train_parallel(recipe, args)
    progress = render.Progress()
    try:
        with doing(f"el entrenamiento de {recipe.name}"):
            reporter = epoch_reporter(args.framework, progress,
                                      recipe.epochs)
            return training.train(recipe, args.framework,
                                  device=args.device, verbose=0,
                                  callbacks=(reporter,))
    except (DataError, DeviceError) as error:
        raise CommandError(str(error)) from error
    finally:
        progress.close()


def _train_parallel(recipe, args):
    """Paralelismo de datos: ``--procesos N`` réplicas (DDP o JAX).

    Corre en un subproceso; su avance (una línea por época del proceso 0)
    sale por la salida de errores, como el de siempre.
    """
    from esenciales.isolated import TaskError
    from esenciales.runs import parallel

    if recipe.batch_size % args.procesos:
        raise UsageError(f"El lote {recipe.batch_size} no se reparte en "
                         f"{args.procesos} réplicas iguales: elijan "
                         "--batch-size múltiplo de --procesos.")
    unit = ("procesos (DDP)" if args.framework == "torch"
            else "dispositivos (DataParallel con JAX)")
    print(f"Paralelismo de datos: {args.procesos} {unit}.",
          file=sys.stderr, flush=True)
    try:
        with doing(f"el entrenamiento de {recipe.name}"):
            return parallel.train_recipe(recipe, args.framework,
                                         replicas=args.procesos,
                                         device=args.device, verbose=2)
    except TaskError as error:  # la última línea dice la causa
        cause = str(error).splitlines()[-1]
        raise CommandError(cause.split(": ", 1)[-1]) from error


def _save_training(result, args):
    """Guarda pesos e historial; si no se puede, los deja en otro lugar.

    Devuelve ``{"weights": ruta, "history": ruta}`` con lo guardado.
    """
    from esenciales.runs import training

    writers = {
        "weights": (args.save_weights, lambda path: training.save_weights(
            result.model, result.framework, path)),
        "history": (args.save_history, lambda path: training.save_history(
            result, path)),
    }
    saved = {}
    for kind, (path, write) in writers.items():
        if not path:
            continue
        with doing(f"la escritura de «{path}»"):
            try:
                write(path)
            except OSError as error:
                raise CommandError(_rescue(OUTPUTS[kind], path, write,
                                           error)) from None
        saved[kind] = path
    return saved


OUTPUTS = {"weights": "archivo de pesos", "history": "historial"}
SAVED = {"weights": "Pesos guardados", "history": "Historial guardado"}


def _rescue(kind, path, write, error):
    """El mensaje de un guardado que falló, tras intentar otra carpeta."""
    import tempfile

    message = f"No se pudo escribir «{path}»: {describe_os_error(error)}"
    folder = os.path.join(tempfile.gettempdir(), "esenciales-rescate")
    rescue = os.path.join(folder, os.path.basename(path))
    try:
        os.makedirs(folder, exist_ok=True)
        write(rescue)
    except OSError:
        return (f"{message}; tampoco se pudo en «{folder}»: el {kind} "
                "se perdió. Liberen espacio y vuelvan a entrenar.")
    return (f"{message}. El entrenamiento no se perdió: el {kind} "
            f"quedó en «{rescue}»; muévanlo cuando haya espacio.")


def training_document(result, recipe, saved):
    """Lo que ``entrenar --json`` escribe: un solo objeto JSON."""
    last = {key: values[-1] for key, values in result.history.items()}
    return {
        "model": result.name,
        "framework": result.framework,
        "recipe": recipe.as_dict(),
        "epochs": result.epochs,
        "n_train": result.n_train,
        "n_test": result.n_test,
        "train": last,
        "test": result.test,
        "seconds": result.seconds,
        "seconds_per_epoch": result.seconds_per_epoch,
        "history": result.history,
        "saved": saved,
    }


# --------------------------------------------------------------------------
# cache


def cmd_cache_show(args):
    """Dónde está la caché, qué guarda y cuánto ocupa."""
    from esenciales.data import cache_root

    root = cache_root()
    rows = []
    if root.is_dir():
        for folder in sorted(p for p in root.iterdir() if p.is_dir()):
            files = [p for p in folder.rglob("*") if p.is_file()]
            rows.append({"folder": folder.name, "files": len(files),
                         "bytes": sum(p.stat().st_size for p in files)})
    if args.json:
        _print_json({"root": str(root), "folders": rows})
        return 0
    from esenciales import spanish

    print(f"Caché: {root}" + ("" if root.is_dir() else " (vacía)"))
    if rows:
        print(render.text_table(
            ["carpeta", "archivos", "MB"],
            [[r["folder"], str(r["files"]),
              spanish.number(r["bytes"] / 1e6, 1)] for r in rows]))
    return 0


def cmd_cache_clean(args):
    """Borra los resultados guardados (y los datos, con ``--datos``)."""
    import shutil

    from esenciales.data import cache_root

    root = cache_root()
    if not root.is_dir():
        print(f"La caché «{root}» ya está vacía.")
        return 0
    removed = []
    for folder in sorted(p for p in root.iterdir()):
        if folder.name == "datos" and not args.datos:
            continue
        with doing(f"la limpieza de «{folder}»"):
            try:
                if folder.is_dir():
                    shutil.rmtree(folder)
                else:
                    folder.unlink()
            except OSError as error:
                raise CommandError(
                    f"No se pudo borrar «{folder}»: "
                    f"{describe_os_error(error)}.") from None
        removed.append(folder.name)
    print(f"Borrado de {root}: {', '.join(removed) or 'nada'}"
          + ("" if args.datos else " (los datos se conservan; "
             "--datos los borra también)"))
    return 0


# --------------------------------------------------------------------------
# cuaderno


def cmd_notebook(args):
    """Escribe el capítulo como cuaderno de Jupyter (.ipynb)."""
    from esenciales import notebooks

    chapter = _chapter(args.capitulo)
    check_outputs({"--salida": args.salida}, args.sobrescribir)
    path, with_outputs = notebooks.save_chapter_notebook(
        catalog.chapter_source(chapter), args.salida)
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
    parser.add_argument("--sobrescribir", action="store_true",
                        help="reemplaza ARCHIVO si ya existe")


# --------------------------------------------------------------------------
# El analizador


DESCRIPTION = """\
El código del libro «Esenciales de Deep Learning» desde la terminal:
ejecuta las celdas de cada capítulo, entrena los modelos del libro por su
receta en Keras o en PyTorch, consigue y verifica los datos, administra la
caché, mide tiempos e informa del entorno."""

EXAMPLES = """\
ejemplos:
  esenciales entorno
  esenciales capitulos
  esenciales ejecutar 4
  esenciales recetas
  esenciales entrenar mnist_cnn --framework torch --epochs 1 --limit 2000
  esenciales datos verificar mnist
  esenciales cache mostrar
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


def _add_json(parser):
    parser.add_argument("--json", action="store_true",
                        help="escribe el resultado como JSON (para scripts)")


def _add_framework(parser, help_text, default=None):
    from esenciales.frameworks import FRAMEWORKS

    parser.add_argument("--framework", choices=FRAMEWORKS,
                        default=default, help=help_text)


def _add_device(parser):
    from esenciales.frameworks import DEVICES

    parser.add_argument(
        "--device", choices=DEVICES, default="auto",
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
    parser.add_argument("--hilos", type=_positive_int, metavar="N",
                        help="hilos de CPU para PyTorch y TensorFlow (por "
                             "omisión, todos los núcleos disponibles)")
    subparsers = parser.add_subparsers(
        title="subcomandos", metavar="SUBCOMANDO", dest="subcommand",
        required=True)
    _chapters_parser(subparsers)
    _run_parser(subparsers)
    _add_json(_subparser(
        subparsers, "modelos",
        "lista los modelos que se pueden entrenar y sus datos",
        ["esenciales modelos", "esenciales modelos --json"], cmd_models))
    _recipes_parser(subparsers)
    _train_parser(subparsers)
    _data_parser(subparsers)
    _cache_parser(subparsers)
    _timings_parser(subparsers)
    _notebook_parser(subparsers)
    _add_json(_subparser(
        subparsers, "entorno",
        "informa Python, Keras, TensorFlow, PyTorch, dispositivos y datos",
        ["esenciales entorno", "esenciales entorno --json"],
        cmd_environment))
    return parser


def _chapters_parser(subparsers):
    parser = _subparser(
        subparsers, "capitulos",
        "lista los capítulos; con uno, sus celdas visibles",
        ["esenciales capitulos", "esenciales capitulos cnn"], cmd_chapters)
    parser.add_argument("capitulo", nargs="?", metavar="CAPITULO",
                        help="número (4) o nombre corto (cnn) del capítulo")


def _run_parser(subparsers):
    parser = _subparser(
        subparsers, "ejecutar",
        "ejecuta las celdas de un capítulo y muestra lo que muestra el "
        "libro",
        ["esenciales ejecutar 4", "esenciales ejecutar 1 5",
         "esenciales ejecutar cnn --figuras /tmp/figuras"],
        cmd_run)
    parser.add_argument("capitulo", metavar="CAPITULO",
                        help="número (4) o nombre corto (cnn) del capítulo")
    parser.add_argument("celda", nargs="?", metavar="CELDA",
                        type=_positive_int,
                        help="muestra solo esta celda visible (las "
                             "anteriores corren en silencio); ver "
                             "«esenciales capitulos N»")
    parser.add_argument("--figuras", metavar="CARPETA",
                        help="guarda en CARPETA las figuras del capítulo "
                             "(PNG); la crea si falta")
    parser.add_argument("--cifras", action="store_true",
                        help="al final, las cifras que el texto cita con "
                             "glue (se muestran siempre si el capítulo no "
                             "tiene celdas visibles)")


def _recipes_parser(subparsers):
    parser = _subparser(
        subparsers, "recetas",
        "lista las recetas de entrenamiento; con un nombre, todos sus "
        "campos", ["esenciales recetas", "esenciales recetas mnist_cnn",
                   "esenciales recetas --json"], cmd_recipes)
    parser.add_argument("nombre", nargs="?", metavar="NOMBRE",
                        help="una receta (ver «esenciales recetas»)")
    _add_json(parser)


def _train_parser(subparsers):
    parser = _subparser(
        subparsers, "entrenar",
        "entrena un modelo del libro por su receta y resume el resultado",
        ["esenciales entrenar mnist_cnn",
         "esenciales entrenar mnist_cnn --framework torch --epochs 1 "
         "--limit 2000",
         "esenciales entrenar mnist_cnn --learning-rate 0.001 "
         "--schedule constant",
         "esenciales entrenar mlp_minimal --json",
         "esenciales entrenar mlp --framework torch --procesos 2",
         "esenciales entrenar cnn --framework keras "
         "--save-weights cnn.weights.h5 --save-history cnn.json"],
        cmd_train)
    parser.add_argument("modelo", metavar="MODELO",
                        help="nombre del modelo (ver «esenciales recetas»)")
    _add_framework(parser, "keras o torch (por omisión: %(default)s)",
                   default="keras")
    _add_device(parser)
    parser.add_argument("--procesos", type=_positive_int, default=1,
                        metavar="N",
                        help="paralelismo de datos con N réplicas: N "
                             "procesos con DDP (torch) o N dispositivos "
                             "con JAX (keras); el lote se reparte")
    parser.add_argument("--limit", type=_positive_int, metavar="N",
                        help="usa solo los primeros N ejemplos de "
                             "entrenamiento y de prueba (atajo de "
                             "--n-train N --n-test N)")
    parser.add_argument("--save-weights", metavar="RUTA",
                        help="guarda los pesos (Keras: RUTA.weights.h5; "
                             "PyTorch: state_dict, p. ej. RUTA.pt)")
    parser.add_argument("--save-history", metavar="RUTA.json",
                        help="guarda la receta, el historial y el resumen "
                             "en JSON")
    parser.add_argument("--sobrescribir", action="store_true",
                        help="reemplaza los archivos de salida que ya "
                             "existan (sin esto, es un error)")
    _add_json(parser)
    _add_recipe_fields(parser)


METAVARS = {int: "N", float: "X", str: "TEXTO", dict: "JSON",
            tuple: "A,B"}
"""Cómo se muestra en la ayuda el valor de cada tipo de campo."""

STRICT_TYPES = {"epochs": _positive_int, "batch_size": _positive_int,
                "seed": _seed}
"""Campos con un tipo de argparse más estricto que el de la receta."""


def _add_recipe_fields(parser):
    """Una opción por campo de la receta: ``--learning-rate``, ``--seed``…

    Sin la opción, el campo conserva el valor de la receta.
    """
    recipes = _recipes()
    group = parser.add_argument_group(
        "campos de la receta (ver «esenciales recetas MODELO»)")
    for name in _tunable_fields():
        kind = recipes.field_type(name)
        group.add_argument(
            "--" + name.replace("_", "-"), dest=f"recipe_{name}",
            metavar=METAVARS.get(kind, "VALOR"),
            type=STRICT_TYPES.get(name) or _field_parser(name, kind),
            help=FIELD_HELP.get(name, name))


def _data_parser(subparsers):
    parser = _subparser(
        subparsers, "datos",
        "dice dónde está cada conjunto de datos; los descarga y verifica",
        ["esenciales datos", "esenciales datos --json",
         "esenciales datos descargar mnist", "esenciales datos verificar"],
        cmd_data_list)
    _add_json(parser)
    actions = parser.add_subparsers(title="acciones", metavar="ACCION",
                                    dest="action")
    for name, summary, handler in (
            ("descargar", "descarga los conjuntos que falten y los "
                          "verifica", cmd_data_download),
            ("verificar", "comprueba la huella SHA-256 de cada archivo y "
                          "los informa todos", cmd_data_verify)):
        action = _subparser(actions, name, summary,
                            [f"esenciales datos {name}",
                             f"esenciales datos {name} mnist imdb"],
                            handler)
        action.add_argument("nombres", nargs="*", metavar="CONJUNTO",
                            help="mnist, fashion-mnist o imdb (por "
                                 "omisión, todos)")


def _cache_parser(subparsers):
    parser = _subparser(
        subparsers, "cache",
        "muestra o limpia la caché de resultados (modelos entrenados, "
        "experimentos) y de datos",
        ["esenciales cache", "esenciales cache mostrar --json",
         "esenciales cache limpiar", "esenciales cache limpiar --datos"],
        cmd_cache_show)
    _add_json(parser)
    actions = parser.add_subparsers(title="acciones", metavar="ACCION",
                                    dest="action")
    _add_json(_subparser(actions, "mostrar",
                         "dónde está la caché y cuánto ocupa",
                         ["esenciales cache mostrar"], cmd_cache_show))
    clean = _subparser(actions, "limpiar",
                       "borra los resultados guardados (se recalculan al "
                       "pedirlos)", ["esenciales cache limpiar"],
                       cmd_cache_clean)
    clean.add_argument("--datos", action="store_true",
                       help="borra también los datos descargados")


def _timings_parser(subparsers):
    from esenciales.timing import EXPERIMENT_NAMES, EXPERIMENTS

    parser = _subparser(
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
    _add_framework(parser, "solo este framework (por omisión, ambos)")
    _add_device(parser)
    parser.add_argument("--grabados", action="store_true",
                        help="agrega a la tabla las cifras grabadas en GPU "
                             "que trae el paquete")
    parser.add_argument("--guardar", metavar="CARPETA",
                        help="guarda cada resultado como JSON en CARPETA "
                             "(la crea si falta)")


# --------------------------------------------------------------------------
# Punto de entrada


def main(argv=None):
    """Ejecuta ``esenciales`` con ``argv`` y devuelve el código de salida.

    Antes de nada calla a los frameworks (variables de entorno, avisos de
    Python y un filtro del descriptor 2) y convierte SIGTERM en excepción.
    Nunca muestra una traza de Python salvo con ``--depurar``.
    """
    quiet.quiet_environment()
    quiet.quiet_python()
    native = quiet.NativeFilter().start()
    try:
        return _main(argv)
    finally:
        native.stop()


def _main(argv):
    debug = "--depurar" in (sys.argv[1:] if argv is None else argv)
    previous = signal.getsignal(signal.SIGTERM)
    try:
        if threading.current_thread() is threading.main_thread():
            install_signal_handlers()
        with _spanish_argparse():
            args = build_parser().parse_args(argv)
        from esenciales import threads

        threads.prepare(args.hilos)  # antes de importar cualquier framework
        return args.handler(args)
    except SystemExit as exit_:  # --help y --version
        return exit_.code or 0
    except BrokenPipeError:  # p. ej. «esenciales modelos | head -1»
        _silence_stdout()
        return 0
    except UsageError as error:
        return _fail(error, EXIT_USAGE)
    except KeyboardInterrupt:
        print(f"\n{PROG}: {_interrupted_message('Interrumpido')}",
              file=sys.stderr)
        return EXIT_INTERRUPTED
    except Terminated:
        print(f"\n{PROG}: {_interrupted_message('Terminado (SIGTERM)')}",
              file=sys.stderr)
        return EXIT_TERMINATED
    except Exception as error:
        if debug:
            raise
        return _fail(_describe(error), EXIT_ERROR)
    finally:
        _INTERRUPTED_DURING.clear()
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, previous)


def _silence_stdout():
    """Tras una tubería cerrada, nada más se escribe en la salida (ni al
    vaciar los búferes al salir)."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _describe(error):
    """El mensaje de un error; los inesperados llevan su tipo."""
    if isinstance(error, ModuleNotFoundError) and error.name:
        package = error.name.split(".")[0]
        return (f"falta el paquete «{package}»; se instala con pip install "
                f"{package} (o usen el otro framework)")
    if isinstance(error, OSError) and error.filename:
        return _write_failure(error)
    expected = (CommandError, ValueError, OSError)
    if isinstance(error, expected) or type(error).__name__ == "DataError":
        return error
    return (f"{type(error).__name__}: {error} (error inesperado; repitan "
            f"con «{PROG} --depurar …» para ver la traza)")


def _fail(message, code):
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return code
