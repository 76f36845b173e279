"""Revisión de los PDF del libro, de sus ediciones y de los cuadernillos.

Lee cada PDF como lo leería una persona (texto por página con poppler:
pdfinfo, pdftotext, pdffonts), más el log y el .tex de LaTeX, y falla si:
- una figura se imprime como texto («<Figure size 750x460 ...>») o un
  capítulo imprime menos figuras de las que declara su fuente;
- queda una etiqueta cruda («cap-panorama», «eq-params»), una
  referencia sin resolver o una envuelta dos veces («el capítulo
  «capítulo 1 («…»)»»);
- la edición del estudiante trae soluciones, o la docente no las trae todas;
- una pestaña imprime su etiqueta sin contenido, o falta la de un marco;
- una salida se parte a mitad de línea (la marca «↪» del corte forzado)
  o el código desborda el margen;
- una página queda a menos de un cuarto de su altura sin ser la última de
  un capítulo (ni portada), o el libro tiene más de tres páginas que
  terminan antes de dos tercios de su altura dentro de un capítulo (se
  mide la tinta de la página: texto, figuras y recuadros);
- una referencia imprime solo el título de una sección entre comillas
  («la sección «Pérdidas»»), sin su número ni su página;
- un título numerado queda al pie de una página, sin dos líneas de lo
  que titula debajo;
- se imprime código de construcción (``glue(``) o una ruta de la máquina
  (/work/, /root/, /home/);
- un cuadernillo no empieza su capítulo con la página que tiene en el
  libro, repite las referencias, o una hoja de resumen pasa de una página
  o no trae su figura a todo el ancho;
- en un cuadernillo de soluciones, una solución no va precedida por el
  enunciado de su ejercicio, o empieza en otra página que él;
- un ejercicio no se numera «capítulo.orden» («7.1», «B.2» en un
  apéndice);
- falta un título, un carácter o una fuente incrustada, o falta el colofón.

Uso: python tools/check_pdf.py [--book _build/latex/esenciales.pdf]
         [--handouts _build/handouts] [--edicion estudiante] [--marco keras]
Termina con código 1 y la lista de problemas si alguno falla.
"""

import argparse
import re
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from handouts import (  # noqa: E402
    BOOK, DOC_LABEL, FIGURE, ROOT, SHEET_FIGURE_WIDTH, SHEET_FIGURE_WIDTHS,
    appendix_files, chapter_files, chapter_title, figure_share)
from esenciales.spanish import percent  # noqa: E402

MONO_FONT = "DejaVuSansMono"
OVERFULL = re.compile(r"^Overfull \\hbox \((?P<pt>[\d.]+)pt too wide\) "
                      r"(?P<where>.*)$")
MISSING = re.compile(r"^Missing character: There is no (.*) in font (.*)!$",
                     re.M)
UNDEFINED = re.compile(r"(?:LaTeX|pdfTeX) Warning: (?:Hyper )?[Rr]eference "
                       r"`([^']*)' on page \d+ undefined")
PLACEHOLDER = re.compile(r"<(?:Figure size|matplotlib\.|IPython\.core\."
                         r"|Axes:|Figure at 0x)[^>]{0,60}>?")
SOURCE_LABEL = re.compile(
    r"^\((?P<a>[\w-]+)\)=$|^:(?:label|name): (?P<b>\S+)$", re.M)
FIGURE_DECLARED = re.compile(r"^(?:`{3,}|:{3,})\{(?:glue:figure|figure)\}",
                             re.M)
SOLUTION = re.compile(r"^(?:`{3,}|:{3,})\{solution(?:-start)?\}", re.M)
SOLUTION_TITLE = "Solución del ejercicio"
EXERCISE_MARK = re.compile(
    r"(?P<kind>Ejercicio|Solución del ejercicio) "
    r"(?P<number>[\dA-Z]+(?:\.\d+)?)\b")
SECTION_TITLE = re.compile(r"^\((?P<label>[\w-]+)\)=\s*\n+#{1,3} (?P<title>.+)$",
                           re.M)
