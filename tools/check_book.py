"""Revisa lo que se puede revisar a máquina en el libro.

Uso:
    python tools/check_book.py                 # fuentes y figuras
    python tools/check_book.py --html _build/html   # y además el HTML

Revisiones:
  voz      el texto de book/*.md y del README no trata de *tú* ni de
           *usted* (la voz del libro es «veamos» / «calculen»), ni en los
           ejercicios: ni
           pronombres, ni imperativos al comienzo de una oración o tras una
           pausa («Para verlo, ejecute…»), ni con pronombre pegado
           («compruébelo»), ni el lector como sujeto callado («si quiere»,
           «verá que», «¿Qué obtiene?», «Puede ver…»);
  títulos  cada ejercicio tiene título;
  celdas   ninguna celda de código define una función o una clase: el
           paquete es la única fuente del código (se muestra con
           literalinclude y la celda lo llama);
  alt      cada figura de los capítulos dice en :alt: qué muestra;
  pies     el pie de cada figura es un párrafo: sin títulos, ecuaciones ni
           párrafos de más (una figura sin cerrar se traga el texto);
  veredictos  ninguna conclusión sobre un resultado («dentro de la
           dispersión», «el mejor modelo», «no ayuda»…) se escribe a mano:
           la escribe esenciales.runs.stats y llega por glue;
  cifras   (con --html) ninguna cifra con coma decimal que una celda pega
           con glue aparece escrita en la prosa del capítulo;
  figuras  todo texto de cada figura del paquete mide al menos 8 pt impreso
           y 11 px en pantalla a 1280 px (la versión apilada de una de
           varios paneles, 11 px en un teléfono), y cada marca de sus ejes
           dice su valor exacto (esenciales.figures.style);
  errores  (con --html) ninguna celda ejecutada dejó un error en su salida:
           ni una excepción que IPython atrapó y mostró, como la de una
           figura con marcas que dicen otro valor (style.use_book_formats);
  rutas    ninguna página HTML muestra una carpeta de la máquina que
           construyó el libro (/work/, /root/, /home/, /tmp/tmp…);
  interfaz en el HTML construido no quedan frases del tema en inglés;
  números  en el HTML, los números de miles no se parten: sus grupos van
           unidos por un espacio fino no separable (U+202F), nunca por un
           espacio común; ningún número de cinco cifras o más va sin
           separar; y ningún número pegado con glue trae punto decimal ni
           exponente a la inglesa.

Cada problema se informa en una línea «archivo:línea: mensaje»; el código
de salida es 1 si hay alguno.
"""

import argparse
import ast
import html
import re
import sys
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# ------------------------------------------------------------------ voz

# Pronombres y posesivos de la segunda persona singular o de *usted*.
PRONOUNS = ("tú", "tu", "tus", "ti", "contigo", "te", "usted", "vosotros",
            "vosotras", "vuestro", "vuestra", "vuestros", "vuestras")

# Formas verbales de *tú* (presente y futuro) que un libro usaría.
TU_VERBS = (
    "puedes", "tienes", "quieres", "debes", "sabes", "necesitas", "verás",
    "tendrás", "podrás", "obtendrás", "notarás", "encontrarás", "harías",
    "podrías", "deberías", "tuvieras", "quisieras", "esperarías", "usarías",
    "elegirías", "recuerdas", "imaginas", "observas", "ejecutas", "entrenas",
    "fíjate", "imagínate", "pregúntate", "asegúrate", "compruébalo",
    "pruébalo", "verifícalo", "calcúlalo", "hazlo", "intentalo", "inténtalo",
)

