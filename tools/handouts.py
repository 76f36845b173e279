"""Cuadernillos en PDF, uno por capítulo, cortados del LaTeX del libro.

No se vuelve a construir nada con Sphinx: cada cuadernillo toma del
LaTeX que escribió «make pdf» (en _build/latex) el preámbulo y un
capítulo, y LaTeX lo compone con los números del libro. Las referencias
a otros capítulos (ecuaciones, figuras, ejercicios) se resuelven con el
.aux del libro (paquete xr-hyper), de modo que el cuadernillo dice
«ecuación (3.4)» y «capítulo 3 («Redes neuronales»)» como el libro.

Tres tipos de cuadernillo, uno por capítulo:
- capitulo-NN: el capítulo con las páginas que tiene en el libro (sin
  portada: «p. 71» es la misma página en el libro y en el cuadernillo),
  las referencias que cita, una vez, al final, y el colofón;
- resumen-NN: una hoja: la sección «Resumen» del capítulo (su única
  fuente), las obras que cita, cada fórmula clave con una línea sobre sus
  símbolos, tres preguntas de repaso y una figura a todo el ancho, según
  book/resumenes.yml;
- soluciones-NN y soluciones (todas, apéndices incluidos), solo si el
  LaTeX es de la edición docente: cada solución tras el enunciado de su
  ejercicio, sin portada ni página por capítulo.

Uso: python tools/handouts.py [--latex _build/latex] [--out DIR]
         [--tipo capitulo|resumen|soluciones] [4 5 ...]
"""

import argparse
import base64
import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

import ediciones
from esenciales.figures.screens import SHEET_SUFFIX

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS_CAPTION = "Capítulos"
APPENDICES_CAPTION = "Apéndices"
BOOK = "esenciales"
DOC_LABEL = re.compile(r"\\label\{\\detokenize\{([^{}]+)::doc\}\}")
LABEL = re.compile(r"\\label\{\\detokenize\{([^{}]+)\}\}|\\label\{([^{}]+)\}")
AUX_LABEL = re.compile(r"^\\newlabel\{(?P<name>[^{}]+)\}"
                       r"\{\{(?P<number>[^{}]*)\}\{(?P<page>[^{}]*)\}"
                       r".*\{(?P<anchor>[^{}]*)\}\{[^{}]*\}\}$")
BIBITEM = re.compile(r"^\\bibitem\[.*?\]\{(.+?)\}", re.M)
SECTION = re.compile(r"^\\section\*?\{", re.M)
# La figura más interna: las gemelas van dentro de otro entorno figure.
FIGURE = re.compile(r"\\begin\{figure\}(?:(?!\\begin\{figure\}).)*?"
                    r"\\end\{figure\}", re.S)
EQUATION = re.compile(
    r"\\begin\{(equation|align|gather|multline)\*?\}.*?"
    r"\\end\{\1\*?\}", re.S)


def chapter_files(toc_path):
    """Archivos (sin extensión) de la parte «Capítulos» de _toc.yml."""
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    for part in toc.get("parts", []):
        if part.get("caption") == CHAPTERS_CAPTION:
            return [entry["file"] for entry in part["chapters"]]
    raise SystemExit(f"_toc.yml no tiene la parte «{CHAPTERS_CAPTION}»")


def appendix_files(toc_path):
    """Archivos (sin extensión) de la parte «Apéndices» de _toc.yml."""
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    for part in toc.get("parts", []):
        if part.get("caption") == APPENDICES_CAPTION:
            return [entry["file"] for entry in part["chapters"]]
    return []


def chapter_title(source):
    """Primer título de nivel 1 de un capítulo MyST."""
    for line in source.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    raise SystemExit(f"{source} no tiene un título «# ...»")


def latex_escape(text):
    """Escapa los caracteres especiales de LaTeX de un texto simple."""
    special = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
               "_": r"\_", "{": r"\{", "}": r"\}"}
    return "".join(special.get(char, char) for char in text)


