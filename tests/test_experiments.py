"""Pruebas de los experimentos del libro, en tamaños diminutos."""

import numpy as np
import pytest

from esenciales.frameworks import framework_module
from esenciales.runs import (data_size, minimal_mlp, recipes, stats,
                             techniques, training)

HISTORY_KEYS = {"loss", "accuracy", "val_loss", "val_accuracy"}

TINY = recipes.get("mlp_overfitting").replace(
    n_train=64, n_validation=64, n_test=500, epochs=2, batch_size=32)


def _selected(**overrides):
    (x, y), (x_test, y_test) = data_size.datasets.load_mnist()
    recipe = TINY.replace(**overrides)
    return training.select(recipe, (x, y), (x_test, y_test)), x, x_test


def test_subsets_are_nested_per_seed_and_digits_are_renumbered():
    small, x_all, x_test = _selected(n_train=50, seed=3)
    big, _, _ = _selected(n_train=100, seed=3)
    np.testing.assert_array_equal(big.train[0][:50], small.train[0])
    np.testing.assert_array_equal(big.train[1][:50], small.train[1])
    other, _, _ = _selected(n_train=50, seed=4)
    assert not np.array_equal(other.train[0], small.train[0])
    # La validación apartada es la misma para toda semilla, y nunca se
    # entrena con ella: el sorteo sale de los primeros 50 000.
    np.testing.assert_array_equal(small.validation[0], x_all[50_000:50_064])
    np.testing.assert_array_equal(other.validation[0], small.validation[0])
    everything, _, _ = _selected(n_train=50_000, seed=3)
    assert {x.tobytes() for x in everything.train[0][:2000]}.isdisjoint(
        {x.tobytes() for x in x_all[50_000:50_100]})
    np.testing.assert_array_equal(small.test[0], x_test[:500])
    high, _, _ = _selected(n_train=200, n_test=None, digits=(5, 6, 7, 8, 9))
    assert set(high.train[1]) == {0, 1, 2, 3, 4}
    assert len(high.test[1]) == 4861 and set(high.test[1]) == {0, 1, 2, 3, 4}
    with pytest.raises(ValueError, match="solo hay"):
        _selected(n_train=50_001)


def test_mean_std_is_the_sample_standard_deviation():
    mean, std = stats.mean_std([0.8, 0.9, 1.0])
    assert mean == pytest.approx(0.9)
    assert std == pytest.approx(0.1)             # con n − 1, no con n
    assert stats.mean_std([0.7]) == (0.7, 0.0)


def test_effect_pairs_the_seeds_and_applies_the_book_rule():
    def runs(values):
        return [{"test": {"accuracy": v}} for v in values]

    clear = techniques.effect({"baseline": runs([0.80, 0.90, 0.85]),
                               "technique": runs([0.82, 0.921, 0.869])})
    # Las medias difieren menos que la dispersión de cada variante, pero
    # semilla por semilla la técnica gana siempre: 0,020, 0,021 y 0,019.
    difference = clear["difference"]
    assert difference["mean"] == pytest.approx(0.02)
    assert difference["std"] == pytest.approx(0.001)
    half = 4.302653 * 0.001 / np.sqrt(3)           # t(0,975; 2 gl)
    assert difference["low"] == pytest.approx(0.02 - half, abs=1e-6)
    assert difference["real"]
    assert clear["baseline"]["std"] == pytest.approx(0.05)
    noisy = techniques.effect({"baseline": runs([0.80, 0.90]),
                               "technique": runs([0.90, 0.81])})
    assert not noisy["difference"]["real"]
    with pytest.raises(ValueError, match="mismas semillas"):
        techniques.effect({"baseline": runs([0.8]),
                           "technique": runs([0.8, 0.9])})


def test_curve_bands_average_runs_of_different_lengths():
    runs = [{"history": {"loss": [3.0, 2.0, 1.0]}},
            {"history": {"loss": [1.0, 0.0]}}]
    epochs, means, stds = techniques.curve_bands(runs, "loss")
    assert epochs == [1, 2, 3]
    assert means == [2.0, 1.0, 1.0]
    assert stds[0] == pytest.approx(np.std([3.0, 1.0], ddof=1))
    assert stds[2] == 0.0                # solo una corrida llegó ahí


