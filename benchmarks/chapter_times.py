"""Tiempo de ejecución de cada capítulo en la última construcción del libro.

Lee la caché de ejecución de jupyter-cache que deja ``make book``
(``_build/.jupyter_cache``): por cada capítulo, los segundos que tardó su
última ejecución completa. Para medir una construcción **en frío** (todo
entrenado de nuevo), borren antes ``_build`` y la caché de resultados
(``$ESENCIALES_CACHE``) y construyan el libro:

    rm -rf _build && ESENCIALES_CACHE=$(mktemp -d) make book
    python benchmarks/chapter_times.py

En una construcción tibia los capítulos no se ejecutan de nuevo y la tabla
repite los tiempos de la última ejecución.
"""

import argparse
import sys
from pathlib import Path


def chapter_times(cache_dir):
    """``{capítulo: segundos}`` de la última ejecución de cada uno."""
    from jupyter_cache import get_cache

    latest = {}
    for record in get_cache(str(cache_dir)).list_cache_records():
        name = Path(record.uri).stem
        seconds = (record.data or {}).get("execution_seconds")
        if seconds is None:
            continue
        if name not in latest or record.created > latest[name][0]:
            latest[name] = (record.created, seconds)
    return {name: seconds for name, (_, seconds) in sorted(latest.items())}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path,
                        default=Path("_build/.jupyter_cache"),
                        help="carpeta de jupyter-cache del libro")
    args = parser.parse_args(argv)
    if not (args.cache / "global.db").exists():
        print(f"No hay caché de ejecución en {args.cache}: construyan "
              "antes el libro (make book).", file=sys.stderr)
        return 1
    from esenciales.spanish import number

    times = chapter_times(args.cache)
    width = max(map(len, times), default=10)
    for name, seconds in times.items():
        print(f"{name:<{width}}  {number(seconds, 1):>8} s")
    print(f"{'total':<{width}}  {number(sum(times.values()), 1):>8} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
