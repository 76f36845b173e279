"""Cada figura e imagen del libro tiene un texto alternativo que la describe.

La prueba del navegador (axe-core) revisa el HTML construido; esta revisa
las fuentes, sin construir: cada ``figure``, ``image`` o ``glue:figure``
lleva ``:alt:``, y cada ``<img>`` o ``![...]()`` su texto.
"""

import re
from pathlib import Path

import pytest

from esenciales import myst

BOOK = Path(__file__).resolve().parents[1] / "book"
PAGES = sorted(BOOK.glob("*.md"))
FIGURE = re.compile(r"^(`{3,}|:{3,})\{(figure|image|glue:figure)\}[^\n]*\n"
                    r"(?P<options>(?::[\w-]+:[^\n]*\n)*)", re.M)
MIN_ALT_WORDS = 4


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_every_figure_has_descriptive_alt_text(page):
    text = page.read_text(encoding="utf-8")
    problems = []
    for match in FIGURE.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        alt = re.search(r"^:alt:\s*(.*)$", match["options"], re.M)
        if not alt or len(alt[1].split()) < MIN_ALT_WORDS:
            problems.append(f"{page.name}:{line}: {match[2]} sin :alt: "
                            "que describa lo que muestra")
    for match in re.finditer(r"<img\b[^>]*>", text):
        if not re.search(r'\balt="[^"]+"', match[0]):
            problems.append(f"{page.name}: <img> sin alt: {match[0]}")
    for match in re.finditer(r"!\[([^\]]*)\]\(", text):
        if not match[1].strip():
            problems.append(f"{page.name}: imagen Markdown sin texto")
    assert not problems, "\n".join(problems)


def _myst_figures(text):
    """Las figuras que ve el analizador de MyST, también las anidadas en
    pestañas, desplegables y ejercicios."""
    found = 0
    for block in myst.blocks(text):
        if block.name in ("figure", "image", "glue:figure"):
            found += 1
        elif block.name:
            found += _myst_figures(block.body)
    return found


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_the_check_sees_every_figure(page):
    """La expresión regular de arriba encuentra todas las figuras que MyST
    incluye: ninguna se salta la revisión del texto alternativo."""
    text = page.read_text(encoding="utf-8")
    assert len(FIGURE.findall(text)) == _myst_figures(text)


def test_console_colors_are_dropped_from_outputs():
    """Los colores de *rich* (resumen de Keras) no se leen sobre gris."""
    import sys

    sys.path.insert(0, str(BOOK.parent / "tools"))
    from accesibilidad import without_inline_colors

    html = ('<pre><span style="color: #00d7ff; text-decoration-color: '
            '#00d7ff">None</span> <span style="font-weight: bold; color: '
            '#00af00">128</span></pre>')
    assert without_inline_colors(html) == (
        '<pre><span>None</span> <span style="font-weight: bold;">128'
        '</span></pre>')
