"""Diapositivas de la clase (reveal.js), sacadas del libro ya construido.

Uso: ``python tools/diapositivas.py [--html _build/html] [--out
_build/slides] [--marco keras|torch] [--sin-pdf]`` (``make slides``).

No ejecuta nada: lee las páginas que escribió ``make book``
(``_build/html/book/NN_*.html``), que ya traen los números pegados con
glue, las figuras ejecutadas y las fórmulas. En cada capítulo toma los
bloques que el autor marcó con la clase ``diapositiva``:

- párrafo, lista o tabla: la línea ``{.diapositiva}`` justo antes
  (extensión ``attrs_block`` de MyST);
- figura (``figure``, ``glue:figure``): la opción ``:figclass: diapositiva``;
- fórmula (``math``) o pestañas de código (``tab-set``): la opción
  ``:class: diapositiva`` (en ``tab-set``, seguida de una línea en blanco).

Los bloques marcados de una misma sección forman una diapositiva; la
clase ``nueva`` (``{.diapositiva .nueva}``, ``:class: diapositiva nueva``)
empieza otra en la misma sección. Los párrafos vecinos de cada bloque (y
el pie de cada figura) van a las notas del orador (``<aside
class="notes">``, tecla «S» de reveal.js). El código sale de la pestaña
Keras o, con ``--marco torch``, de la pestaña PyTorch.

Los títulos son los de las diapositivas de la clase: los da la tabla de
``book/diapositivas.md`` (una por capítulo: número en el mazo, título de
la clase, sección del libro), que también es el índice de cada mazo. Si
la tabla y las marcas no coinciden, el programa dice qué fila corregir.

Escribe en ``--out`` un mazo por capítulo (``NN_<capítulo>.html``) y uno
de toda la clase (``clase.html``), con reveal.js, su complemento de
fórmulas y MathJax copiados desde ``tools/node_modules`` (nada se pide a
la red al presentar), las imágenes del libro, el PDF de cada mazo y un
resumen de 6 por hoja (tools/diapositivas_pdf.py). Deja además el enlace
``_build/html/diapositivas`` para que ``make serve`` muestre los mazos.
"""

import argparse
import html as htmllib
import os
import re
import shutil
import sys
import time
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from bs4 import BeautifulSoup, Tag

sys.path.insert(0, str(Path(__file__).resolve().parent))

from diapositivas_pdf import PdfError, print_pdfs, write_atomic  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
NODE_MODULES = ROOT / "tools" / "node_modules"
ESTILO = ROOT / "tools" / "diapositivas.css"
MARK = "diapositiva"
NEW_SLIDE = "nueva"
TAB_LABEL = {"keras": "Keras", "torch": "PyTorch"}
SLIDE_WIDTH, SLIDE_HEIGHT = 1280, 720
MAX_WORDS = 40
LECTURE = ("Esenciales de Deep Learning", "Presentación intensiva de 2 horas",
           "J. Peralta · Universidad Andrés Bello · julio de 2025")
CREDIT = ("Diapositivas generadas desde el libro «Esenciales de Deep "
          "Learning», a partir de la clase de J. Peralta (UNAB, 2025)")


class SlidesError(Exception):
    """Un problema que el autor debe corregir; se informa en una línea."""


@dataclass
class Slide:
    """Una diapositiva: título, bloques HTML ya limpios y notas del orador."""

    section_id: str
    section_title: str
    title: str = ""
    blocks: list = field(default_factory=list)
    notes: list = field(default_factory=list)
    words: int = 0


@dataclass
class Chapter:
    """Un capítulo del libro construido y sus diapositivas."""

    stem: str
    number: int
    title: str
    slides: list


# ---------------------------------------------------------------- lectura


def text_of(node):
    """Texto de un nodo, sin anclas «¶» ni números de sección o ecuación."""
    node = BeautifulSoup(str(node), "html.parser")
    for junk in node.select("a.headerlink, span.eqno, span.section-number"):
        junk.decompose()
    text = " ".join(node.get_text(" ").split())
    # get_text(" ") separa cada elemento; la puntuación va pegada.
    return re.sub(r"(?<=[(«¿¡]) | (?=[.,;:)»!?])", "", text)


