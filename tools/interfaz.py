"""Extensión de Sphinx: la interfaz del libro en español.

- **Búsqueda sin tildes.** El índice y la consulta pasan por la misma
  normalización antes del lematizador Snowball del español: se quitan las
  tildes (y la virgulilla de la ñ), se repone la de «-ción»/«-sión», y se
  quitan otra vez las del resultado. Así «retropropagacion» encuentra
  «retropropagación» y «epoca», «época». La versión en Python (el índice) y
  la de JavaScript (el navegador) dan la misma raíz para cada palabra del
  libro (tests/test_book_tools.py lo comprueba con Node.js).
- **Textos del tema.** Las frases que los temas dejan en inglés o en un
  español torpe (o en *usted*) se reemplazan en cada página HTML escrita y
  en ``_static/translations.js``. ``tools/check_book.py`` revisa que no
  quede ninguna frase en inglés.
"""

import re
import unicodedata
from pathlib import Path

import snowballstemmer
from sphinx.search import languages
from sphinx.search.es import SearchSpanish

_RESTORE = re.compile(r"([cs])ion$")


def strip_accents(word):
    """«Retropropagación» → «Retropropagacion»; «año» → «ano»."""
    return "".join(c for c in unicodedata.normalize("NFD", word)
                   if unicodedata.category(c) != "Mn")


def search_stem(stemmer, word):
    """La raíz que usan el índice y la consulta, sin tildes."""
    plain = _RESTORE.sub(r"\1ión", strip_accents(word.lower()))
    return strip_accents(stemmer.stemWord(plain))


JS_STEMMER_WRAPPER = r"""
var EsencialesStemmer = Stemmer;
Stemmer = function() {
  var inner = new EsencialesStemmer();
  var strip = function(w) {
    return w.normalize("NFD").replace(/[\u0300-\u036f]/g, "");
  };
  this.stemWord = function(w) {
    var plain = strip(w.toLowerCase()).replace(/([cs])ion$/, "$1ión");
    return strip(inner.stemWord(plain));
  };
};
"""


class SpanishSearchWithoutAccents(SearchSpanish):
    """Búsqueda en español que no distingue tildes."""

    def init(self, options):
        self.stemmer = snowballstemmer.stemmer("spanish")

    def stem(self, word):
        return search_stem(self.stemmer, word)


def _patch_js_stemmer():
    """Envuelve el lematizador de JavaScript con la misma normalización."""
    from sphinx.search import IndexBuilder

    original = IndexBuilder.get_js_stemmer_code
    if getattr(original, "_esenciales", False):
        return

    def get_js_stemmer_code(self):
        code = original(self)
        if self.lang.lang == "es":
            code += JS_STEMMER_WRAPPER
        return code

    get_js_stemmer_code._esenciales = True
    IndexBuilder.get_js_stemmer_code = get_js_stemmer_code


# Frases de la interfaz: (texto que escriben los temas, texto del libro).
# Se aplican sobre el HTML ya escrito, en este orden.
UI_REPLACEMENTS = (
    # myst-nb: «{type}» ya reemplazado por content/source/output.
    ("Mostrar content", "Mostrar la celda"),
    ("Ocultar content", "Ocultar la celda"),
    ("Mostrar source", "Mostrar el código"),
    ("Ocultar source", "Ocultar el código"),
    ("Mostrar output", "Mostrar la salida"),
    ("Ocultar output", "Ocultar la salida"),
    # Fecha de actualización: «en 30 de noviembre» → «el 30 de noviembre».
    ("Actualizado por última vez en ", "Actualizado por última vez el "),
    ("Actualizado por última vez en el ", "Actualizado por última vez el "),
    # Botones y marcas del tema (pydata-sphinx-theme, sphinx-book-theme).
    ('title="Toggle primary sidebar"',
     'title="Mostrar u ocultar el índice del libro"'),
    ('title="Toggle secondary sidebar"',
     'title="Mostrar u ocultar el índice de la página"'),
    ('aria-label="Main"', 'aria-label="Principal"'),
    ('aria-label="Page"', 'aria-label="Página"'),
    ('title="Link to this heading"', 'title="Enlace a esta sección"'),
    ('title="Link to this equation"', 'title="Enlace a esta ecuación"'),
    ('title="Link to this image"', 'title="Enlace a esta figura"'),
    ('title="Link to this table"', 'title="Enlace a esta tabla"'),
    ('title="Link to this code"', 'title="Enlace a este código"'),
    ('title="Link to this definition"', 'title="Enlace a esta definición"'),
    ('title="Link to this term"', 'title="Enlace a este término"'),
    ("Descarga esta pagina", "Descargar esta página"),
    ('aria-label="Toggle hidden content"', 'aria-label="Mostrar u ocultar"'),
    # sphinx-togglebutton trae «Haz clic…» (tú) en su traducción.
    ("'Haz clic para mostrar'", "'Mostrar'"),
    ("'Haz clic para ocultar'", "'Ocultar'"),
    ("© Copyright ", "© "),
)

# translations.js de Sphinx para «es»: frases de la búsqueda corregidas.
JS_TRANSLATIONS = {
    "Your search did not match any documents. Please make sure that all "
    "words are spelled correctly and that you've selected enough "
    "categories.":
        "La búsqueda no encontró ninguna página. Revisen que las palabras "
        "estén bien escritas o prueben con menos palabras (las tildes no "
        "importan).",
    "Search finished, found ${resultCount} page(s) matching the search "
    "query.":
        "Búsqueda terminada: ${resultCount} página(s) contienen todas las "
        "palabras buscadas.",
    "Please activate JavaScript to enable the search\n    functionality.":
        "Para buscar hace falta activar JavaScript en el navegador.",
    "Preparing search...": "Preparando la búsqueda…",
    "Searching": "Buscando",
    "Search Results": "Resultados de la búsqueda",
    "Hide Search Matches": "Ocultar las coincidencias",
    "Last updated on %(last_updated)s.":
        "Actualizado por última vez el %(last_updated)s.",
}


def _fix_translations_js(outdir):
    path = Path(outdir) / "_static" / "translations.js"
    if not path.exists():
        return
    text = path.read_text(encoding="utf-8")
    import json
    start = text.index("{")
    end = text.rindex("}") + 1
    data = json.loads(text[start:end])
    data.setdefault("messages", {}).update(JS_TRANSLATIONS)
    path.write_text(text[:start] + json.dumps(data, ensure_ascii=False,
                                              indent=4) + text[end:],
                    encoding="utf-8")


def translate_html(text):
    """Aplica ``UI_REPLACEMENTS`` a una página HTML."""
    for old, new in UI_REPLACEMENTS:
        text = text.replace(old, new)
    return text


def _fix_pages(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    outdir = Path(app.outdir)
    for page in outdir.rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        fixed = translate_html(text)
        if fixed != text:
            page.write_text(fixed, encoding="utf-8")
    _fix_translations_js(outdir)


def setup(app):
    languages["es"] = SpanishSearchWithoutAccents
    _patch_js_stemmer()
    app.connect("build-finished", _fix_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
