"""Las recetas: perillas a la vista, validadas, y la clave de la caché."""

import math

import pytest

from esenciales.frameworks import FRAMEWORKS, framework_module
from esenciales.runs import cache, recipes
from esenciales.runs.schedules import warmup_cosine
from esenciales.runs.training import (DATA, MODEL_MODULES,
                                      learning_rate_schedule)


@pytest.mark.parametrize("name", recipes.names())
def test_every_recipe_builds_in_both_frameworks(name):
    recipe = recipes.get(name)
    assert recipe.data in DATA
    for framework in FRAMEWORKS:
        modules = [framework_module(framework, module)
                   for module in MODEL_MODULES]
        assert any(callable(getattr(m, recipe.model, None))
                   for m in modules)


def test_one_name_per_model():
    """La receta de cada modelo del libro se llama como el modelo."""
    book = ("mlp_minimal", "mlp", "mnist_cnn", "cnn", "lstm_classifier",
            "transformer_classifier", "autoencoder", "vae")
    for name in book:
        assert recipes.get(name).model == name
    assert len(set(recipes.names())) == len(recipes.RECIPES)


def test_get_accepts_a_recipe_and_rejects_unknown_names():
    recipe = recipes.get("mnist_cnn")
    assert recipes.get(recipe) is recipe
    with pytest.raises(ValueError, match="Receta desconocida: «cnn_mnist»"):
        recipes.get("cnn_mnist")


def test_replace_changes_only_what_is_asked():
    base = recipes.get("mnist_cnn")
    changed = base.replace(learning_rate=1e-3, epochs=2)
    assert (changed.learning_rate, changed.epochs) == (1e-3, 2)
    assert changed.batch_size == base.batch_size
    assert base.learning_rate == 3e-3  # la receta original no cambia
    with pytest.raises(Exception):
        base.epochs = 3  # inmutable


@pytest.mark.parametrize("overrides, message", [
    ({"lr": 1e-3}, "no tiene el campo «lr»"),
    ({"epochs": 0}, "epochs debe ser mayor que 0"),
    ({"epochs": 2.5}, "epochs debe ser un entero"),
    ({"batch_size": True}, "batch_size debe ser un entero"),
    ({"learning_rate": -1.0}, "no puede ser negativo"),
    ({"validation_split": 1.0}, "fracción menor que 1"),
    ({"schedule": "lineal"}, "calendario desconocido «lineal»"),
    ({"warmup_epochs": 9}, "supera epochs"),
    ({"n_train": "mil"}, "n_train debe ser un entero"),
])
def test_impossible_values_are_refused_in_spanish(overrides, message):
    with pytest.raises(ValueError, match=message):
        recipes.get("mnist_cnn").replace(**overrides)


def test_as_dict_is_json_ready_and_field_types_guide_parsing():
    record = recipes.get("lstm_classifier").as_dict()
    assert record["model_kwargs"] == {"vocab_size": recipes.IMDB_WORDS}
    assert record["metrics"] == ["accuracy"]
    assert list(record) == recipes.field_names()
    assert recipes.field_type("n_train") is int
    assert recipes.field_type("learning_rate") is float
    assert recipes.field_type("schedule") is str


def test_constant_schedule_is_the_learning_rate_at_every_step():
    schedule = learning_rate_schedule(
        recipes.get("mlp").replace(learning_rate=0.02), 1000)
    assert {schedule(step) for step in range(0, 500, 7)} == {0.02}


def test_warmup_cosine_schedule_counts_batches():
    """1 época de calentamiento de 1000 ejemplos en lotes de 100: 10 pasos
    hasta la tasa máxima, luego coseno hasta el paso 50 (5 épocas)."""
    recipe = recipes.get("mnist_cnn").replace(batch_size=100, epochs=5,
                                              min_learning_rate=1e-4)
    schedule = learning_rate_schedule(recipe, 1000)
    assert schedule(0) == pytest.approx(3e-3 / 10)
    assert schedule(9) == pytest.approx(3e-3)
    assert schedule(10) == pytest.approx(3e-3)
    middle = 1e-4 + (3e-3 - 1e-4) * 0.5 * (1 + math.cos(math.pi * 0.5))
    assert schedule(30) == pytest.approx(middle)
    assert schedule(50) == pytest.approx(1e-4)
    assert [schedule(s) for s in range(50)] == \
        [warmup_cosine(s, 3e-3, 10, 50, 1e-4) for s in range(50)]