class Book:
    """El LaTeX del libro partido en preámbulo, capítulos y bibliografía."""

    def __init__(self, latex_dir):
        self.latex_dir = latex_dir.resolve()
        # Fuentes de los cuadernillos fuera de _build/latex: el Makefile de
        # Sphinx compone todo .tex que encuentre allí.
        self.dir = self.latex_dir.parent / "cuadernillos"
        self.dir.mkdir(parents=True, exist_ok=True)
        tex = (latex_dir / f"{BOOK}.tex").read_text(encoding="utf-8")
        self.preamble, body = tex.split("\\begin{document}", 1)
        body = body.rsplit("\\end{document}", 1)[0]
        self.chapters = {}
        starts = [(match.group(1), body.rfind("\\chapter", 0, match.start()))
                  for match in DOC_LABEL.finditer(body)]
        starts = [(name, start) for name, start in starts if start >= 0]
        for (docname, start), (_, end) in zip(
                starts, starts[1:] + [(None, len(body))]):
            chunk = body[start:end]
            # Lo que sigue al capítulo y ya no es suyo (partes, apéndices).
            chunk = re.split(r"\n\\(?:part\{|appendix\b|renewcommand"
                             r"\{\\indexname\})", chunk)[0]
            self.chapters[docname] = chunk
        aux = latex_dir / f"{BOOK}.aux"
        self.aux = aux.read_text(encoding="utf-8", errors="replace") \
            if aux.exists() else ""

    def bibliography(self, cited):
        """Entradas de la bibliografía del libro que cita un texto."""
        for chunk in self.chapters.values():
            if "\\begin{sphinxthebibliography}" in chunk:
                break
        else:
            return ""
        head, rest = chunk.split("\\begin{sphinxthebibliography}", 1)
        rest = rest.split("\\end{sphinxthebibliography}", 1)[0]
        width, items = rest.split("\n", 1)
        entries = re.split(r"(?=^\\bibitem)", items, flags=re.M)
        kept = [entry for entry in entries
                if (match := BIBITEM.match(entry)) and match.group(1) in cited]
        if not kept:
            return ""
        return ("\\begin{sphinxthebibliography}" + width + "\n"
                + "".join(kept) + "\\end{sphinxthebibliography}\n")

    def external_labels(self, text, name):
        """Un .aux con las etiquetas del libro que el texto no define.

        De cada etiqueta queda el número, la página y el ancla: los títulos
        de los términos del glosario traen cajas de LaTeX que xr no lee.
        """
        own = {a or b for a, b in LABEL.findall(text)}
        lines = []
        for line in self.aux.splitlines():
            match = AUX_LABEL.match(line)
            if match and match["name"] not in own:
                lines.append(f"\\newlabel{{{match['name']}}}{{{{"
                             f"{match['number']}}}{{{match['page']}}}{{}}"
                             f"{{{match['anchor']}}}{{}}}}")
        path = self.dir / f"{name}-libro.aux"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path.stem

    def label_number(self, label):
        """Número que el libro dio a una etiqueta («4.3»), o None."""
        match = re.search(r"^\\newlabel\{" + re.escape(label)
                          + r"\}\{\{([^{}]*)\}", self.aux, re.M)
        return match.group(1) if match else None

    def label_page(self, label):
        """Página del libro en que está una etiqueta, o None."""
        match = re.search(r"^\\newlabel\{" + re.escape(label)
                          + r"\}\{\{[^{}]*\}\{(\d+)\}", self.aux, re.M)
        return int(match.group(1)) if match else None


def cited_keys(text):
    """Claves de las obras citadas en un texto (destinos de sus enlaces)."""
    return set(re.findall(r"\\hyperlink\{cite\.([^{}]+)\}", text))


