"""Los modelos, pérdidas, optimizadores y entrenamiento del libro en PyTorch."""

from esenciales import threads

threads.prepare()  # antes de importar el framework: ver esenciales.threads
