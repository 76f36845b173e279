"""Una figura para cada pantalla y cada papel: la de la página, la
apilada y la de la hoja de resumen.

Una figura de varios paneles lado a lado se dibuja para la columna del
libro (700 px, y la página impresa). En un teléfono (375 px) el HTML la
achicaría entera hasta la mitad, y su letra con ella. Por eso el libro
pega dos versiones de la misma figura: la de la página con su clave
(``fig-perdidas``) y la apilada, dibujada para el ancho de un teléfono
(``stacked=True``), con la misma clave y ``PHONE_SUFFIX``
(``fig-perdidas-movil``).

El capítulo muestra solo la primera, con ``{glue:figure}``; la extensión
``tools/pantallas.py`` le agrega la segunda en el HTML, para las
pantallas de ``PHONE_MEDIA``. El PDF imprime la de la página, una vez, y
la apilada donde dos figuras van lado a lado en media página.

La figura de una hoja de resumen (``book/resumenes.yml``) va a todo el
ancho en lo que queda de la página bajo el texto: más apaisada que la
del libro (``sheet``: otros argumentos, como ``height``), con la clave y
``SHEET_SUFFIX``; ``tools/handouts.py`` la toma de ahí.
"""

import inspect

PHONE_SUFFIX = "-movil"
"""Lo que se agrega a la clave de una figura para su versión apilada."""

SHEET_SUFFIX = "-hoja"
"""Lo que se agrega a la clave de una figura para su versión de la hoja
de resumen."""

PHONE_MEDIA = "(max-width: 600px)"
"""Las pantallas que reciben la versión apilada (la misma consulta con
que ``tools/static/esenciales.css`` reconoce un teléfono)."""


def glue_figure(key, draw, *args, sheet=None, **kwargs):
    """Pega la figura de ``draw`` en ``key`` y sus otras versiones.

    ``draw(*args, **kwargs)`` dibuja la figura para la página; si ``draw``
    acepta ``stacked``, ``draw(*args, stacked=True, **kwargs)`` la dibuja
    para un teléfono, en ``key + PHONE_SUFFIX``. Con ``sheet`` (un
    diccionario de argumentos que cambian), la de la hoja de resumen, en
    ``key + SHEET_SUFFIX``. Ninguna se muestra bajo la celda:
    ``{glue:figure}`` las pone donde van.
    """
    glue = _glue()
    glue(key, draw(*args, **kwargs), display=False)
    if "stacked" in inspect.signature(draw).parameters:
        glue(key + PHONE_SUFFIX, draw(*args, stacked=True, **kwargs),
             display=False)
    if sheet is not None:
        glue(key + SHEET_SUFFIX, draw(*args, **{**kwargs, **sheet}),
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
