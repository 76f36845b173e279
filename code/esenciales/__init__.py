"""Esenciales de Deep Learning: el código del libro, en Keras 3 y en PyTorch.

El paquete de nivel superior es liviano: no importa TensorFlow ni PyTorch.
Los modelos viven en ``esenciales.keras`` y ``esenciales.torch``, que se
reflejan nombre por nombre.
"""

__version__ = "0.1.0"
