# Esenciales de Deep Learning: construir el libro y correr las pruebas.
#   make book    entorno virtual + libro HTML con salidas ejecutadas
#   make test    entorno virtual + pruebas (pytest)
#   make pdf     libro en PDF, edición del estudiante (requiere LaTeX)
#   make handouts  cuadernillo y hoja de resumen por capítulo
#   make docente   edición docente y cuadernillos de soluciones
#   make check-pdf  revisa los PDF;  make check-html  el HTML en Chromium
#   make check-book  voz, veredictos, números, rutas, figuras, celdas sin def
#   EDICION=estudiante|docente y FRAMEWORK=keras|torch (vacío: los dos)
#   PAPEL=carta|a4 (make pdf PAPEL=a4: el PDF en A4)
#   make check-notebooks  ejecuta los cuadernos de los capítulos rápidos
#   make check-listings  cada pestaña Keras/PyTorch corre tal como se muestra
#   make check-wheel  un cuaderno del sitio en un entorno nuevo con la rueda
#   make dist    rueda y sdist de «esenciales» en dist/ (con datos y cuadernos)
#   make serve   sirve el libro en http://localhost:8000/esenciales/
#   make slides  diapositivas de la clase (reveal.js) desde el libro construido
#   make check-slides  abre cada mazo en Chromium (1280 × 720)

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.instalado

# Datos locales: ../shared/data si existe (máquinas sin red); si no, caché.
SHARED_DATA := $(abspath ../shared/data)
ifneq ($(wildcard $(SHARED_DATA)/mnist),)
export ESENCIALES_DATA ?= $(SHARED_DATA)
endif
export KERAS_BACKEND ?= tensorflow
export TF_CPP_MIN_LOG_LEVEL ?= 3
export PYTHONWARNINGS ?= ignore::DeprecationWarning

# TensorFlow liviano (solo CPU) en Linux sin GPU NVIDIA; completo en el resto.
TF_EXTRA := $(shell if [ "$$(uname -s)" = Linux ] && \
	! command -v nvidia-smi >/dev/null 2>&1; \
	then echo tensorflow-cpu; else echo tensorflow; fi)

.PHONY: venv book test pdf clean mathjax handouts check-pdf check-html \
	execution-cache prefetch \
	check-book check-notebooks check-listings check-wheel dist serve \
	docente slides check-slides

$(STAMP): pyproject.toml constraints.txt
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --upgrade --quiet pip
	$(BIN)/python -m pip install --quiet -c constraints.txt \
		-e ".[$(TF_EXTRA),jax,book,test]"
	touch $@

venv: $(STAMP)

# MathJax del paquete npm «mathjax» (requiere Node.js y npm): el HTML
# se lee sin conexión, sin pedir nada a un CDN.
MATHJAX := tools/node_modules/mathjax/es5/tex-mml-chtml.js
$(MATHJAX): tools/package.json tools/package-lock.json
	npm ci --prefix tools --no-audit --no-fund
	touch $@

mathjax: $(MATHJAX)

# La caché de ejecución (_build/.jupyter_cache) guarda las salidas de cada
# capítulo según el texto de sus celdas; no ve el paquete que esas celdas
# llaman. tools/execution_cache.py guarda al lado la huella de la parte del
# paquete de la que depende cada capítulo (lo que sus celdas importan,
# con sus datos): si cambió, ese capítulo se vuelve a ejecutar; si no,
# nada. Los entrenamientos largos no se repiten: su caché mira la receta y
# el código que entrena, no los comentarios (esenciales.runs.cache).
execution-cache: $(STAMP)
	@$(BIN)/python tools/execution_cache.py

# Los entrenamientos con semillas de los capítulos que se van a ejecutar,
# antes y en un proceso por núcleo (tools/prefetch.py); el capítulo los lee
# de la caché de resultados. Los que imprimen su tiempo no están ahí.
prefetch: execution-cache
	@$(BIN)/python tools/prefetch.py

# La rueda del paquete va con el sitio (_static/): los cuadernos la instalan.
book: $(STAMP) $(MATHJAX) execution-cache prefetch
	$(BIN)/jupyter-book build . --builder html --warningiserror --keep-going
	$(BIN)/python tools/dist.py --wheel --outdir _build/html/_static
	@echo "Libro listo en _build/html/index.html"

# PDF con xelatex; reutiliza la caché de ejecución de «make book». La
# edición y el marco los aplica tools/ediciones.py al escribir el LaTeX
# (sin volver a leer los capítulos); los cuadernillos se cortan de ese LaTeX.
EDICION ?= estudiante
FRAMEWORK ?=
PAPEL ?= carta
export ESENCIALES_EDICION := $(EDICION)
export ESENCIALES_MARCO := $(FRAMEWORK)
export ESENCIALES_PAPEL := $(PAPEL)
PDF_DIR := _build/pdf/$(EDICION)$(if $(FRAMEWORK),-$(FRAMEWORK))$(if \
	$(filter-out carta,$(PAPEL)),-$(PAPEL))
# La edición del estudiante también va al sitio: el menú de descarga de
# cada página la ofrece (tools/cuadernos.py), también si el sitio ya estaba
# construido (se agrega el botón a sus páginas). El sitio ofrece el papel
# carta; «make pdf PAPEL=a4» no lo reemplaza.
SITE_PDF := _build/html/_static/pdf

