"""La organización del paquete: lo que el libro muestra existe y se encuentra.

Cada ``literalinclude`` de un capítulo apunta a un archivo del paquete y,
si pide ``:pyobject:``, ese objeto está definido ahí. Así, mover un módulo
o renombrar una función rompe esta prueba, no el libro a medio construir.
"""

import ast
import re
from pathlib import Path

import pytest

from esenciales import myst

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"
INCLUDE = re.compile(r"```\{literalinclude\}\s+(\S+)\s*\n((?::\w[\w-]*:.*\n)*)")


def includes():
    for chapter in sorted(BOOK.glob("*.md")):
        text = chapter.read_text(encoding="utf-8")
        for match in INCLUDE.finditer(text):
            options = dict(re.findall(r":([\w-]+):\s*(.*)", match.group(2)))
            yield chapter.name, match.group(1), options


def defined_names(path):
    """Funciones y clases de ``path``, también ``Clase.metodo``."""
    names = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            names.add(node.name)
        if isinstance(node, ast.ClassDef):
            names |= {f"{node.name}.{item.name}" for item in node.body
                      if isinstance(item, ast.FunctionDef)}
    return names


def _myst_includes(text):
    """Los ``literalinclude`` que ve el analizador de MyST, también los
    anidados en pestañas y desplegables: (archivo, opciones)."""
    found = []
    for block in myst.blocks(text):
        if block.name == "literalinclude":
            options, _ = myst.directive_options(block.body.split("\n"))
            found.append((block.args, options))
        elif block.name:
            found += _myst_includes(block.body)
    return found


@pytest.mark.parametrize("chapter", sorted(BOOK.glob("*.md")),
                         ids=lambda p: p.stem)
def test_every_include_the_book_has_is_checked(chapter):
    """Lo que revisan las pruebas de abajo (una expresión regular) es
    exactamente lo que MyST incluye en el capítulo: ninguno se escapa."""
    checked = [(target, options) for name, target, options in includes()
               if name == chapter.name]
    assert checked == _myst_includes(chapter.read_text(encoding="utf-8"))


@pytest.mark.parametrize("chapter, target, options", list(includes()))
def test_literalinclude_targets_exist(chapter, target, options):
    path = (BOOK / target).resolve()
    assert path.is_file(), f"{chapter}: no existe {target}"
    if "pyobject" in options:
        assert options["pyobject"] in defined_names(path), \
            f"{chapter}: {target} no define {options['pyobject']}"
    text = path.read_text(encoding="utf-8")
    start = 0
    for marker in ("start-at", "start-after"):
        if marker in options:
            start = text.find(options[marker].strip())
            assert start >= 0, f"{chapter}: {target} no tiene «{marker}»"
    for marker in ("end-before", "end-at"):
        if marker in options:
            assert text.find(options[marker].strip(), start + 1) > start, \
                f"{chapter}: {target} no tiene «{marker}» después del inicio"


SHOWN_COLUMNS = 76
"""Las líneas que el libro muestra caben en una pestaña (y en la página)."""


def included_text(target, options):
    """Lo que Sphinx incluye de ``target`` con ``options``: el mismo
    lector que usa ``literalinclude`` al construir el libro."""
    from sphinx.config import Config
    from sphinx.directives.code import LiteralIncludeReader

    options = dict(options)
    if "dedent" in options:
        options["dedent"] = int(options["dedent"])
    reader = LiteralIncludeReader(str((BOOK / target).resolve()), options,
                                  Config())
    return reader.read()[0]


def test_shown_lines_fit_in_a_tab():
    """Cada línea que un ``literalinclude`` muestra mide a lo más 76
    caracteres: así cabe en una pestaña y en el PDF sin cortarse."""
    wide = []
    for chapter, target, options in includes():
        shown = options.get("pyobject") or options.get("lines") \
            or options.get("start-at", "")[:30]
        for line in included_text(target, options).splitlines():
            if len(line) > SHOWN_COLUMNS:
                wide.append(f"{chapter}: {Path(target).name} ({shown}): "
                            f"{len(line)} caracteres: {line.strip()}")
    assert wide == [], "\n".join(wide)


def test_included_text_is_what_sphinx_shows():
    """El lector de Sphinx entrega el objeto pedido, completo."""
    text = included_text("../code/esenciales/scratch/conv.py",
                         {"pyobject": "avg_pool2d"})
    assert text.startswith("def avg_pool2d(image, size=2, stride=None):")
    assert text.rstrip().endswith("return _pool2d(image, size, stride, "
                                  "np.mean)")


