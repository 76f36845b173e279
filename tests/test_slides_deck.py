"""Las diapositivas de make slides: cómo se arman y cómo se ven.

Las pruebas sin marca revisan tools/diapositivas.py sobre HTML de
ejemplo (agrupar bloques marcados, notas, pestañas, tabla del libro).
Las marcadas «browser» abren los mazos construidos en Chromium.

Necesita el libro y las diapositivas construidos (make book, make
slides); corre con ``pytest -m browser tests/test_slides_deck.py``. Sirve
_build/slides desde 127.0.0.1 y abre cada mazo a 1280 × 720: reveal.js
arranca con sus complementos de notas y fórmulas, el mazo tiene una
diapositiva por fila de la tabla de book/diapositivas.md (más portadas),
cada diapositiva de contenido tiene notas del orador, nada se sale de la
diapositiva, la letra del texto mide al menos 24 px (20 px el código), el
texto corrido no pasa de 40 palabras, las imágenes cargan, las fórmulas se
dibujan, nada se pide fuera del servidor local y cada PDF tiene una página
por diapositiva (y su resumen, seis por hoja). Deja capturas de algunas
diapositivas en _build/screenshots/diapositivas/.
"""

import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support import chromium

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tools"))

import diapositivas  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
BUILD = ROOT / "_build"
SLIDES = Path(os.environ.get("ESENCIALES_SLIDES", BUILD / "slides"))
PLAN = BUILD / "html" / "book" / "diapositivas.html"
SCREENSHOTS = BUILD / "screenshots" / "diapositivas"
WIDTH, HEIGHT = 1280, 720
MIN_TEXT_PX, MIN_CODE_PX = 24, 20
MAX_WORDS = 40

# Espera a reveal.js, a MathJax y a las imágenes del mazo.
READY_JS = """
const done = arguments[arguments.length - 1];
const wait = () => window.Reveal && Reveal.isReady()
  ? Promise.resolve() : new Promise((r) => setTimeout(() => r(wait()), 100));
const mathjax = () => window.MathJax && MathJax.typesetPromise
  ? MathJax.startup.promise
  : new Promise((r) => setTimeout(() => r(mathjax()), 100));
wait().then(() => {
  const typeset = mathjax();
  const images = [...document.images].map((i) => {
    i.loading = "eager"; return i.decode().catch(() => 0); });
  return Promise.all([typeset, ...images]);
}).then(() => done({
  total: Reveal.getTotalSlides(),
  viewport: [innerWidth, innerHeight], scale: Reveal.getScale(),
  plugins: ["notes", "mathjax3"].filter((p) => Reveal.hasPlugin(p)),
  resources: performance.getEntriesByType("resource").map((r) => r.name),
}));
"""

# Lo que se mide en la diapositiva presente, en píxeles de la diapositiva.
MEASURE_JS = """
const index = arguments[0];
Reveal.slide(index);
const slide = Reveal.getCurrentSlide();
const scale = Reveal.getScale();
const frame = slide.querySelector(".marco").getBoundingClientRect();
const overflow = [];
const small = [];
for (const el of slide.querySelectorAll(".marco *")) {
  if (el.closest("mjx-assistive-mml")) continue;
  const box = el.getBoundingClientRect();
  if (box.width === 0 && box.height === 0) continue;
  const out = Math.max(frame.left - box.left, box.right - frame.right,
                       frame.top - box.top, box.bottom - frame.bottom);
  if (out / scale > 1) overflow.push(el.tagName + " " + el.className + " "
                                     + Math.round(out / scale) + " px");
  const hasText = [...el.childNodes].some(
    (n) => n.nodeType === 3 && n.textContent.trim());
  if (!hasText && el.tagName !== "MJX-CONTAINER") continue;
  const size = parseFloat(getComputedStyle(el).fontSize);
  const minimum = el.closest("pre") ? %d : %d;
  if (size < minimum) small.push(el.tagName + " «"
    + el.textContent.trim().slice(0, 30) + "» " + size + " px");
}
const prose = slide.querySelector(".cuerpo")
  ? slide.querySelector(".cuerpo").cloneNode(true) : null;
let words = 0;
if (prose) {
  prose.querySelectorAll("pre, .math, mjx-container, table, .pestana")
    .forEach((n) => n.remove());
  words = prose.textContent.split(/\\s+/).filter((w) => w).length;
}
const notes = slide.querySelector("aside.notes");
return {
  id: slide.id, cover: slide.classList.contains("portada"),
  notes: notes ? notes.textContent.trim().length : 0,
  overflow, small, words,
  brokenImages: [...slide.querySelectorAll("img")]
    .filter((i) => !(i.complete && i.naturalWidth > 0)).map((i) => i.src),
  mathErrors: slide.querySelectorAll("mjx-merror").length,
  rawMath: /\\\\[(\\[]/.test(slide.querySelector(".marco").textContent),
};
""" % (MIN_CODE_PX, MIN_TEXT_PX)


