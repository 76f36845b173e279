"""Extensión de Sphinx: las ediciones impresas del libro (solo LaTeX).

Transforma el árbol del libro completo que arma el constructor LaTeX
(evento ``doctree-resolved``), sin tocar los capítulos ni el HTML:

- edición (``ESENCIALES_EDICION`` o ``esenciales_edicion``):
  ``estudiante`` quita las soluciones; ``docente`` las reúne al final de
  cada capítulo, en una sección «Soluciones»;
- marco (``ESENCIALES_MARCO`` o ``esenciales_marco``): ``keras`` o
  ``torch`` deja solo la pestaña de ese marco; vacío imprime las dos, cada
  una bajo su etiqueta;
- referencias a un capítulo: «capítulo N («título»)», que se lee igual en
  el libro y en un cuadernillo suelto;
- salidas de texto anchas: letra más chica hasta que la línea más larga
  quepa en el ancho del texto (sin cortes a mitad de palabra);
- colofón: edición, marco, fecha y commit en la portada.

Las opciones no obligan a releer los capítulos: cambiar de edición solo
vuelve a escribir el LaTeX.
"""

import datetime
import os
import re
import subprocess
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.errors import ConfigError

EDITIONS = {
    "estudiante": "Edición del estudiante (ejercicios sin soluciones)",
    "docente": "Edición docente (soluciones al final de cada capítulo)",
}
FRAMEWORKS = {"": "código en Keras y en PyTorch", "keras": "código en Keras",
              "torch": "código en PyTorch"}
TAB_LABELS = {"keras": "Keras", "torch": "PyTorch"}
MONTHS = ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio",
          "agosto", "septiembre", "octubre", "noviembre", "diciembre")
# Caracteres de la fuente monoespaciada que caben en una caja de salida
# (17,2 cm de texto menos el marco) en \small, 10 pt: DejaVu Sans Mono
# escalada al 84 % dibuja cada carácter de 0,602 × 8,4 pt.
OUTPUT_COLUMNS = 92
SMALL_POINTS = 10.0
SMALLEST_POINTS = 5.5
# Colores de terminal (los de la tabla de model.summary()): no ocupan
# columnas impresas.
ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
# Palabras inglesas (y nombres propios) que los patrones del español
# cortarían mal («bac-kend», «Dro-pout»): nunca se parten. Se suman las
# palabras en cursiva de los capítulos, que la guía reserva para los
# términos en inglés.
NO_HYPHENATION = ("PyTorch TensorFlow Keras NumPy backend dropout deep "
                  "learning machine batch pooling padding stride embedding "
                  "embeddings softmax overfitting early stopping transfer "
                  "kernel notebook notebooks dataset datasets framework "
                  "frameworks Transformer Transformers encoder decoder "
                  "autoencoder autoencoders tokens token").split()
ITALIC = re.compile(r"(?<![*\w])\*([A-Za-z][A-Za-z -]*[A-Za-z])\*(?![*\w])")


def raw(latex):
    """Nodo de LaTeX crudo."""
    return nodes.raw("", latex, format="latex")


def edition_label(config, root):
    """Texto del colofón: edición, marco, fecha y commit."""
    today = datetime.date.today()
    date = f"{today.day} de {MONTHS[today.month - 1]} de {today.year}"
    commit = git_commit(root)
    return (f"{EDITIONS[config.esenciales_edicion]}; "
            f"{FRAMEWORKS[config.esenciales_marco]}.\\\\ "
            f"Impreso el {date}, commit {commit}.")


def git_commit(root):
    """Commit corto del repositorio (con «+» si hay cambios sin guardar)."""
    try:
        commit = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
            capture_output=True, text=True, check=True).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain",
             "--untracked-files=no"],
            capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "desconocido"
    return commit + ("+" if dirty else "")


def english_words(source):
    """Palabras sin tildes en cursiva en los capítulos, más la lista fija."""
    words = set(NO_HYPHENATION)
    for chapter in sorted(Path(source, "book").glob("*.md")):
        for phrase in ITALIC.findall(chapter.read_text(encoding="utf-8")):
            words.update(word for word in re.split(r"[ -]", phrase)
                         if len(word) > 4)
    return sorted(words)


