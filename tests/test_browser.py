"""El libro HTML construido, abierto en Chromium sin pantalla.

Necesita el libro ya construido (make book); se corre con
`make check-html` (pytest -m browser). Sirve _build/html desde un
http.server en 127.0.0.1 y recorre todas las páginas: sin errores en la
consola, imágenes cargadas, fórmulas dibujadas por MathJax, ningún
recurso pedido fuera del servidor local, pestañas Keras | PyTorch
sincronizadas, búsqueda en español (extractos con espacios, sin importar
las tildes, también para los términos del glosario), lectura en un
teléfono (375 px: ninguna página ni figura más ancha que la pantalla,
cada figura de varios paneles en su versión apilada, y cada tabla que
no cabe avisa «más columnas →» y se recorre con el teclado) y en un escritorio (1280 px: ningún código de una pestaña ni
salida que se desplace de lado), la página 404 en español (también en
una dirección que no existe), títulos sin el nombre del libro repetido y
accesibilidad (axe-core, sin violaciones graves ni críticas). El libro se
sirve bajo /esenciales/, como en GitHub Pages (tools/serve.py): un enlace
que salga de la subruta se ve como recurso externo o imagen rota.
Deja capturas en _build/screenshots/.
"""

import os
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.support import chromium

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
HTML = Path(os.environ.get("ESENCIALES_HTML", ROOT / "_build" / "html"))
SCREENSHOTS = HTML.parent / "screenshots"
AXE = ROOT / "tools" / "node_modules" / "axe-core" / "axe.min.js"
AXE_FAILING_IMPACTS = ("serious", "critical")
PHONE_WIDTH = 375
SEARCH_WORD = "pérdida"

# Espera a que la página y MathJax terminen; devuelve lo que hay que revisar.
PAGE_STATE_JS = """
const done = arguments[arguments.length - 1];
const images = [...document.images];
images.forEach((img) => { img.loading = "eager"; });
const loaded = Promise.all(images.map((img) => img.decode().catch(() => 0)));
const typeset = window.MathJax && MathJax.startup
  ? MathJax.startup.promise : Promise.resolve();
Promise.all([loaded, typeset]).then(() => done({
  brokenImages: images.filter((img) => !(img.complete && img.naturalWidth > 0))
    .map((img) => img.src),
  mathSources: document.querySelectorAll(
    "span.math, div.math, .math.notranslate").length,
  mathRendered: document.querySelectorAll("mjx-container").length,
  mathErrors: document.querySelectorAll("mjx-merror").length,
  resources: performance.getEntriesByType("resource").map((r) => r.name),
  // Sin alt, o con el nombre del archivo por alt (lo que pone docutils).
  imagesWithoutAlt: images.filter((img) => !img.alt.trim()
    || /\\.(png|svg|jpe?g|gif)$/i.test(img.alt)).map((img) => img.src),
}));
"""


# axe-core sobre la página ya cargada; devuelve las violaciones resumidas.
AXE_RUN_JS = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ["violations"]}).then(
  (result) => done(result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")),
  }))),
  (error) => done([{id: "axe", impact: "critical", help: String(error),
                    nodes: []}]));