def decks():
    """Los mazos que make slides debe escribir (y los de PyTorch, si hay)."""
    names = {f"{path.stem}.html"
             for path in (ROOT / "book").glob("[0-9][0-9]_*.md")}
    names.add("clase.html")
    names.update(path.name for path in SLIDES.glob("*-pytorch.html"))
    return sorted(names)


def plan_rows():
    """Filas de la tabla de book/diapositivas.md, por capítulo."""
    return diapositivas.read_plan(PLAN.parents[1])


@pytest.fixture(scope="module")
def site():
    """URL base de _build/slides servido localmente."""
    if not (SLIDES / "clase.html").exists():
        pytest.fail(f"No hay diapositivas en {SLIDES}: corran «make book» "
                    "y «make slides» antes de esta prueba.")
    sys.path.insert(0, str(ROOT / "tools"))
    from serve import start

    server, url = start(SLIDES, prefix="/diapositivas/")
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """Chromium de Debian a 1280 × 720, manejado por selenium."""
    driver = chromium(tmp_path_factory.mktemp("chromium-diapositivas"),
                      WIDTH, HEIGHT, "--hide-scrollbars")
    # La ventana incluye el marco del navegador: el área visible, exacta.
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": WIDTH, "height": HEIGHT, "deviceScaleFactor": 1,
        "mobile": False})
    driver.set_script_timeout(90)
    driver.set_page_load_timeout(90)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


def expected_slides(name, plan):
    """Diapositivas que debe tener un mazo según la tabla del libro."""
    stem = re.sub(r"-pytorch$", "", Path(name).stem)
    if stem == "clase":
        # Portada, contenidos, cada capítulo con su portada, ¿Preguntas?
        return 3 + sum(1 + len(rows) for rows in plan.values())
    return 1 + len(plan[stem])


@pytest.mark.browser
@pytest.mark.parametrize("name", decks())
def test_deck(site, browser, name):
    browser.get(site + name)
    state = browser.execute_async_script(READY_JS)
    assert state["viewport"] == [WIDTH, HEIGHT] and state["scale"] == 1, \
        f"{name}: la diapositiva no se ve a {WIDTH} × {HEIGHT}: {state}"
    assert state["plugins"] == ["notes", "mathjax3"], \
        f"{name}: reveal.js sin el complemento de notas o de fórmulas"
    assert state["total"] == expected_slides(name, plan_rows()), \
        f"{name}: {state['total']} diapositivas, distinto de la tabla"
    outside = [r for r in state["resources"] if not r.startswith(site)]
    assert not outside, f"{name} pide recursos fuera del servidor: {outside}"
    errors = [entry["message"] for entry in browser.get_log("browser")
              if entry["level"] == "SEVERE"]
    assert not errors, f"{name}: errores en la consola: {errors}"

    problems, content, with_notes = [], 0, 0
    for index in range(state["total"]):
        slide = browser.execute_script(MEASURE_JS, index)
        where = f"{name} diapositiva {index + 1} ({slide['id']})"
        if not slide["cover"]:
            content += 1
            with_notes += slide["notes"] > 0
            if not slide["notes"]:
                problems.append(f"{where}: sin notas del orador")
        for key in ("overflow", "small", "brokenImages"):
            if slide[key]:
                problems.append(f"{where}: {key} {slide[key][:3]}")
        if slide["words"] > MAX_WORDS:
            problems.append(f"{where}: {slide['words']} palabras")
        if slide["mathErrors"] or slide["rawMath"]:
            problems.append(f"{where}: fórmula sin dibujar")
        if index < 4 or index % 5 == 0:
            browser.save_screenshot(
                str(SCREENSHOTS / f"{Path(name).stem}-{index + 1:02d}.png"))
    assert not problems, "\n".join(problems)
    assert content and with_notes == content


