"""Las figuras del libro, dibujadas con matplotlib y rotuladas en español.

Cada función devuelve una ``matplotlib.figure.Figure`` nueva, creada sin
pyplot: no toca el estado global, así que el libro puede guardarla con
``glue`` sin que aparezca dos veces. Los diagramas de la clase (IA ⊃ ML ⊃
DL, la neurona, la red densa, CPU/GPU/TPU) se redibujan aquí; las gráficas
de datos reciben los resultados ya calculados por el resto del paquete.
"""

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Circle, Ellipse, FancyArrowPatch, Rectangle

from esenciales.scratch import activations

PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
           "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")


def _diagram(width, height, xlim, ylim):
    """Figura con un solo eje sin marcos, para dibujar diagramas."""
    fig = Figure(figsize=(width, height), layout="constrained")
    ax = fig.add_subplot()
    ax.set_xlim(*xlim)
    ax.set_ylim(*ylim)
    ax.set_aspect("equal")
    ax.axis("off")
    return fig, ax


def _arrow(ax, start, end, color="0.3", width=1.2, style="-|>"):
    """Flecha recta de ``start`` a ``end``."""
    ax.add_patch(FancyArrowPatch(start, end, arrowstyle=style,
                                 mutation_scale=12, color=color, lw=width))


# --- Capítulo 1 ------------------------------------------------------------


def ai_ml_dl_nesting():
    """Tres regiones anidadas: IA ⊃ ML ⊃ DL, con un ejemplo en cada una."""
    fig, ax = _diagram(7.5, 4.6, (0, 10), (0, 6.2))
    regions = (
        ((5, 3.0), 9.6, 5.9, "#dbe9f6", "Inteligencia artificial",
         "reglas, búsqueda, lógica (MYCIN, Deep Blue)", 5.5),
        ((5.6, 2.55), 7.4, 4.4, "#b7d4ee", "Aprendizaje automático",
         "aprende de datos (SVM, bosques, k-means)", 4.3),
        ((6.3, 2.05), 4.4, 2.7, "#6fa8dc", "Deep learning",
         "redes profundas (CNN, Transformers)", 2.5),
    )
    for center, w, h, color, name, example, y_name in regions:
        ax.add_patch(Ellipse(center, w, h, facecolor=color,
                             edgecolor="#2b5d8a", lw=1.5))
        ax.text(center[0], y_name, name, ha="center", va="center",
                fontsize=12, fontweight="bold", color="#12324f")
        ax.text(center[0], y_name - 0.42, example, ha="center",
                va="center", fontsize=8.5, color="#12324f")
    return fig


def astar_grid(grid, path, title="Ruta planificada con A*"):
    """Grilla con obstáculos y el camino encontrado, inicio y meta marcados.

    Entrada: grid (alto, ancho) de 0/1 y path, lista de celdas (fila, col).
    """
    grid = np.asarray(grid)
    fig = Figure(figsize=(4.6, 4.6), layout="constrained")
    ax = fig.add_subplot()
    ax.imshow(grid, cmap="Greys", vmin=0, vmax=1.4)
    rows, cols = zip(*path)
    ax.plot(cols, rows, color=PALETTE[3], lw=2.2, label="camino")
    ax.plot(cols[0], rows[0], "o", color=PALETTE[2], ms=10, label="inicio")
    ax.plot(cols[-1], rows[-1], "*", color=PALETTE[1], ms=15, label="meta")
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_title(title)
    ax.legend(loc="upper right", fontsize=8, framealpha=0.9)
    return fig


