"""Cuadernillos en PDF: un documento autónomo por capítulo del libro.

Cada cuadernillo lleva portada (título del libro y del capítulo), el
capítulo con su número real y las referencias que el capítulo cita. Se
construye en una copia temporal del libro cuyo índice (_toc.yml) lista
solo ese capítulo, y reutiliza la caché de ejecución de «make book»:
los cuadernos no se vuelven a ejecutar si no cambiaron.

Uso: python tools/handouts.py [--out _build/handouts] [4 5 ...]
Salida: _build/handouts/capitulo-04.pdf (y su log de LaTeX en logs/).
"""

import argparse
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS_CAPTION = "Capítulos"
CITE = re.compile(r"\{(foot)?cite(:[a-z]+)?\}")


def chapter_files(toc_path):
    """Archivos (sin extensión) de la parte «Capítulos» de _toc.yml."""
    toc = yaml.safe_load(toc_path.read_text(encoding="utf-8"))
    for part in toc.get("parts", []):
        if part.get("caption") == CHAPTERS_CAPTION:
            return [entry["file"] for entry in part["chapters"]]
    raise SystemExit(f"_toc.yml no tiene la parte «{CHAPTERS_CAPTION}»")


def chapter_title(source):
    """Primer título de nivel 1 de un capítulo MyST."""
    for line in source.read_text(encoding="utf-8").splitlines():
        if line.startswith("# "):
            return line[2:].strip()
    raise SystemExit(f"{source} no tiene un título «# ...»")


def latex_escape(text):
    """Escapa los caracteres especiales de LaTeX de un texto simple."""
    special = {"&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
               "_": r"\_", "{": r"\{", "}": r"\}"}
    return "".join(special.get(char, char) for char in text)


def front_page(number, title):
    """Documento raíz del cuadernillo: presentación y número de capítulo."""
    return f"""# Esenciales de Deep Learning

Este cuadernillo es el capítulo {number}, «{title}», del libro
*Esenciales de Deep Learning*, listo para imprimir por separado. El
código que muestra proviene del paquete `esenciales`, que acompaña al
libro; cada modelo aparece en Keras y, a continuación, en PyTorch.

```{{raw}} latex
\\setcounter{{chapter}}{{{number - 1}}}
```
"""


def references_page():
    """Página final con las obras que cita el capítulo, sin número."""
    return """```{raw} latex
\\setcounter{secnumdepth}{-1}
```

# Referencias

```{bibliography}
```
"""


def handout_config(config, number, title, cache):
    """_config.yml del cuadernillo: el del libro con otra portada."""
    config = dict(config)
    config["execute"] = {**config.get("execute", {}), "cache": str(cache)}
    latex = dict(config.get("latex", {}))
    latex["latex_documents"] = {
        **latex.get("latex_documents", {}),
        "targetname": f"capitulo-{number:02d}.tex",
    }
    config["latex"] = latex
    sphinx = dict(config.get("sphinx", {}))
    sphinx_config = dict(sphinx.get("config", {}))
    elements = dict(sphinx_config.get("latex_elements", {}))
    subtitle = latex_escape(f"Capítulo {number}: {title}")
    elements["preamble"] = (
        f"\\newcommand{{\\esencialessubtitulo}}{{{subtitle}}}\n"
        + elements.get("preamble", "")
    )
    sphinx_config["latex_elements"] = elements
    sphinx["config"] = sphinx_config
    config["sphinx"] = sphinx
    config["only_build_toc_files"] = True
    return config


def prepare_source(workdir, chapter, number, title, cache):
    """Copia del libro con un índice que contiene solo este capítulo."""
    if workdir.exists():
        shutil.rmtree(workdir)
    shutil.copytree(ROOT / "book", workdir / "book",
                    ignore=shutil.ignore_patterns("_build", ".ipynb*"))
    for shared in ("code", "tools"):
        (workdir / shared).symlink_to(ROOT / shared, target_is_directory=True)
    (workdir / "portada.md").write_text(front_page(number, title),
                                        encoding="utf-8")
    chapters = [{"file": chapter}]
    text = (ROOT / f"{chapter}.md").read_text(encoding="utf-8")
    if CITE.search(text):
        (workdir / "referencias.md").write_text(references_page(),
                                                encoding="utf-8")
        chapters.append({"file": "referencias"})
    toc = {"format": "jb-book", "root": "portada", "chapters": chapters}
    (workdir / "_toc.yml").write_text(
        yaml.safe_dump(toc, allow_unicode=True), encoding="utf-8")
    config = yaml.safe_load((ROOT / "_config.yml").read_text("utf-8"))
    config = handout_config(config, number, title, cache)
    (workdir / "_config.yml").write_text(
        yaml.safe_dump(config, allow_unicode=True, sort_keys=False),
        encoding="utf-8")


def build_pdf(workdir, number, out):
    """Construye el PDF del cuadernillo y lo copia (con su log) a out."""
    jupyter_book = Path(sys.executable).with_name("jupyter-book")
    result = subprocess.run(
        [str(jupyter_book), "build", str(workdir), "--builder", "pdflatex"],
        cwd=workdir, capture_output=True, text=True)
    latex_dir = workdir / "_build" / "latex"
    name = f"capitulo-{number:02d}"
    log = latex_dir / f"{name}.log"
    if log.exists():
        (out / "logs").mkdir(parents=True, exist_ok=True)
        shutil.copy(log, out / "logs" / f"{name}.log")
    pdf = latex_dir / f"{name}.pdf"
    if result.returncode != 0 or not pdf.exists():
        sys.stdout.write(result.stdout[-4000:] + result.stderr[-4000:])
        raise SystemExit(f"Falló el cuadernillo del capítulo {number}")
    shutil.copy(pdf, out / f"{name}.pdf")
    return out / f"{name}.pdf"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("chapters", nargs="*", type=int,
                        help="números de capítulo (por omisión, todos)")
    parser.add_argument("--out", type=Path,
                        default=ROOT / "_build" / "handouts")
    parser.add_argument("--cache", type=Path,
                        default=ROOT / "_build" / ".jupyter_cache",
                        help="caché de ejecución del libro (make book)")
    args = parser.parse_args(argv)
    files = chapter_files(ROOT / "_toc.yml")
    numbers = args.chapters or range(1, len(files) + 1)
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    for number in numbers:
        if not 1 <= number <= len(files):
            raise SystemExit(f"No existe el capítulo {number}")
        chapter = files[number - 1]
        title = chapter_title(ROOT / f"{chapter}.md")
        workdir = out / "src" / f"capitulo-{number:02d}"
        start = time.perf_counter()
        prepare_source(workdir, chapter, number, title,
                       args.cache.resolve())
        pdf = build_pdf(workdir, number, out)
        print(f"{pdf.relative_to(out.parent)}: «{title}» "
              f"({time.perf_counter() - start:.0f} s)")


if __name__ == "__main__":
    main()
