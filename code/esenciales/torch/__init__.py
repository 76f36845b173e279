"""Los modelos, pérdidas, optimizadores y entrenamiento del libro en PyTorch."""