QUOTED = re.compile(r"«([^«»]{3,120})»")
NUMBERED_BEFORE = re.compile(r"(?:\b[\dA-Z]+(?:\.\d+)*,?\s*\(?|p\.\s*\d+\s*\(?)$")
GLUE_CODE = re.compile(r"\bglue\(")
MACHINE_PATH = re.compile(r"(?<![\w/.~-])/(?:work|root|home)/[^\s»)]*")
DOUBLE_REFERENCE = re.compile(r"«\s*capítulo \d+ \(«[^»]*»\)\s*»")
"""«capítulo N («título»)» entre comillas: la referencia quedó envuelta."""
WRAP_MARK = "↪"
BOOK_PAGES = (20, 1500)
HANDOUT_PAGES = (3, 400)
SUMMARY_PAGES = (1, 1)
SOLUTION_PAGES = (1, 400)
# Una página con menos de un cuarto de su caja de texto ocupada (sin
# contar el pie) es una página casi vacía; una que termina antes de dos
# tercios, una página a medias. La meta: a lo sumo tres dentro de los
# capítulos (las tablas largas se parten entre páginas, las figuras flotan).
MIN_FILL = 0.25
HALF_FILL = 2 / 3
MAX_HALF_EMPTY = 3
# Márgenes verticales del libro (_config.yml, vmargin): la caja de texto
# va de 2,4 cm bajo el borde superior a 2,4 cm sobre el inferior; el
# encabezado y el pie quedan fuera.
VMARGIN_CM = 2.4
INK_DPI = 20
INK_LEVEL = 200


def run(*command):
    """Salida de texto de una herramienta de poppler."""
    return subprocess.run(command, capture_output=True, text=True,
                          check=True).stdout


def page_count(pdf):
    """Número de páginas según pdfinfo."""
    info = run("pdfinfo", str(pdf))
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def pages_text(pdf):
    """Texto de cada página (pdftotext separa las páginas con \\f)."""
    return run("pdftotext", "-layout", str(pdf), "-").split("\f")[:-1]


def normalized(text):
    """Texto con los espacios colapsados."""
    return " ".join(text.split())


def source_labels():
    """Etiquetas MyST de todos los documentos del libro."""
    labels = set()
    for path in (ROOT / "book").glob("*.md"):
        for match in SOURCE_LABEL.finditer(path.read_text(encoding="utf-8")):
            labels.add(match["a"] or match["b"])
    return labels


def all_documents():
    """Documentos de _toc.yml salvo la raíz: capítulos y apéndices."""
    import yaml
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    return [entry["file"] for part in toc.get("parts", [])
            for entry in part["chapters"]]


def toc_titles():
    """Títulos de todos los documentos de _toc.yml salvo la raíz."""
    import yaml
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [entry["file"] for part in toc.get("parts", [])
             for entry in part["chapters"]]
    return [chapter_title(ROOT / f"{name}.md") for name in files]


def has_tabs(chapter):
    """¿Muestra el capítulo pares de pestañas Keras | PyTorch?"""
    text = (ROOT / f"{chapter}.md").read_text(encoding="utf-8")
    return ":sync: keras" in text


def read_pgm(path):
    """Ancho, alto y bytes de una imagen PGM binaria (la de pdftoppm)."""
    data = Path(path).read_bytes()
    fields, position = [], 0
    while len(fields) < 4:
        match = re.compile(rb"\s*(#[^\n]*\n\s*)*(\S+)").match(data, position)
        fields.append(match.group(2))
        position = match.end()
    width, height = int(fields[1]), int(fields[2])
    return width, height, data[position + 1:position + 1 + width * height]


def ink_fill(width, height, pixels, margin):
    """Fracción de la caja de texto ocupada, desde arriba hasta la tinta
    más baja (texto, figura, regla o recuadro).

    pixels: bytes de la página en grises, fila por fila (0 negro, 255
    blanco); margin: fracción de la altura que ocupa cada margen vertical.
    """
    top = round(height * margin)
    bottom = round(height * (1 - margin))
    lowest = None
    for row in range(bottom - 1, top - 1, -1):
        line = pixels[row * width:(row + 1) * width]
        if min(line, default=255) < INK_LEVEL:
            lowest = row + 1
            break
    if lowest is None:
        return 0.0
    return (lowest - top) / (bottom - top)


def page_fill(pdf):
    """Fracción ocupada de la caja de texto de cada página (por la tinta)."""
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["pdftoppm", "-r", str(INK_DPI), "-gray", str(pdf),
                        f"{tmp}/p"], check=True, capture_output=True)
        fills = []
        for path in sorted(Path(tmp).glob("p-*.pgm")):
            width, height, pixels = read_pgm(path)
            height_cm = height / INK_DPI * 2.54
            fills.append(ink_fill(width, height, pixels,
                                  VMARGIN_CM / height_cm))
    return fills