def chapter_pages(html_dir):
    """Las páginas de los capítulos numerados, en orden."""
    pages = sorted((html_dir / "book").glob("[0-9][0-9]_*.html"))
    if not pages:
        raise SlidesError(f"no hay capítulos construidos en {html_dir}/book; "
                          "corran «make book» antes de «make slides».")
    return pages


def is_marked(tag):
    """¿Lleva el bloque (o la sección) la marca de diapositiva?"""
    classes = tag.get("class") or []
    return MARK in classes or f"tag_{MARK}" in classes


def marked_blocks(soup):
    """Bloques marcados, en orden, sin los que están dentro de otro marcado."""
    main = soup.select_one("main") or soup
    blocks = [tag for tag in main.find_all(is_marked)]
    return [tag for tag in blocks
            if not any(is_marked(parent) for parent in tag.parents
                       if isinstance(parent, Tag))]


def enclosing_section(tag):
    """La sección más interna que contiene el bloque: su id y su título."""
    section = tag if tag.name == "section" else tag.find_parent("section")
    heading = section.find(re.compile("^h[1-6]$")) if section else None
    return (section.get("id", "") if section else "",
            text_of(heading) if heading else "")


def neighbour_paragraph(tag, step):
    """El párrafo no marcado más cercano antes (step=-1) o después (+1)."""
    # Una tabla llega envuelta por el tema (div de desplazamiento).
    while tag.parent is not None and tag.parent.name == "div" and \
            len(tag.parent.find_all(True, recursive=False)) == 1:
        tag = tag.parent
    sibling = tag
    while True:
        sibling = (sibling.find_previous_sibling() if step < 0
                   else sibling.find_next_sibling())
        if sibling is None or is_marked(sibling) or sibling.name == "section":
            return None
        if sibling.name in ("p", "ul", "ol", "dl") and text_of(sibling):
            return sibling


def notes_for(tag):
    """Notas del orador de un bloque: párrafos vecinos y pie de figura."""
    notes = []
    before = neighbour_paragraph(tag, -1)
    if before is not None:
        notes.append(note_text(before))
    caption = tag.find("figcaption") if tag.name == "figure" else None
    if caption is not None:
        notes.append("Figura: " + note_text(caption))
    after = neighbour_paragraph(tag, +1)
    if after is not None:
        notes.append(note_text(after))
    return notes


def note_text(node):
    """Texto de una nota: las fórmulas, en texto plano (``tex_to_text``).

    La vista del orador copia las notas a otra ventana, sin MathJax: una
    fórmula en TeX se leería como su fuente («\\eta \\nabla»).
    """
    text = text_of(node)
    return re.sub(r"\\\((.*?)\\\)|\\\[(.*?)\\\]",
                  lambda m: tex_to_text(m[1] or m[2] or ""), text,
                  flags=re.S).strip()


TEX_SYMBOLS = {
    **dict(zip(
        ("alpha beta gamma delta epsilon varepsilon zeta eta theta lambda "
         "mu nu xi pi rho sigma tau phi varphi chi psi omega Gamma Delta "
         "Theta Lambda Sigma Phi Psi Omega").split(),
        "αβγδεεζηθλμνξπρστφφχψωΓΔΘΛΣΦΨΩ")),
    "nabla": "∇", "partial": "∂", "sum": "Σ", "prod": "Π", "int": "∫",
    "cdot": "·", "times": "×", "pm": "±", "leftarrow": "←",
    "rightarrow": "→", "to": "→", "gets": "←", "infty": "∞", "le": "≤",
    "leq": "≤", "ge": "≥", "geq": "≥", "neq": "≠", "approx": "≈",
    "in": "∈", "sim": "∼", "propto": "∝", "ldots": "…", "cdots": "⋯",
    "log": "log", "ln": "ln", "exp": "exp", "max": "máx", "min": "mín",
    "uparrow": "↑", "downarrow": "↓", "lVert": "‖", "rVert": "‖",
    "|": "‖", "odot": "⊙", "top": "ᵀ",
}
"""Los comandos de TeX que se escriben con un solo carácter (o palabra)."""

SUBSCRIPTS = str.maketrans("0123456789+-=()aeijkmnoprstuvx",
                           "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑᵢⱼₖₘₙₒₚᵣₛₜᵤᵥₓ")
