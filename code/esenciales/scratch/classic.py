"""IA clásica y aprendizaje automático clásico, sin redes neuronales.

Demostraciones del capítulo 1: un sistema experto de reglas SI-ENTONCES al
estilo de MYCIN junto a un clasificador que aprende sus reglas de los datos,
la búsqueda A* en una grilla, Minimax con poda alfa-beta en el gato
(tres en línea), y los algoritmos clásicos de ML (k-NN, árboles, bosques,
SVM, k-means y t-SNE) con scikit-learn.
"""

import heapq
import time
from collections import namedtuple

import numpy as np

# --- Sistema experto: reglas SI-ENTONCES con factores de certeza -----------

Rule = namedtuple("Rule", "conditions conclusion certainty")
"""Regla SI (todas las condiciones) ENTONCES conclusión, con certeza 0..1."""

IRIS_RULES = (
    Rule(("pétalo corto",), "setosa", 0.95),
    Rule(("pétalo largo", "pétalo angosto"), "versicolor", 0.8),
    Rule(("pétalo largo", "pétalo ancho"), "virginica", 0.8),
    Rule(("pétalo muy largo",), "virginica", 0.6),
)
"""Reglas escritas a mano por una «experta» en flores (cm de pétalo)."""

IRIS_SPECIES = ("setosa", "versicolor", "virginica")


def iris_facts(petal_length, petal_width):
    """Traduce dos medidas (cm) a hechos simbólicos que las reglas usan.

    Entrada: dos números. Salida: un conjunto de cadenas. Concepto: en la
    IA simbólica una persona decide qué rasgos importan y sus umbrales.
    """
    facts = set()
    facts.add("pétalo corto" if petal_length < 2.5 else "pétalo largo")
    facts.add("pétalo angosto" if petal_width < 1.7 else "pétalo ancho")
    if petal_length >= 5.0:
        facts.add("pétalo muy largo")
    return facts


def forward_chain(facts, rules):
    """Dispara cada regla cuyas condiciones se cumplen y combina certezas.

    Entrada: conjunto de hechos y reglas. Salida: dict conclusión ->
    certeza. Dos reglas que apoyan lo mismo se combinan como en MYCIN:
    cf = cf1 + cf2·(1 - cf1).
    """
    beliefs = {}
    for rule in rules:
        if all(condition in facts for condition in rule.conditions):
            previous = beliefs.get(rule.conclusion, 0.0)
            combined = previous + rule.certainty * (1.0 - previous)
            beliefs[rule.conclusion] = combined
    return beliefs


def expert_predict(x, rules=IRIS_RULES):
    """Clasifica flores con el sistema experto (la conclusión más creíble).

    Entrada: x (n, 4) con las medidas de Iris. Salida: (n,) índices de
    especie. Concepto: IA que no aprende; las reglas están fijas.
    """
    x = np.asarray(x, dtype=float)
    if x.ndim != 2 or x.shape[1] != 4:
        raise ValueError(
            f"Se esperaban filas de 4 medidas de Iris; llegó {x.shape}."
        )
    predictions = []
    for petal_length, petal_width in x[:, 2:4]:
        beliefs = forward_chain(iris_facts(petal_length, petal_width), rules)
        best = max(beliefs, key=beliefs.get)
        predictions.append(IRIS_SPECIES.index(best))
    return np.array(predictions)


def rules_vs_learning(seed=0, max_depth=2):
    """Compara el sistema experto con un árbol que aprende sus reglas.

    Salida: dict con la exactitud de ambos en el conjunto de prueba, el
    texto de las reglas aprendidas y sus preguntas (rasgo, umbral) en
    orden. Concepto: «No toda IA aprende».
    """
    from sklearn.datasets import load_iris
    from sklearn.model_selection import train_test_split
    from sklearn.tree import DecisionTreeClassifier, export_text

    iris = load_iris()
    x_train, x_test, y_train, y_test = train_test_split(
        iris.data, iris.target, test_size=0.4, random_state=seed,
        stratify=iris.target,
    )
    tree = DecisionTreeClassifier(max_depth=max_depth, random_state=seed)
    tree.fit(x_train, y_train)
    names = ["largo sépalo", "ancho sépalo", "largo pétalo", "ancho pétalo"]
    return {
        "expert_accuracy": float(np.mean(expert_predict(x_test) == y_test)),
        "tree_accuracy": float(tree.score(x_test, y_test)),
        "tree_rules": export_text(tree, feature_names=names),
        "tree_splits": tree_splits(tree, names),
        "n_train": len(y_train),
        "n_test": len(y_test),
    }


