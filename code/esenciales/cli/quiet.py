"""Sin el ruido de los frameworks en la terminal.

TensorFlow, absl y oneDNN escriben al cargar y al entrenar una decena de
líneas en inglés directamente en el descriptor 2, por debajo de Python, y
algunas antes de leer ``TF_CPP_MIN_LOG_LEVEL``. Por eso el comando hace
tres cosas antes de importar cualquier framework: fija las variables de
entorno que bajan el volumen, silencia los avisos de Python de esos
paquetes y pasa el descriptor 2 por un filtro que descarta las líneas con
el formato de registro de absl (``I0000 00:00:… archivo.cc:153] …``). Lo
que escribe el propio comando (errores, avance) va directo a la terminal.
"""

import logging
import os
import re
import sys
import threading
import warnings

ENVIRONMENT = {
    "TF_CPP_MIN_LOG_LEVEL": "3",
    "GRPC_VERBOSITY": "ERROR",
    "KMP_WARNINGS": "0",
}
"""Variables que bajan el volumen de TensorFlow, gRPC y OpenMP."""

NOISY_PACKAGES = ("tensorflow", "keras", "absl", "torch", "h5py", "jax")
"""Paquetes cuyos avisos de Python (``warnings``, ``logging``) se callan."""

NOISE = re.compile(
    rb"^(WARNING: All log messages before absl::InitializeLog"
    rb"|[IWE]\d{4} [\d:.]+\s+\d+ [\w./-]+:\d+\]"
    rb"|To enable the following instructions:"
    rb"|\S*oneDNN custom operations are on)")
"""Una línea de registro nativo de absl/TensorFlow (o su continuación)."""


def quiet_environment():
    """Fija las variables de ``ENVIRONMENT`` que el usuario no fijó."""
    for name, value in ENVIRONMENT.items():
        os.environ.setdefault(name, value)


def quiet_python():
    """Calla los avisos y registros de Python de los frameworks."""
    pattern = "|".join(NOISY_PACKAGES)
    warnings.filterwarnings("ignore", module=rf"({pattern})(\.|$)")
    for name in NOISY_PACKAGES:
        logging.getLogger(name).setLevel(logging.ERROR)


class NativeFilter:
    """Filtra las líneas de registro nativo escritas en el descriptor 2.

    ``start()`` pone una tubería en el descriptor 2 y deja ``sys.stderr``
    apuntando a la terminal original; un hilo copia a la terminal lo que
    no es ruido. ``stop()`` devuelve todo a su lugar.
    """

    def __init__(self):
        self._saved = None
        self._thread = None
        self._stderr = None

    def start(self):
        """Empieza a filtrar, si ``sys.stderr`` es el descriptor 2 del
        proceso (no en Jupyter ni bajo pytest, que capturan la salida)."""
        try:
            if sys.stderr is not sys.__stderr__ or sys.stderr.fileno() != 2:
                return self
        except (AttributeError, ValueError, OSError):
            return self
        sys.stderr.flush()
        self._saved = os.dup(2)
        read, write = os.pipe()
        os.dup2(write, 2)
        os.close(write)
        self._stderr = sys.stderr
        sys.stderr = open(os.dup(self._saved), "w", encoding="utf-8",
                          errors="backslashreplace", buffering=1)
        self._thread = threading.Thread(target=self._pump, args=(read,),
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self):
        """Deja de filtrar: el descriptor 2 vuelve a ser la terminal."""
        if self._saved is None:
            return
        sys.stderr.flush()
        os.dup2(self._saved, 2)  # cierra la punta de escritura de la tubería
        self._thread.join(timeout=2)
        sys.stderr.close()
        sys.stderr = self._stderr
        os.close(self._saved)
        self._saved = None

    def _pump(self, read):
        """Copia la tubería a la terminal, línea por línea, sin el ruido."""
        with os.fdopen(read, "rb", buffering=0) as source:
            pending = b""
            while chunk := source.read(4096):
                pending += chunk
                *lines, pending = pending.split(b"\n")
                self._forward(lines)
            self._forward([pending] if pending else [])

    def _forward(self, lines):
        kept = b"".join(line + b"\n" for line in lines
                        if not NOISE.match(line))
        if kept:
            os.write(self._saved, kept)