def document(book, name, subtitle, body, references="", start="portada",
             margins=None):
    """Un documento: preámbulo del libro y su comienzo.

    start: «portada» (una página de portada), «encabezado» (título y
    colofón sobre el texto de la primera página) o «capitulo» (el capítulo
    en la primera página y el colofón al final). margins: márgenes
    (vertical, horizontal) en cm de una hoja suelta; None, los del libro.
    """
    external = book.external_labels(body, name)
    preamble = book.preamble.replace(
        "\\documentclass", "\\RequirePackage{xr-hyper}\n\\documentclass", 1)
    preamble += (f"\\graphicspath{{{{{book.latex_dir}/}}}}\n"
                 f"\\externaldocument{{{external}}}\n"
                 f"\\renewcommand{{\\esencialessubtitulo}}"
                 f"{{{latex_escape(subtitle)}}}\n")
    if margins:
        preamble += (f"\\geometry{{vmargin={margins[0]}cm,"
                     f"hmargin={margins[1]}cm,footskip=0.7cm}}\n")
    refs = ""
    if references:
        refs = ("\\section*{Referencias}\\markright{Referencias}\n"
                + references)
    opening = {"portada": "\\esencialesportadabreve\n",
               "encabezado": "\\esencialesencabezado\n",
               "capitulo": ""}[start]
    closing = ("\\par\\vspace{1em}\\noindent{\\footnotesize "
               "\\esencialescolofon\\par}\n" if start == "capitulo" else "")
    return (preamble + "\\begin{document}\n" + opening
            + "\\pagestyle{normal}\n" + body + "\n" + refs + closing
            + "\\end{document}\n")


def chapter_body(number, chunk, page=None):
    """El capítulo con el número y, si se conoce, la página del libro."""
    first = f"\\setcounter{{page}}{{{page}}}\n" if page else ""
    return (f"\\setcounter{{chapter}}{{{number - 1}}}\n"
            "\\pagenumbering{arabic}\n" + first + chunk)


def section(chunk, title):
    """Texto de la primera sección cuyo título empieza por title."""
    starts = [m.start() for m in SECTION.finditer(chunk)] + [len(chunk)]
    for start, end in zip(starts, starts[1:]):
        head = chunk[start:chunk.find("\n", start)]
        if re.match(r"\\section\*?\{" + re.escape(title), head):
            return chunk[start:end]
    return None


def labelled(chunk, pattern, key):
    """Entornos del capítulo (figuras, ecuaciones) con la etiqueta key."""
    for match in pattern.finditer(chunk):
        for a, b in LABEL.findall(match.group(0)):
            if (a or b).endswith(f":{key}"):
                return match.group(0), a or b
    raise SystemExit(f"book/resumenes.yml: no hay «{key}» en el capítulo")


def numbered(book, block, label, counter):
    """Un entorno copiado con el mismo número que tiene en el libro."""
    number = book.label_number(label)
    if not number:
        return block
    last = int(number.split(".")[-1])
    return f"\\setcounter{{{counter}}}{{{last - 1}}}\n{block}\n"


CITATION = re.compile(r"\\hyperlink\{cite\.[^{}]+\}\{((?:[^{}]|\{[^{}]*\})*)\}")
# Lo que se prueba, en orden, para que una hoja de resumen quepa en una
# página con su figura a todo el ancho: la letra y los márgenes (cm)
# verticales y horizontales de la hoja. Si ninguno alcanza, queda el último
# y «make check-pdf» informa la hoja de dos páginas.
SHEET_TRIES = (("small", 2.0, 2.0), ("small", 1.5, 1.6),
               ("footnotesize", 1.5, 1.6), ("footnotesize", 1.4, 1.4))
# La figura de la hoja va al final, a todo el ancho salvo que no quepa en
# lo que queda de la página (menos las líneas de su leyenda): el log anota
# su ancho impreso («esenciales-figura-resumen: 480.0pt de 487.8pt») y
# check_pdf exige al menos SHEET_FIGURE_WIDTH del ancho del texto.
SHEET_FIGURE_MARK = "esenciales-figura-resumen"
SHEET_FIGURE_WIDTH = 0.95
SHEET_FIGURE_WIDTHS = re.compile(re.escape(SHEET_FIGURE_MARK)
                                 + r": ([\d.]+)pt de ([\d.]+)pt")
