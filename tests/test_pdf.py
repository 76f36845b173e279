"""Las piezas de tools/handouts.py, tools/check_pdf.py y tools/ediciones.py
que no necesitan LaTeX: corte del LaTeX del libro en capítulos, referencias
de cada cuadernillo, etiquetas externas, lectura del log y del texto, y las
transformaciones de la edición impresa sobre árboles de docutils."""

import base64
import json
import re
import sys
import types
from pathlib import Path

import pytest
from docutils import nodes
from sphinx import addnodes

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import check_pdf  # noqa: E402
import ediciones  # noqa: E402
import handouts  # noqa: E402

BUILDER = types.SimpleNamespace(images={},
                                env=types.SimpleNamespace(images={}))
"""Un constructor de LaTeX sin imágenes (para ``print_tabs``)."""

LOG = r"""
Overfull \hbox (143.04749pt too wide) in paragraph at lines 260--260
[]\TU/DejaVuSansMono(0)/m/n/10 "[][]print("una línea de código muy larga
[][]
Overfull \hbox (3.1pt too wide) in paragraph at lines 12--14
[]\TU/FreeSerif(0)/m/n/10.95 Un párrafo con una palabra larguísima
LaTeX Warning: Reference `book/04_cnn:fig-filtros' on page 19 undefined on input line 198.
LaTeX Warning: Hyper reference `book/04_cnn:fig-filtros' on page 19 undefined on input line 198.
"""

TEX = r"""\documentclass{sphinxmanual}
\newcommand{\esencialessubtitulo}{}
\begin{document}
\sphinxmaketitle
\phantomsection\label{\detokenize{book/prefacio::doc}}
Prefacio.
\part{Capítulos}
\sphinxstepscope
\chapter{Uno}
\label{\detokenize{book/01_uno:cap-uno}}\label{\detokenize{book/01_uno::doc}}
Texto \hyperlink{cite.book/bibliografia:kaplan}{Kaplan, 2020} y
\hyperref[\detokenize{book/02_dos:cap-dos}]{capítulo 2 («Dos»)}.
\begin{equation}\label{equation:book/01_uno:eq-a}
a = b
\end{equation}
\section{Resumen}
\label{\detokenize{book/01_uno:resumen}}
Ideas.
\begin{figure}[H]
\noindent\sphinxincludegraphics{{a}.pdf}
\caption{Una figura}\label{\detokenize{book/01_uno:fig-a}}
\end{figure}
\section{Ejercicios}
Ejercicios.
\esencialessoluciones
Soluciones.
\sphinxstepscope
\chapter{Dos}
\label{\detokenize{book/02_dos:cap-dos}}\label{\detokenize{book/02_dos::doc}}
Dos, con \(\partial y\) al comienzo de una línea:
\partial y.
\part{Apéndices}
\appendix
\sphinxstepscope
\chapter{Bibliografía}
\label{\detokenize{book/bibliografia::doc}}
\begin{sphinxthebibliography}{Kaplan}
\bibitem[Kaplan]{book/bibliografia:kaplan}
Kaplan y otros.
\bibitem[Otro]{book/bibliografia:otro}
Otro.
\end{sphinxthebibliography}
\end{document}
"""

AUX = r"""\relax
\newlabel{book/01_uno:cap-uno}{{1}{3}{Uno}{chapter.1}{}}
\newlabel{equation:book/01_uno:eq-a}{{1.1}{3}{}{equation.1.1}{}}
\newlabel{book/01_uno:fig-a}{{1.2}{4}{}{figure.1.2}{}}
\newlabel{book/02_dos:cap-dos}{{2}{9}{Dos}{chapter.2}{}}
"""


@pytest.fixture
def book(tmp_path):
    (tmp_path / "esenciales.tex").write_text(TEX, encoding="utf-8")
    (tmp_path / "esenciales.aux").write_text(AUX, encoding="utf-8")
    return handouts.Book(tmp_path)


def test_the_book_is_cut_at_each_chapter(book):
    assert list(book.chapters) == ["book/01_uno", "book/02_dos",
                                   "book/bibliografia"]
    assert book.chapters["book/01_uno"].startswith(r"\chapter{Uno}")
    # La parte siguiente y \appendix no son del capítulo 2.
    assert r"\part{" not in book.chapters["book/02_dos"]
    assert r"\appendix" not in book.chapters["book/02_dos"]
    assert "\\partial y." in book.chapters["book/02_dos"]


def test_a_handout_lists_only_the_works_its_chapter_cites(book):
    chunk = book.chapters["book/01_uno"]
    refs = book.bibliography(handouts.cited_keys(chunk))
    assert "Kaplan y otros" in refs and "Otro." not in refs
    assert book.bibliography(set()) == ""


def test_external_labels_leave_out_those_the_handout_defines(book):
    stem = book.external_labels(book.chapters["book/01_uno"], "capitulo-01")
    aux = (book.dir / f"{stem}.aux").read_text(encoding="utf-8")
    assert "cap-dos" in aux
    assert "eq-a" not in aux and "cap-uno" not in aux


def test_summary_keeps_book_numbers_for_formulas_and_figures(book):
    keys = {"ecuaciones": {"eq-a": "$a$: una cosa; $b$: otra."},
            "figura": "fig-a",
            "preguntas": ["¿Uno?", "¿Dos?", "¿Tres?"]}
    body = handouts.summary_body(book, 1, "Uno",
                                 book.chapters["book/01_uno"], keys)
    assert body.startswith(r"\setcounter{chapter}{1}")
    assert r"\section*{Ideas clave}" in body and "Ideas." in body
    assert "Ejercicios." not in body
    assert r"\setcounter{equation}{0}" in body
    assert "$a$: una cosa; $b$: otra." in body
    assert body.count(r"\item ") == 3
    assert r"\setcounter{figure}{1}" in body
    # La figura va a todo el ancho, en su lugar, y el log anota su ancho.
    assert r"\begin{figure}[H]" in body
    # Todo el ancho, salvo que no quepa en lo que queda de la página menos
    # la leyenda («Una figura»: dos líneas y una de aire).
    assert (r"\sphinxincludegraphics[width=\linewidth,"
            r"height=\dimexpr\pagegoal-\pagetotal-3\baselineskip\relax,"
            r"keepaspectratio]{{a}.pdf}}") in body
    assert (r"\typeout{esenciales-figura-resumen: \the\wd0 \space de "
            r"\the\linewidth}") in body
    smaller = handouts.summary_body(book, 1, "Uno",
                                    book.chapters["book/01_uno"], keys,
                                    "footnotesize")
    assert "\\footnotesize" in smaller
    assert body.index("¿Tres?") < body.rindex("{a}.pdf")
    with pytest.raises(SystemExit, match="fig-b"):
        handouts.summary_body(book, 1, "Uno", book.chapters["book/01_uno"],
                              {"figura": "fig-b"})


