"""Fallas del comando ``esenciales``: nada se pierde, nunca.

Disco lleno, caché de solo lectura o dañada, SIGTERM y Ctrl-C, salidas que
ya existen o repetidas, tuberías cerradas: cada caso termina con una línea
en español que nombra el archivo y qué hacer, el código de salida que
corresponde (1, 2, 130, 143) y ningún temporal en el disco.

El disco lleno se simula sin privilegios con ``RLIMIT_FSIZE`` (un proceso
que no puede escribir más de N bytes por archivo recibe ``EFBIG``, como
``ENOSPC`` en un disco lleno). Con 4 KiB, h5py escribiendo en el disco
terminaba en una violación de segmento; ahora se mira antes el espacio
(``files.ensure_space``) y los pesos de Keras se escriben en una carpeta
temporal y se copian de forma atómica.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from esenciales.data.sources import CACHE_TAG_TEXT
from tests.support import (FULL_FOLDER, ROOT, assert_clean_error,
                           cli_env, leftovers, one_error_line, run_cli)

TINY = ("mlp_minimal", "--epochs", "1", "--limit", "200")
"""Un entrenamiento de un segundo: el MLP mínimo sobre datos aleatorios."""

LIMITED = """\
import resource, signal, sys
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
limit = int(sys.argv.pop(1))
resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
from esenciales.cli import main
sys.exit(main(sys.argv[1:]))
"""
"""Corre ``esenciales`` sin poder escribir más de N bytes por archivo."""


def run_limited(limit, *args, env=None, cwd=ROOT):
    return subprocess.run(
        [sys.executable, "-c", LIMITED, str(limit), *map(str, args)],
        capture_output=True, text=True, env=env or cli_env(), timeout=300,
        cwd=cwd)


# --------------------------------------------------------------------------
# Salidas: nunca pisar un archivo sin permiso, nunca dos salidas iguales


def test_the_same_path_for_two_outputs_is_a_usage_error(tmp_path):
    path = tmp_path / "x.json"
    proc = run_cli("entrenar", *TINY, "--framework", "torch",
                   "--save-weights", path, "--save-history", path)
    assert_clean_error(proc, 2)
    assert f"«{path}»" in proc.stderr
    assert "--save-weights" in proc.stderr
    assert "--save-history" in proc.stderr
    assert list(tmp_path.iterdir()) == []


def test_an_existing_output_is_kept_unless_asked(tmp_path):
    history = tmp_path / "h.json"
    history.write_text("mío")
    proc = run_cli("entrenar", *TINY, "--framework", "torch",
                   "--save-history", history)
    assert_clean_error(proc, 2)
    assert f"«{history}» ya existe" in proc.stderr
    assert "--sobrescribir" in proc.stderr
    assert history.read_text() == "mío"
    proc = run_cli("entrenar", *TINY, "--framework", "torch",
                   "--save-history", history, "--sobrescribir")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(history.read_text())["model"] == "mlp_minimal"
    assert leftovers(tmp_path) == []


# --------------------------------------------------------------------------
# Disco lleno


def test_disk_full_while_saving_keras_weights_is_one_line(tmp_path):
    """Antes: violación de segmento (salida 139) dentro de h5py."""
    weights = tmp_path / "w.weights.h5"
    proc = run_limited(4096, "entrenar", "mlp", "--framework", "keras",
                       "--epochs", "1", "--limit", "300",
                       "--save-weights", weights)
    assert proc.returncode == 1, proc.stderr
    line = one_error_line(proc)
    assert f"«{weights}»" in line
    assert "espacio" in line
    assert "Traceback" not in proc.stderr
    assert not weights.exists()
    assert leftovers(tmp_path) == []




@pytest.mark.parametrize("framework, option, name", [
    ("torch", "--save-history", "h.json"),
    ("keras", "--save-weights", "w.weights.h5"),
])
def test_disk_full_keeps_the_finished_training_elsewhere(tmp_path, framework,
                                                         option, name):
    full, rescue = tmp_path / "lleno", tmp_path / "tmp"
    full.mkdir()
    rescue.mkdir()
    path = full / name
    proc = subprocess.run(
        [sys.executable, "-c", FULL_FOLDER, str(full), "entrenar", *TINY,
         "--framework", framework, option, str(path)],
        capture_output=True, text=True, env=cli_env(TMPDIR=str(rescue)),
        timeout=300)
    assert proc.returncode == 1, proc.stderr
    assert "Traceback" not in proc.stderr
    line = one_error_line(proc)
    assert f"«{path}»" in line and "no queda espacio" in line
    kept = rescue / "esenciales-rescate" / name
    assert f"«{kept}»" in line
    if framework == "torch":
        assert json.loads(kept.read_text())["model"] == "mlp_minimal"
    else:
        assert kept.read_bytes().startswith(b"\x89HDF")
    assert list(full.iterdir()) == []
    assert leftovers(rescue) == []


# --------------------------------------------------------------------------
# Señales: SIGTERM (143) y Ctrl-C (130), sin temporales


def _default_interrupt():
    """Ctrl-C con su efecto normal en el hijo, aunque quien corre las
    pruebas lo ignore (un trabajo en segundo plano hereda SIGINT ignorado
    y Python entonces no lo convierte en KeyboardInterrupt)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _start_training(tmp_path, framework="torch"):
    history = tmp_path / "h.json"
    proc = subprocess.Popen(
        [sys.executable, "-m", "esenciales", "entrenar", "mlp_minimal",
         "--framework", framework, "--epochs", "100000",
         "--save-history", str(history)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=cli_env(), cwd=tmp_path, preexec_fn=_default_interrupt)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:  # espera la primera época
        line = proc.stderr.readline()
        if line.startswith("Época") or not line:
            break
    return proc, history


@pytest.mark.parametrize("signum, code, word, framework", [
    (signal.SIGTERM, 143, "Terminado", "torch"),
    (signal.SIGINT, 130, "Interrumpido", "torch"),
    (signal.SIGTERM, 143, "Terminado", "keras"),
    (signal.SIGINT, 130, "Interrumpido", "keras"),
])
def test_a_signal_during_training_stops_cleanly(tmp_path, signum, code,
                                                word, framework):
    proc, history = _start_training(tmp_path, framework)
    proc.send_signal(signum)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == code, stderr
    assert "Traceback" not in stderr
    message = [line for line in stderr.splitlines() if word in line]
    assert len(message) == 1, stderr
    assert "entrenamiento" in message[0]
    assert list(tmp_path.iterdir()) == []


def test_safe_points_hold_a_signal_until_checked():
    """Armadas, SIGTERM solo se anota; ``check`` la lanza y deja los
    manejadores como estaban. (Con Keras, la excepción nacida dentro del
    código nativo de TensorFlow hacía caer el proceso con SIGSEGV.)"""
    from esenciales.cli.errors import SafePoints, Terminated

    before = signal.getsignal(signal.SIGTERM)
    with SafePoints() as safe_points:
        safe_points.arm()
        os.kill(os.getpid(), signal.SIGTERM)
        time.sleep(0.01)  # la señal llega y solo se anota
        with pytest.raises(Terminated):
            safe_points.check()
        assert signal.getsignal(signal.SIGTERM) is before
        safe_points.check()  # ya no queda nada pendiente
    assert signal.getsignal(signal.SIGTERM) is before


def test_a_signal_during_a_save_leaves_no_temporary(tmp_path):
    """SIGTERM justo mientras se escribe: el temporal se borra."""
    code = (
        "import os, signal, sys\n"
        "from esenciales import files\n"
        "from esenciales.cli import main, install_signal_handlers\n"
        "install_signal_handlers()\n"
        "def write(tmp):\n"
        "    tmp.write_text('a medias')\n"
        "    os.kill(os.getpid(), signal.SIGTERM)\n"
        f"files.atomic_write({str(tmp_path / 'h.json')!r}, write)\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True,
                          text=True, env=cli_env())
    assert proc.returncode != 0
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------
# Datos y cachés: informar cada archivo; limpiar la caché


def test_datos_verificar_reports_every_file(tmp_path):
    folder = tmp_path / "mnist"
    folder.mkdir()
    source = Path(cli_env()["ESENCIALES_DATA"]) / "mnist"
    for path in source.glob("*.gz"):
        shutil.copy(path, folder)
    broken = sorted(folder.glob("*labels*.gz"))
    for path in broken:
        path.write_bytes(path.read_bytes()[:-40])
    proc = run_cli("datos", "verificar", "mnist",
                   env=cli_env(ESENCIALES_DATA=str(tmp_path)))
    assert_clean_error(proc, 1)
    assert proc.stdout.count("correcto") == 2
    assert proc.stdout.count("CORRUPTO") == 2
    for path in broken:
        assert str(path) in proc.stdout


def test_cache_show_and_clean(tmp_path):
    cache = tmp_path / "cache"
    results = cache / "resultados"
    results.mkdir(parents=True)
    (results / "a.json").write_text("{}")
    (results / ".a.json.123.tmp").write_text("resto de un corte")
    (cache / "datos").mkdir()
    (cache / "CACHEDIR.TAG").write_text(CACHE_TAG_TEXT)
    (cache / "notas.txt").write_text("algo que no escribió el paquete")
    env = cli_env(ESENCIALES_CACHE=str(cache))
    proc = run_cli("cache", "mostrar", "--json", env=env)
    assert proc.returncode == 0, proc.stderr
    document = json.loads(proc.stdout)
    assert document["root"] == str(cache)
    assert {"folder": "resultados", "files": 2, "bytes": 19} in \
        document["folders"]
    proc = run_cli("cache", "limpiar", env=env)
    assert proc.returncode == 0, proc.stderr
    assert f"Se borra {results} (resultados guardados" in proc.stdout
    assert sorted(p.name for p in cache.iterdir()) == [
        "CACHEDIR.TAG", "datos", "notas.txt"]
    proc = run_cli("cache", "limpiar", "--datos", env=env)
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in cache.iterdir()) == [
        "CACHEDIR.TAG", "notas.txt"]