CAPTION_COLUMNS = 120
GLUE_FIGURE = re.compile(r"^[`:]{3,}\{glue:figure\} (?P<key>\S+)\n"
                         r"(?:^:(?!name:).*\n)*^:name: (?P<label>\S+)$",
                         re.M)
WIDE_VERSION = re.compile(rf"^%{ediciones.WIDE_VERSION}: (\S+)$", re.M)
"""El comentario del LaTeX que nombra la versión ancha de una figura
impresa en media página con la angosta (``tools/ediciones.py``)."""


def caption_lines(block):
    """Líneas (por lo alto) de la leyenda de una figura en la hoja."""
    match = re.search(r"\\caption\{(.*)\}", block, re.S)
    text = re.sub(r"\\[A-Za-z]+|[{}]", "", match.group(1)) if match else ""
    return 2 + len(text) // CAPTION_COLUMNS


def figure_share(log_text):
    """Fracción del ancho del texto que ocupa la figura de una hoja, según
    su log; 0 si no la tiene."""
    widths = SHEET_FIGURE_WIDTHS.findall(log_text)
    return min((float(a) / float(b) for a, b in widths), default=0.0)


def summary_figure(book, chunk, key):
    """La figura de una hoja de resumen: a todo el ancho salvo que no quepa
    en lo que queda de la página, en el lugar donde va, sin flotar; el log
    anota su ancho impreso frente al ancho del texto.

    La busca en el capítulo y, si no está allí (el capítulo de
    conclusiones no tiene figuras propias), en el resto del libro: conserva
    el número que tiene en el libro. key puede ser una lista: la primera
    que imprime la edición (las gemelas de una pestaña Keras | PyTorch).
    """
    keys = [key] if isinstance(key, str) else list(key)
    places = [chunk, *book.chapters.values()]
    found = None
    for name in keys:
        for place in places:
            try:
                found = labelled(place, FIGURE, name)
                break
            except SystemExit:
                continue
        if found:
            break
    if found is None:
        raise SystemExit(f"book/resumenes.yml: no hay «{keys[0]}» en el "
                         "libro")
    block, label = found
    block = re.sub(r"\\begin\{figure\}(\[[^]]*\])?", r"\\begin{figure}[H]",
                   block, count=1)
    # La versión de la hoja, si el capítulo la pegó; si no, la de la
    # página (no la angosta que el libro imprime en media página).
    wide = WIDE_VERSION.search(block)
    image = sheet_version(book, name) or (wide and wide[1])
    if image:
        block = re.sub(r"(\\sphinxincludegraphics(?:\[[^]]*\])?)"
                       r"\{(?:\{[^{}]*\})?[^{}]*\}",
                       lambda match: f"{match[1]}{{{image}}}", block,
                       count=1)
    height = (r"\dimexpr\pagegoal-\pagetotal-"
              f"{caption_lines(block) + 1}\\baselineskip\\relax")
    block = re.sub(
        r"\\sphinxincludegraphics(\[[^]]*\])?\{((?:\{[^{}]*\})?[^{}]*)\}",
        lambda match: (
            r"\sbox0{\sphinxincludegraphics[width=\linewidth,"
            f"height={height},keepaspectratio]{{{match[2]}}}}}%\n"
            f"\\typeout{{{SHEET_FIGURE_MARK}: \\the\\wd0 \\space de "
            "\\the\\linewidth}\\usebox0 "),
        block, count=1)
    return numbered(book, block, label, "figure")


