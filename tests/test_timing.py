"""Pruebas del cronómetro, de la procedencia y de las cifras grabadas."""

import datetime
import json
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from esenciales import timing

FIXTURE = Path(__file__).parent / "data" / "timing_matmul_numpy_cpu.json"
STAT_KEYS = {"median_s", "q1_s", "q3_s", "min_s", "max_s", "repeats",
             "number"}


def busy_wait(seconds):
    """Ocupa la CPU hasta que pasen ``seconds`` en el reloj de pared."""
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        pass
    return seconds


# --- El cronómetro -------------------------------------------------------

def test_busy_loop_of_known_duration_is_timed_within_sane_bounds():
    stats = timing.time_call(lambda: busy_wait(0.005), warmup=1,
                             repeats=5, min_time=0.0)
    assert set(stats) == STAT_KEYS
    assert stats["number"] == 1
    # Un bucle que espera 5 ms no puede durar menos; la cota superior
    # solo descarta errores de unidades (no es una medición de velocidad).
    assert 0.005 <= stats["min_s"] < 0.5
    assert stats["min_s"] <= stats["q1_s"] <= stats["median_s"]
    assert stats["median_s"] <= stats["q3_s"] <= stats["max_s"]


class FakeClock:
    """Reloj simulado: cada llamada a ``tick`` avanza ``step`` segundos."""

    def __init__(self, step):
        self.now, self.step = 0.0, step

    def perf_counter(self):
        return self.now

    def tick(self):
        self.now += self.step


def test_number_of_calls_doubles_until_a_repeat_lasts_min_time(
        monkeypatch):
    from esenciales.timing import clock as clock_module

    clock = FakeClock(0.001)
    monkeypatch.setattr(clock_module, "time", clock)
    stats = timing.time_call(clock.tick, warmup=0, repeats=3,
                             min_time=0.01)
    # 1, 2, 4, 8 llamadas duran menos de 10 ms; 16 llamadas, 16 ms.
    assert stats["number"] == 16
    assert stats["median_s"] == pytest.approx(0.001)
    assert stats["q1_s"] == pytest.approx(0.001)
    assert stats["q3_s"] == pytest.approx(0.001)


def test_sync_receives_the_result_once_per_batch_of_calls():
    seen = []
    stats = timing.time_call(lambda: "resultado", sync=seen.append,
                             warmup=3, repeats=4, min_time=0.0)
    assert stats["number"] == 1
    # 3 calentamientos + 1 calibración + 4 repeticiones.
    assert seen == ["resultado"] * 8


@pytest.mark.parametrize("kwargs", [{"repeats": 0}, {"warmup": -1},
                                    {"min_time": -1.0}])
def test_time_call_rejects_bad_arguments(kwargs):
    with pytest.raises(ValueError, match="Se requiere"):
        timing.time_call(lambda: None, **kwargs)


# --- Procedencia y esquema -----------------------------------------------

def test_provenance_has_the_required_fields():
    info = timing.provenance("numpy")
    date = datetime.datetime.fromisoformat(info["date"])
    assert date.tzinfo is not None
    assert info["python"] == ".".join(map(str, sys.version_info[:3]))
    assert info["cpu_threads"] >= 1 and info["cpu_model"]
    assert {"numpy", "keras", "tensorflow", "torch", "jax",
            "esenciales"} <= set(info["versions"])
    assert info["versions"]["numpy"] == np.__version__
    assert info["device"] == {"type": "cpu", "name": info["cpu_model"],
                              "count": 1}
    assert "gpu" in info and "keras_backend" in info


def test_matmul_document_follows_the_schema_and_counts_2n3_flops():
    doc = timing.matmul_throughput((8, 16), framework="numpy", repeats=3)
    json.dumps(doc)
    assert doc["schema"] == timing.SCHEMA
    assert (doc["experiment"], doc["framework"], doc["device"]) == \
        ("matmul", "numpy", "cpu")
    assert doc["origin"] == "en vivo"
    assert [row["n"] for row in doc["results"]] == [8, 16]
    assert [row["flop"] for row in doc["results"]] == [1024, 8192]  # 2n³
    for row in doc["results"]:
        assert STAT_KEYS <= set(row)