# --------------------------------------------------------------------------
# Tuberías cerradas


@pytest.mark.parametrize("argv", [["modelos"], ["capitulos"]])
def test_a_closed_pipe_is_not_an_error(argv):
    """``esenciales modelos | head -1``: 0 y sin mensajes. La tubería se
    cierra antes de que el comando escriba, como cuando ``head`` ya leyó
    su línea."""
    proc = subprocess.Popen([sys.executable, "-m", "esenciales", *argv],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env=cli_env(), cwd=ROOT)
    proc.stdout.close()
    stderr = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0, stderr
    assert stderr == ""


# --------------------------------------------------------------------------
# Caché de resultados: dañada o de solo lectura


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("ESENCIALES_CACHE", str(tmp_path / "cache"))
    from esenciales.runs import cache

    return cache


def _tiny_torch_run(calls):
    import torch

    def build():
        return torch.nn.Linear(3, 2)

    def train():
        calls.append(1)
        torch.manual_seed(len(calls))
        return build(), {"history": {"loss": [0.5]}}

    return build, train


def test_a_corrupted_cache_entry_is_discarded_and_recomputed(cache,
                                                             capsys):
    calls = []
    build, train = _tiny_torch_run(calls)
    model, record = cache.cached_model("tiny", "torch", build, train)
    weights = cache.cache_dir() / "tiny.pt"
    weights.write_bytes(weights.read_bytes()[:100])  # un corte a medias
    again, record_again = cache.cached_model("tiny", "torch", build, train)
    assert len(calls) == 2
    err = capsys.readouterr().err
    assert f"«{weights}»" in err and "dañada" in err
    assert record_again == record
    cache.cached_model("tiny", "torch", build, train)
    assert len(calls) == 2  # la nueva entrada sí sirve
    path = cache.cache_dir() / "tabla.json"
    cache.cached_json("tabla", lambda: {"a": 1})
    path.write_text('{"a": ')  # «Expecting value»: JSON truncado
    assert cache.cached_json("tabla", lambda: {"a": 2}) == {"a": 2}
    assert f"«{path}»" in capsys.readouterr().err


