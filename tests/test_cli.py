"""Pruebas del comando ``esenciales`` a través de su punto de entrada real.

Casi todas lanzan ``python -m esenciales`` (o el script instalado) en un
proceso aparte y miran su código de salida, su salida y sus archivos.
"""

import json
import os
import pty
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from esenciales import cli
from esenciales.cli import catalog
from esenciales.runs import training as trainer

SUBCOMMANDS = ("capitulos", "ejecutar", "modelos", "entrenar", "datos",
               "tiempos", "entorno")
ROOT = Path(__file__).resolve().parents[1]
SCRIPT = Path(sys.executable).with_name("esenciales")
UNCREATABLE = str(Path(__file__) / "figuras")  # dentro de un archivo


def _env(**extra):
    env = dict(os.environ)
    env.setdefault("ESENCIALES_DATA", str(ROOT.parent / "shared" / "data"))
    env.setdefault("KERAS_BACKEND", "tensorflow")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    env.pop("NO_COLOR", None)
    env.update(extra)
    return env


def run_cli(*args, env=None, timeout=300):
    """Corre ``python -m esenciales ARGS`` y devuelve el proceso terminado."""
    return subprocess.run(
        [sys.executable, "-m", "esenciales", *map(str, args)],
        capture_output=True, text=True, env=env or _env(), timeout=timeout,
        cwd=ROOT)


def assert_clean_error(proc, code):
    """Error limpio: el código pedido, un mensaje en español, sin traza."""
    assert proc.returncode == code, proc.stderr
    assert "Traceback" not in proc.stderr
    assert any(line.startswith("esenciales") and "error: " in line
               for line in proc.stderr.splitlines())


# --------------------------------------------------------------------------
# Ayuda


def test_help_lists_every_subcommand_with_examples():
    proc = run_cli("--help")
    assert proc.returncode == 0
    for name in SUBCOMMANDS:
        assert name in proc.stdout
    assert proc.stdout.startswith("uso: esenciales")
    assert "ejemplos:" in proc.stdout


@pytest.mark.parametrize("argv", [[name] for name in SUBCOMMANDS]
                         + [["datos", "descargar"], ["datos", "verificar"]])
def test_every_subcommand_has_spanish_help(argv):
    proc = run_cli(*argv, "--help")
    assert proc.returncode == 0
    assert proc.stdout.startswith("uso: esenciales " + " ".join(argv))
    assert "ejemplos:\n  esenciales " + argv[0] in proc.stdout
    assert "muestra esta ayuda y termina" in proc.stdout
    for english in ("usage:", "show this help", "positional arguments"):
        assert english not in proc.stdout


def test_help_imports_no_framework():
    """``--help`` de cada subcomando, en un proceso limpio: ni TensorFlow,
    ni PyTorch, ni Keras, ni siquiera NumPy quedan en ``sys.modules``."""
    code = (
        "import sys, contextlib, io\n"
        "from esenciales.cli import main\n"
        f"for sub in {SUBCOMMANDS!r}:\n"
        "    with contextlib.redirect_stdout(io.StringIO()):\n"
        "        assert main([sub, '--help']) == 0\n"
        "heavy = ('tensorflow', 'torch', 'keras', 'numpy')\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True,
                          text=True, env=_env(), check=True)
    assert proc.stdout.strip() == "[]"


def test_installed_script_and_python_m_agree():
    assert SCRIPT.is_file(), "falta el script instalado por pyproject"
    via_script = subprocess.run([SCRIPT, "--version"], capture_output=True,
                                text=True, env=_env())
    via_module = run_cli("--version")
    assert via_script.returncode == via_module.returncode == 0
    assert via_script.stdout == via_module.stdout == "esenciales 0.1.0\n"


def test_main_returns_exit_code_in_process(capsys):
    assert cli.main(["modelos"]) == 0
    assert "mnist_cnn" in capsys.readouterr().out
    assert cli.main(["entrenar", "no_existe"]) == 2
    assert "Modelo desconocido" in capsys.readouterr().err


# --------------------------------------------------------------------------
# Entradas inválidas: una línea en español, código 2 (uso) o 1 (ejecución)