def read_options(app, config):
    """Variables de entorno (las del Makefile) y validación de opciones."""
    config.esenciales_edicion = os.environ.get(
        "ESENCIALES_EDICION", config.esenciales_edicion) or "estudiante"
    config.esenciales_marco = os.environ.get(
        "ESENCIALES_MARCO", config.esenciales_marco)
    if config.esenciales_edicion not in EDITIONS:
        raise ConfigError(f"Edición desconocida «{config.esenciales_edicion}»"
                          f"; valen: {', '.join(EDITIONS)}")
    if config.esenciales_marco not in FRAMEWORKS:
        raise ConfigError(f"Marco desconocido «{config.esenciales_marco}»; "
                          "valen keras, torch o nada (los dos)")
    elements = dict(config.latex_elements)
    elements["preamble"] = (
        elements.get("preamble", "")
        + f"\n\\renewcommand{{\\esencialescolofon}}"
        f"{{{edition_label(config, app.srcdir)}}}\n"
        # Excepciones del español (polyglossia): en el preámbulo el idioma
        # activo aún no es el español, y \hyphenation no llegaría a él.
        + "\\pghyphenation{spanish}{"
        + " ".join(english_words(app.srcdir)) + "}\n")
    config.latex_elements = elements


def is_component(node, name):
    """¿Es el nodo un componente de sphinx-design de ese nombre?"""
    return (isinstance(node, nodes.container)
            and node.get("design_component") == name)


def tab_framework(tab_item):
    """Marco de una pestaña («keras», «torch») o None si no es de marco."""
    label = tab_item.children[0]
    sync = str(label.get("sync_id", "")).casefold()
    text = label.astext().casefold()
    for key in ("keras", "torch"):
        if key in sync or key in text:
            return key
    return None


def print_tabs(tree, framework):
    """Pestañas como bloques rotulados, o solo las del marco pedido."""
    for tab_set in list(tree.findall(
            lambda n: is_component(n, "tab-set"))):
        blocks = []
        for item in tab_set.children:
            if not is_component(item, "tab-item"):
                continue
            label, content = item.children[0], item.children[-1]
            key = tab_framework(item)
            if framework and key and key != framework:
                continue
            if framework and key:
                blocks.extend(content.children)
                continue
            text = label.astext().replace("\\", "")
            blocks.append(raw(f"\\esencialespestana{{{text}}}\n"))
            blocks.extend(content.children)
            blocks.append(raw("\\esencialesfinpestana\n"))
        parent = tab_set.parent
        index = parent.index(tab_set)
        parent.remove(tab_set)
        for block in reversed(blocks):
            parent.insert(index, block)


def is_solution(node):
    return type(node).__name__ == "solution_node"


def chapters(tree, docnames):
    """Documentos incluidos del libro: (docname, sección principal).

    sphinx-jupyterbook-latex envuelve cada parte en otro start_of_file con
    el título de la parte por nombre: esos no son documentos.
    """
    for start in tree.findall(addnodes.start_of_file):
        if start["docname"] not in docnames:
            continue
        sections = [child for child in start.children
                    if isinstance(child, nodes.section)]
        if sections:
            yield start["docname"], sections[0]


def arrange_solutions(tree, edition, docnames):
    """Quita las soluciones o las lleva al final de su capítulo."""
    for _, section in chapters(tree, docnames):
        solutions = [node for node in section.findall(is_solution)]
        for node in solutions:
            node.parent.remove(node)
        if edition == "docente" and solutions:
            section.append(raw("\\esencialessoluciones\n"))
            for node in solutions:
                section.append(node)
                # Una figura no va dentro de un recuadro que se parte.
                for figure in list(node.findall(nodes.figure)):
                    figure.parent.remove(figure)
                    section.append(figure)


def secnumber(env, docname, anchor):
    """Número de sección («4» o «4.2») de un ancla, o None."""
    numbers = env.toc_secnumbers.get(docname, {})
    number = numbers.get("#" + anchor if anchor else "") or (
        numbers.get("") if not anchor else None)
    return ".".join(map(str, number)) if number else None


def top_anchor(env, docname, cache={}):
    """Ids de la primera sección de un documento."""
    if docname not in cache:
        doctree = env.get_doctree(docname)
        section = next(iter(doctree.findall(nodes.section)), None)
        cache[docname] = set(section["ids"]) if section else set()
    return cache[docname]