@pytest.mark.parametrize("framework", ["torch", "keras"])
def test_train_returns_history_and_test_scores(framework):
    run = training.train(TINY, framework).record()
    assert HISTORY_KEYS <= set(run["history"])
    assert all(len(run["history"][k]) == 2 for k in HISTORY_KEYS)
    # Una exactitud de prueba cuenta aciertos: es k/500 con k entero.
    assert run["test"]["accuracy"] * 500 == pytest.approx(
        round(run["test"]["accuracy"] * 500), abs=1e-3)
    assert run["test"]["loss"] > 0
    assert (run["n_train"], run["n_test"]) == (64, 500)
    assert run["epochs"] == 2 and run["restored_epoch"] is None
    assert run["best_epoch"] in (1, 2)


def test_the_seed_is_honoured():
    first = training.train(TINY.replace(seed=1), "torch")
    again = training.train(TINY.replace(seed=1), "torch")
    other = training.train(TINY.replace(seed=2), "torch")
    assert first.history["loss"] == again.history["loss"]
    assert first.test == again.test
    assert first.history["loss"] != other.history["loss"]


@pytest.mark.parametrize("framework", ["torch", "keras"])
def test_test_loss_leaves_out_the_l2_penalty(framework):
    """Con L2, ``evaluate`` suma la penalización; la prueba no."""
    recipe = TINY.replace(model_kwargs={"l2": 0.1})
    result = training.train(recipe, framework)
    data = training.load_data(recipe, framework)
    x_test, y_test = data.test
    p = framework_module(framework, "training").predict(result.model,
                                                        x_test)
    cross_entropy = -np.mean(np.log(np.clip(
        p[np.arange(len(y_test)), y_test], 1e-7, 1)))
    assert result.test["loss"] == pytest.approx(cross_entropy, rel=1e-4)
    assert result.test["accuracy"] == pytest.approx(
        np.mean(p.argmax(axis=1) == y_test))


@pytest.mark.parametrize("framework", ["torch", "keras"])
def test_early_stopping_reports_the_test_accuracy_of_the_restored_epoch(
        framework):
    recipe = TINY.replace(epochs=30, patience=2, learning_rate=0.05,
                          n_train=200)
    result = training.train(recipe, framework)
    val_loss = result.history["val_loss"]
    # Se detuvo: la pérdida de validación no mejoró en las 2 últimas.
    assert result.epochs < 30
    assert result.restored_epoch == result.epochs - 2
    assert result.restored_epoch == 1 + int(np.argmin(val_loss))
    assert result.record()["restored_epoch"] == result.restored_epoch
    # La prueba se mide con los pesos restaurados: su exactitud de
    # validación es la de la época restaurada, no la de la última.
    restored = result.history["val_accuracy"][result.restored_epoch - 1]
    x_val, y_val = training.load_data(recipe, framework).validation
    p = framework_module(framework, "training").predict(result.model, x_val)
    assert np.mean(p.argmax(axis=1) == y_val) == pytest.approx(restored,
                                                               abs=1e-6)


def test_runs_are_cached_by_recipe_and_seed(private_cache):
    first = techniques.run_seeds(TINY, seeds=(0, 1))
    files = sorted(private_cache.rglob("*.json"))
    assert len(files) == 2 and not list(private_cache.rglob("*.pt"))
    assert [run["recipe"]["seed"] for run in first] == [0, 1]
    again = techniques.run_seeds(TINY, seeds=(0, 1))
    assert again == first                  # leído de la caché
    techniques.run_seeds(
        TINY.replace(model_kwargs={"dropout": 0.5}), seeds=(0,))
    assert len(sorted(private_cache.rglob("*.json"))) == 3


def test_transfer_reuses_a_cached_frozen_base(private_cache):
    source = recipes.get("cnn_digits_0_4").replace(
        n_train=64, n_validation=64, epochs=1)
    target = recipes.get("cnn_digits_5_9").replace(
        n_train=32, n_validation=64, n_test=200, epochs=2, source=source)
    run = techniques.run_seeds(target, seeds=(0,))[0]
    hits = run["test"]["accuracy"] * 200       # aciertos de 200
    assert hits == pytest.approx(round(hits), abs=1e-3)
    assert run["recipe"]["source"]["n_train"] == 64
    base_files = [p for p in private_cache.rglob("cnn_digits_0_4-*")]
    assert len(base_files) == 2                 # pesos y registro
    model = training.build_model(target, "torch")
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    assert trainable == 32 * 13 * 13 * 5 + 5   # solo la cabeza nueva
    techniques.run_seeds(target, seeds=(1,))   # la base no se reentrena
    assert len([p for p in private_cache.rglob("cnn_digits_0_4-*")]) == 2