def embedding_scatter(points, colorings, titles, annotate=True):
    """Puntos 2D coloreados de varias formas, un panel por coloración.

    Entrada: points (n, 2); colorings, lista de arreglos (n,) de enteros
    (por ejemplo, el dígito verdadero y el grupo de k-means); titles.
    """
    points = np.asarray(points)
    fig = Figure(figsize=(5.0 * len(colorings), 4.8), layout="constrained")
    for k, (labels, title) in enumerate(zip(colorings, titles), start=1):
        ax = fig.add_subplot(1, len(colorings), k)
        labels = np.asarray(labels)
        colors = [PALETTE[int(c) % 10] for c in labels]
        ax.scatter(points[:, 0], points[:, 1], c=colors, s=6, alpha=0.7)
        if annotate:
            for value in np.unique(labels):
                cx, cy = np.median(points[labels == value], axis=0)
                ax.text(cx, cy, str(value), fontsize=13, weight="bold",
                        ha="center", va="center",
                        bbox=dict(boxstyle="round", fc="white", alpha=0.8))
        ax.set_title(title)
        ax.set_xticks([])
        ax.set_yticks([])
    return fig


def digit_gallery(images, labels, n=10, title=None):
    """Una fila de imágenes pequeñas con su etiqueta debajo.

    Entrada: images (m, h, w) o (m, h·w) cuadradas, labels (m,).
    """
    images = np.asarray(images)[:n]
    side = int(round(np.sqrt(images[0].size)))
    fig = Figure(figsize=(1.0 * n, 1.35), layout="constrained")
    for k, (image, label) in enumerate(zip(images, labels), start=1):
        ax = fig.add_subplot(1, n, k)
        ax.imshow(image.reshape(side, side), cmap="gray_r")
        ax.set_xlabel(str(label))
        ax.set_xticks([])
        ax.set_yticks([])
    if title:
        fig.suptitle(title)
    return fig


def reconstructions(originals, rebuilt, n=8):
    """Imágenes originales (arriba) y sus reconstrucciones (abajo).

    Entrada: dos arreglos (m, h·w) o (m, h, w) de imágenes cuadradas en
    [0, 1]. Concepto: lo que un autoencoder conserva al comprimir.
    """
    originals = np.asarray(originals)[:n]
    rebuilt = np.asarray(rebuilt)[:n]
    side = int(round(np.sqrt(originals[0].size)))
    fig = Figure(figsize=(1.0 * n, 2.3), layout="constrained")
    axes = fig.subplots(2, n, squeeze=False)
    for row, (images, label) in enumerate(((originals, "original"),
                                           (rebuilt, "reconstruida"))):
        for k, image in enumerate(images):
            axes[row, k].imshow(image.reshape(side, side), cmap="gray_r",
                                vmin=0, vmax=1)
            axes[row, k].set_xticks([])
            axes[row, k].set_yticks([])
        axes[row, 0].set_ylabel(label, fontsize=9)
    return fig


# --- Capítulo 2 ------------------------------------------------------------


def data_vs_performance(rows, labels=None, title=None):
    """Exactitud en prueba frente a ejemplos de entrenamiento, por modelo.

    Entrada: filas {"model", "n_train", "accuracy"} (como las de
    ``esenciales.runs.experiments.data_vs_performance``) y nombres legibles.
    """
    labels = labels or {}
    fig = Figure(figsize=(7.0, 4.3), layout="constrained")
    ax = fig.add_subplot()
    models = list(dict.fromkeys(row["model"] for row in rows))
    for k, model in enumerate(models):
        mine = sorted((r for r in rows if r["model"] == model),
                      key=lambda r: r["n_train"])
        deep = model in ("mlp", "cnn")
        ax.plot([r["n_train"] for r in mine],
                [100 * r["accuracy"] for r in mine],
                marker="o", lw=2.4 if deep else 1.5,
                ls="-" if deep else "--", color=PALETTE[k],
                label=labels.get(model, model))
    ax.set_xscale("log")
    ax.set_xlabel("ejemplos de entrenamiento (escala logarítmica)")
    ax.set_ylabel("exactitud en prueba (%)")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    if title:
        ax.set_title(title)
    return fig