SUPERSCRIPTS = str.maketrans("0123456789+-=()nTi",
                             "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿᵀⁱ")


def tex_to_text(tex):
    """Una fórmula de TeX en texto plano: ``\\hat y_k`` → «ŷₖ»,
    ``\\frac{a}{b}`` → «a/b», ``\\eta\\nabla`` → «η∇». Cubre lo que
    usan las notas del orador del libro, no todo TeX."""
    text = tex.replace("{,}", ",")
    text = re.sub(r"\\(left|right|big|Big|bigg|Bigg)\b", "", text)
    text = re.sub(r"\\[,;:!]|~", " ", text)
    for command, accent in (("hat|widehat", "\u0302"),
                            ("bar|overline", "\u0304")):
        text = re.sub(rf"\\(?:{command})\s*(?:\{{\s*(\w)\s*\}}|(\w))",
                      lambda m: (m[1] or m[2]) + accent, text)
    text = re.sub(r"\\([A-Za-z]+|\|)(?![A-Za-z])",
                  lambda m: (m[0] if m[1] in ("frac", "sqrt") or
                             m[1].startswith("math") or m[1] in (
                                 "text", "operatorname", "boldsymbol")
                             else TEX_SYMBOLS.get(m[1], m[1])), text)
    for _ in range(6):  # de los grupos más internos hacia afuera
        text = re.sub(r"_\{([^{}]*)\}|_(\w)",
                      lambda m: _script(m[1] or m[2], SUBSCRIPTS, "_"),
                      text)
        text = re.sub(r"\^\{([^{}]*)\}|\^(\w)",
                      lambda m: _script(m[1] or m[2], SUPERSCRIPTS, "^"),
                      text)
        text = re.sub(r"\\frac\s*\{([^{}]*)\}\s*\{([^{}]*)\}",
                      lambda m: f"{_grouped(m[1])}/{_grouped(m[2])}", text)
        text = re.sub(r"\\sqrt\s*\{([^{}]*)\}", r"√(\1)", text)
        text = re.sub(r"\\(?:math\w*|text|operatorname|boldsymbol)"
                      r"\s*\{([^{}]*)\}", r"\1", text)
    text = text.replace("{", "").replace("}", "").replace("-", "−")
    return unicodedata.normalize("NFC", re.sub(r"\s+", " ", text).strip())


def _grouped(text):
    """Un operando de una fracción, entre paréntesis si tiene más de un
    símbolo."""
    return text if len(text.strip()) <= 1 else f"({text.strip()})"


def _script(text, table, mark):
    """Un subíndice o superíndice: con los caracteres de Unicode si los
    hay para todo el texto; si no, «_(…)» o «^(…)»."""
    converted = text.translate(table)
    if all(c != o or c in " " for c, o in zip(converted, text)):
        return converted
    return f"{mark}{text}" if len(text) == 1 else f"{mark}({text})"


def heading_point(section):
    """Una sección marcada: su título como punto de una lista."""
    heading = BeautifulSoup(str(section.find(re.compile("^h[1-6]$"))),
                            "html.parser").find()
    for junk in heading.select("a.headerlink, span.section-number"):
        junk.decompose()
    point = BeautifulSoup("<ul class='puntos'><li></li></ul>", "html.parser")
    for child in list(heading.children):
        point.li.append(child)
    return point.ul


def split_slides(soup):
    """Agrupa los bloques marcados de un capítulo en diapositivas.

    Una sección marcada (``{.diapositiva}`` antes del título) aporta su
    título como un punto de la diapositiva de la sección que la contiene,
    y su primer párrafo a las notas.
    """
    slides = []
    for tag in marked_blocks(soup):
        if tag.name == "section":
            section_id, section_title = enclosing_section(tag.parent)
            first = tag.find("p")
            notes = [note_text(first)] if first else []
            block = heading_point(tag)
        else:
            section_id, section_title = enclosing_section(tag)
            notes, block = notes_for(tag), tag
        classes = tag.get("class") or []
        if (not slides or slides[-1].section_id != section_id
                or NEW_SLIDE in classes):
            slides.append(Slide(section_id, section_title))
        slides[-1].blocks.append(block)
        for note in notes:
            if note not in slides[-1].notes:
                slides[-1].notes.append(note)
    return slides