@pytest.mark.parametrize("argv, words", [
    ([], "falta el argumento SUBCOMANDO"),
    (["volar"], "opción inválida: 'volar'"),
    (["capitulos", "99"], "Capítulo desconocido: «99»"),
    (["ejecutar", "capitulo_x"], "Capítulo desconocido"),
    (["ejecutar", "4", "no_existe"], "no tiene el ejemplo «no_existe»"),
    (["entrenar", "resnet"], "Modelo desconocido: «resnet»"),
    (["entrenar", "mlp", "--framework", "jax"], "opción inválida: 'jax'"),
    (["entrenar", "mlp", "--epochs", "-3"], "entero positivo, no «-3»"),
    (["entrenar", "mlp", "--epochs", "0"], "entero positivo, no «0»"),
    (["entrenar", "mlp", "--batch-size", "dos"], "entero positivo"),
    (["entrenar", "mlp", "--seed", "-1"], "semilla"),
    (["entrenar", "mlp", "--device", "tpu"], "opción inválida: 'tpu'"),
    (["entrenar", "mlp", "--save-history", "/no/existe/h.json"],
     "la carpeta «/no/existe» no existe"),
    (["entrenar", "mlp", "--save-history", "/tmp"], "es una carpeta"),
    (["entrenar", "mlp", "--save-weights", "/tmp/pesos.pt"],
     "«.weights.h5»"),
    (["ejecutar", "3", "figura_red", "--figuras", UNCREATABLE],
     f"No se puede crear la carpeta «{UNCREATABLE}»"),
    (["tiempos", "neurona", "--guardar", UNCREATABLE],
     "No se puede crear la carpeta"),
    (["datos", "verificar", "cifar10"], "desconocido: «cifar10»"),
    (["tiempos", "gpu"], "experimento desconocido «gpu»"),
])
def test_bad_input_is_a_usage_error(argv, words):
    proc = run_cli(*argv)
    assert_clean_error(proc, 2)
    assert words in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


def test_cuda_on_a_machine_without_one_is_a_runtime_error(tmp_path):
    history = tmp_path / "h.json"
    proc = run_cli("entrenar", "mlp_minimal", "--framework", "torch",
                   "--device", "cuda", "--save-history", history,
                   env=_env(CUDA_VISIBLE_DEVICES=""))
    assert_clean_error(proc, 1)
    assert "no ve ninguna GPU CUDA" in proc.stderr
    assert not history.exists()


def test_a_missing_framework_is_one_line_not_a_traceback():
    code = ("import sys\n"
            "sys.modules['keras'] = None  # como si Keras no estuviera\n"
            "from esenciales.cli import main\n"
            "sys.exit(main(['entrenar', 'mlp', '--framework', 'keras']))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True,
                          text=True, env=_env())
    assert_clean_error(proc, 1)
    assert "falta el paquete «keras»" in proc.stderr


def test_missing_data_offline_is_a_runtime_error(tmp_path):
    """Sin copia local y sin red (un proxy que rechaza todo)."""
    refused = "http://127.0.0.1:9"
    env = _env(ESENCIALES_DATA=str(tmp_path / "datos"),
               ESENCIALES_CACHE=str(tmp_path / "cache"),
               http_proxy=refused, https_proxy=refused)
    proc = run_cli("entrenar", "mlp", "--framework", "torch", env=env)
    assert_clean_error(proc, 1)
    assert "No se encontró «train-images-idx3-ubyte.gz»" in proc.stderr
    proc = run_cli("datos", "descargar", "mnist", env=env)
    assert_clean_error(proc, 1)
    assert "esenciales datos descargar mnist" in proc.stderr
    leftovers = list((tmp_path / "cache").rglob("*.*"))
    assert leftovers == []


# --------------------------------------------------------------------------
# Listados, datos, entorno


def test_capitulos_lists_every_chapter_and_example():
    proc = run_cli("capitulos")
    assert proc.returncode == 0
    for chapter in catalog.CHAPTERS:
        assert chapter.title in proc.stdout
        for example in chapter.examples:
            assert example.name in proc.stdout
    assert "\033[" not in proc.stdout, "colores fuera de una terminal"


