"""Tablas y cifras del paralelismo de datos y de modelo, para el libro.

Recibe los informes de ``esenciales.<marco>.parallel.parallelism_report``
(un dict por marco: «Keras», «PyTorch») y los convierte en tablas Markdown
y textos para ``glue``, con los números en español. Los tiempos en GPU
se miden en vivo si PyTorch ve una GPU CUDA; si no, se muestran los
grabados, con su procedencia. Este módulo no importa ningún marco al
cargarse.
"""

from esenciales import spanish, timing

CHECKS = (
    ("Pesos tras los pasos de SGD: R réplicas frente a 1", "data",
     "max_abs_diff"),
    ("Pesos: entre las réplicas", "data", "replica_spread"),
    ("MLP partido: salida", "model", "output_diff"),
    ("MLP partido: gradientes", "model", "grad_diff"),
)
"""(fila de la tabla, parte del informe, clave) de cada comparación."""

UNITS = {"Keras": ("dispositivo", "dispositivos (simulados)"),
         "PyTorch": ("proceso", "procesos")}
"""Cómo se llama una réplica en cada marco (singular, plural)."""


def equality_table(reports):
    """Tabla de las diferencias máximas (float64) de cada comprobación."""
    rows = [{"Comprobación (máxima diferencia absoluta)": label,
             **{name: spanish.scientific(report[part][key])
                for name, report in reports.items()}}
            for label, part, key in CHECKS]
    return spanish.markdown_table(rows, align=["l"] + ["r"] * len(reports))


def shard_table(reports):
    """Forma de cada peso: completa y la que guarda cada dispositivo."""
    rows = [{"Marco": name, "Peso": weight, "Completo": _shape(full),
             "Por dispositivo": _shape(piece)}
            for name, report in reports.items()
            for weight, full, piece in report["model"]["weights"]]
    return spanish.markdown_table(rows, align=["l", "l", "r", "r"])


def _shape(shape):
    """``[20, 8]`` → «20 × 8»."""
    return " × ".join(str(n) for n in shape)


def step_time_table(reports):
    """Tiempo por paso con 1 y R réplicas, y la razón frente a 1."""
    rows = []
    for name, report in reports.items():
        single = report["times"][0]["step_s"]
        for row in report["times"]:
            rows.append({
                "Marco": name, "Réplicas": _replicas(name, row),
                "Lote por réplica": row["batch_size"] // row["replicas"],
                "ms por paso": spanish.number(1e3 * row["step_s"], 1),
                "Ejemplos/s": round(row["examples_per_s"]),
                "Tiempo frente a 1": spanish.number(
                    row["step_s"] / single, 2),
            })
    return spanish.markdown_table(
        rows, align=["l", "l", "r", "r", "r", "r"])


def _replicas(name, row):
    """«2 procesos», «1 dispositivo»..."""
    one, many = UNITS.get(name, ("réplica", "réplicas"))
    count = row["replicas"]
    return f"{count} {one if count == 1 else many}"


def glue_values(reports):
    """Textos para ``glue`` (nombre → texto en español) del capítulo 2."""
    data = [r["data"] for r in reports.values()]
    times = reports["PyTorch"]["times"]
    parameters = times[0]["parameters"]
    values = {
        "par-pasos": spanish.number(data[0]["steps"]),
        "par-lote": spanish.number(data[0]["batch_size"]),
        "par-cambio": spanish.number(min(d["update_size"] for d in data)),
        "par-dif-max": spanish.scientific(
            max(d["max_abs_diff"] for d in data)),
        "par-lote-tiempo": spanish.number(times[0]["batch_size"]),
        "par-nucleos": spanish.number(times[0]["cores"]),
        "par-ms-torch": spanish.number(1e3 * times[0]["step_s"], 1),
        "par-parametros": spanish.number(parameters),
        "par-megabytes": spanish.number(4 * parameters / 1e6, 1),
    }
    for name, key in (("PyTorch", "torch"), ("Keras", "keras")):
        single, double = reports[name]["times"][:2]
        ratio = double["step_s"] / single["step_s"]
        values[f"par-razon-{key}"] = spanish.number(ratio, 2)
        values[f"par-veredicto-{key}"] = _verdict(ratio)
    return values


def _verdict(ratio, tolerance=0.1):
    """Una frase para una razón de tiempos (2 réplicas / 1)."""
    if ratio > 1 + tolerance:
        return "más lento que con uno, el sobrecosto esperado"
    if ratio < 1 - tolerance:
        return ("más rápido que con uno: en un modelo tan pequeño, un solo "
                "proceso con varios hilos aprovecha mal los núcleos (los "
                "hilos se esperan entre sí en cada producto de matrices), "
                "no es que la comunicación sea gratis")
    return "casi lo mismo que con uno: lo que ganó se fue en comunicarse"


# --- En GPU: en vivo o grabado -------------------------------------------

def gpu_step_times(batch_size=4096, steps=20):
    """Documentos del experimento «paralelo» en GPU: en vivo o grabados.

    Si PyTorch ve una GPU CUDA, mide ahora el paso con 1 réplica y, si hay
    varias GPU, con 2 (origen «en vivo»). Si no, devuelve los documentos
    grabados por ``benchmarks/record_gpu.py`` (origen «grabado»).
    """
    if timing.live_device("torch") == "cuda":
        return [timing.data_parallel_throughput(
            "torch", timing.gpu_replicas(), batch_size=batch_size,
            steps=steps, device="cuda")]
    return [doc for doc in timing.recorded_results("paralelo")
            if doc["device"] == "cuda"]


def gpu_step_time_table(docs):
    """Tabla de los tiempos por paso en GPU con su origen y procedencia."""
    if not docs:
        return ("*No hay una GPU en esta máquina ni cifras grabadas en "
                "GPU para este experimento.*")
    rows = timing.comparison_table(docs)
    return (spanish.markdown_table(rows) + "\n\n"
            + timing.provenance_markdown(docs))