def test_cache_key_follows_every_knob_but_not_the_description():
    recipe = recipes.get("mnist_cnn")
    key = cache.recipe_key(recipe, "torch")
    assert key.startswith("mnist_cnn-torch-")
    assert cache.recipe_key(recipe, "torch") == key
    assert cache.recipe_key(recipe.replace(description="otra"),
                            "torch") == key
    assert cache.recipe_key(recipe, "keras") != key
    # Un cambio por campo (todos menos el nombre y la descripción).
    changes = {
        "model": {"model": "regularized_cnn"},
        "data": {"data": "fashion_mnist32"},
        "model_kwargs": {"model_kwargs": {"dropout": 0.5}},
        "n_train": {"n_train": 100}, "n_test": {"n_test": 100},
        "digits": {"digits": (5, 6)},
        "validation_split": {"validation_split": 0.2},
        "n_validation": {"validation_split": 0.0, "n_validation": 500},
        "epochs": {"epochs": 4}, "batch_size": {"batch_size": 64},
        "optimizer": {"optimizer": "sgd"},
        "learning_rate": {"learning_rate": 1e-3},
        "schedule": {"schedule": "constant"},
        "warmup_epochs": {"warmup_epochs": 2.0},
        "min_learning_rate": {"min_learning_rate": 1e-5},
        "loss": {"loss": "categorical_crossentropy"},
        "metrics": {"metrics": ()}, "patience": {"patience": 3},
        "source": {"source": "cnn_digits_0_4"}, "seed": {"seed": 1},
    }
    assert set(changes) == set(recipes.field_names()) - {"name",
                                                         "description"}
    keys = {cache.recipe_key(recipe.replace(**change), "torch")
            for change in changes.values()}
    assert len(keys) == len(changes) and key not in keys
    # La receta de origen entra en la clave con todas sus perillas.
    target = recipes.get("cnn_digits_5_9").replace(source="cnn_digits_0_4")
    other_source = target.replace(
        source=recipes.get("cnn_digits_0_4").replace(epochs=3))
    assert cache.recipe_key(target, "torch") != \
        cache.recipe_key(other_source, "torch")
    assert cache.recipe_key(target, "torch") == cache.recipe_key(
        target.replace(source=target.source.replace(description="x")),
        "torch")


def test_the_new_fields_are_checked_and_travel_through_json():
    recipe = recipes.get("cnn_digits_5_9").replace(
        source="cnn_digits_0_4", digits=("5", "6"))
    assert recipe.digits == (5, 6)
    assert recipe.source == recipes.get("cnn_digits_0_4")
    assert recipes.from_dict(recipe.as_dict()) == recipe
    with pytest.raises(ValueError, match="no las dos"):
        recipe.replace(validation_split=0.1)
    with pytest.raises(ValueError, match="en orden y sin repetir"):
        recipe.replace(digits=(6, 5))
    with pytest.raises(ValueError, match="vigila la validación"):
        recipes.get("mlp").replace(patience=3)
    with pytest.raises(ValueError, match="Receta desconocida"):
        recipe.replace(source="resnet")


def test_code_hash_ignores_docstrings_but_not_code():
    code = 'def f(x):\n    """Doble."""\n    return 2 * x\n'
    same = ('"""Módulo."""\n\n\ndef f(x):\n    """El doble de x, '
            'con otras palabras."""\n    # comentario\n    return 2 * x\n')
    other = 'def f(x):\n    """Doble."""\n    return 3 * x\n'
    assert cache.code_only(code) == cache.code_only(same)
    assert cache.code_only(code) != cache.code_only(other)


