"""Cuadernos de Jupyter a partir de los capítulos del libro.

Cada capítulo es un archivo MyST (``book/NN_*.md``) con celdas de código
que el libro ejecuta. Este módulo lo convierte en un cuaderno ``.ipynb``
que corre solo en Jupyter, JupyterLab o Colab:

- las celdas de código quedan tal cual (las ocultas en el libro también,
  porque preparan datos y variables; el cuaderno las marca plegadas);
- el texto queda en Markdown corriente: ninguna directiva MyST sin
  traducir; los pares de pestañas Keras | PyTorch se vuelven dos bloques
  rotulados; ``literalinclude`` se reemplaza por el código del paquete
  (``:pyobject:``), que es el mismo que prueban las pruebas;
- los números pegados con ``glue``, las figuras y las salidas vienen del
  cuaderno ejecutado por la construcción del libro
  (``_build/jupyter_execute``), si existe.

Lee el MyST con ``esenciales.myst`` (los tokens de markdown-it-py, el
analizador de myst-parser) y traduce el texto con
``esenciales.myst_markdown``. No importa ningún framework ni depende de
Sphinx: escribe JSON del formato nbformat 4 con la biblioteca estándar. Lo usan la extensión del libro
(``tools/cuadernos.py``, botón «.ipynb»), ``make dist`` (cuadernos dentro
del paquete) y el comando ``esenciales cuaderno N``.
"""

import json
import re
from pathlib import Path

from esenciales import files
from esenciales.myst import book_labels, split_cells
from esenciales.myst_markdown import BookContext, convert_markdown

PACKAGE_DIR = Path(__file__).resolve().parent
# Los cuadernos con salidas que «make dist» mete en el paquete. En el
# repositorio no existen: se generan desde book/ con las salidas de
# _build/, si las hay.
PACKAGED_NOTEBOOKS = PACKAGE_DIR / "cuadernos"
CHECKOUT_EXECUTED = PACKAGE_DIR.parents[1] / "_build" / "jupyter_execute"
# Salidas que Jupyter no muestra (el PDF de las figuras es para LaTeX).
DROPPED_MIME = ("application/pdf",)
NOTEBOOK_FORMAT = (4, 5)
KERNELSPEC = {"display_name": "Python 3", "language": "python",
              "name": "python3"}
# Celdas que el libro esconde: el cuaderno las muestra plegadas.
HIDDEN_TAGS = {"remove-cell", "remove-input", "hide-input", "hide-cell"}
GLUE_IMPORT = re.compile(r"^from myst_nb import glue\s*$", re.M)
GLUE_SHIM = ("from esenciales.notebooks import glue  "
             "# en el libro: myst_nb.glue")


def read_references(bib_path):
    """Autor y año de cada entrada de un ``.bib`` (para citar en texto)."""
    references = {}
    path = Path(bib_path)
    if not path.exists():
        return references
    text = path.read_text(encoding="utf-8")
    for entry in re.split(r"\n(?=@)", text):
        key = re.match(r"\s*@\w+\s*\{\s*([^,\s]+)\s*,", entry)
        if not key:
            continue
        author = _bib_field(entry, "author") or _bib_field(entry, "editor")
        year = _bib_field(entry, "year") or "s. f."
        references[key[1]] = (_citation_names(author or key[1]), year)
    return references


def _bib_field(entry, name):
    match = re.search(rf"\b{name}\s*=\s*[{{\"](.*?)[}}\"]\s*,?\s*$",
                      entry, re.I | re.M | re.S)
    if not match:
        return None
    return re.sub(r"[{}]", "", " ".join(match[1].split()))


def _citation_names(authors):
    names = [a.strip() for a in re.split(r"\s+and\s+", authors) if a.strip()]
    surnames = [n.split(",")[0] if "," in n else n.split()[-1]
                for n in names]
    if len(surnames) == 1:
        return surnames[0]
    if len(surnames) == 2:
        return f"{surnames[0]} y {surnames[1]}"
    return f"{surnames[0]} et al."


