"""Lo que el comando ``esenciales`` escribe en la terminal.

Tablas de texto de 80 columnas como máximo (cada fila empieza en una
línea con todas sus celdas), tablas Markdown del libro vueltas texto,
colores solo en una terminal y un indicador de avance con los segundos
transcurridos. Los números llegan ya escritos por ``esenciales.spanish``: aquí solo se
acomodan.
"""

import io
import os
import re
import sys
import textwrap
import threading
import time
from pathlib import Path

WIDTH = 80
"""Ancho máximo de lo que se escribe en la terminal (columnas)."""

GAP = "  "
"""Separación entre columnas de una tabla."""


def is_tty(stream=None):
    """¿Escribe ``stream`` (por omisión, la salida) en una terminal?"""
    stream = stream or sys.stdout
    return hasattr(stream, "isatty") and stream.isatty()


COLOR_CHOICES = ("auto", "always", "never")
"""``--color``: en una terminal (``auto``), siempre o nunca."""

_color = {"mode": "auto"}


def set_color(mode):
    """Elige cuándo hay color (``--color``); ``auto`` respeta ``NO_COLOR``
    y ``TERM=dumb``."""
    _color["mode"] = mode


def paint(text, code, stream=None):
    """``text`` con color ANSI si ``stream`` es una terminal con color."""
    mode = _color["mode"]
    if mode == "never" or mode == "auto" and (
            not is_tty(stream) or os.environ.get("NO_COLOR")
            or os.environ.get("TERM") == "dumb"):
        return text
    return f"\033[{code}m{text}\033[0m"


def bold(text, stream=None):
    """``text`` en negrita (solo en una terminal)."""
    return paint(text, "1", stream)


# --------------------------------------------------------------------------
# Tablas


def _fit_widths(widths, minimums, limit):
    """Achica las columnas más anchas hasta que la tabla quepa en ``limit``.

    Ninguna columna baja de su mínimo.
    """
    widths = list(widths)
    total = sum(widths) + len(GAP) * (len(widths) - 1)
    while total > limit:
        shrinkable = [i for i, w in enumerate(widths) if w > minimums[i]]
        if not shrinkable:
            break
        widest = max(shrinkable, key=widths.__getitem__)
        widths[widest] -= 1
        total -= 1
    return widths


def _longest_word(texts):
    return max((len(word) for text in texts for word in text.split()),
               default=1)


def _column_widths(header, rows, align, limit):
    """Los anchos de las columnas para que la tabla quepa en ``limit``.

    Primero se parten los encabezados (por palabras) y la última columna
    si es de texto; si no alcanza, se acortan las otras columnas de texto
    (sus celdas terminarán en «…»). Las cifras nunca se acortan.
    """
    columns = [[row[i] for row in rows] for i in range(len(header))]
    natural = [max([len(h), *map(len, col)]) for h, col in
               zip(header, columns)]
    last = len(header) - 1
    wraps = [i == last and a == "l" for i, a in enumerate(align)]
    whole = [_longest_word([h, *col]) if wrap
             else max([_longest_word([h]), *map(len, col)])
             for h, col, wrap in zip(header, columns, wraps)]
    widths = _fit_widths(natural, whole, limit)
    clipped = [w if a == "r" or wrap else max(_longest_word([h]), 4)
               for w, h, a, wrap in zip(whole, header, align, wraps)]
    return _fit_widths(widths, clipped, limit), wraps


