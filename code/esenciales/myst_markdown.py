"""MyST a Markdown de Jupyter: directivas y roles traducidos.

``convert_markdown`` recibe el texto de una celda de Markdown de un
capítulo y devuelve Markdown que Jupyter muestra sin Sphinx: los pares de
pestañas Keras | PyTorch son dos bloques rotulados, ``literalinclude`` es
el código del paquete, las ecuaciones, figuras y ejercicios llevan su
número, las citas su autor y año, y los valores de ``glue`` el texto que
dejó la construcción del libro. ``BookContext`` lleva lo que la
conversión consulta.
"""

import ast
import base64
import mimetypes
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path

from esenciales.myst import ROLE, blocks, directive_options, split_target

PACKAGE_DIR = Path(__file__).resolve().parent
ADMONITION_TITLES = {
    "note": "Nota", "tip": "Consejo", "important": "Importante",
    "warning": "Advertencia", "caution": "Cuidado", "attention": "Atención",
    "danger": "Peligro", "error": "Error", "hint": "Pista",
    "seealso": "Véase también",
}
LANGUAGES = {".py": "python", ".json": "json", ".yml": "yaml",
             ".yaml": "yaml", ".toml": "toml", ".sh": "bash", ".txt": ""}


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


def convert_markdown(text, context):
    """Markdown de Jupyter equivalente a un trozo de MyST."""
    out, prose = [], []
    for block in blocks(text):
        if block.kind == "fence":
            out.append(_prose(prose, context))
            out.extend(_fence(block, context))
            prose = []
        elif block.kind == "prose":
            prose.extend(block.lines)
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


def _fence(block, context):
    if not block.name:  # código corriente: intacto
        return ["```" + block.args, block.body.rstrip("\n"), "```"]
    options, body = directive_options(block.body.rstrip("\n").split("\n"))
    body_text = "\n".join(body)
    handler = _DIRECTIVES.get(block.name)
    if handler is None and block.name in ADMONITION_TITLES:
        return _quote(ADMONITION_TITLES[block.name], body_text, context)
    if handler is None:  # directiva desconocida: su contenido, traducido
        return ["", convert_markdown(body_text, context), ""]
    return handler(block.args, options, body_text, context)


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
        role = ROLE.fullmatch(match[0])
        return (_role(role["name"], role["text"], context) if role
                else match[0])

    return _INLINE.sub(replace, line)


def _role(name, text, context):
    shown, _, target = split_target(text)
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