def test_gflops_of_a_product_that_takes_one_millisecond(monkeypatch):
    """Con un reloj que avanza 1 ms entre lectura y lectura, cada producto
    tarda 1 ms: n = 10 son 2000 FLOP, es decir 0,002 GFLOP/s."""
    from esenciales.timing import clock as clock_module

    clock = FakeClock(0.001)
    real = clock.perf_counter

    def ticking():
        clock.tick()
        return real()

    clock.perf_counter = ticking
    monkeypatch.setattr(clock_module, "time", clock)
    doc = timing.matmul_throughput((10,), framework="numpy", warmup=0,
                                   repeats=3, min_time=0.0)
    (row,) = doc["results"]
    assert row["median_s"] == pytest.approx(0.001)
    assert row["gflops"] == pytest.approx(0.002)


def test_torch_matmul_measures_each_dtype_on_cpu():
    doc = timing.matmul_throughput((16,), framework="torch",
                                   dtypes=("float32", "bfloat16"),
                                   repeats=2)
    assert [row["dtype"] for row in doc["results"]] == \
        ["float32", "bfloat16"]
    assert doc["provenance"]["torch_threads"] >= 1


def test_keras_matmul_records_its_backend():
    doc = timing.matmul_throughput((16,), framework="keras", repeats=2)
    import keras

    assert doc["backend"] == keras.backend.backend()
    assert doc["provenance"]["keras_backend"] == keras.backend.backend()
    assert timing.framework_name(doc).startswith("Keras (")


@pytest.mark.parametrize("kwargs, message", [
    ({"framework": "mxnet"}, "Framework desconocido"),
    ({"framework": "torch", "dtypes": ("tf32",)}, "tf32"),
    ({"framework": "torch", "dtypes": ("float16",)}, "Tipo desconocido"),
    ({"framework": "numpy", "dtypes": ("bfloat16",)}, "NumPy"),
    ({"framework": "torch", "device": "tpu"}, "Dispositivo desconocido"),
])
def test_matmul_rejects_bad_input_in_spanish(kwargs, message):
    with pytest.raises(ValueError, match=message):
        timing.matmul_throughput((8,), **kwargs)


@pytest.mark.parametrize("framework", ["torch", "keras"])
def test_cnn_throughput_reports_images_per_second(framework):
    doc = timing.cnn_throughput(framework, (8,), warmup=1, repeats=1,
                                min_time=0.0)
    from esenciales.runs import recipes

    recipe = recipes.get("mnist_cnn")
    (row,) = doc["results"]
    assert row["batch_size"] == 8 and row["images_per_s"] > 0
    assert doc["params"] == {
        "batch_sizes": [8], "model": recipe.model, "recipe": recipe.name,
        "optimizer": recipe.optimizer, "loss": recipe.loss,
        "data": "aleatorios"}


def test_neuron_loop_and_batch_agree_and_are_both_timed():
    doc = timing.neuron_batched_vs_loop(4, 16, 3, repeats=1)
    assert doc["params"]["max_abs_diff"] < 1e-12
    rows = {row["method"]: row for row in doc["results"]}
    assert set(rows) == {"bucle", "lote"}
    assert rows["bucle"]["speedup"] == 1.0


# --- Archivos grabados, tablas y series ----------------------------------

def test_save_and_load_round_trip_marks_recorded(tmp_path):
    doc = timing.neuron_batched_vs_loop(2, 4, 2, repeats=1)
    path = timing.save_results(doc, tmp_path / "sub" / "neurona.json")
    loaded = timing.load_recorded(path)
    assert loaded["origin"] == "grabado"
    assert loaded["results"] == doc["results"]