def test_code_hash_changes_with_the_training_code(tmp_path, monkeypatch):
    import shutil
    from pathlib import Path

    import esenciales

    copy = tmp_path / "esenciales"
    shutil.copytree(Path(esenciales.__file__).parent, copy,
                    ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(cache, "__file__", str(copy / "runs" / "cache.py"))
    before, keras_before = cache.code_hash("torch"), cache.code_hash("keras")
    models = copy / "torch" / "models.py"
    models.write_text(models.read_text() + '\n"""Solo un texto."""\n')
    assert cache.code_hash("torch") == before
    models.write_text(models.read_text() + "\nEXTRA = 1\n")
    assert cache.code_hash("torch") != before
    assert cache.code_hash("keras") == keras_before  # el gemelo no cambió


# --------------------------------------------------------------------------
# Entrenar por receta (pocos ejemplos: segundos)


def tiny(name, **overrides):
    """La receta ``name`` con pocos ejemplos, para probar en segundos."""
    return recipes.get(name).replace(n_train=256, n_test=64, epochs=2,
                                     **overrides)


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_train_follows_the_recipe_schedule_batch_by_batch(framework):
    """La tasa que usó el optimizador, lote a lote, es la de la receta."""
    from esenciales.runs.training import train

    recipe = tiny("mnist_cnn", batch_size=32)
    result = train(recipe, framework)
    used = result.history["learning_rate_per_step"]
    n_fit = math.floor(256 * (1 - recipe.validation_split))
    expected = learning_rate_schedule(recipe, n_fit)
    assert len(used) == 2 * math.ceil(n_fit / 32)
    assert used == pytest.approx([expected(s) for s in range(len(used))],
                                 rel=1e-5)
    assert max(used) == pytest.approx(3e-3, rel=1e-5)
    assert len(result.history["val_accuracy"]) == 2
    # La exactitud de prueba, contra las predicciones del modelo devuelto
    # sobre los datos de prueba de la receta (NumPy).
    import numpy as np

    from esenciales.runs.training import load_data

    x_test, y_test = load_data(recipe, framework).test
    predict = framework_module(framework, "training").predict
    predicted = predict(result.model, x_test).argmax(axis=1)
    assert result.test["accuracy"] == pytest.approx(
        np.mean(predicted == y_test), abs=1e-6)
    # Entrenan los 230 que deja el 10 % de validación, no los 256.
    assert (result.n_train, result.n_validation, result.n_test) == \
        (n_fit, 256 - n_fit, 64) == (230, 26, 64)
    assert result.record()["recipe"]["learning_rate"] == 3e-3


@pytest.mark.parametrize("framework", FRAMEWORKS)
def test_constant_learning_rate_reaches_the_optimizer(framework):
    from esenciales.runs.training import train

    result = train(tiny("mlp", learning_rate=0.05), framework)
    used = result.history["learning_rate_per_step"]
    assert used == pytest.approx([0.05] * 4) and len(used) == 2 * 2


def test_trained_trains_once_per_recipe(private_cache, monkeypatch):
    import numpy as np

    from esenciales.runs import training

    calls = []
    real_train = training.train
    monkeypatch.setattr(training, "train",
                        lambda *a, **k: calls.append(a) or real_train(*a,
                                                                      **k))
    recipe = tiny("mlp")
    first = training.trained(recipe, "torch")
    again = training.trained(recipe, "torch")
    assert len(calls) == 1
    assert again.history == first.history and again.test == first.test
    x = np.random.default_rng(0).random((5, 784)).astype("float32")
    predict = framework_module("torch", "training").predict
    np.testing.assert_allclose(predict(first.model, x),
                               predict(again.model, x), atol=1e-6)
    training.trained(recipe.replace(learning_rate=2e-3), "torch")
    assert len(calls) == 2  # otra perilla, otra entrada
    entries = sorted(p.name for p in (private_cache / "resultados").iterdir())
    assert len(entries) == 4 and all(e.startswith("mlp-torch-")
                                     for e in entries)
