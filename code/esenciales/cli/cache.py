"""El subcomando ``cache``: mostrar y limpiar la caché del paquete."""

from esenciales.cli import render
from esenciales.cli.errors import CommandError, doing, print_json
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


def add_parsers(subparsers):
    """``cache``, con sus acciones ``mostrar`` y ``limpiar``."""
    parser = subparser(
        subparsers, "cache",
        "muestra o limpia la caché de resultados (modelos entrenados, "
        "experimentos) y de datos",
        ["esenciales cache", "esenciales cache mostrar --json",
         "esenciales cache limpiar", "esenciales cache limpiar --datos"],
        cmd_cache_show)
    add_json(parser)
    actions = parser.add_subparsers(title="acciones", metavar="ACCION",
                                    dest="action")
    add_json(subparser(actions, "mostrar",
                       "dónde está la caché y cuánto ocupa",
                       ["esenciales cache mostrar"], cmd_cache_show))
    clean = subparser(actions, "limpiar",
                      "borra los resultados guardados (se recalculan al "
                      "pedirlos)", ["esenciales cache limpiar"],
                      cmd_cache_clean)
    clean.add_argument("--datos", action="store_true",
                       help="borra también los datos descargados")
