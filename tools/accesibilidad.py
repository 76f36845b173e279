"""Extensión de Sphinx: arreglos de accesibilidad que pide axe-core.

La prueba del navegador (tests/test_browser.py) corre axe-core en cada
página y falla ante violaciones graves o críticas. Lo que el tema o
docutils escriben mal se corrige aquí o en ``tools/plantillas/``:

- la bibliografía: docutils marca cada entrada con ``doc-biblioentry``,
  un rol ARIA obsoleto que no puede ser hijo de ``role="list"``; cada
  entrada pasa a ser ``listitem``;
- el botón de búsqueda y el de tema (plantillas en
  ``tools/plantillas/``): los íconos y el atajo Ctrl+K quedan
  ocultos a los lectores de pantalla, así el nombre accesible coincide
  con el texto visible.
"""

BODY_FIXES = (
    ('role="doc-biblioentry"', 'role="listitem"'),
)


def fix_body(app, pagename, templatename, context, doctree):
    """Aplica ``BODY_FIXES`` al cuerpo de la página antes de escribirla."""
    body = context.get("body")
    if not body:
        return
    for wrong, right in BODY_FIXES:
        body = body.replace(wrong, right)
    context["body"] = body


def setup(app):
    app.connect("html-page-context", fix_body)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
