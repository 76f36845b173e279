"""Los modelos, pérdidas, optimizadores y entrenamiento del libro en Keras 3."""

import logging as _logging

from esenciales import threads

threads.prepare()  # antes de importar el framework: ver esenciales.threads

# Los avisos de Python de TensorFlow (p. ej. «retracing» de tf.function)
# hablan de su maquinaria interna, no del modelo: no llegan al lector.
_logging.getLogger("tensorflow").setLevel(_logging.ERROR)
