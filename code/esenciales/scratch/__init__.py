"""Deep learning desde cero con NumPy: activaciones, retropropagación,
convolución, vectorización y los métodos clásicos del capítulo 1."""
