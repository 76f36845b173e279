"""El subcomando ``entrenar``: un modelo del libro por su receta."""

import argparse
import contextlib
import json
import os
import sys

from esenciales.cli import render
from esenciales.cli.errors import (CommandError, SafePoints, UsageError,
                                   check_outputs, doing, print_json,
                                   shown_path)
from esenciales.cli.options import (add_device, add_framework, add_json,
                                    add_overwrite, finite_float,
                                    invalid_choice, positive_int, seed,
                                    subparser)
from esenciales.cli.recipes import print_recipe, recipe
from esenciales.files import describe_os_error

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

METAVARS = {int: "N", float: "X", str: "TEXTO", dict: "JSON",
            tuple: "A,B"}
"""Cómo se muestra en la ayuda el valor de cada tipo de campo."""

STRICT_TYPES = {"epochs": positive_int, "batch_size": positive_int,
                "seed": seed}
"""Campos con un tipo de argparse más estricto que el de la receta."""


def _recipes():
    from esenciales.runs import recipes

    return recipes


def _tunable_fields():
    """Los campos que ``entrenar`` deja cambiar (todos menos el nombre)."""
    return [name for name in _recipes().field_names()
            if name not in ("name", "description")]


def _field_parser(name, kind):
    """Tipo de argparse para el campo ``name`` de la receta."""
    def parse(text):
        if name in _recipes().OPTIONAL and text.lower() in ("none", "todos"):
            return None
        if kind is float:
            return finite_float(text, name)
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
        for name, option in (("n_train", "--n-train"),
                             ("n_test", "--n-test")):
            if overrides.get(name, args.limit) != args.limit:
                raise UsageError(f"--limit {args.limit} y {option} "
                                 f"{overrides[name]} se contradicen; usen "
                                 "solo uno de los dos.")
            overrides[name] = args.limit
    return overrides


def cmd_train(args):
    """Entrena un modelo del libro por su receta y resume el resultado.

    Todo lo que puede fallar por la orden se comprueba antes de cargar
    datos: la receta y cada campo, el modelo y sus argumentos, cuántos
    ejemplos hay, el dispositivo, las réplicas y las salidas. Después,
    una salida que no se puede escribir no impide las otras.
    """
    try:
        chosen = recipe(args.modelo).replace(**_recipe_overrides(args))
    except ValueError as error:
        raise UsageError(str(error)) from None
    _check_sizes(chosen)
    _check_weights_suffix(args)
    check_outputs({"--save-weights": args.save_weights,
                   "--save-history": args.save_history}, args.sobrescribir)
    _check_replicas(chosen, args)
    device = _check_device(args)
    _check_model(chosen, args.framework)
    print_recipe(chosen, sys.stderr if args.json else sys.stdout)
    result = _train(chosen, args, device)
    saved, rescued, failures = _save_training(result, args)
    if args.json:
        print_json({**training_document(result, chosen, saved, rescued),
                    "device": device})
    else:
        print(result.report())
        print(f"  dispositivo: {device}")
        for kind, path in saved.items():
            print(f"{SAVED[kind]} en {path}")
    if failures:
        raise CommandError(" ".join(failures))
    return 0


# --------------------------------------------------------------------------
# Antes de trabajar: todo lo que la orden puede tener mal


DATASET_OF = {"mnist": "mnist", "mnist_flat": "mnist",
              "mnist_reconstruction": "mnist",
              "fashion_mnist32": "fashion-mnist", "imdb": "imdb"}
"""El conjunto de datos de cada preparación de ``runs.training.DATA``
(las de datos aleatorios no tienen tamaño fijo)."""


def _check_sizes(recipe):
    """Error de uso si la receta pide más ejemplos de los que hay."""
    from esenciales.data import DATASETS
    from esenciales.runs.training import DATA
    from esenciales.spanish import number

    if recipe.data not in DATA:
        raise UsageError("--data: " + invalid_choice(
            "la preparación", recipe.data, sorted(DATA)))
    dataset = DATASETS.get(DATASET_OF.get(recipe.data))
    if dataset is None or not dataset.sizes:
        return
    for name, asked, size in (("n_train", recipe.n_train, dataset.sizes[0]),
                              ("n_test", recipe.n_test, dataset.sizes[1])):
        if asked is not None and asked > size:
            raise UsageError(
                f"{name} = {number(asked)}: {dataset.title} tiene "
                f"{number(size)} ejemplos de {SPLITS[name]}; pidan "
                f"{number(size)} o menos (--limit {min(dataset.sizes)} "
                "vale para los dos).")


SPLITS = {"n_train": "entrenamiento", "n_test": "prueba"}


