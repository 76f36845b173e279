"""Los subcomandos ``modelos`` y ``recetas``, y cómo se muestra una receta."""

import json
import sys

from esenciales.cli import render
from esenciales.cli.errors import UsageError, print_json
from esenciales.cli.options import add_json, subparser


def _recipes():
    from esenciales.runs import recipes

    return recipes


def recipe(name):
    """La receta ``name``; error de uso (con las opciones) si no existe."""
    try:
        return _recipes().get(name)
    except ValueError as error:
        raise UsageError(str(error)) from None


def cmd_models(args):
    """Lista los modelos que ``entrenar`` conoce (uno por receta)."""
    rows = [{"model": r.name, "data": r.data, "epochs": r.epochs,
             "batch_size": r.batch_size, "description": r.description}
            for r in _recipes().RECIPES.values()]
    if args.json:
        print_json(rows)
        return 0
    print(render.text_table(
        ["modelo", "datos", "épocas", "lote", "descripción"],
        [[r["model"], r["data"], str(r["epochs"]), str(r["batch_size"]),
          r["description"]] for r in rows], ["l", "l", "r", "r", "l"]))
    return 0


def cmd_recipes(args):
    """Lista las recetas, o muestra todos los campos de una."""
    if args.nombre:
        chosen = recipe(args.nombre)
        if args.json:
            print_json(chosen.as_dict())
        else:
            print_recipe(chosen)
        return 0
    recipes = list(_recipes().RECIPES.values())
    if args.json:
        print_json({r.name: r.as_dict() for r in recipes})
        return 0
    print(render.text_table(
        ["receta", "optimizador", "tasa", "calendario", "épocas", "lote",
         "valid."],
        [[r.name, r.optimizer, value_text(r.learning_rate), r.schedule,
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


def value_text(value):
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
        text = f"  {key:<{width}}  {value_text(value)}"
        if len(text) >= render.WIDTH:
            text = text[:render.WIDTH - 2] + "…"
        print(text, file=stream)


def add_parsers(subparsers):
    """``modelos`` y ``recetas``."""
    add_json(subparser(
        subparsers, "modelos",
        "lista los modelos que se pueden entrenar y sus datos",
        ["esenciales modelos", "esenciales modelos --json"], cmd_models))
    parser = subparser(
        subparsers, "recetas",
        "lista las recetas de entrenamiento; con un nombre, todos sus "
        "campos", ["esenciales recetas", "esenciales recetas mnist_cnn",
                   "esenciales recetas --json"], cmd_recipes)
    parser.add_argument("nombre", nargs="?", metavar="NOMBRE",
                        help="una receta (ver «esenciales recetas»)")
    add_json(parser)