"""


@pytest.fixture(scope="module")
def site():
    """URL base (subruta /esenciales/) del libro servido localmente."""
    if not (HTML / "index.html").exists():
        pytest.fail(f"No hay libro construido en {HTML}: corra «make book» "
                    "antes de «make check-html».")
    sys.path.insert(0, str(ROOT / "tools"))
    from serve import start

    server, url = start(HTML)
    yield url
    server.shutdown()
    server.server_close()


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    """Chromium de Debian manejado por selenium con chromedriver."""
    driver = chromium(tmp_path_factory.mktemp("chromium-perfil"), 1280, 900)
    driver.set_script_timeout(60)
    driver.set_page_load_timeout(60)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    yield driver
    driver.quit()


def html_pages():
    """Rutas relativas de todas las páginas del libro."""
    pages = sorted(path.relative_to(HTML).as_posix()
                   for path in HTML.rglob("*.html")
                   if not path.relative_to(HTML).parts[0].startswith("_"))
    return pages


def open_page(driver, url):
    """Abre una página y devuelve su estado tras cargar imágenes y fórmulas."""
    driver.get(url)
    return driver.execute_async_script(PAGE_STATE_JS)


def console_errors(driver):
    """Errores de la consola desde la última lectura.

    El pedido automático de /favicon.ico no es de la página: se ignora.
    """
    return [entry["message"] for entry in driver.get_log("browser")
            if entry["level"] == "SEVERE"
            and "/favicon.ico" not in entry["message"]]


def screenshot_name(page, suffix=""):
    return page.replace("/", "_").removesuffix(".html") + suffix + ".png"


def test_every_page_loads_offline_and_clean(site, browser):
    problems = []
    pages = html_pages()
    console_errors(browser)
    for page in pages:
        state = open_page(browser, site + page)
        for message in console_errors(browser):
            problems.append(f"{page}: consola: {message}")
        for src in state["brokenImages"]:
            problems.append(f"{page}: imagen que no carga: {src}")
        for resource in state["resources"]:
            if not resource.startswith(site) and not resource.endswith(
                    "/favicon.ico"):  # lo pide el navegador, no la página
                problems.append(f"{page}: recurso externo: {resource}")
        if state["mathSources"] and not state["mathRendered"]:
            problems.append(f"{page}: fórmulas sin dibujar")
        if state["mathErrors"]:
            problems.append(f"{page}: {state['mathErrors']} errores de TeX")
    browser.save_screenshot(str(SCREENSHOTS / "portada.png"))
    assert len(pages) > 5, f"muy pocas páginas: {pages}"
    assert not problems, "\n".join(problems)


def test_math_is_rendered_by_local_mathjax(site, browser):
    pages = [page for page in html_pages()
             if 'class="math' in (HTML / page).read_text(encoding="utf-8")]
    assert pages, "ninguna página del libro tiene fórmulas"
    state = open_page(browser, site + pages[0])
    assert state["mathRendered"] >= state["mathSources"] > 0
    scripts = [s.get_attribute("src") for s in
               browser.find_elements("css selector", "script[src]")]
    assert any(src.startswith(site) and "tex-mml-chtml.js" in src
               for src in scripts), scripts
    browser.save_screenshot(str(SCREENSHOTS / screenshot_name(pages[0])))


def synced_tab_page():
    """Primera página con al menos dos pares de pestañas sincronizadas."""
    for page in html_pages():
        text = (HTML / page).read_text(encoding="utf-8")
        if text.count('data-sync-id="torch"') >= 2:
            return page
    return None


def test_tab_click_switches_every_pair(site, browser):
    from selenium.webdriver.common.by import By

    page = synced_tab_page()
    assert page, "ninguna página tiene dos pares de pestañas Keras | PyTorch"
    open_page(browser, site + page)
    torch_labels = browser.find_elements(
        By.CSS_SELECTOR, 'label.sd-tab-label[data-sync-id="torch"]')
    keras_labels = browser.find_elements(
        By.CSS_SELECTOR, 'label.sd-tab-label[data-sync-id="keras"]')
    for framework, labels, others in (("keras", keras_labels, torch_labels),
                                      ("torch", torch_labels, keras_labels)):
        browser.execute_script("arguments[0].scrollIntoView();", labels[0])
        labels[0].click()
        checked = [browser.find_element(By.ID, label.get_attribute("for"))
                   .is_selected() for label in labels]
        assert all(checked), f"{framework}: {checked}"
        unchecked = [browser.find_element(By.ID, label.get_attribute("for"))
                     .is_selected() for label in others]
        assert not any(unchecked)
        content = labels[-1].get_attribute("aria-controls")
        assert browser.find_element(By.ID, content).is_displayed()
    browser.save_screenshot(str(SCREENSHOTS / screenshot_name(page, "-tabs")))


def test_search_finds_spanish_word(site, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{site}search.html?q={quote(SEARCH_WORD)}")
    results = WebDriverWait(browser, 60).until(
        ec.presence_of_all_elements_located(
            (By.CSS_SELECTOR, "#search-results ul.search li a")))
    targets = [link.get_attribute("href") for link in results]
    assert targets and all(href.startswith(site) for href in targets)
    assert not console_errors(browser)
    browser.save_screenshot(str(SCREENSHOTS / "busqueda.png"))


def test_pages_fit_a_phone_screen(site, browser):
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": PHONE_WIDTH, "height": 812, "deviceScaleFactor": 2,
        "mobile": True})
    try:
        wide = []
        for page in html_pages():
            open_page(browser, site + page)
            width = browser.execute_script(
                "return Math.max(document.documentElement.scrollWidth,"
                " document.body.scrollWidth);")
            if width > PHONE_WIDTH + 1:
                wide.append(f"{page}: {width}px")
        page = synced_tab_page() or "index.html"
        open_page(browser, site + page)
        browser.save_screenshot(
            str(SCREENSHOTS / screenshot_name(page, "-telefono")))
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert not wide, "páginas más anchas que el teléfono:\n" + "\n".join(wide)



def test_every_page_passes_axe(site, browser):
    """axe-core (npm, desde tools/node_modules) y el alt de cada imagen."""
    if not AXE.exists():
        pytest.fail(f"Falta {AXE}: corra «npm ci --prefix tools».")
    axe = AXE.read_text(encoding="utf-8")
    problems = []
    for page in html_pages():
        state = open_page(browser, site + page)
        for src in state["imagesWithoutAlt"]:
            problems.append(f"{page}: imagen sin texto alternativo: {src}")
        browser.execute_script(axe)
        for violation in browser.execute_async_script(AXE_RUN_JS):
            if violation["impact"] in AXE_FAILING_IMPACTS:
                problems.append(
                    f"{page}: {violation['impact']} {violation['id']} "
                    f"({violation['help']}): {violation['nodes']}")
    assert not problems, "\n".join(problems)


# ------------------------------------------------ teléfono y escritorio
DESKTOP_WIDTH = 1280
GLOSSARY_WORDS = ("convolución", "convolucion")

# Lo que se sale de su caja: la página, las imágenes (que deben caber en la
# pantalla), y los bloques de código de las pestañas y las salidas de las
# celdas (que no deben desplazarse hacia el lado). Todas las pestañas se
# muestran a la vez mientras se mide: la que no está elegida también cuenta.
LAYOUT_JS = """
const width = document.documentElement.clientWidth;
const style = document.createElement("style");
style.textContent = ".sd-tab-content { display: block !important; }";
document.head.append(style);
const page = Math.max(document.documentElement.scrollWidth,
                      document.body.scrollWidth);
