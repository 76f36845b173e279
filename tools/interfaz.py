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
- **Resultados de la búsqueda.** El extracto de cada resultado separa las
  palabras de bloques vecinos (un párrafo, un ítem, una celda) y se centra
  en la palabra buscada aunque se escriba sin tildes; los títulos y las
  entradas del índice (los términos del glosario) también se comparan sin
  tildes (``_static/searchtools.js``, ``BUSQUEDA_JS``).
- **Título de la pestaña.** La portada no repite el nombre del libro
  («Esenciales… — Esenciales…»).
- **Página 404 en español** (``404.html``, la que muestra GitHub Pages):
  autosuficiente, sin recursos relativos, porque se sirve en cualquier
  ruta; busca la raíz del libro subiendo por la dirección.
"""

import html
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


# «<title>Libro — Libro</title>»: la portada lleva el nombre del libro y el
# tema le agrega otra vez el sufijo con ese mismo nombre.
_DOUBLE_TITLE = re.compile(r"<title>(.+?) &#8212; \1</title>")


def translate_html(text):
    """Aplica ``UI_REPLACEMENTS`` a una página HTML y no repite el título."""
    for old, new in UI_REPLACEMENTS:
        text = text.replace(old, new)
    return _DOUBLE_TITLE.sub(r"<title>\1</title>", text)


# Se agrega al final de _static/searchtools.js (Sphinx 7.x): reemplaza el
# extracto de cada resultado. SIN_TILDES cambia, dentro del mismo archivo,
# las comparaciones de la consulta con los títulos y con las entradas del
# índice (ahí están los términos del glosario).
BUSQUEDA_JS = r"""
/* Esenciales: búsqueda en español (tools/interfaz.py). */
const esencialesPlano = (texto) => Array.from(texto, (c) =>
  c.length > 1 ? c : c.normalize("NFD").charAt(0)).join("");
const ESENCIALES_BLOQUES = "p, li, dt, dd, div, section, pre, td, th, tr, " +
  "h1, h2, h3, h4, h5, h6, figcaption, caption, blockquote, br, table";
Search.htmlToText = (htmlString, anchor) => {
  const doc = new DOMParser().parseFromString(htmlString, "text/html");
  // Fuera del extracto: lo que no es texto del capítulo (botones, índice
  // de la página, enlaces «anterior / siguiente», pie).
  for (const quitar of [".headerlink", "script", "style", "button",
                        ".sd-tab-label", ".bd-header-article",
                        ".bd-sidebar-secondary", ".prev-next-area",
                        "footer"]) {
    doc.querySelectorAll(quitar).forEach((el) => el.remove());
  }
  const main = doc.querySelector('[role="main"]');
  if (!main) return "";
  const raiz = (anchor && main.querySelector(anchor)) || main;
  // Un espacio al final de cada bloque: «…pérdida.</p><p>El…» no se
  // lee «pérdida.El».
  raiz.querySelectorAll(ESENCIALES_BLOQUES).forEach((el) => el.append(" "));
  return raiz.textContent.replace(/\s+/g, " ").trim();
};
Search.makeSearchSummary = (htmlText, keywords, anchor) => {
  const plano = [...keywords].map((k) => esencialesPlano(k.toLowerCase()));
  const texto = Search.htmlToText(htmlText, anchor);
  if (texto === "") return null;
  const bajo = esencialesPlano(texto.toLowerCase());
  const posiciones = plano.map((k) => bajo.indexOf(k)).filter((i) => i > -1);
  const inicio = Math.max((posiciones.length ? posiciones[0] : 0) - 120, 0);
  const resumen = document.createElement("p");
  resumen.classList.add("context");
  resumen.textContent = (inicio ? "…" : "") +
    texto.substr(inicio, 240).trim() +
    (inicio + 240 < texto.length ? "…" : "");
  return resumen;
};
"""

PAGINA_404 = """<!DOCTYPE html>
<html lang="es">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Página no encontrada · {proyecto}</title>
<style>
body {{ font-family: system-ui, sans-serif; color: #222; margin: 0;
       line-height: 1.5; }}
main {{ max-width: 36rem; margin: 4rem auto; padding: 0 1.25rem; }}
h1 {{ font-size: 1.6rem; }}
a {{ color: #0b4fb3; }}
input, button {{ font: inherit; }}
</style>
</head>
<body>
<main>
<h1>Página no encontrada</h1>
<p>La dirección que abrieron no corresponde a ninguna página de
<em>{proyecto}</em>. Quizá el enlace tenía un error, o la página cambió
de nombre.</p>
<p><a id="ir-inicio" href="index.html">Volver al comienzo del libro</a></p>
<form id="ir-buscar" action="search.html" method="get" role="search">
<label for="consulta">Buscar en el libro:</label>
<input id="consulta" name="q" type="search">
<button type="submit">Buscar</button>
</form>
</main>
<script>
/* La página se sirve en cualquier ruta que no exista: la raíz del libro
   es el prefijo más largo de la dirección donde hay un index.html. */
(async () => {{
  const partes = location.pathname.split("/").slice(0, -1);
  for (let n = partes.length; n >= 1; n--) {{
    const raiz = partes.slice(0, n).join("/") + "/";
    try {{
      const r = await fetch(raiz + "_static/esenciales.css",
                            {{method: "HEAD"}});
      if (r.ok) {{
        document.getElementById("ir-inicio").href = raiz + "index.html";
        document.getElementById("ir-buscar").action = raiz + "search.html";
        return;
      }}
    }} catch (e) {{ /* sin conexión: quedan los enlaces relativos */ }}
  }}
}})();
</script>
</body>
</html>
"""


def _write_404(app):
    """``404.html`` en español, en la raíz del sitio."""
    page = PAGINA_404.format(proyecto=html.escape(app.config.project))
    (Path(app.outdir) / "404.html").write_text(page, encoding="utf-8")


SIN_TILDES = (
    ("const queryLower = query.toLowerCase().trim();",
     "const queryLower = esencialesPlano(query.toLowerCase().trim());"),
    ("if (title.toLowerCase().trim().includes(queryLower)",
     "if (esencialesPlano(title.toLowerCase().trim()).includes(queryLower)"),
    ("if (entry.includes(queryLower)",
     "if (esencialesPlano(entry.toLowerCase()).includes(queryLower)"),
)


def _patch_searchtools(outdir):
    path = Path(outdir) / "_static" / "searchtools.js"
    if not path.exists():
        return
    text = path.read_text(encoding="utf-8")
    if "esencialesPlano" in text:
        return
    for old, new in SIN_TILDES:
        if old not in text:
            raise RuntimeError(f"searchtools.js cambió: falta «{old}» "
                               "(tools/interfaz.py, SIN_TILDES)")
        text = text.replace(old, new)
    path.write_text(text + BUSQUEDA_JS, encoding="utf-8")


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
    _patch_searchtools(outdir)
    _write_404(app)


def setup(app):
    languages["es"] = SpanishSearchWithoutAccents
    _patch_js_stemmer()
    app.connect("build-finished", _fix_pages)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
