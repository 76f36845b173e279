"""Paralelismo de datos y de modelo: procesos (gloo) y dispositivos de JAX.

Cada prueba distribuida corre en un subproceso con tiempo límite (ver
``esenciales.isolated``): una réplica que falla o se cuelga termina en
``TaskError``, nunca en una prueba colgada. El oráculo es el mismo
cálculo sin repartir, en float64.
"""

import importlib.util
import os
import sys
import time

import pytest

from esenciales import isolated, spanish
from esenciales.timing import parallel as parallel_timing
from esenciales.keras import parallel as keras_parallel
from esenciales.torch import parallel as torch_parallel

TOLERANCE = 1e-6
"""Lo que pide el libro en float64 (lo medido ronda 1e-16)."""

# --- PyTorch: procesos con gloo ------------------------------------------

@pytest.fixture(scope="module")
def torch_report():
    return torch_parallel.parallelism_report(replicas=2, steps=2)


def test_torch_two_processes_reach_the_weights_of_one(torch_report):
    data = torch_report["data"]
    assert (data["replicas"], data["steps"], data["batch_size"]) == (2, 4, 64)
    assert data["dtype"] == "float64"
    # Los pesos se movieron de verdad: la igualdad no es trivial.
    assert data["update_size"] > 1e-3
    assert data["max_abs_diff"] <= TOLERANCE


def test_torch_every_rank_holds_identical_weights(torch_report):
    assert torch_report["data"]["replica_spread"] == 0.0


def test_torch_split_mlp_matches_the_whole_layer(torch_report):
    model = torch_report["model"]
    assert model["output_diff"] <= TOLERANCE
    assert model["grad_diff"] <= TOLERANCE
    assert model["full_shapes"] == {
        "0.weight": [16, 20], "0.bias": [16],
        "2.weight": [3, 16], "2.bias": [3]}
    # Cada proceso guarda la mitad de las neuronas ocultas.
    assert model["shard_shapes"] == {
        "output_bias": [3], "hidden.weight": [8, 20],
        "hidden.bias": [8], "output.weight": [3, 8]}


def test_torch_step_times_cover_one_and_two_processes(torch_report):
    single, double = torch_report["times"]
    assert (single["replicas"], double["replicas"]) == (1, 2)
    for row in (single, double):
        assert row["q1_s"] <= row["step_s"] <= row["q3_s"]
        assert row["examples_per_s"] == pytest.approx(256 / row["step_s"])


def test_split_dense_without_a_matching_group_is_refused():
    model = torch_parallel.two_layer_mlp(4, 6, 2)
    with pytest.raises(ValueError, match="grupo tiene 1 procesos"):
        torch_parallel.split_dense(model, shards=2)


def test_a_failing_rank_ends_the_task_instead_of_hanging():
    # 63 no se reparte en 2 réplicas: cada rango lanza ValueError.
    start = time.monotonic()
    with pytest.raises(isolated.TaskError, match="no se reparte"):
        torch_parallel.data_parallel_step_check(replicas=2, steps=1,
                                                batch_size=63)
    assert time.monotonic() - start < torch_parallel.TASK_TIMEOUT


# --- Keras: dispositivos virtuales de JAX --------------------------------

@pytest.fixture(scope="module")
def keras_report():
    if importlib.util.find_spec("jax") is None:
        pytest.skip("JAX no está instalado (extra «jax» de pyproject.toml)")
    return keras_parallel.parallelism_report(replicas=2, steps=2)


def test_keras_data_parallel_matches_one_device(keras_report):
    data = keras_report["data"]
    assert (data["replicas"], data["steps"], data["batch_size"]) == (2, 4, 64)
    assert data["dtype"] == "float64"
    assert data["update_size"] > 1e-3
    assert data["max_abs_diff"] <= TOLERANCE


def test_keras_every_device_holds_identical_weights(keras_report):
    assert keras_report["data"]["replica_spread"] == 0.0