const scrolls = (el) => el.scrollWidth > el.clientWidth + 1;
const describe = (el) => {
  const line = (el.textContent || "").trim().split("\\n")[0];
  return `${line.slice(0, 50)} (${el.scrollWidth} > ${el.clientWidth} px)`;
};
const images = [...document.querySelectorAll(".bd-article img")].filter(
  (img) => {
    const box = img.getBoundingClientRect();
    return box.width > 0 && (box.right > width + 1 || box.left < -1);
  }).map((img) => (img.alt || img.src).slice(0, 60));
const result = {
  width, page, images,
  tabCode: [...document.querySelectorAll(".sd-tab-content pre")]
    .filter(scrolls).map(describe),
  outputs: [...document.querySelectorAll(".cell_output pre")]
    .filter(scrolls).map(describe),
  // Una fórmula en línea que se desplaza muestra una barra gris.
  inlineMath: [...document.querySelectorAll(
    ".bd-article mjx-container:not([display='true'])")].filter(
    (el) => ["auto", "scroll"].includes(getComputedStyle(el).overflowX)
      && scrolls(el)).map(describe),
};
style.remove();
return result;
"""


def chapter_pages():
    """Los capítulos numerados (book/01_… a book/07_…)."""
    return [page for page in html_pages()
            if page.startswith("book/0") and page.endswith(".html")]


def measure_layout(driver, url, width, mobile):
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": 900, "deviceScaleFactor": 1,
        "mobile": mobile})
    open_page(driver, url)
    return driver.execute_script(LAYOUT_JS)


def test_chapters_fit_a_phone_and_a_desktop(site, browser):
    """375 px: nada más ancho que la pantalla, tampoco una figura.
    1280 px: ningún código de una pestaña ni salida se desplaza de lado."""
    chapters = chapter_pages()
    assert len(chapters) == 7, chapters
    problems = []
    try:
        for page in chapters:
            phone = measure_layout(browser, site + page, PHONE_WIDTH, True)
            if phone["page"] > phone["width"] + 1:
                problems.append(f"{page} (teléfono): la página mide "
                                f"{phone['page']} px de ancho")
            problems += [f"{page} (teléfono): figura más ancha que la "
                         f"pantalla: {alt}" for alt in phone["images"]]
            problems += [f"{page} (teléfono): fórmula en línea con barra "
                         f"de desplazamiento: {what}"
                         for what in phone["inlineMath"]]
            desk = measure_layout(browser, site + page, DESKTOP_WIDTH, False)
            if desk["page"] > desk["width"] + 1:
                problems.append(f"{page} (escritorio): la página mide "
                                f"{desk['page']} px de ancho")
            problems += [f"{page} (escritorio): código que se desplaza en "
                         f"su pestaña: {what}" for what in desk["tabCode"]]
            problems += [f"{page} (escritorio): salida que se desplaza: "
                         f"{what}" for what in desk["outputs"]]
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert not problems, "\n".join(problems)


# Cada figura del artículo: la imagen que muestra (currentSrc), la ancha
# (src) y, si tiene versión apilada, la de su <source>; su ancho dibujado
# y el natural. Las pestañas se muestran todas mientras se mide.
FIGURES_JS = """
const style = document.createElement("style");
style.textContent = ".sd-tab-content { display: block !important; }";
document.head.append(style);
const figures = [...document.querySelectorAll(".bd-article figure img")]
  .map((img) => {
    const picture = img.parentElement.tagName === "PICTURE"
      ? img.parentElement : null;
    const source = picture && picture.querySelector("source");
    return {
      alt: img.alt.slice(0, 60), shown: img.currentSrc, wide: img.src,
      phone: source ? new URL(source.srcset, document.baseURI).href : null,
      media: source ? source.media : null,
      rendered: img.getBoundingClientRect().width,
      natural: img.naturalWidth,
    };
  });
