"""Un experimento del capítulo 6: el MLP mínimo con una etiqueta que sí
depende de la entrada.

La diapositiva entrena el MLP mínimo con etiquetas al azar, y no aprende
nada (no hay nada que aprender). Aquí la misma receta aprende una etiqueta
que depende de x. Se entrena una vez por semilla, desde la caché.
"""

from esenciales.runs import recipes, training

SEEDS = (0, 1, 2)
"""Las semillas del experimento."""


def learnable_minimal(seed=0, framework="torch", n=6000):
    """El MLP mínimo del capítulo 6 cuando la etiqueta sí depende de x.

    La receta ``mlp_minimal`` con los datos ``random_sum``: (n, 10)
    uniformes en [0, 1), como en la diapositiva, pero con ``y = 1`` si
    ``x₁ + x₂ > 1``. Salida: ``{"test_accuracy"}`` en ``n // 6`` ejemplos
    de prueba sacados igual (de la caché, por receta).
    """
    recipe = recipes.get("mlp_minimal").replace(data="random_sum",
                                                n_train=n, seed=seed)
    record = training.trained_record(recipe, framework)
    return {"test_accuracy": record["test"]["accuracy"]}