def sheet_version(book, label):
    """El archivo de la versión para la hoja de la figura ``label``, si
    el capítulo la pegó (``glue_figure(..., sheet=...)``): se escribe
    junto a las hojas, desde lo que pegó el capítulo al ejecutarse. None
    si no la hay."""
    for source in sorted((ROOT / "book").glob("*.md")):
        for match in GLUE_FIGURE.finditer(source.read_text(encoding="utf-8")):
            if match["label"] != label:
                continue
            glued = (book.latex_dir.parent / "jupyter_execute" / "book"
                     / f"{source.stem}.glue.json")
            outputs = (json.loads(glued.read_text(encoding="utf-8"))
                       if glued.exists() else {})
            version = outputs.get(match["key"] + SHEET_SUFFIX)
            if version is None:
                return None
            path = book.dir / f"{match['key']}{SHEET_SUFFIX}.pdf"
            path.write_bytes(base64.b64decode(
                version["data"]["application/pdf"]))
            return path.name
    return None


# Una hoja de resumen en letra chica, con títulos y fórmulas apretados.
SHEET_STYLE = r"""\{size}
\setlength{\abovedisplayskip}{3pt plus 1pt}
\setlength{\belowdisplayskip}{3pt plus 1pt}
\makeatletter
\titleformat*{\section}{\large\py@HeaderFamily\py@TitleColor}
\makeatother
\titlespacing*{\section}{0pt}{8pt plus 2pt}{3pt}
"""
# Una fórmula con alineaciones o dos partes ocupa todo el ancho.
WIDE_FORMULA = re.compile(r"\\begin\{(?:aligned|align)|\\qquad|underbrace")


def sheet_text(text):
    """Texto de book/resumenes.yml para LaTeX: *así* en cursiva."""
    return re.sub(r"(?<![*\w])\*([^*\n]+)\*(?![*\w])", r"\\emph{\1}", text)


def formula_grid(formulas):
    """Fórmulas con la línea de sus símbolos debajo, de a dos por fila (las
    anchas, solas)."""
    cells, row = [], []

    def flush():
        if row:
            cells.append("\\noindent" + "\\hfill\n".join(row)
                         + "\\par\\smallskip\n")
            row.clear()

    for block, symbols in formulas:
        text = (f"{block}\n\\noindent{{\\footnotesize "
                f"{sheet_text(symbols)}}}\\par\n")
        if WIDE_FORMULA.search(block):
            flush()
            cells.append("\\noindent\\begin{minipage}[t]{\\linewidth}\n"
                         + text + "\\end{minipage}\\par\\smallskip\n")
            continue
        row.append("\\begin{minipage}[t]{0.485\\linewidth}\n" + text
                   + "\\end{minipage}")
        if len(row) == 2:
            flush()
    flush()
    return "".join(cells)


def summary_body(book, number, title, chunk, keys, size="small"):
    """Hoja de resumen: ideas (sección «Resumen»), obras citadas, fórmulas
    con sus símbolos, preguntas de repaso y una figura a todo el ancho."""
    ideas = section(chunk, "Resumen")
    if ideas is None:
        raise SystemExit(f"El capítulo {number} no tiene sección «Resumen»")
    ideas = ideas[ideas.find("\n"):]
    cited = cited_keys(ideas)
    ideas = CITATION.sub(r"\1", ideas)
    parts = [f"\\setcounter{{chapter}}{{{number}}}\n",
             SHEET_STYLE.replace("{size}", size),
             "\\section*{Ideas clave}", ideas]
    works = book.bibliography(cited)
    if works:
        parts += ["\\par{\\footnotesize\\noindent\\textbf{Obras citadas}"
                  "\\par\\nopagebreak\\setlength{\\itemsep}{0pt}\n",
                  works, "\\par}\n"]
    formulas = [(numbered(book, *labelled(chunk, EQUATION, key), "equation"),
                 symbols)
                for key, symbols in (keys.get("ecuaciones") or {}).items()]
    if formulas:
        parts += ["\\section*{Fórmulas clave}\n", formula_grid(formulas)]
    questions = keys.get("preguntas") or []
    if questions:
        parts += ["\\section*{Preguntas de repaso}\n\\begin{enumerate}\n",
                  *(f"\\item {sheet_text(question)}\n"
                    for question in questions),
                  "\\end{enumerate}\n"]
    if keys.get("figura"):
        parts.append(summary_figure(book, chunk, keys["figura"]))
    return "".join(parts)


