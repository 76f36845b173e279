"""El comando ``esenciales``: el código del libro desde la terminal.

Subcomandos: ``capitulos``, ``ejecutar`` y ``cuaderno`` (``book``);
``modelos`` y ``recetas`` (``recipes``); ``entrenar`` (``train``);
``datos`` (``datasets``); ``cache``; ``tiempos`` (``timings``) y
``entorno`` (``environment``). La política de errores y salidas, una sola,
está en ``errors``; ``argparse`` en español, en ``options``. Al cargar
este paquete no se importa ningún framework: ``esenciales --help``
responde al instante y cada subcomando importa lo que necesita al
ejecutarse.
"""

import os
import signal
import sys
import threading

from esenciales.cli import quiet, render
from esenciales.cli.errors import (EXIT_ERROR, EXIT_INTERRUPTED,
                                   EXIT_TERMINATED, EXIT_USAGE, PROG,
                                   Terminated, UsageError, describe, fail,
                                   forget_interruption,
                                   install_signal_handlers,
                                   interrupted_message)

__all__ = ["main", "install_signal_handlers"]


def main(argv=None):
    """Ejecuta ``esenciales`` con ``argv`` y devuelve el código de salida.

    Antes de nada calla a los frameworks (variables de entorno, avisos de
    Python y un filtro del descriptor 2) y convierte SIGTERM en excepción.
    Nunca muestra una traza de Python salvo con ``--depurar``.
    """
    quiet.quiet_environment()
    quiet.quiet_python()
    _tolerate_undecodable_names()
    native = quiet.NativeFilter().start()
    try:
        return _main(argv)
    finally:
        native.stop()


def _main(argv):
    from esenciales.cli.parser import parse

    debug = "--depurar" in (sys.argv[1:] if argv is None else argv)
    previous = signal.getsignal(signal.SIGTERM)
    try:
        if threading.current_thread() is threading.main_thread():
            install_signal_handlers()
        args = parse(argv)
        render.set_color(args.color)
        prepare_threads(args.hilos)  # antes de importar cualquier framework
        return args.handler(args)
    except SystemExit as exit_:  # --help y --version
        return exit_.code or 0
    except BrokenPipeError:  # p. ej. «esenciales modelos | head -1»
        _silence_stdout()
        return 0
    except UsageError as error:
        return fail(error, EXIT_USAGE)
    except KeyboardInterrupt:
        print(f"\n{PROG}: {interrupted_message('Interrumpido')}",
              file=sys.stderr)
        return EXIT_INTERRUPTED
    except Terminated:
        print(f"\n{PROG}: {interrupted_message('Terminado (SIGTERM)')}",
              file=sys.stderr)
        return EXIT_TERMINATED
    except Exception as error:
        if debug:
            raise
        return fail(describe(error), EXIT_ERROR)
    finally:
        forget_interruption()
        if threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, previous)


def prepare_threads(count):
    """Deja listos los hilos de los frameworks (``threads.prepare``); más
    hilos que núcleos es un error de uso."""
    from esenciales import threads

    cores = threads.available_cores()
    if count is not None and count > cores:
        raise UsageError(f"--hilos {count}: esta máquina tiene {cores} "
                         f"núcleos disponibles; pidan {cores} o menos.")
    threads.prepare(count)


def _tolerate_undecodable_names():
    """Una ruta con bytes que no son UTF-8 se escribe tal cual (como la
    muestra ``ls``) en vez de hacer fallar la orden al nombrarla."""
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="surrogateescape")


def _silence_stdout():
    """Tras una tubería cerrada, nada más se escribe en la salida (ni al
    vaciar los búferes al salir)."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    except (OSError, ValueError):
        pass
