"""Hilos de CPU: una sola configuración, fijada antes de cargar OpenMP."""

import json
import os
import subprocess
import sys

import pytest

from esenciales import threads


def run(code, **env):
    """Corre ``code`` en un Python nuevo y devuelve su JSON."""
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("OMP_WAIT_POLICY", "GOMP_SPINCOUNT",
                                "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
    environment.update(env)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True,
                         text=True, check=True, env=environment).stdout
    return json.loads(out.strip().splitlines()[-1])


IMPORT_CHANGES = """
import json, logging, os, sys
from esenciales import threads

calls = []
threads.keep_freed_memory = lambda: calls.append("mallopt")
framework, *modules = sys.argv[1:]
if framework:  # lo que el marco hace al cargarse no es nuestro
    __import__(framework)
before = dict(os.environ)
levels = {name: logging.getLogger(name).level
          for name in ("tensorflow", "keras", "absl", "torch", "jax")}
for name in modules:
    __import__(name)
changed = sorted(key for key in set(before) | set(os.environ)
                 if before.get(key) != os.environ.get(key))
levels_now = {name: logging.getLogger(name).level for name in levels}
print(json.dumps([changed, calls, levels == levels_now,
                  [name in sys.modules for name in modules]]))
"""


@pytest.mark.parametrize("framework, modules", [
    ("", ["esenciales", "esenciales.frameworks"]),
    ("torch", ["esenciales.torch", "esenciales.torch.models",
               "esenciales.torch.training"]),
    ("keras", ["esenciales.keras", "esenciales.keras.models",
               "esenciales.keras.training"]),
])
def test_importing_the_package_changes_nothing_global(framework, modules):
    """Importar el paquete o un gemelo, en un Python nuevo, no toca el
    entorno, no llama a ``mallopt`` ni cambia el nivel de un registro:
    eso lo hace solo ``threads.prepare()``, llamada a la vista."""
    out = subprocess.run([sys.executable, "-c", IMPORT_CHANGES, framework,
                          *modules],
                         capture_output=True, text=True, check=True,
                         env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
    changed, calls, same_levels, loaded = json.loads(
        out.stdout.strip().splitlines()[-1])
    assert loaded == [True] * len(modules)
    assert changed == []
    assert calls == []
    assert same_levels


def test_prepare_sets_the_passive_policy():
    """``prepare()`` deja la política y las vueltas de espera (antes de
    que cargue OpenMP) y las guarda en ``settings``."""
    result = run(
        "import json, os\n"
        "from esenciales import threads\n"
        "print(json.dumps([threads.prepare()['wait_policy'], "
        "os.environ['OMP_WAIT_POLICY'], os.environ['GOMP_SPINCOUNT']]))")
    assert result == ["PASSIVE", "PASSIVE", "300"]


def test_an_explicit_policy_is_respected():
    result = run("import json, os; from esenciales import threads; "
                 "threads.prepare(); "
                 "print(json.dumps([os.environ['OMP_WAIT_POLICY'], "
                 "os.environ['GOMP_SPINCOUNT']]))",
                 OMP_WAIT_POLICY="ACTIVE", GOMP_SPINCOUNT="0")
    assert result == ["ACTIVE", "0"]


@pytest.mark.parametrize("when", ["antes", "después"])
def test_prepare_sets_torch_threads_before_or_after_import(when):
    load = "import torch\n"
    code = ("import json\nfrom esenciales import threads\n"
            + (load if when == "después" else "")
            + "threads.prepare(1)\n"
            + (load if when == "antes" else "")
            + "import torch\n"
            "print(json.dumps([torch.get_num_threads(), "
            "threads.settings()['threads']]))")
    assert run(code) == [1, "1"]


def test_prepare_sets_tensorflow_threads():
    """Antes de importar: las variables que lee TensorFlow al arrancar;
    ya importado (sin arrancar): su configuración de hilos."""
    code = ("import json, os\nfrom esenciales import threads\n"
            "threads.prepare(1)\n"
            "env = [os.environ['TF_NUM_INTRAOP_THREADS'], "
            "os.environ['TF_NUM_INTEROP_THREADS']]\n"
            "import tensorflow as tf\nthreads.prepare(1)\n"
            "print(json.dumps(env + [tf.config.threading."
            "get_intra_op_parallelism_threads(), tf.config.threading."
            "get_inter_op_parallelism_threads()]))")
    assert run(code, TF_CPP_MIN_LOG_LEVEL="3") == ["1", "1", 1, 1]


@pytest.mark.parametrize("bad", [0, -2, 1.5, "2", True])
def test_bad_thread_counts_are_rejected_in_spanish(bad):
    with pytest.raises(ValueError, match="número de hilos"):
        threads.prepare(bad)


def test_available_cores_respects_affinity():
    assert threads.available_cores() == len(os.sched_getaffinity(0))
    assert threads.settings()["cores"] == threads.available_cores()


def test_freed_memory_is_reused_without_new_pages():
    """Pedir tres bloques de 16 MB y liberarlos, cien veces, como los
    tensores de un lote: con los valores de fábrica, glibc devuelve la
    memoria al liberar y cada vez llegan páginas nuevas del sistema; con
    ``keep_freed_memory`` se reusan las mismas y casi no hay fallos de
    página."""
    code = ("import ctypes, json, resource, sys\n"
            "from esenciales import threads\n"
            "kept = threads.keep_freed_memory() if sys.argv[1] == 'sí' "
            "else None\n"
            "libc = ctypes.CDLL(None)\n"
            "libc.malloc.restype = ctypes.c_void_p\n"
            "libc.free.argtypes = (ctypes.c_void_p,)\n"
            "size = 16 * 2**20\n"
            "def touch():\n"
            "    blocks = [libc.malloc(size) for _ in range(3)]\n"
            "    for block in blocks:\n"
            "        ctypes.memset(block, 1, size)\n"
            "    for block in blocks:\n"
            "        libc.free(block)\n"
            "touch()\n"
            "before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt\n"
            "for _ in range(100):\n"
            "    touch()\n"
            "after = resource.getrusage(resource.RUSAGE_SELF).ru_minflt\n"
            "print(json.dumps([kept, after - before]))")
    pages = 16 * 2**20 // os.sysconf("SC_PAGE_SIZE")

    def faults(keep):
        out = subprocess.run([sys.executable, "-c", code, keep],
                             capture_output=True, text=True, check=True)
        return json.loads(out.stdout)

    kept, with_reuse = faults("sí")
    _, factory = faults("no")
    assert kept is True
    assert factory > 50 * pages  # páginas nuevas casi en cada vuelta
    assert with_reuse < pages  # menos que un solo bloque nuevo