def test_a_summary_resolves_its_citations_on_the_sheet(book):
    chunk = book.chapters["book/01_uno"].replace(
        "Ideas.", r"Ideas \hyperlink{cite.book/bibliografia:kaplan}"
        r"{Kaplan, 2020}.")
    body = handouts.summary_body(book, 1, "Uno", chunk, {})
    assert r"\hyperlink" not in body and "Ideas Kaplan, 2020." in body
    assert "Kaplan y otros" in body and "Otro." not in body


def test_solutions_booklet_takes_the_solutions_section(book):
    body = handouts.solutions_body(1, "Uno", book.chapters["book/01_uno"])
    # Un título de sección, no un capítulo con página propia.
    assert r"\section*{Capítulo 1: Uno}" in body and "Soluciones." in body
    assert r"\chapter" not in body and "Ejercicios." not in body
    assert handouts.solutions_body(2, "Dos",
                                   book.chapters["book/02_dos"]) is None
    appendix = handouts.solutions_body(
        "A", "Terminal", r"\chapter{T}\esencialessoluciones S.",
        appendix=True)
    assert r"\section*{Apéndice A: Terminal}" in appendix


def test_a_chapter_handout_keeps_the_book_page_numbers(book):
    assert book.label_page("book/02_dos:cap-dos") == 9
    body = handouts.chapter_body(2, book.chapters["book/02_dos"], 9)
    assert body.index(r"\pagenumbering{arabic}") < body.index(
        r"\setcounter{page}{9}") < body.index(r"\chapter{Dos}")
    text = handouts.document(book, "capitulo-02", "Capítulo 2: Dos", body,
                             start="capitulo")
    # Sin portada: el capítulo abre la primera página; el colofón, al final.
    assert r"\esencialesportadabreve" not in text
    assert text.index(r"\chapter{Dos}") < text.index(r"\esencialescolofon")


def test_document_has_a_short_cover_and_book_labels(book):
    text = handouts.document(book, "capitulo-01", "Capítulo 1: A & B",
                             "cuerpo", "refs", start="portada")
    assert text.startswith(r"\RequirePackage{xr-hyper}")
    assert r"\externaldocument{capitulo-01-libro}" in text
    assert r"Capítulo 1: A \& B" in text
    assert r"\esencialesportadabreve" in text
    assert text.index("cuerpo") < text.index(r"\section*{Referencias}")


def test_code_overflow_is_found_only_in_monospace():
    found = check_pdf.code_overflows(LOG)
    assert len(found) == 1
    assert found[0].startswith("143.04749pt in paragraph at lines 260--260")


def test_a_table_cell_wider_than_its_column_is_found():
    """«90,2 ± 0,5 %» invadía la columna de al lado (sección 5.9): en una
    tabla, un desborde de texto (no de código) es un problema."""
    log = LOG + ("Overfull \\hbox (15.0806pt too wide) in paragraph at "
                 "lines 300--300\n[]\\TU/FreeSerif(0)/m/n/10.95 90,2 ± "
                 "0,5 %|\n")
    found = check_pdf.table_overflows(log, [(250, 320)])
    assert [item.split(" in ")[0] for item in found] == ["15.0806pt"]
    assert check_pdf.table_overflows(log, [(1, 10)]) == []  # fuera


def test_code_overflow_inside_a_table_is_not_counted():
    tex = "\n".join(["texto"] * 250 + [r"\begin{tabulary}{\linewidth}{LL}"]
                    + ["celda"] * 20 + [r"\end{tabulary}"])
    ranges = check_pdf.table_line_ranges(tex)
    assert ranges == [(251, 272)]
    assert check_pdf.code_overflows(LOG, ranges) == []
    assert len(check_pdf.code_overflows(LOG, [(1, 100)])) == 1


def test_undefined_references_are_listed_once():
    assert sorted(set(check_pdf.UNDEFINED.findall(LOG))) == [
        "book/04_cnn:fig-filtros"]


def test_figure_placeholders_are_caught():
    text = "Figura 1.1: <Figure size 750x460 with 1 Axes> y más"
    assert check_pdf.PLACEHOLDER.findall(text) == [
        "<Figure size 750x460 with 1 Axes>"]
    assert not check_pdf.PLACEHOLDER.findall("una figura bien impresa")


def test_raw_labels_are_caught_but_not_ordinary_words():
    labels = {"cap-panorama", "eq-params", "glosario"}
    text = "el capítulo «cap-panorama» y la ecuación eq-params del glosario"
    assert check_pdf.raw_labels(text, labels) == ["cap-panorama",
                                                  "eq-params"]


def test_source_labels_include_chapters_and_equations():
    labels = check_pdf.source_labels()
    assert {"cap-panorama", "cap-cnn", "eq-params"} <= labels


def test_chapter_start_pages_are_recognised():
    texts = ["Portada", "Capítulo 4\n\nCNN en detalle", "texto", "Referencias",
             "APÉNDICE C\nBibliografía"]
    assert check_pdf.chapter_start_pages(texts) == {1, 3, 4}


def test_only_the_chosen_framework_tab_is_printed():
    def tab_set():
        items = []
        for label, sync in (("Keras", "keras"), ("PyTorch", "torch")):
            rubric = nodes.rubric(label, label, sync_id=sync)
            content = nodes.container(design_component="tab-content")
            content += nodes.paragraph(text=f"código {label}")
            item = nodes.container(design_component="tab-item")
            item += [rubric, content]
            items.append(item)
        tabs = nodes.container(design_component="tab-set",
                               classes=["sd-tab-set"])
        tabs.extend(items)
        tree = nodes.section()
        tree += tabs
        return tree

    tree = tab_set()
    ediciones.print_tabs(tree, "torch", BUILDER)
    assert tree.astext() == "código PyTorch"
    tree = tab_set()
    ediciones.print_tabs(tree, "", BUILDER)
    latex = [n.astext() for n in tree.findall(nodes.raw)]
    assert latex[0] == "\\esencialespestana{Keras}\n"
    text = tree.astext()
    assert "código Keras" in text and "código PyTorch" in text


def test_wide_outputs_get_a_smaller_font():
    cell = nodes.container(classes=["cell_output"])
    cell += nodes.literal_block(text="x" * 120)
    cell += nodes.literal_block(text="corta")
    cell += nodes.literal_block(text="y" * 400)
    cell += nodes.literal_block(text="\x1b[1m" + "z" * 90 + "\x1b[0m")
    ediciones.fit_outputs(cell)
    raws = [n.astext() for n in cell.findall(nodes.raw)]
    # 92 columnas caben a 10 pt: 120 columnas, a 10 · 92 / 120 pt;
    # la más ancha, al mínimo legible. La salida corta no cambia.
    assert raws == [
        "\\begingroup\\fvset{fontsize=\\fontsize{7.67}{9.20}\\selectfont}\n",
        "\\endgroup\n",
        "\\begingroup\\fvset{fontsize=\\fontsize{5.50}{6.60}\\selectfont}\n",
        "\\endgroup\n"]