def test_colours_only_on_a_terminal():
    leader, follower = pty.openpty()
    proc = subprocess.run([sys.executable, "-m", "esenciales", "capitulos",
                           "4"], stdout=follower, stderr=subprocess.PIPE,
                          env=_env(TERM="xterm"), cwd=ROOT)
    os.close(follower)
    output = os.read(leader, 1 << 16).decode()
    os.close(leader)
    assert proc.returncode == 0
    assert "\033[1m" in output


def test_modelos_lists_every_model():
    proc = run_cli("modelos")
    assert proc.returncode == 0
    for spec in catalog.MODELS:
        assert spec.name in proc.stdout


def test_datos_reports_where_each_data_set_was_found():
    proc = run_cli("datos")
    assert proc.returncode == 0
    for key in ("mnist", "fashion-mnist", "imdb"):
        assert key in proc.stdout
    assert str(Path(_env()["ESENCIALES_DATA"]) / "mnist") in proc.stdout


def test_datos_verificar_checks_every_mnist_file():
    proc = run_cli("datos", "verificar", "mnist")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("correcto") == 4


def test_datos_descargar_uses_the_local_copy():
    proc = run_cli("datos", "descargar", "mnist")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("listo") == 4


def test_datos_verificar_detects_a_corrupt_file(tmp_path):
    folder = tmp_path / "mnist"
    folder.mkdir()
    source = Path(_env()["ESENCIALES_DATA"]) / "mnist"
    for path in source.glob("*.gz"):
        shutil.copy(path, folder)
    labels = folder / "t10k-labels-idx1-ubyte.gz"
    labels.write_bytes(labels.read_bytes()[:-40])
    proc = run_cli("datos", "verificar", "mnist",
                   env=_env(ESENCIALES_DATA=str(tmp_path)))
    assert_clean_error(proc, 1)
    assert "corrupto" in proc.stderr


def test_entorno_reports_versions_devices_and_data():
    proc = run_cli("entorno")
    assert proc.returncode == 0, proc.stderr
    for field in ("Python:", "Keras:", "backend tensorflow", "TensorFlow:",
                  "PyTorch:", "CPU:", "GPU (PyTorch):", "mnist"):
        assert field in proc.stdout


# --------------------------------------------------------------------------
# ejecutar y tiempos


def test_ejecutar_runs_the_book_function_and_prints_its_result():
    from esenciales.scratch.classic import count_minimax_nodes

    value, nodes = count_minimax_nodes(prune=True)
    proc = run_cli("ejecutar", "ia", "alfabeta")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines() == [
        "── 1:alfabeta · Lo mismo con la poda alfa-beta",
        f"({value}, {nodes})"]


def test_ejecutar_saves_figures_as_png(tmp_path):
    folder = tmp_path / "figuras"  # la crea si falta
    proc = run_cli("ejecutar", "3", "figura_neurona", "--figuras", folder)
    assert proc.returncode == 0, proc.stderr
    png = folder / "cap3_figura_neurona.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert f"Figura guardada en {png}" in proc.stdout


def test_ejecutar_one_framework_only():
    proc = run_cli("ejecutar", "4", "mnist_cnn", "--framework", "torch")
    assert proc.returncode == 0, proc.stderr
    assert "4:mnist_cnn (torch)" in proc.stdout
    assert "(keras)" not in proc.stdout
    from esenciales.torch import models

    params = models.count_params(models.mnist_cnn())
    assert f"Total params: {params:,}" in proc.stdout


def test_results_are_shown_as_tables(capsys):
    """Cómo muestra ``ejecutar`` los resultados de los experimentos."""
    runs = {"sin dropout": {"loss": [0.9, 0.5], "val_loss": [1.0, 0.8]},
            "con dropout": {"loss": [1.1, 0.7], "val_loss": [1.0, 0.6]}}
    cli._show(runs, None, "x")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["variante", "épocas", "loss", "val_loss"]
    assert lines[2].split() == ["sin", "dropout", "2", "0.5", "0.8"]
    assert lines[3].split() == ["con", "dropout", "2", "0.7", "0.6"]
    cli._show({"history": runs["sin dropout"], "test_accuracy": 0.98,
               "model": object()}, None, "x")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "history:"
    assert lines[1].split() == ["época", "loss", "val_loss"]
    assert [line.split() for line in lines[3:5]] == [["1", "0.9", "1"],
                                                     ["2", "0.5", "0.8"]]
    assert lines[5:] == ["test_accuracy: 0.98", "model: object"]


