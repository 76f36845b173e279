"""Los entrenamientos con semillas de los capítulos, antes y en paralelo.

Los capítulos 2, 5 y 6 comparan modelos con varias semillas: decenas de
entrenamientos chicos, independientes entre sí, que un capítulo hace uno
tras otro. Ninguno imprime su tiempo; solo sus cifras, que quedan en la
caché de resultados (``esenciales.runs.cache``). Este guion (``make
prefetch``, antes de ejecutar los capítulos en ``make book``) los hace
primero, repartidos en un proceso por núcleo con un hilo cada uno; al
ejecutarse, el capítulo los lee de la caché. El resultado es el mismo
entrenamiento con la misma receta y la misma semilla; lo que cambia es
que en una construcción en frío trabajan todos los núcleos.

Los entrenamientos cuyo tiempo el libro imprime (la CNN y la LSTM del
capítulo 6, el programa de la diapositiva, las mediciones de tiempo del
capítulo 2) no están aquí: se miden en su capítulo, con la máquina para
ellos solos.
Un capítulo que la caché de ejecución ya tiene al día no se ejecutará, así
que sus entrenamientos no se piden.
"""

import argparse
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime, timezone
from multiprocessing import get_context
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "code"))

from esenciales import threads  # noqa: E402
from esenciales.runs import (comparison, data_size,  # noqa: E402
                             initialization, techniques)

PLAN = {
    "02_panorama": lambda: data_size.jobs(),
    "05_regularizacion": lambda: [
        job for name in techniques.COMPARISONS if name != "second_block"
        for job in techniques.jobs(name)],
    "06_ejemplos": lambda: [
        *(job for name in comparison.SUBSETS
          for job in comparison.jobs(name)),
        *initialization.jobs(),
        *techniques.jobs("second_block")],
}
"""Capítulo → sus entrenamientos con semillas, como pares ``(función,
argumentos)`` de los módulos de ``esenciales.runs`` que el capítulo
llama."""


def up_to_date(chapters, cache_path):
    """Los capítulos que la caché de ejecución de myst-nb tiene al día: con
    una entrada posterior a la última edición de su archivo."""
    if not cache_path.exists():
        return set()
    from jupyter_cache import get_cache

    created = {Path(record.uri).resolve(): record.created
               for record in get_cache(str(cache_path)).list_cache_records()}
    ready = set()
    for chapter in chapters:
        path = (ROOT / "book" / f"{chapter}.md").resolve()
        edited = datetime.fromtimestamp(path.stat().st_mtime, timezone.utc)
        record = created.get(path)
        if record is not None and record.replace(
                tzinfo=timezone.utc) >= edited:
            ready.add(chapter)
    return ready


def unique(jobs):
    """Los trabajos sin repetir (dos capítulos pueden pedir el mismo)."""
    seen = {}
    for function, args in jobs:
        key = (function.__module__, function.__qualname__, repr(args))
        seen.setdefault(key, (function, args))
    return list(seen.values())


def run_job(function, args):
    """Un entrenamiento en un proceso del grupo; su resultado queda en la
    caché, así que no vuelve."""
    function(*args)


def run_all(jobs, workers):
    """Los trabajos repartidos en ``workers`` procesos de un hilo."""
    with ProcessPoolExecutor(workers, mp_context=get_context("spawn"),
                             initializer=threads.prepare,
                             initargs=(1,)) as pool:
        futures = [pool.submit(run_job, *job) for job in jobs]
        try:
            for future in futures:
                future.result()
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)
            raise


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path,
                        default=ROOT / "_build" / ".jupyter_cache",
                        help="caché de ejecución de myst-nb")
    parser.add_argument("--procesos", type=int,
                        default=threads.available_cores(),
                        help="procesos a la vez (por omisión, uno por "
                             "núcleo)")
    args = parser.parse_args(argv)
    ready = up_to_date(PLAN, args.cache)
    pending = [chapter for chapter in PLAN if chapter not in ready]
    if args.procesos < 2 or not pending:
        return 0
    jobs = unique(job for chapter in pending for job in PLAN[chapter]())
    start = time.perf_counter()
    try:
        run_all(jobs, args.procesos)
    except KeyboardInterrupt:
        print("Entrenamientos previos interrumpidos; lo ya entrenado quedó "
              "en la caché.", file=sys.stderr)
        return 130
    except Exception as error:
        print(f"Un entrenamiento previo falló: {type(error).__name__}: "
              f"{error}", file=sys.stderr)
        return 1
    print(f"Entrenamientos previos ({', '.join(pending)}): {len(jobs)} en "
          f"{args.procesos} procesos, {time.perf_counter() - start:.0f} s")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    sys.exit(main())