style.remove();
return figures;
"""

# Figuras con versión apilada o angosta, para un teléfono, por capítulo.
STACKED_FIGURES = {"book/01_ia_ml_dl.html": 2, "book/02_panorama.html": 1,
                   "book/03_redes_neuronales.html": 3,
                   "book/04_cnn.html": 7, "book/05_regularizacion.html": 1,
                   "book/06_ejemplos.html": 12,
                   "book/07_conclusiones.html": 0}


def min_figure_scale():
    """La escala mínima a la que una figura del libro se lee: su letra
    más chica (style.SMALL, en pt) llega a style.MIN_SCREEN px."""
    sys.path.insert(0, str(ROOT / "code"))
    from esenciales.figures import style

    return style.MIN_SCREEN / (style.SMALL * 96 / 72)


def figures_at(driver, url, width, mobile):
    measure_layout(driver, url, width, mobile)
    return driver.execute_script(FIGURES_JS)


def test_multi_panel_figures_stack_on_a_phone(site, browser):
    """375 px: cada figura de varios paneles muestra su versión apilada
    (``<picture>``), dibujada para el ancho: no se achica por debajo de
    la escala en que su letra más chica mide ``MIN_SCREEN`` px.
    1280 px: la misma figura muestra la versión de la página."""
    least = min_figure_scale()
    found, problems = {}, []
    try:
        for page in chapter_pages():
            phone = figures_at(browser, site + page, PHONE_WIDTH, True)
            stacked = [f for f in phone if f["phone"]]
            found[page] = len(stacked)
            for figure in stacked:
                scale = figure["rendered"] / figure["natural"]
                if figure["media"] != "(max-width: 600px)":
                    problems.append(f"{page}: <source> para "
                                    f"{figure['media']}: {figure['alt']}")
                if figure["shown"] != figure["phone"]:
                    problems.append(f"{page} (teléfono): muestra la "
                                    f"versión ancha: {figure['alt']}")
                elif scale < least:
                    problems.append(f"{page} (teléfono): figura apilada "
                                    f"al {scale:.0%}, letra bajo el "
                                    f"mínimo: {figure['alt']}")
            desk = figures_at(browser, site + page, DESKTOP_WIDTH, False)
            problems += [f"{page} (escritorio): muestra la versión "
                         f"apilada: {f['alt']}" for f in desk
                         if f["phone"] and f["shown"] != f["wide"]]
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert not problems, "\n".join(problems)
    assert found == STACKED_FIGURES


# Cada tabla del artículo: si se desplaza dentro de su marco (la tabla o
# su contenedor) y si se ve el aviso «más columnas →» que va sobre ella.
TABLE_HINT_JS = """
return [...document.querySelectorAll(".bd-article table")].map((table) => {
  const frame = table.closest(".pst-scrollable-table-container") || table;
  const hint = frame.previousElementSibling;
  const shown = !!hint && hint.classList.contains("tabla-desliza")
    && hint.getClientRects().length > 0;
  const scrolling = [table, frame].filter(
    (box) => box.scrollWidth > box.clientWidth + 1);
  return {
    overflows: scrolling.length > 0, shown,
    hint: shown ? hint.textContent : "",
    // Lo que se desplaza se alcanza con el teclado (axe-core lo exige).
    keyboard: scrolling.every((box) => box.tabIndex >= 0),
    head: (table.querySelector("th, td") || table).textContent.trim()
      .slice(0, 40),
  };
});
"""


def test_wide_tables_show_a_hint_on_a_phone(site, browser):
    """375 px: una tabla que no cabe y se desplaza dentro de su marco
    lleva el aviso «más columnas →»; una que cabe (la del prefacio, la de
    la portada), no. A 1280 px, lo mismo: las que caben no lo llevan. La
    que se desplaza se puede recorrer con el teclado."""
    problems, seen = [], {True: 0, False: 0}
    try:
        for page in html_pages():
            for width, mobile in ((PHONE_WIDTH, True),
                                  (DESKTOP_WIDTH, False)):
                measure_layout(browser, site + page, width, mobile)
                for table in browser.execute_script(TABLE_HINT_JS):
                    if width == PHONE_WIDTH:
                        seen[table["overflows"]] += 1
                    if table["shown"] != table["overflows"]:
                        fits = "no cabe" if table["overflows"] else "cabe"
                        hint = "se ve" if table["shown"] else "no se ve"
                        problems.append(
                            f"{page} ({width} px): tabla «{table['head']}»"
                            f" {fits} y el aviso {hint}")
                    elif table["shown"]:
                        assert table["hint"] == "más columnas →"
                    if not table["keyboard"]:
                        problems.append(f"{page} ({width} px): tabla "
                                        f"«{table['head']}» sin teclado")
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert not problems, "\n".join(problems)
    assert seen[True] and seen[False], seen


def run_search(driver, site, word):
    """Enlaces y extractos de los resultados de una búsqueda."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(f"{site}search.html?q={quote(word)}")
    WebDriverWait(driver, 60).until(ec.presence_of_element_located(
        (By.CSS_SELECTOR, "#search-results ul.search li a")))
    # Los extractos llegan después de los enlaces, página por página.
    WebDriverWait(driver, 60).until(lambda d: d.execute_script("""
      const items = document.querySelectorAll('#search-results ul.search li');
      const done = document.querySelector('p.search-summary');
      return done && /\\d/.test(done.textContent) && [...items].every(
        (li) => li.querySelector('p.context'));"""))
    return driver.execute_script("""
      return [...document.querySelectorAll('#search-results ul.search li')]
        .map((li) => [li.querySelector('a').href,
                      (li.querySelector('p.context') || {}).textContent || ''])
    """)