# Imperativos de *tú* y de *usted* al comienzo de una oración.
TU_IMPERATIVES = (
    "calcula", "comprueba", "demuestra", "piensa", "propón", "clasifica",
    "compara", "justifica", "recuerda", "explica", "prueba", "repite", "mide",
    "entrena", "escribe", "usa", "observa", "nota", "imagina", "considera",
    "supón", "modifica", "agrega", "añade", "ejecuta", "verifica", "mira",
    "decide", "elige", "estima", "dibuja", "grafica", "implementa", "busca",
    "describe", "identifica", "analiza", "cuenta", "aplica", "cambia",
    "reemplaza", "quita", "decodifica", "haz", "di", "sal", "ve", "ten",
    "pon", "instala", "abre", "lee", "corre", "deriva", "muestra",
)
USTED_IMPERATIVES = (
    "calcule", "compruebe", "demuestre", "piense", "proponga", "clasifique",
    "compare", "justifique", "recuerde", "explique", "pruebe", "repita",
    "mida", "entrene", "escriba", "use", "observe", "note", "imagine",
    "considere", "suponga", "modifique", "agregue", "añada", "ejecute",
    "verifique", "mire", "decida", "elija", "estime", "dibuje", "grafique",
    "implemente", "busque", "describa", "identifique", "analice", "cuente",
    "aplique", "cambie", "reemplace", "quite", "decodifique", "haga", "diga",
    "vea", "tenga", "ponga", "instale", "abra", "lea", "corra", "derive",
    "muestre", "fíjese", "compruébelo", "verifíquelo", "pruébelo",
    "calcúlelo", "hágalo", "inténtelo", "imagínese", "asegúrese",
)

# Formas de *usted* que no pueden ser otra cosa, en cualquier lugar de la
# oración: imperativos con pronombre pegado («fíjese», «compruébelo»), la
# abreviatura, el lector en singular como objeto («le recomendamos»), el
# lector como sujeto callado («si quiere», «verá que», «¿Qué obtiene?») y
# los imperativos que introducen una observación («observe que»).
USTED_ENCLITICS = (
    "fíjese", "asegúrese", "imagínese", "pregúntese", "acuérdese",
    "dese", "sírvase", "compruébelo", "compruébela", "verifíquelo",
    "pruébelo", "pruébela", "calcúlelo", "calcúlela", "hágalo", "hágala",
    "inténtelo", "recuérdelo", "ejecútelo", "ejecútela", "instálelo",
    "ábralo", "ábrala", "léalo", "léala", "mírelo", "mírela", "úselo",
    "úsela", "tómelo", "tómela", "cámbielo", "cámbiela", "compárelo",
    "compárela", "guárdelo", "guárdela", "dígame", "escríbalo",
    "anótelo", "repítalo", "mídalo", "mídala", "grafíquelo",
    "demuéstrelo", "justifíquelo", "explíquelo",
)
USTED_PATTERNS = (
    (r"\b(?:ud|uds|vd|vds)\.", "«Ud.»"),
    (r"\b(?:le (?:recomendamos|sugerimos|invitamos|pedimos|aconsejamos|"
     r"proponemos)|(?:lo|la) (?:invitamos|animamos))\b",
     "el lector en singular («le recomendamos»)"),
    (r"\bsi (?:quiere|desea|prefiere|lo desea|lo prefiere|lo necesita|"
     r"necesita|tiene curiosidad)\b", "«si quiere…» (usted)"),
    (r"(?<!\bse )\b(?:verá|notará|observará|comprobará|encontrará|descubrirá|"
     r"podrá (?:ver|comprobar|observar|notar|usar|probar|encontrar))"
     r" (?:que|cómo|cuánto|cuántos|cuántas|qué|dónde)\b",
     "«verá que…» (usted)"),
    (r"(?:^|(?<=[.;:,!?¡¿(«])\s*|(?<=\by )|(?<=\bluego )|"
     r"(?<=\bahora )|(?<=\bademás, ))"
     r"(?:observe|note|considere|recuerde|suponga|"
     r"imagine|tenga en cuenta|vea|verifique|compruebe) (?:que|cómo|"
     r"qué|cuánto|cuántos|cuántas|dónde|si)\b",
     "imperativo de usted ante una observación («observe que»)"),
    (r"¿\s*(?:qué|cuánto|cuántos|cuántas|cuál|cuáles|cómo|por qué|dónde)"
     r"\s+(?:obtiene|observa|nota|ve|concluye|espera|encuentra|opina|"
     r"piensa|cree|mide|elegiría|haría|esperaría|usaría|cambiaría|"
     r"obtendría|concluiría|ganaría|necesitaría)\s*[?,]",
     "pregunta al lector en singular («¿Qué obtiene?»)"),
)
# Al comienzo de una oración, «Puede ver…» tiene por sujeto al lector.
USTED_OPENING = re.compile(
    r"(?:puede|podrá|debe|deberá|tiene que|tendrá que) (?:ver|consultar|"
    r"comprobar|observar|encontrar|descargar|instalar|ejecutar|probar|"
    r"repetir|usar|cambiar|abrir|leer|mirar|revisar|elegir|correr)\b",
    re.IGNORECASE)

