"""El formateador de números en español: valores exactos."""

import pytest

from esenciales import spanish

NB, THIN = "\u00a0", "\u202f"


@pytest.mark.parametrize("value, digits, expected", [
    (60000, 3, f"60{THIN}000"),
    (1000, 3, "1000"),
    (1234567, 3, f"1{THIN}234{THIN}567"),
    (0.1234, 3, "0,123"),
    (-0.5, 2, "\u22120,50"),
    (-12345, 3, f"\u221212{THIN}345"),
    (-0.0004, 3, "0,000"),
    (12345.678, 1, f"12{THIN}345,7"),
    (7, 3, "7"),
])
def test_number(value, digits, expected):
    assert spanish.number(value, digits) == expected


def test_number_writes_every_integer_type_whole():
    """``numpy.int64``, ``numpy.int32`` y ``bool`` son enteros: sin
    decimales y con los miles separados, como un ``int``."""
    import numpy as np

    assert spanish.number(np.int64(60000)) == f"60{THIN}000"
    assert spanish.number(np.int32(-7)) == "\u22127"
    assert spanish.number(np.float32(0.25), 2) == "0,25"


def test_signed_shows_the_sign_of_a_difference():
    from esenciales.runs.stats import signed

    assert signed(spanish.number(1.25, 2)) == "+1,25"
    assert signed(spanish.number(-1.25, 2)) == "\u22121,25"
    assert signed(spanish.number(-0.001, 2)) == "0,00"


def test_percent_uses_comma_and_a_no_break_space():
    assert spanish.percent(0.9512) == f"95,1{NB}%"
    assert spanish.percent(0.98765, 2) == f"98,77{NB}%"
    assert spanish.percent(1.0, 0) == f"100{NB}%"


def test_mean_std_is_the_sample_standard_deviation():
    assert spanish.mean_std([1.0, 2.0, 3.0], 2) == "2,00 ± 1,00"
    assert spanish.mean_std([0.97, 0.98, 0.99], 1, as_percent=True) \
        == f"98,0 ± 1,0{NB}%"
    assert spanish.mean_std([0.5], 1) == "0,5 ± 0,0"


def test_markdown_table_aligns_numbers_right():
    table = spanish.markdown_table(
        [{"modelo": "MLP", "épocas": 5, "pérdida": 0.25},
         {"modelo": "CNN", "épocas": 12000, "pérdida": 0.125}])
    assert table.splitlines() == [
        "| modelo | épocas | pérdida |",
        "|---|---:|---:|",
        "| MLP | 5 | 0,250 |",
        f"| CNN | 12{THIN}000 | 0,125 |",
    ]


@pytest.mark.parametrize("value, expected", [
    (0.012345, "0,0123"), (12.345, "12,3"), (150.2, "150"),
    (123456.7, f"123{THIN}457"), (-0.5, "\u22120,500"), (0, "0"),
])
def test_significant_figures(value, expected):
    assert spanish.significant(value) == expected


def test_timing_tables_use_the_same_formatter():
    from esenciales import timing

    table = timing.table_markdown([{"n": 12000, "ms": 0.012345},
                                   {"n": 64, "ms": 150.2}])
    assert table.splitlines() == ["| n | ms |", "|---:|---:|",
                                  f"| 12{THIN}000 | 0,0123 |",
                                  "| 64 | 150 |"]


def test_metrics_in_one_line_in_the_book_order():
    line = spanish.metrics({"val_accuracy": 0.5, "custom": 2.0,
                            "loss": 0.12344, "accuracy": 0.975})
    assert line == ("pérdida 0,1234 · exactitud 97,50\u00a0% · "
                    "exactitud val. 50,00\u00a0% · custom 2,0000")