def sparse_pages(fills, allowed, limit):
    """Páginas (desde 1) con menos que limit de su caja ocupada, sin
    contar las permitidas (índices desde 0) ni la última."""
    return [(index + 1, fill) for index, fill in enumerate(fills)
            if fill < limit and index not in allowed
            and index + 1 < len(fills)]


def near_empty_pages(pdf, texts, allowed, fills=None):
    """Páginas casi vacías que no cierran un capítulo."""
    fills = page_fill(pdf) if fills is None else fills
    return [f"p. {page} ({fill:.0%})"
            for page, fill in sparse_pages(fills, allowed, MIN_FILL)]


HEADING_LINE = re.compile(r"^(?:\d+|[A-Z])\.\d+(?:\.\d+)*\s+[A-ZÁÉÍÓÚÑ¿«]")
LAYOUT_PAGE = re.compile(r'<page width="[\d.]+" height="(?P<height>[\d.]+)">')
LAYOUT_LINE = re.compile(r'<line xMin="[\d.-]+" yMin="(?P<top>[\d.-]+)" '
                         r'xMax="[\d.-]+" yMax="(?P<bottom>[\d.-]+)">'
                         r'(?P<words>.*?)</line>', re.S)
LAYOUT_WORD = re.compile(r"<word[^>]*>([^<]*)</word>")
# Un título numerado necesita debajo, en su página, al menos estas líneas
# de lo que titula.
LINES_AFTER_HEADING = 2


def page_lines(layout):
    """Líneas de texto de la caja de cada página (sin encabezado ni pie),
    de arriba abajo, según «pdftotext -bbox-layout»: (alto, texto)."""
    pages = []
    for chunk in layout.split("<page ")[1:]:
        height = float(LAYOUT_PAGE.match("<page " + chunk)["height"])
        margin = VMARGIN_CM / 2.54 * 72
        lines = []
        for match in LAYOUT_LINE.finditer(chunk):
            top, bottom = float(match["top"]), float(match["bottom"])
            if top < margin - 4 or bottom > height - margin + 4:
                continue
            words = LAYOUT_WORD.findall(match["words"])
            lines.append((top, " ".join(words)))
        pages.append(sorted(lines))
    return pages


def stranded_headings(pages):
    """Títulos numerados («3.4 Vectorización…», «C.5 Capítulo 3») con
    menos de LINES_AFTER_HEADING líneas debajo en su página: (página desde
    1, título). No cuenta la última página ni las del índice."""
    found = []
    for number, lines in enumerate(pages[:-1], start=1):
        for index, (top, text) in enumerate(lines):
            if not HEADING_LINE.match(text) or ". . ." in text:
                continue
            below = {round(other) for other, _ in lines[index + 1:]
                     if other > top + 2}
            if len(below) < LINES_AFTER_HEADING:
                found.append((number, text[:40]))
    return found


def printed_number(text):
    """Número de página que imprime el pie (el último número de la última
    línea con texto), o None."""
    lines = [line for line in text.splitlines() if line.strip()]
    match = re.search(r"(?<![\d,.])(\d+)\s*$", lines[-1]) if lines else None
    return int(match.group(1)) if match else None


def chapter_first_pages(texts):
    """Página impresa en que empieza cada capítulo numerado del libro."""
    pages = {}
    for text in texts:
        match = re.match(r"cap[íi]tulo (\d+)\b", normalized(text)[:40],
                         re.I)
        if match and int(match.group(1)) not in pages:
            pages[int(match.group(1))] = printed_number(text)
    return pages


def chapter_start_pages(texts):
    """Páginas (desde 0) donde empieza un capítulo, parte o apéndice."""
    starts = set()
    for index, text in enumerate(texts):
        head = normalized(text)[:80].casefold()
        if re.match(r"(cap[íi]tulo|ap[ée]ndice|parte) \w+\b", head) \
                or head.startswith(("bibliografía", "referencias", "prefacio",
                                    "índice", "soluciones")):
            starts.add(index)
    return starts


def unembedded_fonts(pdf):
    """Fuentes que pdffonts informa como no incrustadas."""
    lines = run("pdffonts", str(pdf)).splitlines()[2:]
    bad = []
    for line in lines:
        fields = line.split()
        if len(fields) >= 6 and fields[-5] != "yes":
            bad.append(fields[0])
    return bad


