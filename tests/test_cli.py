"""Pruebas del comando ``esenciales`` a través de su punto de entrada real.

Casi todas lanzan ``python -m esenciales`` (o el script instalado) en un
proceso aparte y miran su código de salida, su salida y sus archivos.
"""

import json
import os
import pty
import subprocess
import sys
import time
from pathlib import Path

import pytest

from esenciales import cli, spanish
from esenciales.cli import catalog, chapters, render
from esenciales.frameworks import FRAMEWORKS, framework_module
from esenciales.runs import recipes
from tests.support import ROOT, assert_clean_error, cli_env, run_cli

SUBCOMMANDS = ("capitulos", "ejecutar", "modelos", "entrenar", "datos",
               "cache", "tiempos", "entorno")
SCRIPT = Path(sys.executable).with_name("esenciales")
UNCREATABLE = str(Path(__file__) / "figuras")  # dentro de un archivo


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
                         + [["datos", "descargar"], ["datos", "verificar"],
                            ["cache", "mostrar"], ["cache", "limpiar"]])
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
                          text=True, env=cli_env(), check=True)
    assert proc.stdout.strip() == "[]"


def test_installed_script_and_python_m_agree():
    assert SCRIPT.is_file(), "falta el script instalado por pyproject"
    via_script = subprocess.run([SCRIPT, "--version"], capture_output=True,
                                text=True, env=cli_env())
    via_module = run_cli("--version")
    assert via_script.returncode == via_module.returncode == 0
    assert via_script.stdout == via_module.stdout == "esenciales 0.1.0\n"


def test_main_returns_exit_code_in_process(capsys):
    assert cli.main(["modelos"]) == 0
    assert "mnist_cnn" in capsys.readouterr().out
    assert cli.main(["entrenar", "no_existe"]) == 2
    assert "Receta desconocida" in capsys.readouterr().err


# --------------------------------------------------------------------------
# Entradas inválidas: una línea en español, código 2 (uso) o 1 (ejecución)


