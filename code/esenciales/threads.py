"""Cuántos hilos de CPU usan PyTorch y TensorFlow, cómo esperan y cómo
reciclan la memoria.

Es el único lugar que decide los hilos. Por omisión, PyTorch usa un hilo
de OpenMP por núcleo y cada hilo, al terminar su parte, *gira* esperando
a los demás. Si otro programa ocupa un núcleo, el hilo que perdió su
núcleo llega tarde a cada operación y los otros giran mientras tanto: una
época de la CNN de MNIST pasa de 8 s a casi un minuto. Con
``OMP_WAIT_POLICY=PASSIVE`` los hilos que esperan ceden el núcleo en vez
de girar (``benchmarks/threads_contention.py`` lo mide).

Ceder el núcleo en seguida también cuesta: despertar a un hilo dormido
toma decenas de microsegundos, y la LSTM hace 200 pasos chicos por lote,
cada uno con sus hilos. Por eso, en el OpenMP de GCC (el de PyTorch en
Linux), cada hilo gira todavía ``GOMP_SPINCOUNT=300`` vueltas (unos
microsegundos) antes de dormirse: una época de la LSTM baja de unos
3,5 s a 2 s con la CPU libre, y con un núcleo ocupado sigue cerca de la
de ``PASSIVE`` sola.

PyTorch pide la memoria de cada tensor a ``malloc``. Con los valores de
fábrica de glibc, un tensor de varios MB que se libera vuelve al sistema
operativo, y el del lote siguiente se pide de nuevo: el sistema entrega
páginas nuevas que hay que poner en cero (unas 1 600 por lote en la CNN
de MNIST con lotes de 128). ``prepare`` le pide a glibc (``mallopt``) que
guarde hasta ``KEEP_FREED_BYTES`` liberados para reusarlos: las páginas
nuevas bajan a casi cero y la época se acorta en torno a un 15 %.
TensorFlow tiene su propio reciclador y no lo necesita.

OpenMP lee estas variables una sola vez, al cargarse: ``prepare`` debe
correr antes de importar PyTorch o TensorFlow. Importar el paquete no lo
llama: cambia el proceso entero, así que es una llamada visible que hacen
el comando ``esenciales`` (con ``--hilos N`` fija además el número de
hilos), los benchmarks y la primera celda de cada capítulo del libro.
"""

import ctypes
import os
import sys

WAIT_POLICY = "PASSIVE"
"""Los hilos que esperan ceden el núcleo (OpenMP de PyTorch y oneDNN)."""

SPIN_COUNT = "300"
"""Vueltas que gira un hilo de OpenMP (GCC) antes de ceder el núcleo."""

KEEP_FREED_BYTES = 256 * 2**20
"""Memoria liberada que glibc guarda para reusar en vez de devolverla."""

MMAP_THRESHOLD_BYTES = 32 * 2**20
"""Desde este tamaño, glibc pide cada bloque aparte al sistema (el
máximo que acepta); los tensores más chicos se reciclan."""

_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # constantes de malloc.h

ENV_THREADS = ("OMP_NUM_THREADS", "MKL_NUM_THREADS",
               "TF_NUM_INTRAOP_THREADS")
"""Variables que fijan los hilos dentro de una operación."""


def available_cores():
    """Los núcleos que este proceso puede usar (respeta ``taskset``)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # macOS, Windows
        return os.cpu_count() or 1


def prepare(threads=None):
    """Deja listas las variables de entorno antes de importar un framework.

    Siempre ``OMP_WAIT_POLICY=PASSIVE`` y ``GOMP_SPINCOUNT=300`` (salvo
    que ya estén definidas). Con
    ``threads``, fija los hilos por operación en PyTorch, OpenMP, MKL y
    TensorFlow, y un solo hilo entre operaciones en TensorFlow (los
    modelos del libro son una cadena de capas: no hay operaciones que
    correr a la vez). Devuelve la configuración con que quedó.
    """
    os.environ.setdefault("OMP_WAIT_POLICY", WAIT_POLICY)
    os.environ.setdefault("GOMP_SPINCOUNT", SPIN_COUNT)
    keep_freed_memory()
    if threads is not None:
        threads = _check(threads)
        for name in ENV_THREADS:
            os.environ[name] = str(threads)
        os.environ["TF_NUM_INTEROP_THREADS"] = "1"
        _apply_to_loaded(threads)
    return settings()


def keep_freed_memory():
    """Que glibc recicle la memoria liberada en vez de devolverla.

    Devuelve True si quedó así; False fuera de glibc (macOS, Windows,
    musl), donde no hace nada.
    """
    try:
        libc = ctypes.CDLL(None)
        mallopt = libc.mallopt
    except (AttributeError, OSError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    return bool(mallopt(_M_TRIM_THRESHOLD, KEEP_FREED_BYTES)
                and mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD_BYTES))


def _check(threads):
    if isinstance(threads, bool) or not isinstance(threads, int) \
            or threads < 1:
        raise ValueError(f"El número de hilos debe ser un entero mayor "
                         f"que 0; llegó {threads!r}.")
    return threads


def _apply_to_loaded(threads):
    """Si PyTorch o TensorFlow ya están cargados, les fija los hilos."""
    if "torch" in sys.modules:
        sys.modules["torch"].set_num_threads(threads)
    if "tensorflow" in sys.modules:
        config = sys.modules["tensorflow"].config.threading
        try:
            config.set_intra_op_parallelism_threads(threads)
            config.set_inter_op_parallelism_threads(1)
        except RuntimeError:  # TensorFlow ya arrancó: queda como estaba
            pass


def settings():
    """La configuración de hilos vigente, para mostrarla o anotarla."""
    current = {"cores": available_cores(),
               "wait_policy": os.environ.get("OMP_WAIT_POLICY"),
               "spin_count": os.environ.get("GOMP_SPINCOUNT")}
    current["threads"] = os.environ.get("OMP_NUM_THREADS")
    if "torch" in sys.modules:
        torch = sys.modules["torch"]
        current["torch_threads"] = torch.get_num_threads()
        current["torch_interop_threads"] = torch.get_num_interop_threads()
    return current