def code_overflows(log_text, table_lines=()):
    """Desbordes de línea en la fuente monoespaciada, según el log.

    ``table_lines``: rangos de líneas del .tex que son tablas. Un código
    en línea dentro de una celda angosta (la tabla de «Keras y PyTorch,
    lado a lado») no se cuenta aquí: es una deuda conocida de la tabla, no
    un listado que se sale del margen.
    """
    lines = log_text.splitlines()
    found = []
    for index, line in enumerate(lines):
        match = OVERFULL.match(line)
        if not match:
            continue
        box = " ".join(lines[index + 1:index + 3])
        start = re.search(r"lines (\d+)", match["where"])
        if start and any(low <= int(start[1]) <= high
                         for low, high in table_lines):
            continue
        if MONO_FONT in box:
            found.append(f"{match['pt']}pt {match['where']}: {box[:90]}")
    return found


# Lo que una cifra puede asomarse de su celda sin que se note (pt).
TABLE_OVERFLOW_PT = 1.5


def table_overflows(log_text, table_lines):
    """Celdas de tabla cuyo texto no cabe en su columna, según el log.

    Una cifra con su «±» y su unidad no se parte: si la columna es más
    angosta, invade la siguiente (LaTeX lo anota como «Overfull \\hbox»).
    El código en línea de la tabla de «Keras y PyTorch, lado a lado» lo
    cuenta ``code_overflows`` (y lo perdona, como deuda conocida).
    """
    lines = log_text.splitlines()
    found = []
    for index, line in enumerate(lines):
        match = OVERFULL.match(line)
        start = match and re.search(r"lines (\d+)", match["where"])
        if not start or float(match["pt"]) <= TABLE_OVERFLOW_PT:
            continue
        box = " ".join(lines[index + 1:index + 3])
        if MONO_FONT not in box and any(low <= int(start[1]) <= high
                                        for low, high in table_lines):
            found.append(f"{match['pt']}pt {match['where']}: "
                         f"{box[:60]}")
    return found


def table_line_ranges(tex_text):
    """Rangos (primera, última) de líneas de las tablas del .tex."""
    ranges, start = [], None
    for number, line in enumerate(tex_text.splitlines(), 1):
        if re.search(r"\\begin\{(tabulary|longtable|tabular)\}", line):
            start = start or number
        elif re.search(r"\\end\{(tabulary|longtable|tabular)\}", line) \
                and start:
            ranges.append((start, number))
            start = None
    return ranges


def text_outside_page(pdf):
    """Palabras cuya caja cae fuera del ancho de la página."""
    html = run("pdftotext", "-bbox", str(pdf), "-")
    outside = []
    width = None
    for line in html.splitlines():
        page = re.search(r'<page width="([\d.]+)"', line)
        if page:
            width = float(page.group(1))
            continue
        word = re.search(r'xMin="([\d.-]+)" yMin="[\d.-]+" '
                         r'xMax="([\d.-]+)".*>(.*)</word>', line)
        if word and width is not None:
            x_min, x_max = float(word.group(1)), float(word.group(2))
            if x_min < 0 or x_max > width:
                outside.append(word.group(3))
    return outside


def raw_labels(text, labels):
    """Etiquetas MyST que aparecen tal cual en el texto impreso."""
    words = set(re.findall(r"[\w-]+", text))
    return sorted(label for label in labels & words if "-" in label)


def section_titles():
    """Títulos de las secciones con etiqueta de los capítulos y apéndices
    (los que una referencia puede imprimir), sin marcas de MyST."""
    titles = set()
    for path in (ROOT / "book").glob("*.md"):
        for match in SECTION_TITLE.finditer(path.read_text(encoding="utf-8")):
            titles.add(" ".join(re.sub(r"[*`]|\{[^}]*\}", "",
                                       match["title"]).split()))
    return titles


def title_only_references(text, titles):
    """Títulos de sección impresos entre comillas sin número delante
    («la sección «Pérdidas»» en vez de «sección 3.8, p. 71»)."""
    found = []
    for match in QUOTED.finditer(text):
        title = " ".join(match.group(1).split())
        if title not in titles:
            continue
        before = text[max(0, match.start() - 12):match.start()].rstrip()
        # Los docstrings del paquete nombran el concepto de la clase que
        # ilustran («Concepto: «No toda IA aprende»»): no es una referencia.
        if before.endswith("Concepto:"):
            continue
        if not NUMBERED_BEFORE.search(before):
            found.append(title)
    return found