def _check_weights_suffix(args):
    from esenciales.frameworks import framework_module

    if not args.save_weights:
        return
    try:
        framework_module(args.framework, "weights").check_path(
            args.save_weights)
    except ValueError as error:
        raise UsageError(f"--save-weights: {error}") from None


def _check_replicas(recipe, args):
    """``--procesos N``: el lote se reparte y hay N núcleos o GPU."""
    from esenciales.threads import available_cores

    if args.procesos == 1:
        return
    if recipe.batch_size % args.procesos:
        raise UsageError(f"El lote {recipe.batch_size} no se reparte en "
                         f"{args.procesos} réplicas iguales: elijan "
                         "--batch-size múltiplo de --procesos.")
    cores = available_cores()
    if args.device != "cuda" and args.procesos > cores:
        raise UsageError(f"--procesos {args.procesos}: esta máquina tiene "
                         f"{cores} núcleos disponibles; pidan {cores} o "
                         "menos réplicas.")


def _check_device(args):
    """El dispositivo que se usará (``cpu`` o ``cuda``); error si se pidió
    una GPU que no hay."""
    from esenciales.frameworks import DeviceError, resolve_device

    try:
        return resolve_device(args.framework, args.device)
    except DeviceError as error:
        raise CommandError(str(error)) from None


def _check_model(recipe, framework):
    """Error de uso si el modelo no existe o no acepta ``model_kwargs``."""
    import inspect

    from esenciales.frameworks import framework_module
    from esenciales.runs.training import MODEL_MODULES

    if recipe.source is not None:  # la transferencia arma su modelo
        return
    known = {}
    for name in MODEL_MODULES:
        module = framework_module(framework, name)
        known.update({key: value for key, value in vars(module).items()
                      if _builds_a_model(key, value, module)})
    if recipe.model not in known:
        raise UsageError("--model: " + invalid_choice(
            "el modelo", recipe.model, sorted(known)))
    signature = inspect.signature(known[recipe.model])
    names = ", ".join(signature.parameters) or "ninguno"
    for key in recipe.model_kwargs:
        if key not in signature.parameters:
            raise UsageError(
                f"--model-kwargs: {recipe.model} no tiene el argumento "
                f"«{key}» (tiene: {names}).")
    try:
        signature.bind(**recipe.model_kwargs)
    except TypeError:
        raise UsageError(
            f"--model-kwargs: a {recipe.model} le faltan argumentos "
            f"(tiene: {names}).") from None


def _builds_a_model(name, value, module):
    """¿Es ``value`` una función pública de ``module`` que arma un modelo
    (la de una receta, o una que se llama sin argumentos)?"""
    import inspect

    if name.startswith("_") or not inspect.isfunction(value) \
            or value.__module__ != module.__name__:
        return False
    return name in {r.model for r in _recipes().RECIPES.values()} or all(
        p.default is not p.empty or p.kind in (p.VAR_KEYWORD,
                                               p.VAR_POSITIONAL)
        for p in inspect.signature(value).parameters.values())


# --------------------------------------------------------------------------
# Entrenar


def _train(recipe, args, device):
    from esenciales.cli.progress import EpochProgress, safe_points_callback
    from esenciales.data import DataError
    from esenciales.frameworks import FRAMEWORK_NAMES, DeviceError
    from esenciales.runs import training

    print(render.bold(f"Entrenando {recipe.name} con "
                      f"{FRAMEWORK_NAMES[args.framework]} (dispositivo: "
                      f"{device})…", sys.stderr), file=sys.stderr,
          flush=True)
    if args.procesos > 1:
        return _train_parallel(recipe, args)
    progress = render.Progress()
    try:
        with doing(f"el entrenamiento de {recipe.name}"), \
                SafePoints() as safe_points:
            callbacks = ((safe_points_callback(safe_points),)
                         if args.framework == "keras" else ())
            return training.train(recipe, args.framework,
                                  device=device, verbose=0,
                                  callbacks=callbacks,
                                  listener=EpochProgress(progress))
    except (DataError, DeviceError) as error:
        raise CommandError(str(error)) from error
    finally:
        progress.close()


def _train_parallel(recipe, args):
    """Paralelismo de datos: ``--procesos N`` réplicas (DDP o JAX).

    Corre en un subproceso; su avance (una ``epoch_line`` por época, del
    proceso 0) sale por la salida de errores, la misma línea de siempre.
    """
    from esenciales.isolated import TaskError
    from esenciales.runs import parallel

    unit = ("procesos (DDP)" if args.framework == "torch"
            else "dispositivos (DataParallel con JAX)")
    print(f"Paralelismo de datos: {args.procesos} {unit}.",
          file=sys.stderr, flush=True)
    try:
        with doing(f"el entrenamiento de {recipe.name}"):
            return parallel.train_recipe(recipe, args.framework,
                                         replicas=args.procesos,
                                         device=args.device, verbose=1)
    except TaskError as error:  # la última línea dice la causa
        cause = str(error).splitlines()[-1]
        raise CommandError(cause.split(": ", 1)[-1]) from error