def test_consecutive_text_outputs_of_a_cell_become_one_block():
    cell = nodes.container(classes=["cell_output"])
    for text in ("┏━━━┓", "┃ a ┃", "┗━━━┛"):
        cell += nodes.literal_block(text, text, classes=["output"])
    cell += nodes.image(uri="figura.pdf")
    cell += nodes.literal_block("aparte", "aparte", classes=["output"])
    ediciones.merge_outputs(cell)
    blocks = [n.astext() for n in cell.findall(nodes.literal_block)]
    assert blocks == ["┏━━━┓\n┃ a ┃\n┗━━━┛", "aparte"]


def test_english_words_are_never_hyphenated():
    words = ediciones.english_words(ROOT)
    assert {"PyTorch", "backend", "dropout"} <= set(words)


def test_every_chapter_has_a_summary_and_its_keys_exist():
    import re

    import yaml
    summaries = yaml.safe_load(
        (ROOT / "book" / "resumenes.yml").read_text(encoding="utf-8"))
    chapters = handouts.chapter_files(ROOT / "_toc.yml")
    assert sorted(summaries) == sorted(Path(c).name for c in chapters)
    for chapter in chapters:
        source = (ROOT / f"{chapter}.md").read_text(encoding="utf-8")
        assert re.search(r"^## Resumen", source, re.M), chapter
        keys = summaries[Path(chapter).name]
        # Tres preguntas; cada fórmula con una línea sobre sus símbolos.
        assert len(keys["preguntas"]) == 3, chapter
        formulas = keys.get("ecuaciones") or {}
        assert all(line.strip() for line in formulas.values()), chapter
        for key in formulas:
            assert re.search(rf"^:(?:label|name): {re.escape(key)}$",
                             source, re.M), (chapter, key)
        # Una figura por hoja: del capítulo o, si no tiene, de otro.
        book = "\n".join((ROOT / f"{other}.md").read_text(encoding="utf-8")
                         for other in chapters)
        figures = keys["figura"]
        figures = [figures] if isinstance(figures, str) else figures
        for figure in figures:
            pattern = rf"^:(?:label|name): {re.escape(figure)}$"
            assert re.search(pattern, book, re.M), (chapter, figure)
            assert re.search(pattern, source, re.M) \
                or not re.search(r"^:name: fig-", source, re.M), chapter


def _chapter_app(docname, number, title, anchor):
    """Una aplicación de Sphinx mínima con un capítulo numerado, para
    ``ediciones.chapter_references``."""
    class Env:
        toc_secnumbers = {docname: {"": (number,)}}
        titles = {docname: nodes.title(text=title)}

    class App:
        env = Env()

    ediciones.top_anchor.__defaults__[0][docname] = {anchor}
    return App()


def test_chapter_words_before_a_reference_are_not_repeated():
    """«el capítulo «X»», «el capítulo X», «del capítulo↵X» y «el
    capítulo↵«X»» en MyST."""
    for pieces in (["el capítulo «", "»."], ["el capítulo ", "."],
                   ["del capítulo", "\n", "."],
                   ["el capítulo", "\n", "«", "»."]):
        paragraph = nodes.paragraph()
        paragraph += nodes.Text(pieces[0])
        for piece in pieces[1:-1]:
            paragraph += nodes.Text(piece)
        paragraph += nodes.reference("", "Panorama",
                                     refuri="%book/02#cap-panorama")
        paragraph += nodes.Text(pieces[-1])

        ediciones.chapter_references(
            _chapter_app("book/02", 2, "Panorama", "cap-panorama"),
            paragraph)
        text = " ".join(paragraph.astext().split())
        assert text in ("el capítulo 2 («Panorama»).",
                        "del capítulo 2 («Panorama»)."), text


def test_a_reference_keeps_the_line_breaks_before_it():
    """Un salto de línea anterior en el párrafo sigue en su sitio: antes
    se borraba el primer «\\n» del párrafo y salía «laCNN»."""
    paragraph = nodes.paragraph()
    for piece in ("Veamos la", "\n", "CNN; se estudia en el capítulo",
                  "\n"):
        paragraph += nodes.Text(piece)
    paragraph += nodes.reference("", "Ejemplos",
                                 refuri="%book/06#cap-ejemplos")
    paragraph += nodes.Text(".")
    ediciones.chapter_references(
        _chapter_app("book/06", 6, "Ejemplos", "cap-ejemplos"), paragraph)
    assert paragraph.astext() == (
        "Veamos la\nCNN; se estudia en el capítulo 6 («Ejemplos»).")


def test_the_first_appendix_comes_after_the_appendix_mark():
    """Sin ``\\appendix`` antes, «lado a lado» se imprimía «Capítulo 8»."""
    chapters = "\\chapter{Conclusiones}\n\\part{Apéndices}\n"
    good = chapters + "\\appendix\n\\chapter{Lado a lado}\n"
    late = chapters + "\\chapter{Lado a lado}\n\\appendix\n" \
        "\\chapter{Terminal}\n"
    assert not check_pdf.misplaced_appendix(good, "Lado a lado")
    assert check_pdf.misplaced_appendix(late, "Lado a lado")
    assert check_pdf.misplaced_appendix(chapters + "\\chapter{Lado a lado}",
                                        "Lado a lado")
    # El preámbulo nombra \appendix (figuras y tablas «A.1»): no cuenta.
    preamble = "\\g@addto@macro\\appendix{}\n\\begin{document}\n"
    assert not check_pdf.misplaced_appendix(preamble + good, "Lado a lado")
    assert check_pdf.misplaced_appendix(
        preamble + chapters + "\\chapter{Lado a lado}", "Lado a lado")


def test_a_chapter_reference_wrapped_twice_is_caught():
    found = check_pdf.DOUBLE_REFERENCE.findall(
        "el capítulo «capítulo 1 («IA, ML y Deep Learning»)» empieza; "
        "el capítulo 2 («Panorama general») no.")
    assert found == ["«capítulo 1 («IA, ML y Deep Learning»)»"]


def test_a_single_framework_edition_declares_only_its_figures():
    source = """
```{glue:figure} fig-a
```
::::{tab-set}
:::{tab-item} Keras
:sync: keras
```{glue:figure} fig-k
```
:::
:::{tab-item} PyTorch
:sync: torch
```{glue:figure} fig-t
```
:::
::::
"""
    assert check_pdf.declared_figures(source) == 3
    assert check_pdf.declared_figures(source, "keras") == 2
    assert check_pdf.declared_figures(source, "torch") == 2


def page_image(width, height, ink_rows):
    """Una página en grises, blanca salvo las filas ink_rows (negras)."""
    pixels = bytearray([255]) * (width * height)
    for row in ink_rows:
        pixels[row * width:(row + 1) * width] = bytes(width)
    return bytes(pixels)


def test_page_fill_follows_the_lowest_ink_not_the_footer():
    # Caja de texto de la fila 10 a la 90; el pie (fila 95) no cuenta.
    full = page_image(20, 100, [12, 88, 95])
    half = page_image(20, 100, [12, 40, 95])
    figure_only = page_image(20, 100, range(15, 75))
    assert check_pdf.ink_fill(20, 100, full, 0.1) == pytest.approx(
        79 / 80)
    assert check_pdf.ink_fill(20, 100, half, 0.1) == pytest.approx(31 / 80)
    assert check_pdf.ink_fill(20, 100, figure_only, 0.1) == pytest.approx(
        65 / 80)
    assert check_pdf.ink_fill(20, 100, page_image(20, 100, [95]), 0.1) == 0