def test_recorded_timings_ship_inside_the_package():
    from esenciales import timing

    assert timing.RECORDED_DIR.is_relative_to(
        Path(timing.__file__).resolve().parent)
    docs = timing.recorded_results()
    assert docs and all(d["origin"] == "grabado" for d in docs)
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"timing/recorded/*.json"' in pyproject


# ------------------------------------------- ayudas de estudio (issue 27)
CHAPTERS = sorted(BOOK.glob("0[1-7]_*.md"))
ADMONITION = re.compile(r"^:{3,}\{admonition\} (.*)\n:class: (.*)$", re.M)
# Autoevaluación: la pregunta a la vista y la respuesta plegada adentro.
SELF_CHECK = re.compile(
    r"^::::\{admonition\} Autoevaluación\n:class: autoevaluacion\n\n"
    r"¿?[A-ZÁÉÍÓÚÑ][^\n]*[?.]\n\n:::\{admonition\} Respuesta\n"
    r":class: dropdown\n\n[^:]", re.M)


def admonitions(text):
    return [(title, cls.split()) for title, cls in ADMONITION.findall(text)]


@pytest.mark.parametrize("chapter", CHAPTERS, ids=lambda p: p.stem)
def test_every_chapter_has_its_study_aids(chapter):
    """Objetivos (3–5) al comienzo, tres o más preguntas de autoevaluación
    con la respuesta plegada, de 3 a 6 recuadros de errores comunes
    (capítulos 3 a 6, ninguno en los demás) y ejercicios con solución."""
    text = chapter.read_text(encoding="utf-8")
    boxes = admonitions(text)
    goals = [i for i, (title, _) in enumerate(boxes)
             if title == "Objetivos de aprendizaje"]
    assert goals == [0], f"{chapter.name}: objetivos al comienzo, una vez"
    body = text.split(":::{admonition} Objetivos de aprendizaje", 1)[1]
    items = re.findall(r"^- ", body.split("\n:::", 1)[0], re.M)
    assert 3 <= len(items) <= 5, f"{chapter.name}: {len(items)} objetivos"
    first_section = text.index("\n## ")
    assert text.index("Objetivos de aprendizaje") < first_section
    checks = [title for title, _ in boxes if title == "Autoevaluación"]
    assert len(checks) >= 3, f"{chapter.name}: {len(checks)} preguntas"
    assert len(SELF_CHECK.findall(text)) == len(checks), chapter.name
    errors = [cls for title, cls in boxes if title == "Errores comunes"]
    number = int(chapter.name[:2])
    wanted = range(3, 7) if 3 <= number <= 6 else range(0, 1)
    assert len(errors) in wanted, \
        f"{chapter.name}: {len(errors)} recuadros de errores comunes"
    assert all(cls == ["warning", "errores-comunes"] for cls in errors)
    exercises = re.findall(r"^```\{exercise\} ", text, re.M)
    solutions = re.findall(r"^```\{solution\} ", text, re.M)
    assert len(exercises) >= 4 and len(solutions) == len(exercises)


# Orden del capítulo 3: nada se entrena antes de explicar cómo se entrena.
CODE_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```$", re.M | re.S)
TRAINS = re.compile(r"\b(?:train|trained)\(|\bfit\(")


def test_chapter_3_explains_training_before_training():
    """Ninguna celda del capítulo 3 entrena (``train``, ``trained``,
    ``fit``) antes de la sección del ciclo de entrenamiento, y ninguna
    llama a ``fit`` antes de la sección de ``compile`` y ``fit``."""
    text = (BOOK / "03_redes_neuronales.md").read_text(encoding="utf-8")
    cycle = text.index("(sec-pipeline)=")
    compile_fit = text.index("(sec-compile-fit)=")
    cells = [(cell.start(), cell.group(1))
             for cell in CODE_CELL.finditer(text)]
    training = [(start, code) for start, code in cells
                if TRAINS.search(code)]
    assert training, "el capítulo 3 no entrena nada"
    early = [code.strip().split("\n")[0] for start, code in training
             if start < cycle]
    assert not early, f"entrena antes del ciclo de entrenamiento: {early}"
    early_fit = [code.strip().split("\n")[0] for start, code in training
                 if start < compile_fit and re.search(r"\bfit\(", code)]
    assert not early_fit, f"llama a fit antes de explicarlo: {early_fit}"
