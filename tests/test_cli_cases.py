"""La terminal ante el usuario nuevo: nada de lo suyo se pierde y cada
error se detecta antes de trabajar (issue 26).

Cada caso corre el comando en un proceso aparte y mira su código de
salida, su única línea en español y lo que queda en el disco. Los que
entrenan usan el MLP mínimo con 100 ejemplos (un par de segundos).
"""

import importlib.util
import json
import os
import pty
import re
import select
import signal
import statistics
import subprocess
import sys

import pytest

from esenciales.data.sources import CACHE_TAG_TEXT
from tests.support import (FULL_FOLDER, assert_clean_error, cli_env,
                           leftovers, one_error_line, run_cli)

TINY = ("mlp_minimal", "--framework", "torch", "--epochs", "1", "--limit",
        "100")
"""El entrenamiento más corto: el MLP mínimo sobre datos aleatorios."""


def run_in(folder, *args, env=None):
    """Corre ``esenciales ARGS`` con ``folder`` como carpeta actual."""
    return subprocess.run([sys.executable, "-m", "esenciales",
                           *map(str, args)], capture_output=True, text=True,
                          env=env or cli_env(), timeout=300, cwd=folder)


def run_full(full, *args, tmpdir):
    """Corre ``esenciales ARGS`` con la carpeta ``full`` llena."""
    return subprocess.run(
        [sys.executable, "-c", FULL_FOLDER, str(full), *map(str, args)],
        capture_output=True, text=True, env=cli_env(TMPDIR=str(tmpdir)),
        timeout=300)


# --------------------------------------------------------------------------
# 1. Nada de lo que es del usuario se pierde


def test_cache_clean_refuses_a_folder_that_is_not_its_cache(tmp_path):
    """Antes: con ESENCIALES_CACHE=. borraba «.git, README.md, src»."""
    project = tmp_path / "proyecto"
    for name in (".git", "src", "resultados"):
        (project / name).mkdir(parents=True)
    (project / "README.md").write_text("mío")
    (project / "resultados" / "tabla.json").write_text("mía")
    before = sorted(p.name for p in project.rglob("*"))
    proc = run_cli("cache", "limpiar", "--datos",
                   env=cli_env(ESENCIALES_CACHE=str(project)))
    assert_clean_error(proc, 1)
    assert "CACHEDIR.TAG" in proc.stderr and "no se borra nada" in \
        proc.stderr
    assert sorted(p.name for p in project.rglob("*")) == before


def test_cache_clean_simulates_and_says_what_goes(tmp_path):
    cache, env = marked_cache(tmp_path)
    proc = run_cli("cache", "limpiar", "--datos", "--simular", env=env)
    assert proc.returncode == 0, proc.stderr
    assert f"Se borraría {cache / 'resultados'}" in proc.stdout
    assert f"Se borraría {cache / 'datos'}" in proc.stdout
    assert (cache / "resultados" / "a.json").exists()


def marked_cache(tmp_path):
    """Una caché de esenciales con un resultado y los datos; su entorno."""
    cache = tmp_path / "cache"
    (cache / "resultados").mkdir(parents=True)
    (cache / "resultados" / "a.json").write_text("{}")
    (cache / "datos").mkdir()
    (cache / "CACHEDIR.TAG").write_text(CACHE_TAG_TEXT)
    return cache, cli_env(ESENCIALES_CACHE=str(cache))


