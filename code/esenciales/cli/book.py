"""Los subcomandos del libro: ``capitulos``, ``ejecutar`` y ``cuaderno``."""

from pathlib import Path

from esenciales.cli import catalog, render
from esenciales.cli.errors import (CommandError, UsageError, check_outputs,
                                   doing, make_folder, write_failure)
from esenciales.cli.options import add_overwrite, positive_int, subparser


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


# --------------------------------------------------------------------------
# capitulos


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


# --------------------------------------------------------------------------
# ejecutar


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
        make_folder(args.figuras)
        _check_figures_folder(args.figuras, args.sobrescribir)
    display = chapters.Display(args.figuras, _save_figure)
    print(render.bold(f"Capítulo {chapter.number}: {chapter.title}"))
    progress = render.Progress()
    try:
        with doing(f"el capítulo {chapter.number}"):
            chapters.run_chapter(chapter, text, only=args.celda,
                                 display=display, progress=progress)
    except chapters.CellError as error:
        if isinstance(error.error, OSError) and error.error.filename:
            raise CommandError(write_failure(error.error)) from None
        raise CommandError(f"capítulo {chapter.number}: {error}") from None
    finally:
        progress.close()
    if display.glued and (args.cifras or not any(
            c.shows_output for c in cells)):
        print(render.bold("Cifras que cita el texto (glue):"))
        # Sin alineación fija: una columna de cifras va a la derecha y una
        # con frases (un veredicto pegado) se parte bajo sí misma.
        print(render.text_table(["nombre", "valor"],
                                [[k, v] for k, v in display.glued.items()]))
    return 0


def _check_figures_folder(folder, overwrite):
    """Error de uso si ``folder`` ya tiene figuras PNG que el capítulo
    podría reemplazar (sin ``--sobrescribir``)."""
    existing = sorted(Path(folder).glob("*.png"))
    if existing and not overwrite:
        raise UsageError(
            f"--figuras: «{folder}» ya tiene {len(existing)} figuras PNG "
            f"(p. ej. «{existing[0].name}») que el capítulo podría "
            "reemplazar; elijan otra carpeta o agreguen --sobrescribir.")


def _save_figure(path, figure):
    from esenciales.files import atomic_write

    atomic_write(path, lambda tmp: figure.savefig(tmp, format="png"))


# --------------------------------------------------------------------------
# cuaderno


def cmd_notebook(args):
    """Escribe el capítulo como cuaderno de Jupyter (.ipynb)."""
    from esenciales import notebooks

    chapter = _chapter(args.capitulo)
    destination = args.salida or Path.cwd() / Path(
        chapter.filename).with_suffix(".ipynb").name
    check_outputs({"--salida": destination}, args.sobrescribir)
    path, with_outputs = notebooks.save_chapter_notebook(
        catalog.chapter_source(chapter), destination)
    detail = ("con las salidas del libro" if with_outputs
              else "sin salidas: ejecútenlo en Jupyter")
    print(f"Cuaderno del capítulo {chapter.number} ({detail}): {path}")
    return 0


# --------------------------------------------------------------------------
# Las opciones


def add_parsers(subparsers):
    """``capitulos``, ``ejecutar`` y ``cuaderno``."""
    parser = subparser(
        subparsers, "capitulos",
        "lista los capítulos; con uno, sus celdas visibles",
        ["esenciales capitulos", "esenciales capitulos cnn"], cmd_chapters,
        aliases=["capítulos"])
    parser.add_argument("capitulo", nargs="?", metavar="CAPITULO",
                        help="número (4) o nombre corto (cnn) del capítulo")

    parser = subparser(
        subparsers, "ejecutar",
        "ejecuta las celdas de un capítulo y muestra lo que muestra el "
        "libro",
        ["esenciales ejecutar 4", "esenciales ejecutar 1 5",
         "esenciales ejecutar cnn --figuras /tmp/figuras"],
        cmd_run)
    parser.add_argument("capitulo", metavar="CAPITULO",
                        help="número (4) o nombre corto (cnn) del capítulo")
    parser.add_argument("celda", nargs="?", metavar="CELDA",
                        type=positive_int,
                        help="muestra solo esta celda visible (las "
                             "anteriores corren en silencio); ver "
                             "«esenciales capitulos N»")
    parser.add_argument("--figuras", metavar="CARPETA",
                        help="guarda en CARPETA las figuras del capítulo "
                             "(PNG); la crea si falta")
    add_overwrite(parser, "las figuras PNG que ya estén en CARPETA")
    parser.add_argument("--cifras", action="store_true",
                        help="al final, las cifras que el texto cita con "
                             "glue (se muestran siempre si el capítulo no "
                             "tiene celdas visibles)")

    parser = subparser(
        subparsers, "cuaderno",
        "escribe un capítulo como cuaderno de Jupyter (.ipynb)",
        ["esenciales cuaderno 4",
         "esenciales cuaderno cnn --salida cnn.ipynb"], cmd_notebook)
    parser.add_argument("capitulo", metavar="CAPITULO",
                        help="número (4) o nombre corto (cnn) del capítulo")
    parser.add_argument("--salida", metavar="ARCHIVO",
                        help="archivo .ipynb que escribir (por omisión, "
                             "NN_nombre.ipynb en la carpeta actual)")
    add_overwrite(parser, "ARCHIVO si ya existe")
