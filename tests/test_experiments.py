"""Pruebas de los experimentos del libro, en tamaños diminutos."""

import subprocess
import sys

import numpy as np
import pytest

from esenciales.runs import experiments

HISTORY_KEYS = {"loss", "accuracy", "val_loss", "val_accuracy"}


def test_importing_experiments_does_not_import_frameworks():
    code = ("import sys, esenciales.runs.experiments; "
            "print('torch' in sys.modules, 'tensorflow' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True,
                         text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_subsets_are_nested_and_digits_are_renumbered():
    x_small, y_small = experiments.mnist_subset(50)
    x_big, y_big = experiments.mnist_subset(100)
    np.testing.assert_array_equal(x_big[:50], x_small)
    np.testing.assert_array_equal(y_big[:50], y_small)
    _, y_high = experiments.mnist_subset(200, digits=[5, 6, 7, 8, 9])
    assert set(y_high) == {0, 1, 2, 3, 4}
    x_val, _ = experiments.validation_subset(10)
    (x_all, _), _ = experiments.datasets.load_mnist()
    np.testing.assert_array_equal(x_val, x_all[50_000:50_010])
    with pytest.raises(ValueError, match="solo hay"):
        experiments.mnist_subset(60_000)


def test_data_vs_performance_returns_a_tidy_table():
    rows = experiments.data_vs_performance(sizes=(60, 120), n_test=200)
    assert len(rows) == 2 * 5
    assert [r["n_train"] for r in rows] == [60] * 5 + [120] * 5
    assert [r["model"] for r in rows[:5]] == list(experiments.MODEL_LABELS)
    for row in rows:
        assert set(row) == {"model", "n_train", "accuracy", "seconds"}
        assert 0.0 <= row["accuracy"] <= 1.0 and row["seconds"] > 0
    logistic = [r for r in rows if r["model"] == "logistic_regression"]
    assert logistic[-1]["accuracy"] > 0.5  # muy por sobre el azar (0,1)


def test_data_vs_performance_in_keras_and_bad_names():
    rows = experiments.data_vs_performance(
        sizes=(60,), models=("mlp",), framework="keras", n_test=100)
    assert [(r["model"], r["n_train"]) for r in rows] == [("mlp", 60)]
    with pytest.raises(ValueError, match="Modelos desconocidos"):
        experiments.data_vs_performance(models=("xgboost",))
    with pytest.raises(ValueError, match="Framework desconocido"):
        experiments.data_vs_performance(framework="jax")


TECHNIQUES = [
    (experiments.dropout_experiment, ("sin dropout", "con dropout")),
    (experiments.weight_decay_experiment, ("sin L2", "con L2")),
    (experiments.batch_norm_experiment, ("sin batch norm",
                                         "con batch norm")),
    (experiments.early_stopping_experiment, ("sin parada temprana",
                                             "con parada temprana")),
    (experiments.augmentation_experiment, ("sin aumento", "con aumento")),
]


@pytest.mark.parametrize("experiment, labels", TECHNIQUES)
def test_technique_experiments_return_curves_with_and_without(experiment,
                                                              labels):
    result = experiment(framework="torch", n_train=64, epochs=2)
    assert tuple(result) == labels
    for history in result.values():
        assert set(history) == HISTORY_KEYS
        assert all(1 <= len(v) <= 2 for v in history.values())


def test_transfer_learning_experiment_in_both_frameworks():
    for framework in ("torch", "keras"):
        result = experiments.transfer_learning_experiment(
            framework=framework, n_pretrain=128, n_train=32, epochs=2)
        assert tuple(result) == ("desde cero", "transferencia")
        assert all(len(h["val_accuracy"]) == 2 for h in result.values())


def test_keras_technique_experiment():
    result = experiments.dropout_experiment(framework="keras", n_train=64,
                                            epochs=2)
    assert all(set(h) == HISTORY_KEYS for h in result.values())


@pytest.mark.parametrize("framework", ["torch", "keras"])
def test_train_mnist_cnn_returns_model_history_and_figures(framework):
    out = experiments.train_mnist_cnn(framework, epochs=1, n_train=300)
    assert set(out) == {"model", "history", "test_accuracy",
                        "seconds_per_epoch"}
    assert len(out["history"]["val_accuracy"]) == 1
    assert 0.0 <= out["test_accuracy"] <= 1.0
    assert out["seconds_per_epoch"] > 0


@pytest.mark.slow
def test_dropout_lowers_the_validation_loss_on_real_mnist():
    result = experiments.dropout_experiment(framework="torch")
    without, with_dropout = result["sin dropout"], result["con dropout"]
    assert without["accuracy"][-1] > 0.99          # memoriza
    assert with_dropout["val_loss"][-1] < without["val_loss"][-1]


@pytest.mark.slow
def test_transfer_learns_the_new_digits_training_only_the_head():
    result = experiments.transfer_learning_experiment(framework="torch")
    scratch = result["desde cero"]["val_accuracy"][-1]
    transfer = result["transferencia"]["val_accuracy"][-1]
    assert transfer > 0.8              # cinco clases: el azar es 0,2
    assert transfer > scratch - 0.05   # tan bien, o casi, como desde cero
