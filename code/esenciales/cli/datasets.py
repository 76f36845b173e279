"""El subcomando ``datos``: dónde está cada conjunto; descargarlo y
verificarlo."""

import sys

from esenciales.cli import render
from esenciales.cli.errors import (CommandError, UsageError, doing,
                                   print_json)
from esenciales.cli.options import add_json, subparser


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
        print_json(report)
        return 0
    print_data_report(report)
    return 0


def print_data_report(report):
    """Una línea por conjunto: encontrado o falta, y dónde."""
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


def add_parsers(subparsers):
    """``datos``, con sus acciones ``descargar`` y ``verificar``."""
    parser = subparser(
        subparsers, "datos",
        "dice dónde está cada conjunto de datos; los descarga y verifica",
        ["esenciales datos", "esenciales datos --json",
         "esenciales datos descargar mnist", "esenciales datos verificar"],
        cmd_data_list)
    add_json(parser)
    actions = parser.add_subparsers(title="acciones", metavar="ACCION",
                                    dest="action")
    for name, summary, handler in (
            ("descargar", "descarga los conjuntos que falten y los "
                          "verifica", cmd_data_download),
            ("verificar", "comprueba la huella SHA-256 de cada archivo y "
                          "los informa todos", cmd_data_verify)):
        action = subparser(actions, name, summary,
                           [f"esenciales datos {name}",
                            f"esenciales datos {name} mnist imdb"],
                           handler)
        action.add_argument("nombres", nargs="*", metavar="CONJUNTO",
                            help="mnist, fashion-mnist o imdb (por "
                                 "omisión, todos)")
