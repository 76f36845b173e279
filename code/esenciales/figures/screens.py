"""Una figura para cada pantalla: la de la página y la apilada.

Una figura de varios paneles lado a lado se dibuja para la columna del
libro (700 px, y la página impresa). En un teléfono (375 px) el HTML la
achicaría entera hasta la mitad, y su letra con ella. Por eso el libro
pega dos versiones de la misma figura: la de la página con su clave
(``fig-perdidas``) y la apilada, dibujada para el ancho de un teléfono
(``stacked=True``), con la misma clave y ``PHONE_SUFFIX``
(``fig-perdidas-movil``).

El capítulo muestra solo la primera, con ``{glue:figure}``; la extensión
``tools/pantallas.py`` le agrega la segunda en el HTML, para las
pantallas de ``PHONE_MEDIA``. El PDF imprime la de la página, una vez.
"""

PHONE_SUFFIX = "-movil"
"""Lo que se agrega a la clave de una figura para su versión apilada."""

PHONE_MEDIA = "(max-width: 600px)"
"""Las pantallas que reciben la versión apilada (la misma consulta con
que ``tools/static/esenciales.css`` reconoce un teléfono)."""


def glue_figure(key, draw, *args, **kwargs):
    """Pega la figura de ``draw`` en ``key`` y su versión apilada.

    ``draw(*args, **kwargs)`` dibuja la figura para la página;
    ``draw(*args, stacked=True, **kwargs)``, la misma para un teléfono,
    que queda en ``key + PHONE_SUFFIX``. Ninguna de las dos se muestra
    bajo la celda: ``{glue:figure}`` las pone donde van.
    """
    glue = _glue()
    glue(key, draw(*args, **kwargs), display=False)
    glue(key + PHONE_SUFFIX, draw(*args, stacked=True, **kwargs),
         display=False)


def _glue():
    """El ``glue`` de quien ejecuta el capítulo: el de myst-nb al construir
    el libro (la terminal, ``esenciales ejecutar``, pone el suyo en su
    lugar); en un cuaderno sin myst-nb, el de ``esenciales.notebooks``."""
    try:
        from myst_nb import glue
    except ImportError:
        from esenciales.notebooks import glue
    return glue
