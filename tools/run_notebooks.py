"""Ejecuta cuadernos generados, cada uno en una carpeta temporal limpia.

Uso (CI, después de «make book»):

    python tools/run_notebooks.py _build/html/_sources/book/01_*.ipynb ...

Cada cuaderno corre con nbclient en su propia carpeta temporal, como lo
haría un estudiante que lo descargó: sin el repositorio como carpeta
actual, con los datos de los lugares de siempre (``ESENCIALES_DATA``, la
caché). Imprime los segundos de cada uno y termina con código 1 si alguna
celda falla (con la celda y el error, sin traza de Python).

Con ``--rueda esenciales-*.whl``, los cuadernos corren en un entorno
virtual nuevo, fuera del repositorio, donde ``esenciales`` es solo esa
rueda (la que el sitio publica en ``_static/``). Las demás dependencias
(PyTorch, TensorFlow, Jupyter) se toman del entorno actual con un
``.pth``, porque CI no tiene red; la copia editable del paquete no se ve
desde allí.
"""

import argparse
import json
import os
import subprocess
import sys
import sysconfig
import tempfile
import time
import venv
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


def fresh_environment(wheel, folder):
    """Crea en ``folder`` un entorno con solo ``wheel`` de esenciales.

    Devuelve su intérprete. Falla (``RuntimeError``) si ``esenciales`` se
    importa desde otro lugar que la rueda.
    """
    venv.create(folder, with_pip=False)
    python = Path(folder) / "bin" / "python"
    site = Path(subprocess.run(
        [python, "-c", "import sysconfig; "
         "print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True).stdout.strip())
    (site / "dependencias.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet",
                    "--no-deps", "--no-index", "--target", str(site),
                    str(wheel)], check=True)
    where = subprocess.run(
        [python, "-c", "import esenciales, jupyter_client.kernelspec as k;"
         " print(esenciales.__file__); print(k.KernelSpecManager()"
         ".get_kernel_spec('python3').argv[0])"],
        capture_output=True, text=True, check=True, cwd=folder,
        env={**os.environ, "PYTHONPATH": ""}).stdout.split()
    if not where[0].startswith(str(site)) or \
            Path(where[1]).resolve() != python.resolve() \
            and where[1] != "python":
        raise RuntimeError(f"el entorno nuevo no usa la rueda: {where}")
    return python


def run_with_wheel(wheel, notebooks, timeout):
    """Corre ``notebooks`` en un entorno nuevo con solo la rueda."""
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="entorno-rueda-") as folder:
        python = fresh_environment(wheel, folder)
        size = Path(wheel).stat().st_size / 1e6
        print(f"Entorno nuevo con {Path(wheel).name} ({size:.1f} MB): "
              f"{time.perf_counter() - start:.0f} s", flush=True)
        return subprocess.run(
            [python, Path(__file__).resolve(), "--timeout", str(timeout),
             *map(str, notebooks)], cwd=folder,
            env={**os.environ, "PYTHONPATH": ""}).returncode


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--rueda", type=Path,
                        help="correr en un entorno nuevo con solo esta "
                             "rueda de esenciales")
    parser.add_argument("--timeout", type=int, default=900,
                        help="segundos máximos por celda")
    parser.add_argument("--json", type=Path,
                        help="guarda los segundos por cuaderno en JSON")
    args = parser.parse_args(argv)
    if args.rueda:
        return run_with_wheel(args.rueda, [p.resolve() for p in
                                           args.notebooks], args.timeout)
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
