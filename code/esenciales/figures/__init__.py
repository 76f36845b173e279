"""Las figuras del libro, hechas con matplotlib en un solo estilo.

Un módulo por tipo de figura, todos con el estilo de ``style``:

- ``diagrams``: las figuras de la clase redibujadas con cajas y flechas
  (IA ⊃ ML ⊃ DL, memoria y cómputo de CPU/GPU/TPU, la neurona, el MLP, la
  RNN desplegada, el autoencoder, el Transformer, la CNN...);
- ``curves``: funciones, historiales de entrenamiento y mediciones;
- ``images``: imágenes y matrices (dígitos, filtros, confusión, atención);
- ``scatter``: nubes de puntos (t-SNE, espacio latente).

Una figura de varios paneles se pega con ``glue_figure`` (de
``screens``): la versión de la página y la apilada, para un teléfono.

``catalog.sample_figures()`` da una muestra de cada una, para revisar su
letra (``tests/test_figure_style.py`` y ``tools/check_book.py``).
"""

from esenciales.figures.screens import glue_figure

__all__ = ["glue_figure"]
