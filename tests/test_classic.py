"""IA clásica: sistema experto, A*, Minimax con αβ y ML clásico."""

import numpy as np
import pytest

from esenciales.scratch import classic


def test_forward_chain_combines_certainties_like_mycin():
    rules = (
        classic.Rule(("a",), "x", 0.6),
        classic.Rule(("a", "b"), "x", 0.5),
        classic.Rule(("c",), "y", 0.9),
    )
    beliefs = classic.forward_chain({"a", "b"}, rules)
    assert beliefs == {"x": pytest.approx(0.6 + 0.5 * 0.4)}


def test_expert_classifies_typical_flowers():
    flowers = [[5.1, 3.5, 1.4, 0.2], [6.0, 2.9, 4.5, 1.5],
               [6.9, 3.1, 5.8, 2.3]]
    assert classic.expert_predict(flowers).tolist() == [0, 1, 2]


def test_expert_rejects_bad_shape():
    with pytest.raises(ValueError, match="4 medidas"):
        classic.expert_predict(np.zeros((3, 2)))


def test_rules_vs_learning_reports_both_accuracies():
    result = classic.rules_vs_learning(seed=0)
    assert 0.85 < result["expert_accuracy"] <= 1.0
    assert 0.85 < result["tree_accuracy"] <= 1.0
    assert "pétalo" in result["tree_rules"]
    assert result["n_train"] + result["n_test"] == 150


def test_tree_splits_match_the_printed_rules():
    result = classic.rules_vs_learning(seed=0)
    splits = result["tree_splits"]
    assert 1 <= len(splits) <= 3  # max_depth=2: a lo sumo 3 preguntas
    for name, threshold in splits:
        assert f"{name} <= {threshold:.2f}" in result["tree_rules"]
    # El árbol redescubre el umbral de ancho de la experta (1,7 cm).
    widths = [t for name, t in splits if name == "ancho pétalo"]
    assert min(abs(t - 1.7) for t in widths) < 0.1


def test_tree_splits_of_a_one_question_tree():
    from sklearn.tree import DecisionTreeClassifier

    x = np.array([[0.0, 5.0], [1.0, 5.0], [2.0, 5.0], [3.0, 5.0]])
    tree = DecisionTreeClassifier().fit(x, [0, 0, 1, 1])
    assert classic.tree_splits(tree, ["a", "b"]) == [("a", 1.5)]


def test_astar_finds_shortest_path_with_fewer_expansions():
    grid = classic.demo_grid()
    goal = (grid.shape[0] - 1, grid.shape[1] - 1)
    path, expanded = classic.astar(grid, (0, 0), goal)
    path_d, expanded_d = classic.astar(grid, (0, 0), goal, heuristic=False)
    assert path[0] == (0, 0) and path[-1] == goal
    assert len(path) == len(path_d)  # ambos óptimos
    assert expanded < expanded_d
    steps = np.abs(np.diff(np.array(path), axis=0)).sum(axis=1)
    assert np.all(steps == 1)
    assert all(grid[cell] == 0 for cell in path)


def test_astar_open_grid_path_length_is_manhattan():
    grid = np.zeros((5, 7), dtype=int)
    path, _ = classic.astar(grid, (0, 0), (4, 6))
    assert len(path) - 1 == 4 + 6


def test_astar_errors_in_spanish():
    grid = np.zeros((3, 3), dtype=int)
    grid[:, 1] = 1
    with pytest.raises(ValueError, match="No hay camino"):
        classic.astar(grid, (0, 0), (0, 2))
    with pytest.raises(ValueError, match="obstáculo"):
        classic.astar(grid, (0, 1), (0, 2))


def test_tictactoe_is_a_draw_and_pruning_saves_nodes():
    value, full = classic.count_minimax_nodes(prune=False)
    value_ab, pruned = classic.count_minimax_nodes(prune=True)
    assert value == value_ab == 0
    assert full == 549946  # árbol completo del gato
    assert pruned < full / 10


def test_minimax_sees_a_win():
    # X tiene dos en la fila de arriba y le toca: gana.
    board = [1, 1, 0, -1, -1, 0, 0, 0, 0]
    value, _ = classic.count_minimax_nodes(board)
    assert value == 1


def test_classical_models_learn_digits():
    x, y = classic.load_digits_data()
    rows = classic.compare_classical(x, y, seed=0)
    assert [r["model"] for r in rows] == list(classic.classical_models())
    assert all(r["accuracy"] > 0.8 for r in rows)


def test_kmeans_purity_beats_chance():
    x, y = classic.load_digits_data()
    clusters = classic.kmeans_clusters(x[:600], n_clusters=10, seed=0)
    assert clusters.shape == (600,)
    assert classic.cluster_purity(clusters, y[:600]) > 0.6


def test_cluster_purity_exact():
    assert classic.cluster_purity([0, 0, 1, 1], [3, 3, 2, 5]) == 0.75


def test_tsne_embedding_shape_and_neighbourhoods():
    x, y = classic.load_digits_data()
    emb = classic.tsne_embedding(x[:300], seed=0)
    assert emb.shape == (300, 2)
    # El vecino más cercano en 2D suele tener el mismo dígito.
    d = ((emb[:, None] - emb[None]) ** 2).sum(-1)
    np.fill_diagonal(d, np.inf)
    assert np.mean(y[:300][d.argmin(1)] == y[:300]) > 0.8


def test_semi_supervised_uses_unlabelled_data():
    result = classic.semi_supervised_vs_supervised(n_labeled=50, seed=0)
    assert result["n_labeled"] == 50
    assert result["semi_supervised_accuracy"] > result["supervised_accuracy"]


def test_semi_supervised_rejects_bad_label_count():
    with pytest.raises(ValueError, match="n_labeled"):
        classic.semi_supervised_vs_supervised(n_labeled=5)


def test_linear_regression_recovers_exact_coefficients():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(50, 3))
    w_true = np.array([1.5, -2.0, 0.5])
    w, b = classic.fit_linear_regression(x, x @ w_true + 4.0)
    np.testing.assert_allclose(w, w_true, atol=1e-10)
    assert b == pytest.approx(4.0)


def test_regression_demo_matches_sklearn_and_beats_the_mean():
    result = classic.regression_demo(seed=0)
    assert result["max_coef_gap"] < 1e-6
    assert result["mse"] < result["baseline_mse"]
    assert 0.2 < result["r2"] < 0.8


def test_linear_regression_rejects_bad_shapes():
    with pytest.raises(ValueError, match="Se esperaba"):
        classic.fit_linear_regression(np.zeros((4, 2)), np.zeros(3))
