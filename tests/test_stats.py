"""La regla estadística del libro (esenciales.runs.stats)."""

import math

import numpy as np
import pytest
from scipy import stats as scipy_stats

from esenciales.runs import stats


def test_mean_std_is_the_sample_standard_deviation():
    mean, std = stats.mean_std([0.8, 0.9, 1.0])
    assert mean == pytest.approx(0.9)
    assert std == pytest.approx(0.1)             # con n − 1, no con n
    assert stats.mean_std([0.7]) == (0.7, 0.0)


def test_the_interval_is_the_paired_t_interval_of_scipy():
    rng = np.random.default_rng(0)
    base = rng.normal(0.9, 0.02, 5)
    variant = base + rng.normal(0.01, 0.01, 5)
    difference = stats.paired_difference(base, variant)
    # Oráculo independiente: el intervalo t de SciPy sobre las diferencias.
    d = variant - base
    low, high = scipy_stats.t.interval(0.95, len(d) - 1, loc=d.mean(),
                                       scale=scipy_stats.sem(d))
    assert difference["low"] == pytest.approx(low)
    assert difference["high"] == pytest.approx(high)
    assert difference["n"] == 5
    assert stats.t_quantile(3) == pytest.approx(4.302653, abs=1e-6)


def test_a_difference_is_real_only_when_the_interval_excludes_zero():
    # |media| > desviación (la regla vieja diría «fuera de la dispersión»)
    # pero con 3 semillas t ≈ 1,7 no alcanza: el intervalo cruza el 0.
    loose = stats.paired_difference([0.0, 0.0, 0.0], [0.03, 0.01, 0.04])
    assert abs(loose["mean"]) > loose["std"]
    assert loose["low"] < 0 < loose["high"] and not loose["real"]
    assert stats.direction(loose) == "azar"
    tight = stats.paired_difference([0.5, 0.6, 0.7], [0.48, 0.579, 0.681])
    assert tight["real"] and stats.direction(tight) == "empeora"
    assert stats.direction(tight, higher_is_better=False) == "mejora"
    assert stats.direction(tight, higher_is_better=None) == "baja"


def test_one_seed_has_no_interval():
    single = stats.paired_difference([0.5], [0.9])
    assert math.isinf(single["high"]) and not single["real"]
    assert "no se puede comparar" in stats.verdict(
        single, "la exactitud de prueba", lambda v: f"{100 * v:.1f}")


def test_the_verdict_names_the_metric_and_follows_the_rule():
    def points(value):
        return f"{100 * value:.1f}".replace(".", ",")

    chance = stats.paired_difference([0.80, 0.90, 0.85], [0.82, 0.88, 0.86])
    text = stats.verdict(chance, "la exactitud de prueba", points,
                         unit="\u00a0puntos")
    assert text.startswith("Con 3\u00a0semillas, la exactitud de prueba no "
                           "se distingue del azar")
    assert "con el 0 dentro" in text
    real = stats.paired_difference([0.80, 0.90, 0.85], [0.82, 0.92, 0.87])
    text = stats.verdict(real, "la entropía cruzada de prueba", points,
                         higher_is_better=False)
    assert text.startswith("La entropía cruzada de prueba empeora (sube 2,0 "
                           "de media)")
    assert "excluye el 0" in text


def test_spanish_list():
    assert stats.spanish_list([]) == "ninguna"
    assert stats.spanish_list(["a"]) == "a"
    assert stats.spanish_list(["a", "b", "c"]) == "a, b y c"


def test_identical_runs_say_so():
    same = stats.paired_difference([3.0, 4.0], [3.0, 4.0])
    assert stats.verdict(same, "la época", str) == (
        "Con 2\u00a0semillas, la época no cambia: la diferencia es 0 en "
        "cada semilla.")
