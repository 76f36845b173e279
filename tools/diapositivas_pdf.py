"""PDF de los mazos de diapositivas (tools/diapositivas.py, make slides).

Chromium sin pantalla abre cada mazo en la vista ``?print-pdf`` de
reveal.js, espera a MathJax y a las imágenes, e imprime una diapositiva por
página (``Page.printToPDF``); pdflatex con pdfpages arma el resumen de seis
diapositivas por hoja carta (``NN_capitulo-6.pdf``).
"""

import base64
import shutil
import subprocess
import tempfile
from pathlib import Path

from serve import start

CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"


class PdfError(Exception):
    """No se pudo imprimir un mazo o armar su resumen."""


def print_pdfs(out, decks):
    """PDF de cada mazo (una diapositiva por página) y su resumen 6 por hoja.

    ``decks``: rutas de los mazos HTML dentro de ``out``.
    """
    from selenium import webdriver
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.chrome.service import Service

    server, url = start(out, prefix="/")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    with tempfile.TemporaryDirectory() as profile:
        for flag in ("--headless", "--no-sandbox", "--disable-gpu",
                     "--no-first-run", "--disable-background-networking",
                     "--disable-dev-shm-usage", f"--user-data-dir={profile}",
                     "--window-size=1280,720"):
            options.add_argument(flag)
        try:
            driver = webdriver.Chrome(options=options,
                                      service=Service(CHROMEDRIVER))
        except WebDriverException as error:
            server.shutdown()
            raise PdfError(f"no se pudo abrir Chromium ({CHROMIUM}, "
                           f"{CHROMEDRIVER}): {error.msg}") from None
        driver.set_script_timeout(120)
        try:
            for deck in decks:
                pdf = deck.with_suffix(".pdf")
                driver.get(f"{url}{deck.name}?print-pdf")
                driver.execute_async_script(PRINT_READY_JS)
                data = driver.execute_cdp_cmd("Page.printToPDF", {
                    "preferCSSPageSize": True, "printBackground": True})
                write_atomic(pdf, base64.b64decode(data["data"]))
                handout(pdf)
        finally:
            driver.quit()
            server.shutdown()
            server.server_close()


# Espera a que reveal.js arme las páginas de impresión y MathJax termine.
PRINT_READY_JS = """
const done = arguments[arguments.length - 1];
const ready = () => new Promise((resolve) => {
  const check = () => document.querySelector(".reveal.ready .pdf-page")
    ? resolve() : setTimeout(check, 100);
  check();
});
const mathjax = () => new Promise((resolve) => {
  const check = () => window.MathJax && MathJax.typesetPromise
    ? resolve(MathJax.startup.promise) : setTimeout(check, 100);
  check();
});
ready().then(() => {
  const typeset = mathjax();
  const images = [...document.images].map((i) => i.decode().catch(() => 0));
  return Promise.all([typeset, ...images]);
}).then(() => setTimeout(done, 300));
"""

HANDOUT_TEX = r"""\documentclass[letterpaper]{article}
\usepackage{pdfpages}
\begin{document}
\includepdf[pages=-,nup=2x3,frame,delta=6mm 10mm,scale=0.92]{mazo.pdf}
\end{document}
"""


def handout(pdf):
    """Resumen de 6 diapositivas por hoja carta, con pdflatex y pdfpages."""
    with tempfile.TemporaryDirectory() as work:
        work = Path(work)
        shutil.copy2(pdf, work / "mazo.pdf")
        (work / "resumen.tex").write_text(HANDOUT_TEX, encoding="utf-8")
        try:
            result = subprocess.run(
                ["pdflatex", "-interaction=nonstopmode", "-halt-on-error",
                 "resumen.tex"], cwd=work, capture_output=True, text=True)
        except FileNotFoundError:
            raise PdfError("falta pdflatex para el resumen de 6 por hoja "
                           "(paquete texlive-latex-extra).") from None
        if result.returncode != 0:
            raise PdfError(f"pdflatex no pudo armar el resumen de "
                           f"{pdf.name} (¿falta pdfpages?).")
        write_atomic(pdf.with_name(pdf.stem + "-6.pdf"),
                     (work / "resumen.pdf").read_bytes())


def write_atomic(path, data):
    """Escribe un archivo completo o nada (rename atómico)."""
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
