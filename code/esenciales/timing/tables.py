"""Tablas y series de tiempos para el libro y la terminal.

Convierte documentos en filas, tablas Markdown con los números en español
y series para el gráfico del producto de matrices.
"""

from esenciales import spanish
from esenciales.timing.documents import (BACKEND_NAMES, EXPERIMENT_NAMES,
                                         FRAMEWORK_NAMES, check_document,
                                         describe, device_name,
                                         framework_name)


def matmul_peaks(doc):
    """Mejor GFLOP/s de cada tipo en un documento de matmul.

    Salida: dict tipo -> {"n": tamaño, "gflops": valor}.
    """
    if doc["experiment"] != "matmul":
        raise ValueError("Se esperaba un documento del experimento matmul.")
    peaks = {}
    for row in doc["results"]:
        best = peaks.get(row["dtype"])
        if best is None or row["gflops"] > best["gflops"]:
            peaks[row["dtype"]] = {"n": row["n"], "gflops": row["gflops"]}
    return peaks


def comparison_table(live_docs, recorded_docs=()):
    """Filas para comparar cifras en vivo con cifras grabadas.

    Entrada: documentos medidos ahora y documentos grabados (pueden
    mezclarse experimentos). Salida: lista de dicts con claves en
    castellano: «origen», «dispositivo», «marco» y las columnas propias
    del experimento (matmul: mejor GFLOP/s por tipo; cnn: imágenes/s por
    lote; neurona: tiempo y aceleración por método).
    """
    rows = []
    for doc in [*live_docs, *recorded_docs]:
        check_document(doc, "documento")
        base = {"origen": doc.get("origin", "en vivo"),
                "dispositivo": device_name(doc),
                "marco": framework_name(doc)}
        rows += [{**base, **extra} for extra in _table_rows(doc)]
    return rows


def _table_rows(doc):
    """Columnas propias de cada experimento."""
    if doc["experiment"] == "matmul":
        return [{"tipo": dtype, "n": peak["n"], "GFLOP/s": peak["gflops"]}
                for dtype, peak in matmul_peaks(doc).items()]
    if doc["experiment"] == "cnn":
        return [{"lote": r["batch_size"], "imágenes/s": r["images_per_s"]}
                for r in doc["results"]]
    if doc["experiment"] == "paralelo":
        return [{"réplicas": r["replicas"], "lote": r["batch_size"],
                 "ms por paso": 1e3 * r["step_s"],
                 "ejemplos/s": r["examples_per_s"]}
                for r in doc["results"]]
    return [{"método": r["method"], "ms": 1e3 * r["median_s"],
             "aceleración": r["speedup"]} for r in doc["results"]]


def table_markdown(rows):
    """Tabla Markdown de las filas de ``comparison_table``.

    Las columnas son la unión de las claves, en orden de aparición.
    """
    if not rows:
        raise ValueError("No hay filas para la tabla.")
    return spanish.markdown_table(rows, numbers=_format)


def _format(value):
    """Reales con tres cifras significativas; enteros completos."""
    if isinstance(value, float):
        return spanish.significant(value)
    return spanish.number(value)


def matmul_series(docs):
    """Datos del gráfico log-log de GFLOP/s frente al tamaño n.

    Salida: lista de dicts, una serie por (documento, tipo), con «label»,
    «sizes», «gflops» y «origin».
    """
    series = []
    for doc in docs:
        if doc["experiment"] != "matmul":
            continue
        for dtype in dict.fromkeys(r["dtype"] for r in doc["results"]):
            rows = [r for r in doc["results"] if r["dtype"] == dtype]
            series.append({
                "label": f"{describe(doc)} · {dtype}",
                "sizes": [r["n"] for r in rows],
                "gflops": [r["gflops"] for r in rows],
                "origin": doc.get("origin", "en vivo"),
            })
    return series


def provenance_markdown(docs):
    """Lista Markdown con la procedencia de cada documento grabado.

    Una línea por documento: experimento y marco, fecha, dispositivo,
    driver y CUDA, y versiones de los marcos. Los documentos en vivo se
    describen con una sola frase.
    """
    lines = []
    for doc in docs:
        if doc.get("origin") != "grabado":
            continue
        info = doc["provenance"]
        gpu = info.get("gpu") or {}
        driver = (gpu.get("gpus") or [{}])[0].get("driver")
        cuda = gpu.get("torch_cuda") or gpu.get("driver_cuda")
        keys = (("torch",) if doc["framework"] == "torch"
                else ("keras", doc["backend"]))
        versions = ", ".join(
            f"{FRAMEWORK_NAMES.get(key, BACKEND_NAMES.get(key, key))} "
            f"{info['versions'][key]}"
            for key in keys if info["versions"].get(key))
        parts = [f"grabado el {info['date'][:10]}", device_name(doc)]
        if driver:
            parts.append(f"driver {driver}")
        if cuda:
            parts.append(f"CUDA {cuda}")
        parts.append(versions)
        lines.append(f"- **{EXPERIMENT_NAMES[doc['experiment']]} · "
                     f"{framework_name(doc)}**: " + "; ".join(parts) + ".")
    if not lines:
        return "Todas las cifras de esta tabla se midieron en vivo."
    return "\n".join(lines)


def comparison_markdown(live_docs, other_docs=()):
    """Tabla de ``comparison_table`` y, debajo, la procedencia de las
    cifras grabadas (lo que el libro muestra bajo cada medición)."""
    rows = comparison_table(live_docs, other_docs)
    return (table_markdown(rows) + "\n\n"
            + provenance_markdown([*live_docs, *other_docs]))
