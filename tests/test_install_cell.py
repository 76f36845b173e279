"""El paquete viaja con el libro: la primera celda de cada cuaderno lo
instala si falta (tools/cuadernos.py) y un cuaderno corre en un entorno
nuevo con solo la rueda (tools/run_notebooks.py --rueda)."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import cuadernos  # noqa: E402
import run_notebooks  # noqa: E402

import esenciales  # noqa: E402
from esenciales import notebooks  # noqa: E402

SITE = "https://usuario.github.io/esenciales/"


def run_cell(source, present):
    """Ejecuta la celda con ``esenciales`` presente o no; devuelve lo que
    llamó a pip (o la excepción que lanzó)."""
    calls = []
    fake_subprocess = type("S", (), {"check_call": calls.append})
    namespace = {}
    code = source.replace("import subprocess\n", "").replace(
        "import esenciales", "pass")
    import importlib.util as util
    original = util.find_spec
    util.find_spec = lambda name: object() if present else None
    try:
        namespace["subprocess"] = fake_subprocess
        exec(code, namespace)
    except ModuleNotFoundError as error:
        return error
    finally:
        util.find_spec = original
    return calls


def test_the_wheel_on_the_site_comes_first():
    url = cuadernos.wheel_url(SITE)
    assert url == (f"{SITE}_static/esenciales-{esenciales.__version__}"
                   "-py3-none-any.whl")
    [call] = run_cell(cuadernos.install_source(
        url, "https://github.com/u/esenciales"), present=False)
    assert call[-1] == url and call[1:4] == ["-m", "pip", "install"]
    assert run_cell(cuadernos.install_source(url), present=True) == []


def test_then_the_repository_with_git():
    assert cuadernos.wheel_url("") == cuadernos.wheel_url(None) == ""
    [call] = run_cell(cuadernos.install_source(
        "", "https://github.com/u/esenciales/"), present=False)
    assert call[-1] == "git+https://github.com/u/esenciales"


def test_without_either_one_spanish_line_says_how():
    error = run_cell(cuadernos.install_source(), present=False)
    assert isinstance(error, ModuleNotFoundError)
    message = str(error)
    assert "\n" not in message and "instálenlo" in message
    assert cuadernos.wheel_name() in message
    assert run_cell(cuadernos.install_source(), present=True) == []


def test_the_notebook_setup_cell_is_replaced(tmp_path):
    chapter = tmp_path / "01_x.md"
    chapter.write_text("# Título\n\nTexto.\n\n```{code-cell} ipython3\n"
                       "x = 1\n```\n", encoding="utf-8")
    notebook = notebooks.chapter_notebook(chapter)
    url = cuadernos.wheel_url(SITE)
    cuadernos.with_install_cell(notebook, url)
    setup = [cell for cell in notebook["cells"] if cuadernos.SETUP_TAG in
             cell.get("metadata", {}).get("tags", [])]
    assert [cell["source"] for cell in setup] == [
        cuadernos.install_source(url)]
    assert "esenciales-*.whl" not in notebook["cells"][0]["source"]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    folder = tmp_path_factory.mktemp("rueda")
    subprocess.run([sys.executable, str(ROOT / "tools" / "dist.py"),
                    "--wheel", "--outdir", str(folder)], check=True,
                   capture_output=True, text=True)
    [built] = folder.glob("esenciales-*.whl")
    assert built.name == cuadernos.wheel_name()
    assert not list(folder.glob("*.tar.gz"))  # solo la rueda
    return built


def test_a_fresh_environment_sees_only_the_wheel(wheel, tmp_path):
    python = run_notebooks.fresh_environment(wheel, tmp_path / "venv")
    where = subprocess.run(
        [python, "-c", "import esenciales; print(esenciales.__file__)"],
        capture_output=True, text=True, check=True, cwd=tmp_path).stdout
    assert where.startswith(str(tmp_path / "venv"))
    assert str(ROOT) not in where


def test_the_download_menu_offers_the_book_pdf():
    """El libro completo siempre; las ediciones por marco, si ya están."""
    def pathto(target, resource=0):
        return f"../{target}"

    buttons = cuadernos.book_pdf_buttons(pathto)
    assert [b["url"] for b in buttons] == ["../_static/pdf/esenciales.pdf"]
    both = cuadernos.book_pdf_buttons(pathto, {"esenciales-torch.pdf"})
    assert [b["text"] for b in both] == ["Libro (PDF)",
                                         "Edición PyTorch (PDF)"]
    menu = {"label": "download-buttons", "buttons": []}

    class App:
        outdir = "/no-existe"

    cuadernos.add_book_pdfs(App, "book/x", None,
                            {"header_buttons": [menu], "pathto": pathto},
                            None)
    assert [b["label"] for b in menu["buttons"]] == [
        "download-esenciales-button"]


MENU = """<ul class="dropdown-menu">
      <li><a href="../_sources/book/x.md" target="_blank"
   class="btn btn-sm btn-download-source-button dropdown-item">.md</a></li>
      <li><a href="../_static/pdf/esenciales.pdf" target="_blank"
   class="btn btn-sm btn-download-esenciales-button dropdown-item"
   title="Descargar: Libro (PDF)">
  <span class="btn__text-container">Libro (PDF)</span>
</a></li>
  </ul>"""


def test_a_framework_pdf_built_after_the_site_joins_its_menu(tmp_path):
    """«make pdf FRAMEWORK=torch» después de «make book»: cada página ya
    escrita ofrece el PDF nuevo, una vez, en el orden del menú."""
    page = tmp_path / "book" / "x.html"
    page.parent.mkdir()
    page.write_text(MENU, encoding="utf-8")
    link = cuadernos.link_book_pdf_in_site
    assert link(tmp_path, "esenciales-torch.pdf") == 1
    assert link(tmp_path, "esenciales-keras.pdf") == 1
    assert link(tmp_path, "esenciales-keras.pdf") == 0
    html = page.read_text(encoding="utf-8")
    assert re.findall(r'href="\.\./_static/pdf/([\w-]+\.pdf)"', html) == [
        "esenciales.pdf", "esenciales-keras.pdf", "esenciales-torch.pdf"]
    assert "Edición PyTorch (PDF)" in html
    assert "btn-download-esenciales-keras-button" in html
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "tools/cuadernos.py _build/html" in makefile


def test_the_pdf_target_copies_the_student_edition_to_the_site():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "SITE_PDF := _build/html/_static/pdf" in makefile
    assert "$(filter estudiante,$(EDICION))" in makefile
    # El A4 no reemplaza el PDF carta del sitio.
    assert "$(filter carta,$(PAPEL))" in makefile
