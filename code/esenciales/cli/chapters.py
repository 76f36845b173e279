"""Ejecutar un capítulo del libro en la terminal: sus propias celdas.

``esenciales ejecutar N`` no repite lo que hace el capítulo: lee sus celdas
de código (``{code-cell}`` de MyST) y las ejecuta en orden, en un mismo
espacio de nombres, como lo hace el libro al construirse. De cada celda
visible se muestra lo que el libro muestra: lo que imprime y el valor de su
última expresión (una tabla Markdown se vuelve una tabla de texto de 80
columnas). Las celdas ocultas (``remove-cell``) corren en silencio; las
figuras que el capítulo pega con ``glue`` se guardan como PNG si se pide.
"""

import ast
import contextlib
import io
import sys
import types
from dataclasses import dataclass
from pathlib import Path

from esenciales.cli import render


@dataclass(frozen=True)
class Cell:
    """Una celda de código del capítulo: su número, su código y sus tags."""

    number: int
    source: str
    tags: frozenset

    @property
    def visible(self):
        """¿Aparece la celda en el libro?"""
        return "remove-cell" not in self.tags

    @property
    def shows_output(self):
        """¿Muestra el libro lo que produce?"""
        return self.visible and "remove-output" not in self.tags

    @property
    def title(self):
        """La primera línea de código, para nombrar la celda."""
        for line in self.source.splitlines():
            line = line.strip()
            if line and not line.startswith(("#", "%")):
                return line
        return ""


def parse_cells(text):
    """Las celdas de código de un capítulo MyST, en orden.

    Las lee ``esenciales.notebooks.split_cells``, el mismo lector que
    escribe los cuadernos: sus opciones (``:tags: [...]`` o un bloque
    ``---``) quedan fuera del código. Las líneas mágicas de IPython
    (``%...``, ``!...``) se quitan: en la terminal no hay IPython.
    """
    from esenciales.notebooks import split_cells

    code_cells = [(source, options)
                  for kind, source, options in split_cells(text)
                  if kind == "code"]
    return [Cell(number, _without_magics(source),
                 frozenset(options.get("tags", ())))
            for number, (source, options) in enumerate(code_cells, 1)]


def _without_magics(source):
    """El código sin las líneas mágicas de IPython."""
    return "\n".join(line for line in source.splitlines()
                     if not line.lstrip().startswith(("%", "!"))).strip("\n")


def visible_cells(cells):
    """Las celdas que el libro muestra, numeradas desde 1 en ese orden."""
    return [cell for cell in cells if cell.visible]


# --------------------------------------------------------------------------
# Lo que una celda devuelve, en la terminal


class Display:
    """Muestra en la terminal los resultados de las celdas y sus figuras.

    ``figures``: carpeta donde guardar como PNG las figuras del capítulo
    (``None``: no se guardan). ``save_figure(path, figure)`` hace la
    escritura (atómica, en ``esenciales.files``).
    """

    def __init__(self, figures=None, save_figure=None):
        self.figures = Path(figures) if figures else None
        self.save_figure = save_figure
        self.unnamed = 0
        self.glued = {}

    def show(self, value):
        """Escribe ``value`` como lo muestra el libro bajo la celda."""
        text = self.text(value)
        if text:
            print(text)

    def text(self, value):
        """El texto de ``value`` en la terminal (vacío si no se muestra)."""
        if value is None:
            return ""
        if _is_figure(value):
            self.unnamed += 1
            return self.figure(f"figura-{self.unnamed}", value)
        if isinstance(value, _markdown_types()) \
                and isinstance(value.data, str):
            return render.markdown_to_text(value.data)
        if type(value).__module__ == "numpy":
            import numpy as np

            with np.printoptions(linewidth=render.WIDTH - 1):
                return repr(value)
        return repr(value)

    def figure(self, name, figure):
        """Guarda la figura ``name`` si se pidió una carpeta; la cierra."""
        import matplotlib.pyplot as plt

        text = ""
        if self.figures is not None:
            path = self.figures / f"{name}.png"
            self.save_figure(path, figure)
            text = f"(figura guardada en {path})"
        plt.close(figure)
        return text

    def glue(self, name, value, display=True):
        """Lo que hace ``myst_nb.glue`` en el libro, en la terminal."""
        if _is_figure(value):
            text = self.figure(name, value)
        else:
            text = self.text(value)
            self.glued[name] = getattr(value, "data", None) or str(value)
        if text and display:  # bajo la celda, que puede estar oculta
            print(text)


def _is_figure(value):
    return hasattr(value, "savefig") and hasattr(value, "axes")


# --------------------------------------------------------------------------
# Ejecutar


class _Markdown:
    """``IPython.display.Markdown`` para cuando IPython no está instalado."""

    def __init__(self, data=None):
        self.data = data


def _markdown_types():
    """Las clases de un texto Markdown que una celda puede devolver: la de
    IPython (si está instalado) y la que la reemplaza."""
    try:
        from IPython.display import Markdown
    except ImportError:
        return (_Markdown,)
    return (Markdown, _Markdown)