@pytest.mark.browser
def test_speaker_view_opens_with_s_and_speaks_spanish(site, browser):
    """La tecla «S» abre la vista del orador con las notas, en español."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(site + "03_redes_neuronales.html#/2")
    browser.execute_async_script(READY_JS)
    ActionChains(browser).send_keys("s").perform()
    WebDriverWait(browser, 30).until(lambda d: len(d.window_handles) == 2)
    # La ventana del orador, leída desde la del mazo (mismo origen).
    read = ("const w = window.open('', 'reveal.js - Notes');"
            "const n = w.document.querySelector("
            "'.speaker-controls-notes .value');"
            "return n && n.textContent.trim() ? w.document.body.innerText"
            " : null;")
    text = WebDriverWait(browser, 30).until(lambda d: d.execute_script(read))
    words = set(re.findall(r"\w+", text.casefold()))
    assert {"notas", "siguiente", "hora", "disposición"} <= words, text
    assert not words & {"notes", "upcoming", "time", "layout"}, text
    browser.execute_script("window.open('', 'reveal.js - Notes').close();")


@pytest.mark.browser
def test_help_overlay_speaks_spanish(site, browser):
    """La tecla «?» muestra los atajos de teclado en español."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(site + "03_redes_neuronales.html#/2")
    browser.execute_async_script(READY_JS)
    ActionChains(browser).send_keys("?").perform()
    read = ("const o = document.querySelector('.r-overlay-help');"
            "return o ? o.innerText : null;")
    text = WebDriverWait(browser, 30).until(lambda d: d.execute_script(read))
    words = set(re.findall(r"\w+", text.casefold()))
    assert {"atajos", "tecla", "acción", "diapositiva"} <= words, text
    assert not words & {"keyboard", "shortcuts", "next", "slide",
                        "previous", "navigate"}, text


@pytest.mark.browser
@pytest.mark.parametrize("name", decks())
def test_pdf(name):
    """Una página por diapositiva; el resumen, seis por hoja."""
    deck = SLIDES / name
    text = deck.read_text(encoding="utf-8")
    slides = len(re.findall(r"<section id=", text))
    pages = pdf_pages(deck.with_suffix(".pdf"))
    assert pages == slides, f"{name}: {pages} páginas para {slides} diapositivas"
    handout = deck.with_name(deck.stem + "-6.pdf")
    assert pdf_pages(handout) == math.ceil(slides / 6)


def pdf_pages(path):
    """Páginas de un PDF según pdfinfo (poppler-utils)."""
    assert path.exists(), f"falta {path}"
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True,
                          text=True, check=True).stdout
    return int(re.search(r"^Pages:\s+(\d+)", info, re.M).group(1))


# ------------------------------------------------ el armado, sin navegador

CHAPTER = """<html><body><main><section id="cap"><h1>Capítulo</h1>
<section id="uno"><h2>Uno<a class="headerlink" href="#uno">¶</a></h2>
<p>Antes del primero.</p>
<p class="diapositiva">Primer punto.</p>
<p>Después del primero.</p>
<figure class="diapositiva align-default"><img src="../_images/a.png" alt="a">
<figcaption><p>Pie de la figura.</p></figcaption></figure>
<div class="diapositiva nueva math notranslate">\\[x = 1\\]</div>
</section>
<section id="dos"><h2>Dos</h2><p>Texto de dos.</p>
<div class="sd-tab-set diapositiva docutils">
<input type="radio"><label class="sd-tab-label">Keras</label>
<div class="sd-tab-content"><div class="highlight"><pre>keras()</pre></div></div>
<input type="radio"><label class="sd-tab-label">PyTorch</label>
<div class="sd-tab-content"><div class="highlight"><pre>torch()</pre></div></div>
</div></section>
<section class="diapositiva" id="tres"><h2>Tres</h2><p>Idea tres.</p></section>
<section class="diapositiva" id="cuatro"><h2>Cuatro</h2><p>Idea 4.</p></section>
</section></main></body></html>"""


def chapter_slides():
    from bs4 import BeautifulSoup

    return diapositivas.split_slides(BeautifulSoup(CHAPTER, "html.parser"))


@pytest.mark.parametrize("tex, text", [
    (r"\theta_{t+1} = \theta_t - \eta \nabla_\theta \mathcal{L}",
     "θₜ₊₁ = θₜ − η ∇_θ L"),
    (r"\hat y_k = \frac{e^{z_k}}{\sum_j e^{z_j}}",
     "ŷₖ = (e^(zₖ))/(Σⱼ e^(zⱼ))"),
    (r"\sigma(z) = \frac{1}{1+e^{-z}}", "σ(z) = 1/(1+e^(−z))"),
    (r"\bar d \pm t_{0{,}975;\, n-1}", "d̄ ± t_(0,975; n−1)"),
    (r"28 \times 28", "28 × 28"),
])
def test_speaker_notes_write_formulas_as_plain_text(tex, text):
    """La vista del orador no tiene MathJax: la fórmula va en texto."""
    assert diapositivas.tex_to_text(tex) == text


def test_a_note_has_no_tex_source():
    from bs4 import BeautifulSoup

    paragraph = BeautifulSoup(
        r'<p>La regla es <span class="math notranslate nohighlight">'
        r'\(\theta \leftarrow \theta - \eta g\)</span>.</p>',
        "html.parser").p
    assert diapositivas.note_text(paragraph) == "La regla es θ ← θ − η g."