def test_pgm_images_are_read(tmp_path):
    path = tmp_path / "p-1.pgm"
    path.write_bytes(b"P5\n# pdftoppm\n3 2\n255\n" + bytes([0, 255, 9] * 2))
    assert check_pdf.read_pgm(path) == (3, 2, bytes([0, 255, 9] * 2))


def test_half_empty_pages_skip_chapter_ends_and_the_last_page():
    fills = [0.1, 0.95, 0.5, 0.9, 0.3, 0.2]
    # La 0 es la portada y la 4 cierra un capítulo; la última no cuenta.
    assert check_pdf.sparse_pages(fills, {0, 4}, check_pdf.HALF_FILL) == [
        (3, 0.5)]
    assert check_pdf.sparse_pages(fills, set(), check_pdf.MIN_FILL) == [
        (1, 0.1)]


def test_title_only_references_are_caught():
    titles = {"Pérdidas", "Del pipeline al código"}
    text = ("como en la sección «Pérdidas», y en la sección 3.8 («Del "
            "pipeline al código», p. 71); el capítulo 2 («Pérdidas») y la "
            "sección 3.2, p. 40 («Pérdidas»); una cita «otra cosa». "
            '"""Concepto: «Pérdidas»."""')
    assert check_pdf.title_only_references(text, titles) == ["Pérdidas"]


def test_section_titles_come_from_labelled_headings():
    titles = check_pdf.section_titles()
    assert "Glosario" in titles or any("Glosario" in t for t in titles)
    assert all("`" not in title and "*" not in title for title in titles)


def test_printed_glue_code_and_machine_paths_are_caught():
    text = ('glue("acc", acc, display=False) y la ruta /work/main/datos, '
            "/root/.cache y /home/ana/x, pero no https://example.org/home/ "
            "ni ~/home/x ni 1/work/2")
    assert len(check_pdf.GLUE_CODE.findall(text)) == 1
    assert not check_pdf.GLUE_CODE.findall("el valor pegado (glue) de x")
    assert check_pdf.MACHINE_PATH.findall(text) == [
        "/work/main/datos,", "/root/.cache", "/home/ana/x,"]


def test_each_solution_needs_its_statement_just_before():
    good = ("Ejercicio 3.1 (Contar) Calculen... Solución del ejercicio 3.1 "
            "(Contar) Son 10. Ejercicio A.2 (Rutas) Solución del ejercicio "
            "A.2 (Rutas) ...")
    assert check_pdf.statement_problems(good) == []
    bad = ("Solución del ejercicio 3.1 (Contar) Son 10. Ejercicio 3.3 (X) "
           "Solución del ejercicio 3.2 (Y) ... Solución del ejercicio 2 (Z)")
    assert check_pdf.statement_problems(bad) == ["3.1", "3.2", "2"]


def test_printed_page_numbers_and_chapter_starts_are_read():
    texts = ["Índice\n\n   i\n",
             "Capítulo 1\n\nIA\n texto\n\n                 1\n",
             "Esenciales\n texto 2,5\n Capítulo 1. IA          2\n",
             "Capítulo 2\n\nPanorama\n\n              3\n"]
    assert check_pdf.printed_number(texts[2]) == 2
    assert check_pdf.printed_number(texts[0]) is None
    assert check_pdf.chapter_first_pages(texts) == {1: 1, 2: 3}


def test_printed_cells_show_the_computation_not_the_glue():
    source = '''baseline = experiments.run_seeds("mlp")
for key, value in experiments.numbers(baseline).items():
    glue(key, value, display=False)
glue("acc", Markdown(spanish.number(acc)), display=False)
glue("fig_overfitting", curves.seed_curves(
    baseline, metric="loss"),
    display=False)'''
    assert ediciones.without_glue(source) == (
        'baseline = experiments.run_seeds("mlp")\n'
        'curves.seed_curves(\n    baseline, metric="loss")')
    assert ediciones.without_glue(
        'import x\nglue("n", n)\nglue("m", round(m))') == ""
    assert ediciones.without_glue("print(1)\n") == "print(1)\n"


def test_a_glue_only_cell_prints_its_output_only():
    def cell(code):
        source = nodes.container(nb_element="cell_code_source")
        source += nodes.literal_block(code, code)
        output = nodes.container(nb_element="cell_code_output")
        output += nodes.paragraph(text="la tabla")
        whole = nodes.container(nb_element="cell_code")
        whole += [source, output]
        return whole

    tree = nodes.section()
    tree += cell('glue("a", 1)\nglue("b", Markdown("x"))')
    tree += cell('fig = f(2)\nglue("fig", fig, display=False)')
    ediciones.print_cells(tree)
    code = [block.astext() for block in tree.findall(nodes.literal_block)]
    assert code == ["fig = f(2)"]
    assert tree.astext().count("la tabla") == 2


class _Env:
    toc_secnumbers = {"book/03": {"": (3,), "#sec-perdidas": (3, 8)}}
    titles = {"book/03": nodes.title(text="Redes"),
              "book/glosario": nodes.title(text="Glosario")}


class _App:
    env = _Env()


def test_a_section_reference_prints_its_number_and_page():
    paragraph = nodes.paragraph()
    paragraph += nodes.Text("(la sección «")
    paragraph += nodes.reference("", "Pérdidas",
                                 refuri="%book/03#sec-perdidas")
    paragraph += nodes.Text("» lo muestra) y el ")
    paragraph += nodes.reference("", "Glosario",
                                 refuri="%book/glosario#glosario")
    paragraph += nodes.Text(".")
    ediciones.top_anchor.__defaults__[0]["book/03"] = {"cap-redes"}
    ediciones.top_anchor.__defaults__[0]["book/glosario"] = {"glosario"}
    ediciones.chapter_references(_App(), paragraph)
    latex = "".join(node.astext() for node in paragraph.findall(
        lambda n: isinstance(n, (nodes.Text, nodes.raw))
        and not isinstance(n.parent, nodes.raw)))
    latex = " ".join(latex.split())
    assert ("(la sección 3.8, p.~\\pageref*{\\detokenize{book/03:"
            "sec-perdidas}} lo muestra)") in latex
    assert ("el apéndice \\ref*{\\detokenize{book/glosario:glosario}} "
            "(«Glosario», p.~\\pageref*{\\detokenize{book/glosario:"
            "glosario}})") in latex


def test_figure_references_are_lower_case_inside_a_sentence():
    paragraph = nodes.paragraph()
    paragraph += nodes.Text("Como muestra la ")
    inside = addnodes.number_reference("", "", title="Figura %s")
    paragraph += inside
    paragraph += nodes.Text(". ")
    start = addnodes.number_reference("", "", title="Tabla %s")
    paragraph += start
    ediciones.lowercase_numrefs(paragraph)
    assert inside["title"] == "figura %s" and start["title"] == "Tabla %s"


