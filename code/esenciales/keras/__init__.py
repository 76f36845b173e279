"""Los modelos, pérdidas, optimizadores y entrenamiento del libro en Keras 3.

Importar este paquete no cambia nada del proceso (ni variables de
entorno, ni la memoria, ni los registros). Para ajustar los hilos y la
memoria de la CPU, llamen a ``esenciales.threads.prepare()`` antes de
importarlo, como hacen el comando ``esenciales`` y el libro.
"""