def summary_figure_problems(name, log_text):
    """Una hoja de resumen sin su figura, o con la figura angosta (el ancho
    impreso que anota el log frente al ancho del texto)."""
    widths = SHEET_FIGURE_WIDTHS.findall(log_text)
    if not widths:
        return [f"{name}: la hoja no tiene figura"]
    problems = []
    for printed, line in widths:
        share = float(printed) / float(line)
        if share < SHEET_FIGURE_WIDTH:
            problems.append(f"{name}: la figura ocupa el "
                            f"{percent(share, 1)} del ancho; debe ir a todo "
                            f"el ancho (al menos "
                            f"{percent(SHEET_FIGURE_WIDTH, 0)})")
    return problems


def statement_problems(text):
    """Soluciones que no siguen al enunciado de su propio ejercicio."""
    problems, previous = [], None
    for match in EXERCISE_MARK.finditer(text):
        if match["kind"] != "Ejercicio":
            if previous is None or previous["kind"] != "Ejercicio" \
                    or previous["number"] != match["number"]:
                problems.append(match["number"])
        previous = match
    return problems


def split_statements(texts):
    """Soluciones que empiezan en otra página que su enunciado: (página
    desde 1, número). La solución va tras «Ejercicio N.k (…)» y, si
    cabe, en la misma página."""
    split = []
    for index, page in enumerate(texts):
        text = normalized(page)
        for match in re.finditer(r"Solución del ejercicio "
                                 r"(?P<number>[\dA-Z]+(?:\.\d+)?)\b", text):
            if f"Ejercicio {match['number']}" not in text[:match.start()]:
                split.append((index + 1, match["number"]))
    return split


