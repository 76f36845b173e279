"""Las herramientas del libro: revisión de la voz, interfaz, búsqueda y citas."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import bibliografia  # noqa: E402
import check_book  # noqa: E402
import interfaz  # noqa: E402


def _voice(tmp_path, text):
    page = tmp_path / "capitulo.md"
    page.write_text(text, encoding="utf-8")
    return [message for _, message in check_book.check_voice(page)]


def test_voice_flags_tu_and_usted_but_not_ustedes(tmp_path):
    assert _voice(tmp_path, "Calcula la pérdida. Comprueba tu respuesta.\n")
    assert _voice(tmp_path, "Ejecute la celda y compare.\n")
    assert _voice(tmp_path, "¿Qué obtiene? Compruébelo con `conv`.\n")
    assert not _voice(tmp_path, "Calculen la pérdida y comparen. Veamos.\n")
    # Tercera persona a mitad de oración, código y negritas no son voz.
    assert not _voice(tmp_path, "La red calcula la pérdida; `usa` X.\n"
                                "- **prueba**: se mira una vez.\n")
    assert not _voice(tmp_path, "```python\nprint('tú')\n```\n")


USTED = [
    "Si usted ejecuta la celda, lo verá.",
    "Para verlo, ejecute la celda.",
    "La curva baja; note que no llega a cero.",
    "Entrenamos y, al final, considere el costo.",
    "Si quiere repetirlo, abran la terminal.",
    "Al final verá que la pérdida baja.",
    "¿Qué obtiene? Repitan con otra semilla.",
    "Fíjese en la curva de validación.",
    "Le recomendamos la terminal.",
    "Puede ver la curva en la figura.",
    "La red aprende. Podrá consultar el código en el paquete.",
    "Lo mismo vale para Ud. y su equipo.",
    "```{exercise} Calcule la pérdida\n:label: ej-a\n\nTexto.\n```",
]
NOT_USTED = [
    "Para verlo, ejecuten la celda. Observen que la pérdida baja.",
    "¿Qué obtienen? ¿Qué ve la red en la primera capa?",
    "La red calcula; en cada paso, calcula el gradiente.",
    "Aquí lo pedimos a `trained`, que lo guarda.",
    "Para que la red note que hay un borde, usamos filtros.",
    "Se verá que baja. Puede que la red no aprenda.",
    "Cada posición puede ver solo las anteriores.",
    "Los sépalos y los pétalos miden. El modelo, que use la GPU, entrena.",
    "Si quieren repetirlo, usen la terminal; verán que tarda.",
    "```{exercise} Calculen la pérdida\n:label: ej-a\n\nTexto.\n```",
    "```{glue:figure} tu_figura\n:alt: Dos curvas que bajan juntas.\n```",
]


@pytest.mark.parametrize("text", USTED)
def test_voice_flags_usted_beyond_pronouns(tmp_path, text):
    assert _voice(tmp_path, text + "\n"), text


@pytest.mark.parametrize("text", NOT_USTED)
def test_voice_leaves_ustedes_and_third_person_alone(tmp_path, text):
    assert _voice(tmp_path, text + "\n") == []


def test_the_book_speaks_with_one_voice():
    problems = [f"{path.name}:{line}: {message}"
                for path in sorted((ROOT / "book").glob("*.md"))
                for line, message in check_book.check_voice(path)]
    assert problems == []


def test_exercises_need_a_title(tmp_path):
    page = tmp_path / "capitulo.md"
    page.write_text("```{exercise}\n:label: a\n\nx\n```\n"
                    "```{exercise} Con título\n:label: b\n\ny\n```\n")
    assert [n for n, _ in check_book.check_exercise_titles(page)] == [1]


def test_figures_need_an_alt_that_says_what_they_show(tmp_path):
    page = tmp_path / "capitulo.md"
    page.write_text(
        "```{glue:figure} fig_a\n:name: fig-a\n\nTexto.\n```\n"
        "```{glue:figure} fig_b\n:alt: Curvas\n:name: fig-b\n```\n"
        "```{glue:figure} fig_c\n:alt: Dos curvas de pérdida que bajan."
        "\n:name: fig-c\n```\n", encoding="utf-8")
    assert [n for n, _ in check_book.check_figure_alts(page)] == [1, 6]


def _html(body, frame=""):
    return (f"<html><body><nav>{frame}</nav><article class='bd-article'>"
            f"{body}</article></body></html>")


def _page_problems(tmp_path, html):
    page = tmp_path / "pagina.html"
    page.write_text(html, encoding="utf-8")
    return [message for _, message in check_book.check_html_page(page)]


def test_html_numbers_need_a_thin_no_break_space(tmp_path):
    bad = _page_problems(tmp_path, _html("<p>Son 16 981 120 y 60000.</p>"))
    assert len(bad) == 2
    good = _page_problems(tmp_path, _html(
        "<p>Son 16\u202f981\u202f120, 1998 y 0,25.</p>"
        "<pre>60000 1 000</pre><span class='math'>10 000</span>"))
    assert good == []


def test_percent_signs_stay_with_their_number(tmp_path):
    bad = _page_problems(tmp_path, _html(
        "<p>Acierta el 95 % y <span class='pasted-text'>98,2</span> %.</p>"))
    assert len(bad) == 2 and all("U+00A0" in m for m in bad)
    good = _page_problems(tmp_path, _html(
        "<p>Acierta el 95\u00a0% y <span class='pasted-text'>98,2</span>"
        "\u00a0%.</p><pre>print(10 % 3)</pre>"))
    assert good == []


def test_glued_numbers_need_the_spanish_formatter(tmp_path):
    bad = _page_problems(tmp_path, _html(
        '<p>Llega a <span class="pasted-text">0.9838</span> y difiere en '
        '<span class="pasted-text">2e-07</span>.</p>'))
    assert len(bad) == 2 and all("pegado" in m for m in bad)
    good = _page_problems(tmp_path, _html(
        '<p>Llega a <span class="pasted-text">98,38\u00a0%</span>, '
        '<span class="pasted-text">2 × 10⁻⁷</span> en la sección 3.2.</p>'))
    assert good == []


def test_html_english_theme_strings_are_flagged(tmp_path):
    frame = "<button title='Toggle primary sidebar'>Search</button>"
    assert len(_page_problems(tmp_path, _html("<p>Hola.</p>", frame))) >= 2
    spanish = "<button title='Mostrar u ocultar el índice'>Buscar</button>"
    assert _page_problems(tmp_path, _html("<p>Hola.</p>", spanish)) == []
    assert _page_problems(tmp_path, _html("<p>Show code cell output</p>"))


def test_theme_replacements_reach_every_flagged_button():
    html = interfaz.translate_html(
        '<button title="Toggle primary sidebar">'
        '<p class="admonition-title">Mostrar output</p>'
        '<p>Actualizado por última vez en 30 de noviembre.</p>')
    assert "Toggle" not in html and "output" not in html
    assert "Mostrar la salida" in html
    assert "última vez el 30 de noviembre" in html


def test_search_stem_ignores_accents():
    import snowballstemmer
    stemmer = snowballstemmer.stemmer("spanish")
    pairs = [("retropropagación", "retropropagacion"), ("época", "epoca"),
             ("pérdidas", "perdidas"), ("Función", "funcion")]
    for accented, plain in pairs:
        assert (interfaz.search_stem(stemmer, accented)
                == interfaz.search_stem(stemmer, plain))


@pytest.mark.skipif(shutil.which("node") is None,
                    reason="hace falta Node.js (lo instala .ci/run)")
def test_search_stem_is_the_same_in_the_browser():
    """El índice (Python) y la consulta (JavaScript) dan la misma raíz."""
    import snowballstemmer

    words = ["retropropagación", "retropropagacion", "épocas", "convolución",
             "regularizacion", "atención", "pérdida", "entropía",
             "aprendió", "normalización", "redes", "gradientes"]
    import sphinx
    minified = Path(sphinx.__file__).parent / "search" / "minified-js"
    code = ((minified / "base-stemmer.js").read_text()
            + (minified / "spanish-stemmer.js").read_text()
            + "\nStemmer = SpanishStemmer;\n" + interfaz.JS_STEMMER_WRAPPER
            + "\nconst s = new Stemmer();\nconsole.log(JSON.stringify("
            + json.dumps(words) + ".map(w => s.stemWord(w))));\n")
    out = subprocess.run(["node", "-e", code], capture_output=True,
                         text=True, check=True).stdout
    stemmer = snowballstemmer.stemmer("spanish")
    assert json.loads(out) == [interfaz.search_stem(stemmer, w)
                               for w in words]


def test_bibliography_is_spanish_author_year_with_one_doi():
    from pybtex.database import parse_string
    from pybtex.plugin import find_plugin

    bib = parse_string("""
@article{a, author={Ana Uno and Beto Dos}, title={T1}, journal={J},
  year={2001}, doi={10.1/xyz}, url={https://doi.org/10.1/xyz}}
@misc{b, author={Carla Tres}, title={Sin fecha}, url={https://b.org}}
@inproceedings{c, author={Dora Cuatro and others}, title={T3},
  booktitle={Actas}, year={2017}, pages={1--12}}
""", "bibtex")
    style = find_plugin("pybtex.style.formatting", "esenciales")()
    text = find_plugin("pybtex.backends", "text")()
    entries = {e.key: e for e in style.format_entries(bib.entries.values())}
    assert entries["a"].label == "Uno y Dos, 2001"
    assert entries["b"].label == "Tres, s.\u00a0f."
    assert entries["c"].label == "Cuatro et al., 2017"
    rendered = entries["a"].text.render(text)
    assert rendered.count("10.1/xyz") == 1 and " and " not in rendered
    assert "En Actas, págs. 1–12" in entries["c"].text.render(text)
    assert bibliografia.author_year(bib.entries["a"]) == entries["a"].label