def tree_splits(tree, feature_names):
    """Las preguntas que aprendió un árbol de decisión, de la raíz hacia abajo.

    Entrada: un ``DecisionTreeClassifier`` entrenado y el nombre de cada
    rasgo. Salida: lista de (rasgo, umbral), una por nodo interno, en
    preorden; cada una pregunta «¿rasgo <= umbral?». Concepto: las reglas
    que un modelo de ML encuentra solo, a partir de ejemplos.
    """
    nodes = tree.tree_
    return [
        (feature_names[feature], float(threshold))
        for feature, threshold in zip(nodes.feature, nodes.threshold)
        if feature >= 0  # las hojas no preguntan nada
    ]


# --- Búsqueda: A* en una grilla --------------------------------------------


def astar(grid, start, goal, heuristic=True):
    """Camino más corto en una grilla con obstáculos, con A* (o Dijkstra).

    Entrada: grid (alto, ancho) con 1 = obstáculo, celdas (fila, col).
    Salida: (camino como lista de celdas, nº de nodos expandidos). Con
    heuristic=False la heurística vale 0 y A* se vuelve Dijkstra.
    """
    grid = np.asarray(grid)
    for cell in (start, goal):
        if grid[cell]:
            raise ValueError(f"La celda {cell} es un obstáculo.")

    def h(cell):
        if not heuristic:
            return 0
        return abs(cell[0] - goal[0]) + abs(cell[1] - goal[1])

    frontier = [(h(start), 0, start)]
    parent = {start: None}
    cost = {start: 0}
    expanded = 0
    while frontier:
        _, g, cell = heapq.heappop(frontier)
        if g > cost[cell]:
            continue  # entrada vieja de la cola
        expanded += 1
        if cell == goal:
            return _path_to(cell, parent), expanded
        for nxt in _neighbours(grid, cell):
            if g + 1 < cost.get(nxt, float("inf")):
                cost[nxt] = g + 1
                parent[nxt] = cell
                heapq.heappush(frontier, (g + 1 + h(nxt), g + 1, nxt))
    raise ValueError("No hay camino entre el inicio y la meta.")


def _neighbours(grid, cell):
    """Celdas libres arriba, abajo, izquierda y derecha."""
    r, c = cell
    for dr, dc in ((1, 0), (-1, 0), (0, 1), (0, -1)):
        nr, nc = r + dr, c + dc
        inside = 0 <= nr < grid.shape[0] and 0 <= nc < grid.shape[1]
        if inside and not grid[nr, nc]:
            yield (nr, nc)


def _path_to(cell, parent):
    """Reconstruye el camino siguiendo los padres hasta el inicio."""
    path = []
    while cell is not None:
        path.append(cell)
        cell = parent[cell]
    return path[::-1]