def test_signs_and_percentages_are_not_broken_across_lines():
    paragraph = nodes.paragraph()
    paragraph += nodes.Text("imágenes de 28 × 28 llegan a 90,2 ± 0,6 %")
    paragraph += nodes.literal("", "28 × 28")
    paragraph += nodes.Text(" % de exactitud")
    ediciones.keep_together(paragraph)
    nbsp = "\u00a0"
    assert paragraph[0].astext() == (
        f"imágenes de 28{nbsp}×{nbsp}28 llegan a 90,2{nbsp}±{nbsp}0,6{nbsp}%")
    assert paragraph[1].astext() == "28 × 28"
    assert paragraph[2].astext() == f"{nbsp}% de exactitud"


def test_a_solution_follows_its_statement_and_says_whose_it_is():
    from sphinx_exercise.nodes import exercise_enumerable_node, solution_node

    exercise = exercise_enumerable_node(label="ej-a")
    exercise += nodes.title("", "Ejercicio 3.1 (Contar)")
    body = nodes.section(ids=["exercise-content"])
    body += nodes.paragraph("", "Calculen a mano.", ids=["p1"])
    exercise += body
    solution = solution_node(target_label="ej-a")
    title = nodes.title()
    title += nodes.Text("Solución a")
    link = nodes.reference("", "", refuri="#ej-a")
    link += nodes.Text(" Ejercicio 3.1 (Contar)")
    title += link
    solution += [title, nodes.paragraph("", "Son 10.")]
    chapter = nodes.section()
    chapter += [exercise, solution]
    start = addnodes.start_of_file(docname="book/03")
    start += chapter
    tree = nodes.document(None, None)
    tree += start
    ediciones.arrange_solutions(tree, "docente", {"book/03"})
    # Lo que imprime LaTeX: el argumento de \esencialesenunciado, sin las
    # demás órdenes.
    text = re.sub(r"\\esencialesenunciado\[\d+\]\{([^}]*)\}", r"\1",
                  chapter.astext())
    # Pide lugar para el enunciado (título, una línea y aire) y el comienzo de
    # la solución, que no vuelve a pedirlo.
    assert r"\esencialesenunciado[10]{Ejercicio 3.1 (Contar)}" \
        in chapter.astext()
    text = " ".join(re.sub(r"\\\w+", "", text).split())
    assert text.endswith("Ejercicio 3.1 (Contar) Calculen a mano. "
                         "Solución del ejercicio 3.1 (Contar) Son 10.")
    assert check_pdf.statement_problems(text) == []
    # El enunciado copiado no repite los ids del original.
    copies = [n for n in chapter.findall(nodes.paragraph)
              if n.astext() == "Calculen a mano."]
    assert [n["ids"] for n in copies] == [["p1"], []]
    tree = nodes.document(None, None)
    start = addnodes.start_of_file(docname="book/03")
    chapter = nodes.section()
    chapter += [exercise.deepcopy(), solution_node(target_label="ej-a")]
    start += chapter
    tree += start
    ediciones.arrange_solutions(tree, "estudiante", {"book/03"})
    assert "Son 10" not in chapter.astext()


def test_glossary_terms_and_package_functions_go_to_the_index():
    class Env:
        found_docs = {"book/glosario"}

        def get_doctree(self, docname):
            glossary = nodes.section()
            glossary += nodes.term("", "época", ids=["term-epoca"])
            return glossary

    class App:
        env = Env()

    section = nodes.section()
    paragraph = nodes.paragraph()
    paragraph += nodes.reference("", "épocas",
                                 refuri="%book/glosario#term-epoca")
    section += paragraph
    code = "def mnist_cnn(x):\n    return x\n"
    section += nodes.literal_block(
        code, code, source="/x/code/esenciales/keras/models.py")
    hidden = "def _helper(x):\n    return x\n"
    section += nodes.literal_block(
        hidden, hidden, source="/x/code/esenciales/keras/models.py")
    ediciones.index_terms(App(), section)
    entries = [node.astext() for node in section.findall(nodes.raw)]
    assert entries == [
        "\\index{epoca@\\spxentry{época}}",
        "\\index{mnist_cnn@\\spxentry{\\sphinxcode{\\sphinxupquote{"
        "mnist\\_cnn}}}!keras@\\spxentry{Keras}}"]


def test_tabs_holding_one_figure_each_print_side_by_side():
    tabs = nodes.container(design_component="tab-set")
    for label, sync in (("Keras", "keras"), ("PyTorch", "torch")):
        item = nodes.container(design_component="tab-item")
        content = nodes.container(design_component="tab-content")
        figure = nodes.figure()
        figure += nodes.caption("", f"Filtros ({label}).")
        content += figure
        item += [nodes.rubric(label, label, sync_id=sync), content]
        tabs += item
    tree = nodes.section()
    tree += tabs
    ediciones.print_tabs(tree, "", BUILDER)
    kinds = [type(node).__name__ for node in tree.children]
    assert kinds == ["raw", "figure", "raw", "figure", "raw"]
    assert tree[0].astext().startswith("\\begin{figure}[tbp]")
    assert "esencialespestana" not in tree.astext()
    tree = nodes.section()
    tree += tabs.deepcopy()
    ediciones.print_tabs(tree, "keras", BUILDER)
    assert [type(node).__name__ for node in tree.children] == ["figure"]


def test_outputs_print_no_machine_paths(monkeypatch, tmp_path):
    monkeypatch.setenv("ESENCIALES_DATA", "/srv/datos/")
    monkeypatch.setenv("HOME", str(tmp_path / "ana"))
    prefixes = ediciones.machine_prefixes(tmp_path / "repo")
    cell = nodes.container(classes=["cell_output"])
    text = (f"mnist  encontrado /srv/datos/mnist\n"
            f"caché  {tmp_path}/ana/.cache/esenciales\n"
            f"libro  {tmp_path}/repo/_build\n")
    cell += nodes.literal_block(text, text, classes=["output"])
    code = "ruta = '/srv/datos/x'"
    cell += nodes.literal_block(code, code)
    source = nodes.container()
    source += nodes.literal_block(code, code)
    ediciones.hide_machine_paths(cell, prefixes)
    ediciones.hide_machine_paths(source, prefixes)
    printed = cell[0].astext()
    assert printed == ("mnist  encontrado $ESENCIALES_DATA/mnist\n"
                       "caché  ~/.cache/esenciales\nlibro  ./_build\n")
    assert source[0].astext() == code
    assert not check_pdf.MACHINE_PATH.findall(printed)


def test_a_cell_that_only_shows_a_markdown_table_prints_no_code():
    assert ediciones.without_glue(
        "Markdown(timing.table(reports))") == ""
    assert ediciones.without_glue(
        "from x import y\ndisplay(Markdown(y.table()))") == ""
    kept = "reports = run()\nMarkdown(table(reports))"
    assert ediciones.without_glue(kept) == kept


