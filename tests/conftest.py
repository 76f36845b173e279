"""Lo que comparten las pruebas: una caché privada y el comando aparte.

- ``private_cache``: una caché de resultados vacía, solo para esa prueba
  (``ESENCIALES_CACHE``); nada de lo que entrena queda en la del usuario.
- ``cli``: corre ``python -m esenciales …`` en un proceso nuevo, con el
  entorno de ``make test`` (datos locales, Keras con TensorFlow), y sabe
  reconocer un error limpio (código pedido, una línea en español, sin
  traza).
"""

import pytest

from tests import support

ROOT = support.ROOT
"""La raíz del repositorio."""


@pytest.fixture
def private_cache(tmp_path, monkeypatch):
    """La carpeta de una caché vacía, privada de la prueba."""
    folder = tmp_path / "cache"
    monkeypatch.setenv("ESENCIALES_CACHE", str(folder))
    return folder


class Cli:
    """El comando ``esenciales`` en un proceso aparte (``tests.support``)."""

    root = ROOT
    env = staticmethod(support.cli_env)
    run = staticmethod(support.run_cli)
    assert_clean_error = staticmethod(support.assert_clean_error)


@pytest.fixture
def cli():
    """Ver ``Cli``."""
    return Cli()
