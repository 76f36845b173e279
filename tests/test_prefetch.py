"""tools/prefetch.py: los entrenamientos que hace antes son los que piden
los capítulos, y corren en otros procesos."""

import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from esenciales.runs import (comparison, data_size, initialization,
                             techniques, training)

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
import prefetch  # noqa: E402

CHAPTER_CALLS = {
    "02_panorama": lambda: data_size.data_vs_performance(),
    "05_regularizacion": lambda: [
        techniques.compare(name) for name in techniques.COMPARISONS
        if name != "second_block"],
    "06_ejemplos": lambda: [
        *(comparison.compare_frameworks(name)
          for name in comparison.SUBSETS),
        initialization.initialization_experiment(),
        techniques.compare("second_block")],
}
"""Lo que llama cada capítulo (las celdas de ``book/``)."""


@pytest.fixture
def recorded(monkeypatch):
    """Entrenamientos falsos que anotan qué se les pidió."""
    calls = []

    def fake(name, result):
        def record(*args):
            calls.append((name, repr(args)))
            return result
        return record

    run = SimpleNamespace(test={"accuracy": 0.5}, history={})
    monkeypatch.setattr(training, "trained_record",
                        fake("trained_record", {"test": {}}))
    monkeypatch.setattr(training, "trained", fake("trained", run))
    monkeypatch.setattr(comparison, "trained", fake("trained", run))
    monkeypatch.setattr(initialization, "trained", fake("trained", run))
    monkeypatch.setattr(initialization, "run_torch_defaults",
                        fake("run_torch_defaults", {}))
    monkeypatch.setattr(data_size, "data_point",
                        fake("data_point", {"accuracy": 0.5}))
    return calls


@pytest.mark.parametrize("chapter", list(prefetch.PLAN))
def test_the_plan_trains_what_the_chapter_asks_for(recorded, chapter):
    CHAPTER_CALLS[chapter]()
    asked = set(recorded)
    recorded.clear()
    for function, args in prefetch.unique(prefetch.PLAN[chapter]()):
        function(*args)
    planned = set(recorded)
    assert asked and asked <= planned
    # De más, solo la base de la transferencia, que el capítulo entrena
    # dentro de cada corrida que la reutiliza.
    extra = planned - asked
    source = techniques.COMPARISONS["transfer"].technique.source
    assert extra <= {("trained", repr((source, techniques.FRAMEWORK)))}


def test_repeated_jobs_run_once():
    job = (print, ("hola",))
    assert prefetch.unique([job, (print, ("hola",)), (print, ("chao",))]) \
        == [job, (print, ("chao",))]


def test_jobs_run_in_other_processes(tmp_path):
    files = [tmp_path / f"{n}.txt" for n in range(3)]
    prefetch.run_all([(Path.write_text, (path, "listo")) for path in files],
                     workers=2)
    assert [path.read_text() for path in files] == ["listo"] * 3


def test_a_failed_job_is_one_spanish_line(monkeypatch, capsys, tmp_path):
    monkeypatch.setitem(prefetch.PLAN, "02_panorama",
                        lambda: [(Path.read_text, (tmp_path / "no",))])
    monkeypatch.setattr(prefetch, "up_to_date",
                        lambda chapters, cache: set(chapters) -
                        {"02_panorama"})
    assert prefetch.main(["--procesos", "2"]) == 1
    error = capsys.readouterr().err
    assert error.startswith("Un entrenamiento previo falló: "
                            "FileNotFoundError")
    assert len(error.strip().splitlines()) == 1


def test_nothing_runs_when_the_chapters_are_up_to_date(monkeypatch, capsys):
    monkeypatch.setattr(prefetch, "up_to_date",
                        lambda chapters, cache: set(chapters))
    monkeypatch.setattr(prefetch, "run_all", pytest.fail)
    assert prefetch.main([]) == 0
    assert capsys.readouterr().out == ""
