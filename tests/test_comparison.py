"""La comparación de marcos con semillas y el experimento de
inicialización, con pocos datos (segundos)."""

import numpy as np
import pytest
import torch

from esenciales.runs import comparison, initialization, recipes

TINY = {"lstm_classifier": {"n_train": 96, "n_test": 32, "epochs": 1},
        "mnist_cnn": {"n_train": 128, "n_test": 32, "epochs": 1}}


@pytest.fixture
def tiny(tmp_path, monkeypatch):
    monkeypatch.setenv("ESENCIALES_CACHE", str(tmp_path))
    monkeypatch.setattr(comparison, "SUBSETS", TINY)


def test_seeded_changes_only_the_seed_and_the_data():
    recipe = comparison.seeded("lstm_classifier", 2)
    book = recipes.get("lstm_classifier")
    assert recipe.seed == 2
    assert (recipe.n_train, recipe.n_test) == (2000, 2000)
    assert recipe.replace(seed=book.seed, n_train=None,
                          n_test=None) == book


def test_compare_frameworks_gives_one_row_per_framework_and_seed(tiny):
    rows = comparison.compare_frameworks("mnist_cnn", seeds=(0, 1))
    assert [(r["framework"], r["seed"]) for r in rows] == [
        ("keras", 0), ("keras", 1), ("torch", 0), ("torch", 1)]
    for r in rows:                         # aciertos contados de 32
        assert r["test_accuracy"] * 32 == pytest.approx(
            round(r["test_accuracy"] * 32), abs=1e-3)
    torch_runs = [r["history"]["loss"] for r in rows[2:]]
    assert torch_runs[0] != torch_runs[1]  # la semilla cuenta
    again = comparison.compare_frameworks("mnist_cnn", seeds=(0, 1))
    assert again == rows  # de la caché, idénticas


def test_summary_and_the_rule_follow_their_definition():
    rows = [{"framework": fw, "test_accuracy": acc}
            for fw, acc in (("keras", 0.70), ("keras", 0.80),
                            ("keras", 0.75), ("torch", 0.76),
                            ("torch", 0.78), ("torch", 0.77))]
    stats = comparison.summary(rows)
    assert list(stats) == ["keras", "torch"]
    assert stats["keras"]["mean"] == pytest.approx(0.75)
    assert stats["keras"]["std"] == pytest.approx(0.05)  # n − 1
    assert stats["torch"]["values"] == [0.76, 0.78, 0.77]
    difference = comparison.framework_difference(stats)
    # Semilla por semilla: +0,06, −0,02, +0,02; el intervalo cruza el 0.
    assert difference["mean"] == pytest.approx(0.02)
    assert not difference["real"]
    assert "no se distingue del azar" in comparison.verdict("mnist_cnn",
                                                            stats)
    stats["torch"]["values"] = [0.80, 0.90, 0.85]   # +0,10 cada vez
    assert comparison.framework_difference(stats)["real"]


def test_torch_defaults_undo_the_keras_rules():
    from esenciales.torch import models

    torch.manual_seed(0)
    model = initialization.torch_default_init(models.lstm_classifier(1000))
    embedding = model.embedding.weight.detach()
    assert float(embedding.std()) == pytest.approx(1.0, rel=0.05)
    bias = model.lstm.bias_ih_l0.detach()
    assert float(bias.abs().max()) <= 1 / np.sqrt(64)
    assert not model.lstm.bias_hh_l0.requires_grad  # se entrena lo mismo


def test_initialization_experiment_shares_the_comparison_runs(tiny):
    rows = initialization.initialization_experiment(seeds=(0,))
    assert [r["variant"] for r in rows] == ["keras_rules", "torch_defaults"]
    torch_run = comparison.compare_frameworks(
        "lstm_classifier", seeds=(0,))[1]
    assert rows[0]["test_accuracy"] == torch_run["test_accuracy"]
    assert rows[0]["history"] == torch_run["history"]
    assert rows[1]["history"] != rows[0]["history"]
    stats = initialization.summary(rows + rows)
    assert list(stats) == list(initialization.VARIANTS)


def test_table_reads_in_spanish():
    stats = {"mnist_cnn": {
        "keras": {"mean": 0.95, "std": 0.001, "values": [0.949, 0.95, 0.951]},
        "torch": {"mean": 0.94, "std": 0.001,
                  "values": [0.939, 0.94, 0.941]}}}
    text = comparison.table(stats)
    assert "CNN de MNIST, 4000 imágenes" in text
    assert "95,0 ± 0,1\u00a0%" in text and "−1,0 pp" in text
    assert "de −1,0 a −1,0 pp" in text       # −1,0 en cada semilla
    assert text.splitlines()[-1].endswith("| sí |")