@pytest.mark.parametrize("argv, words", [
    ([], "falta el argumento SUBCOMANDO"),
    (["volar"], "opción inválida: 'volar'"),
    (["capitulos", "99"], "Capítulo desconocido: «99»"),
    (["ejecutar", "capitulo_x"], "Capítulo desconocido"),
    (["ejecutar", "4", "99"], "no existe la celda 99"),
    (["ejecutar", "4", "cero"], "entero positivo, no «cero»"),
    (["entrenar", "resnet"], "Receta desconocida: «resnet»"),
    (["recetas", "resnet"], "Receta desconocida: «resnet»"),
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
    (["entrenar", "mlp", "--learning-rate", "rápida"],
     "«rápida» no es un valor válido para learning_rate"),
    (["entrenar", "mlp", "--schedule", "lineal"],
     "calendario desconocido «lineal»"),
    (["entrenar", "mlp", "--validation-split", "1.5"], "validation_split"),
    (["entrenar", "mlp", "--model-kwargs", "[1]"], "model_kwargs"),
    (["--hilos", "0", "modelos"], "entero positivo, no «0»"),
    (["ejecutar", "3", "--figuras", UNCREATABLE],
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
                   env=cli_env(CUDA_VISIBLE_DEVICES=""))
    assert_clean_error(proc, 1)
    assert "no ve ninguna GPU CUDA" in proc.stderr
    assert not history.exists()


def test_a_missing_framework_is_one_line_not_a_traceback():
    code = ("import sys\n"
            "sys.modules['keras'] = None  # como si Keras no estuviera\n"
            "from esenciales.cli import main\n"
            "sys.exit(main(['entrenar', 'mlp', '--framework', 'keras']))\n")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True,
                          text=True, env=cli_env())
    assert_clean_error(proc, 1)
    assert "falta el paquete «keras»" in proc.stderr


def test_missing_data_offline_is_a_runtime_error(tmp_path):
    """Sin copia local y sin red (un proxy que rechaza todo)."""
    refused = "http://127.0.0.1:9"
    env = cli_env(ESENCIALES_DATA=str(tmp_path / "datos"),
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


def test_capitulos_lists_every_chapter():
    proc = run_cli("capitulos")
    assert proc.returncode == 0
    for chapter in catalog.CHAPTERS:
        assert chapter.title in proc.stdout
    assert "\033[" not in proc.stdout, "colores fuera de una terminal"


def test_capitulos_lists_the_visible_cells_of_a_chapter():
    text = catalog.chapter_source(catalog.find_chapter("4")).read_text()
    cells = chapters.visible_cells(chapters.parse_cells(text))
    proc = run_cli("capitulos", "cnn")
    assert proc.returncode == 0
    rows = proc.stdout.splitlines()[3:]
    assert len(rows) == len(cells)
    assert rows[0].split()[0] == "1"
    assert cells[0].title[:40] in rows[0]


def test_colours_only_on_a_terminal():
    leader, follower = pty.openpty()
    proc = subprocess.run([sys.executable, "-m", "esenciales", "capitulos",
                           "4"], stdout=follower, stderr=subprocess.PIPE,
                          env=cli_env(TERM="xterm"), cwd=ROOT)
    os.close(follower)
    output = os.read(leader, 1 << 16).decode()
    os.close(leader)
    assert proc.returncode == 0
    assert "\033[1m" in output


def test_modelos_lists_every_model_also_as_json():
    proc = run_cli("modelos")
    assert proc.returncode == 0
    for name in recipes.names():
        assert name in proc.stdout
    assert max(len(line) for line in proc.stdout.splitlines()) <= 80
    proc = run_cli("modelos", "--json")
    assert proc.returncode == 0
    rows = json.loads(proc.stdout)
    assert [row["model"] for row in rows] == recipes.names()


def test_recetas_lists_every_recipe_and_shows_one():
    proc = run_cli("recetas")
    assert proc.returncode == 0, proc.stderr
    assert max(len(line) for line in proc.stdout.splitlines()) <= 80
    rows = {line.split()[0]: line.split() for line in
            proc.stdout.splitlines()[2:] if line.split()
            and line.split()[0] in recipes.names()}
    assert list(rows) == recipes.names()
    assert rows["mnist_cnn"][1:4] == ["adam", "0,003", "warmup_cosine"]
    for name, row in rows.items():  # valid.: fracción, ejemplos o nada
        recipe = recipes.get(name)
        shown = " ".join(row[6:])
        if recipe.n_validation is not None:
            assert shown == spanish.number(recipe.n_validation)
        elif recipe.validation_split:
            assert shown == f"{round(100 * recipe.validation_split)} %"
        else:
            assert shown == "—"
    proc = run_cli("recetas", "--json")
    assert json.loads(proc.stdout) == {
        name: recipes.get(name).as_dict() for name in recipes.names()}
    proc = run_cli("recetas", "mnist_cnn")
    assert proc.returncode == 0
    assert "learning_rate" in proc.stdout and "0,003" in proc.stdout


def test_datos_reports_where_each_data_set_was_found():
    proc = run_cli("datos")
    assert proc.returncode == 0
    for key in ("mnist", "fashion-mnist", "imdb"):
        assert key in proc.stdout
    assert str(Path(cli_env()["ESENCIALES_DATA"]) / "mnist") in proc.stdout
    proc = run_cli("datos", "--json")
    assert proc.returncode == 0
    report = {row["name"]: row for row in json.loads(proc.stdout)}
    assert report["mnist"]["found"] is True


def test_datos_verificar_checks_every_mnist_file():
    proc = run_cli("datos", "verificar", "mnist")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("correcto") == 4


def test_datos_descargar_uses_the_local_copy():
    proc = run_cli("datos", "descargar", "mnist")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("listo") == 4


def test_entorno_reports_versions_devices_and_data():
    proc = run_cli("entorno")
    assert proc.returncode == 0, proc.stderr
    for field in ("Python:", "Keras:", "backend tensorflow", "TensorFlow:",
                  "PyTorch:", "CPU:", "GPU (PyTorch):", "mnist"):
        assert field in proc.stdout
    assert_no_framework_noise(proc.stderr)
    proc = run_cli("entorno", "--json")
    assert proc.returncode == 0, proc.stderr
    document = json.loads(proc.stdout)
    assert document["keras_backend"] == "tensorflow"
    assert document["threads"]["cores"] >= 1
    for count in (1, 2):
        proc = run_cli("--hilos", count, "entorno", "--json")
        assert json.loads(proc.stdout)["threads"]["torch_threads"] == count
    assert document["versions"]["torch"]


# --------------------------------------------------------------------------
# Sin ruido de los frameworks


NOISE = ("absl", "oneDNN", "I0000", "W0000", "cpu_feature_guard",
         "To enable the following", "WARNING", "tensorflow")


def assert_no_framework_noise(stderr):
    for word in NOISE:
        assert word not in stderr, stderr


def test_keras_training_prints_no_framework_noise_and_one_progress_style():
    """Sin TF_CPP_MIN_LOG_LEVEL en el entorno: el comando calla a
    TensorFlow por su cuenta; el avance es el mismo en los dos marcos."""
    env = cli_env()
    env.pop("TF_CPP_MIN_LOG_LEVEL", None)
    lines = {}
    for framework in FRAMEWORKS:
        proc = run_cli("entrenar", "mlp_minimal", "--framework", framework,
                       "--epochs", "2", "--limit", "300", env=env)
        assert proc.returncode == 0, proc.stderr
        assert_no_framework_noise(proc.stderr)
        lines[framework] = [line for line in proc.stderr.splitlines()
                            if line.startswith("Época")]
        assert "step" not in proc.stdout + proc.stderr  # la barra de Keras
    for framework, epochs in lines.items():
        assert len(epochs) == 2, (framework, epochs)
        assert epochs[1].startswith("Época 2/2 · pérdida 0,")
        assert " · exactitud " in epochs[1] and epochs[1].endswith(" s")


# --------------------------------------------------------------------------
# ejecutar: las celdas del capítulo, como en el libro


FAKE_CHAPTER = """# Un capítulo de prueba

```{code-cell} ipython3
:tags: [remove-cell]

%matplotlib inline
import matplotlib.pyplot as plt
from IPython.display import Markdown
from myst_nb import glue

secret = 41
print("esto no se ve")
```

Texto.

```{code-cell} ipython3
answer = secret + 1
print(f"la respuesta es {answer}")
```

```{code-cell} ipython3
---
mystnb:
  markdown_format: gfm
---
rows = ["| marco | exactitud de validación en la última época | segundos |",
        "|---|---:|---:|",
        "| Keras | 98,8 % | 12,5 |", "| PyTorch | 98,9 % | 9,1 |"]
Markdown("\\n".join(rows))
```

```{code-cell} ipython3
:tags: [remove-cell]
fig, ax = plt.subplots()
ax.plot([1, 2, 3])
glue("fig-prueba", fig, display=False)
glue("respuesta", answer)
```

```{code-cell} ipython3
:tags: [remove-output]
print("tampoco se ve")
```
"""


@pytest.fixture
def fake_book(tmp_path):
    """Una carpeta de capítulos en la que el capítulo 7 es de prueba."""
    folder = tmp_path / "libro"
    folder.mkdir()
    (folder / "07_conclusiones.md").write_text(FAKE_CHAPTER)
    return cli_env(ESENCIALES_LIBRO=str(folder))


def test_ejecutar_shows_what_the_book_shows(fake_book, tmp_path):
    proc = run_cli("ejecutar", "7", env=fake_book)
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "la respuesta es 42" in out
    shown = "\n".join(line for line in out.splitlines()
                      if not line.startswith("── ["))
    assert "esto no se ve" not in shown and "tampoco se ve" not in shown
    assert "\n42\n" not in out  # glue en una celda oculta no se ve
    assert "|" not in shown  # la tabla Markdown se volvió texto
    assert max(len(line) for line in out.splitlines()) <= 80
    lines = out.splitlines()
    table = lines[next(i for i, line in enumerate(lines)
                       if line.startswith("── [2] rows = [")) + 1:]
    assert table[0].split()[0] == "marco"
    assert any(line.split()[:3] == ["Keras", "98,8", "%"] for line in table)
    assert proc.stdout.count("── [") == 3
    proc = run_cli("ejecutar", "7", "--cifras", env=fake_book)
    assert proc.stdout.splitlines()[-1].split() == ["respuesta", "42"]


def test_ejecutar_one_cell_and_figures(fake_book, tmp_path):
    folder = tmp_path / "figuras"  # la crea si falta
    proc = run_cli("ejecutar", "7", "1", "--figuras", folder, env=fake_book)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[1:] == [
        "── [1] answer = secret + 1", "la respuesta es 42"]
    proc = run_cli("ejecutar", "7", "--figuras", folder, env=fake_book)
    png = folder / "fig-prueba.png"
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_a_failing_cell_is_one_line_naming_the_cell(tmp_path):
    folder = tmp_path / "libro"
    folder.mkdir()
    (folder / "07_conclusiones.md").write_text(
        "```{code-cell} ipython3\nprint('uno')\n```\n\n"
        "```{code-cell} ipython3\n1 / 0\n```\n")
    proc = run_cli("ejecutar", "7", env=cli_env(ESENCIALES_LIBRO=str(folder)))
    assert_clean_error(proc, 1)
    assert "la celda 2 falló: ZeroDivisionError" in proc.stderr


@pytest.mark.parametrize("chapter", catalog.CHAPTERS,
                         ids=lambda c: str(c.number))
def test_every_chapter_has_cells_that_compile(chapter):
    """Lo que ``ejecutar N`` correrá existe y es Python válido (para los
    siete capítulos que lista ``capitulos``)."""
    cells = chapters.parse_cells(catalog.chapter_source(chapter).read_text())
    assert cells
    for cell in cells:
        compile(cell.source, f"{chapter.filename}:{cell.number}", "exec")


def test_ejecutar_1_prints_spanish_labels_not_a_dict():
    proc = run_cli("ejecutar", "1", "5")
    assert proc.returncode == 0, proc.stderr
    assert "Sistema experto" in proc.stdout
    assert "expert_accuracy" not in proc.stdout
    assert "{" not in proc.stdout


@pytest.mark.slow
@pytest.mark.parametrize("number", [4, 7])
def test_ejecutar_real_chapters(number):
    """El capítulo 4 calcula convoluciones y *pooling* a mano; el 7 usa la
    CNN entrenada (de la caché, o la entrena)."""
    proc = run_cli("ejecutar", number, timeout=1800)
    assert proc.returncode == 0, proc.stderr
    assert_no_framework_noise(proc.stderr)
    assert max(len(line) for line in proc.stdout.splitlines()) <= 80
    if number == 4:
        assert "Total params" not in proc.stdout.split("── [10]")[0]


def test_markdown_tables_fit_in_80_columns():
    header = "| " + " | ".join(f"columna número {i} del informe"
                               for i in range(6)) + " |"
    rows = "| " + " | ".join(f"{i},5 %" for i in range(6)) + " |"
    text = render.markdown_to_text("\n".join(
        [header, "|" + "---:|" * 6, rows]))
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert lines[-1].split() == ["0,5", "%", "1,5", "%", "2,5", "%", "3,5",
                                 "%", "4,5", "%", "5,5", "%"]


def table_parts(lines):
    """Las palabras del encabezado de una tabla de texto y sus filas (las
    líneas que empiezan una fila; las que siguen a una celda larga
    empiezan con espacios)."""
    rule = next(i for i, line in enumerate(lines) if line.startswith("─"))
    header = {word for line in lines[:rule] for word in line.split()}
    rows = [line for line in lines[rule + 1:] if not line.startswith(" ")]
    return header, rows


def test_tiempos_prints_a_table_and_saves_json(tmp_path):
    proc = run_cli("tiempos", "neurona", "--guardar", tmp_path)
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[1] == "neurona"
    header, rows = table_parts(lines[2:])
    assert header == {"origen", "dispositivo", "marco", "método", "ms",
                      "aceleración"}
    assert [row.split()[:2] for row in rows] == [["en", "vivo"]] * 2
    document = json.loads((tmp_path / "neurona_numpy_cpu.json").read_text())
    assert document["experiment"] == "neurona"
    assert [row["method"] for row in document["results"]] == ["bucle",
                                                             "lote"]


LONG_CPU = "Intel(R) Xeon(R) Platinum 8480+ Processor @ 2.00GHz"
"""Un nombre de CPU largo, como el de muchas máquinas en la nube."""


def test_tiempos_keeps_each_row_on_one_line_with_a_long_cpu_name(
        monkeypatch, capsys):
    """En una máquina de nombre largo la columna del dispositivo no parte
    la fila: cada fila es una línea, dentro de 80 columnas."""
    from esenciales import timing

    measure = timing.measure

    def measured_on_a_long_named_cpu(*args, **kwargs):
        doc = measure(*args, **kwargs)
        doc["provenance"]["device"]["name"] = LONG_CPU
        doc["provenance"]["cpu_model"] = LONG_CPU
        doc["provenance"]["cpu_threads"] = 2
        return doc

    monkeypatch.setattr(timing, "measure", measured_on_a_long_named_cpu)
    assert cli.main(["tiempos", "neurona"]) == 0
    lines = capsys.readouterr().out.splitlines()
    rule = next(i for i, line in enumerate(lines) if line.startswith("─"))
    rows = lines[rule + 1:]  # cada fila, una línea
    assert [row.split()[:2] for row in rows] == [["en", "vivo"]] * 2
    # El método es la primera celda tras el marco; las cifras pueden traer
    # espacios de miles («28 201»), así que no se cuentan desde el final.
    assert [row.split("NumPy")[1].split()[0] for row in rows] == [
        "bucle", "lote"]
    assert max(len(line) for line in lines) <= 80
    assert all("CPU Intel(R) Xeon(R)" in row for row in rows)


def test_a_long_cell_never_breaks_its_row():
    """Una celda larga en medio se acorta con «…»; la última columna de
    texto sigue bajo sí misma; las cifras nunca se cortan."""
    text = render.text_table(
        ["origen", "dispositivo", "ms", "nota"],
        [["en vivo", "CPU " + LONG_CPU + " (2 hilos)", "85,5",
          "una nota larga " * 8],
         ["grabado", "NVIDIA H200", "0,0180", "corta"]],
        ["l", "l", "r", "l"])
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 80
    first, *more = lines[2:]
    assert first.split()[:3] == ["en", "vivo", "CPU"]
    assert "…" in first and "85,5" in first
    grabado = next(line for line in more if line.startswith("grabado"))
    assert grabado.split()[1:4] == ["NVIDIA", "H200", "0,0180"]
    assert [line.split()[0] for line in more if not line.startswith(" ")] \
        == ["grabado"]


def test_tiempos_knows_every_timing_experiment(monkeypatch, capsys,
                                              tmp_path):
    """«paralelo» se mide desde la terminal como los demás: 1 réplica y
    2 pasos de verdad (un subproceso de PyTorch), en su tabla y su JSON."""
    import functools

    from esenciales import timing
    from esenciales.timing import experiments

    help_text = " ".join(run_cli("tiempos", "--help").stdout.split())
    for experiment in timing.EXPERIMENTS:
        assert f"{experiment} ({timing.EXPERIMENT_NAMES[experiment]})" \
            in help_text
    # Se reemplaza donde la busca quien mide (timing.experiments).
    monkeypatch.setattr(experiments, "data_parallel_throughput",
                        functools.partial(
                            experiments.data_parallel_throughput,
                            replicas=(1,), batch_size=32, steps=2))
    assert cli.main(["tiempos", "paralelo", "--framework", "torch",
                     "--device", "cpu", "--guardar", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[1] == "paralelo"
    header, rows = table_parts(lines[2:])
    assert {"réplicas", "lote", "ms", "por", "paso", "ejemplos/s"} <= header
    assert [row.split()[:2] for row in rows] == [["en", "vivo"]]
    document = json.loads((tmp_path / "paralelo_torch_cpu.json").read_text())
    assert document["experiment"] == "paralelo"
    assert [row["replicas"] for row in document["results"]] == [1]


# --------------------------------------------------------------------------
# entrenar --json


def test_entrenar_json_is_one_object_on_stdout(tmp_path):
    """Cualquier campo de la receta se cambia con su opción, y la receta
    que corrió viaja en el JSON."""
    proc = run_cli("entrenar", "mlp_minimal", "--framework", "torch",
                   "--epochs", "2", "--limit", "300", "--learning-rate",
                   "0.01", "--schedule", "warmup_cosine", "--warmup-epochs",
                   "1", "--json")
    assert proc.returncode == 0, proc.stderr
    document = json.loads(proc.stdout)
    assert document["model"] == "mlp_minimal"
    assert document["framework"] == "torch"
    expected = recipes.get("mlp_minimal").replace(
        epochs=2, n_train=300, n_test=300, learning_rate=0.01,
        schedule="warmup_cosine", warmup_epochs=1.0)
    assert document["recipe"] == expected.as_dict()
    assert "Receta mlp_minimal:" in proc.stderr  # la receta, también aquí
    hits = document["test"]["accuracy"] * 300  # aciertos entre 300
    assert abs(hits - round(hits)) < 1e-3 and 0 <= round(hits) <= 300
    assert document["seconds_per_epoch"] > 0
    assert len(document["history"]["loss"]) == 2


# --------------------------------------------------------------------------
# El catálogo


def test_chapters_are_found_by_number_and_name():
    assert catalog.find_chapter("4") is catalog.find_chapter("cnn")
    assert catalog.find_chapter("04").number == 4
    assert catalog.find_chapter("8") is None


# --------------------------------------------------------------------------
# Entrenamiento real y corto, uno por framework


@pytest.mark.slow
@pytest.mark.parametrize("framework", FRAMEWORKS)
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
    # mnist_cnn valida con el 10 %: entrenan 900 de los 1000.
    assert (document["n_train"], document["n_validation"],
            document["n_test"]) == (900, 100, 1000)
    assert document["epochs"] == 1
    assert 0.5 < document["test"]["accuracy"] <= 1.0
    assert document["seconds"] < seconds
    _assert_weights_load(framework, weights)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [weights.name, history.name])


def _assert_weights_load(framework, path):
    """Los pesos guardados se cargan en un modelo nuevo del mismo tipo."""
    model = framework_module(framework, "models").mnist_cnn()
    if framework == "keras":
        model.load_weights(path)
    else:
        import torch

        model.load_state_dict(torch.load(path, weights_only=True))


def test_the_catalog_follows_the_table_of_contents():
    """Los capítulos de ``capitulos`` son los de ``_toc.yml``, en su orden,
    y cada título es el encabezado de su archivo."""
    import yaml

    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    (part,) = [p for p in toc["parts"] if p["caption"] == "Capítulos"]
    assert [f"book/{c.filename[:-3]}" for c in catalog.CHAPTERS] == \
        [entry["file"] for entry in part["chapters"]]
    assert [c.number for c in catalog.CHAPTERS] == list(range(1, 8))
    for chapter in catalog.CHAPTERS:
        heading = catalog.chapter_source(chapter).read_text(
            encoding="utf-8").split("\n# ", 1)[1].splitlines()[0]
        assert chapter.title == heading.strip()


def test_machine_paths_hide_the_build_machine(tmp_path, monkeypatch):
    """La página de la terminal muestra las carpetas de la máquina como
    $ESENCIALES_DATA, . y ~, escritas tal cual o resueltas."""
    import io

    home, data = tmp_path / "hogar", tmp_path / "datos"
    repo = home / "repo"
    for folder in (repo, data):
        folder.mkdir(parents=True)
    (tmp_path / "enlace").symlink_to(data)
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("ESENCIALES_DATA", str(tmp_path / "enlace"))
    out = io.StringIO()
    stream = render.MachinePaths(out, repo)
    stream.write(f"{data}/mnist.npz {tmp_path}/enlace/imdb "
                 f"{repo}/book {home}/.keras\n")
    assert out.getvalue() == ("$ESENCIALES_DATA/mnist.npz "
                              "$ESENCIALES_DATA/imdb ./book ~/.keras\n")
