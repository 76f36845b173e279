"""Ejecuta cuadernos generados, cada uno en una carpeta temporal limpia.

Uso (CI, después de «make book»):

    python tools/run_notebooks.py _build/html/_sources/book/01_*.ipynb ...

Cada cuaderno corre con nbclient en su propia carpeta temporal, como lo
haría un estudiante que lo descargó: sin el repositorio como carpeta
actual, con los datos de los lugares de siempre (``ESENCIALES_DATA``, la
caché). Imprime los segundos de cada uno y termina con código 1 si alguna
celda falla (con la celda y el error, sin traza de Python).
"""

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path


def run_notebook(path, timeout):
    """Ejecuta el cuaderno; devuelve los segundos que tardó."""
    import nbformat
    from nbclient import NotebookClient

    notebook = nbformat.reads(Path(path).read_text(encoding="utf-8"),
                              as_version=4)
    with tempfile.TemporaryDirectory(prefix="cuaderno-") as folder:
        client = NotebookClient(notebook, timeout=timeout,
                                kernel_name="python3",
                                resources={"metadata": {"path": folder}})
        start = time.perf_counter()
        client.execute(cwd=folder)
        return time.perf_counter() - start


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--timeout", type=int, default=900,
                        help="segundos máximos por celda")
    parser.add_argument("--json", type=Path,
                        help="guarda los segundos por cuaderno en JSON")
    args = parser.parse_args(argv)
    from nbclient.exceptions import CellExecutionError

    seconds, failed = {}, []
    for path in args.notebooks:
        try:
            seconds[path.name] = run_notebook(path, args.timeout)
            print(f"{path.name}: {seconds[path.name]:.0f} s", flush=True)
        except CellExecutionError as error:
            failed.append(path.name)
            print(f"{path.name}: una celda falló\n{error}", file=sys.stderr)
    if args.json:
        args.json.write_text(json.dumps(seconds, indent=1) + "\n",
                             encoding="utf-8")
    print(f"Cuadernos: {sum(seconds.values()):.0f} s en total")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