def test_every_comparison_has_seeds_and_a_known_metric():
    for name, comparison in techniques.COMPARISONS.items():
        assert len(comparison.seeds) >= 3, name
        assert comparison.metric in techniques.FIGURES, name
        assert comparison.baseline != comparison.technique, name
        assert comparison.baseline.name == comparison.technique.name, name
    with pytest.raises(ValueError, match="No existe la comparación"):
        techniques.compare("magia")


def test_data_vs_performance_returns_one_row_per_seed(private_cache):
    rows = data_size.data_vs_performance(
        sizes=(60, 120), models=("logistic_regression", "knn", "mlp"),
        seeds=(0, 1), n_test=200)
    assert len(rows) == 2 * 3 * 2
    assert {(r["model"], r["n_train"], r["seed"]) for r in rows} == {
        (m, n, s) for m in ("logistic_regression", "knn", "mlp")
        for n in (60, 120) for s in (0, 1)}
    for r in rows:                         # aciertos contados de 200
        assert r["accuracy"] * 200 == pytest.approx(
            round(r["accuracy"] * 200), abs=1e-3)
    summary = data_size.data_summary(rows)
    logistic = [p for p in summary if p["model"] == "logistic_regression"]
    assert [point["n_train"] for point in logistic] == [60, 120]
    assert all(point["runs"] == 2 for point in logistic)
    assert logistic[-1]["accuracy"] > 0.5     # muy por sobre el azar (0,1)


def test_data_vs_performance_limits_seeds_and_the_svm():
    assert data_size.seeds_for("svm", 60_000, (0, 1, 2)) == ()
    assert data_size.seeds_for("svm", 10_000, (0, 1, 2)) == (0,)
    assert data_size.seeds_for("cnn", 60_000, (0, 1, 2)) == (0,)
    assert data_size.seeds_for("knn", 1000, (0, 1, 2)) == (0, 1, 2)
    with pytest.raises(ValueError, match="Modelos desconocidos"):
        data_size.data_vs_performance(models=("xgboost",))
    with pytest.raises(ValueError, match="Framework desconocido"):
        data_size.data_vs_performance(framework="jax")


def test_deep_points_are_recipes_and_see_the_classic_images():
    recipe = data_size.deep_recipe("cnn", 300, seed=2)
    assert (recipe.model, recipe.n_train, recipe.seed) == ("mnist_cnn",
                                                           300, 2)
    assert (recipe.schedule, recipe.learning_rate) == ("constant", 1e-3)
    assert recipe.epochs == data_size.deep_epochs(300)
    (x, y), (x_test, _) = data_size.datasets.load_mnist()
    data = training.select(recipe, (x, y), (x_test, y))
    order = np.random.default_rng(2).permutation(60_000)[:300]
    np.testing.assert_array_equal(data.train[0], x[order])


def test_deep_epochs_give_enough_steps_and_at_least_one_epoch():
    assert data_size.deep_epochs(100) == 100
    assert data_size.deep_epochs(1000) == 13
    assert data_size.deep_epochs(60_000) == 1


def _fake_runs(base, tech):
    def run(accuracy):
        return {"test": {"accuracy": accuracy, "loss": 1 - accuracy},
                "epochs": 40, "best_epoch": 10,
                "history": {"accuracy": [accuracy, 1.0],
                            "val_accuracy": [accuracy, accuracy],
                            "loss": [1.0, 0.1], "val_loss": [0.5, 0.6]}}
    return {"baseline": [run(a) for a in base],
            "technique": [run(a) for a in tech]}