# --------------------------------------------------------------------------
# Guardar: cada salida por su cuenta; la que falla, rescatada


OUTPUTS = {"weights": "archivo de pesos", "history": "historial"}
SAVED = {"weights": "Pesos guardados", "history": "Historial guardado"}


def _save_training(result, args):
    """Guarda pesos e historial; lo que no se puede, en otro lugar.

    Intenta cada salida aunque otra haya fallado. Devuelve
    ``(guardadas, rescatadas, fallas)``: ``{tipo: ruta}`` dos veces y la
    línea de cada falla.
    """
    from esenciales.runs import training

    writers = {
        "weights": (args.save_weights, lambda path: training.save_weights(
            result.model, result.framework, path)),
        "history": (args.save_history, lambda path: training.save_history(
            result, path)),
    }
    saved, rescued, failures = {}, {}, []
    for kind, (path, write) in writers.items():
        if not path:
            continue
        with doing(f"la escritura de «{path}»"):
            try:
                write(path)
            except OSError as error:
                rescue, message = _rescue(OUTPUTS[kind], path, write, error)
                failures.append(message)
                if rescue:
                    rescued[kind] = str(rescue)
                continue
        saved[kind] = path
    return saved, rescued, failures


def _rescue(kind, path, write, error):
    """Intenta guardar en la carpeta de rescate, con un nombre que no
    pisa otro rescate. Devuelve ``(ruta o None, mensaje)``."""
    import tempfile

    from esenciales.files import unique_path

    message = (f"No se pudo escribir «{shown_path(path)}»: "
               f"{describe_os_error(error)}")
    folder = os.path.join(tempfile.gettempdir(), "esenciales-rescate")
    rescue = None
    try:
        os.makedirs(folder, exist_ok=True)
        rescue = unique_path(folder, os.path.basename(path))
        write(rescue)
    except OSError:
        if rescue is not None:
            with contextlib.suppress(OSError):
                os.unlink(rescue)
        return None, (f"{message}; tampoco se pudo en «{folder}»: el "
                      f"{kind} se perdió. Liberen espacio y vuelvan a "
                      "entrenar.")
    return rescue, (f"{message}. El entrenamiento no se perdió: el {kind} "
                    f"quedó en «{rescue}»; muévanlo cuando haya espacio.")


def training_document(result, recipe, saved, rescued=None):
    """Lo que ``entrenar --json`` escribe: un solo objeto JSON."""
    last = {key: values[-1] for key, values in result.history.items()}
    return {
        "model": result.name,
        "framework": result.framework,
        "recipe": recipe.as_dict(),
        "epochs": result.epochs,
        "n_train": result.n_train,
        "n_validation": result.n_validation,
        "n_test": result.n_test,
        "train": last,
        "test": result.test,
        "seconds": result.seconds,
        "seconds_per_epoch": result.seconds_per_epoch,
        "epoch_seconds": result.epoch_seconds,
        "setup_seconds": result.setup_seconds,
        "history": result.history,
        "saved": saved,
        "rescued": rescued or {},
    }


# --------------------------------------------------------------------------
# Las opciones


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


def add_parsers(subparsers):
    """``entrenar``."""
    parser = subparser(
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
    add_framework(parser, "keras o torch (por omisión: %(default)s)",
                  default="keras")
    add_device(parser)
    parser.add_argument("--procesos", type=positive_int, default=1,
                        metavar="N",
                        help="paralelismo de datos con N réplicas: N "
                             "procesos con DDP (torch) o N dispositivos "
                             "con JAX (keras); el lote se reparte")
    parser.add_argument("--limit", type=positive_int, metavar="N",
                        help="usa solo los primeros N ejemplos de "
                             "entrenamiento y de prueba (atajo de "
                             "--n-train N --n-test N)")
    parser.add_argument("--save-weights", metavar="RUTA",
                        help="guarda los pesos (Keras: RUTA.weights.h5; "
                             "PyTorch: state_dict, p. ej. RUTA.pt)")
    parser.add_argument("--save-history", metavar="RUTA.json",
                        help="guarda la receta, el historial y el resumen "
                             "en JSON")
    add_overwrite(parser)
    add_json(parser)
    _add_recipe_fields(parser)