def check_pdf(pdf, titles, pages, *, tabs=False, edition=None,
              solutions=0, start_page=None, references=None,
              statements=False, max_half_empty=None, half_empty=None,
              first_page=None):
    """Problemas de un PDF (y su log); lista vacía si todo está bien."""
    if not pdf.exists():
        return [f"{pdf}: no existe"]
    name = pdf.name
    problems = []
    count = page_count(pdf)
    if not pages[0] <= count <= pages[1]:
        problems.append(f"{name}: {count} páginas, fuera de {pages}")
    texts = pages_text(pdf)
    text = normalized("\n".join(texts))
    folded = text.casefold()
    for title in titles:
        plain = " ".join(title.replace("*", "").replace("`", "").split())
        if plain.casefold() not in folded:
            problems.append(f"{name}: falta el título «{title}»")
    for match in sorted(set(PLACEHOLDER.findall(text)))[:5]:
        problems.append(f"{name}: figura impresa como texto «{match}»")
    for match in sorted(set(DOUBLE_REFERENCE.findall(text)))[:5]:
        problems.append(f"{name}: referencia con el capítulo dos veces "
                        f"«{match}»")
    labels = raw_labels(text, source_labels())
    if labels:
        problems.append(f"{name}: etiquetas crudas {labels[:8]}")
    wraps = [index + 1 for index, page in enumerate(texts)
             if WRAP_MARK in page]
    if wraps:
        problems.append(f"{name}: líneas de salida o código partidas (↪) "
                        f"en las páginas {wraps[:10]}")
    if tabs:
        for label in ("Keras", "PyTorch"):
            if label not in text:
                problems.append(f"{name}: falta la etiqueta {label}")
    printed = text.count(SOLUTION_TITLE)
    if edition == "estudiante" and printed:
        problems.append(f"{name}: edición del estudiante con {printed} "
                        "soluciones")
    if edition == "docente" and printed < solutions:
        problems.append(f"{name}: {printed} de {solutions} soluciones")
    if "commit" not in text:
        problems.append(f"{name}: falta el colofón (edición, fecha, commit)")
    glue_code = len(GLUE_CODE.findall(text))
    if glue_code:
        problems.append(f"{name}: {glue_code} listados imprimen «glue(»")
    paths = sorted(set(MACHINE_PATH.findall(text)))
    if paths:
        problems.append(f"{name}: rutas de la máquina {paths[:5]}")
    title_only = title_only_references(text, section_titles())
    if title_only:
        problems.append(f"{name}: {len(title_only)} referencias con solo el "
                        f"título {sorted(set(title_only))[:5]}")
    if statements:
        missing = statement_problems(text)
        if missing:
            problems.append(f"{name}: soluciones sin su enunciado delante "
                            f"{missing[:8]}")
        split = split_statements(texts)
        if split:
            problems.append(f"{name}: soluciones en otra página que su "
                            f"enunciado {split[:8]}")
    allowed = {0} | {index - 1 for index in chapter_start_pages(texts)}
    if start_page is not None:
        allowed |= set(range(start_page))
    stranded = stranded_headings(page_lines(run("pdftotext",
                                                "-bbox-layout", str(pdf),
                                                "-")))
    if stranded:
        problems.append(f"{name}: títulos al pie de la página "
                        f"{stranded[:6]}")
    fills = page_fill(pdf)
    empty = near_empty_pages(pdf, texts, allowed, fills)
    if empty:
        problems.append(f"{name}: páginas casi vacías {empty[:10]}")
    half = sparse_pages(fills, allowed, HALF_FILL)
    if half_empty is not None:
        half_empty.extend(half)
    if max_half_empty is not None and len(half) > max_half_empty:
        pages = [f"p. {page} ({fill:.0%})" for page, fill in half]
        problems.append(f"{name}: {len(half)} páginas a medias (más de "
                        f"{max_half_empty}): {pages[:25]}")
    if first_page is not None and texts:
        head = normalized(texts[0])[:40].casefold()
        if not re.match(r"cap[íi]tulo \d+", head):
            problems.append(f"{name}: la primera página no abre el capítulo "
                            f"(«{head[:30]}»)")
        if printed_number(texts[0]) != first_page:
            problems.append(f"{name}: empieza en la p. "
                            f"{printed_number(texts[0])}, en el libro es la "
                            f"p. {first_page}")
    if references is not None:
        heads = len(re.findall(r"^\s*Referencias\s*$",
                               "\n".join(texts), re.M))
        if heads != references:
            problems.append(f"{name}: {heads} secciones «Referencias», "
                            f"se esperaba {references}")
    for font in unembedded_fonts(pdf):
        problems.append(f"{name}: fuente sin incrustar {font}")
    outside = text_outside_page(pdf)
    if outside:
        problems.append(f"{name}: texto fuera de la página: {outside[:5]}")
    log = pdf.with_suffix(".log")
    if not log.exists():
        log = pdf.parent / "logs" / log.name
    if not log.exists():
        problems.append(f"{log}: no existe el log de LaTeX")
        return problems
    log_text = log.read_text(encoding="utf-8", errors="replace")
    tex = log.with_suffix(".tex")
    tables = (table_line_ranges(tex.read_text(encoding="utf-8",
                                              errors="replace"))
              if tex.exists() else ())
    for overflow in code_overflows(log_text, tables):
        problems.append(f"{name}: código desborda {overflow}")
    for overflow in table_overflows(log_text, tables):
        problems.append(f"{name}: una celda no cabe en su columna "
                        f"{overflow}")
    for char, font in sorted(set(MISSING.findall(log_text))):
        problems.append(f"{name}: carácter sin fuente {char} ({font})")
    for ref in sorted(set(UNDEFINED.findall(log_text))):
        problems.append(f"{name}: referencia rota {ref}")
    return problems


def misplaced_appendix(tex, first_appendix):
    """¿Falta ``\\appendix`` justo antes del primer apéndice?

    LaTeX numera como capítulo (el 8) todo lo que va antes de
    ``\\appendix``; el primer título de la parte «Apéndices» de _toc.yml
    tiene que venir después, y ningún otro capítulo entre los dos.
    """
    # Solo el cuerpo: el preámbulo nombra \appendix (numeración A.1).
    tex = tex.split("\\begin{document}", 1)[-1]
    mark = tex.find("\\appendix\n")
    chapter = tex.find(f"\\chapter{{{first_appendix}}}")
    if chapter < 0:
        return False
    return mark < 0 or mark > chapter or "\\chapter{" in tex[mark:chapter]


EXERCISE_HEAD = re.compile(
    r"\\begin\{sphinxadmonition\}\{note\}[^\n]{0,40}?(?:\n[^\n]{0,40}?)?"
    r"Ejercicio (?P<number>[\dA-Z]+(?:\.\d+)*)")
CHAPTER_OR_APPENDIX = re.compile(r"\\appendix\b|\\chapter\{")