def demo_grid(size=20, seed=0, density=0.1):
    """Grilla de prueba: tres muros con un paso cada uno y rocas al azar.

    Salida: arreglo (size, size) de 0 y 1 (1 = obstáculo). Concepto: el
    mapa de un rover que planifica su ruta.
    """
    rng = np.random.default_rng(seed)
    grid = (rng.random((size, size)) < density).astype(int)
    for k, col in enumerate((size // 4, size // 2, 3 * size // 4)):
        grid[:, col] = 1
        gap = size - 2 if k % 2 == 0 else 1  # abajo, arriba, abajo
        grid[gap - 1:gap + 1, col] = 0
        grid[gap - 1:gap + 1, col - 1:col + 2] = 0
    grid[0, 0] = grid[-1, -1] = 0
    return grid


# --- Búsqueda adversaria: Minimax con poda alfa-beta en el gato -----------

_LINES = (
    (0, 1, 2), (3, 4, 5), (6, 7, 8), (0, 3, 6),
    (1, 4, 7), (2, 5, 8), (0, 4, 8), (2, 4, 6),
)


def _winner(board):
    """+1 si ganó X, -1 si ganó O, 0 si nadie (todavía)."""
    for a, b, c in _LINES:
        if board[a] != 0 and board[a] == board[b] == board[c]:
            return board[a]
    return 0


def minimax(board, player, alpha=-2, beta=2, prune=True, counter=None):
    """Valor del gato con juego perfecto: +1 gana X, -1 gana O, 0 empate.

    Entrada: tablero de 9 casillas (1 = X, -1 = O, 0 = libre) y a quién le
    toca. counter (lista de un entero) cuenta los nodos visitados. Con
    prune=True se descartan ramas que no pueden cambiar la decisión (αβ).
    """
    if counter is not None:
        counter[0] += 1
    won = _winner(board)
    if won or 0 not in board:
        return won
    best = -2 if player == 1 else 2
    for square in range(9):
        if board[square] != 0:
            continue
        board[square] = player
        value = minimax(board, -player, alpha, beta, prune, counter)
        board[square] = 0
        if player == 1:
            best, alpha = max(best, value), max(alpha, value)
        else:
            best, beta = min(best, value), min(beta, value)
        if prune and alpha >= beta:
            break
    return best


def count_minimax_nodes(board=None, prune=True):
    """Valor del juego y nodos visitados desde ``board`` (vacío por defecto).

    Salida: (valor, nodos). Concepto: la poda αβ de Deep Blue.
    """
    board = [0] * 9 if board is None else list(board)
    player = 1 if board.count(1) == board.count(-1) else -1
    counter = [0]
    value = minimax(board, player, prune=prune, counter=counter)
    return value, counter[0]


# --- Aprendizaje automático clásico con scikit-learn -----------------------


def load_digits_data():
    """Los dígitos 8×8 de scikit-learn (vienen con la biblioteca).

    Salida: x (1797, 64) en [0, 16] e y (1797,) con el dígito.
    """
    from sklearn.datasets import load_digits

    digits = load_digits()
    return digits.data, digits.target


def classical_models(seed=0):
    """Los algoritmos clásicos de la clase, listos para entrenar.

    Salida: dict nombre -> estimador de scikit-learn sin entrenar.
    """
    from sklearn.ensemble import RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler
    from sklearn.svm import SVC
    from sklearn.tree import DecisionTreeClassifier

    return {
        "Regresión logística": make_pipeline(
            StandardScaler(), LogisticRegression(max_iter=2000)
        ),
        "k-NN (k=3)": KNeighborsClassifier(n_neighbors=3),
        "Árbol de decisión": DecisionTreeClassifier(random_state=seed),
        "Bosque aleatorio": RandomForestClassifier(
            n_estimators=100, random_state=seed
        ),
        "SVM (RBF)": make_pipeline(StandardScaler(), SVC()),
    }


def compare_classical(x, y, seed=0, test_size=0.3):
    """Entrena cada modelo clásico y mide exactitud y tiempo de ajuste.

    Entrada: x (n, d), y (n,). Salida: lista de dicts {model, accuracy,
    fit_seconds}. Concepto: los algoritmos clásicos de ML.
    """
    from sklearn.model_selection import train_test_split

    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=test_size, random_state=seed, stratify=y
    )
    rows = []
    for name, model in classical_models(seed).items():
        start = time.perf_counter()
        model.fit(x_train, y_train)
        seconds = time.perf_counter() - start
        rows.append({
            "model": name,
            "accuracy": float(model.score(x_test, y_test)),
            "fit_seconds": seconds,
        })
    return rows


def fit_linear_regression(x, y):
    """Regresión lineal por mínimos cuadrados: minimiza el MSE exactamente.

    Entrada: x (n, d), y (n,). Salida: (w (d,), b). Resuelve
    [x 1]·[w; b] ≈ y con ``numpy.linalg.lstsq`` (las ecuaciones normales).
    Concepto: el algoritmo clásico más simple, con solución cerrada.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.ndim != 2 or y.shape != (len(x),):
        raise ValueError(
            f"Se esperaba x (n, d) e y (n,); llegaron {x.shape} y "
            f"{y.shape}."
        )
    design = np.hstack([x, np.ones((len(x), 1))])
    coefficients, *_ = np.linalg.lstsq(design, y, rcond=None)
    return coefficients[:-1], float(coefficients[-1])


def regression_demo(seed=0, test_size=0.3):
    """Regresión lineal a mano frente a scikit-learn (datos de diabetes).

    Predice la progresión de la diabetes un año después a partir de 10
    mediciones de 442 pacientes. Salida: dict con el MSE y el R² en
    prueba, el MSE de predecir siempre el promedio, y la mayor diferencia
    entre nuestros coeficientes y los de ``LinearRegression``.
    """
    from sklearn.datasets import load_diabetes
    from sklearn.linear_model import LinearRegression
    from sklearn.model_selection import train_test_split

    x, y = load_diabetes(return_X_y=True)
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=test_size, random_state=seed
    )
    w, b = fit_linear_regression(x_train, y_train)
    predictions = x_test @ w + b
    mse = float(np.mean((y_test - predictions) ** 2))
    baseline = float(np.mean((y_test - y_train.mean()) ** 2))
    reference = LinearRegression().fit(x_train, y_train)
    return {
        "mse": mse,
        "baseline_mse": baseline,
        "r2": 1.0 - mse / float(np.var(y_test)),
        "max_coef_gap": float(np.max(np.abs(w - reference.coef_))),
        "n_train": len(y_train),
        "n_test": len(y_test),
    }


def kmeans_clusters(x, n_clusters=10, seed=0):
    """Agrupa x con k-means, sin mirar etiquetas.

    Entrada: x (n, d). Salida: (n,) índice de grupo. Concepto:
    aprendizaje no supervisado.
    """
    from sklearn.cluster import KMeans

    model = KMeans(n_clusters=n_clusters, n_init=10, random_state=seed)
    return model.fit_predict(x)


def cluster_purity(clusters, labels):
    """Fracción de puntos cuya etiqueta es la mayoritaria de su grupo.

    Entrada: (n,) grupos y (n,) etiquetas enteras. Salida: número 0..1.
    """
    clusters = np.asarray(clusters)
    labels = np.asarray(labels)
    hits = sum(
        np.bincount(labels[clusters == k]).max()
        for k in np.unique(clusters)
    )
    return hits / len(labels)


def tsne_embedding(x, seed=0, perplexity=30.0):
    """Proyecta x a 2 dimensiones con t-SNE (vecinos cercanos se mantienen).

    Entrada: x (n, d). Salida: (n, 2). Concepto: reducción de
    dimensionalidad para visualizar.
    """
    from sklearn.manifold import TSNE

    x = np.asarray(x, dtype=float)
    if x.shape[1] > 50:  # PCA previo: práctica estándar y más rápida
        from sklearn.decomposition import PCA

        x = PCA(n_components=50, random_state=seed).fit_transform(x)
    tsne = TSNE(n_components=2, perplexity=perplexity, init="pca",
                random_state=seed)
    return tsne.fit_transform(x)


def semi_supervised_vs_supervised(n_labeled=50, seed=0, test_size=0.3):
    """Pocas etiquetas: solo supervisado frente a semi-supervisado.

    Con los dígitos 8×8, entrena un k-NN solo con ``n_labeled`` ejemplos
    etiquetados, y un ``LabelSpreading`` que además usa el resto del
    entrenamiento sin etiquetas (marcado con -1). Salida: dict con las dos
    exactitudes en prueba.
    Concepto: mezclar etiquetas y datos sin etiquetar.
    """
    from sklearn.model_selection import train_test_split
    from sklearn.neighbors import KNeighborsClassifier
    from sklearn.semi_supervised import LabelSpreading

    x, y = load_digits_data()
    x_train, x_test, y_train, y_test = train_test_split(
        x, y, test_size=test_size, random_state=seed, stratify=y
    )
    if not 10 <= n_labeled < len(y_train):
        raise ValueError(
            f"n_labeled debe estar entre 10 y {len(y_train) - 1}."
        )
    labeled = np.random.default_rng(seed).permutation(len(y_train))
    labeled = labeled[:n_labeled]
    partial = np.full_like(y_train, -1)
    partial[labeled] = y_train[labeled]
    knn = KNeighborsClassifier(n_neighbors=1)
    knn.fit(x_train[labeled], y_train[labeled])
    spreading = LabelSpreading(kernel="knn", n_neighbors=7, max_iter=100)
    spreading.fit(x_train, partial)
    return {
        "supervised_accuracy": float(knn.score(x_test, y_test)),
        "semi_supervised_accuracy": float(spreading.score(x_test, y_test)),
        "n_labeled": n_labeled,
        "n_unlabeled": len(y_train) - n_labeled,
    }
