"""Cifras de GPU: medidas en vivo si hay una, o las grabadas.

``gpu_jobs`` es la lista que graba ``benchmarks/record_gpu.py``;
``gpu_documents`` y ``host_documents`` eligen qué mostrar, y
``matmul_numbers`` y ``cnn_numbers`` dan los textos para ``glue``.
"""

from esenciales import frameworks, spanish
from esenciales.timing.documents import (backend_of, device_name,
                                         recorded_results)
from esenciales.timing.experiments import (cnn_throughput,
                                           data_parallel_throughput,
                                           matmul_throughput)
from esenciales.timing.tables import matmul_peaks

GPU_SIZES = (64, 128, 256, 512, 1024, 2048, 4096, 8192)
GPU_BATCHES = (32, 128, 512, 2048)


def live_device(framework="torch"):
    """«cuda» si ``framework`` ve una GPU CUDA en esta máquina; si no,
    «cpu»."""
    return frameworks.resolve_device(framework, "auto")


def gpu_replicas():
    """Réplicas que se pueden medir en GPU: 1, y 2 si hay dos GPU."""
    return (1, 2) if len(frameworks.gpus("torch")) >= 2 else (1,)


def gpu_jobs(experiment, framework, device="cuda"):
    """Las mediciones en GPU de un experimento: {archivo: función}.

    Es la lista que graba ``benchmarks/record_gpu.py`` y la que el libro
    mide en vivo cuando hay GPU. Con ``device="cpu"`` corre lo mismo en
    tamaños pequeños (prueba del guion en una máquina sin GPU).
    """
    small = device == "cpu"
    jobs = {
        "matmul": lambda: matmul_throughput(
            (64, 128) if small else GPU_SIZES, framework=framework,
            dtypes=("float32",) if small
            else ("float32", "tf32", "bfloat16"), device=device),
        "cnn": lambda: cnn_throughput(
            framework, (32,) if small else GPU_BATCHES, device=device),
        "paralelo": lambda: data_parallel_throughput(
            framework, (1,) if small else gpu_replicas(),
            batch_size=256 if small else 4096, steps=5 if small else 50,
            device=device),
    }
    return {_job_file(experiment, framework, device): jobs[experiment]}


def _job_file(experiment, framework, device):
    """Nombre del archivo grabado: «cnn_keras_jax_cuda.json»."""
    label = framework
    if framework == "keras":
        label = f"keras_{backend_of(framework, experiment)}"
    return f"{experiment}_{label}_{device}.json"


def gpu_documents(experiment, frameworks_=("torch", "keras")):
    """Documentos de GPU de un experimento: medidos ahora si hay GPU.

    Si PyTorch ve una GPU CUDA, mide en ella con cada marco (origen «en
    vivo»); si no, devuelve los documentos grabados en GPU (origen
    «grabado», con su fecha, dispositivo, driver y versiones).
    """
    if live_device("torch") != "cuda":
        return [doc for doc in recorded_results(experiment)
                if doc["device"] == "cuda"]
    docs = []
    for framework in frameworks_:
        for job in gpu_jobs(experiment, framework).values():
            docs.append(job())
    return docs


def host_documents(experiment, gpu_docs):
    """La CPU de la máquina de la GPU, medida en la misma corrida.

    Si las cifras de GPU son grabadas, devuelve las de CPU grabadas junto
    con ellas (la comparación justa es en la misma máquina); si son en
    vivo, no hace falta: la CPU en vivo ya es de esta máquina.
    """
    if any(doc["origin"] == "en vivo" for doc in gpu_docs):
        return []
    return [doc for doc in recorded_results(experiment)
            if doc["device"] == "cpu"]


def origin_phrase(doc):
    """«medida en vivo» o «grabada el 2025-07-14»."""
    if doc.get("origin") == "grabado":
        return f"grabada el {doc['provenance']['date'][:10]}"
    return "medida en vivo al construir este libro"


def _torch_gpu(docs):
    """El documento de PyTorch en GPU (el primero si hubiera varios)."""
    return next(d for d in docs
                if d["framework"] == "torch" and d["device"] == "cuda")


def matmul_numbers(live, gpu_docs, host_docs):
    """Cifras del producto de matrices para ``glue`` (textos en español).

    ``live``: la CPU de esta construcción; ``gpu_docs`` y ``host_docs``:
    los de ``gpu_documents`` y ``host_documents``. La CPU de referencia
    es la de la máquina de la GPU (la grabada, o esta misma si la GPU se
    midió en vivo).
    """
    gpu = _torch_gpu(gpu_docs)
    reference = host_docs[0] if host_docs else live
    peaks = matmul_peaks(gpu)
    ref_peak = matmul_peaks(reference)["float32"]["gflops"]
    numbers = {
        "mm-cpu-vivo": spanish.number(round(
            max(r["gflops"] for r in live["results"]))),
        "mm-gpu-nombre": device_name(gpu),
        "mm-gpu-origen": origin_phrase(gpu),
        "mm-ref-nombre": device_name(reference),
        "mm-ref": spanish.number(round(ref_peak)),
    }
    for dtype, key in (("float32", "fp32"), ("bfloat16", "bf16")):
        if dtype not in peaks:
            continue
        tflops = peaks[dtype]["gflops"] / 1e3
        numbers[f"mm-gpu-{key}"] = spanish.number(round(tflops))
        numbers[f"mm-razon-{dtype}"] = spanish.number(
            round(peaks[dtype]["gflops"] / ref_peak))
    return numbers


def cnn_numbers(live, gpu_docs, host_docs, epoch=60_000):
    """Cifras del paso de la CNN para ``glue`` (textos en español)."""
    gpu = _torch_gpu(gpu_docs)
    reference = host_docs[0] if host_docs else live

    def best(doc):
        return max(r["images_per_s"] for r in doc["results"])

    return {
        "cnn-gpu": spanish.number(round(best(gpu))),
        "cnn-gpu-origen": origin_phrase(gpu),
        "cnn-ref-nombre": device_name(reference),
        "cnn-ref": spanish.number(round(best(reference))),
        "cnn-razon-ref": spanish.number(round(best(gpu) / best(reference))),
        "cnn-cpu": spanish.number(round(best(live))),
        "cnn-razon": spanish.number(round(best(gpu) / best(live))),
        "cnn-epoca-gpu": spanish.number(epoch / best(gpu), 2),
        "cnn-epoca-cpu": spanish.number(round(epoch / best(live))),
    }
