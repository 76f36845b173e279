"""tools/check_listings.py: lee las pestañas del HTML construido y corre
cada listado con solo lo que la página muestra antes."""

import html
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

import check_listings  # noqa: E402

IMPORTS = "import torch\nfrom torch import nn\n"
MODEL = "def tiny():\n    return scaled(nn.Linear(3, 2))\n"
HELPER = "def scaled(layer):\n    return nn.Sequential(layer, nn.ReLU())\n"
KERAS = ("import keras\n\ndef tiny():\n    return keras.Sequential(\n"
         "        [keras.Input((3,)), keras.layers.Dense(2)])\n")


def pre(code):
    return f'<div class="highlight"><pre>{html.escape(code)}</pre></div>'


def tab(sync, *listings):
    """Una pestaña de sphinx-design, como la escribe el HTML del libro."""
    return (f'<input type="radio"><label class="sd-tab-label" '
            f'data-sync-id="{sync}">{sync}</label>'
            f'<div class="sd-tab-content docutils">'
            + "".join(pre(code) for code in listings) + "</div>")


def page(tmp_path, *tabsets, name="03_x"):
    cell = ('<div class="cell docutils container"><div class="cell_input '
            'docutils container">' + pre("import numpy as np\nx = 1")
            + "</div></div>")
    body = cell + "".join(f'<div class="sd-tab-set docutils">{t}</div>'
                          for t in tabsets)
    path = tmp_path / "book" / f"{name}.html"
    path.parent.mkdir(exist_ok=True)
    path.write_text(f"<html><body><main>{body}</main></body></html>",
                    encoding="utf-8")
    return path


def test_blocks_keep_page_order_and_tabs():
    text = ('<main><div class="cell_input">' + pre("import math")
            + '</div><div class="sd-tab-set">'
            + tab("keras", "a = 1") + tab("torch", "b = 2", "c = 3")
            + tab("otra", "d = 4") + "</div></main>")
    assert check_listings.page_blocks(text) == [
        ("celda", "import math"), ("pestaña", "keras", ["a = 1"]),
        ("pestaña", "torch", ["b = 2", "c = 3"])]
    assert check_listings.imports_of("%time x\nimport os\ny = 2") \
        == ["import os"]


def test_a_helper_the_page_does_not_show_fails(tmp_path):
    path = page(tmp_path, tab("torch", IMPORTS, MODEL))
    [report] = check_listings.check_page(path)
    assert "scaled" in report["error"]
    assert check_listings.main(["--html", str(tmp_path)]) == 1


def test_a_tab_sees_the_listings_shown_before_it(tmp_path):
    """El ayudante en una pestaña anterior basta; el modelo se construye
    y da un paso hacia adelante y otro hacia atrás."""
    path = page(tmp_path, tab("torch", IMPORTS, HELPER),
                tab("torch", MODEL), tab("keras", KERAS))
    reports = check_listings.check_page(path)
    assert [r["error"] for r in reports] == [None, None, None]
    models = {r["framework"]: r["models"] for r in reports if r["models"]}
    assert models == {"torch": ["tiny: forma de entrada 2×3"],
                      "keras": ["tiny: forma de entrada 2×3"]}
    assert check_listings.main(["--html", str(tmp_path)]) == 0


def test_a_model_that_breaks_when_built_fails(tmp_path):
    broken = "def tiny():\n    return nn.Linear(3)\n"  # falta un argumento
    path = page(tmp_path, tab("torch", IMPORTS, broken))
    [report] = check_listings.check_page(path)
    assert report["error"].startswith("TypeError")


def test_a_line_wider_than_a_tab_fails(tmp_path):
    wide = "x = " + "1 + " * 20 + "1\n"
    path = page(tmp_path, tab("torch", wide))
    reports = check_listings.check_page(path)
    assert [r["error"] for r in reports][0].startswith("línea de 85")


def test_an_import_shown_only_later_does_not_count(tmp_path):
    path = page(tmp_path, tab("torch", MODEL, HELPER),
                tab("torch", IMPORTS))
    first, _ = check_listings.check_page(path)
    assert "nn" in first["error"]


@pytest.mark.parametrize("missing", ["", "/no-existe"])
def test_without_built_pages_it_says_so(tmp_path, missing, capsys):
    assert check_listings.main(["--html", str(tmp_path) + missing]) == 1
    assert "make book" in capsys.readouterr().err


# Un ayudante del paquete traído con un import: ejecuta, pero el
# estudiante no ve su código. ``percent`` existe de verdad en el paquete.
PACKAGE_IMPORT = "from esenciales.spanish import percent\n"
USES_PACKAGE = "def label(x):\n    return percent(x)\n"
SHOWN_PERCENT = "def percent(x):\n    return f'{100 * x:.0f} %'\n"


def test_a_helper_hidden_behind_a_package_import_fails(tmp_path):
    path = page(tmp_path, tab("torch", IMPORTS + PACKAGE_IMPORT,
                              USES_PACKAGE))
    [report] = check_listings.check_page(path)
    assert report["error"] == ("usa nombres que la página no muestra: "
                               "percent (importado de esenciales)")
    assert check_listings.main(["--html", str(tmp_path)]) == 1


def test_a_package_import_in_a_cell_does_not_show_the_helper(tmp_path):
    path = page(tmp_path, tab("torch", USES_PACKAGE))
    text = path.read_text(encoding="utf-8").replace(
        "import numpy as np", "import numpy as np\n" + PACKAGE_IMPORT)
    path.write_text(text, encoding="utf-8")
    [report] = check_listings.check_page(path)
    assert "percent (importado de esenciales)" in report["error"]


@pytest.mark.parametrize("where", ["before", "fold-out"])
def test_a_package_helper_shown_on_the_page_passes(tmp_path, where):
    """El mismo import pasa si la definición se ve antes en la página o
    en el desplegable de la misma pestaña."""
    if where == "before":
        tabs = [tab("torch", SHOWN_PERCENT),
                tab("torch", PACKAGE_IMPORT, USES_PACKAGE)]
    else:
        tabs = [tab("torch", PACKAGE_IMPORT, USES_PACKAGE, SHOWN_PERCENT)]
    path = page(tmp_path, *tabs)
    assert [r["error"] for r in check_listings.check_page(path)] \
        == [None] * len(tabs)
    assert check_listings.main(["--html", str(tmp_path)]) == 0


def test_package_imports_and_definitions():
    code = ("import esenciales.torch\nfrom esenciales.torch.models "
            "import init_weights as iw, mlp\nfrom torch import nn\n"
            "from . import x\nLOSSES = {}\ndef f():\n    pass\n"
            "class A:\n    pass\n%time f()\n")
    assert check_listings.package_imports(code) \
        == {"esenciales", "iw", "mlp"}
    assert check_listings.definitions(code) == {"LOSSES", "f", "A"}
    assert check_listings.hidden_names(["from esenciales import a, b"],
                                       ["b = 1"]) == ["a"]