def read_chapter(page):
    """Título y diapositivas (aún con bloques del libro) de un capítulo."""
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    heading = soup.select_one("main h1") or soup.find("h1")
    number = int(page.name[:2])
    return Chapter(page.stem, number, text_of(heading) if heading else
                   page.stem, split_slides(soup))


# ------------------------------------------------------ la tabla del libro


@dataclass
class PlanRow:
    """Una fila de la tabla de book/diapositivas.md (con número en el mazo)."""

    stem: str
    number: int
    title: str
    lecture: str
    section: str


def read_plan(html_dir):
    """Filas de las tablas de book/diapositivas.html, por capítulo."""
    page = html_dir / "book" / "diapositivas.html"
    if not page.exists():
        raise SlidesError(f"falta {page}: el libro se construyó sin "
                          "book/diapositivas.md.")
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    plan = {}
    for table in soup.select("main table"):
        section = table.find_parent("section")
        heading = section.find(re.compile("^h[1-6]$")) if section else None
        link = heading.find("a", href=re.compile(r"\d\d_\w+\.html"))\
            if heading else None
        if link is None:
            continue
        stem = link["href"].split("#")[0].rsplit("/", 1)[-1][:-5]
        for row in table.select("tbody tr"):
            cells = [text_of(cell) for cell in row.find_all("td")]
            if len(cells) < 4 or cells[0] in ("—", "-", ""):
                continue  # diapositiva de la clase sin diapositiva en el mazo
            try:
                number = int(cells[0])
            except ValueError:
                raise SlidesError(f"book/diapositivas.md, capítulo {stem}: "
                                  f"«{cells[0]}» no es un número de "
                                  "diapositiva.") from None
            plan.setdefault(stem, []).append(
                PlanRow(stem, number, *cells[1:4]))
    return plan


def normalise(text):
    """Texto comparable: sin fórmulas delimitadas, espacios ni mayúsculas."""
    text = re.sub(r"\\[()\[\]]|[*$`]", "", text)
    return " ".join(text.split()).casefold()


def apply_plan(chapter, rows):
    """Pone los títulos de la clase; falla si la tabla no calza."""
    expected = "\n".join(
        f"| {index} | título | diapositiva de la clase | "
        f"{slide.section_title} |"
        for index, slide in enumerate(chapter.slides, start=2))
    if len(rows) != len(chapter.slides):
        raise SlidesError(
            f"book/diapositivas.md: el capítulo {chapter.stem} tiene "
            f"{len(chapter.slides)} diapositivas marcadas y la tabla "
            f"{len(rows)} filas. Las secciones marcadas, en orden:\n"
            + expected)
    for index, (row, slide) in enumerate(zip(rows, chapter.slides), start=2):
        if row.number != index or (normalise(row.section)
                                   != normalise(slide.section_title)):
            raise SlidesError(
                f"book/diapositivas.md, capítulo {chapter.stem}: la fila "
                f"«{row.number} | {row.title} | … | {row.section}» debería ser "
                f"la diapositiva {index}, de la sección "
                f"«{slide.section_title}». Las secciones, en orden:\n"
                + expected)
        slide.title = row.title


# --------------------------------------------------- bloques en diapositiva


class Assets:
    """Copia las imágenes del libro a la carpeta de las diapositivas."""

    def __init__(self, html_dir, out, folder="imagenes"):
        self.html_dir, self.folder = html_dir, out / folder
        # Sin copias viejas: las imágenes del libro cambian de nombre.
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)

    def image(self, src):
        """Ruta de la copia (relativa al mazo) de una imagen del libro."""
        source = (self.html_dir / "book" / src).resolve()
        if not source.exists():
            raise SlidesError(f"la imagen {src} del libro no existe.")
        shutil.copy2(source, self.folder / source.name)
        return f"{self.folder.name}/{source.name}"


def unwrap_links(node):
    """Enlaces del libro como texto: el mazo no navega al libro."""
    for link in node.find_all("a"):
        link.unwrap()