def test_load_recorded_rejects_bad_files(tmp_path):
    bad_schema = tmp_path / "a.json"
    bad_schema.write_text(json.dumps({**timing.load_recorded(FIXTURE),
                                      "schema": "otro/9"}))
    with pytest.raises(ValueError, match="esquema"):
        timing.load_recorded(bad_schema)
    broken = tmp_path / "b.json"
    broken.write_text("{no es json")
    with pytest.raises(ValueError, match="No se pudo leer"):
        timing.load_recorded(broken)
    missing = tmp_path / "c.json"
    missing.write_text(json.dumps({"schema": timing.SCHEMA}))
    with pytest.raises(ValueError, match="faltan las claves"):
        timing.load_recorded(missing)


def test_table_builder_reads_the_fixture():
    recorded = timing.load_recorded(FIXTURE)
    live = timing.matmul_throughput((8,), framework="numpy", repeats=2)
    rows = timing.comparison_table([live], [recorded])
    assert [row["origen"] for row in rows] == ["en vivo", "grabado"]
    assert rows[1]["n"] == timing.matmul_peaks(recorded)["float32"]["n"]
    table = timing.table_markdown(rows).splitlines()
    assert len(table) == 2 + len(rows)
    assert table[0].startswith("| origen | dispositivo | marco")


def test_table_numbers_are_spanish():
    table = timing.table_markdown([{"n": 8192, "GFLOP/s": 686218.4},
                                   {"n": 64, "GFLOP/s": 0.125}])
    assert "| 8192 | 686\u202f218 |" in table
    assert "| 64 | 0,125 |" in table


def test_recorded_gpu_figures_are_complete():
    gpu = [d for d in timing.recorded_results() if d["device"] == "cuda"]
    assert {doc["experiment"] for doc in gpu} >= {"matmul", "cnn"}
    for doc in gpu:
        info = doc["provenance"]["gpu"]
        assert info["count"] >= 1 and info["gpus"][0]["driver"]
        assert info["driver_cuda"]
        assert doc["provenance"]["device"]["name"] == info["name"]
    (matmul,) = [d for d in gpu if d["experiment"] == "matmul"]
    assert set(timing.matmul_peaks(matmul)) == {"float32", "tf32",
                                                "bfloat16"}
    frameworks = {timing.framework_name(d) for d in gpu
                  if d["experiment"] == "cnn"}
    assert frameworks == {"PyTorch", "Keras (JAX)"}


def test_matmul_series_for_the_log_log_plot():
    docs = timing.recorded_results("matmul")
    series = timing.matmul_series(docs)
    assert len(series) == sum(len(timing.matmul_peaks(d)) for d in docs)
    for line in series:
        assert line["sizes"] == sorted(line["sizes"])
        assert len(line["sizes"]) == len(line["gflops"])
        assert "grabado" in line["label"] and line["origin"] == "grabado"


def test_matmul_peaks_are_the_best_row_of_each_dtype():
    doc = {"experiment": "matmul", "results": [
        {"dtype": "float32", "n": 64, "gflops": 2.0},
        {"dtype": "float32", "n": 128, "gflops": 5.0},
        {"dtype": "float32", "n": 256, "gflops": 4.0},
        {"dtype": "bfloat16", "n": 64, "gflops": 7.0}]}
    assert timing.matmul_peaks(doc) == {
        "float32": {"n": 128, "gflops": 5.0},
        "bfloat16": {"n": 64, "gflops": 7.0}}
    with pytest.raises(ValueError, match="matmul"):
        timing.matmul_peaks({**doc, "experiment": "cnn"})


# --- GPU en vivo o grabada, con la procedencia a la vista ----------------

def test_without_a_gpu_the_book_shows_the_recorded_figures(monkeypatch):
    from esenciales.timing import gpu as gpu_module

    monkeypatch.setattr(gpu_module, "live_device", lambda framework: "cpu")
    gpu = timing.gpu_documents("matmul")
    assert gpu and all(d["origin"] == "grabado" and d["device"] == "cuda"
                       for d in gpu)
    host = timing.host_documents("matmul", gpu)
    assert host and all(d["device"] == "cpu" for d in host)