def text_table(header, rows, align=None, width=WIDTH):
    """Una tabla de texto alineada que no pasa de ``width`` columnas.

    ``header``: nombres de columna; ``rows``: listas de textos; ``align``:
    ``"l"`` o ``"r"`` por columna (por omisión, a la derecha las columnas
    que empiezan con una cifra). Cada fila empieza en una línea con todas
    sus celdas: si la tabla no cabe, los encabezados se parten en palabras,
    la última columna (si es de texto) sigue en las líneas de abajo, bajo
    sí misma, y una celda de texto de otra columna que no cabe se acorta
    con «…». Las cifras se muestran siempre completas.
    """
    rows = [[str(row[i]) if i < len(row) else "" for i in range(len(header))]
            for row in rows]
    if align is None:
        align = ["r" if rows and all(_looks_numeric(row[i]) for row in rows)
                 else "l" for i in range(len(header))]
    widths, wraps = _column_widths(header, rows, align, width - 1)
    widths = _tightened(header, rows, widths, wraps, width - 1)
    lines = _header_lines(header, widths)
    lines.append(GAP.join("─" * w for w in widths))
    for row in rows:
        cells = [cell if wrap else _clip(cell, w)
                 for cell, w, wrap in zip(row, widths, wraps)]
        lines += _row_lines(cells, widths, align)
    return "\n".join(lines)


def _tightened(header, rows, widths, wraps, limit):
    """Cada columna al ancho de lo que de verdad muestra (un encabezado
    partido ocupa menos que su columna); lo que sobra vuelve a las celdas
    acortadas, de izquierda a derecha."""
    shown = []
    for i, (name, width) in enumerate(zip(header, widths)):
        texts = textwrap.wrap(name, width) + [
            *(line for row in rows for line in (
                textwrap.wrap(row[i], width) if wraps[i]
                else [_clip(row[i], width)]))]
        shown.append(max(map(len, texts), default=1))
    slack = limit - sum(shown) - len(GAP) * (len(shown) - 1)
    for i, row_widths in enumerate(zip(*rows) if rows else ()):
        wanted = max(map(len, row_widths))
        if not wraps[i] and wanted > shown[i] and slack > 0:
            extra = min(slack, wanted - shown[i])
            shown[i] += extra
            slack -= extra
    return shown


def _clip(text, width):
    """``text`` acortado a ``width`` columnas con «…» si no cabe."""
    return text if len(text) <= width else text[:width - 1].rstrip() + "…"


def _header_lines(header, widths):
    """Los encabezados, partidos en palabras si no caben, en negrita."""
    return [bold(line) for line in
            _row_lines(header, widths, ["l"] * len(widths))]


def _row_lines(cells, widths, align):
    """Las líneas de una fila; una celda más ancha que su columna se parte
    en palabras (solo pasa con los encabezados y la última columna)."""
    wrapped = [textwrap.wrap(cell, w) or [""] for cell, w in
               zip(cells, widths)]
    height = max(len(parts) for parts in wrapped)
    lines = []
    for k in range(height):
        parts = [(p[k] if k < len(p) else "") for p in wrapped]
        lines.append(GAP.join(p.rjust(w) if a == "r" else p.ljust(w)
                              for p, w, a in zip(parts, widths, align))
                     .rstrip())
    return lines


_NUMERIC = re.compile(r"^[-−+]?[\d\u202f\u00a0 ,.]+(\s?%|\s?×)?$")


def _looks_numeric(text):
    """¿Es ``text`` una cifra (``60 000``, ``0,123``, ``95,1 %``)?"""
    return bool(_NUMERIC.match(text.strip())) or text.strip() in ("", "—")


def markdown_to_text(markdown, width=WIDTH):
    """Una tabla Markdown (``| a | b |``) como tabla de texto.

    Lo que no es tabla se devuelve tal cual, sin los asteriscos del
    énfasis. Conserva la alineación de la fila ``|---:|``.
    """
    lines = markdown.strip().splitlines()
    if len(lines) < 2 or not _is_rule(lines[1]):
        return markdown.replace("**", "").strip()
    header = _split_row(lines[0])
    rule = _split_row(lines[1])
    align = ["r" if cell.endswith(":") and not cell.startswith(":")
             else "l" for cell in rule]
    rows = [_split_row(line) for line in lines[2:] if line.strip()]
    return text_table(header, rows, align, width)


def _is_rule(line):
    return bool(re.match(r"^\s*\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$",
                         line))


