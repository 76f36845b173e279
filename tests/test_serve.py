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
        return error.code, ""


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
