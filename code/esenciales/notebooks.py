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

No importa ningún framework ni depende de Sphinx: escribe JSON del formato
nbformat 4 con la biblioteca estándar. Lo usan la extensión del libro
(``tools/cuadernos.py``, botón «.ipynb»), ``make dist`` (cuadernos dentro
del paquete) y el comando ``esenciales cuaderno N``.
"""

import ast
import base64
import json
import mimetypes
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from esenciales import files

PACKAGE_DIR = Path(__file__).resolve().parent
# Los cuadernos con salidas que «make dist» mete en el paquete (los
# capítulos los encuentra esenciales.cli.catalog). En el repositorio no
# existen: se generan desde book/ con las salidas de _build/, si las hay.
PACKAGED_NOTEBOOKS = PACKAGE_DIR / "cuadernos"
CHECKOUT_EXECUTED = PACKAGE_DIR.parents[1] / "_build" / "jupyter_execute"
# Salidas que Jupyter no muestra (el PDF de las figuras es para LaTeX).
DROPPED_MIME = ("application/pdf",)
NOTEBOOK_FORMAT = (4, 5)
KERNELSPEC = {"display_name": "Python 3", "language": "python",
              "name": "python3"}
# Celdas que el libro esconde: el cuaderno las muestra plegadas.
HIDDEN_TAGS = {"remove-cell", "remove-input", "hide-input", "hide-cell"}
ADMONITION_TITLES = {
    "note": "Nota", "tip": "Consejo", "important": "Importante",
    "warning": "Advertencia", "caution": "Cuidado", "attention": "Atención",
    "danger": "Peligro", "error": "Error", "hint": "Pista",
    "seealso": "Véase también",
}
LANGUAGES = {".py": "python", ".json": "json", ".yml": "yaml",
             ".yaml": "yaml", ".toml": "toml", ".sh": "bash", ".txt": ""}
GLUE_IMPORT = re.compile(r"^from myst_nb import glue\s*$", re.M)
GLUE_SHIM = ("from esenciales.notebooks import glue  "
             "# en el libro: myst_nb.glue")

_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|:{3,})"
                    r"\s*(?:\{(?P<name>[\w:.-]+)\})?\s*(?P<args>.*?)\s*$")
_ROLE = re.compile(r"\{(?P<name>[\w:.-]+)\}`(?P<text>[^`]+)`")
_TARGET = re.compile(r"^\(([\w:.-]+)\)=\s*$")
_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
_OPTION = re.compile(r"^:([\w-]+):\s*(.*)$")


# --------------------------------------------------------------------------
# Lectura del archivo MyST


def split_cells(text):
    """Divide un capítulo MyST en celdas.

    Devuelve una lista de ``(tipo, fuente, opciones)`` con tipo
    ``"markdown"`` o ``"code"``; las opciones son las de la celda de código
    (``tags``...). Quita el encabezado YAML de jupytext.
    """
    lines = _strip_front_matter(text).splitlines()
    cells, markdown, i = [], [], 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if match and match["name"] == "code-cell":
            end = _closing_line(lines, i)
            options, body = _directive_options(lines[i + 1:end])
            _flush_markdown(cells, markdown)
            cells.append(("code", "\n".join(body).strip("\n"), options))
            i = end + 1
        elif lines[i].strip() == "+++" or lines[i].startswith("+++ "):
            _flush_markdown(cells, markdown)
            i += 1
        elif match and match["fence"]:
            end = _closing_line(lines, i)  # directiva o código: de una vez
            markdown.extend(lines[i:end + 1])
            i = end + 1
        else:
            markdown.append(lines[i])
            i += 1
    _flush_markdown(cells, markdown)
    return cells


def _strip_front_matter(text):
    if text.startswith("---\n"):
        end = text.find("\n---", 4)
        if end != -1:
            return text[text.index("\n", end + 1) + 1:]
    return text


def _flush_markdown(cells, markdown):
    text = "\n".join(markdown).strip("\n")
    if text.strip():
        cells.append(("markdown", text, {}))
    markdown.clear()


def _closing_line(lines, start):
    """Índice de la línea que cierra la valla abierta en ``start``."""
    fence = _FENCE.match(lines[start])["fence"]
    closer = re.compile(rf"^ {{0,3}}{re.escape(fence[0])}{{{len(fence)},}}"
                        r"\s*$")
    for j in range(start + 1, len(lines)):
        if closer.match(lines[j]):
            return j
    return len(lines)


def _directive_options(lines):
    """Separa las opciones (``:clave: valor`` o bloque YAML) del cuerpo."""
    options, i = {}, 0
    if lines and lines[0].strip() == "---":
        end = next((j for j in range(1, len(lines))
                    if lines[j].strip() == "---"), 0)
        for line in lines[1:end]:
            key, _, value = line.partition(":")
            if value:
                options[key.strip()] = _option_value(value.strip())
        i = end + 1
    else:
        while i < len(lines) and _OPTION.match(lines[i]):
            key, value = _OPTION.match(lines[i]).groups()
            options[key] = _option_value(value.strip())
            i += 1
    body = lines[i:]
    while body and not body[0].strip():
        body = body[1:]
    return options, body


def _option_value(value):
    if value.startswith("[") and value.endswith("]"):
        return [item.strip().strip("'\"") for item in value[1:-1].split(",")
                if item.strip()]
    return value


# --------------------------------------------------------------------------
# Lo que el cuaderno necesita saber del libro


@dataclass
class BookContext:
    """Lo que la conversión consulta: números, títulos, citas, glue."""

    chapter: int | None = None
    source_dir: Path = Path(".")
    labels: dict = field(default_factory=dict)      # etiqueta -> título
    references: dict = field(default_factory=dict)  # clave -> (autor, año)
    glue: dict = field(default_factory=dict)        # nombre -> salida
    equations: dict = field(default_factory=dict)   # etiqueta -> número
    figures: dict = field(default_factory=dict)     # etiqueta -> número
    exercises: dict = field(default_factory=dict)   # etiqueta -> número
    attachments: dict = field(default_factory=dict)

    def number(self, kind, label):
        """Numera etiquetas en el orden en que aparecen (2.1, 2.2...)."""
        table = getattr(self, kind)
        if label not in table:
            count = len(table) + 1
            table[label] = (f"{self.chapter}.{count}" if self.chapter
                            else str(count))
        return table[label]


def book_labels(book_dir):
    """Títulos de las secciones marcadas con ``(etiqueta)=`` en el libro."""
    labels = {}
    for path in sorted(Path(book_dir).glob("*.md")):
        lines = path.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines[:-1]):
            target = _TARGET.match(line)
            heading = next((_HEADING.match(later) for later in lines[i + 1:]
                            if later.strip()), None)
            if target and heading:
                labels[target[1]] = _plain(heading[2])
    return labels


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
# Markdown: directivas y roles de MyST a Markdown de Jupyter


def convert_markdown(text, context):
    """Markdown de Jupyter equivalente a un trozo de MyST."""
    lines = text.splitlines()
    out, prose, i = [], [], 0
    while i < len(lines):
        match = _FENCE.match(lines[i])
        if match:
            end = _closing_line(lines, i)
            out.append(_prose(prose, context))
            out.extend(_fence(match, lines[i + 1:end], context))
            prose, i = [], end + 1
            continue
        line = lines[i]
        if not (_TARGET.match(line) or line.lstrip().startswith("% ")):
            prose.append(line)
        i += 1
    out.append(_prose(prose, context))
    return _tidy("\n".join(out))


def _prose(lines, context):
    """Texto corriente: listas de definiciones y roles (aun partidos)."""
    out = []
    for line in lines:
        if line.startswith(": ") and out and out[-1].strip():
            out[-1] = f"- **{out[-1].strip()}**:"
            out.append("  " + line[2:])
        else:
            out.append(line)
    return _inline("\n".join(out), context)


def _tidy(text):
    return re.sub(r"\n{3,}", "\n\n", text).strip("\n")


def _fence(match, lines, context):
    name, args = match["name"], match["args"]
    if not name:  # código corriente: intacto
        language = args or ""
        return ["```" + language, *lines, "```"]
    options, body = _directive_options(lines)
    body_text = "\n".join(body)
    handler = _DIRECTIVES.get(name)
    if handler is None and name in ADMONITION_TITLES:
        return _quote(ADMONITION_TITLES[name], body_text, context)
    if handler is None:  # directiva desconocida: su contenido, traducido
        return ["", convert_markdown(body_text, context), ""]
    return handler(args, options, body_text, context)


def _quote(title, body, context):
    text = convert_markdown(body, context)
    quoted = [f"> **{title}.**", ">"]
    quoted += [f"> {line}" if line else ">" for line in text.splitlines()]
    return ["", *quoted, ""]


def _admonition(args, options, body, context):
    return _quote(_inline(args, context) or "Nota", body, context)


def _dropdown(args, options, body, context):
    return _details(_inline(args, context) or "Más", body, context)


def _details(summary, body, context):
    return ["", "<details>", f"<summary>{summary}</summary>", "",
            convert_markdown(body, context), "", "</details>", ""]


def _math(args, options, body, context):
    formula = (body or args).strip()
    label = options.get("label")
    if label:
        formula += rf" \tag{{{context.number('equations', label)}}}"
    return ["", "$$", formula, "$$", ""]


def _tab_set(args, options, body, context):
    return ["", convert_markdown(body, context), ""]


def _tab_item(args, options, body, context):
    return ["", f"**{_inline(args, context)}**", "",
            convert_markdown(body, context), ""]


def _literalinclude(args, options, body, context):
    path = package_source(args, context.source_dir)
    code = include_source(path, options)
    language = options.get("language", LANGUAGES.get(path.suffix, ""))
    shown = path.relative_to(PACKAGE_DIR.parent).as_posix()
    what = f", `{options['pyobject']}`" if "pyobject" in options else ""
    return ["", f"*Del paquete: `{shown}`{what}*", "",
            f"```{language}", code.rstrip("\n"), "```", ""]


def _code_block(args, options, body, context):
    return ["", f"```{args.split()[0] if args else ''}", body, "```", ""]


def _exercise(args, options, body, context):
    number = context.number("exercises", options.get("label", object()))
    title = f"Ejercicio {number}"
    if args:
        title += f": {_inline(args, context)}"
    return ["", f"#### {title}", "", convert_markdown(body, context), ""]


def _solution(args, options, body, context):
    number = context.exercises.get(args.strip())
    summary = f"Solución del ejercicio {number}" if number else "Solución"
    return _details(summary, body, context)


def _figure(args, options, body, context):
    path = (context.source_dir / args.strip()).resolve()
    name = _attach(context, path.name, path.read_bytes(),
                   mimetypes.guess_type(path.name)[0] or "image/png")
    return _figure_lines(name, options, body, context)


def _glue_figure(args, options, body, context):
    output = context.glue.get(args.strip())
    image = _best_image(output) if output else None
    if image is None:
        return ["", f"*(Figura «{args.strip()}»: aparece al ejecutar el "
                "cuaderno.)*", ""]
    mime, data = image
    extension = mimetypes.guess_extension(mime) or ".png"
    name = _attach(context, args.strip() + extension, data, mime)
    return _figure_lines(name, options, body, context)


def _figure_lines(attachment, options, body, context):
    alt = options.get("alt", "").replace("[", "(").replace("]", ")")
    label = options.get("name")
    caption = convert_markdown(body, context)
    lines = ["", f"![{alt}](attachment:{attachment})", ""]
    if caption:
        prefix = (f"**Figura {context.number('figures', label)}.** "
                  if label else "")
        lines += [prefix + caption, ""]
    return lines


def _glue_block(args, options, body, context):
    return ["", _glue_text(args.strip(), context), ""]


def _glue_math(args, options, body, context):
    value = _glue_text(args.strip(), context, "text/latex")
    return ["", "$$", value.strip("$ \n"), "$$", ""]


def _drop(args, options, body, context):
    return []


def _raw(args, options, body, context):
    return ["", body, ""] if args.strip() == "html" else []


def _glossary(args, options, body, context):
    lines, out = body.splitlines(), []
    for line in lines:
        if line and not line.startswith(" "):
            out += ["", f"**{_inline(line, context)}**"]
        else:
            out.append(": " + _inline(line.strip(), context)
                       if line.strip() else "")
    return ["", "\n".join(out).replace("\n: ", "\n"), ""]


_DIRECTIVES = {
    "admonition": _admonition, "dropdown": _dropdown, "math": _math,
    "tab-set": _tab_set, "tab-item": _tab_item,
    "literalinclude": _literalinclude, "code-block": _code_block,
    "code": _code_block, "exercise": _exercise, "solution": _solution,
    "figure": _figure, "image": _figure, "glue:figure": _glue_figure,
    "glue": _glue_block, "glue:any": _glue_block, "glue:md": _glue_block,
    "glue:text": _glue_block, "glue:math": _glue_math,
    "bibliography": _drop, "toctree": _drop, "tableofcontents": _drop,
    "raw": _raw, "glossary": _glossary,
}


_INLINE = re.compile(r"\{[\w:.-]+\}`[^`]+`|\$\$.*?\$\$|\$[^$]+\$"
                     r"|``.+?``|`[^`]+`", re.S)


def _inline(line, context):
    """Los roles de una línea (``{term}``, ``{cite}``, ``{glue:text}``...).

    Las fórmulas y el código en línea quedan intactos.
    """
    def replace(match):
        role = _ROLE.fullmatch(match[0])
        return (_role(role["name"], role["text"], context) if role
                else match[0])

    return _INLINE.sub(replace, line)


def _role(name, text, context):
    shown, _, target = _split_target(text)
    if name in ("cite", "cite:p", "cite:t", "cite:ps", "cite:ts"):
        return _cite(name, text, context)
    if name.startswith("glue") and name != "glue:figure":
        mime = "text/markdown" if name == "glue:md" else None
        return _glue_text(text, context, mime)
    if name == "eq":
        return f"({context.number('equations', target)})"
    if name == "numref":
        number = context.figures.get(target)
        if number is None:
            return shown if shown != target else f"«{target}»"
        return (shown.replace("%s", number).replace("{number}", number)
                if shown != target else f"figura {number}")
    if name in ("ref", "doc"):
        if shown != target:
            return shown
        return context.labels.get(target, target)
    if name == "math":
        return f"${text}$"
    if name in ("sub", "sup"):
        return f"<{name}>{text}</{name}>"
    if name == "kbd":
        return f"<kbd>{text}</kbd>"
    if name in ("code", "file", "command", "samp"):
        return f"`{text}`"
    return shown  # term, abbr, index, download...


def _split_target(text):
    match = re.fullmatch(r"(.*?)\s*<([^<>]+)>", text, re.S)
    if match and match[1]:
        return match[1], True, match[2]
    return text, False, text


def _cite(name, text, context):
    keys = [key.strip() for key in text.split(",")]
    cited = [context.references.get(key, (key, "")) for key in keys]
    if name.startswith("cite:t"):
        return "; ".join(f"{who} ({year})" for who, year in cited)
    return "(" + "; ".join(f"{who}, {year}" for who, year in cited) + ")"


def _glue_text(text, context, mime=None):
    name, _, spec = text.partition(":")
    output = context.glue.get(name.strip())
    if output is None:
        return f"*[«{name.strip()}», al ejecutar]*"
    for kind in ((mime,) if mime else ()) + ("text/markdown",
                                              "text/latex", "text/plain"):
        if kind and kind in output:
            value = output[kind]
            value = "".join(value) if isinstance(value, list) else value
            break
    else:
        return f"*[«{name.strip()}»]*"
    value = value.strip()
    if kind == "text/plain" and len(value) > 1 and value[0] == value[-1] \
            and value[0] in "'\"":
        value = value[1:-1]
    if spec:
        try:
            value = format(float(value), spec)
        except ValueError:
            pass
    return value


def _best_image(output):
    for mime in ("image/png", "image/svg+xml", "image/jpeg"):
        if mime in output:
            data = output[mime]
            return mime, "".join(data) if isinstance(data, list) else data
    return None


def _attach(context, name, data, mime):
    """Guarda una imagen como adjunto de la celda; devuelve su nombre."""
    if isinstance(data, bytes):
        data = (data.decode("utf-8") if mime == "image/svg+xml"
                else base64.b64encode(data).decode("ascii"))
    context.attachments[name] = {mime: data}
    return name


def _plain(text):
    return re.sub(r"[*_`]", "", _ROLE.sub(lambda m: _split_target(
        m["text"])[0], text))


# --------------------------------------------------------------------------
# Código del paquete mostrado como código


def package_source(argument, source_dir):
    """El archivo del paquete que nombra un ``literalinclude``.

    ``../code/esenciales/scratch/conv.py`` se busca junto a este módulo
    (``esenciales/scratch/conv.py``): sirve en el repositorio y en el paquete
    instalado, donde no hay carpeta ``code/``.
    """
    parts = Path(argument.strip()).parts
    if "esenciales" in parts:
        inside = parts[len(parts) - 1 - parts[::-1].index("esenciales"):]
        path = PACKAGE_DIR.parent.joinpath(*inside)
    else:
        path = (Path(source_dir) / argument.strip()).resolve()
    if not path.exists():
        raise FileNotFoundError(f"literalinclude: no existe {path}")
    return path


def include_source(path, options):
    """El texto que ``literalinclude`` mostraría con esas opciones."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    if "pyobject" in options:
        start, end = _pyobject_lines(path, "\n".join(lines),
                                     options["pyobject"])
        lines = lines[start - 1:end]
    lines = _cut(lines, options)
    if "lines" in options:
        chosen = []
        for piece in str(options["lines"]).split(","):
            first, _, last = piece.strip().partition("-")
            chosen += lines[int(first) - 1:int(last or first)]
        lines = chosen
    return textwrap.dedent("\n".join(lines))