def executed_outputs(executed_path):
    """Salidas de cada celda de código y valores pegados con ``glue``.

    Lee el cuaderno que myst-nb deja en ``_build/jupyter_execute`` y, si
    existe, su archivo ``.glue.json``. Devuelve ``(celdas, glue)``:
    ``celdas`` es una lista de ``(fuente, salidas)`` en orden.
    """
    path = Path(executed_path)
    if not path.exists():
        return [], {}
    notebook = json.loads(path.read_text(encoding="utf-8"))
    glued, cells = {}, []
    for cell in notebook.get("cells", []):
        if cell.get("cell_type") != "code":
            continue
        outputs = []
        for output in cell.get("outputs", []):
            scrap = output.get("metadata", {}).get("scrapbook")
            if scrap:
                glued[scrap["name"]] = _unprefixed(output, scrap)
            else:
                outputs.append(output)
        cells.append((_source(cell), outputs))
    sidecar = path.with_suffix(".glue.json")
    if sidecar.exists():
        for name, output in json.loads(
                sidecar.read_text(encoding="utf-8")).items():
            glued.setdefault(name, _unprefixed(
                output, output.get("metadata", {}).get("scrapbook", {})))
    return cells, glued


def _unprefixed(output, scrap):
    prefix = scrap.get("mime_prefix", "")
    return {mime.removeprefix(prefix): value
            for mime, value in output.get("data", {}).items()}


def _source(cell):
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else source


# --------------------------------------------------------------------------
# El cuaderno


def chapter_notebook(source, executed=None, chapter=None, labels=None,
                     references=None, repository_url=""):
    """El cuaderno (dict nbformat 4) de un capítulo MyST.

    ``source``: ruta del ``.md``. ``executed``: el ``.ipynb`` que ejecutó
    la construcción del libro (salidas, figuras y glue), o ``None``.
    ``repository_url``: si no está vacío, la primera celda instala el
    paquete desde allí cuando falta (Colab, Binder).
    """
    source = Path(source)
    executed_cells, glued = executed_outputs(executed) if executed else (
        [], {})
    context = BookContext(chapter=chapter, source_dir=source.parent,
                          labels=labels or {}, references=references or {},
                          glue=glued)
    by_source = {}
    for executed_source, cell_outputs in executed_cells:
        by_source.setdefault(executed_source, []).append(cell_outputs)
    cells = []
    for kind, text, options in split_cells(source.read_text(
            encoding="utf-8")):
        if kind == "code":
            # Salidas de la celda con la misma fuente; si cambió desde la
            # construcción, ninguna.
            cell_outputs = (by_source.get(text) or [[]]).pop(0)
            cells.append(_code_cell(GLUE_IMPORT.sub(GLUE_SHIM, text),
                                    cell_outputs, options))
        else:
            context.attachments = {}
            markdown = convert_markdown(text, context)
            if markdown.strip():
                cells.append(_markdown_cell(markdown, context.attachments))
    cells = _opening(chapter, repository_url, cells) + cells
    for index, cell in enumerate(cells):
        cell["id"] = f"celda-{index:03d}"
    return {
        "nbformat": NOTEBOOK_FORMAT[0], "nbformat_minor": NOTEBOOK_FORMAT[1],
        "metadata": {"kernelspec": KERNELSPEC,
                     "language_info": {"name": "python"}},
        "cells": cells,
    }


def _opening(chapter, repository_url, cells):
    """El título, una nota sobre el cuaderno y la celda de preparación.

    El título sale de la primera celda del capítulo (que pierde esa línea).
    """
    preface = _preface(chapter, repository_url)
    first = cells[0]["source"] if cells else ""
    opening = [_markdown_cell(preface)]
    if cells and cells[0]["cell_type"] == "markdown" and first.startswith(
            "# "):
        title, _, rest = first.partition("\n")
        opening = [_markdown_cell(f"{title}\n\n{preface}")]
        cells[0]["source"] = rest.strip("\n")
        if not cells[0]["source"]:
            cells.pop(0)
    return opening + [_code_cell(_setup_source(repository_url), [],
                                 {"tags": ["cuaderno-preparacion"]})]


def _preface(chapter, repository_url):
    where = f"del capítulo {chapter}" if chapter else "de una página"
    text = (f"*Cuaderno generado a partir {where} de «Esenciales de Deep "
            "Learning». Corre de arriba abajo en Jupyter o Colab; las "
            "celdas plegadas preparan datos y variables. Necesita el "
            "paquete `esenciales`")
    if repository_url:
        text += ", que la primera celda instala si falta.*"
    else:
        text += " instalado (`pip install esenciales-*.whl`).*"
    return text