def clean(node, framework, assets):
    """Copia limpia de un bloque marcado, lista para una diapositiva."""
    node = BeautifulSoup(str(node), "html.parser").find()
    for junk in node.select("a.headerlink, span.eqno, figcaption, "
                            "button, .copybtn"):
        junk.decompose()
    if "sd-tab-set" in (node.get("class") or []):
        node = code_tab(node, framework)
    elif node.find(class_="cell_output"):
        output = node.find(class_="cell_output")
        node = output
    unwrap_links(node)
    # Una diapositiva es ancha: muestra la figura de la página, no la
    # versión apilada para teléfonos (<picture>, tools/pantallas.py).
    for picture in node.find_all("picture"):
        for source in picture.find_all("source"):
            source.decompose()
        picture.unwrap()
    for img in node.find_all("img"):
        img["src"] = assets.image(img["src"])
        img.attrs.pop("width", None)
        img.attrs.pop("height", None)
        img.attrs.pop("style", None)
    for tag in [node, *node.find_all(True)]:
        classes = [c for c in tag.get("class") or []
                   if c not in (MARK, NEW_SLIDE, f"tag_{MARK}")]
        if classes:
            tag["class"] = classes
        else:
            tag.attrs.pop("class", None)
        tag.attrs.pop("id", None)
    for figure in node.find_all("figure") + (
            [node] if node.name == "figure" else []):
        figure["class"] = ["figura"]
    if node.find("figure") is not None:
        node["class"] = ["figuras"]
    return node


def code_tab(tab_set, framework):
    """El contenido de la pestaña del marco pedido (Keras o PyTorch)."""
    wanted = TAB_LABEL[framework]
    labels = tab_set.find_all("label", class_="sd-tab-label")
    names = [label.get_text(strip=True) for label in labels]
    if labels and not set(names) & set(TAB_LABEL.values()):
        wanted = names[0]
    for label in labels:
        if label.get_text(strip=True) == wanted:
            content = label.find_next_sibling(class_="sd-tab-content")
            figures = content.find_all("figure")
            if figures and not content.find("pre"):
                row = BeautifulSoup("<div class='figuras'></div>",
                                    "html.parser").div
                for figure in figures:
                    row.append(figure)
                return row
            wrapper = BeautifulSoup("<div class='codigo'></div>",
                                    "html.parser").div
            for child in list(content.children):
                if not _for_the_page_only(child):
                    wrapper.append(child)
            label = BeautifulSoup(f"<p class='pestana'>{wanted}</p>",
                                  "html.parser").p
            wrapper.insert(0, label)
            return wrapper
    raise SlidesError(f"unas pestañas marcadas no tienen la pestaña "
                      f"«{wanted}».")


def _for_the_page_only(node):
    """¿Es parte de la pestaña que sirve al lector y no a la diapositiva?

    Los ``import`` del módulo, el desplegable de funciones auxiliares y la
    línea que enlaza «Keras y PyTorch, lado a lado» hacen que el listado
    corra al copiarlo; en la diapositiva solo va el código del concepto.
    """
    name = getattr(node, "name", None)
    if name is None:
        return not str(node).strip()
    if name == "details" or name == "p":
        return True
    code = node.find("pre") if name != "pre" else node
    if code is None:
        return False
    lines = [line.strip() for line in code.get_text().splitlines()
             if line.strip() and not line.strip().startswith("#")]
    return bool(lines) and all(
        line.startswith(("import ", "from ")) or line.startswith(")")
        or line.endswith(",") or line.endswith("(") for line in lines)


def slide_words(blocks):
    """Palabras de texto corrido (sin código, fórmulas ni tablas)."""
    words = 0
    for block in blocks:
        copy = BeautifulSoup(str(block), "html.parser")
        for skip in copy.select("pre, .math, .pestana, img, table"):
            skip.decompose()
        words += len(copy.get_text(" ").split())
    return words


def group_figures(blocks):
    """Figuras seguidas, lado a lado en una fila."""
    html, row = [], []
    for block in blocks:
        if block.name == "figure":
            row.append(str(block))
            continue
        if row:
            html.append(figure_row(row))
            row = []
        html.append(str(block))
    if row:
        html.append(figure_row(row))
    return html


