"""La caché de ejecución del libro sigue al paquete, capítulo por capítulo.

La caché de myst-nb (``_build/.jupyter_cache``) guarda las salidas de cada
capítulo según el texto de sus celdas: no ve el código del paquete que
esas celdas llaman. Este guion (``make execution-cache``, lo primero que
hace ``make book``) calcula para cada capítulo la huella de la parte del
paquete de la que depende y la compara con la de la última construcción.
Si cambió, borra la entrada del capítulo en la caché y le pone la fecha de
ahora, para que Sphinx lo vuelva a leer y myst-nb lo ejecute; si nada
cambió, no toca nada.

De qué depende un capítulo: de los módulos que importan sus celdas y, por
transitividad, de los que esos importan (leídos como árbol de sintaxis,
también los ``import`` dentro de funciones). Donde el análisis no ve, se
cuenta de más, nunca de menos:

- un módulo de un subpaquete (``runs/``, ``figures/``...) arrastra el
  subpaquete entero con sus datos (tiempos grabados, estilos, programas
  de las diapositivas);
- un módulo que elige un gemelo al ejecutarse (``framework_module``,
  ``import_module``) depende de ``keras/`` y ``torch/`` completos;
- un texto con el nombre de un módulo (``"esenciales.keras.parallel"``,
  que corre en un subproceso) cuenta como un ``import``;
- un capítulo que ejecuta el comando ``esenciales`` (el apéndice de la
  terminal corre ``ejecutar ia 3``) depende también del texto de los
  demás capítulos.

Los entrenamientos largos no se repiten por esto: la caché de resultados
mira la receta y el código que entrena (``esenciales.runs.cache``).
"""

import argparse
import ast
import hashlib
import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "code"))

from esenciales.files import write_json  # noqa: E402
from esenciales.notebooks import split_cells  # noqa: E402

PACKAGE = "esenciales"
TWINS = ("keras", "torch")
"""Los subpaquetes que un import dinámico puede alcanzar."""
DYNAMIC = re.compile(r"\b(framework_module|import_module)\(")
MODULE_NAME = re.compile(r"^esenciales(\.\w+)+$")
READS_CHAPTERS = "esenciales.cli.catalog"
"""El módulo que lee los archivos de los capítulos (``ejecutar``)."""
SKIPPED = ("__pycache__", "cuadernos", "libro")
"""Carpetas del paquete que no son código: caché de Python y las copias
de los capítulos y cuadernos que hace ``make dist``."""