def test_with_a_gpu_every_framework_is_measured_live(monkeypatch):
    measured = []

    def fake_jobs(experiment, framework, device="cuda"):
        doc = {"origin": "en vivo", "framework": framework,
               "device": device}
        return {"x.json": lambda: measured.append(doc) or doc}

    from esenciales.timing import gpu as gpu_module

    monkeypatch.setattr(gpu_module, "live_device", lambda framework: "cuda")
    monkeypatch.setattr(gpu_module, "gpu_jobs", fake_jobs)
    docs = timing.gpu_documents("cnn")
    assert [d["framework"] for d in docs] == ["torch", "keras"]
    assert all(d["origin"] == "en vivo" for d in docs)
    # La CPU en vivo ya es la de esta máquina: no se agregan grabadas.
    assert timing.host_documents("cnn", docs) == []


def test_provenance_lists_date_device_driver_and_versions():
    gpu = [d for d in timing.recorded_results("cnn")
           if d["device"] == "cuda" and d["framework"] == "torch"][0]
    text = timing.provenance_markdown([gpu])
    info = gpu["provenance"]
    for piece in (info["date"][:10], timing.device_name(gpu),
                  info["gpu"]["gpus"][0]["driver"],
                  f"PyTorch {info['versions']['torch']}"):
        assert piece in text
    live = {**gpu, "origin": "en vivo"}
    assert "en vivo" in timing.provenance_markdown([live])


def test_dry_run_jobs_measure_on_the_cpu():
    (name, job), = timing.gpu_jobs("matmul", "torch", device="cpu").items()
    assert name == "matmul_torch_cpu.json"
    doc = job()
    assert doc["device"] == "cpu" and doc["experiment"] == "matmul"
    assert timing.matmul_numbers(
        doc, [{**doc, "device": "cuda"}], [])["mm-razon-float32"] == "1"


def test_tf32_needs_a_gpu_for_keras_too():
    with pytest.raises(ValueError, match="tf32"):
        timing.matmul_throughput((8,), framework="keras", dtypes=("tf32",))


def test_tables_use_spanish_numbers():
    recorded = timing.recorded_results("cnn")
    table = timing.table_markdown(timing.comparison_table(recorded))
    assert "\u202f" in table and "." not in table.split("|")[-2]


def test_keras_data_parallelism_is_recorded_as_jax(monkeypatch):
    """El paralelismo de datos de Keras corre con JAX, sea cual sea
    ``KERAS_BACKEND``: el documento y el archivo grabado lo dicen."""
    monkeypatch.setenv("KERAS_BACKEND", "tensorflow")
    doc = timing.document("paralelo", "keras", "cpu", {}, [])
    assert doc["backend"] == "jax"
    assert timing.framework_name(doc) == "Keras (JAX)"
    (name,) = timing.gpu_jobs("paralelo", "keras", device="cpu")
    assert name == "paralelo_keras_jax_cpu.json"
    (name,) = timing.gpu_jobs("cnn", "torch", device="cpu")
    assert name == "cnn_torch_cpu.json"


def test_torch_cnn_step_is_the_trained_step_of_the_recipe():
    """El paso medido es el de ``fit`` con la receta «mnist_cnn»:
    entropía cruzada sobre logits (el modelo de PyTorch no termina en
    softmax) y el Adam de la receta (ε = 1e-7, el de Keras), comparado
    con un paso de ``torch.optim.Adam`` escrito aquí."""
    import torch

    from esenciales.runs import recipes
    from esenciales.timing import experiments
    from esenciales.torch.models import mnist_cnn

    recipe = recipes.get("mnist_cnn")
    step, _ = experiments.torch_training_step(recipe, 4, "cpu")
    loss_sum = step().item()
    torch.manual_seed(0)
    model = mnist_cnn()
    x, y = experiments.random_batch(4, (1, 28, 28))
    x, y = torch.from_numpy(x), torch.from_numpy(y)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-7)
    loss = torch.nn.functional.cross_entropy(model(x), y)
    assert loss_sum / 4 == pytest.approx(loss.item(), rel=1e-5)
    loss.backward()
    optimizer.step()
    for _ in range(2):  # dos pasos más: los momentos de Adam cuentan
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()
        step()
    after = torch.nn.functional.cross_entropy(model(x), y).item()
    assert step().item() / 4 == pytest.approx(after, rel=1e-4)