def figure_row(figures):
    """Una o varias figuras que llenan el espacio libre de la diapositiva."""
    return f"<div class='figuras'>{''.join(figures)}</div>"


# ------------------------------------------------------------- los mazos


def section_html(slide_id, title, body, notes=(), classes=""):
    """Una <section> de reveal.js con su título y sus notas."""
    notes_html = "".join(f"<p>{htmllib.escape(note)}</p>" for note in notes)
    aside = f"<aside class='notes'>{notes_html}</aside>" if notes else ""
    return (f"<section id='{slide_id}' class='{classes}'>"
            f"<div class='marco'><h2>{htmllib.escape(title)}</h2>"
            f"<div class='cuerpo'>{body}</div></div>{aside}</section>")


def title_section(slide_id, title, lines, notes=()):
    """Diapositiva de portada o de comienzo de capítulo."""
    body = "".join(f"<p>{htmllib.escape(line)}</p>" for line in lines)
    notes_html = "".join(f"<p>{htmllib.escape(n)}</p>" for n in notes)
    aside = f"<aside class='notes'>{notes_html}</aside>" if notes else ""
    return (f"<section id='{slide_id}' class='portada'><div class='marco'>"
            f"<h1>{htmllib.escape(title)}</h1>{body}</div>{aside}"
            "</section>")


def content_sections(chapter, framework, assets, prefix=""):
    """Las secciones de reveal.js de las diapositivas de un capítulo."""
    sections = []
    for index, slide in enumerate(chapter.slides, start=2):
        blocks = [clean(block, framework, assets) for block in slide.blocks]
        slide.words = slide_words(blocks)
        layout = "con-figura" if any(
            b.name == "figure" or b.find("figure") for b in blocks) else ""
        sections.append(section_html(
            f"{prefix}d{index}", slide.title, "".join(group_figures(blocks)),
            slide.notes, layout))
    return sections


def chapter_cover(chapter, framework, slide_id="d1"):
    """Portada de un capítulo."""
    return title_section(
        slide_id, chapter.title,
        [f"Capítulo {chapter.number} · {LECTURE[0]}",
         f"Código: {TAB_LABEL[framework]}", CREDIT],
        [f"Capítulo {chapter.number}: {chapter.title}. "
         f"{len(chapter.slides)} diapositivas."])


def deck_html(title, sections, lib="lib"):
    """Página completa de reveal.js, sin nada pedido a la red."""
    return f"""<!DOCTYPE html>
<html lang="es" data-theme="light">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{htmllib.escape(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{lib}/reveal/reset.css">
<link rel="stylesheet" href="{lib}/reveal/reveal.css">
<link rel="stylesheet" href="{lib}/reveal/theme/white.css">
<link rel="stylesheet" href="{lib}/pygments.css">
<link rel="stylesheet" href="{lib}/diapositivas.css">
</head>
<body>
<div class="reveal"><div class="slides">
{chr(10).join(sections)}
</div></div>
<script src="{lib}/reveal/reveal.js"></script>
<script src="{lib}/reveal/plugin/notes/notes.js"></script>
<script src="{lib}/reveal/plugin/math/math.js"></script>
<script>
Reveal.initialize({{
  width: {SLIDE_WIDTH}, height: {SLIDE_HEIGHT}, margin: 0,
  center: false, hash: true, slideNumber: "c/t", transition: "none",
  pdfMaxPagesPerSlide: 1, pdfSeparateFragments: false,
  mathjax3: {{
    mathjax: "{lib}/mathjax/tex-mml-chtml.js",
    tex: {{inlineMath: [["\\\\(", "\\\\)"]],
           displayMath: [["\\\\[", "\\\\]"]]}},
    options: {{processHtmlClass: "math", ignoreHtmlClass: "codigo"}},
  }},
  plugins: [RevealNotes, RevealMath.MathJax3],
}});
</script>
</body>
</html>
"""


