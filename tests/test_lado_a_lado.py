"""El apéndice «Keras y PyTorch, lado a lado»: su tabla y los enlaces de
las pestañas de los capítulos a sus filas."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "book" / "lado_a_lado.md"


def rows():
    """Las etiquetas de las filas de la tabla, en orden."""
    return re.findall(r"^\* - \((lado-[\w-]+)\)=$", PAGE.read_text(),
                      re.M)


def test_the_table_has_at_least_fifteen_labelled_rows():
    labels = rows()
    assert len(labels) >= 15
    assert len(set(labels)) == len(labels)
    header, *body = re.split(r"^\* - ", PAGE.read_text(), flags=re.M)[1:]
    assert all(cell.count("\n  - ") == 3 for cell in [header, *body])


def test_the_appendix_is_in_the_table_of_contents():
    assert "file: book/lado_a_lado" in (ROOT / "_toc.yml").read_text()


def test_chapter_links_point_to_existing_rows():
    labels = set(rows())
    linked = set()
    for chapter in sorted((ROOT / "book").glob("0*.md")):
        for label in re.findall(r"\{ref\}`[^`<]*<(lado-[\w-]+)>`",
                                chapter.read_text()):
            assert label in labels, f"{chapter.name}: {label}"
            linked.add(label)
    assert len(linked) >= 10  # las diferencias que las pestañas muestran


def test_the_table_covers_what_the_issue_asks():
    text = PAGE.read_text()
    for needle in ("Dense", "nn.Linear", "NHWC", "NCHW", "from_logits",
                   "CrossEntropyLoss", "0,99", "0,1", "weight_decay",
                   "b_hh", "model.eval()", "training=False", "state_dict",
                   "save_weights", "model.fit", "zero_grad", '"cuda"'):
        assert needle in text, needle