def _box(ax, x, y, w, h, text, color, fontsize=9, textcolor="black"):
    """Rectángulo con texto centrado."""
    ax.add_patch(Rectangle((x, y), w, h, facecolor=color,
                           edgecolor="0.25", lw=1))
    ax.text(x + w / 2, y + h / 2, text, ha="center", va="center",
            fontsize=fontsize, color=textcolor)


def memory_hierarchy():
    """Subsistema de memoria de CPU, GPU y TPU, lado a lado.

    Cada columna va de la memoria más rápida y pequeña (arriba) a la más
    lenta y grande (abajo). Los números son órdenes de magnitud típicos.
    """
    fig, ax = _diagram(10.5, 5.6, (0, 31.5), (0, 17))
    columns = (
        ("CPU", 0.5, "#fde0c5", (
            ("Registros (por núcleo)\n~1 KB · 1 ciclo", 1),
            ("Caché L1 / L2 (por núcleo)\n32 KB – 2 MB", 1),
            ("Caché L3 compartida\n8 – 64 MB", 1),
            ("DRAM (DDR)\n16 – 512 GB · ~100 GB/s", 2),
        ), "pocos núcleos potentes\n(4 – 64)"),
        ("GPU", 10.5, "#d5e8d4", (
            ("Registros: ~256 KB por SM\n(miles de hilos)", 1),
            ("Memoria compartida / L1\n~200 KB por SM", 1),
            ("Caché L2 compartida\n40 – 60 MB", 1),
            ("HBM\n40 – 141 GB · 2 – 5 TB/s", 2),
        ), "decenas de SM ×\ncientos de núcleos"),
        ("TPU v1", 20.5, "#dae8fc", (
            ("Acumuladores del MXU\n4 MiB", 1),
            ("Unified Buffer (SRAM)\n24 MiB, en el chip", 1),
            ("Weight FIFO\n(pesos hacia el MXU)", 1),
            ("DDR3\n8 GiB · 30 GB/s", 2),
        ), "pocas unidades de\nmatriz (MXU) enormes"),
    )
    for name, x0, color, levels, cores in columns:
        ax.text(x0 + 4.5, 16.3, name, ha="center", fontsize=14,
                fontweight="bold")
        ax.text(x0 + 4.5, 15.1, cores, ha="center", va="center",
                fontsize=8.5, style="italic")
        y = 13.6
        for k, (text, height) in enumerate(levels):
            h = 2.2 * height
            width = 5.5 + 1.0 * k  # más abajo: más grande
            x = x0 + 4.5 - width / 2
            _box(ax, x, y - h, width, h, text, color, fontsize=8)
            if k < len(levels) - 1:
                _arrow(ax, (x0 + 4.5, y - h), (x0 + 4.5, y - h - 0.6),
                       style="<|-|>")
            y -= h + 0.6
    _arrow(ax, (30.4, 13.5), (30.4, 1.0), color="0.45")
    ax.text(31.0, 7.2, "más capacidad, más lenta", rotation=90,
            ha="center", va="center", fontsize=8.5, color="0.35")
    return fig


def compute_primitive():
    """Unidad mínima de cómputo: escalar (CPU), vector (GPU), matriz (TPU)."""
    fig, ax = _diagram(9.5, 3.9, (0, 30), (0, 12))
    specs = (
        ("CPU", "escalar (1 × 1)", 5, (1, 1), "#fdae6b",
         "una operación por\ninstrucción y núcleo"),
        ("GPU", "vector (1 × N)", 15, (1, 8), "#74c476",
         "la misma instrucción sobre\nmuchos datos (SIMT)"),
        ("TPU", "matriz (N × N)", 25, (8, 8), "#6baed6",
         "arreglo sistólico: una\nmultiplicación de matrices"),
    )
    cell = 0.75
    for name, kind, cx, (rows, cols), color, note in specs:
        x0 = cx - cols * cell / 2
        y0 = 6.5 - rows * cell / 2
        for r in range(rows):
            for c in range(cols):
                ax.add_patch(Rectangle((x0 + c * cell, y0 + r * cell),
                                       cell, cell, facecolor=color,
                                       edgecolor="white", lw=1))
        ax.text(cx, 11.4, name, ha="center", fontsize=14,
                fontweight="bold")
        ax.text(cx, 10.4, kind, ha="center", fontsize=10)
        ax.text(cx, 1.3, note, ha="center", va="center", fontsize=8.5)
    return fig


