"""Las piezas de tools/handouts.py y tools/check_pdf.py que no necesitan
LaTeX: lectura del índice, configuración de un cuadernillo y lectura del
log de LaTeX (desbordes de código y referencias rotas)."""

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import check_pdf  # noqa: E402
import handouts  # noqa: E402

LOG = r"""
Overfull \hbox (143.04749pt too wide) in paragraph at lines 260--260
[]\TU/DejaVuSansMono(0)/m/n/10 "[][]print("una línea de código muy larga
[][]
Overfull \hbox (3.1pt too wide) in paragraph at lines 12--14
[]\TU/FreeSerif(0)/m/n/10.95 Un párrafo con una palabra larguísima
LaTeX Warning: Reference `book/04_cnn:fig-filtros' on page 19 undefined on input line 198.
LaTeX Warning: Hyper reference `book/04_cnn:fig-filtros' on page 19 undefined on input line 198.
Missing character: There is no ó ("F3) in font cmmi10!
Missing character: There is no ó ("F3) in font cmmi10!
LaTeX Warning: Citation `goodfellow2016' on page 3 undefined on input line 50.
"""


@pytest.fixture
def log(tmp_path):
    path = tmp_path / "libro.log"
    path.write_text(LOG, encoding="utf-8")
    return path


def test_code_overflow_is_found_only_in_monospace(log):
    found = check_pdf.code_overflows(log)
    assert len(found) == 1
    assert found[0].startswith("143.04749pt in paragraph at lines 260--260")


def test_undefined_references_are_listed_once(log):
    assert check_pdf.undefined_references(log) == ["book/04_cnn:fig-filtros"]


def test_missing_characters_are_reported_once(log):
    assert check_pdf.missing_characters(log) == ['ó ("F3) (cmmi10)']


def test_clean_log_has_no_problems(tmp_path):
    path = tmp_path / "limpio.log"
    path.write_text("Output written on libro.pdf (12 pages).\n", "utf-8")
    assert check_pdf.code_overflows(path) == []
    assert check_pdf.undefined_references(path) == []
    assert check_pdf.missing_characters(path) == []


def test_chapters_come_from_the_toc_in_order():
    files = handouts.chapter_files(ROOT / "_toc.yml")
    assert files[0] == "book/01_ia_ml_dl"
    assert all((ROOT / f"{name}.md").exists() for name in files)
    numbers = [int(Path(name).name[:2]) for name in files]
    assert numbers == list(range(1, len(files) + 1))


def test_chapter_title_is_the_first_level_one_heading(tmp_path):
    source = tmp_path / "cap.md"
    source.write_text("---\nkernelspec: {}\n---\n\n(cap-x)=\n# CNN en "
                      "detalle\n\n## Sección\n", encoding="utf-8")
    assert handouts.chapter_title(source) == "CNN en detalle"
    source.write_text("Sin título\n", encoding="utf-8")
    with pytest.raises(SystemExit, match="no tiene un título"):
        handouts.chapter_title(source)


def test_handout_config_keeps_the_book_settings(tmp_path):
    config = {"title": "Esenciales", "execute": {"timeout": 30},
              "latex": {"latex_documents": {"targetname": "esenciales.tex",
                                            "theme": "manual"}},
              "sphinx": {"config": {"language": "es", "latex_elements": {
                  "preamble": r"\setcounter{tocdepth}{1}"}}}}
    result = handouts.handout_config(config, 4, "CNN & filtros",
                                     tmp_path / "cache")
    assert result["execute"] == {"timeout": 30,
                                 "cache": str(tmp_path / "cache")}
    documents = result["latex"]["latex_documents"]
    assert documents == {"targetname": "capitulo-04.tex", "theme": "manual"}
    preamble = result["sphinx"]["config"]["latex_elements"]["preamble"]
    assert preamble.startswith(r"\newcommand{\esencialessubtitulo}"
                               r"{Capítulo 4: CNN \& filtros}")
    assert preamble.endswith(r"\setcounter{tocdepth}{1}")
    assert result["sphinx"]["config"]["language"] == "es"
    assert config["latex"]["latex_documents"]["targetname"] == \
        "esenciales.tex"


def test_citations_decide_whether_a_handout_has_references():
    assert handouts.CITE.search("como muestra {cite:p}`goodfellow2016`")
    assert handouts.CITE.search("{footcite}`lecun1998`")
    assert not handouts.CITE.search("sin citas, solo {ref}`cap-cnn`")