def exercise_number_problems(tex):
    """Ejercicios del .tex cuyo número no es «capítulo.orden» («7.1»,
    «7.2»…) o «letra del apéndice.orden» («B.1»): «Ejercicio 7.8.1» (el
    índice de una sección) o «Ejercicio 1» en un apéndice."""
    body = tex.split("\\begin{document}", 1)[-1]
    marks = list(CHAPTER_OR_APPENDIX.finditer(body))
    problems, chapter, letter, appendix = [], 0, 0, False
    for mark, following in zip(marks, marks[1:] + [None]):
        if mark.group(0) == "\\appendix":
            appendix = True
            continue
        if appendix:
            letter += 1
            label = chr(ord("A") + letter - 1)
        else:
            chapter += 1
            label = str(chapter)
        chunk = body[mark.end():following.start() if following else None]
        for order, match in enumerate(EXERCISE_HEAD.finditer(chunk), 1):
            if match["number"] != f"{label}.{order}":
                problems.append(f"Ejercicio {match['number']} (se esperaba "
                                f"{label}.{order})")
    return problems


def chapter_chunks(tex):
    """Texto LaTeX de cada documento del libro, por nombre."""
    body = tex.split("\\begin{document}", 1)[-1]
    matches = list(DOC_LABEL.finditer(body))
    return {match.group(1): body[match.start():following.start()
                                 if following else len(body)]
            for match, following in zip(matches, matches[1:] + [None])}


def declared_figures(source, framework=""):
    """Figuras con leyenda de una fuente MyST que imprime la edición.

    Con un solo marco, no cuentan las que están en una pestaña del otro.
    """
    count, fence, skip = 0, None, False
    lines = source.splitlines()
    for index, line in enumerate(lines):
        if fence is None:
            match = re.match(r"^(:{3,})\{tab-item\}\s*(.*)$", line)
            if match:
                fence = match.group(1)
                head = " ".join([match.group(2)] + lines[index + 1:index + 4])
                head = head.casefold()
                other = {"keras": "torch", "torch": "keras"}.get(framework)
                skip = bool(other) and (f":sync: {other}" in head or (
                    other == "torch" and "pytorch" in head.split(":sync:")[0]))
                continue
        elif line.strip() == fence:
            fence, skip = None, False
            continue
        if FIGURE_DECLARED.match(line) and not skip:
            count += 1
    return count


def figure_problems(tex_path, chapters, framework=""):
    """Figuras declaradas en cada capítulo frente a las que se imprimen.

    Cuenta, por capítulo, las figuras con leyenda de la fuente MyST, los
    entornos figure del .tex que incluyen una imagen (PDF o PNG) y las
    leyendas «Figura N.k:» distintas del texto del PDF.
    """
    if not tex_path.exists():
        return [f"{tex_path}: no existe"], []
    chunks = chapter_chunks(tex_path.read_text(encoding="utf-8"))
    pdf = tex_path.with_suffix(".pdf")
    captions = set(re.findall(r"Figura (\d+)\.(\d+):",
                              run("pdftotext", str(pdf), "-"))) \
        if pdf.exists() else set()
    problems, summary = [], []
    for number, chapter in enumerate(chapters, start=1):
        source = (ROOT / f"{chapter}.md").read_text(encoding="utf-8")
        declared = declared_figures(source, framework)
        chunk = chunks.get(chapter, "")
        figures = FIGURE.findall(chunk)
        printed = sum("\\sphinxincludegraphics" in figure
                      for figure in figures)
        images = len(re.findall(r"\\sphinxincludegraphics", chunk))
        shown = sum(1 for chapter_number, _ in captions
                    if chapter_number == str(number))
        summary.append(f"capítulo {number}: {printed} de {declared} figuras "
                       f"con leyenda ({shown} leyendas en el PDF), {images} "
                       "imágenes en total")
        if min(printed, shown) < declared:
            problems.append(f"capítulo {number}: imprime {min(printed, shown)}"
                            f" de las {declared} figuras que declara")
        bad = re.findall(r"\\sphinxincludegraphics(?:\[[^]]*\])?\{\{?"
                         r"([^{}]+\.svg)", chunk)
        if bad:
            problems.append(f"capítulo {number}: figuras SVG que LaTeX no "
                            f"imprime {bad[:3]}")
    return problems, summary