_WORD = r"[^\W\d_]+"


def _prose_lines(text):
    """(número, línea) de la prosa: sin código, matemática ni directivas.

    Se quitan los bloques ``` y $$; el código en línea, la matemática en
    línea y los roles {..}`...` quedan como «X» (un sustantivo cualquiera);
    las opciones de directivas se saltan, salvo :alt:, que también habla
    con el lector. Una línea en blanco se entrega como (número, "").
    """
    fence = None
    open_directives = []     # cercas de las directivas con prosa dentro
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        match = re.match(r"^(`{3,}|~{3,})\s*(\{[^}]*\})?", stripped)
        if fence is None and match:
            marks, directive = match.group(1), match.group(2) or ""
            if not directive and open_directives and \
                    marks == open_directives[-1]:
                open_directives.pop()        # cierra exercise, figure...
                yield number, ""
                continue
            # exercise, solution, admonition... tienen prosa dentro.
            if directive and not re.search(
                    r"code|literalinclude|math|raw|bibliography",
                    directive):
                open_directives.append(marks)
                yield number, ""
                # El título de un ejercicio o de un aviso también es prosa.
                title = stripped[match.end():].strip()
                if title and re.search(r"exercise|admonition|dropdown",
                                       directive):
                    yield number, title
                    yield number, ""
                continue
            fence = marks
            continue
        if fence is not None:
            if stripped.startswith(fence) and stripped.strip("`~") == "":
                fence = None
            continue
        if (stripped.startswith(("$$", "#", "|", "(", ":::", "```"))
                and not stripped.startswith(":alt:")):
            yield number, ""
            continue
        if re.match(r"^\s*:(?!alt:)[\w-]+:", line) or line.startswith("    "):
            yield number, ""
            continue
        line = re.sub(r"\{[\w:-]+\}`[^`]*`", "X", line)
        line = re.sub(r"`[^`]*`", "X", line)
        line = re.sub(r"\$[^$]*\$", "X", line)
        line = re.sub(r"https?://\S+", "X", line)
        line = re.sub(r"^\s*:alt:", "", line)
        yield number, line


def check_voice(path):
    """Problemas de voz de un capítulo: (línea, mensaje)."""
    problems = []
    words_re = re.compile(
        r"\b(" + "|".join(PRONOUNS + TU_VERBS + USTED_ENCLITICS) + r")\b",
        re.IGNORECASE)
    patterns = [(re.compile(pattern, re.IGNORECASE), what)
                for pattern, what in USTED_PATTERNS]
    usted_after_pause = re.compile(
        r"[,;:]\s+[«\"]?(" + "|".join(USTED_IMPERATIVES) + r")\b")
    imperatives = set(TU_IMPERATIVES + USTED_IMPERATIVES)
    text = path.read_text(encoding="utf-8")
    at_start = True
    for number, line in _prose_lines(text):
        if not line.strip():
            at_start = True
            continue
        for match in words_re.finditer(line):
            word = match.group(1)
            problems.append((number, f"voz: «{word}» (tú/usted); el libro "
                             "dice «veamos» / «calculen»"))
        for pattern, what in patterns:
            for match in pattern.finditer(line):
                problems.append((number, f"voz: «{match.group(0)}», {what};"
                                 " el libro dice «veamos» / «calculen»"))
        # Tras una coma, un punto y coma o dos puntos empieza una cláusula:
        # «Para verlo, ejecute la celda». Las formas de usted son de
        # subjuntivo y no abren una cláusula principal en tercera persona
        # (las de tú sí: «En cada paso, calcula el gradiente»).
        for match in usted_after_pause.finditer(line):
            problems.append((number, f"voz: «{match.group(1)}» es "
                             "imperativo de usted; el libro usa el de "
                             "ustedes («calculen», «repitan»)"))
        # Comienzos de oración: inicio de párrafo o de ítem, o tras . ! ?
        body = re.sub(r"^\s*(?:[-*+]|\d+\.)\s+", "", line)
        starts = []
        if at_start or body != line:
            starts.append(body.lstrip())
        starts += [body[m.end():] for m in re.finditer(
            r"[.!?]\s+|\((?=[A-ZÁÉÍÓÚ])", body)]
        for piece in starts:
            # Un término en negrita o cursiva («**prueba**:») no es un verbo.
            word = re.match(_WORD, piece.lstrip("«\"")) if piece else None
            opening = USTED_OPENING.match(piece.lstrip("«\""))
            if opening:
                problems.append((number, f"voz: «{opening.group(0)}» trata "
                                 "de usted; el libro dice «pueden ver» o "
                                 "«veamos»"))
            if word and word.group(0).lower() in imperatives:
                who = ("usted" if word.group(0).lower() in USTED_IMPERATIVES
                       else "tú")
                problems.append((number, f"voz: «{word.group(0)}» es "
                                 f"imperativo de {who}; el libro usa el de "
                                 "ustedes («calculen», «repitan»)"))
        at_start = bool(re.search(r"[.!?:]\s*[*_»\")]*\s*$", line))
    return problems