def copy_library(html_dir, out):
    """reveal.js, sus complementos, MathJax y los estilos, junto al mazo."""
    reveal = NODE_MODULES / "reveal.js"
    mathjax = NODE_MODULES / "mathjax" / "es5"
    if not (reveal / "dist" / "reveal.js").exists() or \
            not (mathjax / "tex-mml-chtml.js").exists():
        raise SlidesError("faltan reveal.js o MathJax en tools/node_modules: "
                          "corran «npm ci --prefix tools».")
    lib = out / "lib"
    if lib.exists():
        shutil.rmtree(lib)
    shutil.copytree(reveal / "dist", lib / "reveal",
                    ignore=shutil.ignore_patterns("*.map", "*.esm.js"))
    for plugin in ("notes", "math"):
        shutil.copytree(reveal / "plugin" / plugin,
                        lib / "reveal" / "plugin" / plugin,
                        ignore=shutil.ignore_patterns("*.esm.js"))
    notes = lib / "reveal" / "plugin" / "notes"
    translate(notes / "notes.js", SPEAKER_VIEW_ES)
    translate(lib / "reveal" / "reveal.js", HELP_ES)
    (lib / "mathjax").mkdir()
    shutil.copy2(mathjax / "tex-mml-chtml.js", lib / "mathjax")
    shutil.copytree(mathjax / "output" / "chtml" / "fonts",
                    lib / "mathjax" / "output" / "chtml" / "fonts")
    shutil.copy2(html_dir / "_static" / "pygments.css", lib)
    shutil.copy2(ESTILO, lib / "diapositivas.css")


# La vista del orador (tecla «S») en español: los textos de reveal.js 5.
SPEAKER_VIEW_ES = (
    ('<h4 class=\\"label\\">Notes', '<h4 class=\\"label\\">Notas'),
    ('<h4 class=\\"label\\">Time ', '<h4 class=\\"label\\">Hora '),
    (">Click to Reset<", ">Clic para reiniciar<"),
    (">Upcoming<", ">Siguiente<"),
    ("Loading speaker view...", "Cargando la vista del orador…"),
    ("Pacing – Time to finish current slide",
     "Ritmo: tiempo para terminar esta diapositiva"),
    ("'Default'", "'Normal'"), ("'Wide'", "'Ancha'"), ("'Tall'", "'Alta'"),
    ("'Notes only'", "'Solo notas'"),
    ("innerHTML = 'Layout' +", "innerHTML = 'Disposición' +"),
    ('description:"Speaker notes view"',
     'description:"Vista del orador"'),
)

# La ayuda de reveal.js (tecla «?»): los atajos de teclado, en español.
HELP_ES = (
    (">Keyboard Shortcuts<", ">Atajos de teclado<"),
    ("<th>KEY</th><th>ACTION</th>", "<th>TECLA</th><th>ACCIÓN</th>"),
    ('="Next slide"', '="Diapositiva siguiente"'),
    ('="Previous slide"', '="Diapositiva anterior"'),
    ('="Navigate left"', '="Ir a la izquierda"'),
    ('="Navigate right"', '="Ir a la derecha"'),
    ('="Navigate up"', '="Ir arriba"'),
    ('="Navigate down"', '="Ir abajo"'),
    ('="Navigate without fragments"', '="Avanzar sin fragmentos"'),
    ('="Jump to first/last slide"', '="Ir a la primera o la última"'),
    ('="Pause"', '="Pausa"'),
    ('="Fullscreen"', '="Pantalla completa"'),
    ('="Slide overview"', '="Vista general"'),
    ('="Jump to slide"', '="Ir a la diapositiva…"'),
)


def translate(path, pairs):
    """Traduce los textos de la interfaz de reveal.js en la copia ``path``;
    si uno ya no está (otra versión), lo dice en vez de dejarlo en inglés.
    """
    text = path.read_text(encoding="utf-8")
    for english, spanish in pairs:
        if english not in text:
            raise SlidesError(f"{path.name} de reveal.js ya no dice "
                              f"«{english}»: revisen sus traducciones.")
        text = text.replace(english, spanish)
    path.write_text(text, encoding="utf-8")