def test_an_unwritable_cache_keeps_the_result_in_memory(tmp_path,
                                                        monkeypatch, capsys):
    blocker = tmp_path / "archivo"
    blocker.write_text("no es una carpeta")
    monkeypatch.setenv("ESENCIALES_CACHE", str(blocker / "cache"))
    from esenciales.runs import cache

    calls = []
    build, train = _tiny_torch_run(calls)
    model, record = cache.cached_model("tiny", "torch", build, train)
    assert record == {"history": {"loss": [0.5]}} and model is not None
    err = capsys.readouterr().err
    assert "no se pudo guardar en la caché" in err
    assert "en memoria" in err
    assert len(err.strip().splitlines()) == 1
    assert cache.cached_json("t", lambda: [1, 2]) == [1, 2]


# --------------------------------------------------------------------------
# La caché de resultados desde la terminal: un capítulo que entrena


CACHED_CHAPTER = """# Un capítulo que entrena por receta

```{code-cell} ipython3
from esenciales.runs import recipes, training

recipe = recipes.get("mlp_minimal").replace(epochs=1, n_train=200,
                                            n_test=200)
result = training.trained(recipe, "torch")
print(f"exactitud {result.test['accuracy']:.4f}")
```
"""
"""Un capítulo 7 que entrena el MLP mínimo (un segundo) por su receta y
guarda el resultado en la caché, como los capítulos 5 y 6."""