def check_exercise_titles(path):
    """Cada ```{exercise} lleva un título en la misma línea."""
    problems = []
    for number, line in enumerate(
            path.read_text(encoding="utf-8").splitlines(), 1):
        if re.match(r"^\s*`{3,}\{exercise\}\s*$", line):
            problems.append((number, "ejercicio sin título"))
    return problems


def _code_cells(text):
    """(número de la primera línea, código) de cada ``{code-cell}``.

    Las opciones de la celda (``:tags:`` o un bloque ``---``) y las líneas
    mágicas de IPython (``%``, ``!``) quedan como líneas en blanco, para
    que los números de línea sigan siendo los del archivo.
    """
    lines = text.splitlines()
    for number, line in enumerate(lines):
        match = re.match(r"^(`{3,})\{code-cell\}", line)
        if not match:
            continue
        body = []
        for inner in lines[number + 1:]:
            if inner.strip() == match.group(1):
                break
            body.append(inner)
        options = 0
        if body and body[0].strip() == "---":
            options = body.index("---", 1) + 1 if "---" in body[1:] else 1
        while options < len(body) and re.match(r"^:[\w-]+:", body[options]):
            options += 1
        code = [("" if i < options
                 or inner.lstrip().startswith(("%", "!")) else inner)
                for i, inner in enumerate(body)]
        yield number + 2, "\n".join(code)


def check_cell_definitions(path):
    """Ninguna celda de código define una función o una clase."""
    problems = []
    for start, code in _code_cells(path.read_text(encoding="utf-8")):
        try:
            tree = ast.parse(code)
        except SyntaxError as error:
            problems.append((start + (error.lineno or 1) - 1,
                             "celda que no es Python válido"))
            continue
        pending = list(tree.body)
        while pending:      # una clase se informa una vez, sin sus métodos
            node = pending.pop(0)
            if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef,
                                     ast.ClassDef)):
                pending.extend(ast.iter_child_nodes(node))
                continue
            kind = "clase" if isinstance(node, ast.ClassDef) else "función"
            problems.append((
                start + node.lineno - 1,
                f"la celda define la {kind} «{node.name}»: va en el "
                "paquete (se muestra con literalinclude)"))
    return sorted(problems)


def check_figure_alts(path):
    """Cada figura (``{figure}``, ``{glue:figure}``) dice qué muestra en
    su ``:alt:``, con una frase de al menos cinco palabras."""
    problems = []
    lines = path.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, 1):
        if not re.match(r"^\s*(`{3,}|:{3,})\{(glue:)?figure\}", line):
            continue
        alt = ""
        for option in lines[number:]:
            match = re.match(r"^\s*:([\w-]+):\s*(.*)$", option)
            if not match:
                break
            if match.group(1) == "alt":
                alt = match.group(2)
        if len(re.findall(_WORD, alt)) < 5:
            problems.append((number, "figura sin :alt: que diga qué "
                             "muestra (una frase)"))
    return problems