def _setup_source(repository_url):
    lines = ["# Preparación: el paquete «esenciales» (el código del libro)."]
    if repository_url:
        url = repository_url.rstrip("/")
        lines += [
            "import importlib.util",
            "import subprocess",
            "import sys",
            "",
            "if importlib.util.find_spec(\"esenciales\") is None:",
            "    subprocess.check_call([sys.executable, \"-m\", \"pip\", "
            "\"install\", \"-q\",",
            f"                           \"git+{url}\"])",
        ]
    lines.append("import esenciales")
    return "\n".join(lines)


def _markdown_cell(text, attachments=None):
    cell = {"cell_type": "markdown", "metadata": {}, "source": text}
    if attachments:
        cell["attachments"] = dict(attachments)
    return cell


def _code_cell(source, outputs, options):
    metadata = {}
    outputs = [_without_dropped(o) for o in outputs]
    tags = list(options.get("tags", []))
    if tags:
        metadata["tags"] = tags
    if HIDDEN_TAGS & set(tags):
        metadata["jupyter"] = {"source_hidden": True}
    return {"cell_type": "code", "execution_count": None,
            "metadata": metadata, "outputs": [dict(o, **(
                {"execution_count": None}
                if o.get("output_type") == "execute_result" else {}))
                for o in outputs],
            "source": source}


def _without_dropped(output):
    if "data" not in output:
        return output
    data = {mime: value for mime, value in output["data"].items()
            if mime not in DROPPED_MIME}
    return dict(output, data=data)


def glue(name, value, display=True):
    """En el libro, ``glue`` pega un valor en el texto; aquí lo muestra.

    Reemplaza a ``myst_nb.glue`` en los cuadernos: con ``display=False``
    no muestra nada (el libro solo lo usaba para pegarlo en el texto).
    """
    if display:
        from IPython.display import display as show

        show(value)


def notebook_json(notebook):
    """El texto del ``.ipynb`` (UTF-8, sangría de 1 como Jupyter)."""
    return json.dumps(notebook, ensure_ascii=False, indent=1) + "\n"


# --------------------------------------------------------------------------
# Capítulos del libro y cuadernos escritos a disco


def chapter_number(source):
    """El número de capítulo de ``NN_nombre.md``, o ``None`` (apéndices)."""
    match = re.match(r"(\d+)_", Path(source).name)
    return int(match[1]) if match else None


def book_notebook(source, executed_dir=None, repository_url=""):
    """El cuaderno de una página del libro, con las salidas de la
    construcción que haya en ``executed_dir`` (``jupyter_execute/book``)."""
    source = Path(source)
    executed = (Path(executed_dir) / f"{source.stem}.ipynb"
                if executed_dir else None)
    return chapter_notebook(
        source, executed, chapter=chapter_number(source),
        labels=book_labels(source.parent),
        references=read_references(source.parent / "references.bib"),
        repository_url=repository_url)


def write_notebook(notebook, path):
    """Escribe el cuaderno de forma atómica (nunca queda a medias)."""
    files.write_text(Path(path), notebook_json(notebook))


def save_chapter_notebook(source, destination=None):
    """Escribe el cuaderno del capítulo cuyo MyST está en ``source``;
    devuelve ``(ruta, con_salidas)``.

    Usa el cuaderno que trae el paquete instalado (con las salidas de la
    construcción del libro) o lo genera desde el capítulo con las salidas
    de ``_build/jupyter_execute`` si el libro se construyó.
    """
    source = Path(source)
    name = source.with_suffix(".ipynb").name
    path = Path(destination) if destination else Path.cwd() / name
    packaged = PACKAGED_NOTEBOOKS / name
    if packaged.is_file():
        text = packaged.read_text(encoding="utf-8")
        files.write_text(path, text)
        return path, _has_outputs(json.loads(text))
    executed = CHECKOUT_EXECUTED / "book"
    notebook = book_notebook(source, executed if executed.is_dir() else None)
    write_notebook(notebook, path)
    return path, _has_outputs(notebook)


def _has_outputs(notebook):
    return any(cell.get("outputs") for cell in notebook["cells"])
