"""El cronómetro: calentar, sincronizar, repetir y resumir.

``time_call`` mide cualquier función sin argumentos; ``sync`` espera al
dispositivo (la GPU trabaja de forma asíncrona) antes de leer el reloj.
"""

import statistics
import time


def time_call(fn, *, sync=None, warmup=2, repeats=7, min_time=0.02):
    """Mide cuánto tarda ``fn()`` y resume las repeticiones.

    Entrada: ``fn`` sin argumentos; ``sync(resultado)`` espera a que el
    dispositivo termine (la GPU trabaja de forma asíncrona). Cada repetición
    llama a ``fn`` las veces necesarias para durar al menos ``min_time``.
    Salida: dict con ``median_s``, ``q1_s``, ``q3_s``, ``min_s`` y ``max_s``
    (segundos por llamada), ``repeats`` y ``number`` (llamadas por
    repetición).
    Concepto: medir bien es calentar, sincronizar y repetir.
    """
    if repeats < 1 or warmup < 0 or min_time < 0:
        raise ValueError(
            "Se requiere repeats >= 1, warmup >= 0 y min_time >= 0."
        )
    sync = sync or _no_sync
    for _ in range(warmup):
        sync(fn())
    number = _calls_per_repeat(fn, sync, min_time)
    times = [_run(fn, sync, number) / number for _ in range(repeats)]
    return _summary(times, number)


def _no_sync(result):
    """No espera nada: el cálculo ya terminó al volver ``fn``."""


def _run(fn, sync, number):
    """Segundos que tardan ``number`` llamadas, sincronizando al final."""
    start = time.perf_counter()
    for _ in range(number):
        result = fn()
    sync(result)
    return time.perf_counter() - start


def _calls_per_repeat(fn, sync, min_time):
    """Duplica las llamadas hasta que una repetición dure ``min_time``."""
    number = 1
    while _run(fn, sync, number) < min_time and number < 2**20:
        number *= 2
    return number


def _summary(times, number):
    """Mediana, cuartiles y extremos de una lista de tiempos."""
    if len(times) > 1:
        q1, _, q3 = statistics.quantiles(times, n=4, method="inclusive")
    else:
        q1 = q3 = times[0]
    return {
        "median_s": statistics.median(times), "q1_s": q1, "q3_s": q3,
        "min_s": min(times), "max_s": max(times),
        "repeats": len(times), "number": number,
    }