def check_figure_captions(path):
    """El pie de cada figura es un solo párrafo: sin títulos, sin
    ecuaciones en display y sin párrafos de más.

    Un bloque ```{glue:figure} que no se cierra se traga el texto que
    sigue (un párrafo, una ecuación) como si fuera su pie; esta revisión
    lo encuentra.
    """
    problems = []
    lines = path.read_text(encoding="utf-8").splitlines()
    number = 0
    while number < len(lines):
        match = re.match(r"^\s*(`{3,}|:{3,})\{(?:glue:)?figure\}",
                         lines[number])
        number += 1
        if not match:
            continue
        start, fence, body = number, match.group(1), []
        while number < len(lines) and lines[number].strip() != fence:
            body.append((number + 1, lines[number]))
            number += 1
        if number >= len(lines):
            problems.append((start, "figura sin cerrar: su pie se traga "
                             "el resto de la página"))
        caption = [(n, line) for n, line in body
                   if not re.match(r"^\s*:[\w-]+:", line)]
        paragraphs = 0
        previous_blank = True
        for n, line in caption:
            stripped = line.strip()
            if re.match(r"^(#+\s|\$\$|`{3,}|:{3,}|\{math\})", stripped):
                problems.append((n, "el pie de la figura contiene un "
                                 f"título o una ecuación («{stripped[:30]}»)"
                                 "; ¿falta cerrar la figura?"))
            if stripped and previous_blank:
                paragraphs += 1
                if paragraphs == 2:
                    problems.append((n, "el pie de la figura tiene más de "
                                     "un párrafo; ¿falta cerrar la "
                                     "figura?"))
            previous_blank = not stripped
        number += 1
    return problems


# Veredictos sobre un resultado: los escribe esenciales.runs.stats con la
# regla del libro y llegan por glue. Entre comillas latinas («…») una
# frase se menciona, no se afirma (la explicación de la regla).
VERDICT_PHRASES = (
    "dentro de la dispersión", "fuera de la dispersión",
    "más allá de la dispersión", "se distingue del azar",
    "se distinguen del azar", "el mejor modelo", "el mejor es",
    "no ayuda", "no ayudan", "a la par de", "mejora la exactitud",
    "empeora la exactitud", "mejoran la exactitud", "empeoran la exactitud",
    "supera a", "superan a", "queda por debajo", "quedan por debajo",
    "no cambia la exactitud", "gana claramente", "tarda más en",
    "tardan más en", "llega antes", "aprende más rápido",
    "suben juntas", "bajan juntas", "casi superpuestas",
    "sube de forma sostenida",
)


def check_typed_verdicts(path):
    """Veredictos escritos a mano en la prosa (fuera de un glue)."""
    problems = []
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, VERDICT_PHRASES))
                         + r")\b", re.IGNORECASE)
    for number, line in _prose_lines(path.read_text(encoding="utf-8")):
        line = re.sub(r"«[^»]*»", "X", line)
        for match in pattern.finditer(line):
            problems.append((number, f"veredicto escrito a mano: "
                             f"«{match.group(1)}»; lo escribe "
                             "esenciales.runs.stats y llega por glue"))
    return problems


# Una cifra con coma decimal («95,1», «0,123»): la que una celda calcula
# no se vuelve a escribir en la prosa.
_DECIMAL = re.compile(r"(?<![\w,.])[−-]?\d+,\d+(?![\w,])")


def computed_numbers(glued, chapter):
    """Las cifras con coma decimal que las celdas de ``chapter`` pegan con
    glue (``glued``: el ``<capítulo>.glue.json`` que deja myst-nb en
    ``_build/jupyter_execute``), menos las que sus celdas escriben como
    dato (un argumento ``0.5`` es un dato, no un resultado)."""
    import json

    outputs = json.loads(glued.read_text(encoding="utf-8")).values()
    found = set()
    for output in outputs:
        data = output.get("data", {})
        text = "".join(data.get("text/markdown", "")
                       or data.get("text/plain", ""))
        found.update(m.lstrip("−-") for m in _DECIMAL.findall(text))
    cells = re.findall(r"```\{code-cell\}[^\n]*\n(.*?)\n```",
                       chapter.read_text(encoding="utf-8"), re.S)
    typed = {m.replace(".", ",") for cell in cells
             for m in re.findall(r"(?<![\w.])\d+\.\d+", cell)}
    return found - typed


def check_computed_numbers(path, glued):
    """Cifras de la prosa de ``path`` que una de sus celdas calcula y
    pega con glue (``glued``): van por glue, no escritas."""
    computed = computed_numbers(glued, path)
    problems = []
    for number, line in _prose_lines(path.read_text(encoding="utf-8")):
        for match in _DECIMAL.finditer(line):
            value = match.group(0).lstrip("−-")
            if value in computed and len(value.replace(",", "")) >= 3:
                problems.append((number, f"la cifra {value} la calcula "
                                 "una celda: va con glue, no escrita"))
    return problems