def matmul_gflops(series, title=None):
    """GFLOP/s frente al tamaño n de una multiplicación n × n (log-log).

    Entrada: lista de {"label", "sizes", "gflops"} (ver
    ``esenciales.timing.matmul_series``).
    """
    fig = Figure(figsize=(6.8, 5.6), layout="constrained")
    ax = fig.add_subplot()
    for k, item in enumerate(series):
        ax.plot(item["sizes"], item["gflops"], marker="o",
                color=PALETTE[k % 10], label=item["label"])
    ax.set_xscale("log", base=2)
    ax.set_yscale("log")
    ax.set_xlabel("tamaño n de la matriz (n × n)")
    ax.set_ylabel("GFLOP/s")
    ax.grid(True, which="both", alpha=0.3)
    fig.legend(loc="outside lower center", fontsize=8)
    if title:
        ax.set_title(title)
    return fig


def parallelism():
    """Paralelismo de datos frente a paralelismo de modelo, con 2 GPUs."""
    fig = Figure(figsize=(9.5, 3.6), layout="constrained")
    axes_pair = fig.subplots(1, 2)
    titles = ("Paralelismo de datos", "Paralelismo de modelo")
    for ax, title in zip(axes_pair, titles):
        ax.set_xlim(0, 10)
        ax.set_ylim(0, 7)
        ax.set_aspect("equal")
        ax.axis("off")
        ax.set_title(title, fontsize=11)
    left, right = axes_pair
    for k, y in enumerate((4.0, 0.6)):
        _box(left, 0.3, y + 0.5, 2.5, 1.4, f"lote {k + 1}\nde datos",
             "#fde0c5", 8)
        _box(left, 4.0, y, 2.6, 2.4, f"GPU {k + 1}\nmodelo\ncompleto",
             "#d5e8d4", 8)
        _arrow(left, (2.8, y + 1.2), (4.0, y + 1.2))
    _box(left, 7.7, 2.5, 2.0, 1.6, "promedio\nde\ngradientes", "#e1d5e7", 8)
    _arrow(left, (6.6, 5.2), (7.7, 3.9))
    _arrow(left, (6.6, 1.8), (7.7, 2.7))
    _box(right, 0.2, 2.8, 1.8, 1.4, "datos", "#fde0c5", 8)
    _box(right, 2.6, 1.8, 2.3, 3.4, "GPU 1\ncapas\n1 – 3", "#d5e8d4", 8)
    _box(right, 7.4, 1.8, 2.3, 3.4, "GPU 2\ncapas\n4 – 6", "#d5e8d4", 8)
    _arrow(right, (2.0, 3.5), (2.6, 3.5))
    _arrow(right, (4.9, 3.5), (7.4, 3.5))
    right.text(6.15, 3.8, "activaciones", ha="center", fontsize=7.5)
    return fig


