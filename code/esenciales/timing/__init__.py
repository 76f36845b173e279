"""Cronometraje honesto, con procedencia, de productos de matrices y modelos.

Cada medición calienta primero, espera a que el dispositivo termine antes de
leer el reloj, repite varias veces y resume con la mediana y los cuartiles.
Los resultados son «documentos»: diccionarios listos para JSON que guardan
también su procedencia (dispositivo, versiones, fecha). El libro muestra las
cifras medidas en vivo en la CPU junto a cifras grabadas una vez en una GPU.

Esquema de un documento (``schema`` = ``SCHEMA``)::

    schema, experiment ("matmul" | "cnn" | "neurona" | "paralelo"),
    framework ("numpy" | "torch" | "keras"), backend (motor de Keras o el
    mismo marco), device ("cpu" | "cuda"), origin ("en vivo" | "grabado"),
    provenance (ver ``provenance``), params (argumentos del experimento),
    results: filas con median_s, q1_s, q3_s, min_s, max_s, repeats,
    number y además: matmul -> n, dtype, flop, gflops;
    cnn -> batch_size, images_per_s; neurona -> method, neurons_per_s,
    speedup.

Este módulo no importa TensorFlow, Keras, PyTorch ni NumPy al cargarse
(``esenciales tiempos --help`` responde al instante): cada uno se importa
dentro de la función que lo usa.

Un módulo por concepto: ``clock`` (el cronómetro), ``provenance`` (dónde
y con qué se midió), ``documents`` (el esquema y los archivos grabados),
``experiments`` (los cuatro experimentos), ``tables`` (tablas y series) y
``gpu`` (en vivo en la GPU, o grabado). Aquí se reúnen sus nombres
públicos: ``timing.time_call``, ``timing.matmul_throughput``…
"""

from esenciales.timing.clock import time_call
from esenciales.timing.documents import (
    BACKEND_NAMES, EXPERIMENT_NAMES, EXPERIMENTS, FRAMEWORK_NAMES,
    RECORDED_DIR, SCHEMA, check_experiment, describe, device_name,
    document, framework_name, load_recorded, recorded_results,
    save_results)
from esenciales.timing.experiments import (
    cnn_throughput, data_parallel_throughput, experiment_frameworks,
    matmul_throughput, measure, neuron_batched_vs_loop)
from esenciales.timing.gpu import (
    GPU_BATCHES, GPU_SIZES, cnn_numbers, gpu_documents, gpu_jobs,
    gpu_replicas, host_documents, live_device, matmul_numbers,
    origin_phrase)
from esenciales.timing.provenance import provenance
from esenciales.timing.tables import (
    comparison_markdown, comparison_table, matmul_peaks, matmul_series,
    provenance_markdown, table_markdown)

__all__ = [
    "BACKEND_NAMES", "EXPERIMENT_NAMES", "EXPERIMENTS", "FRAMEWORK_NAMES",
    "GPU_BATCHES", "GPU_SIZES", "RECORDED_DIR", "SCHEMA",
    "check_experiment", "cnn_numbers", "cnn_throughput",
    "comparison_markdown", "comparison_table", "data_parallel_throughput",
    "describe", "device_name", "document", "experiment_frameworks",
    "framework_name", "gpu_documents", "gpu_jobs", "gpu_replicas",
    "host_documents", "live_device", "load_recorded", "matmul_numbers",
    "matmul_peaks", "matmul_series", "matmul_throughput", "measure",
    "neuron_batched_vs_loop", "origin_phrase", "provenance",
    "provenance_markdown", "recorded_results", "save_results",
    "table_markdown", "time_call",
]
