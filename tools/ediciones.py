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

import ast
import datetime
import math
import os
import re
import subprocess
import unicodedata
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
PAPERS = {"carta": ("letterpaper", "carta"), "a4": ("a4paper", "A4")}
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


def replace_text(old, new):
    """Pone el texto ``new`` en el lugar del nodo de texto ``old``.

    No sirve ``parent.replace(old, …)``: un ``nodes.Text`` es un ``str`` y
    ``parent.index`` encuentra el primer hermano con el mismo texto, no
    ``old`` (un salto de línea de otra frase, por ejemplo, que al borrarse
    pegaba dos palabras: «laCNN»).
    """
    parent = old.parent
    position = next(i for i, child in enumerate(parent.children)
                    if child is old)
    parent[position] = nodes.Text(new)


def raw(latex):
    """Nodo de LaTeX crudo."""
    return nodes.raw("", latex, format="latex")


def edition_label(config, root):
    """Texto del colofón: edición, marco, fecha y commit."""
    today = datetime.date.today()
    date = f"{today.day} de {MONTHS[today.month - 1]} de {today.year}"
    commit = git_commit(root)
    return (f"{EDITIONS[config.esenciales_edicion]}; "
            f"{FRAMEWORKS[config.esenciales_marco]}; "
            f"papel {PAPERS[config.esenciales_papel][1]}.\\\\ "
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
    config.esenciales_papel = os.environ.get(
        "ESENCIALES_PAPEL", config.esenciales_papel) or "carta"
    if config.esenciales_papel not in PAPERS:
        raise ConfigError(f"Papel desconocido «{config.esenciales_papel}»; "
                          "valen carta o a4")
    if config.esenciales_marco not in FRAMEWORKS:
        raise ConfigError(f"Marco desconocido «{config.esenciales_marco}»; "
                          "valen keras, torch o nada (los dos)")
    elements = dict(config.latex_elements)
    elements["papersize"] = PAPERS[config.esenciales_papel][0]
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


def tab_figures(blocks):
    """Las figuras de un grupo de pestañas si cada una tiene solo figuras,
    las mismas en número (gemelas Keras | PyTorch, diagramas A–D), o None.

    Van fila por fila: la primera figura de cada pestaña, luego la segunda.
    """
    columns = []
    for content in blocks:
        kept = [node for node in content
                if not isinstance(node, (nodes.target, nodes.comment))]
        if not kept or not all(isinstance(node, nodes.figure)
                               for node in kept):
            return None
        columns.append(kept)
    if len(columns) < 2 or len({len(column) for column in columns}) != 1:
        return None
    if len(columns[0]) == 1:
        return [column[0] for column in columns]
    if len(columns) != 2:
        return None
    return [figure for row in zip(*columns) for figure in row]


def figure_grid(figures, builder):
    """Varias figuras en un solo flotante, de a dos por fila.

    Cada una conserva su número, su leyenda y su etiqueta: dentro del
    flotante, el entorno figure que escribe Sphinx para cada una pasa a
    ser una minipágina de media columna. Una figura con versión angosta
    (la del teléfono, ``tools/pantallas.py``) se imprime con esa: está
    dibujada para ese ancho y su letra no se achica.
    """
    for figure in figures:
        use_narrow_version(figure, builder)
    blocks = [raw("\\begin{figure}[tbp]\\centering\\begingroup"
                  "\\esencialesfigurasjuntas\n")]
    for index, figure in enumerate(figures):
        blocks.append(figure)
        last = index + 1 == len(figures)
        if not last:
            blocks.append(raw("\\hfill\n" if index % 2 == 0
                              else "\\esencialesfila\n"))
    blocks.append(raw("\\endgroup\\end{figure}\n"))
    return blocks


WIDE_VERSION = "esenciales-version-ancha"
"""Comentario del LaTeX que nombra la versión ancha de una figura impresa
con la angosta: la hoja de resumen (``tools/handouts.py``) imprime esa."""


def use_narrow_version(figure, builder):
    """Cambia la imagen de ``figure`` por su versión angosta, si la tiene.

    La ancha se copia igual junto al LaTeX y queda nombrada en un
    comentario (``WIDE_VERSION``), para quien la imprima a todo el ancho.
    """
    for image in list(figure.findall(nodes.image)):
        narrow = image.get("narrow")
        if not narrow:
            continue
        wide = image["uri"]
        builder.images[wide] = builder.env.images[wide][1]
        image["uri"] = narrow["uri"]
        image["candidates"] = narrow["candidates"]
        image.parent.insert(image.parent.index(image) + 1, raw(
            f"%{WIDE_VERSION}: {builder.images[wide]}\n"))


def print_tabs(tree, framework, builder):
    """Pestañas como bloques rotulados, o solo las del marco pedido; las
    que solo tienen una figura cada una, en un flotante, lado a lado."""
    for tab_set in list(tree.findall(
            lambda n: is_component(n, "tab-set"))):
        blocks = []
        items = []
        for item in tab_set.children:
            if not is_component(item, "tab-item"):
                continue
            label, content = item.children[0], item.children[-1]
            key = tab_framework(item)
            if framework and key and key != framework:
                continue
            items.append(content.children)
            if framework and key:
                blocks.extend(content.children)
                continue
            text = label.astext().replace("\\", "")
            blocks.append(raw(f"\\esencialespestana{{{text}}}\n"))
            blocks.extend(content.children)
            blocks.append(raw("\\esencialesfinpestana\n"))
        figures = tab_figures(items)
        if figures:
            blocks = figure_grid(figures, builder)
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


def is_exercise(node):
    return type(node).__name__ in ("exercise_node", "exercise_enumerable_node")


EXERCISE_NUMBER = re.compile(r"\b(Ejercicio\s+)([\dA-Z]+(?:\.\d+)*)")


def chapter_labels(env, docs):
    """Lo que antecede al número de un ejercicio en cada documento: el
    número del capítulo («7») o la letra del apéndice («B»).

    docs: los documentos en el orden del libro. Los que no tienen número y
    vienen después del primer capítulo numerado son apéndices: LaTeX les
    da las letras A, B, … en ese orden (\\appendix).
    """
    labels, letters, numbered = {}, 0, False
    for docname in docs:
        number = secnumber(env, docname, "")
        if number:
            labels[docname], numbered = number, True
        elif numbered:
            labels[docname] = chr(ord("A") + letters)
            letters += 1
    return labels


def renumber_exercises(env, tree, docnames):
    """Ejercicios numerados como en el HTML: «Ejercicio 7.1», «Ejercicio
    B.2» (capítulo o apéndice y orden dentro de él).

    sphinx-exercise numera los títulos del LaTeX con el índice de figuras
    de una sección que no siempre es el capítulo («Ejercicio 7.8.1» en el
    capítulo 7; «Ejercicio 1» en un apéndice, que no tiene número). Se
    corrigen los títulos, los de sus soluciones y las referencias a ellos.
    """
    found = list(chapters(tree, docnames))
    labels = chapter_labels(env, [docname for docname, _ in found])
    numbers = {}
    for docname, section in found:
        if docname not in labels:
            continue
        count = 0
        for exercise in section.findall(is_exercise):
            title = exercise.children[0] if exercise.children else None
            if not isinstance(title, nodes.title):
                continue
            text = next(iter(title.findall(nodes.Text)), None)
            if text is None or not EXERCISE_NUMBER.match(str(text)):
                continue
            count += 1
            new = f"{labels[docname]}.{count}"
            replace_text(text, EXERCISE_NUMBER.sub(
                lambda match: match[1] + new, str(text), count=1))
            numbers[exercise.get("label")] = new
    for node in tree.findall(nodes.Element):
        if is_solution(node):
            label = node.get("target_label")
        elif type(node).__name__ == "exercise_latex_number_reference":
            label = node.get("refid")
        else:
            continue
        if label not in numbers:
            continue
        for text in list(node.findall(nodes.Text)):
            if EXERCISE_NUMBER.search(str(text)):
                replace_text(text, EXERCISE_NUMBER.sub(
                    lambda match: match[1] + numbers[label], str(text),
                    count=1))
                break


def solution_title(solution):
    """«Solución a Ejercicio 3.1 (…)» pasa a «Solución del ejercicio 3.1
    (…)»."""
    title = solution.children[0] if solution.children else None
    if not isinstance(title, nodes.title):
        return
    for text in list(title.findall(nodes.Text)):
        new = re.sub(r"^Solución a\b", "Solución del ejercicio", str(text))
        new = re.sub(r"^(\s*)Ejercicio\s+(?=[\dA-Z])", r"\1", new)
        if new != str(text):
            replace_text(text, new)


# Caracteres de una línea de enunciado (\\small, 17,2 cm) y líneas del
# comienzo de una solución que van en la misma página que su enunciado;
# un enunciado más largo que STATEMENT_MAX_LINES se deja partir.
STATEMENT_COLUMNS = 95
SOLUTION_START_LINES = 6
STATEMENT_MAX_LINES = 36


def statement_lines(blocks):
    """Líneas que ocupa un enunciado impreso (aproximado por lo alto):
    cada párrafo según su largo, cada listado según sus líneas, más el
    título y el aire entre bloques."""
    lines = 2
    for node in blocks:
        if isinstance(node, nodes.literal_block):
            lines += node.astext().count("\n") + 2
            continue
        for paragraph in node.findall(nodes.paragraph) \
                if not isinstance(node, nodes.paragraph) else [node]:
            lines += -(-len(paragraph.astext()) // STATEMENT_COLUMNS)
        lines += 1
    return lines


def statement(exercise):
    """El enunciado de un ejercicio, para imprimirlo antes de su solución:
    su título («Ejercicio 3.1 (Contar parámetros)») y su texto, sin ids
    (las etiquetas ya están en el ejercicio).

    El enunciado y el comienzo de su solución van en la misma página
    cuando caben: \\esencialesenunciado pide el espacio de los dos (en
    líneas) y la solución que sigue no vuelve a pedirlo.
    """
    title = exercise.children[0].astext()
    copies = []
    for part in exercise.children[1:]:
        content = part.children if isinstance(part, nodes.section) else [part]
        for node in content:
            copy = node.deepcopy()
            for element in copy.findall(nodes.Element):
                element["ids"] = []
            copies.append(copy)
    lines = statement_lines(copies) + SOLUTION_START_LINES
    if lines > STATEMENT_MAX_LINES:
        lines = SOLUTION_START_LINES
    head = raw(f"\\esencialesenunciado[{lines}]{{"
               + title.replace("\\", "").replace("{", "").replace("}", "")
               + "}\n")
    return [head, *copies, raw("\\esencialesfinenunciado\n")]


def arrange_solutions(tree, edition, docnames):
    """Quita las soluciones o las lleva al final de su capítulo, cada una
    tras el enunciado de su ejercicio."""
    for _, section in chapters(tree, docnames):
        solutions = [node for node in section.findall(is_solution)]
        exercises = {node.get("label"): node
                     for node in section.findall(is_exercise)}
        for node in solutions:
            node.parent.remove(node)
        if edition == "docente" and solutions:
            section.append(raw("\\esencialessoluciones\n"))
            for node in solutions:
                exercise = exercises.get(node.get("target_label"))
                if exercise is not None:
                    section.extend(statement(exercise))
                solution_title(node)
                section.append(node)
                # Una figura no va dentro de un recuadro que se parte.
                for figure in list(node.findall(nodes.figure)):
                    figure.parent.remove(figure)
                    section.append(figure)


def secnumber(env, docname, anchor):
    """Número de sección («4» o «4.2») de un ancla, o None.

    El índice de Sphinx numera cada sección por su primer id; una etiqueta
    MyST puede ser otro id de la misma sección.
    """
    numbers = env.toc_secnumbers.get(docname, {})
    if not anchor:
        number = numbers.get("")
    else:
        number = None
        for name in section_ids(env, docname, anchor):
            number = number or numbers.get("#" + name)
    return ".".join(map(str, number)) if number else None


def section_ids(env, docname, anchor, cache={}):
    """Todos los ids de la sección que tiene el ancla (o solo el ancla)."""
    if docname not in cache:
        cache[docname] = {}
        try:
            doctree = env.get_doctree(docname)
        except (AttributeError, FileNotFoundError, KeyError):
            doctree = None
        for section in (doctree.findall(nodes.section) if doctree else ()):
            for name in section["ids"]:
                cache[docname][name] = section["ids"]
    return cache[docname].get(anchor, [anchor])


def top_anchor(env, docname, cache={}):
    """Ids de la primera sección de un documento."""
    if docname not in cache:
        doctree = env.get_doctree(docname)
        section = next(iter(doctree.findall(nodes.section)), None)
        cache[docname] = set(section["ids"]) if section else set()
    return cache[docname]


def latex_id(docname, anchor):
    """La etiqueta LaTeX que Sphinx escribe para un ancla de un documento."""
    return f"\\detokenize{{{docname}:{anchor}}}"


def owners(tree):
    """Documento de cada referencia interna del libro, por id del nodo.

    Sphinx arma el libro poniendo cada documento en un start_of_file sin
    enlazarlo como padre: se recorre de arriba abajo (el más interno gana).
    """
    found = {}
    for start in tree.findall(addnodes.start_of_file):
        for ref in start.findall(nodes.reference):
            found[id(ref)] = start["docname"]
    return found


def document_uri(ref, owner):
    """«%documento#ancla» de una referencia interna al mismo documento
    (Sphinx le pone refid, sin refuri), o ""."""
    if not ref.get("refid") or not ref.get("internal", True) \
            or id(ref) not in owner:
        return ""
    return f"%{owner[id(ref)]}#{ref['refid']}"


def reference_words(parent, index, words):
    """Quita la palabra que precede a una referencia («la sección «»).

    Devuelve la palabra que la precedía («sección», «Capítulo»…) o None.
    Salta los saltos de línea y las comillas « sueltas que MyST deja como
    nodos aparte, y quita la » que cierra el título tras la referencia.
    """
    back, quoted = index - 1, False
    while back >= 0 and isinstance(parent[back], nodes.Text) \
            and str(parent[back]).strip() in ("", "«"):
        quoted = quoted or "«" in str(parent[back])
        back -= 1
    before = parent[back] if back >= 0 else None
    after = parent[index + 1] if index + 1 < len(parent) else None
    if not isinstance(before, nodes.Text):
        return None
    text = str(before)
    match = re.search(r"(" + words + r")\s*«?\s*$", text, re.I)
    if not match:
        return None
    quoted = quoted or text.rstrip().endswith("«")
    if quoted and isinstance(after, nodes.Text) \
            and str(after).startswith("»"):
        replace_text(after, str(after)[1:])
    replace_text(before, text[:match.start()] + match.group(1) + " ")
    for blank in range(back + 1, index):
        replace_text(parent[blank], "")
    return match.group(1)


def chapter_references(app, tree):
    """Referencias a capítulos y secciones con número y página.

    «el capítulo «título»» pasa a «el capítulo N («título»)»; «la sección
    «título»», a «la sección 3.8, p. 71»; un apéndice, a «apéndice B
    («Glosario», p. 250)». El número y la página los pone LaTeX (\\ref*,
    \\pageref*): en un cuadernillo valen lo mismo que en el libro.
    """
    env = app.env
    owner = owners(tree)
    for ref in list(tree.findall(nodes.reference)):
        uri = ref.get("refuri", "") or document_uri(ref, owner)
        if not uri.startswith("%") or "#" not in uri:
            continue
        if any("std-term" in child.get("classes", [])
               for child in ref.children if isinstance(child, nodes.Element)):
            continue
        docname, anchor = uri[1:].split("#", 1)
        parent = ref.parent
        index = parent.index(ref)
        label = latex_id(docname, anchor)
        page = raw(f", p.~\\pageref*{{{label}}}")
        if anchor in top_anchor(env, docname):
            title = env.titles[docname].astext()
            number = secnumber(env, docname, "")
            if number:
                word = reference_words(parent, index, "[Cc]apítulo")
                ref[:] = [nodes.inline(
                    "", f"{'' if word else 'capítulo '}{number} («{title}»)")]
            else:
                word = reference_words(parent, index, "[Aa]péndice")
                ref[:] = [nodes.inline("", "" if word else "apéndice "),
                          raw(f"\\ref*{{{label}}}"),
                          nodes.inline("", f" («{title}»"), page,
                          nodes.inline("", ")")]
            continue
        number = secnumber(env, docname, anchor)
        if not number:
            continue
        if ref.astext() != section_name(env, anchor, ref.astext()):
            # Un enlace con texto propio lo conserva y suma el número.
            ref += [nodes.inline("", f" (sección {number}"), page,
                    nodes.inline("", ")")]
            continue
        word = reference_words(parent, index, "[Ss]ección|[Ss]ecciones")
        ref[:] = [nodes.inline(
            "", f"{'' if word else 'sección '}{number}"), page]


def section_name(env, label, default):
    """Título de la sección de una etiqueta (dominio std), o default."""
    try:
        labels = env.get_domain("std").labels
    except AttributeError:
        return default
    return labels.get(label, (None, None, default))[2]


def lowercase_numrefs(tree):
    """«la Figura 5.2» pasa a «la figura 5.2» (y tabla, sección…), salvo
    al comienzo de una oración."""
    for ref in tree.findall(addnodes.number_reference):
        title = ref.get("title", "")
        if not title[:1].isupper():
            continue
        parent = ref.parent
        index = parent.index(ref)
        before = "".join(node.astext() for node in parent[:index])
        if before.strip() and not re.search(r"[.!?¿¡:]\s*$", before):
            ref["title"] = title[0].lower() + title[1:]


# Funciones que solo dan formato a un valor pegado: su llamada no es un
# cálculo que valga la pena imprimir.
FORMATTERS = {"Markdown", "round", "int", "float", "str", "number",
              "percent", "format"}


def is_glue(statement):
    """¿Es la sentencia una llamada a glue(...)?"""
    return (isinstance(statement, ast.Expr)
            and isinstance(statement.value, ast.Call)
            and getattr(statement.value.func, "id", None) == "glue")


def only_glue(statement):
    """¿Solo pega valores (glue, o un for/if/with cuyo cuerpo solo pega)?"""
    if is_glue(statement):
        return True
    body = getattr(statement, "body", None)
    return (isinstance(statement, (ast.For, ast.If, ast.With)) and body
            and all(only_glue(inner) for inner in body)
            and not getattr(statement, "orelse", None))


def shows_markdown(statement):
    """¿Solo muestra una tabla armada en Markdown (Markdown(...) o
    display(Markdown(...)))?"""
    value = statement.value if isinstance(statement, ast.Expr) else None
    if call_name(value) == "display" and value.args:
        value = value.args[0]
    return call_name(value) == "Markdown"


def call_name(node):
    """Nombre de la función que llama una expresión («seed_curves»)."""
    func = node.func if isinstance(node, ast.Call) else None
    return getattr(func, "id", None) or getattr(func, "attr", None)


def without_glue(source):
    """El código de una celda tal como se imprime: sin glue(...).

    Una celda que solo pega valores o muestra una tabla en Markdown no
    imprime código (devuelve ""): en papel queda su salida.

    glue("x", cálculo(...), display=False) deja a la vista el cálculo;
    si pega un nombre, un literal o un valor con formato, la línea se va,
    y con ella un for que solo pega. Devuelve el código (vacío si no queda
    nada que mostrar) o el mismo texto si no se puede leer como Python.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return source
    if all(only_glue(statement) or shows_markdown(statement)
           or isinstance(statement, (ast.Import, ast.ImportFrom))
           for statement in tree.body):
        return ""
    if not any(only_glue(statement) for statement in tree.body):
        return source
    lines = source.splitlines()
    keep = [True] * len(lines)
    replace = {}
    for statement in tree.body:
        if not only_glue(statement):
            continue
        first, last = statement.lineno - 1, statement.end_lineno - 1
        for row in range(first, last + 1):
            keep[row] = False
        if is_glue(statement) and len(statement.value.args) > 1:
            value = statement.value.args[1]
            if isinstance(value, ast.Call) \
                    and call_name(value) not in FORMATTERS:
                replace[first] = ast.get_source_segment(source, value)
    printed = []
    for row, line in enumerate(lines):
        if row in replace:
            printed.extend(replace[row].splitlines())
        elif keep[row]:
            printed.append(line)
    text = "\n".join(printed).strip("\n")
    code = [line for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith(("#", "import ",
                                                              "from "))]
    return text if code else ""


def is_cell(node, element):
    """¿Es el nodo una parte de una celda de myst-nb («cell_code»…)?"""
    return (isinstance(node, nodes.container)
            and node.get("nb_element") == element)


def print_cells(tree):
    """Celdas sin el código que solo pega valores: en papel, su salida."""
    for cell in list(tree.findall(lambda n: is_cell(n, "cell_code"))):
        for source in list(cell.findall(
                lambda n: is_cell(n, "cell_code_source"))):
            for block in source.findall(nodes.literal_block):
                text = block.astext()
                printed = without_glue(text)
                if printed == text:
                    continue
                if printed:
                    block.children = [nodes.Text(printed)]
                    block.rawsource = printed
                else:
                    source.parent.remove(source)
                break
        if not any(isinstance(child, nodes.Element) for child in cell.children):
            cell.parent.remove(cell)


NBSP = "\u00a0"
KEEP_TOGETHER = (
    # «28 × 28», «90,2 ± 0,6»: el signo no queda al final ni al comienzo
    # de una línea.
    (re.compile(r"(?<=\S) ([×±]) (?=\S)"), NBSP + r"\1" + NBSP),
    # «0,6 %» y el «%» que sigue a un número pegado («{glue}`x` %»).
    (re.compile(r"(?<=\d) (?=%)"), NBSP),
    (re.compile(r"^ (?=%)"), NBSP),
    (re.compile(r"^ ([×±]) (?=\S)"), NBSP + r"\1" + NBSP),
)
VERBATIM = (nodes.literal_block, nodes.literal, nodes.math, nodes.math_block,
            nodes.raw)


# Una tabla de al menos estas filas se imprime como longtable, que se
# parte entre páginas: como tabulary no se parte, una tabla larga saltaba
# entera a la página siguiente y dejaba media página en blanco (o se salía
# del pie, como la de «Keras y PyTorch, lado a lado»).
LONG_TABLE_ROWS = 9
# Medidas, en puntos, para repartir el ancho de una tabla: el renglón del
# libro (6,3 pulgadas), el aire de cada lado de una celda (\tabcolsep) y
# el ancho medio de un carácter a 10,95 pt (serif, sans en los títulos de
# columna, monoespaciada en el código).
LINE_PT = 453.6
CELL_PADDING_PT = 12.0
CHAR_PT = {"serif": 5.6, "sans": 6.2, "mono": 6.6}
# Una celda no pide más que este ancho para su texto completo: el resto lo
# parte en líneas.
WANT_MAX_CHARS = 40


def _entry_widths(entry, font):
    """(lo que no se puede partir, el texto entero) de una celda, en pt.

    El texto se parte en espacios comunes: «90,2 ± 0,5 %», unido con
    espacios no separables (``keep_together``), es un solo tramo. El
    código, además, después de ``CODE_BREAK`` (``breakable_code``).
    """
    pieces, total = [0.0], 0.0
    for text in entry.findall(nodes.Text):
        if isinstance(text.parent, nodes.raw):   # \allowbreak: otro tramo
            pieces.append(0.0)
            continue
        code = any(isinstance(parent, nodes.literal)
                   for parent in iter_parents(text))
        size = CHAR_PT["mono" if code else font]
        for index, chunk in enumerate(re.split(r"[ \n\t]+", str(text))):
            if index:
                pieces.append(0.0)
                total += size
            parts = CODE_BREAK.split(chunk) if code else [chunk]
            for part_index, part in enumerate(parts):
                if part_index:
                    pieces.append(0.0)
                pieces[-1] += size * len(part)
            total += size * len(chunk)
    return max(pieces), min(total, WANT_MAX_CHARS * CHAR_PT[font])


CODE_BREAK = re.compile(r"(?<=[._(,=/])(?=.)")
"""Dónde puede partirse el código de una celda: después de un punto, un
guion bajo, un paréntesis que abre, una coma, un igual o una barra."""


def breakable_code(tree):
    """El código de las celdas de una tabla se parte en ``CODE_BREAK``.

    ``esenciales.*.weights.save_weights`` no cabe en una columna de un
    cuarto del renglón: LaTeX no lo parte y el texto invadía la columna
    vecina o el margen. Cada tramo queda en su propio literal, con un
    ``\\allowbreak`` entre ellos.
    """
    for entry in list(tree.findall(nodes.entry)):
        for literal in list(entry.findall(nodes.literal)):
            parts = CODE_BREAK.split(literal.astext())
            if len(parts) < 2:
                continue
            pieces = []
            for index, part in enumerate(parts):
                if index:
                    pieces.append(raw("\\allowbreak{}"))
                pieces.append(nodes.literal(part, part,
                                            classes=literal["classes"]))
            literal.parent.replace(literal, pieces)


def column_widths(table):
    """Anchos de las columnas de una tabla, en puntos, según su contenido.

    Cada columna recibe primero lo que no se puede partir en ella (su cifra
    con «±» y unidad, su palabra más larga), más el aire de sus lados; el
    resto del renglón se reparte según cuánto le falta a cada una para que
    su celda más larga quepa en una línea.
    """
    need, want = [], []
    for row in table.findall(nodes.row):
        font = "sans" if isinstance(row.parent, nodes.thead) else "serif"
        for index, entry in enumerate(row.children):
            least, whole = _entry_widths(entry, font)
            if index == len(need):
                need.append(0.0)
                want.append(0.0)
            need[index] = max(need[index], least + CELL_PADDING_PT)
            want[index] = max(want[index], whole + CELL_PADDING_PT)
    spare = LINE_PT - sum(need)
    missing = [max(w - n, 0.0) for n, w in zip(need, want)]
    if spare <= 0 or not sum(missing):
        return [math.ceil(n) for n in need]
    return [math.ceil(n + spare * m / sum(missing))
            for n, m in zip(need, missing)]


def breakable_tables(tree):
    """Las tablas largas se parten entre páginas (longtable), y las que no
    dicen el ancho de sus columnas lo toman de su contenido
    (``column_widths``): tabulary daba a «90,2 ± 0,5 %», que no se parte,
    menos ancho del que ocupa, y la cifra invadía la columna siguiente."""
    for table in tree.findall(nodes.table):
        # longtable no admite tablas anidadas.
        if any(isinstance(parent, nodes.table)
               for parent in iter_parents(table)) \
                or any(table.findall(nodes.table, include_self=False)):
            continue
        rows = [row for body in table.findall(nodes.tbody)
                for row in body.children]
        if len(rows) >= LONG_TABLE_ROWS:
            table["classes"].append("longtable")
        if "colwidths-given" in table["classes"]:
            continue
        colspecs = list(table.findall(nodes.colspec))
        widths = column_widths(table)
        if len(colspecs) != len(widths):
            continue
        for colspec, width in zip(colspecs, widths):
            colspec["colwidth"] = width
        table["classes"].append("colwidths-given")


# Líneas (por lo alto) de una fila de tabla con aire (\\arraystretch 1,45),
# del título de una sección y de un párrafo.
TABLE_ROW_LINES = 2
HEADING_LINES = 3
PARAGRAPH_COLUMNS = 100


def opening_table_lines(section):
    """Líneas que ocupan el título de una sección, su párrafo de entrada y
    la tabla que lo sigue (una tabla que no se parte), o 0 si la sección
    no empieza así."""
    body = [child for child in section.children
            if not isinstance(child, (nodes.title, nodes.target))]
    lines = HEADING_LINES
    if body and isinstance(body[0], nodes.paragraph):
        lines += 1 + len(body[0].astext()) // PARAGRAPH_COLUMNS
        body = body[1:]
    if not body or not isinstance(body[0], nodes.table) \
            or "longtable" in body[0]["classes"]:
        return 0
    rows = list(body[0].findall(nodes.row))
    return lines + TABLE_ROW_LINES * len(rows)


def keep_headings_with_tables(tree):
    """Una sección que empieza con una tabla (tras un párrafo, a lo sumo)
    pide lugar para el título, el párrafo y la tabla: como la tabla no se
    parte, si no cabe se iba sola a la página siguiente y dejaba el título
    al pie."""
    for section in list(tree.findall(nodes.section)):
        lines = opening_table_lines(section)
        if lines and section.parent is not None:
            section.parent.insert(section.parent.index(section), raw(
                f"\\needspace{{{lines}\\baselineskip}}\n"))


def iter_parents(node):
    """Los nodos que contienen a node, del más cercano al más lejano."""
    node = node.parent
    while node is not None:
        yield node
        node = node.parent


def keep_together(tree):
    """Espacios que no se cortan alrededor de ×, ± y antes de %."""
    for text in list(tree.findall(nodes.Text)):
        if isinstance(text.parent, VERBATIM):
            continue
        new = str(text)
        for pattern, replacement in KEEP_TOGETHER:
            new = pattern.sub(replacement, new)
        if new != str(text):
            replace_text(text, new)


def sort_key(text):
    """Clave de orden del índice: minúsculas sin tildes («época» → epoca)."""
    plain = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(char for char in plain if not unicodedata.combining(char))
    return re.sub(r'[@!|"{}\\]', "", plain)


def index_entry(key, shown, sub=None):
    """Un \\index de LaTeX, con su clave de orden y su texto (como los
    de Sphinx, en \\spxentry, para que se junten con ellos)."""
    entry = f"{sort_key(key)}@\\spxentry{{{shown}}}"
    if sub:
        entry += f"!{sort_key(sub)}@\\spxentry{{{sub}}}"
    return raw(f"\\index{{{entry}}}")


def latex_text(text):
    """Texto simple escapado para LaTeX."""
    special = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
               "_": r"\_", "{": r"\{", "}": r"\}", "~": r"\~{}",
               "^": r"\^{}", "\\": r"\textbackslash{}"}
    return "".join(special.get(char, char) for char in text)


def glossary_terms(env):
    """Ancla → término de los glosarios del libro."""
    terms = {}
    for docname in env.found_docs:
        if "glosario" not in docname:
            continue
        for term in env.get_doctree(docname).findall(nodes.term):
            for anchor in term.get("ids", []):
                terms[anchor] = term.astext()
    return terms


API = re.compile(r"^(?:@.*\n)*(?:async )?(?:def|class) (\w+)", re.M)
FRAMEWORK_DIRS = {"keras": "Keras", "torch": "PyTorch"}


def index_terms(app, tree):
    """Índice: cada término del glosario donde se usa, y cada función o
    clase del paquete donde el libro muestra su código."""
    terms = glossary_terms(app.env)
    # Las entradas que Sphinx pone en el glosario, con clave sin tildes
    # («época» va con la e, no al final).
    for node in list(tree.findall(addnodes.index)):
        entries = [index_entry(text, latex_text(text))
                   for kind, text, *_ in node["entries"]
                   if kind == "single" and ";" not in text]
        if entries and len(entries) == len(node["entries"]):
            parent = node.parent
            position = parent.index(node)
            parent.remove(node)
            for entry in reversed(entries):
                parent.insert(position, entry)
    for ref in list(tree.findall(nodes.reference)):
        anchor = ref.get("refuri", "").partition("#")[2]
        if anchor in terms:
            parent = ref.parent
            parent.insert(parent.index(ref),
                          index_entry(terms[anchor],
                                      latex_text(terms[anchor])))
    for block in list(tree.findall(nodes.literal_block)):
        source = str(block.get("source", ""))
        match = API.match(block.astext())
        if not match or "esenciales" not in source:
            continue
        name = match.group(1)
        if name.startswith("_"):
            continue
        parts = Path(source).parts
        where = next((FRAMEWORK_DIRS[part] for part in parts
                      if part in FRAMEWORK_DIRS), None)
        shown = f"\\sphinxcode{{\\sphinxupquote{{{latex_text(name)}}}}}"
        parent = block.parent
        parent.insert(parent.index(block), index_entry(name, shown, where))


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


def machine_prefixes(srcdir):
    """Carpetas de esta máquina que una salida puede nombrar, y con qué se
    imprimen: la de datos ($ESENCIALES_DATA), el repositorio (.) y el
    directorio personal (~). Las más largas primero."""
    prefixes = {str(Path.home()): "~", str(Path(srcdir).resolve()): "."}
    data = os.environ.get("ESENCIALES_DATA")
    if data:
        prefixes[str(Path(data).resolve())] = "$ESENCIALES_DATA"
        prefixes[data.rstrip("/")] = "$ESENCIALES_DATA"
    return sorted(((prefix, short) for prefix, short in prefixes.items()
                   if len(prefix) > 1), key=lambda item: -len(item[0]))


def hide_machine_paths(tree, prefixes):
    """Las salidas impresas sin rutas de esta máquina («/work/…»)."""
    for block in list(tree.findall(nodes.literal_block)):
        if not (is_output_container(block.parent) or is_text_output(block)):
            continue
        text = block.astext()
        new = text
        for prefix, short in prefixes:
            new = re.sub(re.escape(prefix) + r"(?=/|\b|$)", short, new)
        if new != text:
            block.children = [nodes.Text(new)]
            block.rawsource = new


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
    print_tabs(doctree, config.esenciales_marco, app.builder)
    renumber_exercises(app.env, doctree, app.env.all_docs)
    arrange_solutions(doctree, config.esenciales_edicion, app.env.all_docs)
    chapter_references(app, doctree)
    lowercase_numrefs(doctree)
    index_terms(app, doctree)
    keep_together(doctree)
    breakable_code(doctree)
    breakable_tables(doctree)
    keep_headings_with_tables(doctree)
    print_cells(doctree)
    hide_machine_paths(doctree, machine_prefixes(app.srcdir))
    merge_outputs(doctree)
    fit_outputs(doctree)


def setup(app):
    app.add_config_value("esenciales_edicion", "estudiante", "")
    app.add_config_value("esenciales_marco", "", "")
    app.add_config_value("esenciales_papel", "carta", "")
    app.connect("config-inited", read_options)
    app.connect("doctree-resolved", transform)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
