"""Lectura de MyST con los tokens de markdown-it-py (``esenciales.myst``)."""

from esenciales import myst

CHAPTER = """\
---
jupytext:
  formats: md:myst
---
(cap-x)=
# Título con {term}`dropout`

Texto *corriente*.
% un comentario

````{tab-set}
```{code-block} python
x = 1
```
````

+++

```{code-cell} ipython3
:tags: [remove-input, hide-output]

print("hola")
```
:::{note}
Una nota.
:::
"""


def test_blocks_follow_the_structure_that_myst_parser_sees():
    kinds = [(b.kind, b.name) for b in myst.blocks(CHAPTER)
             if b.kind != "prose"]
    assert kinds == [("front_matter", None), ("target", None),
                     ("comment", None), ("fence", "tab-set"),
                     ("break", None), ("fence", "code-cell"),
                     ("fence", "note")]
    target = next(b for b in myst.blocks(CHAPTER) if b.kind == "target")
    assert target.args == "cap-x"


def test_every_line_belongs_to_exactly_one_block():
    lines = [line for block in myst.blocks(CHAPTER) for line in block.lines]
    assert lines == CHAPTER.split("\n")


def test_a_fence_inside_a_longer_fence_is_its_body_not_a_block():
    (outer,) = [b for b in myst.blocks(CHAPTER) if b.name == "tab-set"]
    assert outer.body == "```{code-block} python\nx = 1\n```\n"
    (inner,) = [b for b in myst.blocks(outer.body) if b.kind == "fence"]
    assert (inner.name, inner.args, inner.body) == ("code-block", "python",
                                                    "x = 1\n")


def test_indented_code_is_not_a_directive():
    """Cuatro espacios hacen un bloque de código de CommonMark: la valla
    que contiene es texto, como en el libro."""
    text = "Ejemplo:\n\n    ```{code-cell}\n    1 + 1\n    ```\n"
    assert myst.split_cells(text) == [("markdown", text.strip("\n"), {})]


def test_split_cells_reads_code_cells_with_their_options():
    cells = myst.split_cells(CHAPTER)
    assert [kind for kind, _, _ in cells] == ["markdown", "code",
                                               "markdown"]
    assert cells[0][1].endswith("````") and cells[2][1].startswith(":::")
    _, source, options = cells[1]
    assert source == 'print("hola")'
    assert options == {"tags": ["remove-input", "hide-output"]}
    assert not cells[0][1].startswith("---")  # sin el encabezado YAML


def test_yaml_options_of_a_directive():
    options, body = myst.directive_options(
        ["---", "tags: [a, b]", "name: fig", "---", "", "cuerpo"])
    assert options == {"tags": ["a", "b"], "name": "fig"}
    assert body == ["cuerpo"]


def test_book_labels_take_the_heading_after_each_target(tmp_path):
    (tmp_path / "a.md").write_text(CHAPTER, encoding="utf-8")
    (tmp_path / "b.md").write_text("(sola)=\n\nTexto sin título.\n",
                                   encoding="utf-8")
    assert myst.book_labels(tmp_path) == {"cap-x": "Título con dropout"}


def test_an_unclosed_fence_runs_to_the_end():
    text = "Antes\n\n```{code-cell} ipython3\n1 + 1\n"
    assert myst.split_cells(text) == [("markdown", "Antes", {}),
                                      ("code", "1 + 1", {})]
