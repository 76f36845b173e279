"""La política de errores y salidas del comando, una sola para todos.

Códigos de salida: 0 bien, 1 error al ejecutar, 2 error de uso,
130 interrumpido con Ctrl-C, 143 terminado con SIGTERM. Ante cualquiera de
ellos, una sola línea en español en la salida de errores, nunca una traza
(salvo con ``--depurar``), y ningún archivo a medias. Aquí viven también
las comprobaciones de los archivos de salida, que se hacen antes de
trabajar, y el JSON de la salida estándar.
"""

import contextlib
import json
import math
import os
import signal
import sys
import threading

from esenciales.files import NAME_MAX, describe_os_error

PROG = "esenciales"
EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED, EXIT_TERMINATED = 130, 143


class UsageError(Exception):
    """La orden está mal escrita o pide algo que no existe (salida 2)."""


class CommandError(Exception):
    """La orden es válida pero no se pudo cumplir (salida 1)."""


class Terminated(BaseException):
    """Llegó SIGTERM. Como Ctrl-C, corre los ``finally`` (que borran los
    temporales) antes de salir con 143."""


def install_signal_handlers():
    """SIGTERM se vuelve la excepción ``Terminated`` (en el hilo principal)."""
    def terminate(signum, frame):
        raise Terminated()

    signal.signal(signal.SIGTERM, terminate)


def signal_exception(signum):
    """La excepción que corresponde a una señal: Ctrl-C o SIGTERM."""
    return KeyboardInterrupt() if signum == signal.SIGINT else Terminated()


class SafePoints:
    """Ctrl-C y SIGTERM esperan a un punto seguro para cortar.

    Si la excepción de una señal nace mientras TensorFlow ejecuta su
    código nativo, el proceso puede caerse (SIGSEGV) en vez de salir con
    130 o 143. Entre ``arm()`` y ``disarm()`` la señal solo se anota;
    ``check()``, que el avance de Keras llama tras cada lote, lanza la
    excepción. Una segunda señal corta en el acto. Como contexto, al
    salir deja los manejadores como estaban.
    """

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self):
        self._previous = {}
        self._pending = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.disarm()

    def arm(self):
        """Desde ahora las señales se anotan (solo en el hilo principal)."""
        if threading.current_thread() is threading.main_thread():
            self._previous = {signum: signal.signal(signum, self._note)
                              for signum in self.SIGNALS}

    def disarm(self):
        """Las señales vuelven a sus manejadores de antes."""
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)
        self._previous = {}

    def check(self):
        """Si llegó una señal, la convierte ahora en su excepción."""
        if self._pending is not None:
            signum, self._pending = self._pending, None
            self.disarm()
            raise signal_exception(signum)

    def _note(self, signum, frame):
        if self._pending is not None:
            self.disarm()
            raise signal_exception(signum)
        self._pending = signum


# --------------------------------------------------------------------------
# Qué se está haciendo: para que una interrupción diga qué se perdió


_INTERRUPTED_DURING = []


@contextlib.contextmanager
def doing(what):
    """Anota ``what`` («el entrenamiento de mlp») mientras dura el bloque:
    si una señal lo corta, el mensaje lo nombra (el más interno)."""
    try:
        yield
    except (KeyboardInterrupt, Terminated):
        if not _INTERRUPTED_DURING:
            _INTERRUPTED_DURING.append(what)
        raise


def interrupted_message(word):
    """La línea de una orden cortada por una señal («Interrumpido…»)."""
    what = f" durante {_INTERRUPTED_DURING[0]}" if _INTERRUPTED_DURING \
        else ""
    return (f"{word}{what}: no se guardó nada a medias ni quedó ningún "
            "temporal; pueden repetir la orden.")


def forget_interruption():
    """Olvida qué se estaba haciendo (al terminar cada orden)."""
    _INTERRUPTED_DURING.clear()


# --------------------------------------------------------------------------
# Mensajes


def write_failure(error):
    """La línea de un ``OSError`` al escribir un archivo con nombre."""
    return (f"No se pudo escribir «{shown_path(error.filename)}»: "
            f"{describe_os_error(error)}.")