def learning_paradigms():
    """Los cuatro tipos de aprendizaje con un dibujo mínimo de cada uno."""
    fig = Figure(figsize=(9.5, 7.0), layout="constrained")
    axes = fig.subplots(2, 2)
    rng = np.random.default_rng(0)
    a = rng.normal((-1.2, -1.0), 0.55, (40, 2))
    b = rng.normal((1.2, 1.0), 0.55, (40, 2))
    sup, unsup, semi, rl = axes.ravel()
    sup.scatter(*a.T, c=PALETTE[0], marker="o", label="clase A")
    sup.scatter(*b.T, c=PALETTE[3], marker="s", label="clase B")
    sup.plot([-3, 3], [3, -3], "k--", lw=1, label="frontera aprendida")
    sup.legend(fontsize=7, loc="lower right")
    sup.set_title("Supervisado: ejemplos con etiqueta")
    unsup.scatter(*np.vstack([a, b]).T, c="0.45")
    for center, color in (((-1.2, -1.0), PALETTE[2]),
                          ((1.2, 1.0), PALETTE[4])):
        unsup.add_patch(Circle(center, 1.3, fill=False, color=color, lw=2))
    unsup.set_title("No supervisado: estructura sin etiquetas")
    semi.scatter(*np.vstack([a, b]).T, c="0.75", label="sin etiqueta")
    semi.scatter(*a[:3].T, c=PALETTE[0], marker="o", s=60, label="A")
    semi.scatter(*b[:3].T, c=PALETTE[3], marker="s", s=60, label="B")
    semi.legend(fontsize=7, loc="lower right")
    semi.set_title("Semi-supervisado: pocas etiquetas")
    for ax in (sup, unsup, semi):
        ax.set_xlim(-3, 3)
        ax.set_ylim(-3, 3)
        ax.set_xticks([])
        ax.set_yticks([])
    rl.set_xlim(0, 10)
    rl.set_ylim(0, 10)
    rl.axis("off")
    _box(rl, 3.0, 6.8, 4.0, 2.0, "Agente", "#dae8fc", 11)
    _box(rl, 3.0, 1.2, 4.0, 2.0, "Entorno", "#d5e8d4", 11)
    _arrow(rl, (7.0, 7.8), (8.8, 7.8), style="-")
    _arrow(rl, (8.8, 7.8), (8.8, 2.2), style="-")
    _arrow(rl, (8.8, 2.2), (7.0, 2.2))
    rl.text(9.1, 5.0, "acción", rotation=-90, va="center", fontsize=9)
    _arrow(rl, (3.0, 2.2), (1.2, 2.2), style="-")
    _arrow(rl, (1.2, 2.2), (1.2, 7.8), style="-")
    _arrow(rl, (1.2, 7.8), (3.0, 7.8))
    rl.text(0.9, 5.0, "estado y recompensa", rotation=90, va="center",
            ha="center", fontsize=9)
    rl.set_title("Por refuerzo: actuar y recibir recompensas")
    return fig


# --- Capítulo 3 ------------------------------------------------------------


def neuron(n_inputs=3):
    """La neurona artificial: entradas, pesos, suma con sesgo y activación."""
    fig, ax = _diagram(8.0, 4.0, (0, 16), (0, 8))
    ys = np.linspace(6.8, 1.2, n_inputs)
    labels = [f"$x_{i + 1}$" for i in range(n_inputs - 1)] + ["$x_n$"]
    weights = [f"$w_{i + 1}$" for i in range(n_inputs - 1)] + ["$w_n$"]
    body = (8.0, 4.0)
    for y, label, weight in zip(ys, labels, weights):
        ax.add_patch(Circle((1.5, y), 0.55, facecolor="#fde0c5",
                            edgecolor="0.3"))
        ax.text(1.5, y, label, ha="center", va="center", fontsize=12)
        _arrow(ax, (2.05, y), (7.0, body[1] + (y - 4.0) * 0.25))
        ax.text(4.3, (y + body[1]) / 2 + (y - 4.0) * 0.12 + 0.25, weight,
                fontsize=12, color=PALETTE[0])
    if n_inputs > 2:
        ax.text(1.5, (ys[-2] + ys[-1]) / 2, "⋮", ha="center", va="center",
                fontsize=16)
    ax.add_patch(Circle(body, 1.0, facecolor="#dae8fc", edgecolor="0.3",
                        lw=1.5))
    ax.text(*body, r"$\Sigma$", ha="center", va="center", fontsize=20)
    ax.text(8.0, 6.4, "sesgo $b$", ha="center", fontsize=11,
            color=PALETTE[3])
    _arrow(ax, (8.0, 6.1), (8.0, 5.0), color=PALETTE[3])
    ax.add_patch(Rectangle((10.2, 3.1), 1.9, 1.8, facecolor="#d5e8d4",
                           edgecolor="0.3", lw=1.5))
    ax.text(11.15, 4.0, "$f$", ha="center", va="center", fontsize=18)
    _arrow(ax, (9.0, 4.0), (10.2, 4.0))
    ax.text(9.6, 4.35, "$z$", ha="center", fontsize=12)
    _arrow(ax, (12.1, 4.0), (14.2, 4.0))
    ax.text(14.8, 4.0, "$y$", ha="center", va="center", fontsize=16)
    ax.text(8.0, 0.4,
            r"$z = \sum_{i=1}^{n} x_i w_i + b \qquad y = f(z)$",
            ha="center", fontsize=13)
    ax.text(8.0, 2.5, "potencial", ha="center", fontsize=9)
    ax.text(11.15, 2.5, "activación", ha="center", fontsize=9)
    return fig