def test_search_snippets_keep_spaces_and_find_the_word(site, browser):
    browser.get(f"{site}search.html")
    text = browser.execute_script(
        "return Search.htmlToText('<div role=\"main\"><p>uno</p><p>dos</p>"
        "<ul><li><p>tres</p></li><li>cuatro</li></ul><table><tr><td>cinco"
        "</td><td>seis</td></tr></table></div>');")
    assert text == "uno dos tres cuatro cinco seis", text
    with_accent = run_search(browser, site, SEARCH_WORD)
    without = run_search(browser, site, "perdida")
    assert {href for href, _ in with_accent} == {href for href, _ in without}
    snippets = [snippet for _, snippet in without if snippet]
    assert snippets, "la búsqueda no muestra extractos"
    # El extracto se centra en la palabra buscada, escrita con tilde.
    assert sum("pérdida" in s.lower() for s in snippets) >= len(snippets) // 2


def test_glossary_term_found_with_or_without_accents(site, browser):
    for word in GLOSSARY_WORDS:
        results = run_search(browser, site, word)
        assert any("glosario.html" in href for href, _ in results), (
            word, [href for href, _ in results][:10])


def test_404_page_and_titles(site, browser):
    """Página 404 en español; la pestaña no repite el nombre del libro."""
    from selenium.webdriver.common.by import By

    state = open_page(browser, site + "404.html")
    assert browser.title.startswith("Página no encontrada")
    assert browser.find_element(By.TAG_NAME, "html").get_attribute(
        "lang") == "es"
    link = browser.find_element(By.ID, "ir-inicio")
    assert link.get_attribute("href") == site + "index.html"
    assert not console_errors(browser)
    assert not state["brokenImages"]
    # Una dirección que no existe, más adentro: el servidor (como Pages)
    # responde con la misma página, y su enlace vuelve a la portada.
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(site + "book/no-existe/pagina.html")
    assert browser.title.startswith("Página no encontrada")
    WebDriverWait(browser, 30).until(lambda d: d.find_element(
        By.ID, "ir-inicio").get_attribute("href") == site + "index.html")
    for page in ["index.html"] + chapter_pages():
        open_page(browser, site + page)
        title = browser.title
        assert title.count("Esenciales de Deep Learning") <= 1, (page, title)
