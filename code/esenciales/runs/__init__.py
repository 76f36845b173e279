"""Entrenar: recetas, entrenamiento por receta, la caché de resultados y los
experimentos del libro."""