def _pyobject_lines(path, text, dotted):
    """Primera y última línea (desde 1) de una función o clase."""
    nodes = ast.parse(text).body
    node = None
    for name in dotted.split("."):
        node = next((n for n in nodes if isinstance(
            n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef))
            and n.name == name), None)
        if node is None:
            raise ValueError(
                f"literalinclude: «{dotted}» no está en {path}")
        nodes = node.body
    return node.lineno, node.end_lineno


def _cut(lines, options):
    for key, after in (("start-after", True), ("start-at", False)):
        if key in options:
            index = next(i for i, line in enumerate(lines)
                         if options[key] in line)
            lines = lines[index + after:]
    for key, keep in (("end-before", False), ("end-at", True)):
        if key in options:
            index = next(i for i, line in enumerate(lines)
                         if options[key] in line)
            lines = lines[:index + keep]
    return lines


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


def save_chapter_notebook(chapter, destination=None):
    """Escribe el cuaderno de ``chapter`` (un ``cli.catalog.Chapter``);
    devuelve ``(ruta, con_salidas)``.

    Usa el cuaderno que trae el paquete instalado (con las salidas de la
    construcción del libro) o lo genera desde el capítulo con las salidas
    de ``_build/jupyter_execute`` si el libro se construyó.
    """
    from esenciales.cli import catalog

    name = Path(chapter.filename).with_suffix(".ipynb").name
    path = Path(destination) if destination else Path.cwd() / name
    packaged = PACKAGED_NOTEBOOKS / name
    if packaged.is_file():
        text = packaged.read_text(encoding="utf-8")
        files.write_text(path, text)
        return path, _has_outputs(json.loads(text))
    source = catalog.chapter_source(chapter)
    executed = CHECKOUT_EXECUTED / "book"
    notebook = book_notebook(source, executed if executed.is_dir() else None)
    write_notebook(notebook, path)
    return path, _has_outputs(notebook)


def _has_outputs(notebook):
    return any(cell.get("outputs") for cell in notebook["cells"])
