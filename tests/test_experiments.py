"""Pruebas de los experimentos del libro, en tamaños diminutos."""

import json
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest

from esenciales.runs import experiments

HISTORY_KEYS = {"loss", "accuracy", "val_loss", "val_accuracy"}

TINY = experiments.Setting(n_train=64, n_val=64, epochs=2, batch_size=32)


@pytest.fixture
def private_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("ESENCIALES_CACHE", str(tmp_path))
    return tmp_path


def test_importing_experiments_does_not_import_frameworks():
    code = ("import sys, esenciales.runs.experiments; "
            "print('torch' in sys.modules, 'tensorflow' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True,
                         text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_subsets_are_nested_per_seed_and_digits_are_renumbered():
    x_small, y_small = experiments.mnist_subset(50, seed=3)
    x_big, y_big = experiments.mnist_subset(100, seed=3)
    np.testing.assert_array_equal(x_big[:50], x_small)
    np.testing.assert_array_equal(y_big[:50], y_small)
    x_other, _ = experiments.mnist_subset(50, seed=4)
    assert not np.array_equal(x_other, x_small)     # otra semilla, otros
    _, y_high = experiments.mnist_subset(200, digits=(5, 6, 7, 8, 9))
    assert set(y_high) == {0, 1, 2, 3, 4}
    x_val, _ = experiments.validation_subset(10)
    (x_all, _), _ = experiments.datasets.load_mnist()
    np.testing.assert_array_equal(x_val, x_all[50_000:50_010])
    _, y_test = experiments.test_subset(digits=(5, 6, 7, 8, 9))
    assert len(y_test) == 4861 and set(y_test) == {0, 1, 2, 3, 4}
    with pytest.raises(ValueError, match="solo hay"):
        experiments.mnist_subset(60_000)


def test_mean_std_is_the_sample_standard_deviation():
    mean, std = experiments.mean_std([0.8, 0.9, 1.0])
    assert mean == pytest.approx(0.9)
    assert std == pytest.approx(0.1)             # con n − 1, no con n
    assert experiments.mean_std([0.7]) == (0.7, 0.0)


def test_effect_pairs_the_seeds_and_says_when_it_is_within_the_spread():
    def runs(values):
        return [{"test_accuracy": v} for v in values]

    clear = experiments.effect({"baseline": runs([0.80, 0.90, 0.85]),
                                "technique": runs([0.82, 0.92, 0.87])})
    # Las medias difieren menos que la dispersión de cada variante, pero
    # semilla por semilla la técnica gana siempre 0,02.
    assert clear["difference"]["mean"] == pytest.approx(0.02)
    assert clear["difference"]["std"] == pytest.approx(0.0, abs=1e-12)
    assert clear["baseline"]["std"] == pytest.approx(0.05)
    assert not clear["within_spread"]
    noisy = experiments.effect({"baseline": runs([0.80, 0.90]),
                                "technique": runs([0.90, 0.81])})
    assert noisy["within_spread"]
    with pytest.raises(ValueError, match="mismas semillas"):
        experiments.effect({"baseline": runs([0.8]),
                            "technique": runs([0.8, 0.9])})


def test_curve_bands_average_runs_of_different_lengths():
    runs = [{"history": {"loss": [3.0, 2.0, 1.0]}},
            {"history": {"loss": [1.0, 0.0]}}]
    epochs, means, stds = experiments.curve_bands(runs, "loss")
    assert epochs == [1, 2, 3]
    assert means == [2.0, 1.0, 1.0]
    assert stds[0] == pytest.approx(np.std([3.0, 1.0], ddof=1))
    assert stds[2] == 0.0                # solo una corrida llegó ahí


def test_cross_entropy_and_accuracy_from_probabilities():
    p = np.array([[0.9, 0.1], [0.2, 0.8], [0.6, 0.4]])
    y = np.array([0, 1, 1])
    assert experiments.accuracy(p, y) == pytest.approx(2 / 3)
    expected = -np.mean(np.log([0.9, 0.8, 0.4]))
    assert experiments.cross_entropy(p, y) == pytest.approx(expected)


@pytest.mark.parametrize("framework", ["torch", "keras"])
def test_train_returns_history_and_test_scores(framework):
    run = experiments.train(replace(TINY, framework=framework), seed=0)
    assert HISTORY_KEYS <= set(run["history"])
    assert all(len(run["history"][k]) == 2 for k in HISTORY_KEYS)
    assert 0.0 <= run["test_accuracy"] <= 1.0 and run["test_loss"] > 0
    assert run["epochs"] == 2 and run["restored_epoch"] is None
    assert run["best_epoch"] in (1, 2)


def test_the_seed_is_honoured():
    first = experiments.train(TINY, seed=1)
    again = experiments.train(TINY, seed=1)
    other = experiments.train(TINY, seed=2)
    assert first["history"]["loss"] == again["history"]["loss"]
    assert first["test_accuracy"] == again["test_accuracy"]
    assert first["history"]["loss"] != other["history"]["loss"]


@pytest.mark.parametrize("framework", ["torch", "keras"])
def test_early_stopping_reports_the_test_accuracy_of_the_restored_epoch(
        framework):
    setting = replace(TINY, epochs=30, patience=2, learning_rate=0.05,
                      n_train=200, framework=framework)
    run = experiments.train(setting, seed=0)
    val_loss = run["history"]["val_loss"]
    # Se detuvo: la pérdida de validación no mejoró en las 2 últimas.
    assert run["epochs"] < 30
    assert run["restored_epoch"] == run["epochs"] - 2
    assert run["restored_epoch"] == 1 + int(np.argmin(val_loss))
    # La prueba se mide con los pesos restaurados: su exactitud de
    # validación debe ser la de la época restaurada, no la de la última.
    fw = experiments.load_framework(framework)
    restored = run["history"]["val_accuracy"][run["restored_epoch"] - 1]
    x_val, y_val = experiments.validation_subset(64)
    probabilities = fw.training.predict(
        run["model"], experiments.prepared(fw, setting, x_val))
    assert experiments.accuracy(probabilities, y_val) == \
        pytest.approx(restored, abs=1e-6)


def test_cached_runs_are_keyed_by_setting_and_seed(private_cache):
    first = experiments.run_seeds(TINY, seeds=(0, 1))
    files = sorted(private_cache.rglob("experimento-*.json"))
    assert len(files) == 2
    assert "model" not in json.loads(files[0].read_text())
    again = experiments.run_seeds(TINY, seeds=(0, 1))
    assert again == first                  # leído de la caché
    experiments.run_seeds(replace(TINY, dropout=0.5), seeds=(0,))
    assert len(sorted(private_cache.rglob("experimento-*.json"))) == 3


def test_transfer_reuses_a_cached_frozen_base(private_cache):
    source = replace(TINY, model="cnn", digits=experiments.OLD_DIGITS)
    target = replace(TINY, model="cnn", digits=experiments.NEW_DIGITS,
                     n_train=32, source=source)
    run = experiments.cached_run(target, seed=0)
    assert 0.0 <= run["test_accuracy"] <= 1.0
    assert len(list(private_cache.rglob("base-*"))) == 2  # pesos y registro
    fw = experiments.load_framework("torch")
    base = experiments.pretrained_model(source)
    model = experiments.build_model(fw, target, base)
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    assert trainable == 32 * 13 * 13 * 5 + 5   # solo la cabeza nueva


def test_every_comparison_has_seeds_and_a_known_metric():
    for name, comparison in experiments.COMPARISONS.items():
        assert len(comparison.seeds) >= 3, name
        assert comparison.metric in experiments.FIGURES, name
        assert comparison.baseline != comparison.technique, name
    with pytest.raises(ValueError, match="No existe la comparación"):
        experiments.compare("magia")


def test_data_vs_performance_returns_one_row_per_seed(private_cache):
    rows = experiments.data_vs_performance(
        sizes=(60, 120), models=("logistic_regression", "knn", "mlp"),
        seeds=(0, 1), n_test=200)
    assert len(rows) == 2 * 3 * 2
    assert {(r["model"], r["n_train"], r["seed"]) for r in rows} == {
        (m, n, s) for m in ("logistic_regression", "knn", "mlp")
        for n in (60, 120) for s in (0, 1)}
    assert all(0.0 <= r["accuracy"] <= 1.0 for r in rows)
    summary = experiments.data_summary(rows)
    logistic = [p for p in summary if p["model"] == "logistic_regression"]
    assert [point["n_train"] for point in logistic] == [60, 120]
    assert all(point["runs"] == 2 for point in logistic)
    assert logistic[-1]["accuracy"] > 0.5     # muy por sobre el azar (0,1)


def test_data_vs_performance_limits_seeds_and_the_svm():
    assert experiments.seeds_for("svm", 60_000, (0, 1, 2)) == ()
    assert experiments.seeds_for("svm", 10_000, (0, 1, 2)) == (0,)
    assert experiments.seeds_for("cnn", 60_000, (0, 1, 2)) == (0,)
    assert experiments.seeds_for("knn", 1000, (0, 1, 2)) == (0, 1, 2)
    with pytest.raises(ValueError, match="Modelos desconocidos"):
        experiments.data_vs_performance(models=("xgboost",))
    with pytest.raises(ValueError, match="Framework desconocido"):
        experiments.data_vs_performance(framework="jax")


def test_deep_epochs_give_enough_steps_and_at_least_one_epoch():
    assert experiments.deep_epochs(100) == 100
    assert experiments.deep_epochs(1000) == 13
    assert experiments.deep_epochs(60_000) == 1


def _fake_runs(base, tech):
    def run(accuracy):
        return {"test_accuracy": accuracy, "test_loss": 1 - accuracy,
                "epochs": 40, "best_epoch": 10,
                "history": {"accuracy": [accuracy, 1.0],
                            "val_accuracy": [accuracy, accuracy],
                            "loss": [1.0, 0.1], "val_loss": [0.5, 0.6]}}
    return {"baseline": [run(a) for a in base],
            "technique": [run(a) for a in tech]}


def test_comparison_table_and_numbers_speak_spanish():
    runs = _fake_runs([0.88, 0.89, 0.90], [0.90, 0.91, 0.92])
    table = experiments.comparison_table("dropout", runs)
    assert "| línea base | 89,0 ± 1,0\u00a0% |" in table
    assert "+2,0 ± 0,0 puntos" in table
    assert "3 semillas" in table
    numbers = experiments.comparison_numbers("dropout", runs)
    assert numbers["dropout_test_accuracy_tech"] == "91,0 ± 1,0\u00a0%"
    assert numbers["dropout_test_loss_diff"] == "−0,020 ± 0,000"
    assert numbers["dropout_test_accuracy_verdict"] == \
        "fuera de la dispersión entre semillas"
    assert experiments.conclusion("transfer", runs).startswith(
        "La transferencia mejora")
    bands = experiments.comparison_curves("dropout", runs, "loss")
    assert list(bands) == ["línea base", "línea base (validación)",
                           "con dropout", "con dropout (validación)"]
    results = {"dropout": runs, "l2": _fake_runs([0.8, 0.9], [0.9, 0.8])}
    assert experiments.accuracy_verdicts(results) == ("dropout", "L2")
    assert "| dropout |" in experiments.summary_table(results)


def test_data_numbers_find_the_crossing_and_the_last_gain():
    rows = [{"model": m, "n_train": n, "seed": 0, "accuracy": a}
            for m, accs in (("logistic_regression", (0.70, 0.85, 0.86)),
                            ("svm", (0.72, 0.90)),
                            ("cnn", (0.65, 0.92, 0.98)))
            for n, a in zip((100, 10_000, 60_000), accs)]
    summary = experiments.data_summary(rows)
    numbers = experiments.data_numbers(summary)
    assert numbers["dvp_large"] == "60\u202f000"
    assert numbers["dvp_best_small"] == "SVM (kernel RBF)"
    assert numbers["dvp_cnn_first"] == "10\u202f000"
    assert numbers["dvp_logistic_regression_gain"] == "1,0"
    assert numbers["dvp_svm_max"] == "10\u202f000"
    assert numbers["dvp_flattest"] == "regresión logística"
    table = experiments.data_table(summary)
    assert "| SVM (kernel RBF) | 72,0 | 90,0 | — |" in table


def test_learning_rate_schedule_is_per_step():
    assert experiments.learning_rate_schedule(TINY, 10) is None
    constant = experiments.learning_rate_schedule(
        replace(TINY, learning_rate=0.01), 10)
    assert constant(0) == constant(19) == 0.01
    warm = experiments.learning_rate_schedule(
        replace(TINY, learning_rate=0.01, warmup_epochs=1, epochs=2), 10)
    assert warm(0) == pytest.approx(0.001)      # sube desde casi cero
    assert warm(9) == pytest.approx(0.01)       # tope al final de la época
    assert warm(19) < 0.001                     # y baja como coseno


def test_the_minimal_mlp_learns_a_label_that_depends_on_x(private_cache):
    run = experiments.learnable_minimal(seed=0, n=1200, epochs=10)
    assert run["test_accuracy"] > 0.75         # el azar da 0,5
    assert experiments.learnable_minimal(seed=0, n=1200, epochs=10) == run
