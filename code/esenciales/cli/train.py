"""El subcomando ``entrenar``: un modelo del libro por su receta."""

import argparse
import json
import os
import sys

from esenciales.cli import render
from esenciales.cli.errors import (CommandError, UsageError, check_outputs,
                                   doing, print_json)
from esenciales.cli.options import (add_device, add_framework, add_json,
                                    add_overwrite, positive_int, seed,
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
        chosen = recipe(args.modelo).replace(**_recipe_overrides(args))
    except ValueError as error:
        raise UsageError(str(error)) from None
    _check_weights_suffix(args)
    check_outputs({"--save-weights": args.save_weights,
                   "--save-history": args.save_history}, args.sobrescribir)
    print_recipe(chosen, sys.stderr if args.json else sys.stdout)
    result = _train(chosen, args)
    saved = _save_training(result, args)
    if args.json:
        print_json(training_document(result, chosen, saved))
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
    from esenciales.frameworks import framework_module
    from esenciales.isolated import TaskError

    if recipe.batch_size % args.procesos:
        raise UsageError(f"El lote {recipe.batch_size} no se reparte en "
                         f"{args.procesos} réplicas iguales: elijan "
                         "--batch-size múltiplo de --procesos.")
    unit = ("procesos (DDP)" if args.framework == "torch"
            else "dispositivos (DataParallel con JAX)")
    print(f"Paralelismo de datos: {args.procesos} {unit}.",
          file=sys.stderr, flush=True)
    parallel = framework_module(args.framework, "parallel")
    try:
        with doing(f"el entrenamiento de {recipe.name}"):
            return parallel.train_recipe(recipe, replicas=args.procesos,
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