def test_keras_model_parallel_shards_the_weights_it_names(keras_report):
    model = keras_report["model"]
    assert model["output_diff"] <= TOLERANCE
    assert model["grad_diff"] <= TOLERANCE
    # Columnas de la capa oculta, filas de la de salida; el sesgo de
    # salida queda repetido. Una clave del LayoutMap que no calzara con
    # la ruta entera dejaría la forma completa.
    assert model["shard_shapes"] == {
        "mlp/oculta/kernel": [20, 8], "mlp/oculta/bias": [8],
        "mlp/salida/kernel": [8, 3], "mlp/salida/bias": [3]}
    assert model["full_shapes"]["mlp/oculta/kernel"] == [20, 16]


def test_keras_step_times_cover_one_and_two_devices(keras_report):
    single, double = keras_report["times"]
    assert (single["replicas"], double["replicas"]) == (1, 2)
    assert single["q1_s"] <= single["step_s"] <= single["q3_s"]


def test_keras_distribution_needs_the_jax_backend():
    if keras_parallel.keras.backend.backend() == "jax":
        pytest.skip("este proceso ya usa JAX")
    with pytest.raises(RuntimeError, match="KERAS_BACKEND=jax"):
        keras_parallel.train_data_parallel(
            keras_parallel.two_layer_mlp, None, None)


# --- El lanzador: tiempo límite y procesos huérfanos ---------------------

def test_a_task_past_its_time_is_killed_with_its_children(tmp_path):
    pid_file = tmp_path / "hijo.pid"
    script = (
        "import subprocess, sys, time\n"
        "child = subprocess.Popen([sys.executable, '-c',"
        " 'import time; time.sleep(600)'])\n"
        f"open({str(pid_file)!r}, 'w').write(str(child.pid))\n"
        "time.sleep(600)\n")
    with pytest.raises(isolated.TaskError, match="no terminó en 3 s"):
        isolated._run([sys.executable, "-c", script, "tarea"], os.environ,
                      timeout=3)
    child = int(pid_file.read_text())
    time.sleep(0.2)
    assert not process_alive(child)


def process_alive(pid):
    """¿Sigue vivo ``pid``? Un zombi (espera a init) cuenta como muerto."""
    try:
        stat = open(f"/proc/{pid}/stat").read()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def test_a_task_that_fails_reports_its_last_lines():
    command = [sys.executable, "-c",
               "import sys; print('algo salió mal'); sys.exit(3)", "tarea"]
    with pytest.raises(isolated.TaskError, match="código 3"):
        isolated._run(command, os.environ, timeout=60)


def test_free_port_can_be_bound():
    import socket

    port = isolated.free_port()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))
    assert 0 < port < 65536


# --- Tablas del libro ----------------------------------------------------

def fake_report(step_s):
    """Un informe con la forma de ``parallelism_report``."""
    times = [{"replicas": r, "batch_size": 256, "step_s": t,
              "examples_per_s": 256 / t, "cores": 2, "parameters": 407050}
             for r, t in zip((1, 2), step_s)]
    return {"data": {"steps": 4, "batch_size": 64, "max_abs_diff": 2.8e-17,
                     "replica_spread": 0.0, "update_size": 0.03},
            "model": {"output_diff": 1.1e-16, "grad_diff": 0.0,
                      "weights": [["w", [16, 20], [8, 20]]]},
            "times": times}


def test_scientific_notation_in_spanish():
    assert spanish.scientific(2.7755575615628914e-17) == \
        "2,8\u00a0×\u00a010⁻¹⁷"
    assert spanish.scientific(0.0) == "0"
    assert spanish.scientific(1500.0) == "1,5\u00a0×\u00a010³"


def test_book_tables_and_glued_numbers():
    reports = {"Keras": fake_report((0.05, 0.06)),
               "PyTorch": fake_report((0.02, 0.01))}
    table = parallel_timing.equality_table(reports)
    assert "2,8\u00a0×\u00a010⁻¹⁷" in table
    assert "16 × 20" in parallel_timing.shard_table(reports)
    times = parallel_timing.step_time_table(reports)
    assert "2 procesos" in times and "0,50" in times and "1,20" in times
    values = parallel_timing.glue_values(reports)
    assert values["par-razon-torch"] == "0,50"
    assert values["par-veredicto-torch"].startswith("más rápido")
    assert values["par-veredicto-keras"].startswith("más lento")
    assert values["par-megabytes"] == "1,6"
    assert values["par-parametros"] == "407\u202f050"


