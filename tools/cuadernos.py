"""Extensión de Sphinx: el cuaderno de cada capítulo y cómo abrirlo.

- Cada página con celdas de código se convierte en un cuaderno ``.ipynb``
  (``esenciales.notebooks``) con las salidas de la ejecución del libro, y
  se escribe en ``_sources/<página>.ipynb``: el menú de descarga del tema
  ofrece entonces «.ipynb» junto a «.md» y «.pdf».
- La primera celda del cuaderno instala el paquete si falta
  (``install_source``): desde la rueda publicada con el libro si
  ``html.baseurl`` dice dónde vive el sitio (``make book`` la deja en
  ``_static/``), si no desde ``repository.url`` con git, y si no hay
  ninguno de los dos dice en una línea cómo instalarlo.
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

import esenciales
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


SETUP_TAG = "cuaderno-preparacion"
"""La etiqueta de la celda de preparación que escribe ``notebooks``."""


def wheel_name(version=esenciales.__version__):
    """El nombre de la rueda de ``esenciales`` que publica el libro."""
    return f"esenciales-{version}-py3-none-any.whl"


def wheel_url(baseurl):
    """La dirección de la rueda bajo el sitio (``_static/``), o ``""``."""
    baseurl = (baseurl or "").strip()
    if not baseurl:
        return ""
    return f"{baseurl.rstrip('/')}/_static/{wheel_name()}"


def install_source(wheel="", repository_url=""):
    """El código de la primera celda: instala ``esenciales`` si falta.

    Primero la rueda del sitio (``wheel``, una URL), si no el repositorio
    con git; sin ninguno, una línea en español que dice cómo instalarlo.
    """
    lines = ["# Preparación: el paquete «esenciales» (el código del "
             "libro), si falta.",
             "import importlib.util"]
    if wheel or repository_url:
        target = wheel or f"git+{repository_url.rstrip('/')}"
        lines += ["import subprocess",
                  "import sys",
                  "",
                  "if importlib.util.find_spec(\"esenciales\") is None:",
                  "    subprocess.check_call([sys.executable, \"-m\", "
                  "\"pip\", \"install\", \"-q\",",
                  f"                           \"{target}\"])"]
    else:
        lines += ["",
                  "if importlib.util.find_spec(\"esenciales\") is None:",
                  "    raise ModuleNotFoundError(",
                  "        \"Falta «esenciales»: instálenlo con «pip install \"",
                  f"        \"{wheel_name()}» (la rueda está en \"",
                  "        \"_static/ del libro) y vuelvan a correr esta "
                  "celda.\")"]
    lines.append("import esenciales")
    return "\n".join(lines)


def with_install_cell(notebook, wheel="", repository_url=""):
    """``notebook`` con su celda de preparación cambiada por la que
    instala el paquete (``install_source``); el prefacio lo dice."""
    for cell in notebook["cells"]:
        tags = cell.get("metadata", {}).get("tags", [])
        if cell["cell_type"] == "code" and SETUP_TAG in tags:
            cell["source"] = install_source(wheel, repository_url)
        elif cell["cell_type"] == "markdown":
            cell["source"] = cell["source"].replace(
                " instalado (`pip install esenciales-*.whl`).*",
                ", que la primera celda instala si falta.*")
    return notebook


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
    repository_url = app.cuadernos_launch["repository_url"]
    notebook = with_install_cell(
        notebooks.book_notebook(source, executed, repository_url),
        wheel_url(app.config.html_baseurl), repository_url)
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


BOOK_PDFS = (("esenciales.pdf", "Libro (PDF)"),
             ("esenciales-keras.pdf", "Edición Keras (PDF)"),
             ("esenciales-torch.pdf", "Edición PyTorch (PDF)"))
"""Los PDF del libro que ``make pdf`` deja en ``_static/pdf/`` (edición
del estudiante; con ``FRAMEWORK=keras`` o ``torch``, la de un marco)."""


def book_pdf_buttons(pathto, built=()):
    """Los botones del menú de descarga para los PDF del libro.

    El libro completo siempre (``make pdf`` lo deja junto al sitio); las
    ediciones por marco, solo las que ya están en ``built``.
    """
    return [{"type": "link", "text": text,
             "url": pathto(f"_static/pdf/{name}", 1),
             "tooltip": f"Descargar: {text}", "icon": "fas fa-book",
             "label": f"download-{name.removesuffix('.pdf')}-button"}
            for index, (name, text) in enumerate(BOOK_PDFS)
            if index == 0 or name in built]


def add_book_pdfs(app, pagename, templatename, context, doctree):
    """Agrega los PDF del libro al menú de descarga del tema."""
    group = next((button for button in context.get("header_buttons", [])
                  if button.get("label") == "download-buttons"), None)
    if group is None:
        return
    folder = Path(app.outdir) / "_static" / "pdf"
    built = {path.name for path in folder.glob("*.pdf")} \
        if folder.is_dir() else set()
    group["buttons"].extend(book_pdf_buttons(context["pathto"], built))


BOOK_PDF_ITEM = re.compile(
    r"<li>\s*<a href=\"(?P<prefix>[^\"]*_static/pdf/)(?P<name>[\w-]+\.pdf)\""
    r".*?</li>", re.S)


def link_book_pdf(html, name):
    """Una página HTML ya escrita con el botón de un PDF del libro en su
    menú de descarga: el PDF de un marco que ``make pdf`` construyó después
    del sitio. Devuelve el HTML (igual si ya lo tenía o no hay menú).

    El botón nuevo copia el del libro completo y va en el orden de
    ``BOOK_PDFS``.
    """
    items = {match["name"]: match for match in BOOK_PDF_ITEM.finditer(html)}
    book = items.get(BOOK_PDFS[0][0])
    if name in items or book is None:
        return html
    text = dict(BOOK_PDFS)[name]
    item = (book.group(0)
            .replace(BOOK_PDFS[0][0], name)
            .replace(BOOK_PDFS[0][1], text)
            .replace("download-esenciales-button",
                     f"download-{name.removesuffix('.pdf')}-button"))
    order = [pdf for pdf, _ in BOOK_PDFS]
    before = [items[pdf] for pdf in order[:order.index(name)] if pdf in items]
    end = before[-1].end()
    return html[:end] + "\n" + item + html[end:]


def link_book_pdf_in_site(html_dir, name):
    """Agrega el botón de un PDF del libro a cada página del sitio;
    devuelve cuántas páginas cambiaron."""
    changed = 0
    for path in Path(html_dir).rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        new = link_book_pdf(html, name)
        if new != html:
            path.write_text(new, encoding="utf-8")
            changed += 1
    return changed


def setup(app):
    app.connect("config-inited", take_launch_settings)
    # Antes que los botones del tema (501) y después de sus preparativos.
    app.connect("html-page-context", add_notebook, priority=500)
    app.connect("html-page-context", add_launch_buttons, priority=502)
    app.connect("html-page-context", add_book_pdfs, priority=502)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def main(argv=None):
    """«python tools/cuadernos.py _build/html esenciales-keras.pdf»: el
    menú de descarga del sitio ya construido ofrece ese PDF."""
    import argparse
    parser = argparse.ArgumentParser(description=main.__doc__.split(":")[0])
    parser.add_argument("html", type=Path, help="sitio (_build/html)")
    parser.add_argument("pdf", choices=[name for name, _ in BOOK_PDFS])
    args = parser.parse_args(argv)
    if not args.html.is_dir():
        print(f"No hay sitio en {args.html}: el PDF se enlaza al construirlo")
        return 0
    changed = link_book_pdf_in_site(args.html, args.pdf)
    print(f"{args.pdf}: enlazado en el menú de descarga de {changed} "
          "páginas")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