def _run_cached_chapter(tmp_path, cache):
    folder = tmp_path / "libro"
    folder.mkdir(exist_ok=True)
    (folder / "07_conclusiones.md").write_text(CACHED_CHAPTER)
    proc = run_cli("ejecutar", "7", env=cli_env(
        ESENCIALES_LIBRO=str(folder), ESENCIALES_CACHE=str(cache)))
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    accuracy = next(line for line in proc.stdout.splitlines()
                    if line.startswith("exactitud "))
    warnings = [line for line in proc.stderr.splitlines()
                if line.startswith("esenciales: ")]
    return accuracy, warnings


def test_ejecutar_with_an_unwritable_cache_keeps_the_result(tmp_path):
    """Antes: 102 s de entrenamiento perdidos y un errno en inglés."""
    blocker = tmp_path / "archivo"
    blocker.write_text("no es una carpeta")
    accuracy, warnings = _run_cached_chapter(tmp_path, blocker / "cache")
    assert len(warnings) == 1, warnings
    assert "no se pudo guardar en la caché" in warnings[0]
    assert f"«{blocker / 'cache' / 'resultados'}»" in warnings[0]
    assert "en memoria" in warnings[0]
    assert accuracy.startswith("exactitud 0.")


@pytest.mark.parametrize("damage", ["pt", "json"])
def test_ejecutar_discards_a_corrupted_cache_entry(tmp_path, damage):
    """Antes: «Expecting ',' delimiter» o BadZipFile sin nombrar el
    archivo. Ahora: un aviso que lo nombra, se reentrena y la entrada
    nueva sirve."""
    cache = tmp_path / "cache"
    first, warnings = _run_cached_chapter(tmp_path, cache)
    assert warnings == []
    (entry,) = (cache / "resultados").glob(f"mlp_minimal-*.{damage}")
    entry.write_bytes(entry.read_bytes()[:len(entry.read_bytes()) // 2])
    again, warnings = _run_cached_chapter(tmp_path, cache)
    assert len(warnings) == 1, warnings
    assert "dañada" in warnings[0] and "se vuelve a calcular" in warnings[0]
    assert "mlp_minimal-" in warnings[0]
    assert again == first  # la misma semilla, el mismo resultado
    third, warnings = _run_cached_chapter(tmp_path, cache)
    assert warnings == [] and third == first
    assert leftovers(cache) == []