# ------------------------------------------------------------- el HTML

# Frases de los temas que no deben quedar en inglés (texto visible o
# atributos title, aria-label, placeholder, alt).
ENGLISH_UI = (
    "Show code cell", "Hide code cell", "Skip to main content",
    "Back to top", "Search this book", "Download source file",
    "Download this page", "Print to PDF", "Fullscreen mode",
    "Toggle navigation", "Toggle primary sidebar",
    "Toggle secondary sidebar", "Last updated", "Copy to clipboard",
    "Copied!", "Solution to", "Exercise ", "On this page", "Contents",
    "Table of Contents", "Edit this page", "Open an issue", "repository",
    "Light", "Dark", "System settings", "Color mode", "Previous", "Next",
    "Search Results", "Ctrl+K", "By ", "Launch", "Share", "Theme",
    "previous page", "next page", "Search", "Download", "output",
    "Section Navigation", "Site navigation", "Breadcrumb", "Home",
    "Click to show", "Click to hide", "Show source", "Hide source",
    "Show output", "Hide output", "Bibliography", "References",
    " and others", "n.d.", "et al.,", "Figure ", "Table ",
    "Listing ", "Proof", "Equation", "Main", "Page", "Link to this",
    "Copyright", "Toggle", "pagina",
)
# Frases que solo se buscan en los atributos y en el marco de la página
# (cabecera, barras laterales, pie), no en el texto de los capítulos: en
# la prosa son palabras legítimas («Dark Knight» no, pero «output» sí
# aparece como código).
FRAME_ONLY = {"Light", "Dark", "Previous", "Next", "Search", "Download",
              "output", "Home", "Share", "Theme", "Launch", "By ",
              "Contents", "repository", "Figure ", "Table ",
              "Listing ", "Proof", "Equation", "Bibliography", "References",
              "Exercise ", " and others", "et al.,", "Main", "Page",
              "Copyright", "pagina"}

_ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "data-tooltip",
               "data-content")
_SKIP_TAGS = {"pre", "code", "script", "style", "kbd", "samp", "math",
              "svg"}
_SKIP_CLASSES = {"math", "highlight", "cell_input", "external",
                 "literal", "notranslate", "MathJax", "glossary"}
"""Clases (palabras enteras) cuyo texto no es prosa: código, fórmulas,
salidas de celdas. Los números pegados con glue sí se revisan."""
_MAIN_CLASSES = ("bd-article",)


