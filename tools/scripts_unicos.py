"""Extensión de Sphinx: cada <script> aparece una sola vez por página.

sphinx-thebe (que jupyter-book carga siempre) registra dos veces su
configuración en línea («const THEBE_JS_URL = ...»), y el navegador marca
un SyntaxError en la consola de cada página. Aquí se quitan los scripts
repetidos antes de escribir cada página HTML.
"""


def _key(script):
    """Identidad de un script: archivo y atributos (incluido su cuerpo).

    Un script en línea llega a veces con archivo None y a veces con "".
    """
    attributes = getattr(script, "attributes", {})
    return (str(getattr(script, "filename", script) or ""),
            tuple(sorted(attributes.items())))


def unique_scripts(app, pagename, templatename, context, doctree):
    """Deja la primera aparición de cada script de la página."""
    scripts = context.get("script_files")
    if not scripts:
        return
    seen = set()
    unique = []
    for script in scripts:
        if _key(script) not in seen:
            seen.add(_key(script))
            unique.append(script)
    scripts[:] = unique


def setup(app):
    app.connect("html-page-context", unique_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