def write_decks(html_dir, out, framework):
    """Escribe los mazos; devuelve [(archivo, capítulos)]."""
    out.mkdir(parents=True, exist_ok=True)
    copy_library(html_dir, out)
    suffix = "" if framework == "keras" else "-pytorch"
    assets = Assets(html_dir, out, f"imagenes{suffix}")
    plan = read_plan(html_dir)
    chapters = [read_chapter(page) for page in chapter_pages(html_dir)]
    decks = []
    for chapter in chapters:
        if not chapter.slides:
            raise SlidesError(f"el capítulo {chapter.stem} no tiene bloques "
                              "marcados con la clase «diapositiva».")
        apply_plan(chapter, plan.get(chapter.stem, []))
        sections = [chapter_cover(chapter, framework),
                    *content_sections(chapter, framework, assets)]
        path = out / f"{chapter.stem}{suffix}.html"
        write_atomic(path, deck_html(
            f"{chapter.title} · {LECTURE[0]}", sections).encode("utf-8"))
        decks.append((path, [chapter]))
    sections = [title_section("portada", LECTURE[0], [
        LECTURE[1], LECTURE[2], f"Código: {TAB_LABEL[framework]}", CREDIT]),
        section_html("agenda", "Contenidos", "<ol>" + "".join(
            f"<li>{htmllib.escape(c.title)}</li>" for c in chapters)
            + "</ol>", ["Los siete temas de la clase, uno por capítulo "
                        "del libro."])]
    for chapter in chapters:
        prefix = f"c{chapter.number}-"
        sections.append(chapter_cover(chapter, framework, f"{prefix}d1"))
        sections.extend(content_sections(chapter, framework, assets, prefix))
    sections.append(title_section("preguntas", "¿Preguntas?", [CREDIT]))
    path = out / f"clase{suffix}.html"
    write_atomic(path, deck_html(LECTURE[0], sections).encode("utf-8"))
    decks.append((path, chapters))
    return decks


# ----------------------------------------------------------- las fuentes


def check_sources(book_dir):
    """La marca {.diapositiva} antes de una directiva no llega al HTML."""
    for path in sorted(book_dir.glob("[0-9][0-9]_*.md")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for number, (line, following) in enumerate(
                zip(lines, lines[1:] + [""]), start=1):
            if MARK in line and line.lstrip().startswith("{") and \
                    re.match(r"\s*(```|:::)+\{", following):
                raise SlidesError(
                    f"{path.name}:{number}: «{line.strip()}» antes de una "
                    "directiva se pierde; usen la opción «:class: "
                    "diapositiva» (o «:figclass:» en figuras).")


def link_into_book(html_dir, out):
    """Enlace html/diapositivas → out: make serve muestra los mazos.

    Es un enlace simbólico y no una copia: las herramientas que recorren
    el libro (pathlib.rglob) no entran en él.
    """
    link = html_dir / "diapositivas"
    target = os.path.relpath(out.resolve(), html_dir.resolve())
    if link.is_symlink() and os.readlink(link) == target:
        return
    if link.is_symlink():
        link.unlink()
    elif link.exists():
        raise SlidesError(f"{link} existe y no es un enlace a las "
                          "diapositivas; bórrenlo.")
    link.symlink_to(target, target_is_directory=True)


def summary(decks):
    """Una línea por mazo: diapositivas, con notas y palabras máximas."""
    lines = []
    for path, chapters in decks:
        slides = [s for c in chapters for s in c.slides]
        with_notes = sum(bool(s.notes) for s in slides)
        words = max((s.words for s in slides), default=0)
        lines.append(f"{path.name}: {len(slides)} diapositivas de contenido, "
                     f"{with_notes} con notas, hasta {words} palabras")
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=Path, default=ROOT / "_build/html")
    parser.add_argument("--out", type=Path, default=ROOT / "_build/slides")
    parser.add_argument("--marco", choices=sorted(TAB_LABEL),
                        default="keras")
    parser.add_argument("--sin-pdf", action="store_true",
                        help="solo los mazos HTML")
    args = parser.parse_args(argv)
    start = time.monotonic()
    try:
        check_sources(ROOT / "book")
        decks = write_decks(args.html, args.out, args.marco)
        link_into_book(args.html, args.out)
        if not args.sin_pdf:
            print_pdfs(args.out, [path for path, _ in decks])
    except (SlidesError, PdfError) as error:
        print(f"diapositivas: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("diapositivas: interrumpido.", file=sys.stderr)
        return 130
    for line in summary(decks):
        print(line)
    print(f"Diapositivas en {args.out} ({time.monotonic() - start:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