def dense_network(layer_sizes=(4, 6, 6, 3), names=None):
    """Red densa: cada neurona conectada con todas las de la capa siguiente.

    Entrada: número de neuronas por capa. Las capas intermedias se rotulan
    «oculta»; la primera es la entrada y la última la salida.
    """
    n = len(layer_sizes)
    if names is None:
        names = (["entrada"] + [f"oculta {k}" for k in range(1, n - 1)]
                 + ["salida"])
    height = max(layer_sizes)
    fig, ax = _diagram(1.9 * n + 1, 0.55 * height + 1.2,
                       (-0.8, 3.0 * (n - 1) + 0.8), (-1.3, height + 0.2))
    colors = ["#fde0c5"] + ["#dae8fc"] * (n - 2) + ["#d5e8d4"]

    def positions(size):
        return np.linspace(0, height - 1, size) if size > 1 else [
            (height - 1) / 2]

    for k in range(n - 1):
        for y1 in positions(layer_sizes[k]):
            for y2 in positions(layer_sizes[k + 1]):
                ax.plot([3 * k, 3 * (k + 1)], [y1, y2], color="0.65",
                        lw=0.6, zorder=1)
    for k, size in enumerate(layer_sizes):
        for y in positions(size):
            ax.add_patch(Circle((3 * k, y), 0.32, facecolor=colors[k],
                                edgecolor="0.3", zorder=2))
        ax.text(3 * k, -0.95, names[k], ha="center", fontsize=10)
    return fig


