"""El subcomando ``cache``: mostrar y limpiar la caché del paquete."""

import os
import sys

from esenciales.cli import render
from esenciales.cli.errors import (EXIT_INTERRUPTED, PROG, CommandError,
                                   doing, print_json)
from esenciales.cli.options import add_json, subparser
from esenciales.files import describe_os_error


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
        print_json({"root": str(root), "folders": rows})
        return 0
    from esenciales import spanish

    print(f"Caché: {root}" + ("" if root.is_dir() else " (vacía)"))
    if rows:
        print(render.text_table(
            ["carpeta", "archivos", "MB"],
            [[r["folder"], str(r["files"]),
              spanish.number(r["bytes"] / 1e6, 1)] for r in rows]))
    return 0


OWNED = {"resultados": "resultados guardados", "datos": "datos descargados"}
"""Lo único que el paquete escribe en la raíz de la caché (y borra)."""


def cmd_cache_clean(args):
    """Borra los resultados guardados (y los datos, con ``--datos``).

    Solo en una caché marcada con ``CACHEDIR.TAG`` (la que escribe el
    paquete) o en la del usuario por omisión, y solo lo que el paquete
    escribe: ``resultados`` y, con ``--datos``, ``datos``. Antes de
    borrar dice qué se va; con ``--simular`` no borra nada. Si la entrada
    es una terminal, pregunta antes de borrar (salvo con ``--si``): lo
    que no sea «s» o «sí» no borra nada y sale con 1. Fuera de una
    terminal (un guion) no pregunta.
    """
    from esenciales.data import cache_root

    root = cache_root()
    if not root.is_dir():
        print(f"La caché «{root}» ya está vacía.")
        return 0
    _check_is_a_cache(root)
    chosen = ["resultados", *(["datos"] if args.datos else [])]
    doomed = [root / name for name in chosen if (root / name).exists()]
    if not doomed:
        print(f"Nada que borrar en {root}.")
        return 0
    ask = not (args.simular or args.si) and sys.stdin is not None \
        and render.is_tty(sys.stdin)
    verb = "Se borraría" if args.simular else \
        "Se borrará" if ask else "Se borra"
    for path in doomed:
        print(f"{verb} {path} ({OWNED[path.name]}, {_size_text(path)})")
    if args.simular:
        print("(--simular: no se borró nada)")
        return 0
    if ask:
        _confirm(" y ".join(f"los {OWNED[path.name]}" for path in doomed))
    for path in doomed:
        _remove(path)
    kept = "" if args.datos or not (root / "datos").exists() else \
        " Los datos se conservan (--datos los borra también)."
    print(f"Listo.{kept}")
    return 0


YES = ("s", "si", "sí")
"""Las respuestas que borran; cualquier otra no borra nada."""


def _confirm(what):
    """Pregunta en la terminal si se borra ``what``.

    Si la respuesta no es «s» o «sí», o la entrada se acaba: una línea de
    error, salida 1 y nada borrado; con Ctrl-C, una línea y la salida 130
    de una interrupción.
    """
    try:
        print(f"¿Borrar {what}? [s/N] ", end="", file=sys.stderr,
              flush=True)
        answer = sys.stdin.readline()
    except KeyboardInterrupt:  # la pregunta no terminó su línea
        print(f"\n{PROG}: Interrumpido: no se borró nada.", file=sys.stderr)
        raise SystemExit(EXIT_INTERRUPTED) from None
    if not answer:
        print(file=sys.stderr)
        raise CommandError("La entrada se acabó sin respuesta: no se borró "
                           "nada.")
    if answer.strip().lower() not in YES:
        raise CommandError("No se borró nada (respondan «s» para borrar, o "
                           "usen --si).")


def _check_is_a_cache(root):
    """Error si ``root`` no es una caché de este paquete: con
    ``ESENCIALES_CACHE=.`` en un proyecto no se borra nada del proyecto."""
    from esenciales.data import CACHE_ENV_VAR
    from esenciales.data.sources import CACHE_TAG, is_marked_cache

    if is_marked_cache(root) or not os.environ.get(CACHE_ENV_VAR):
        return
    raise CommandError(
        f"«{root}» no tiene la marca {CACHE_TAG} de la caché de "
        f"esenciales ({CACHE_ENV_VAR} apunta ahí): no se borra nada. Si es "
        "la caché, borren a mano su carpeta «resultados».")


def _size_text(path):
    from esenciales import spanish

    files = [p for p in path.rglob("*") if p.is_file()]
    size = sum(p.stat().st_size for p in files)
    return (f"{spanish.number(len(files))} "
            f"{'archivo' if len(files) == 1 else 'archivos'}, "
            f"{spanish.number(size / 1e6, 1)} MB")


def _remove(path):
    import shutil

    with doing(f"la limpieza de «{path}»"):
        try:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            else:
                path.unlink()
        except OSError as error:
            raise CommandError(
                f"No se pudo borrar «{path}»: "
                f"{describe_os_error(error)}.") from None


def add_parsers(subparsers):
    """``cache``, con sus acciones ``mostrar`` y ``limpiar``."""
    parser = subparser(
        subparsers, "cache",
        "muestra o limpia la caché de resultados (modelos entrenados, "
        "experimentos) y de datos",
        ["esenciales cache", "esenciales cache mostrar --json",
         "esenciales cache limpiar", "esenciales cache limpiar --datos"],
        cmd_cache_show, aliases=["caché"])
    add_json(parser)
    actions = parser.add_subparsers(title="acciones", metavar="ACCION",
                                    dest="action")
    add_json(subparser(actions, "mostrar",
                       "dónde está la caché y cuánto ocupa",
                       ["esenciales cache mostrar"], cmd_cache_show))
    clean = subparser(actions, "limpiar",
                      "borra los resultados guardados (se recalculan al "
                      "pedirlos); solo lo que escribe el paquete",
                      ["esenciales cache limpiar --simular",
                       "esenciales cache limpiar --datos",
                       "esenciales cache limpiar --si"],
                      cmd_cache_clean)
    clean.add_argument("--datos", action="store_true",
                       help="borra también los datos descargados")
    clean.add_argument("--simular", action="store_true",
                       help="dice qué se borraría, sin borrar nada")
    clean.add_argument("-s", "--si", "--sí", dest="si",
                       action="store_true",
                       help="borra sin preguntar (en una terminal, "
                            "limpiar pregunta antes de borrar)")