def _shim_modules(display):
    """Módulos que el libro importa y la terminal reemplaza: ``myst_nb``
    (``glue``) y, si IPython no está, ``IPython.display.Markdown``."""
    myst_nb = types.ModuleType("myst_nb")
    myst_nb.glue = display.glue
    inline = types.ModuleType("matplotlib_inline.backend_inline")
    inline.set_matplotlib_formats = lambda *formats, **kwargs: None
    modules = {"myst_nb": myst_nb,
               "matplotlib_inline.backend_inline": inline,
               "matplotlib_inline": types.ModuleType("matplotlib_inline")}
    modules["matplotlib_inline"].backend_inline = inline
    try:
        import IPython.display  # noqa: F401
    except ImportError:
        ipython = types.ModuleType("IPython")
        ipython.display = types.ModuleType("IPython.display")
        ipython.display.Markdown = _Markdown
        ipython.display.display = lambda *values, **kwargs: [
            display.show(v) for v in values]
        modules.update({"IPython": ipython,
                        "IPython.display": ipython.display})
    return modules


@contextlib.contextmanager
def _replaced_modules(modules):
    saved = {name: sys.modules.get(name) for name in modules}
    sys.modules.update(modules)
    try:
        yield
    finally:
        for name, module in saved.items():
            if module is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = module


class CellError(Exception):
    """Una celda del capítulo falló; lleva su número y el error original."""

    def __init__(self, cell, error):
        super().__init__(f"la celda {cell.number} falló: "
                         f"{type(error).__name__}: {error}")
        self.cell = cell
        self.error = error


def run_cell(cell, namespace, display, filename):
    """Ejecuta ``cell`` en ``namespace``; devuelve lo que mostraría.

    Devuelve el texto impreso por la celda y el de su última expresión
    (vacío si el libro no muestra su salida).
    """
    tree = ast.parse(cell.source, filename=filename)
    last = None
    silenced = cell.source.rstrip().endswith(";")  # como en IPython
    if tree.body and isinstance(tree.body[-1], ast.Expr) and not silenced:
        last = ast.Expression(tree.body.pop().value)
    printed = io.StringIO()
    quiet = "remove-stderr" in cell.tags or not cell.shows_output
    errors = io.StringIO() if quiet else sys.stderr
    try:
        with contextlib.redirect_stdout(printed), \
                contextlib.redirect_stderr(errors):
            exec(compile(tree, filename, "exec"), namespace)
            value = eval(compile(last, filename, "eval"), namespace) \
                if last else None
            shown = display.text(value) if cell.shows_output else ""
    finally:
        if quiet:
            _pass_warnings(errors.getvalue())
    if not cell.shows_output:
        return ""
    return fit_rules("\n".join(
        t for t in (printed.getvalue().rstrip("\n"), shown) if t))


WARNING = "esenciales: aviso: "
"""Cómo empieza un aviso del paquete (una entrada de la caché dañada que
se recalcula, una caché que no se puede escribir)."""


def _pass_warnings(text):
    """Los avisos del paquete salen aunque la celda esté oculta: el lector
    debe saber por qué una celda tarda (se vuelve a entrenar)."""
    for line in text.splitlines():
        if line.startswith(WARNING):
            print(line, file=sys.stderr, flush=True)


def fit_rules(text):
    """Acorta a 80 columnas las líneas que son solo una raya (``=====``),
    como las que dibujan los resúmenes de modelos."""
    return "\n".join(
        line[:render.WIDTH - 1] if len(line) >= render.WIDTH
        and len(set(line.strip())) == 1 else line
        for line in text.splitlines())


def _progress_label(chapter, cell, cells, position_of, visible):
    """Qué celda corre, con la numeración que ve el lector: «celda [5]
    de 18»; una celda oculta, «preparando la celda [5]»."""
    position = position_of.get(cell.number)
    if position:
        return f"capítulo {chapter.number}, celda [{position}] de {visible}"
    following = next((position_of[c.number] for c in cells
                      if c.number > cell.number and c.number in position_of),
                     None)
    if following is None:
        return f"capítulo {chapter.number}, celdas finales ocultas"
    return f"capítulo {chapter.number}, preparando la celda [{following}]"


def run_chapter(chapter, text, *, only=None, display, progress=None,
                out=None):
    """Ejecuta las celdas del capítulo y escribe lo que muestra el libro.

    ``text``: el capítulo MyST; ``only``: número de una celda visible
    (desde 1) para mostrar solo esa (las anteriores corren en silencio,
    porque preparan lo que usa). ``progress``: un ``render.Progress``.
    Lanza ``CellError`` si una celda falla.
    """
    import matplotlib

    if "matplotlib.pyplot" not in sys.modules:  # en Jupyter, no tocarlo
        matplotlib.use("Agg")
    out = out or sys.stdout
    cells = parse_cells(text)
    numbered = dict(enumerate(visible_cells(cells), start=1))
    position_of = {cell.number: n for n, cell in numbered.items()}
    stop = numbered[only].number if only else len(cells)
    namespace = {"__name__": "__main__"}
    filename = f"<capítulo {chapter.number}>"
    with _replaced_modules(_shim_modules(display)):
        for cell in cells[:stop]:
            if progress:
                progress.step(_progress_label(chapter, cell, cells,
                                              position_of, len(numbered)))
            try:
                result = run_cell(cell, namespace, display, filename)
            except Exception as error:
                raise CellError(cell, error) from error
            finally:
                if progress:
                    progress.done()
            position = position_of.get(cell.number)
            if position and only in (None, position):
                print(render.bold(f"── [{position}] {cell.title}"[
                    :render.WIDTH - 1], out), file=out)
                if result:
                    print(result, file=out)
                out.flush()