def shown_path(path):
    """Una ruta que se puede imprimir con cualquier codificación de la
    terminal (los bytes que no son texto se ven como ``\\xNN``)."""
    text = os.fsdecode(path) if isinstance(path, bytes) else str(path)
    return text.encode("utf-8", "surrogateescape").decode(
        "utf-8", "backslashreplace")


def describe(error):
    """El mensaje de un error; los inesperados llevan su tipo."""
    from esenciales.data import DataError

    if isinstance(error, ModuleNotFoundError) and error.name:
        package = error.name.split(".")[0]
        return (f"falta el paquete «{package}»; se instala con pip install "
                f"{package} (o usen el otro framework)")
    if isinstance(error, OSError) and error.filename:
        return write_failure(error)
    if isinstance(error, (CommandError, DataError, ValueError, OSError)):
        return str(error)
    return (f"{type(error).__name__}: {error} (error inesperado; repitan "
            f"con «{PROG} --depurar …» para ver la traza)")


def fail(message, code):
    """Escribe la línea de error y devuelve el código de salida."""
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return code


def warn(message):
    """Un aviso de una línea, en la salida de errores."""
    print(f"{PROG}: aviso: {message}", file=sys.stderr, flush=True)


def print_json(document):
    """Un objeto JSON válido en la salida estándar (para scripts): un
    ``NaN`` o un infinito (una pérdida que divergió) se escribe ``null``,
    porque ``NaN`` no es JSON."""
    print(json.dumps(_finite(document), ensure_ascii=False, indent=1,
                     default=str, allow_nan=False))


def _finite(value):
    """``value`` con los reales no finitos cambiados por ``None``."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(item) for item in value]
    return value


# --------------------------------------------------------------------------
# Archivos de salida: comprobar antes de trabajar


def make_folder(folder):
    """Crea la carpeta de salida si falta; error de uso si no se puede."""
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        raise UsageError(f"No se puede crear la carpeta «{folder}».") \
            from None
    if not os.access(folder, os.W_OK):
        raise UsageError(f"No se puede escribir en la carpeta «{folder}».")


def check_outputs(outputs, overwrite):
    """Comprueba, antes de trabajar, que cada salida se podrá escribir.

    ``outputs``: ``{opción: ruta}`` (las rutas ``None`` se ignoran). Error
    de uso si dos opciones nombran el mismo archivo, si una ruta es una
    carpeta, si su carpeta no existe o si el archivo ya existe y no se
    pidió ``--sobrescribir``.
    """
    seen = {}
    for option, path in outputs.items():
        if not path:
            continue
        real = os.path.realpath(path)
        if real in seen:
            raise UsageError(f"{seen[real]} y {option} nombran el mismo "
                             f"archivo «{path}»; usen dos nombres distintos.")
        seen[real] = option
        if os.path.isdir(path):
            raise UsageError(f"{option}: «{path}» es una carpeta; "
                             "indiquen un nombre de archivo.")
        folder = os.path.dirname(os.path.abspath(path))
        if not os.path.isdir(folder):
            raise UsageError(f"{option}: la carpeta «{folder}» no existe.")
        _check_name_length(option, path, folder)
        if not os.access(folder, os.W_OK):
            raise UsageError(f"{option}: no se puede escribir en «{folder}».")
        if os.path.exists(path) and not overwrite:
            raise UsageError(f"{option}: «{path}» ya existe; para "
                             "reemplazarlo agreguen --sobrescribir.")


def _check_name_length(option, path, folder):
    """Error de uso si el nombre no cabe en el sistema de archivos."""
    try:
        limit = os.pathconf(folder, "PC_NAME_MAX")
    except (OSError, ValueError, AttributeError):
        limit = NAME_MAX
    size = len(os.fsencode(os.path.basename(path)))
    if size > limit:
        raise UsageError(f"{option}: el nombre del archivo tiene {size} "
                         f"bytes y el máximo es {limit} (las letras con "
                         "tilde ocupan 2); elijan uno más corto.")
