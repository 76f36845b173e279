"""tools/serve.py (make serve): el libro bajo /esenciales/, como en Pages."""

import sys
import urllib.error
import urllib.request
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))
import serve  # noqa: E402


@pytest.fixture
def url(tmp_path):
    (tmp_path / "index.html").write_text("<p>portada</p>", encoding="utf-8")
    (tmp_path / "book").mkdir()
    (tmp_path / "book" / "04_cnn.html").write_text("cnn", encoding="utf-8")
    server, url = serve.start(tmp_path)
    yield url
    server.shutdown()
    server.server_close()


def status(address):
    try:
        with urllib.request.urlopen(address) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def test_book_is_served_under_the_subpath(url):
    assert url.endswith("/esenciales/")
    assert status(url) == (200, "<p>portada</p>")
    assert status(url + "book/04_cnn.html") == (200, "cnn")
    assert status(url.rstrip("/"))[0] == 200  # redirige a la subruta


def test_everything_outside_the_subpath_is_missing(url):
    root = url.removesuffix("esenciales/")
    assert status(root)[0] == 404
    assert status(root + "book/04_cnn.html")[0] == 404
    assert status(url + "no-existe.html")[0] == 404


def test_a_missing_page_gets_the_books_404_page(url, tmp_path):
    """Como en Pages: la página 404 del libro, con el estado 404."""
    (tmp_path / "404.html").write_text("<h1>Página no encontrada</h1>",
                                       encoding="utf-8")
    for missing in ("no-existe.html", "book/no-existe.html", "book/x/"):
        assert status(url + missing) == (
            404, "<h1>Página no encontrada</h1>"), missing
    with urllib.request.urlopen(url + "book/04_cnn.html") as response:
        assert response.read().decode() == "cnn"
    # Fuera de la subruta empieza otro sitio: su 404 no es la del libro.
    root = url.removesuffix("esenciales/")
    code, body = status(root + "no-existe.html")
    assert code == 404 and "Página no encontrada" not in body


def test_the_404_page_says_it_is_html_and_a_head_has_no_body(url,
                                                              tmp_path):
    (tmp_path / "404.html").write_text("<p>falta</p>", encoding="utf-8")
    request = urllib.request.Request(url + "falta.html", method="HEAD")
    with pytest.raises(urllib.error.HTTPError) as missing:
        urllib.request.urlopen(request)
    assert missing.value.code == 404
    assert missing.value.headers["Content-Type"] == \
        "text/html; charset=utf-8"
    assert missing.value.read() == b""