def test_summary_formulas_go_two_by_row_and_wide_ones_alone():
    narrow = r"\begin{equation}a\end{equation}"
    wide = r"\begin{equation}\begin{aligned}a\end{aligned}\end{equation}"
    grid = handouts.formula_grid([(narrow, "uno"), (wide, "dos"),
                                  (narrow, "tres"), (narrow, "cuatro")])
    rows = [row for row in grid.split(r"\par\smallskip") if row.strip()]
    assert [row.count(r"\begin{minipage}") for row in rows] == [1, 1, 2]
    assert r"{\linewidth}" in rows[1] and "0.485" in rows[2]
    assert grid.index("uno") < grid.index("dos") < grid.index("tres")


def test_a_figure_inside_a_figure_row_is_found_alone():
    chunk = (r"\begin{figure}[tbp]\centering\begingroup"
             r"\esencialesfigurasjuntas" "\n"
             r"\begin{figure}[tbp]\sphinxincludegraphics{k.pdf}"
             r"\caption{K}\label{\detokenize{book/01_uno:fig-k}}"
             r"\end{figure}\hfill" "\n"
             r"\begin{figure}[tbp]\sphinxincludegraphics{t.pdf}"
             r"\caption{T}\label{\detokenize{book/01_uno:fig-t}}"
             r"\end{figure}\endgroup\end{figure}")
    block, label = handouts.labelled(chunk, handouts.FIGURE, "fig-k")
    assert block.startswith(r"\begin{figure}[tbp]\sphinxincludegraphics")
    assert "t.pdf" not in block and label == "book/01_uno:fig-k"
    assert len(handouts.FIGURE.findall(chunk)) == 2


def test_a_reference_inside_its_own_chapter_is_numbered_too():
    paragraph = nodes.paragraph()
    paragraph += nodes.Text("(sección «")
    paragraph += nodes.reference("", "Pérdidas", refid="sec-perdidas",
                                 internal=True)
    paragraph += nodes.Text("»)")
    # Como lo arma Sphinx: el documento es hijo de start_of_file, pero no
    # lo tiene como padre.
    start = addnodes.start_of_file(docname="book/03")
    start.children = [paragraph]
    tree = nodes.document(None, None)
    tree += start
    ediciones.top_anchor.__defaults__[0]["book/03"] = {"cap-redes"}
    ediciones.chapter_references(_App(), tree)
    assert paragraph.astext().startswith("(sección 3.8, p.~\\pageref*")


def test_pages_written_are_read_from_the_log(tmp_path):
    log = tmp_path / "resumen-03.log"
    log.write_text("...\nOutput written on /una/ruta/larga/resumen-03.pdf (2\n"
                   " pages).\n", encoding="utf-8")
    assert handouts.pdf_pages(log) == 2
    assert handouts.pdf_pages(tmp_path / "otro.log") == 0


def test_the_glossary_index_entries_sort_without_accents():
    class Env:
        found_docs = set()

    class App:
        env = Env()

    glossary = nodes.section()
    glossary += addnodes.index(entries=[("single", "época", "term-0", "main",
                                         None)])
    ediciones.index_terms(App(), glossary)
    assert [node.astext() for node in glossary.children] == [
        "\\index{epoca@\\spxentry{época}}"]


def test_summary_sheet_text_turns_markdown_italics_into_latex():
    assert handouts.sheet_text("el *pooling* y $a*b$") == (
        r"el \emph{pooling} y $a*b$")


def test_tabs_with_two_figures_each_print_row_by_row():
    tabs = nodes.container(design_component="tab-set")
    for label, sync in (("Keras", "keras"), ("PyTorch", "torch")):
        item = nodes.container(design_component="tab-item")
        content = nodes.container(design_component="tab-content")
        for kind in ("latente", "grilla"):
            figure = nodes.figure()
            figure += nodes.caption("", f"{kind} {label}")
            content += figure
        item += [nodes.rubric(label, label, sync_id=sync), content]
        tabs += item
    tree = nodes.section()
    tree += tabs
    ediciones.print_tabs(tree, "", BUILDER)
    captions = [node.astext() for node in tree.findall(nodes.caption)]
    assert captions == ["latente Keras", "latente PyTorch",
                        "grilla Keras", "grilla PyTorch"]
    assert "esencialespestana" not in tree.astext()


def test_a_summary_sheet_needs_its_figure_at_full_width():
    full = "esenciales-figura-resumen: 485.0pt de 487.8pt\n"
    narrow = "esenciales-figura-resumen: 292.7pt de 487.8pt\n"
    tiny = "esenciales-figura-resumen: 111.8pt de 534.6pt\n"
    assert check_pdf.summary_figure_problems("resumen-01.pdf", full) == []
    assert check_pdf.summary_figure_problems("resumen-01.pdf", narrow) == [
        "resumen-01.pdf: la figura ocupa el 60,0\u00a0% del ancho; debe ir a "
        "todo el ancho (al menos 95\u00a0%)"]
    assert check_pdf.summary_figure_problems("resumen-06.pdf", tiny) == [
        "resumen-06.pdf: la figura ocupa el 20,9\u00a0% del ancho; debe ir a "
        "todo el ancho (al menos 95\u00a0%)"]
    assert check_pdf.summary_figure_problems("resumen-03.pdf", "") == [
        "resumen-03.pdf: la hoja no tiene figura"]
    assert check_pdf.SUMMARY_PAGES == (1, 1)
    # La hoja elige la prueba con la figura más ancha según el mismo log.
    assert handouts.figure_share(narrow) == pytest.approx(0.6, abs=0.001)
    assert handouts.figure_share("") == 0.0


def test_a_summary_figure_may_come_from_another_chapter(book):
    """Un capítulo sin figuras (las conclusiones) toma la de otro, con el
    número que tiene en el libro."""
    block = handouts.summary_figure(book, book.chapters["book/02_dos"],
                                    "fig-a")
    assert "{a}.pdf" in block and r"\setcounter{figure}{1}" in block
    with pytest.raises(SystemExit, match="fig-b"):
        handouts.summary_figure(book, book.chapters["book/02_dos"], "fig-b")
    # Una lista: la primera que imprime la edición (gemelas de pestañas).
    both = handouts.summary_figure(book, book.chapters["book/02_dos"],
                                   ["fig-b", "fig-a"])
    assert both == block


def test_a_summary_prints_the_version_glued_for_the_sheet(book, tmp_path,
                                                       monkeypatch):
    """La figura de la hoja es la que el capítulo pegó para ella
    (``clave-hoja``), sacada de lo que guardó su ejecución."""
    source = tmp_path / "fuente" / "book"
    source.mkdir(parents=True)
    (source / "01_uno.md").write_text(
        "```{glue:figure} fig_a\n:alt: Una.\n:name: fig-a\n\nUna.\n```\n",
        encoding="utf-8")
    monkeypatch.setattr(handouts, "ROOT", source.parent)
    glued = book.latex_dir.parent / "jupyter_execute" / "book"
    glued.mkdir(parents=True)
    pdf = b"%PDF-1.4 hoja"
    (glued / "01_uno.glue.json").write_text(json.dumps({
        "fig_a-hoja": {"data": {"application/pdf":
                                base64.b64encode(pdf).decode()}}}),
        encoding="utf-8")
    block = handouts.summary_figure(book, book.chapters["book/01_uno"],
                                    "fig-a")
    assert "keepaspectratio]{fig_a-hoja.pdf}" in block
    assert (book.dir / "fig_a-hoja.pdf").read_bytes() == pdf
    # Sin versión para la hoja, la de la página.
    (glued / "01_uno.glue.json").write_text("{}", encoding="utf-8")
    block = handouts.summary_figure(book, book.chapters["book/01_uno"],
                                    "fig-a")
    assert "keepaspectratio]{{a}.pdf}" in block