class Package:
    """El código de ``esenciales`` en ``root`` (``code/esenciales``)."""

    def __init__(self, root):
        self.root = Path(root)

    def module_path(self, name):
        """El archivo de ``esenciales.a.b`` (o ``None`` si no es módulo)."""
        base = self.root.joinpath(*name.split(".")[1:])
        candidates = [base / "__init__.py"]
        if base != self.root:
            candidates.insert(0, base.with_suffix(".py"))
        return next((path for path in candidates if path.is_file()), None)

    def module_name(self, path):
        parts = list(path.relative_to(self.root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        return ".".join([PACKAGE, *parts])

    def imports(self, source, name=None):
        """Los módulos de ``esenciales`` que ``source`` nombra."""
        tree = ast.parse(source)
        found = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                found |= {alias.name for alias in node.names}
            elif isinstance(node, ast.ImportFrom):
                base = self._absolute(node, name)
                found.add(base)
                found |= {f"{base}.{alias.name}" for alias in node.names}
            elif isinstance(node, ast.Constant) \
                    and isinstance(node.value, str) \
                    and MODULE_NAME.match(node.value):
                found.add(node.value)
        if DYNAMIC.search(source):
            found |= {self.module_name(path) for twin in TWINS
                      for path in (self.root / twin).rglob("*.py")}
        modules = set()
        for module in found:
            parts = module.split(".")
            if parts[0] != PACKAGE:
                continue
            for end in range(1, len(parts) + 1):  # y sus paquetes padres
                if self.module_path(".".join(parts[:end])):
                    modules.add(".".join(parts[:end]))
        return modules

    def _absolute(self, node, name):
        """El módulo de un ``from … import`` (resuelve los relativos)."""
        if not node.level:
            return node.module or ""
        path = self.module_path(name)
        package = name.split(".")
        if path is None or path.name != "__init__.py":
            package = package[:-1]
        package = package[:len(package) - node.level + 1]
        return ".".join(package + ([node.module] if node.module else []))

    def closure(self, modules):
        """Los módulos alcanzados desde ``modules`` siguiendo imports."""
        seen, pending = set(), list(modules)
        while pending:
            name = pending.pop()
            if name in seen:
                continue
            seen.add(name)
            path = self.module_path(name)
            source = path.read_text(encoding="utf-8")
            pending += self.imports(source, name) - seen
        return seen

    def files(self, modules):
        """Los archivos de los que dependen ``modules``: cada módulo de la
        raíz, y los subpaquetes enteros (con sus datos) de los demás."""
        files = set()
        for name in modules:
            path = self.module_path(name)
            relative = path.relative_to(self.root)
            if len(relative.parts) == 1:
                files.add(path)
            else:
                files |= {p for p in (self.root / relative.parts[0]).rglob(
                    "*") if p.is_file() and not _skipped(p, self.root)}
        return files

    def fingerprint(self, files):
        digest = hashlib.sha256()
        for path in sorted(files):
            digest.update(os.path.relpath(path, self.root).encode())
            digest.update(path.read_bytes())
        return digest.hexdigest()[:16]


def _skipped(path, root):
    return any(part in SKIPPED for part in path.relative_to(root).parts)


def chapter_modules(package, text):
    """Los módulos del paquete que importan las celdas de un capítulo."""
    modules = set()
    for kind, source, _ in split_cells(text):
        if kind != "code":
            continue
        code = "\n".join(line for line in source.splitlines()
                         if not line.lstrip().startswith(("%", "!")))
        modules |= package.imports(code)
    return modules


def fingerprints(book, package):
    """``{capítulo: huella}`` de cada capítulo de ``book`` que usa el
    paquete. Un capítulo que ejecuta el comando (``esenciales.cli``, que
    lee los capítulos) depende además del texto de los demás."""
    chapters = sorted(Path(book).glob("*.md"))
    prints = {}
    for chapter in chapters:
        modules = chapter_modules(package, chapter.read_text(
            encoding="utf-8"))
        if not modules:
            continue
        modules = package.closure(modules)
        files = package.files(modules)
        if READS_CHAPTERS in modules:
            files |= set(chapters) - {chapter}
        prints[chapter.name] = package.fingerprint(files)
    return prints


def forget(cache, chapters):
    """Borra de la caché de myst-nb las salidas de ``chapters`` (rutas)."""
    from jupyter_cache import get_cache
    from jupyter_cache.cache.db import NbCacheRecord

    names = {Path(c).resolve() for c in chapters}
    store = get_cache(str(cache))
    for record in store.list_cache_records():
        if Path(record.uri).resolve() in names:
            try:
                store.remove_cache(record.pk)
            except KeyError:  # su cuaderno ya no estaba: solo el registro
                NbCacheRecord.remove_records([record.pk], store.db)


def update(book, package_root, cache, stamp):
    """Compara las huellas con ``stamp`` y olvida los capítulos que
    cambiaron. Devuelve la lista de capítulos que se volverán a ejecutar
    (vacía si la caché aún no existe: se ejecutarán todos igual)."""
    book, cache, stamp = Path(book), Path(cache), Path(stamp)
    prints = fingerprints(book, Package(package_root))
    try:
        before = json.loads(stamp.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        before = None
    changed = []
    if cache.exists():
        changed = sorted(name for name, value in prints.items()
                         if not isinstance(before, dict)
                         or before.get(name) != value)
    if changed:
        forget(cache, [book / name for name in changed])
        for name in changed:  # Sphinx vuelve a leer lo que cambió de fecha
            os.utime(book / name)
    write_json(stamp, prints)
    return changed


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--book", default=ROOT / "book", type=Path)
    parser.add_argument("--package", default=ROOT / "code" / PACKAGE,
                        type=Path)
    parser.add_argument("--cache", default=ROOT / "_build" /
                        ".jupyter_cache", type=Path)
    parser.add_argument("--stamp", default=ROOT / "_build" /
                        ".paquete-ejecutado.json", type=Path)
    args = parser.parse_args(argv)
    changed = update(args.book, args.package, args.cache, args.stamp)
    if changed:
        print("El paquete cambió: se vuelven a ejecutar "
              + ", ".join(Path(name).stem for name in changed) + ".")


if __name__ == "__main__":
    main()