def activation_functions(names=None, z=None, columns=3):
    """Cada activación y su derivada en un panel propio, en una grilla.

    Entrada: nombres de ``esenciales.scratch.activations.ACTIVATIONS``.
    En cada panel, la función (continua) y su derivada (discontinua).
    """
    names = list(names or activations.ACTIVATIONS)
    z = np.linspace(-6, 8, 561) if z is None else np.asarray(z)
    rows = -(-len(names) // columns)
    fig = Figure(figsize=(3.2 * columns, 2.7 * rows), layout="constrained")
    axes = fig.subplots(rows, columns, squeeze=False).ravel()
    titles = {"sigmoid": "Sigmoide", "tanh": "tanh", "relu": "ReLU",
              "relu6": "ReLU6", "leaky_relu": "Leaky-ReLU (α = 0,1)",
              "gelu": "GELU"}
    for ax, name in zip(axes, names):
        f, df = activations.get(name)
        kwargs = {"alpha": 0.1} if name == "leaky_relu" else {}
        ax.plot(z, f(z, **kwargs), color=PALETTE[0], lw=2, label="$f(z)$")
        ax.plot(z, df(z, **kwargs), color=PALETTE[3], lw=1.8, ls="--",
                label="$f'(z)$")
        ax.axhline(0, color="0.6", lw=0.7)
        ax.axvline(0, color="0.6", lw=0.7)
        ax.grid(alpha=0.3)
        ax.set_title(titles.get(name, name))
        ax.set_xlabel("$z$")
    axes[0].legend(loc="upper left", fontsize=8)
    for ax in axes[len(names):]:
        ax.axis("off")
    return fig


def vanishing_gradient(depths=(1, 2, 4, 8, 16)):
    """Cota del gradiente tras L capas: (máx f')^L para sigmoide, tanh y ReLU.

    Concepto: σ' ≤ 1/4, así que el gradiente se achica al menos 4 veces
    por capa; ReLU deja pasar 1 cuando la neurona está activa.
    """
    depths = np.asarray(depths)
    fig = Figure(figsize=(6.0, 3.8), layout="constrained")
    ax = fig.add_subplot()
    for k, (name, label) in enumerate((("sigmoid", "sigmoide"),
                                       ("tanh", "tanh"),
                                       ("relu", "ReLU"))):
        _, df = activations.get(name)
        peak = float(df(np.array([1e-9])).max() if name == "relu"
                     else df(np.array([0.0])).max())
        ax.plot(depths, peak ** depths, marker="o", color=PALETTE[k],
                label=f"{label}: ({peak:g})$^L$")
    ax.set_yscale("log")
    ax.set_xlabel("número de capas $L$")
    ax.set_ylabel("factor máximo del gradiente")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    return fig


def training_pipeline():
    """Ciclo de entrenamiento: forward, pérdida, back-prop y actualización."""
    fig, ax = _diagram(9.0, 3.8, (0, 24), (0, 10))
    steps = (
        (0.5, "1. Forward\n$x \\rightarrow \\hat{y}$", "#dae8fc"),
        (6.5, "2. Pérdida\n$J(\\hat{y}, y)$", "#fde0c5"),
        (12.5, "3. Back-prop\n$\\nabla_{w} J$", "#f8cecc"),
        (18.5, "4. Actualizar\n$w \\leftarrow w - \\eta\\nabla_{w} J$",
         "#d5e8d4"),
    )
    for x, text, color in steps:
        _box(ax, x, 5.0, 5.0, 3.0, text, color, fontsize=11)
    for (x, _, _), (x2, _, _) in zip(steps, steps[1:]):
        _arrow(ax, (x + 5.0, 6.5), (x2, 6.5))
    _arrow(ax, (21.0, 5.0), (21.0, 2.2), style="-")
    _arrow(ax, (21.0, 2.2), (3.0, 2.2), style="-")
    _arrow(ax, (3.0, 2.2), (3.0, 5.0))
    ax.text(12.0, 1.0, "siguiente lote (muchas veces por época)",
            ha="center", fontsize=9.5)
    return fig


METRIC_NAMES = {"loss": "pérdida", "accuracy": "exactitud"}
"""Rótulos en español de las métricas de ``fit`` (claves de Keras)."""


def training_history(histories, metric="accuracy", title=None):
    """Curvas de una métrica por época, en entrenamiento y validación.

    Entrada: dict etiqueta -> historia (dict con listas ``metric`` y, si
    existe, ``val_`` + metric), como las que devuelve ``fit``.
    """
    fig = Figure(figsize=(6.5, 3.8), layout="constrained")
    ax = fig.add_subplot()
    for k, (label, history) in enumerate(histories.items()):
        epochs = np.arange(1, len(history[metric]) + 1)
        ax.plot(epochs, history[metric], color=PALETTE[k], marker="o",
                label=f"{label} (entrenamiento)")
        if f"val_{metric}" in history:
            ax.plot(epochs, history[f"val_{metric}"], color=PALETTE[k],
                    ls="--", marker="s", label=f"{label} (validación)")
    ax.set_xlabel("época")
    ax.set_ylabel(METRIC_NAMES.get(metric, metric))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    if title:
        ax.set_title(title)
    return fig
