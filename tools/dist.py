"""Construye la rueda (wheel) y el sdist de «esenciales» con sus datos.

Uso: ``python tools/dist.py [--outdir dist] [--wheel]`` (``make dist``).
``make book`` deja la rueda sola (``--wheel``) en ``_static/`` del sitio,
para que los cuadernos la instalen.

El paquete instalado tiene que andar sin el repositorio, así que lleva:
- las cifras de GPU grabadas (``timing/recorded/*.json``) y los estilos
  de figura (``figures/*.mplstyle``), que ya viven dentro del paquete;
- una copia de los capítulos (``libro/NN_*.md`` y ``references.bib``),
  que leen ``esenciales ejecutar N`` y ``esenciales cuaderno N``;
- el cuaderno de cada capítulo (``cuadernos/NN_*.ipynb``), con las salidas
  del libro si se construyó antes (``make book``), sin salidas si no.

Los capítulos y cuadernos se copian en una carpeta temporal junto con el
código, y se construye desde ahí: el repositorio no cambia.
"""

import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "code"))

from esenciales import notebooks  # noqa: E402
from esenciales.cli import catalog  # noqa: E402

IGNORED = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info",
                                 "libro", "cuadernos")


def stage(folder, html):
    """Copia en ``folder`` lo necesario para construir; informa cuadernos."""
    shutil.copytree(ROOT / "code" / "esenciales",
                    folder / "code" / "esenciales", ignore=IGNORED)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, folder / name)
    package = folder / "code" / "esenciales"
    book = package / "libro"
    book.mkdir()
    chapters = [ROOT / "book" / chapter.filename
                for chapter in catalog.CHAPTERS]
    for path in chapters + [ROOT / "book" / "references.bib"]:
        shutil.copy2(path, book / path.name)
    (package / "cuadernos").mkdir()
    executed = ROOT / "_build" / "jupyter_execute" / "book"
    report = []
    for path in chapters:
        built = html / "_sources" / "book" / f"{path.stem}.ipynb"
        target = package / "cuadernos" / built.name
        if built.exists():
            shutil.copy2(built, target)
            report.append(f"{built.name}: del libro construido")
        else:
            notebooks.write_notebook(notebooks.book_notebook(
                path, executed if executed.is_dir() else None), target)
            report.append(f"{built.name}: sin salidas (falta make book)")
    return report


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outdir", type=Path, default=ROOT / "dist")
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html",
                        help="libro construido del que tomar los cuadernos")
    parser.add_argument("--wheel", action="store_true",
                        help="solo la rueda, sin el sdist")
    args = parser.parse_args(argv)
    outdir = args.outdir.resolve()
    with tempfile.TemporaryDirectory(prefix="esenciales-dist-") as tmp:
        folder = Path(tmp)
        for line in stage(folder, args.html.resolve()):
            print(line)
        built = subprocess.run(
            [sys.executable, "-m", "build", "--no-isolation",
             *(["--wheel"] if args.wheel else []), "--outdir",
             str(outdir), str(folder)], capture_output=True, text=True)
        if built.returncode:
            print(built.stdout + built.stderr, file=sys.stderr)
            print("dist: no se pudo construir el paquete", file=sys.stderr)
            return 1
    for path in sorted(outdir.glob("esenciales-*")):
        print(f"{path}: {path.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