def test_a_summary_prints_the_wide_version_of_a_half_page_figure(book):
    """Una gemela impresa en media página con su versión angosta va a la
    hoja de resumen con la ancha, la que nombra ediciones."""
    narrow = (r"\noindent\sphinxincludegraphics{{angosta}.pdf}" + "\n"
              + f"%{ediciones.WIDE_VERSION}: ancha1.pdf\n")
    chunk = book.chapters["book/01_uno"]
    book.chapters["book/01_uno"] = chunk.replace(
        r"\noindent\sphinxincludegraphics{{a}.pdf}" + "\n", narrow)
    block = handouts.summary_figure(book, book.chapters["book/01_uno"],
                                    "fig-a")
    assert "keepaspectratio]{ancha1.pdf}" in block
    assert "{{angosta}.pdf}" not in block


def test_a_statement_reserves_room_for_itself_and_its_solution_start():
    short = [nodes.paragraph("", "x" * 100)]
    code = [nodes.literal_block("", "a\nb\nc")]
    assert ediciones.statement_lines(short) == 2 + 2 + 1
    assert ediciones.statement_lines(code) == 2 + 4
    config = (ROOT / "_config.yml").read_text(encoding="utf-8")
    # La solución que sigue al enunciado no pide lugar otra vez (su
    # \needspace podía dejar el enunciado solo al pie de la página).
    assert r"\ifesencialespegado" in config
    assert r"\global\esencialespegadotrue" in config


def test_exercises_are_numbered_by_chapter_or_appendix_letter():
    def admonition(title):
        return ("\\begin{sphinxadmonition}{note}{" + title + "}\n"
                "Texto.\n\\end{sphinxadmonition}\n")

    good = ("\\begin{document}\n\\chapter*{Prefacio}\n"
            "\\chapter{Uno}\n" + admonition("Ejercicio 1.1 (A)")
            + admonition("Ejercicio 1.2 (B)")
            + "\\esencialesenunciado[9]{Ejercicio 1.1 (A)}\n"
            + "\\begin{sphinxadmonition}{note}{Solución del ejercicio 1.1}\n"
            "\\chapter{Siete}\n" + admonition("Ejercicio 2.1 (C)")
            + "\\appendix\n\\chapter{Lado a lado}\n\\chapter{Terminal}\n"
            + admonition("Ejercicio B.1 (D)") + admonition("Ejercicio B.2"))
    assert check_pdf.exercise_number_problems(good) == []
    bad = (good.replace("Ejercicio 2.1 (C)", "Ejercicio 2.8.1 (C)")
           .replace("Ejercicio B.1 (D)", "Ejercicio 1 (D)"))
    assert check_pdf.exercise_number_problems(bad) == [
        "Ejercicio 2.8.1 (se esperaba 2.1)", "Ejercicio 1 (se esperaba B.1)"]


def test_exercises_are_renumbered_as_in_the_html():
    """«Ejercicio 7.8.1» pasa a «Ejercicio 7.1»; el «Ejercicio 1» del
    segundo apéndice, a «Ejercicio B.1»; sus soluciones y referencias
    dicen el mismo número."""
    from sphinx_exercise.nodes import exercise_enumerable_node, solution_node

    class Env:
        toc_secnumbers = {"book/07": {"": (7,)}}

    def document(docname, *children):
        start = addnodes.start_of_file(docname=docname)
        section = nodes.section()
        section += children
        start += section
        return start

    def exercise(label, title):
        node = exercise_enumerable_node(label=label)
        node += nodes.title("", title)
        return node

    solution = solution_node(target_label="ej-b")
    title = nodes.title()
    title += [nodes.Text("Solución a"), nodes.Text(" Ejercicio 1 (Dos)")]
    solution += title
    tree = nodes.document(None, None)
    tree += [document("book/prefacio", nodes.paragraph("", "Hola.")),
             document("book/07", exercise("ej-a", "Ejercicio 7.8.1 (Uno)")),
             document("book/lado", nodes.paragraph("", "Tabla.")),
             document("book/terminal", exercise("ej-b", "Ejercicio 1 (Dos)"),
                      exercise("ej-c", "Ejercicio 2"), solution)]
    docnames = {"book/prefacio", "book/07", "book/lado", "book/terminal"}
    ediciones.renumber_exercises(Env, tree, docnames)
    titles = [node.children[0].astext()
              for node in tree.findall(exercise_enumerable_node)]
    assert titles == ["Ejercicio 7.1 (Uno)", "Ejercicio B.1 (Dos)",
                      "Ejercicio B.2"]
    assert solution.children[0].astext() == "Solución a Ejercicio B.1 (Dos)"


def _table(rows, widths=None):
    table = nodes.table()
    group = nodes.tgroup(cols=2)
    group += [nodes.colspec(colwidth=50), nodes.colspec(colwidth=50)]
    body = nodes.tbody()
    for first, second in rows:
        row = nodes.row()
        row += [nodes.entry("", nodes.paragraph("", first)),
                nodes.entry("", nodes.paragraph("", second))]
        body += row
    group += body
    table += group
    if widths:
        table["classes"].append("colwidths-given")
    return table


def test_long_tables_break_across_pages_with_widths_from_their_content():
    """Una tabla de muchas filas no salta entera a la página siguiente
    (tabulary no se parte): va en longtable; una corta queda como está."""
    long = _table([(str(n), "Una sección del libro con título largo")
                   for n in range(ediciones.LONG_TABLE_ROWS)])
    short = _table([("1", "corta")])
    given = _table([("1", "x")] * ediciones.LONG_TABLE_ROWS, widths=True)
    tree = nodes.document(None, None)
    tree += [long, short, given]
    ediciones.breakable_tables(tree)
    assert "longtable" in long["classes"] and "longtable" in given["classes"]
    assert "longtable" not in short["classes"]
    # «8» pide su ancho y su aire (5,6 + 12 pt); el resto del renglón va a
    # la columna de texto, que lo quiere entero.
    assert [c["colwidth"] for c in long.findall(nodes.colspec)] == [18, 436]
    assert [c["colwidth"] for c in given.findall(nodes.colspec)] == [50, 50]


def test_a_figure_with_its_spread_gets_the_width_it_cannot_break():
    """«90,2 ± 0,5 %» no se parte (espacios no separables): su columna
    recibe al menos su ancho, aunque las de texto lo quieran todo."""
    nb = "\u00a0"
    cell = f"90,2{nb}±{nb}0,5{nb}%"
    table = _table([(cell, "no se distingue del azar " * 4)] * 3)
    widths = ediciones.column_widths(table)
    char = ediciones.CHAR_PT["serif"]
    assert widths[0] >= len(cell) * char + ediciones.CELL_PADDING_PT
    assert sum(widths) == pytest.approx(ediciones.LINE_PT, abs=2)
    # Sin espacios no separables se podría partir: no pide ese mínimo.
    loose = _table([("90,2 ± 0,5 %", "azar"), ("x", "y" * 200)])
    assert ediciones.column_widths(loose)[0] < widths[0]