class _PageText(HTMLParser):
    """Separa el texto de una página: marco (tema) y prosa (capítulo)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack = []          # (tag, skip, main, sin números)
        self.frame = []          # (línea, texto)
        self.prose = []          # (línea, texto) de la prosa, sin código
        self.attributes = []     # (línea, texto)
        self.numbers = []        # (línea, texto) de la prosa con cifras

    def _state(self):
        skip = any(s for _, s, _, _ in self.stack)
        main = any(m for _, _, m, _ in self.stack)
        return skip, main

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = set((attrs.get("class") or "").split())
        skip = tag in _SKIP_TAGS or bool(classes & _SKIP_CLASSES)
        main = tag == "article" or bool(classes & set(_MAIN_CLASSES))
        line = self.getpos()[0]
        for name in _ATTRIBUTES:
            if attrs.get(name):
                self.attributes.append((line, attrs[name]))
        if tag in ("br", "img", "input", "meta", "link", "hr", "wbr"):
            return
        # En la lista de referencias, las páginas (11976–11986) no son
        # cifras de la prosa.
        self.stack.append((tag, skip, main, "citation" in classes))

    def handle_endtag(self, tag):
        for k in range(len(self.stack) - 1, -1, -1):
            if self.stack[k][0] == tag:
                del self.stack[k:]
                return

    def handle_data(self, data):
        if not data.strip():
            return
        skip, main = self._state()
        line = self.getpos()[0]
        if skip:
            return
        (self.prose if main else self.frame).append((line, data))
        if main and not any(n for *_, n in self.stack):
            self.numbers.append((line, data))


def _ui_problems(page):
    problems = []
    frame = page.frame + page.attributes
    for line, text in frame:
        for phrase in ENGLISH_UI:
            if re.search(r"(?<![\w-])" + re.escape(phrase.strip())
                         + r"(?![\w-])", text) and phrase.strip():
                problems.append((line, "interfaz en inglés: "
                                 f"«{phrase.strip()}»"
                                 f" en «{text.strip()[:60]}»"))
    for line, text in page.prose:
        for phrase in ENGLISH_UI:
            if phrase in FRAME_ONLY:
                continue
            if phrase in text:
                problems.append((line, f"interfaz en inglés: «{phrase}» en "
                                 f"«{text.strip()[:60]}»"))
    return problems


# «16 981 120» con espacio común: se parte al final de una línea.
_SPACED_NUMBER = re.compile(r"(?<![\d.,])\d{1,3}(?:[ \u00a0]\d{3})+(?![\d])")
_SPACED_PERCENT = re.compile(r"\d %")
_LONG_NUMBER = re.compile(r"(?<![\w.,:/#-])\d{5,}(?![\w/]|[.,]\d)")


def _number_problems(page):
    problems = []
    for line, text in page.numbers:
        for match in _SPACED_NUMBER.finditer(text):
            if " " in match.group(0) or "\u00a0" in match.group(0):
                problems.append((line, f"número «{match.group(0)}» separado "
                                 "por un espacio común: va U+202F "
                                 "(esenciales.spanish.number)"))
        for match in _LONG_NUMBER.finditer(text):
            problems.append((line, f"número «{match.group(0)}» sin separar "
                             "los miles (esenciales.spanish.number)"))
    # «98,2 %» con un espacio común se parte al final de una línea. El
    # número puede venir de glue, en otro nodo: se revisa el texto seguido.
    joined, ends = "", []
    for line, text in page.numbers:
        joined += text
        ends.append((len(joined), line))
    for match in _SPACED_PERCENT.finditer(joined):
        line = next(line for end, line in ends if end >= match.end())
        problems.append((line, f"«{match.group(0)}» con un espacio común "
                         "antes de %: va U+00A0 (esenciales.spanish."
                         "percent, o «\u00a0%» en el texto)"))
    return problems


# Un número pegado con {glue:text} llega como <span class="pasted-text">;
# si trae punto decimal («0.9838») o exponente a la inglesa («2e-07»), no
# pasó por el formateador (esenciales.spanish.number, percent, scientific).
_PASTED = re.compile(r'<span class="[^"]*\bpasted-text\b[^"]*">([^<]*)</span>')
_ENGLISH_NUMBER = re.compile(r"\d\.\d|\d[eE][-+]?\d")


def _pasted_problems(text):
    problems = []
    for match in _PASTED.finditer(text):
        pasted = html.unescape(match.group(1))
        if _ENGLISH_NUMBER.search(pasted):
            line = text.count("\n", 0, match.start()) + 1
            problems.append((line, f"número pegado «{pasted}» sin formato "
                             "español (esenciales.spanish)"))
    return problems


# Una ruta de la máquina que construyó el libro no le sirve a ningún
# lector (ni en el HTML ni en el PDF que sale de las mismas salidas).
# /tmp/esenciales-rescate es una ruta que el libro documenta; una carpeta
# temporal con nombre al azar (/tmp/tmpk3j2…) es de la máquina.
_MACHINE_PATH = re.compile(
    r"(?<![\w.~])/(?:(?:work|root|home|Users|private/var)/[\w.+-]+"
    r"|tmp/tmp\w+)")


def _machine_path_problems(text):
    problems = []
    for match in _MACHINE_PATH.finditer(text):
        line = text.count("\n", 0, match.start()) + 1
        problems.append((line, f"ruta de la máquina «{match.group(0)}» en "
                         "la página"))
    return problems


# Frases que no deben aparecer en ningún lugar del HTML, ni en los scripts
# que escriben textos en la página (la pista de los desplegables).
RAW_FORBIDDEN = ("Haz clic", "Click to show", "Click to hide",
                 "Show code cell", "Hide code cell")


def check_html_page(path):
    text = path.read_text(encoding="utf-8")
    page = _PageText()
    page.feed(text)
    raw = [(text.count("\n", 0, text.index(phrase)) + 1,
            f"interfaz: «{phrase}» (en inglés o en tú) en la página")
           for phrase in RAW_FORBIDDEN if phrase in text]
    return (raw + _ui_problems(page) + _number_problems(page)
            + _pasted_problems(text) + _machine_path_problems(text))


def check_error_outputs(notebook):
    """Salidas de error en un cuaderno ejecutado (``_build/jupyter_execute``).

    Una excepción que IPython atrapa (la de un formateador de figuras, por
    ejemplo) no detiene la ejecución ni la construcción: queda como salida
    ``error`` de su celda, oculta si la celda lo está. Aquí se vuelve un
    problema, con el número de la celda de código (desde 1).
    """
    import json

    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    code = [cell for cell in cells if cell["cell_type"] == "code"]
    return [(0, f"celda {index}: error en la salida: {output['ename']}: "
             f"{output['evalue']}")
            for index, cell in enumerate(code, start=1)
            for output in cell.get("outputs", [])
            if output.get("output_type") == "error"]


# ----------------------------------------------------------- las figuras


def check_figures():
    """Tamaño de letra de cada figura del paquete (impreso y en pantalla,
    y en un teléfono la versión apilada de las de varios paneles)."""
    try:
        from esenciales.figures import catalog, style
    except ImportError as error:  # el paquete todavía no tiene figures/
        return [(0, f"figuras: no se pudo importar esenciales.figures "
                 f"({error})")]
    problems = []
    for name, make in catalog.sample_figures():
        fig = make()
        for text, printed, screen in style.small_texts(fig):
            problems.append((0, f"figura {name}: «{text[:40]}» mide "
                             f"{printed:.1f} pt impreso y {screen:.1f} px "
                             "en pantalla (mínimo 8 pt y 11 px)"))
        for axis, value, text in style.wrong_tick_labels(fig):
            problems.append((0, f"figura {name}: la marca {value!r} del "
                             f"eje {axis} dice «{text}»"))
        import matplotlib.pyplot as plt
        plt.close(fig)
    for name, make in catalog.stacked_figures():
        fig = make()
        for text, _, screen in style.small_texts(fig,
                                                 style.phone_scale(fig)):
            problems.append((0, f"figura {name} (apilada): «{text[:40]}» "
                             f"mide {screen:.1f} px en un teléfono "
                             "(mínimo 11 px)"))
    return problems


# ------------------------------------------------------------------ main


def _shown(path):
    """La ruta relativa a la raíz del repositorio, si está dentro."""
    try:
        return path.resolve().relative_to(ROOT)
    except ValueError:
        return path


def main(argv=None):
    parser = argparse.ArgumentParser(
        description="Revisa la voz, la interfaz, los números y las figuras "
        "del libro.")
    parser.add_argument("--book", type=Path, default=ROOT / "book",
                        help="carpeta con los capítulos .md")
    parser.add_argument("--html", type=Path, default=None,
                        help="carpeta del HTML construido (_build/html)")
    parser.add_argument("--sin-figuras", action="store_true",
                        help="no revisar las figuras del paquete")
    args = parser.parse_args(argv)

    report = []
    pages = sorted(args.book.glob("*.md"))
    readme = args.book.parent / "README.md"
    if readme.exists():          # el README también habla con los lectores
        pages.append(readme)
    for path in pages:
        found = (check_voice(path) + check_exercise_titles(path)
                 + check_cell_definitions(path)
                 + check_figure_alts(path) + check_figure_captions(path)
                 + check_typed_verdicts(path))
        glued = (None if args.html is None else args.html.parent
                 / "jupyter_execute" / path.parent.name
                 / f"{path.stem}.glue.json")
        if glued is not None and glued.exists():
            found += check_computed_numbers(path, glued)
        executed = (None if glued is None
                    else glued.parent / f"{path.stem}.ipynb")
        if executed is not None and executed.exists():
            found += check_error_outputs(executed)
        for line, message in found:
            report.append(f"{_shown(path)}:{line}: {message}")
    if args.html is not None:
        pages = sorted(p for p in args.html.rglob("*.html")
                       if "_static" not in p.parts
                       and "_sources" not in p.parts)
        if not pages:
            report.append(f"{args.html}: no hay páginas HTML")
        for path in pages:
            for line, message in check_html_page(path):
                report.append(f"{_shown(path)}:{line}: {message}")
    if not args.sin_figuras:
        for _, message in check_figures():
            report.append(message)
    for line in report:
        print(line)
    if report:
        print(f"check_book: {len(report)} problemas", file=sys.stderr)
        return 1
    print("check_book: sin problemas")
    return 0


if __name__ == "__main__":
    sys.exit(main())