def _split_row(line):
    cells = line.strip().strip("|").split("|")
    return [_plain(cell.strip()) for cell in cells]


def _plain(cell):
    """Una celda Markdown sin énfasis, código ni signos de ``$…$``
    (``$n$`` se lee «n»)."""
    cell = cell.replace("**", "").replace("`", "")
    return re.sub(r"\$([^$]+)\$", lambda m: m[1].replace("\\", ""), cell)


# --------------------------------------------------------------------------
# Avance


class Progress:
    """Indicador de avance en la salida de errores, igual para todo.

    ``step(texto)`` abre un paso; si dura más de ``after`` segundos, en una
    terminal se ve ``⋯ texto · 12 s`` (actualizado cada segundo) y, fuera
    de una terminal, una sola línea ``⋯ texto`` para saber que sigue vivo.
    ``note(texto)`` termina el paso con una línea que queda (una época
    terminada).
    """

    def __init__(self, stream=None, after=2.0):
        self.stream = stream or sys.stderr
        self.after = after
        self.live = is_tty(self.stream)
        self._label = None
        self._start = 0.0
        self._shown = False
        self._lock = threading.Lock()
        self._wake = threading.Event()
        self._thread = None

    def step(self, label):
        """Empieza un paso nuevo (termina el anterior)."""
        with self._lock:
            self._clear()
            self._label, self._start, self._shown = label, time.monotonic(), \
                False
        if self._thread is None:
            self._thread = threading.Thread(target=self._tick, daemon=True)
            self._thread.start()

    def note(self, text):
        """Termina el paso en curso con una línea que queda escrita."""
        with self._lock:
            self._clear()
            print(text, file=self.stream, flush=True)
            self._label = None

    def done(self):
        """Termina el paso en curso y borra su línea."""
        with self._lock:
            self._clear()
            self._label = None

    def close(self):
        """Termina el indicador (se llama al salir, pase lo que pase)."""
        self.done()
        self._wake.set()

    def elapsed(self):
        return time.monotonic() - self._start

    def _clear(self):
        if self._shown and self.live:
            self.stream.write("\r\033[K")
            self.stream.flush()
        self._shown = False

    def _tick(self):
        while not self._wake.wait(1.0):
            with self._lock:
                if self._label is None or self.elapsed() < self.after:
                    continue
                text = f"⋯ {self._label}"
                if self.live:
                    text = f"{text} · {self.elapsed():.0f} s"
                    self.stream.write("\r\033[K" + text[:WIDTH - 1])
                    self.stream.flush()
                elif not self._shown:
                    print(text, file=self.stream, flush=True)
                self._shown = True


class MachinePaths(io.TextIOBase):
    """Escribe en ``stream`` con las carpetas de la máquina como
    ``$ESENCIALES_DATA``, ``.`` (``repository``) y ``~``.

    Para las páginas del libro que muestran la salida del comando: las
    carpetas de la máquina que construye el libro no le sirven al lector.
    Cada carpeta se reemplaza tal como se escribió y también resuelta
    (sin enlaces simbólicos).
    """

    def __init__(self, stream, repository):
        self.stream = stream
        folders = [(os.environ.get("ESENCIALES_DATA"), "$ESENCIALES_DATA"),
                   (str(repository), "."),
                   (str(Path.home()), "~")]
        folders = [(f, name) for f, name in folders if f and len(f) > 1]
        self.folders = [(str(Path(f).resolve()), name)
                        for f, name in folders] + folders

    def write(self, text):
        for folder, name in self.folders:
            text = text.replace(folder, name)
        return self.stream.write(text)

    def flush(self):
        self.stream.flush()

    @property
    def encoding(self):
        return self.stream.encoding

    def isatty(self):
        return self.stream.isatty()


def hide_machine_paths(repository):
    """Envuelve ``sys.stdout`` y ``sys.stderr`` en ``MachinePaths``."""
    sys.stdout = MachinePaths(sys.stdout, repository)
    sys.stderr = MachinePaths(sys.stderr, repository)
