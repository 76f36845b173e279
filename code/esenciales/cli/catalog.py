"""El catálogo del comando: los capítulos del libro y dónde está cada uno.

``esenciales ejecutar N`` corre las celdas del capítulo N tal como están en
su archivo MyST (ver ``esenciales.cli.chapters``): aquí no se repite nada
de lo que hacen. El archivo se busca primero entre los datos del paquete
instalado (``esenciales/libro/``, que ``make dist`` copia) y, si no está
ahí, en la carpeta ``book/`` del repositorio. ``ESENCIALES_LIBRO`` elige
otra carpeta. Este módulo no importa ningún framework.
"""

import os
from dataclasses import dataclass
from pathlib import Path

BOOK_ENV_VAR = "ESENCIALES_LIBRO"
"""Variable de entorno con otra carpeta de capítulos (un libro editado)."""


@dataclass(frozen=True)
class Chapter:
    """Un capítulo del libro: número, nombre corto y archivo. El título es
    el de su archivo (la primera línea «# …»), no una copia."""

    number: int
    slug: str
    filename: str

    @property
    def title(self):
        """El título del capítulo: el primer «# …» de su archivo MyST que
        no está dentro de una celda de código."""
        in_code = False
        with chapter_source(self).open(encoding="utf-8") as text:
            for line in text:
                if line.startswith("```"):
                    in_code = not in_code
                elif line.startswith("# ") and not in_code:
                    return line[2:].strip()
        return self.filename


CHAPTERS = (
    Chapter(1, "ia", "01_ia_ml_dl.md"),
    Chapter(2, "panorama", "02_panorama.md"),
    Chapter(3, "redes", "03_redes_neuronales.md"),
    Chapter(4, "cnn", "04_cnn.md"),
    Chapter(5, "regularizacion", "05_regularizacion.md"),
    Chapter(6, "ejemplos", "06_ejemplos.md"),
    Chapter(7, "conclusiones", "07_conclusiones.md"),
)
"""Los capítulos, en el orden de la parte «Capítulos» de ``_toc.yml`` (una
prueba lo comprueba); el nombre corto es el que acepta la terminal."""


def book_folders():
    """Dónde se buscan los capítulos, en orden."""
    package = Path(__file__).resolve().parents[1]
    folders = [package / "libro", package.parents[1] / "book"]
    if os.environ.get(BOOK_ENV_VAR):
        folders.insert(0, Path(os.environ[BOOK_ENV_VAR]))
    return folders


def chapter_source(chapter):
    """La ruta del archivo MyST de ``chapter`` (un ``Chapter``).

    Lanza ``FileNotFoundError`` con un mensaje en español si no está en
    ninguna de las carpetas de ``book_folders()``.
    """
    folders = book_folders()
    for folder in folders:
        path = folder / chapter.filename
        if path.is_file():
            return path
    looked = ", ".join(str(f) for f in folders)
    raise FileNotFoundError(
        f"No se encontró el capítulo «{chapter.filename}» (se buscó en "
        f"{looked}); reinstalen el paquete o definan {BOOK_ENV_VAR} con la "
        "carpeta de los capítulos.")


def find_chapter(key):
    """El capítulo por número (``"6"``) o por nombre corto (``"ejemplos"``).

    Devuelve ``None`` si no existe.
    """
    key = str(key).strip().lower()
    return next((c for c in CHAPTERS
                 if key in (str(c.number), f"{c.number:02d}", c.slug)), None)

