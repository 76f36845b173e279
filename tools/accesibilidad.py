"""Extensión de Sphinx: arreglos de accesibilidad que pide axe-core.

La prueba del navegador (tests/test_browser.py) corre axe-core en cada
página y falla ante violaciones graves o críticas. Lo que el tema o
docutils escriben mal se corrige aquí o en ``tools/plantillas/``:

- la bibliografía: docutils marca cada entrada con ``doc-biblioentry``,
  un rol ARIA obsoleto que no puede ser hijo de ``role="list"``; cada
  entrada pasa a ser ``listitem``;
- los colores que la consola pone en algunas salidas (el resumen de un
  modelo de Keras, hecho con *rich*): celeste o verde claro sobre gris no
  se leen; la salida queda en el color del texto;
- los enlaces dentro de ejercicios y avisos, con un azul más oscuro
  (``tools/estaticos/accesibilidad.css``);
- el botón de las celdas plegadas: un aria-label fijo («Toggle hidden
  content») tapaba su texto visible («Mostrar la salida»);
- el botón de búsqueda y el de tema (plantillas en
  ``tools/plantillas/``): los íconos y el atajo Ctrl+K quedan
  ocultos a los lectores de pantalla, así el nombre accesible coincide
  con el texto visible.
"""

import re
from pathlib import Path

STATIC = Path(__file__).resolve().parent / "estaticos"
BODY_FIXES = (
    ('role="doc-biblioentry"', 'role="listitem"'),
    # Celdas plegadas: el botón se llama por su texto («Mostrar la salida»).
    ('<summary aria-label="Toggle hidden content">', "<summary>"),
)
# «color: #0087ff; text-decoration-color: #0087ff» en un <span> de salida.
_INLINE_COLOR = re.compile(
    r"\s*(?:text-decoration-)?color:\s*#[0-9a-fA-F]{3,8};?")
_SPAN_STYLE = re.compile(r'<span style="([^"]*)">')


def without_inline_colors(html):
    """Quita los colores fijos de los ``<span style=...>`` de las salidas."""
    def clean(match):
        style = _INLINE_COLOR.sub("", match[1]).strip()
        return f'<span style="{style}">' if style else "<span>"

    return _SPAN_STYLE.sub(clean, html)


def fix_body(app, pagename, templatename, context, doctree):
    """Arregla el cuerpo de la página antes de escribirla."""
    body = context.get("body")
    if not body:
        return
    for wrong, right in BODY_FIXES:
        body = body.replace(wrong, right)
    context["body"] = without_inline_colors(body)


def add_static(app, config):
    config.html_static_path.append(str(STATIC))


def setup(app):
    app.connect("config-inited", add_static)
    app.add_css_file("accesibilidad.css")
    app.connect("html-page-context", fix_body)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
