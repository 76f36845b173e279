"""Extensión de Sphinx: cada figura de varios paneles, apilada en un teléfono.

Un capítulo pega una figura de varios paneles con
``esenciales.figures.glue_figure``: la versión de la página con su clave
(``fig-perdidas``) y la apilada, dibujada para un teléfono, con la misma
clave y ``-movil`` (``fig-perdidas-movil``). El capítulo muestra solo la
primera, con ``{glue:figure}``; esta extensión le agrega la segunda.

- En el HTML, con dirección de arte::

    <picture>
      <source media="(max-width: 600px)" srcset="…/apilada.svg">
      <img src="…/ancha.svg" alt="…">
    </picture>

  El navegador baja y muestra solo la que corresponde a su pantalla; la
  figura conserva un número, un pie y un texto alternativo (el del
  ``<img>``, que vale para las dos).
- En el PDF, y en cualquier formato que no sea HTML, se imprime la
  versión de la página, una sola vez. La apilada queda anotada en la
  imagen (``narrow``): donde dos figuras van lado a lado, en media página
  (``tools/ediciones.py``), se imprime esa, dibujada para ese ancho.

``{glue:figure}`` sigue siendo el de myst-nb; esta versión solo agrega,
después de la figura ancha, la apilada si su clave existe.
"""

import posixpath
from html import escape
from urllib.parse import quote

from docutils import nodes
from myst_nb.core.variables import RetrievalError, render_variable_outputs
from myst_nb.ext.glue.directives import PasteFigureDirective
from myst_nb.ext.glue.utils import retrieve_glue_data
from sphinx.transforms.post_transforms import SphinxPostTransform

from esenciales.figures.screens import PHONE_MEDIA, PHONE_SUFFIX


class phone_source(nodes.General, nodes.Element):
    """La versión apilada de una figura: la imagen del ``<source>``."""


class picture(nodes.General, nodes.Element):
    """``<picture>``: la versión apilada y, dentro, la imagen ancha."""


class GlueFigure(PasteFigureDirective):
    """``{glue:figure}`` de myst-nb, más la versión apilada si la hay."""

    def run(self):
        result = super().run()
        figure = result[0]
        if not isinstance(figure, nodes.figure):
            return result
        try:
            data = retrieve_glue_data(self.document,
                                      self.arguments[0] + PHONE_SUFFIX)
        except RetrievalError:
            return result
        source = phone_source()
        source += render_variable_outputs([data], self.document, self.line,
                                          self.source)
        figure.insert(1, source)
        return result


class PhoneFigures(SphinxPostTransform):
    """Después de que myst-nb elige el formato de cada imagen (prioridad
    4): en el HTML, la imagen ancha y la apilada van en un ``<picture>``;
    en otro formato, la apilada se quita y la ancha guarda su dirección
    (``narrow``)."""

    default_priority = 5

    def run(self, **kwargs):
        html = self.app.builder.format == "html"
        for source in list(self.document.findall(phone_source)):
            figure = source.parent
            wide = next((image for image in figure.findall(nodes.image)
                         if not _inside(image, phone_source)), None)
            stacked = next(source.findall(nodes.image), None)
            if not html or wide is None or stacked is None:
                if wide is not None and stacked is not None:
                    wide["narrow"] = {"uri": stacked["uri"],
                                      "candidates": stacked["candidates"]}
                figure.remove(source)
                continue
            frame = picture()
            wide.replace_self(frame)
            figure.remove(source)
            frame += source
            frame += wide


def _inside(node, kind):
    parent = node.parent
    while parent is not None:
        if isinstance(parent, kind):
            return True
        parent = parent.parent
    return False


def image_url(translator, uri):
    """La dirección con que el HTML enlaza una imagen (la de ``_images/``,
    como hace Sphinx con el ``src`` de un ``<img>``)."""
    images = translator.builder.images
    if uri in images:
        return posixpath.join(translator.builder.imgpath,
                              quote(images[uri]))
    return uri


def visit_picture(translator, node):
    translator.body.append("<picture>")


def depart_picture(translator, node):
    translator.body.append("</picture>\n")


def visit_phone_source(translator, node):
    image = next(node.findall(nodes.image))
    url = image_url(translator, image["uri"])
    translator.body.append(f'<source media="{escape(PHONE_MEDIA)}" '
                           f'srcset="{escape(url)}">')
    raise nodes.SkipNode


def setup(app):
    app.setup_extension("myst_nb")
    app.add_node(picture, html=(visit_picture, depart_picture))
    app.add_node(phone_source, html=(visit_phone_source, None))
    app.add_directive_to_domain("glue", "figure", GlueFigure, override=True)
    app.add_post_transform(PhoneFigures)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
