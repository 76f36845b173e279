"""Revisión de los PDF del libro y de los cuadernillos por capítulo.

Comprueba, con las herramientas de poppler (pdfinfo, pdftotext, pdffonts)
y el log de LaTeX:
- que el número de páginas sea plausible;
- que cada título de capítulo aparezca en el texto (y, en un cuadernillo,
  su «Capítulo N»), y las etiquetas Keras y PyTorch donde hay pestañas;
- que ninguna línea de código desborde el margen («Overfull \\hbox» con
  la fuente monoespaciada en el log) ni quede texto fuera de la página;
- que no queden referencias internas sin resolver (enlaces rotos) ni
  caracteres que ninguna fuente dibuja;
- que todas las fuentes estén incrustadas.

Uso: python tools/check_pdf.py --book _build/latex/esenciales.pdf
         --handouts _build/handouts
Termina con código 1 y la lista de problemas si alguno falla.
"""

import argparse
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from handouts import ROOT, chapter_files, chapter_title  # noqa: E402

MONO_FONT = "DejaVuSansMono"
OVERFULL = re.compile(r"^Overfull \\hbox \((?P<pt>[\d.]+)pt too wide\) "
                      r"(?P<where>.*)$")
MISSING = re.compile(r"^Missing character: There is no (.*) in font (.*)!$",
                     re.M)
UNDEFINED = re.compile(r"(?:LaTeX|pdfTeX) Warning: (?:Hyper )?[Rr]eference "
                       r"`([^']*)' on page \d+ undefined")
BOOK_PAGES = (20, 1500)
HANDOUT_PAGES = (3, 400)


def run(*command):
    """Salida de texto de una herramienta de poppler."""
    return subprocess.run(command, capture_output=True, text=True,
                          check=True).stdout


def page_count(pdf):
    """Número de páginas según pdfinfo."""
    info = run("pdfinfo", str(pdf))
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


def normalized_text(pdf):
    """Texto del PDF con los espacios colapsados."""
    return " ".join(run("pdftotext", str(pdf), "-").split())


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


def unembedded_fonts(pdf):
    """Fuentes que pdffonts informa como no incrustadas."""
    lines = run("pdffonts", str(pdf)).splitlines()[2:]
    bad = []
    for line in lines:
        fields = line.split()
        # columnas finales: emb sub uni object ID
        if len(fields) >= 6 and fields[-5] != "yes":
            bad.append(fields[0])
    return bad


def code_overflows(log):
    """Desbordes de línea en la fuente monoespaciada, según el log."""
    lines = log.read_text(encoding="utf-8", errors="replace").splitlines()
    found = []
    for index, line in enumerate(lines):
        match = OVERFULL.match(line)
        if not match:
            continue
        box = " ".join(lines[index + 1:index + 3])
        if MONO_FONT in box:
            found.append(f"{match['pt']}pt {match['where']}: {box[:90]}")
    return found


def missing_characters(log):
    """Caracteres que ninguna fuente pudo dibujar (texto perdido)."""
    text = log.read_text(encoding="utf-8", errors="replace")
    return sorted({f"{char} ({font})" for char, font in MISSING.findall(text)})


def undefined_references(log):
    """Referencias internas que LaTeX no pudo resolver."""
    text = log.read_text(encoding="utf-8", errors="replace")
    return sorted(set(UNDEFINED.findall(text)))


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


def check_pdf(pdf, log, titles, pages, tab_labels):
    """Problemas de un PDF; lista vacía si todo está bien."""
    if not pdf.exists():
        return [f"{pdf}: no existe"]
    problems = []
    count = page_count(pdf)
    if not pages[0] <= count <= pages[1]:
        problems.append(f"{pdf.name}: {count} páginas, fuera de {pages}")
    text = normalized_text(pdf)
    folded = text.casefold()
    for title in titles:
        plain = " ".join(title.replace("*", "").replace("`", "").split())
        if plain.casefold() not in folded:
            problems.append(f"{pdf.name}: falta el título «{title}»")
    if tab_labels:
        for label in ("Keras", "PyTorch"):
            if label not in text:
                problems.append(f"{pdf.name}: falta la etiqueta {label}")
    for font in unembedded_fonts(pdf):
        problems.append(f"{pdf.name}: fuente sin incrustar {font}")
    outside = text_outside_page(pdf)
    if outside:
        problems.append(f"{pdf.name}: texto fuera de la página: "
                        f"{outside[:5]}")
    if not log.exists():
        problems.append(f"{log}: no existe el log de LaTeX")
        return problems
    for overflow in code_overflows(log):
        problems.append(f"{pdf.name}: código desborda {overflow}")
    for missing in missing_characters(log):
        problems.append(f"{pdf.name}: carácter sin fuente {missing}")
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--book", type=Path,
                        default=ROOT / "_build" / "latex" / "esenciales.pdf")
    parser.add_argument("--handouts", type=Path,
                        default=ROOT / "_build" / "handouts")
    args = parser.parse_args(argv)
    chapters = chapter_files(ROOT / "_toc.yml")
    problems = check_pdf(args.book, args.book.with_suffix(".log"),
                         toc_titles(), BOOK_PAGES,
                         any(has_tabs(chapter) for chapter in chapters))
    if args.book.with_suffix(".log").exists():
        for ref in undefined_references(args.book.with_suffix(".log")):
            problems.append(f"{args.book.name}: referencia rota {ref}")
    summary = [f"{args.book.name}: {page_count(args.book)} páginas"
               if args.book.exists() else ""]
    for number, chapter in enumerate(chapters, start=1):
        name = f"capitulo-{number:02d}"
        pdf = args.handouts / f"{name}.pdf"
        title = chapter_title(ROOT / f"{chapter}.md")
        problems += check_pdf(pdf, args.handouts / "logs" / f"{name}.log",
                              [title, f"Capítulo {number}"], HANDOUT_PAGES,
                              has_tabs(chapter))
        if pdf.exists():
            summary.append(f"{pdf.name}: {page_count(pdf)} páginas")
    print("\n".join(line for line in summary if line))
    if problems:
        print("\nProblemas en los PDF:", *problems, sep="\n  ")
        return 1
    print("PDF en orden: títulos, páginas, código, enlaces y fuentes.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
