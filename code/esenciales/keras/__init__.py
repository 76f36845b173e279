"""Los modelos, pérdidas, optimizadores y entrenamiento del libro en Keras 3."""
