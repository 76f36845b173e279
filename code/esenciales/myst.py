"""Leer un capítulo MyST con los tokens del propio analizador de MyST.

myst-parser lee el libro con markdown-it-py y sus complementos (vallas de
dos puntos, ``+++``, ``(etiqueta)=``, ``% comentario``, encabezado YAML).
Aquí se usan los mismos tokens, sin un analizador escrito a mano: cada
token de primer nivel trae las líneas que ocupa (``token.map``), así que
el texto corriente se conserva tal cual y solo las vallas, directivas y
marcas de MyST se reconocen como tales.
"""

import functools
import re
from dataclasses import dataclass
from pathlib import Path

ROLE = re.compile(r"\{(?P<name>[\w:.-]+)\}`(?P<text>[^`]+)`")
"""Un rol de MyST en línea: ``{cite}`clave```, ``{ref}`texto <etiqueta>```."""

_DIRECTIVE = re.compile(r"\{(?P<name>[\w:.-]+)\}\s*(?P<args>.*)", re.S)
_OPTION = re.compile(r"^:([\w-]+):\s*(.*)$")
_STRUCTURE = {"fence": "fence", "colon_fence": "fence",
              "myst_block_break": "break", "myst_target": "target",
              "myst_line_comment": "comment", "front_matter": "front_matter"}
"""Los tokens de primer nivel que no son texto corriente, por su clase."""


@dataclass(frozen=True)
class Block:
    """Un bloque de primer nivel de un texto MyST.

    ``kind``: «prose» (texto corriente), «fence» (código o directiva),
    «break» (``+++``), «target» (``(etiqueta)=``), «comment» (``% …``) o
    «front_matter». ``lines``: sus líneas tal como están en el texto. En
    una valla, ``name`` es la directiva (``code-cell``, ``figure``…; nada
    en un bloque de código corriente), ``args`` lo que sigue al nombre (o
    el lenguaje) y ``body`` el contenido, sin las vallas.
    """

    kind: str
    lines: tuple
    name: str | None = None
    args: str = ""
    body: str = ""


@functools.cache
def _parser():
    """El analizador de myst-parser: CommonMark y sus bloques de MyST."""
    from markdown_it import MarkdownIt
    from mdit_py_plugins.colon_fence import colon_fence_plugin
    from mdit_py_plugins.front_matter import front_matter_plugin
    from mdit_py_plugins.myst_blocks import myst_block_plugin

    return (MarkdownIt("commonmark").use(front_matter_plugin)
            .use(colon_fence_plugin).use(myst_block_plugin))


def blocks(text):
    """Los bloques de primer nivel de ``text``, en orden (ver ``Block``).

    Las líneas entre dos bloques de MyST son un bloque «prose»; el
    contenido de una directiva no se analiza aquí (se lee con otra
    llamada, como hace MyST con las directivas anidadas).
    """
    text = text.replace("\r\n", "\n")
    lines = text.split("\n")
    found, done = [], 0
    for token in _parser().parse(text):
        kind = _STRUCTURE.get(token.type)
        if kind is None or token.level != 0:
            continue
        start, end = token.map
        if start > done:
            found.append(Block("prose", tuple(lines[done:start])))
        found.append(_block(kind, token, tuple(lines[start:end])))
        done = end
    if done < len(lines):
        found.append(Block("prose", tuple(lines[done:])))
    return found


def _block(kind, token, lines):
    if kind == "target":
        return Block(kind, lines, args=token.content)
    if kind != "fence":
        return Block(kind, lines)
    directive = _DIRECTIVE.fullmatch(token.info.strip())
    if directive:
        return Block(kind, lines, directive["name"],
                     directive["args"].strip(), token.content)
    return Block(kind, lines, None, token.info.strip(), token.content)


def split_cells(text):
    """Divide un capítulo MyST en celdas.

    Devuelve una lista de ``(tipo, fuente, opciones)`` con tipo
    ``"markdown"`` o ``"code"``; las opciones son las de la celda de código
    (``tags``...). Quita el encabezado YAML de jupytext.
    """
    cells, markdown = [], []
    for block in blocks(text):
        if block.kind == "fence" and block.name == "code-cell":
            options, body = directive_options(block.body.split("\n"))
            _flush_markdown(cells, markdown)
            cells.append(("code", "\n".join(body).strip("\n"), options))
        elif block.kind == "break":
            _flush_markdown(cells, markdown)
        elif block.kind != "front_matter":
            markdown.extend(block.lines)
    _flush_markdown(cells, markdown)
    return cells


def _flush_markdown(cells, markdown):
    text = "\n".join(markdown).strip("\n")
    if text.strip():
        cells.append(("markdown", text, {}))
    markdown.clear()


def directive_options(lines):
    """Separa las opciones (``:clave: valor`` o bloque YAML) del cuerpo
    de una directiva; devuelve ``(opciones, líneas del cuerpo)``."""
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


def split_target(text):
    """``"texto <etiqueta>"`` → ``("texto", True, "etiqueta")``; sin
    etiqueta aparte → ``(text, False, text)``."""
    match = re.fullmatch(r"(.*?)\s*<([^<>]+)>", text, re.S)
    if match and match[1]:
        return match[1], True, match[2]
    return text, False, text


def plain_text(text):
    """El texto de una línea MyST sin roles ni marcas de énfasis."""
    return re.sub(r"[*_`]", "", ROLE.sub(
        lambda m: split_target(m["text"])[0], text))


def book_labels(book_dir):
    """Títulos de las secciones marcadas con ``(etiqueta)=`` en el libro:
    una etiqueta seguida de un encabezado."""
    labels = {}
    for path in sorted(Path(book_dir).glob("*.md")):
        tokens = _parser().parse(path.read_text(encoding="utf-8"))
        for target, heading, inline in zip(tokens, tokens[1:], tokens[2:]):
            if target.type == "myst_target" and \
                    heading.type == "heading_open":
                labels[target.content] = plain_text(inline.content)
    return labels