def test_code_in_a_table_cell_breaks_after_dots_and_underscores():
    """``esenciales.*.weights.save_weights`` en una celda: LaTeX puede
    partirlo después de cada punto o guion bajo, y su columna pide solo
    el tramo más largo (antes pedía el nombre entero e invadía la vecina
    o el margen)."""
    name = "esenciales.*.weights.save_weights"
    entry = nodes.entry("", nodes.paragraph("", "", nodes.literal(name,
                                                                  name)))
    tree = nodes.document(None, None)
    tree += entry
    ediciones.breakable_code(tree)
    paragraph = entry[0]
    assert [node.astext() for node in paragraph.children] == [
        "esenciales.", "\\allowbreak{}", "*.", "\\allowbreak{}",
        "weights.", "\\allowbreak{}", "save_", "\\allowbreak{}",
        "weights"]
    assert paragraph.astext().replace("\\allowbreak{}", "") == name
    mono = ediciones.CHAR_PT["mono"]
    assert ediciones._entry_widths(entry, "serif") == (
        len("esenciales.") * mono, len(name) * mono)
    # Un nombre corto, sin dónde partirse, queda como estaba.
    short = nodes.entry("", nodes.paragraph("", "", nodes.literal("fit",
                                                                   "fit")))
    tree += short
    ediciones.breakable_code(tree)
    assert len(short[0].children) == 1


def test_a_long_table_keeps_its_ends_and_names_only_captioned_tables():
    """La plantilla de longtable: sin corte tras la primera fila ni antes
    de las dos últimas; «Tabla N.k» al continuar solo si tiene leyenda."""
    from types import SimpleNamespace

    from sphinx.util.template import LaTeXRenderer

    def render(caption):
        table = SimpleNamespace(
            styles=[], align="default", caption=caption, colcount=2,
            header=["H&I\\\\\n"], get_colspec=lambda: "{ll}",
            body=[f"{n}&x\\\\\n\\sphinxhline\n" for n in range(4)])
        return LaTeXRenderer().render(
            str(ROOT / "tools" / "plantillas" / "longtable.tex.jinja"),
            {"table": table, "labels": ""})

    body = render([])
    rows = re.findall(r"^(\d)&x(\\\\\*?)$", body, re.M)
    assert rows == [("0", "\\\\*"), ("1", "\\\\"), ("2", "\\\\*"),
                    ("3", "\\\\*")]
    assert r"\tablename" not in body
    assert r"\tablename\ \thetable{}" in render(["Una tabla"])


def test_the_book_allows_at_most_three_half_empty_pages():
    fills = [1.0, 0.5, 0.6, 0.9, 0.4, 0.65, 1.0, 0.3]
    half = check_pdf.sparse_pages(fills, set(), check_pdf.HALF_FILL)
    assert [page for page, _ in half] == [2, 3, 5, 6]
    assert check_pdf.MAX_HALF_EMPTY == 3 < len(half)


def _layout(pages):
    """Salida mínima de «pdftotext -bbox-layout»: líneas (alto, texto)."""
    out = []
    for lines in pages:
        out.append('<page width="612.000000" height="792.000000">')
        for top, text in lines:
            words = "".join(f'<word xMin="1" yMin="{top}" xMax="2" '
                            f'yMax="{top + 9}">{word}</word>'
                            for word in text.split())
            out.append(f'<line xMin="62.0" yMin="{top}" xMax="300.0" '
                       f'yMax="{top + 9}">{words}</line>')
        out.append("</page>")
    return "\n".join(out)


def test_a_numbered_heading_at_the_foot_of_a_page_is_caught():
    text = [(100.0 + 12 * n, "Texto del párrafo.") for n in range(40)]
    stranded = text[:-1] + [(700.0, "3.4 Vectorización y lotes")]
    followed = text[:-3] + [(676.0, "C.5 Capítulo 3"), (688.0, "Uno."),
                            (700.0, "Dos.")]
    toc = text[:-1] + [(700.0, "3.4 Vectorización . . . . 58")]
    footer = [(760.0, "3.4 Vectorización y lotes 58")]
    pages = check_pdf.page_lines(_layout(
        [stranded, followed, toc, text + footer, text]))
    assert pages[3][-1][1] == "Texto del párrafo."
    assert check_pdf.stranded_headings(pages) == [
        (1, "3.4 Vectorización y lotes")]


def test_a_solution_starting_on_another_page_than_its_statement_is_caught():
    together = ["Ejercicio 3.1 (Contar) Calculen. Solución del ejercicio 3.1 "
                "(Contar) Son 10."]
    apart = ["Texto. Ejercicio 3.2 (Sumar) Sumen.",
             "Solución del ejercicio 3.2 (Sumar) Son 4."]
    assert check_pdf.split_statements(together) == []
    assert check_pdf.split_statements(apart) == [(2, "3.2")]


def test_needspace_breaks_only_when_the_room_is_missing():
    """El \\needspace del paquete deja un \\penalty-100: con \\raggedbottom
    ese corte gana y la página queda a medias. El libro lo redefine: corta
    solo si no queda el espacio pedido (\\pagegoal − \\pagetotal)."""
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text(
        encoding="utf-8"))
    preamble = config["sphinx"]["config"]["latex_elements"]["preamble"]
    start = preamble.index(r"\renewcommand{\needspace}")
    definition = preamble[start:preamble.index(r"\endgroup}", start)]
    assert r"\pagegoal" in definition and r"\pagetotal" in definition
    assert "-100" not in definition and r"\break" in definition
    assert preamble.index(r"\makeatletter") < start \
        < preamble.index(r"\makeatother")


def test_a_section_opening_with_a_table_asks_room_for_all_of_it():
    """«3.2 Funciones de activación»: título, una línea y una tabla que no
    se parte; sin pedir lugar para los tres, el título quedaba al pie."""
    def section(*children):
        node = nodes.section()
        node += nodes.title("", "Funciones de activación")
        node += children
        return node

    table = _table([("Sigmoide", "(0, 1)")] * 6)
    opening = section(nodes.paragraph("", "La clase lista las activaciones:"),
                      table)
    plain = section(nodes.paragraph("", "Texto."), nodes.paragraph("", "Más."))
    tree = nodes.document(None, None)
    chapter = nodes.section()
    chapter += [opening, plain]
    tree += chapter
    ediciones.keep_headings_with_tables(tree)
    assert ediciones.opening_table_lines(opening) == 3 + 1 + 2 * 6
    raws = [node.astext() for node in chapter.children
            if isinstance(node, nodes.raw)]
    assert raws == ["\\needspace{16\\baselineskip}\n"]
    assert chapter.index(opening) == 1