def test_tiempos_prints_a_table_and_saves_json(tmp_path):
    proc = run_cli("tiempos", "neurona", "--guardar", tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[1] == "neurona"
    assert lines[2].split() == ["origen", "dispositivo", "marco", "método",
                                "ms", "aceleración"]
    assert [line.split()[0] for line in lines[4:]] == ["en", "en"]
    document = json.loads((tmp_path / "neurona_numpy_cpu.json").read_text())
    assert document["experiment"] == "neurona"
    assert [row["method"] for row in document["results"]] == ["bucle",
                                                             "lote"]


# --------------------------------------------------------------------------
# Ctrl-C


def test_ctrl_c_stops_training_cleanly(tmp_path):
    history = tmp_path / "h.json"
    proc = subprocess.Popen(
        [sys.executable, "-m", "esenciales", "entrenar", "mlp_minimal",
         "--framework", "torch", "--epochs", "100000",
         "--save-history", str(history)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env=_env(), cwd=ROOT)
    assert proc.stdout.readline().startswith("Entrenando mlp_minimal")
    time.sleep(5)  # ya importa PyTorch o entrena: 100 000 épocas no acaban
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert "Interrumpido" in stderr
    assert "Traceback" not in stderr
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------
# El catálogo apunta a funciones reales del paquete


def _calls(call):
    """La llamada y todas las anidadas en sus argumentos."""
    yield call
    for value in (call.args, *call.kwargs.values()):
        if isinstance(value, catalog.Call):
            yield from _calls(value)


def test_every_catalog_entry_imports():
    for chapter in catalog.CHAPTERS:
        for example in chapter.examples:
            for framework in example.frameworks or (None,):
                assert callable(example.resolve(framework)), example.name
                for call in _calls(example.call):
                    function = catalog.import_target(call.target, framework)
                    assert callable(function), call.target
    for spec in catalog.MODELS:
        assert spec.data in trainer.DATA
        for framework in catalog.FRAMEWORKS:
            assert callable(spec.builder(framework)), spec.name


def test_chapters_are_found_by_number_and_name():
    assert catalog.find_chapter("4") is catalog.find_chapter("cnn")
    assert catalog.find_chapter("04").number == 4
    assert catalog.find_chapter("8") is None


# --------------------------------------------------------------------------
# Entrenamiento real y corto, uno por framework


@pytest.mark.slow
@pytest.mark.parametrize("framework", catalog.FRAMEWORKS)
def test_short_real_training_on_mnist(framework, tmp_path):
    weights = tmp_path / ("cnn.weights.h5" if framework == "keras"
                          else "cnn.pt")
    history = tmp_path / "historia.json"
    start = time.perf_counter()
    proc = run_cli("entrenar", "mnist_cnn", "--framework", framework,
                   "--epochs", "1", "--limit", "1000", "--device", "cpu",
                   "--save-weights", weights, "--save-history", history)
    seconds = time.perf_counter() - start
    assert proc.returncode == 0, proc.stderr
    assert "Resumen: mnist_cnn" in proc.stdout
    assert "s por época" in proc.stdout
    document = json.loads(history.read_text())
    assert document["n_train"] == document["n_test"] == 1000
    assert document["epochs"] == 1
    assert 0.5 < document["test"]["accuracy"] <= 1.0
    assert document["seconds"] < seconds
    _assert_weights_load(framework, weights)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [weights.name, history.name])


def _assert_weights_load(framework, path):
    """Los pesos guardados se cargan en un modelo nuevo del mismo tipo."""
    model = catalog.find_model("mnist_cnn").builder(framework)()
    if framework == "keras":
        model.load_weights(path)
    else:
        import torch

        model.load_state_dict(torch.load(path, weights_only=True))