pdf: $(STAMP) execution-cache
	$(BIN)/jupyter-book build . --builder pdflatex
	mkdir -p $(PDF_DIR)
	cp _build/latex/esenciales.pdf _build/latex/esenciales.log \
		_build/latex/esenciales.tex _build/latex/esenciales.aux \
		$(PDF_DIR)/
	$(if $(filter estudiante,$(EDICION)),$(if $(filter carta,$(PAPEL)),\
		mkdir -p $(SITE_PDF) && cp _build/latex/esenciales.pdf \
		$(SITE_PDF)/esenciales$(if $(FRAMEWORK),-$(FRAMEWORK)).pdf && \
		$(BIN)/python tools/cuadernos.py _build/html \
		esenciales$(if $(FRAMEWORK),-$(FRAMEWORK)).pdf))
	@echo "PDF listo: $(PDF_DIR)/esenciales.pdf"

# Cuadernillo y resumen por capítulo (y, en la edición docente, las
# soluciones por capítulo y de todo el libro), del LaTeX de «make pdf».
handouts: $(STAMP)
	$(BIN)/python tools/handouts.py --out $(PDF_DIR) --edicion $(EDICION)

# Edición docente completa, a pedido (CI construye la del estudiante).
docente:
	$(MAKE) pdf handouts check-pdf EDICION=docente

check-pdf: $(STAMP)
	$(BIN)/python tools/check_pdf.py --book $(PDF_DIR)/esenciales.pdf \
		--handouts $(PDF_DIR) --edicion $(EDICION) --marco "$(FRAMEWORK)"

check-html: $(STAMP)
	$(BIN)/python -m pytest -m browser tests/test_browser.py

# Lo que se revisa a máquina (tools/check_book.py): tú/usted en los capítulos,
# ejercicios sin título, pies de figura que se tragan texto, veredictos y
# cifras calculadas escritos a mano, rutas de la máquina, frases del tema en
# inglés y números mal separados en el HTML construido, letra de cada figura
# del paquete (≥ 8 pt, ≥ 11 px) y marcas de los ejes que dicen su valor.
check-book: $(STAMP)
	$(BIN)/python tools/check_book.py --html _build/html

# Los cuadernos que escribe «make book» (_sources/book/*.ipynb), ejecutados
# cada uno en una carpeta temporal limpia; falla si alguna celda falla.
# Solo los capítulos rápidos, con la caché de resultados de make book: los
# cap. 1 y 2 tardan minutos (t-SNE, modelos clásicos, mediciones de tiempo
# en vivo) y los 5 y 6 entrenan; «make check-notebooks FAST_NOTEBOOKS=...»
# elige otros. El 4 corre en check-wheel, como lo haría un lector.
FAST_NOTEBOOKS := 03_redes_neuronales 07_conclusiones
check-notebooks: $(STAMP)
	$(BIN)/python tools/run_notebooks.py \
		$(FAST_NOTEBOOKS:%=_build/html/_sources/book/%.ipynb)

# El cuaderno del capítulo 4 tal como lo descarga un lector del sitio, en
# un entorno virtual nuevo fuera del repositorio donde «esenciales» es solo
# la rueda de _static/ (tools/run_notebooks.py --rueda).
WHEEL_NOTEBOOK := 04_cnn
check-wheel: $(STAMP)
	$(BIN)/python tools/run_notebooks.py \
		--rueda $(firstword $(wildcard _build/html/_static/esenciales-*.whl) \
		_build/html/_static/esenciales.whl) \
		_build/html/_sources/book/$(WHEEL_NOTEBOOK).ipynb

# Cada pestaña Keras y PyTorch del HTML construido, en un intérprete
# nuevo con solo los import y los listados que la página muestra antes:
# nombres sin mostrar, modelos que no se construyen o que no dan un paso
# hacia adelante y hacia atrás fallan (tools/check_listings.py).
check-listings: $(STAMP)
	$(BIN)/python tools/check_listings.py --html _build/html

# Rueda y sdist en dist/: el paquete con las cifras de GPU grabadas, una
# copia de los capítulos y sus cuadernos (con salidas si ya corrió make book).
dist: $(STAMP)
	$(BIN)/python tools/dist.py --outdir dist

# Diapositivas de la clase desde el libro ya construido: no ejecuta ningún
# capítulo, lee _build/html (tools/diapositivas.py). Un mazo por capítulo y
# uno de toda la clase, cada uno con su PDF y su resumen de 6 por hoja, en
# _build/slides; con FRAMEWORK=torch, el código de PyTorch (*-pytorch.html).
# make serve los muestra en http://localhost:8000/esenciales/diapositivas/.
slides: $(STAMP) $(MATHJAX)
	$(BIN)/python tools/diapositivas.py --html _build/html \
		--out _build/slides --marco $(or $(FRAMEWORK),keras)

check-slides: $(STAMP)
	$(BIN)/python -m pytest -m browser tests/test_slides_deck.py

# El libro construido, bajo /esenciales/ como en GitHub Pages.
serve: $(STAMP)
	$(BIN)/python tools/serve.py _build/html --puerto 8000

# Todas las pruebas menos la del navegador, que necesita el libro construido
# (make check-html).
test: $(STAMP)
	$(BIN)/python -m pytest -m "not browser"

clean:
	rm -rf _build dist