def solution_count(chapter):
    """Soluciones que declara la fuente de un capítulo."""
    return len(SOLUTION.findall((ROOT / f"{chapter}.md").read_text(
        encoding="utf-8")))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--book", type=Path,
                        default=ROOT / "_build" / "latex" / f"{BOOK}.pdf")
    parser.add_argument("--handouts", type=Path,
                        default=ROOT / "_build" / "handouts")
    parser.add_argument("--edicion", default="estudiante",
                        choices=("estudiante", "docente"))
    parser.add_argument("--marco", default="", choices=("", "keras", "torch"))
    args = parser.parse_args(argv)
    chapters = chapter_files(ROOT / "_toc.yml")
    documents = all_documents()
    tabs = not args.marco and any(has_tabs(chapter) for chapter in chapters)
    half_empty = []
    problems = check_pdf(args.book, toc_titles(), BOOK_PAGES, tabs=tabs,
                         edition=args.edicion,
                         solutions=sum(map(solution_count, documents)),
                         max_half_empty=MAX_HALF_EMPTY,
                         half_empty=half_empty)
    figure_issues, summary = figure_problems(args.book.with_suffix(".tex"),
                                             chapters, args.marco)
    problems += figure_issues
    appendices = appendix_files(ROOT / "_toc.yml")
    book_tex = args.book.with_suffix(".tex")
    if appendices and book_tex.exists() and misplaced_appendix(
            book_tex.read_text(encoding="utf-8", errors="replace"),
            chapter_title(ROOT / f"{appendices[0]}.md")):
        problems.append(f"{args.book.name}: el primer apéndice no empieza "
                        "con \\appendix (se imprime como capítulo)")
    if book_tex.exists():
        numbers = exercise_number_problems(
            book_tex.read_text(encoding="utf-8", errors="replace"))
        if numbers:
            problems.append(f"{args.book.name}: ejercicios mal numerados "
                            f"{numbers[:6]}")
    first_pages = {}
    if args.book.exists():
        summary.insert(0, f"{args.book.name}: {page_count(args.book)} "
                          f"páginas (edición {args.edicion}); páginas a "
                          f"medias dentro de los capítulos: "
                          + (", ".join(f"{page} ({fill:.0%})"
                                       for page, fill in half_empty)
                             or "ninguna"))
        first_pages = chapter_first_pages(pages_text(args.book))
    for number, chapter in enumerate(chapters, start=1):
        title = chapter_title(ROOT / f"{chapter}.md")
        pdf = args.handouts / f"capitulo-{number:02d}.pdf"
        cites = "{cite" in (ROOT / f"{chapter}.md").read_text(
            encoding="utf-8")
        problems += check_pdf(
            pdf, [title, f"Capítulo {number}"], HANDOUT_PAGES,
            tabs=not args.marco and has_tabs(chapter), edition=args.edicion,
            solutions=solution_count(chapter),
            first_page=first_pages.get(number, -1),
            references=1 if cites else 0)
        summary_pdf = args.handouts / f"resumen-{number:02d}.pdf"
        problems += check_pdf(summary_pdf, [title], SUMMARY_PAGES,
                              edition="estudiante")
        summary_log = args.handouts / "logs" / f"resumen-{number:02d}.log"
        if summary_log.exists():
            problems += summary_figure_problems(
                summary_pdf.name,
                summary_log.read_text(encoding="utf-8", errors="replace"))
        made = [pdf, summary_pdf]
        if args.edicion == "docente" and solution_count(chapter):
            booklet = args.handouts / f"soluciones-{number:02d}.pdf"
            problems += check_pdf(booklet, [title], SOLUTION_PAGES,
                                  edition="docente",
                                  solutions=solution_count(chapter),
                                  statements=True)
            made.append(booklet)
        for pdf in made:
            if pdf.exists():
                line = f"{pdf.name}: {page_count(pdf)} páginas"
                if pdf == summary_pdf and summary_log.exists():
                    share = figure_share(summary_log.read_text(
                        encoding="utf-8", errors="replace"))
                    line += f", figura al {percent(share, 0)} del ancho"
                summary.append(line)
    if args.edicion == "docente":
        booklet = args.handouts / "soluciones.pdf"
        problems += check_pdf(booklet, [], SOLUTION_PAGES, edition="docente",
                              solutions=sum(map(solution_count, documents)),
                              statements=True)
        if booklet.exists():
            summary.append(f"{booklet.name}: {page_count(booklet)} páginas")
    print("\n".join(summary))
    if problems:
        print("\nProblemas en los PDF:", *problems, sep="\n  ")
        return 1
    print("PDF en orden: figuras, ediciones, etiquetas, páginas, código, "
          "enlaces y fuentes.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
