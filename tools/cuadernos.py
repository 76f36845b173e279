"""Extensión de Sphinx: el cuaderno de cada capítulo y cómo abrirlo.

- Cada página con celdas de código se convierte en un cuaderno ``.ipynb``
  (``esenciales.notebooks``) con las salidas de la ejecución del libro, y
  se escribe en ``_sources/<página>.ipynb``: el menú de descarga del tema
  ofrece entonces «.ipynb» junto a «.md» y «.pdf».
- Botones de lanzamiento (Colab, Binder y JupyterHub) que abren ese
  cuaderno, no el ``.md`` (Colab no sabe leerlo). Los gobierna una sola
  opción de ``_config.yml``: ``repository.url``. Vacía, no hay botones.
  Con ella, Colab y Binder abren el cuaderno publicado en la rama
  ``cuadernos`` del repositorio (la escribe el flujo de GitHub Pages);
  JupyterHub aparece además si ``launch_buttons.jupyterhub_url`` nombra
  un servidor.
"""

import re
from pathlib import Path
from urllib.parse import quote, urlencode

from esenciales import notebooks

NOTEBOOK_BRANCH = "cuadernos"
DEFAULT_HUBS = {"colab_url": "https://colab.research.google.com",
                "binderhub_url": "https://mybinder.org"}


def take_launch_settings(app, config):
    """Toma las opciones de lanzamiento para que el tema no arme las suyas.

    Las del tema apuntan al ``.md``, que Colab no abre.
    """
    options = config.html_theme_options
    launch = dict(options.get("launch_buttons") or {})
    options["launch_buttons"] = {}
    app.cuadernos_launch = {
        "repository_url": (options.get("repository_url") or "").strip(),
        "colab_url": launch.get("colab_url") or DEFAULT_HUBS["colab_url"],
        "binderhub_url": (launch.get("binderhub_url")
                          or DEFAULT_HUBS["binderhub_url"]),
        "jupyterhub_url": launch.get("jupyterhub_url") or "",
    }


def launch_links(settings, notebook_name):
    """Los botones ``(texto, url, ícono)`` para abrir un cuaderno.

    ``notebook_name`` es el nombre del archivo en la rama ``cuadernos``.
    Sin ``repository_url`` (o si no es de GitHub) no hay ninguno.
    """
    match = re.fullmatch(r"https://github\.com/([^/]+)/([^/]+?)(?:\.git)?/?",
                         settings.get("repository_url", ""))
    if not match:
        return []
    owner, repo = match.groups()
    name = quote(notebook_name)
    colab = settings["colab_url"].rstrip("/")
    binder = settings["binderhub_url"].rstrip("/")
    links = [
        ("Colab", f"{colab}/github/{owner}/{repo}/blob/{NOTEBOOK_BRANCH}/"
                  f"{name}", "_static/images/logo_colab.png"),
        ("Binder", f"{binder}/v2/gh/{owner}/{repo}/{NOTEBOOK_BRANCH}"
                   f"?urlpath=lab/tree/{name}",
         "_static/images/logo_binder.svg"),
    ]
    hub = settings.get("jupyterhub_url", "").rstrip("/")
    if hub:
        query = urlencode({"repo": f"https://github.com/{owner}/{repo}",
                           "branch": NOTEBOOK_BRANCH,
                           "urlpath": f"lab/tree/{repo}/{notebook_name}"},
                          safe="/")
        links.append(("JupyterHub",
                      f"{hub}/hub/user-redirect/git-pull?{query}",
                      "_static/images/logo_jupyterhub.svg"))
    return links


def _has_code_cells(app, pagename):
    if pagename not in app.env.found_docs:
        return False
    source = Path(app.env.doc2path(pagename))
    return (source.suffix == ".md"
            and "{code-cell}" in source.read_text(encoding="utf-8"))


def add_notebook(app, pagename, templatename, context, doctree):
    """Escribe el cuaderno de la página y lo ofrece para descargar."""
    if not _has_code_cells(app, pagename):
        return
    source = Path(app.env.doc2path(pagename))
    executed = Path(app.outdir).parent / "jupyter_execute" / Path(
        pagename).parent
    notebook = notebooks.book_notebook(
        source, executed, app.cuadernos_launch["repository_url"])
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    notebooks.write_notebook(notebook, target)
    context["ipynb_source"] = f"{pagename}.ipynb"


def add_launch_buttons(app, pagename, templatename, context, doctree):
    """Un grupo «Abrir en…» en la barra, si hay repositorio."""
    if not context.get("ipynb_source") or "header_buttons" not in context:
        return
    links = launch_links(app.cuadernos_launch,
                         Path(context["ipynb_source"]).name)
    if not links:
        return
    context["header_buttons"].append({
        "type": "group",
        "tooltip": "Abrir este capítulo como cuaderno",
        "icon": "fas fa-rocket",
        "label": "launch-buttons",
        "buttons": [{"type": "link", "text": text, "url": url,
                     "tooltip": f"Abrir en {text}",
                     "icon": icon, "label": f"launch-{text}"}
                    for text, url, icon in links],
    })


def setup(app):
    app.connect("config-inited", take_launch_settings)
    # Antes que los botones del tema (501) y después de sus preparativos.
    app.connect("html-page-context", add_notebook, priority=500)
    app.connect("html-page-context", add_launch_buttons, priority=502)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