def test_marked_blocks_group_by_section():
    slides = chapter_slides()
    assert [s.section_id for s in slides] == ["uno", "uno", "dos", "cap"]
    assert [len(s.blocks) for s in slides] == [2, 1, 1, 2]
    assert slides[0].section_title == "Uno"
    # Secciones marcadas: sus títulos, puntos de la sección que las contiene.
    assert [b.li.string for b in slides[3].blocks] == ["Tres", "Cuatro"]


def test_notes_come_from_the_neighbouring_paragraphs():
    first, _, code, points = chapter_slides()
    assert first.notes == ["Antes del primero.", "Después del primero.",
                           "Figura: Pie de la figura."]
    assert code.notes == ["Texto de dos."]
    assert points.notes == ["Idea tres.", "Idea 4."]


@pytest.mark.parametrize("framework, shown, hidden",
                         [("keras", "keras()", "torch()"),
                          ("torch", "torch()", "keras()")])
def test_code_comes_from_the_framework_tab(tmp_path, framework, shown,
                                           hidden):
    code = chapter_slides()[2].blocks[0]
    html = str(diapositivas.clean(code, framework, None))
    assert shown in html and hidden not in html
    assert diapositivas.TAB_LABEL[framework] in html


def test_images_are_copied_next_to_the_deck(tmp_path):
    (tmp_path / "html" / "_images").mkdir(parents=True)
    (tmp_path / "html" / "_images" / "a.png").write_bytes(b"png")
    (tmp_path / "html" / "book").mkdir()
    assets = diapositivas.Assets(tmp_path / "html", tmp_path / "out")
    figure = chapter_slides()[0].blocks[1]
    html = str(diapositivas.clean(figure, "keras", assets))
    assert 'src="imagenes/a.png"' in html and "Pie" not in html
    assert (tmp_path / "out" / "imagenes" / "a.png").read_bytes() == b"png"


def test_a_slide_shows_the_page_version_of_a_stacked_figure(tmp_path):
    """Del <picture> de una figura de varios paneles, la diapositiva
    (ancha) se queda con la versión de la página, sin el <source>."""
    from bs4 import BeautifulSoup

    (tmp_path / "html" / "_images").mkdir(parents=True)
    for name in ("ancha.svg", "apilada.svg"):
        (tmp_path / "html" / "_images" / name).write_text("<svg/>")
    (tmp_path / "html" / "book").mkdir()
    assets = diapositivas.Assets(tmp_path / "html", tmp_path / "out")
    figure = BeautifulSoup(
        '<figure class="diapositiva"><picture><source media="(max-width: '
        '600px)" srcset="../_images/apilada.svg"><img alt="Dos paneles." '
        'src="../_images/ancha.svg"></picture><figcaption>Pie'
        "</figcaption></figure>", "html.parser").find()
    html = str(diapositivas.clean(figure, "keras", assets))
    assert html == ('<figure class="figura"><img alt="Dos paneles." '
                    'src="imagenes/ancha.svg"/></figure>')
    assert sorted(p.name for p in (tmp_path / "out" / "imagenes")
                  .iterdir()) == ["ancha.svg"]


def plan(*sections):
    return [diapositivas.PlanRow("01_x", number, f"Título {number}", "—",
                                 section)
            for number, section in enumerate(sections, start=2)]


def test_the_book_table_titles_the_slides():
    chapter = diapositivas.Chapter("01_x", 1, "Capítulo", chapter_slides())
    diapositivas.apply_plan(chapter, plan("Uno", "*Uno*", "Dos",
                                          "Capítulo"))
    assert [s.title for s in chapter.slides] == [
        "Título 2", "Título 3", "Título 4", "Título 5"]


@pytest.mark.parametrize("sections", [("Uno", "Uno", "Dos"),
                                      ("Uno", "Dos", "Uno", "Capítulo")])
def test_a_table_that_does_not_match_the_marks_fails(sections):
    chapter = diapositivas.Chapter("01_x", 1, "Capítulo", chapter_slides())
    with pytest.raises(diapositivas.SlidesError, match="01_x"):
        diapositivas.apply_plan(chapter, plan(*sections))


def test_a_mark_before_a_directive_is_reported(tmp_path):
    (tmp_path / "01_x.md").write_text(
        "Texto.\n\n{.diapositiva}\n```{math}\nx\n```\n")
    with pytest.raises(diapositivas.SlidesError, match="01_x.md:3"):
        diapositivas.check_sources(tmp_path)
    (tmp_path / "01_x.md").write_text("{.diapositiva}\n```python\nx\n```\n")
    diapositivas.check_sources(tmp_path)