def _default_interrupt():
    """En el hijo, SIGINT con su acción de siempre (Python la vuelve
    KeyboardInterrupt aunque quien corre las pruebas la ignore)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def clean_at_a_terminal(env, *args, answer=None, interrupt=False):
    """Corre ``cache limpiar ARGS`` con la entrada en una terminal (un
    pty); escribe ``answer`` en ella tras la pregunta, o manda SIGINT
    (Ctrl-C) si ``interrupt``. Devuelve ``(código, stdout, stderr)``."""
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "esenciales", "cache", "limpiar", *args],
        stdin=slave, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        env=env, preexec_fn=_default_interrupt)
    os.close(slave)
    err = b""
    try:
        if answer is not None or interrupt:
            while b"[s/N] " not in err:  # espera la pregunta
                ready, _, _ = select.select([proc.stderr], [], [], 60)
                chunk = os.read(proc.stderr.fileno(), 4096) if ready \
                    else b""
                assert chunk, f"sin pregunta: {err!r}"
                err += chunk
            if interrupt:
                proc.send_signal(signal.SIGINT)
            else:
                os.write(master, answer.encode())
        out, rest = proc.communicate(timeout=60)
    finally:
        proc.kill()
        os.close(master)
    return proc.returncode, out.decode(), (err + rest).decode()


@pytest.mark.parametrize("answer", ["n\n", "\n", "bueno\n"])
def test_cache_clean_at_a_terminal_deletes_only_after_yes(tmp_path,
                                                           answer):
    """Antes: en una terminal borraba sin preguntar. Ahora dice qué se va,
    pregunta, y lo que no sea «s» o «sí» no borra nada (salida 1)."""
    cache, env = marked_cache(tmp_path)
    code, out, err = clean_at_a_terminal(env, "--datos", answer=answer)
    assert code == 1, err
    assert f"Se borrará {cache / 'resultados'}" in out
    assert f"Se borrará {cache / 'datos'}" in out
    assert "¿Borrar los resultados guardados y los datos descargados? " \
        "[s/N] " in err
    assert "esenciales: error: No se borró nada" in err
    assert "Traceback" not in err
    assert (cache / "resultados" / "a.json").exists()
    assert (cache / "datos").is_dir()


@pytest.mark.parametrize("answer", ["s\n", "sí\n", "SI\n"])
def test_cache_clean_at_a_terminal_deletes_after_yes(tmp_path, answer):
    cache, env = marked_cache(tmp_path)
    code, out, err = clean_at_a_terminal(env, answer=answer)
    assert code == 0, err
    assert not (cache / "resultados").exists()
    assert (cache / "datos").is_dir()  # sin --datos, los datos quedan
    assert "Listo." in out


def test_cache_clean_at_a_terminal_stops_on_ctrl_c_and_eof(tmp_path):
    """Ctrl-C en la pregunta: una línea, salida 130; fin de la entrada
    (Ctrl-D): una línea, salida 1. En los dos, nada borrado."""
    cache, env = marked_cache(tmp_path)
    code, out, err = clean_at_a_terminal(env, interrupt=True)
    assert code == 130, err
    assert err.splitlines()[-1] == \
        "esenciales: Interrumpido: no se borró nada."
    code, out, err = clean_at_a_terminal(env, answer="\x04")
    assert code == 1, err
    assert err.splitlines()[-1].startswith("esenciales: error: La entrada "
                                           "se acabó sin respuesta")
    assert (cache / "resultados" / "a.json").exists()


def test_cache_clean_yes_flag_and_scripts_never_ask(tmp_path):
    """``--si`` no pregunta en una terminal; fuera de una (un guion, la
    entrada vacía) tampoco se pregunta, como antes."""
    cache, env = marked_cache(tmp_path)
    code, out, err = clean_at_a_terminal(env, "--si")
    assert code == 0, err
    assert "[s/N]" not in err and not (cache / "resultados").exists()
    cache.joinpath("resultados").mkdir()
    proc = run_cli("cache", "limpiar", env=env)
    assert proc.returncode == 0, proc.stderr
    assert "[s/N]" not in proc.stderr
    assert f"Se borra {cache / 'resultados'}" in proc.stdout
    assert not (cache / "resultados").exists()


def test_cuaderno_keeps_an_edited_notebook_with_the_default_name(tmp_path):
    """Antes: ``cuaderno 1`` sin --salida reemplazaba ./01_ia_ml_dl.ipynb."""
    mine = tmp_path / "01_ia_ml_dl.ipynb"
    mine.write_text("mis notas")
    proc = run_in(tmp_path, "cuaderno", "1")
    assert_clean_error(proc, 2)
    assert f"«{mine}» ya existe" in proc.stderr
    assert mine.read_text() == "mis notas"
    proc = run_in(tmp_path, "cuaderno", "1", "--sobrescribir")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(mine.read_text())["cells"]


def test_two_rescues_never_overwrite_each_other(tmp_path):
    """Antes: el segundo rescate pisaba al primero (el mismo nombre)."""
    full, tmpdir = tmp_path / "lleno", tmp_path / "tmp"
    full.mkdir()
    tmpdir.mkdir()
    lines = []
    for seed in ("1", "2"):
        proc = run_full(full, "entrenar", *TINY, "--seed", seed,
                        "--save-history", full / "h.json", tmpdir=tmpdir)
        assert proc.returncode == 1, proc.stderr
        lines.append(one_error_line(proc))
    rescued = tmpdir / "esenciales-rescate"
    assert sorted(p.name for p in rescued.iterdir()) == ["h-2.json",
                                                         "h.json"]
    assert f"«{rescued / 'h.json'}»" in lines[0]
    assert f"«{rescued / 'h-2.json'}»" in lines[1]
    seeds = [json.loads((rescued / n).read_text())["recipe"]["seed"]
             for n in ("h.json", "h-2.json")]
    assert seeds == [1, 2]


def test_one_failed_output_does_not_stop_the_others(tmp_path):
    """Pesos en un disco lleno, historial en uno sano y --json: el
    historial se escribe, los pesos se rescatan, el JSON sale y el código
    es 1. Antes: nada de eso."""
    full, healthy, tmpdir = (tmp_path / n for n in ("lleno", "sano", "tmp"))
    for folder in (full, healthy, tmpdir):
        folder.mkdir()
    weights, history = full / "w.pt", healthy / "h.json"
    proc = run_full(full, "entrenar", *TINY, "--save-weights", weights,
                    "--save-history", history, "--json", tmpdir=tmpdir)
    assert proc.returncode == 1, proc.stderr
    line = one_error_line(proc)
    rescued = tmpdir / "esenciales-rescate" / "w.pt"
    assert f"«{weights}»" in line and f"«{rescued}»" in line
    document = json.loads(proc.stdout)
    assert document["saved"] == {"history": str(history)}
    assert document["rescued"] == {"weights": str(rescued)}
    assert json.loads(history.read_text())["model"] == "mlp_minimal"
    assert rescued.stat().st_size > 0
    assert list(full.iterdir()) == []


def test_a_name_too_long_is_caught_before_training(tmp_path):
    """256 bytes: error de uso antes de entrenar. 250 bytes: antes el
    temporal no cabía y fallaba al final; ahora se escribe."""
    too_long = tmp_path / ("h" * 251 + ".json")
    proc = run_cli("entrenar", *TINY, "--save-history", too_long)
    assert_clean_error(proc, 2)
    assert "256 bytes" in proc.stderr and proc.stdout == ""
    at_limit = tmp_path / ("h" * 245 + ".json")
    proc = run_cli("entrenar", *TINY, "--save-history", at_limit)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(at_limit.read_text())["model"] == "mlp_minimal"
    assert leftovers(tmp_path) == []


def test_tiempos_guardar_keeps_existing_results(tmp_path):
    saved = tmp_path / "neurona_numpy_cpu.json"
    saved.write_text("mío")
    proc = run_cli("tiempos", "neurona", "--guardar", tmp_path)
    assert_clean_error(proc, 2)
    assert "ya existe" in proc.stderr and "--sobrescribir" in proc.stderr
    assert proc.stdout == "" and saved.read_text() == "mío"


def test_ejecutar_figuras_keeps_existing_figures(tmp_path):
    folder = tmp_path / "figuras"
    folder.mkdir()
    figure = folder / "figura-1.png"
    figure.write_bytes(b"mi figura")
    proc = run_cli("ejecutar", "1", "--figuras", folder)
    assert_clean_error(proc, 2)
    assert "--sobrescribir" in proc.stderr and proc.stdout == ""
    assert figure.read_bytes() == b"mi figura"


def test_a_cache_entry_survives_a_failure_that_is_not_its_own(
        tmp_path, monkeypatch):
    """Si armar el modelo falla (un ImportError), los pesos guardados
    siguen ahí; antes se borraban como si estuvieran dañados."""
    import torch

    monkeypatch.setenv("ESENCIALES_CACHE", str(tmp_path / "cache"))
    from esenciales.runs import cache

    def train():
        return torch.nn.Linear(3, 2), {"history": {"loss": [0.5]}}

    cache.cached_model("tiny", "torch", lambda: torch.nn.Linear(3, 2),
                       train)
    entries = sorted(cache.cache_dir().iterdir())

    def broken_build():
        raise ImportError("un marco que falta")

    with pytest.raises(ImportError):
        cache.cached_model("tiny", "torch", broken_build, train)
    assert sorted(cache.cache_dir().iterdir()) == entries
    assert (tmp_path / "cache" / "CACHEDIR.TAG").is_file()


# --------------------------------------------------------------------------
# 2. Cada error, antes de trabajar: código 2 y una línea en español


@pytest.mark.parametrize("argv, words", [
    (["--optimizer", "adan"], "¿Quisieron decir «adam»?"),
    (["--loss", "foo"], "loss desconocido «foo». Opciones: sparse_"),
    (["--metrics", "acc"], "metrics desconocido «acc». Opciones: accuracy"),
    (["--data", "foo"], "la preparación «foo» no existe (opciones: "),
    (["--model-kwargs", '{"foo": 1}'], "no tiene el argumento «foo»"),
    (["--model", "mpl"], "¿quisieron decir «mlp»?"),
    (["--learning-rate", "nan"], "número finito, no «nan»"),
    (["--learning-rate", "inf"], "número finito, no «inf»"),
    (["--seed", "1099511627776"], "entre 0 y 4294967295"),
    (["--procesos", "999", "--batch-size", "999"], "núcleos disponibles"),
    (["--limit", "200", "--n-train", "500"], "se contradicen"),
    (["--epoch", "1"], "¿quisieron decir «--epochs»?"),
])
def test_a_wrong_recipe_field_is_caught_before_the_recipe_prints(argv,
                                                                  words):
    proc = run_cli("entrenar", "mlp", "--framework", "torch", *argv)
    assert_clean_error(proc, 2)
    assert words in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert proc.stdout == ""  # ni la receta: nada empezó


def test_more_examples_than_the_data_has_is_a_usage_error():
    proc = run_cli("entrenar", "mlp", "--framework", "torch", "--limit",
                   "20000")
    assert_clean_error(proc, 2)
    assert "10\u202f000 ejemplos de prueba" in proc.stderr
    assert proc.stdout == ""


def test_more_threads_than_cores_is_a_usage_error():
    proc = run_cli("--hilos", "999", "modelos")
    assert_clean_error(proc, 2)
    assert "--hilos 999" in proc.stderr and proc.stdout == ""


def test_data_parallel_on_a_missing_gpu_fails_before_starting():
    """Antes: la traza del proceso hijo."""
    proc = run_cli("entrenar", "mlp", "--framework", "torch", "--procesos",
                   "2", "--batch-size", "128", "--device", "cuda",
                   env=cli_env(CUDA_VISIBLE_DEVICES=""))
    assert_clean_error(proc, 1)
    assert "no ve ninguna GPU CUDA" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def epoch_shapes(stderr):
    """Las líneas de época de ``stderr`` con cada número cambiado por
    «9»: la forma de la línea, sin los valores de esa corrida."""
    return [re.sub(r"\d+", "9", line) for line in stderr.splitlines()
            if line.startswith(("Época", "Epoch", "  validación"))]


@pytest.mark.parametrize("framework", [
    "torch",
    pytest.param("keras", marks=pytest.mark.skipif(
        importlib.util.find_spec("jax") is None,
        reason="el paralelismo de Keras necesita JAX")),
])
def test_data_parallel_prints_the_ordinary_epoch_line(framework):
    """Antes: con --procesos 2, PyTorch escribía «Época 1/2 - loss:
    0.6950 - accuracy: 0.5050» y Keras su barra en inglés («Epoch 1/2»,
    «13/13 - 2s - 121ms/step»). El oráculo: la línea del mismo
    entrenamiento sin réplicas."""
    argv = ("mlp_minimal", "--framework", framework, "--epochs", "2",
            "--limit", "400", "--batch-size", "32", "--device", "cpu")
    plain = run_cli("entrenar", *argv)
    parallel = run_cli("entrenar", *argv, "--procesos", "2")
    assert plain.returncode == 0, plain.stderr
    assert parallel.returncode == 0, parallel.stderr
    assert epoch_shapes(plain.stderr) == [
        "Época 9/9 · pérdida 9,9 · exactitud 9,9\u00a0% · 9,9 s"] * 2
    assert epoch_shapes(parallel.stderr) == epoch_shapes(plain.stderr)
    assert "step" not in parallel.stderr and "loss" not in parallel.stderr


def test_decimal_comma_is_accepted_and_json_stays_json(tmp_path):
    """``0,01`` es ``0.01``; una tasa enorme diverge y el JSON sigue
    siendo JSON (``null`` en vez de ``NaN``)."""
    proc = run_cli("entrenar", *TINY, "--learning-rate", "0,01", "--json")
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["recipe"]["learning_rate"] == 0.01
    proc = run_cli("entrenar", *TINY, "--learning-rate", "1e30",
                   "--optimizer", "sgd", "--json")
    assert proc.returncode == 0, proc.stderr
    assert "NaN" not in proc.stdout and "Infinity" not in proc.stdout
    json.loads(proc.stdout)


def test_the_cli_choices_are_the_twins_ones():
    """Las opciones que la receta acepta son las que entienden los dos
    gemelos (las de PyTorch, que no acepta otras)."""
    from esenciales.runs import recipes
    from esenciales.torch import training

    assert set(recipes.OPTIMIZERS) == set(training.OPTIMIZERS)
    assert set(recipes.LOSSES) == set(training.LOSSES) | {"elbo"}


# --------------------------------------------------------------------------
# 3. Los archivos dañados se reparan o dicen qué hacer


def test_a_damaged_processed_imdb_is_reported_and_rebuilt(tmp_path):
    """Antes: «BadZipFile… (error inesperado)» en cada corrida mientras
    ``datos verificar`` decía «correcto»."""
    env = cli_env(ESENCIALES_CACHE=str(tmp_path / "cache"))
    proc = run_cli("datos", "descargar", "imdb", env=env)
    assert proc.returncode == 0, proc.stderr
    (processed,) = (tmp_path / "cache" / "datos" / "imdb").glob("*.npz")
    good = processed.read_bytes()
    processed.write_bytes(good[:len(good) // 3])
    proc = run_cli("datos", "verificar", "imdb", env=env)
    assert_clean_error(proc, 1)
    assert "correcto" in proc.stdout and "CORRUPTO" in proc.stdout
    assert f"CORRUPTO {processed}" in proc.stdout
    proc = run_cli("datos", "descargar", "imdb", env=env)
    assert proc.returncode == 0, proc.stderr
    warnings = [line for line in proc.stderr.splitlines()
                if line.startswith("esenciales: aviso: ")]
    assert len(warnings) == 1 and f"«{processed}»" in warnings[0]
    assert processed.read_bytes() == good
    assert leftovers(tmp_path) == []


def test_a_processed_imdb_with_other_arrays_is_damaged(tmp_path):
    import numpy as np

    from esenciales.data import DataError
    from esenciales.data.imdb import read_processed

    other = tmp_path / "otro.npz"
    np.savez(other, x=np.arange(3))
    with pytest.raises(DataError, match="le falta el arreglo"):
        read_processed(other)


def test_imdb_is_processed_in_memory_when_the_cache_is_read_only(
        tmp_path, monkeypatch, capsys):
    blocker = tmp_path / "archivo"
    blocker.write_text("no es una carpeta")
    monkeypatch.setenv("ESENCIALES_CACHE", str(blocker / "cache"))
    from esenciales.data import load_imdb

    (x_train, _), _ = load_imdb(num_words=100)
    assert len(x_train) == 25_000
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "se usa en memoria" in err[0]


def test_an_empty_results_entry_is_discarded(tmp_path, monkeypatch, capsys):
    """Antes: ``{}`` hacía fallar la celda con «KeyError: 'framework'»."""
    monkeypatch.setenv("ESENCIALES_CACHE", str(tmp_path))
    from esenciales.runs import cache

    path = cache.cache_dir() / "tabla.json"
    path.parent.mkdir(parents=True)
    path.write_text("{}")
    assert cache.cached_json("tabla", lambda: {"framework": "torch"}) == \
        {"framework": "torch"}
    assert f"«{path}»" in capsys.readouterr().err


def test_a_damaged_local_copy_names_the_folder_to_fix(tmp_path):
    """Antes: el consejo era «datos descargar», que fallaba igual."""
    folder = tmp_path / "mnist"
    folder.mkdir()
    for name in ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                 "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"):
        (folder / name).write_bytes(b"no es gzip")
    proc = run_cli("entrenar", *TINY[:1], "--framework", "torch", "--data",
                   "mnist_flat", "--model", "mlp", "--limit", "100",
                   env=cli_env(ESENCIALES_DATA=str(tmp_path),
                            ESENCIALES_CACHE=str(tmp_path / "cache")))
    assert_clean_error(proc, 1)
    line = one_error_line(proc)
    assert f"«{folder}»" in line and "copia local" in line


def test_ejecutar_shows_the_cache_warnings_of_hidden_cells(tmp_path):
    """Una entrada dañada se recalcula en una celda oculta: el aviso se
    ve (antes, 46 s de entrenamiento en silencio)."""
    book = tmp_path / "libro"
    book.mkdir()
    (book / "07_conclusiones.md").write_text(
        "```{code-cell} ipython3\n:tags: [remove-cell]\n"
        "import sys\n"
        "print('esenciales: aviso: la entrada «x» estaba dañada',"
        " file=sys.stderr)\n"
        "print('otra cosa', file=sys.stderr)\n```\n\n"
        "```{code-cell} ipython3\nprint('visible')\n```\n")
    proc = run_cli("ejecutar", "7", env=cli_env(ESENCIALES_LIBRO=str(book)))
    assert proc.returncode == 0, proc.stderr
    assert "esenciales: aviso: la entrada «x» estaba dañada" in proc.stderr
    assert "otra cosa" not in proc.stderr
    assert "── [1] print('visible')" in proc.stdout


def test_a_non_utf8_name_is_written_and_named(tmp_path):
    """Antes: el archivo se escribía y la orden fallaba al nombrarlo."""
    folder = os.fsencode(tmp_path)
    history = folder + b"/h\xff.json"
    proc = subprocess.run(
        [sys.executable, "-m", "esenciales", "entrenar", *TINY,
         "--save-history", history], capture_output=True,
        env=cli_env(LC_ALL="C.UTF-8", PYTHONIOENCODING="utf-8"), timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert os.path.exists(history)
    assert b"Historial guardado en " + history in proc.stdout


# --------------------------------------------------------------------------
# 4. Lo que la gente espera de una terminal


def test_epoch_lines_and_help_fit_in_80_columns():
    from esenciales.runs.progress import epoch_line

    logs = {"loss": 0.1234, "accuracy": 0.9812, "val_loss": 0.0567,
            "val_accuracy": 0.9876, "learning_rate": 0.0001}
    lines = epoch_line(9, 10, logs, 1234.5).splitlines()
    assert lines[0].startswith("Época 10/10 · pérdida 0,1234")
    assert lines[1].startswith("  validación: pérdida 0,0567")
    assert max(map(len, lines)) <= 80
    for argv in (["--help"], ["entrenar", "--help"], ["tiempos", "--help"],
                 ["cache", "limpiar", "--help"]):
        proc = run_cli(*argv)
        assert proc.returncode == 0, proc.stderr
        assert max(map(len, proc.stdout.splitlines())) <= 80, argv


def test_conventions_version_aliases_color_and_completion(tmp_path):
    assert run_cli("-V").stdout == run_cli("--version").stdout
    accented = run_cli("capítulos")
    assert accented.returncode == 0
    assert accented.stdout == run_cli("capitulos").stdout
    proc = run_cli("caché", "mostrar", "--json",
                   env=cli_env(ESENCIALES_CACHE=str(tmp_path)))
    assert json.loads(proc.stdout)["root"] == str(tmp_path)
    assert "\033[1m" in run_cli("--color", "always", "modelos").stdout
    assert "\033[" not in run_cli("--color", "never", "modelos").stdout
    proc = run_cli("completar", "bash")
    script = tmp_path / "completar.sh"
    script.write_text(proc.stdout)
    words = subprocess.run(
        ["bash", "-c", f"source {script}; COMP_WORDS=(esenciales entrenar "
         "mlp --framework ''); COMP_CWORD=4; _esenciales; "
         "echo ${COMPREPLY[@]}"], capture_output=True, text=True)
    assert words.stdout.split() == ["keras", "torch"]


def test_modelos_shows_the_data_and_tables_show_no_raw_math():
    from esenciales.cli import render

    proc = run_cli("modelos")
    assert proc.stdout.split()[:3] == ["modelo", "datos", "épocas"]
    text = render.markdown_to_text("| $n$ | ms |\n|---|---:|\n| 5 | 1,0 |")
    assert "$" not in text and text.split()[:2] == ["n", "ms"]


def test_the_summary_counts_what_trained_and_times_epochs_apart():
    """Con 10 % de validación sobre 100 ejemplos entrenan 90. Antes: el
    resumen decía «entrenamiento (100 ejemplos)» y los segundos por época
    eran los de ``fit`` entero (con su preparación) divididos por las
    épocas. Ahora son la media de las líneas de época, la preparación
    aparte, y el JSON trae los segundos de cada época."""
    argv = ("entrenar", *TINY, "--epochs", "3", "--validation-split",
            "0.1")
    proc = run_cli(*argv)
    assert proc.returncode == 0, proc.stderr
    assert "  entrenamiento (90 ejemplos): pérdida " in proc.stdout
    assert "  validación (10 ejemplos): pérdida " in proc.stdout
    assert "  prueba (100 ejemplos): pérdida " in proc.stdout
    assert re.search(r"^  tiempo: \d+,\d\d s por época \+ \d+,\d s de "
                     r"preparación$", proc.stdout, re.MULTILINE), proc.stdout
    document = json.loads(run_cli(*argv, "--json").stdout)
    assert (document["n_train"], document["n_validation"]) == (90, 10)
    assert len(document["epoch_seconds"]) == 3
    assert document["seconds_per_epoch"] == pytest.approx(
        statistics.fmean(document["epoch_seconds"]))
    assert document["setup_seconds"] > 0
    assert sum(document["epoch_seconds"]) <= document["seconds"]


def test_the_summary_seconds_are_those_of_the_epoch_lines():
    """Cada línea de época muestra su duración; el JSON, la misma cifra
    sin redondear."""
    from esenciales.spanish import number

    proc = run_cli("entrenar", *TINY, "--epochs", "3", "--json")
    assert proc.returncode == 0, proc.stderr
    document = json.loads(proc.stdout)
    shown = [line.rsplit(" · ", 1)[1] for line in proc.stderr.splitlines()
             if line.startswith("Época")]
    assert shown == [f"{number(s, 1)} s" for s in document["epoch_seconds"]]


def test_the_summary_names_the_device_it_used():
    proc = run_cli("entrenar", *TINY, "--device", "auto")
    assert proc.returncode == 0, proc.stderr
    assert "dispositivo: cpu" in proc.stdout or \
        "dispositivo: cuda" in proc.stdout