def chapter_references(app, tree):
    """«el capítulo «título»» pasa a «el capítulo N («título»)»."""
    env = app.env
    for ref in list(tree.findall(nodes.reference)):
        uri = ref.get("refuri", "")
        if not uri.startswith("%") or "#" not in uri:
            continue
        docname, anchor = uri[1:].split("#", 1)
        if anchor not in top_anchor(env, docname):
            continue
        number = secnumber(env, docname, "")
        if not number:
            continue
        title = env.titles[docname].astext()
        parent = ref.parent
        index = parent.index(ref)
        # El texto que precede, saltando los saltos de línea y las
        # comillas « sueltas que MyST deja como nodos aparte.
        back, quoted = index - 1, False
        while back >= 0 and isinstance(parent[back], nodes.Text) \
                and str(parent[back]).strip() in ("", "«"):
            quoted = quoted or "«" in str(parent[back])
            back -= 1
        before = parent[back] if back >= 0 else None
        after = parent[index + 1] if index + 1 < len(parent) else None
        word = "capítulo "
        if isinstance(before, nodes.Text):
            text = str(before)
            match = re.search(r"([Cc]apítulo)\s*«?\s*$", text)
            if match:
                word = ""
                quoted = quoted or text.rstrip().endswith("«")
                if quoted and isinstance(after, nodes.Text) \
                        and str(after).startswith("»"):
                    parent.replace(after, nodes.Text(str(after)[1:]))
                text = text[:match.start()] + match.group(1) + " "
                parent.replace(before, nodes.Text(text))
                for blank in range(back + 1, index):
                    parent.replace(parent[blank], nodes.Text(""))
        ref.children = [nodes.inline(
            "", f"{word}{number} («{title}»)")]


def is_text_output(node):
    """¿Es el nodo una salida de texto de una celda (flujo o text/plain)?"""
    return (isinstance(node, nodes.literal_block)
            and "output" in node.get("classes", []))


def is_output_container(node):
    """¿Es el nodo la caja de salidas de una celda de myst-nb?"""
    if not isinstance(node, nodes.container):
        return False
    classes = node.get("classes", [])
    return "cell_output" in classes or "cell-output" in classes


def merge_outputs(tree):
    """Salidas de texto seguidas de una celda, en un solo bloque.

    Keras imprime model.summary() con rich, que en Jupyter manda cada trozo
    de la tabla como una salida aparte: en papel serían cinco cajas.
    """
    for container in list(tree.findall(is_output_container)):
        children = list(container.children)
        for first, second in zip(children, children[1:]):
            if is_text_output(first) and is_text_output(second) \
                    and second.parent is container:
                text = first.astext().rstrip("\n") + "\n" + second.astext()
                second.children = [nodes.Text(text)]
                second.rawsource = text
                container.remove(first)


def fit_outputs(tree):
    """Salidas anchas con letra más chica: ninguna línea se corta."""
    for block in list(tree.findall(nodes.literal_block)):
        parent = block.parent
        if not (is_output_container(parent) or is_text_output(block)):
            continue
        text = ANSI.sub("", block.astext())
        width = max((len(line) for line in text.splitlines()), default=0)
        if width <= OUTPUT_COLUMNS:
            continue
        size = max(SMALLEST_POINTS, SMALL_POINTS * OUTPUT_COLUMNS / width)
        index = parent.index(block)
        parent.insert(index + 1, raw("\\endgroup\n"))
        parent.insert(index, raw(
            f"\\begingroup\\fvset{{fontsize=\\fontsize{{{size:.2f}}}"
            f"{{{size * 1.2:.2f}}}\\selectfont}}\n"))


def preface_heading(app, tree):
    """El prefacio (documento raíz) con su título en el libro impreso."""
    root = app.config.root_doc
    for section in tree.findall(nodes.section):
        if section.get("docname") == root or root in section.get("ids", []):
            break
    else:
        return
    title = next(iter(section.findall(nodes.title)), None)
    index = section.index(title) + 1 if title is not None else 0
    section.insert(index, raw(
        "\\chapter*{Prefacio}\\addcontentsline{toc}{chapter}{Prefacio}"
        "\\markboth{Prefacio}{Prefacio}\n"))


def transform(app, doctree, docname):
    """Aplica la edición al árbol del libro que arma LaTeX."""
    if app.builder.format != "latex":
        return
    config = app.config
    preface_heading(app, doctree)
    print_tabs(doctree, config.esenciales_marco)
    arrange_solutions(doctree, config.esenciales_edicion, app.env.all_docs)
    chapter_references(app, doctree)
    merge_outputs(doctree)
    fit_outputs(doctree)


def setup(app):
    app.add_config_value("esenciales_edicion", "estudiante", "")
    app.add_config_value("esenciales_marco", "", "")
    app.connect("config-inited", read_options)
    app.connect("doctree-resolved", transform)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
