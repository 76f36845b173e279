"""Producto de matrices en la CPU local, junto a las cifras grabadas."""

Uso, desde la raíz del repositorio:

    PYTHONPATH=code python benchmarks/matmul.py [--max 1024]

Mide GFLOP/s con NumPy, PyTorch y Keras en la CPU, imprime la tabla de
``esenciales.timing`` con las cifras grabadas en GPU y, como las máquinas
son ruidosas, la razón entre cada pico grabado y el mejor pico de la CPU
medido en esta misma corrida.
"""

import argparse

from esenciales import threads, timing


def main(argv=None):
    """Mide, compara e imprime."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max", type=int, default=1024,
                        help="tamaño n más grande (potencias de 2 desde 64)")
    args = parser.parse_args(argv)
    threads.prepare()  # hilos y memoria, antes de cargar los marcos
    sizes = [n for n in (64, 128, 256, 512, 1024, 2048, 4096)
             if n <= args.max]
    live = [timing.matmul_throughput(sizes, framework=framework)
            for framework in ("numpy", "torch", "keras")]
    recorded = timing.recorded_results("matmul")
    print(timing.table_markdown(timing.comparison_table(live, recorded)))
    cpu_peak = max(timing.matmul_peaks(doc)["float32"]["gflops"]
                   for doc in live)
    print(f"\nMejor CPU en vivo: {cpu_peak:.1f} GFLOP/s (float32)")
    for doc in recorded:
        for dtype, peak in timing.matmul_peaks(doc).items():
            ratio = peak["gflops"] / cpu_peak
            print(f"{timing.describe(doc)} · {dtype}: {ratio:.0f} veces")


if __name__ == "__main__":
    main()