def test_comparison_table_and_numbers_speak_spanish():
    runs = _fake_runs([0.88, 0.89, 0.90], [0.90, 0.91, 0.92])
    table = techniques.comparison_table("dropout", runs)
    assert "| línea base | 89,0 ± 1,0\u00a0% |" in table
    assert "| diferencia (media) | +2,0\u00a0puntos |" in table
    assert "3 semillas" in table and "2 grados de libertad" in table
    numbers = techniques.comparison_numbers("dropout", runs)
    assert numbers["dropout_test_accuracy_tech"] == "91,0 ± 1,0\u00a0%"
    assert numbers["dropout_test_loss_diff"] == "−0,020"
    # val_loss [0,5, 0,6]: 0,1 por encima de su mínimo al final.
    assert numbers["dropout_val_loss_rise_base"] == "0,100 ± 0,000"
    assert numbers["dropout_test_accuracy_verdict"].startswith(
        "La exactitud de prueba mejora (sube 2,0\u00a0puntos de media)")
    assert numbers["dropout_test_loss_verdict"].startswith(
        "La entropía cruzada de prueba mejora (baja 0,020 de media)")
    assert techniques.conclusion("transfer", runs) == \
        numbers["dropout_test_accuracy_verdict"]
    bands = techniques.comparison_curves("dropout", runs, "loss")
    assert list(bands) == ["línea base", "línea base (validación)",
                           "con dropout", "con dropout (validación)"]
    results = {"dropout": runs, "l2": _fake_runs([0.8, 0.9], [0.9, 0.8]),
               "early_stopping": _fake_runs([0.9, 0.8], [0.89, 0.79])}
    assert techniques.accuracy_verdicts(results) == (
        "dropout", "L2", "parada temprana")
    assert "| mejora |" in techniques.summary_table(results)
    assert "| dropout |" in techniques.summary_table(results)


def test_data_numbers_rank_with_the_rule_and_find_the_last_gain():
    accuracies = {"logistic_regression": (0.70, 0.85, 0.86),
                  "svm": (0.72, 0.90),
                  "cnn": (0.65, 0.92, 0.98)}
    # Tres semillas con 100 y 10 000 imágenes (la SVM y la CNN apenas se
    # separan con 100: ±0,03 por semilla), una con 60 000.
    jitter = {"logistic_regression": (0.0, 0.01, -0.01),
              "svm": (0.0, 0.03, -0.03), "cnn": (0.0, -0.03, 0.03)}
    rows = [{"model": m, "n_train": n, "seed": s,
             "accuracy": a + (jitter[m][s] if n < 60_000 else 0.0)}
            for m, accs in accuracies.items()
            for n, a in zip((100, 10_000, 60_000), accs)
            for s in (range(3) if n < 60_000 else range(1))]
    summary = data_size.data_summary(rows)
    numbers = data_size.data_numbers(rows, summary)
    assert numbers["dvp_large"] == "60\u202f000"
    small = numbers["dvp_ranking_small"]
    assert small.startswith("Con 100 imágenes, la exactitud de prueba media "
                            "más alta es la de la SVM (72,0\u00a0%)")
    assert "supera a la regresión logística" not in small
    assert "no se distingue del azar frente a" in small
    assert "una sola corrida" in numbers["dvp_ranking_large"]
    assert numbers["dvp_logistic_regression_gain"] == "1,0"
    assert numbers["dvp_svm_max"] == "10\u202f000"
    assert numbers["dvp_flattest"] == "la regresión logística"
    table = data_size.data_table(summary)
    assert "| SVM (kernel RBF) | 72,0 ± 3,0 | 90,0 ± 3,0 | — |" in table


def test_versus_pairs_by_seed():
    rows = [{"model": m, "n_train": 100, "seed": s, "accuracy": a}
            for m, values in (("mlp", (0.80, 0.90, 0.85)),
                              ("knn", (0.78, 0.88, 0.83)),
                              ("svm", (0.85, 0.80, 0.90)))
            for s, a in enumerate(values)]
    groups = data_size.versus(rows, "mlp", ("knn", "svm"), 100)
    # Contra el k-NN gana 0,02 en cada semilla: real aunque las medias
    # difieran menos que la dispersión de cada modelo.
    assert groups["mejora"] == ["el k-NN"]
    assert groups["azar"] == ["la SVM"]
    assert data_size.versus_sentence(rows, "mlp", ("knn", "svm"), 100) == (
        "con 100 imágenes y 3 semillas, el MLP supera al k-NN y no se "
        "distingue del azar frente a la SVM")


def test_classic_cache_key_follows_the_hyperparameters():
    key = data_size.classic_key("logistic_regression", 100, 0, 2000)
    assert key.startswith("datos-logistic_regression-100-s0-p2000-")
    assert key != data_size.classic_key("knn", 100, 0, 2000)


def test_the_minimal_mlp_learns_a_label_that_depends_on_x(private_cache):
    run = minimal_mlp.learnable_minimal(seed=0, n=1200)
    assert run["test_accuracy"] > 0.75         # el azar da 0,5
    assert minimal_mlp.learnable_minimal(seed=0, n=1200) == run