def solutions_body(label, title, chunk, appendix=False):
    """La sección «Soluciones» de un capítulo (o apéndice) de la edición
    docente, bajo un título de sección: sin página propia."""
    start = chunk.find("\\esencialessoluciones")
    if start < 0:
        return None
    body = chunk[start + len("\\esencialessoluciones"):]
    kind = "Apéndice" if appendix else "Capítulo"
    return (f"\\renewcommand{{\\thechapter}}{{{label}}}\n"
            f"\\section*{{{kind} {label}: {latex_escape(title)}}}"
            f"\\markright{{{kind} {label}}}\n" + body)


def pdf_pages(log):
    """Páginas que LaTeX dice haber escrito («Output written on … (2
    pages»)."""
    text = log.read_text(encoding="utf-8", errors="replace") \
        if log.exists() else ""
    match = re.search(r"Output written on .*?\((\d+)\s+p", text, re.S)
    return int(match.group(1)) if match else 0


def compile_pdf(book, name, out):
    """Compone name.tex con latexmk (xelatex) y copia PDF y log a out.

    Los paquetes de Sphinx y las imágenes se buscan en el LaTeX del libro.
    """
    latex_dir = book.dir
    env = {**os.environ,
           "TEXINPUTS": f"{book.latex_dir}{os.pathsep}"
                        + os.environ.get("TEXINPUTS", "")}
    result = subprocess.run(
        ["latexmk", "-xelatex", "-interaction=nonstopmode", "-halt-on-error",
         "-f", f"{name}.tex"],
        cwd=latex_dir, capture_output=True, text=True, env=env)
    log = latex_dir / f"{name}.log"
    if log.exists():
        (out / "logs").mkdir(parents=True, exist_ok=True)
        shutil.copy(log, out / "logs" / f"{name}.log")
    pdf = latex_dir / f"{name}.pdf"
    if result.returncode != 0 or not pdf.exists():
        sys.stdout.write(result.stdout[-3000:])
        raise SystemExit(f"Falló el cuadernillo {name} (log en "
                         f"{out / 'logs' / (name + '.log')})")
    shutil.copy(pdf, out / f"{name}.pdf")
    return out / f"{name}.pdf"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("chapters", nargs="*", type=int,
                        help="números de capítulo (por omisión, todos)")
    parser.add_argument("--latex", type=Path,
                        default=ROOT / "_build" / "latex",
                        help="LaTeX del libro (make pdf)")
    parser.add_argument("--out", type=Path,
                        default=ROOT / "_build" / "handouts")
    parser.add_argument("--edicion", default="estudiante",
                        choices=("estudiante", "docente"),
                        help="edición del LaTeX de --latex (la docente suma "
                             "los cuadernillos de soluciones)")
    parser.add_argument("--tipo", choices=("capitulo", "resumen",
                                           "soluciones"),
                        action="append",
                        help="tipos de cuadernillo (por omisión, capítulo "
                             "y resumen, y soluciones en la edición docente)")
    args = parser.parse_args(argv)
    kinds = args.tipo or ["capitulo", "resumen"] + (
        ["soluciones"] if args.edicion == "docente" else [])
    files = chapter_files(ROOT / "_toc.yml")
    appendices = appendix_files(ROOT / "_toc.yml")
    if not (args.latex / f"{BOOK}.tex").exists():
        raise SystemExit(f"No existe {args.latex / BOOK}.tex: "
                         "primero «make pdf»")
    book = Book(args.latex)
    edition = "Edición " + ("docente" if args.edicion == "docente"
                            else "del estudiante")
    if edition not in book.preamble:
        raise SystemExit(f"{args.latex / BOOK}.tex no es de la edición "
                         f"«{args.edicion}»: make pdf EDICION={args.edicion}")
    summaries = yaml.safe_load(
        (ROOT / "book" / "resumenes.yml").read_text(encoding="utf-8")) or {}
    numbers = args.chapters or range(1, len(files) + 1)
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    all_solutions = []
    for number in numbers:
        if not 1 <= number <= len(files):
            raise SystemExit(f"No existe el capítulo {number}")
        docname = files[number - 1]
        title = chapter_title(ROOT / f"{docname}.md")
        chunk = book.chapters.get(docname)
        if chunk is None:
            raise SystemExit(f"{docname} no está en {BOOK}.tex")
        jobs = []
        if "capitulo" in kinds:
            page = book.label_page(f"{docname}::doc")
            jobs.append((f"capitulo-{number:02d}",
                         f"Capítulo {number}: {title}",
                         chapter_body(number, chunk, page),
                         book.bibliography(cited_keys(chunk)), "capitulo"))
        if "resumen" in kinds:
            keys = summaries.get(Path(docname).name) or {}
            jobs.append((f"resumen-{number:02d}",
                         f"Resumen del capítulo {number}: {title}",
                         [(summary_body(book, number, title, chunk, keys,
                                        size), (vertical, horizontal))
                          for size, vertical, horizontal in SHEET_TRIES],
                         "", "encabezado"))
        if "soluciones" in kinds:
            body = solutions_body(number, title, chunk)
            if body is None:
                raise SystemExit("Las soluciones salen del LaTeX de la "
                                 "edición docente: make pdf EDICION=docente")
            all_solutions.append(body)
            jobs.append((f"soluciones-{number:02d}",
                         f"Soluciones del capítulo {number}: {title}",
                         body, "", "encabezado"))
        for name, subtitle, bodies, refs, start in jobs:
            started = time.perf_counter()
            # Una hoja de resumen prueba letras y márgenes cada vez más
            # chicos hasta que su figura va a todo el ancho; si ninguno
            # alcanza, queda el que la imprime más ancha.
            tries = bodies if isinstance(bodies, list) else [(bodies, None)]
            best = None
            for body, margins in tries:
                tex = document(book, name, subtitle, body, refs, start,
                               margins)
                (book.dir / f"{name}.tex").write_text(tex, encoding="utf-8")
                pdf = compile_pdf(book, name, out)
                log = book.dir / f"{name}.log"
                if len(tries) == 1:
                    break
                share = figure_share(log.read_text(encoding="utf-8",
                                                   errors="replace"))
                if pdf_pages(log) <= 1 and (best is None or share > best[0]):
                    best = (share, tex)
                if best and best[0] >= SHEET_FIGURE_WIDTH:
                    break
            else:
                if best:
                    (book.dir / f"{name}.tex").write_text(best[1],
                                                          encoding="utf-8")
                    pdf = compile_pdf(book, name, out)
            print(f"{pdf.relative_to(out.parent)}: «{subtitle}» "
                  f"({time.perf_counter() - started:.0f} s)")
    if "soluciones" in kinds and not args.chapters:
        for docname in appendices:
            chunk = book.chapters.get(docname, "")
            letter = book.label_number(f"{docname}::doc")
            body = solutions_body(letter, chapter_title(ROOT / f"{docname}.md"),
                                  chunk, appendix=True)
            if body is not None:
                all_solutions.append(body)
        name = "soluciones"
        (book.dir / f"{name}.tex").write_text(
            document(book, name, "Soluciones de los ejercicios",
                     "\n".join(all_solutions), start="encabezado"),
            encoding="utf-8")
        pdf = compile_pdf(book, name, out)
        print(f"{pdf.relative_to(out.parent)}: todas las soluciones")


if __name__ == "__main__":
    main()