# --- esenciales entrenar --procesos N ------------------------------------

def test_cli_trains_a_recipe_with_two_processes(capsys):
    from esenciales.cli import main

    code = main(["entrenar", "mlp_minimal", "--framework", "torch",
                 "--procesos", "2", "--epochs", "1", "--limit", "400",
                 "--batch-size", "32", "--device", "cpu"])
    captured = capsys.readouterr()
    assert code == 0
    assert "2 procesos (DDP)" in captured.err
    assert "Resumen: mlp_minimal · PyTorch · 1 época" in captured.out


@pytest.mark.skipif(importlib.util.find_spec("jax") is None,
                    reason="el paralelismo de Keras necesita JAX")
def test_cli_trains_a_keras_recipe_on_two_jax_devices(capsys, tmp_path):
    """``--procesos 2`` con Keras: DataParallel en dos dispositivos de JAX
    simulados en la CPU; los pesos que vuelven del subproceso se cargan
    en un modelo nuevo de este proceso y predicen como el entrenado."""
    import numpy as np

    from esenciales.cli import main
    from esenciales.frameworks import framework_module

    weights = tmp_path / "w.weights.h5"
    code = main(["entrenar", "mlp_minimal", "--framework", "keras",
                 "--procesos", "2", "--epochs", "1", "--limit", "400",
                 "--batch-size", "32", "--device", "cpu",
                 "--save-weights", str(weights)])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert "2 dispositivos (DataParallel con JAX)" in captured.err
    assert "Resumen: mlp_minimal · Keras · 1 época" in captured.out
    models = framework_module("keras", "models")
    trained = framework_module("keras", "weights").load_weights(
        models.mlp_minimal(), weights)
    fresh = models.mlp_minimal()
    assert any(not np.array_equal(a, b) for a, b in
               zip(trained.get_weights(), fresh.get_weights()))


@pytest.mark.skipif(importlib.util.find_spec("jax") is None,
                    reason="el paralelismo de Keras necesita JAX")
def test_keras_two_devices_train_like_one():
    """El oráculo: la misma receta en un solo dispositivo. DataParallel
    parte cada lote en dos y promedia los gradientes: la pérdida de cada
    época y los pesos finales coinciden (float32)."""
    import numpy as np

    from esenciales.runs import parallel, recipes

    recipe = recipes.get("mlp_minimal").replace(
        epochs=2, n_train=256, n_test=64, batch_size=32)
    one, two = (parallel.train_recipe(recipe, "keras", replicas=r,
                                      device="cpu")
                for r in (1, 2))
    assert one.history["loss"][1] != one.history["loss"][0]  # aprende
    np.testing.assert_allclose(two.history["loss"], one.history["loss"],
                               rtol=1e-5)
    for a, b in zip(two.model.get_weights(), one.model.get_weights()):
        np.testing.assert_allclose(a, b, atol=1e-5)


def test_cli_refuses_a_batch_that_does_not_split(capsys):
    from esenciales.cli import main

    code = main(["entrenar", "mlp_minimal", "--framework", "torch",
                 "--procesos", "3", "--batch-size", "32"])
    assert code != 0
    assert "no se reparte en 3 réplicas" in capsys.readouterr().err


def test_live_gpu_timing_asks_only_for_the_gpus_there_are(monkeypatch):
    from esenciales import timing

    asked = {}

    def fake_throughput(framework, replicas, **options):
        asked.update(framework=framework, replicas=replicas, **options)
        return {"origin": "en vivo"}

    monkeypatch.setattr(timing, "live_device", lambda framework: "cuda")
    monkeypatch.setattr(timing, "gpu_replicas", lambda: (1,))
    monkeypatch.setattr(timing, "data_parallel_throughput", fake_throughput)
    assert parallel_timing.gpu_step_times() == [{"origin": "en vivo"}]
    assert asked["replicas"] == (1,) and asked["device"] == "cuda"
