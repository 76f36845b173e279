"""El experimento de inicialización: el mismo LSTM, dos puntos de partida.

El gemelo PyTorch del clasificador LSTM se entrena con las reglas de
inicialización de Keras (``init_weights``, lo que hace el paquete) y con
las de PyTorch por omisión (``Embedding`` N(0, 1), todos los pesos de la
LSTM U(±1/√H)), con la misma receta, las mismas reseñas y las mismas
semillas que la comparación de marcos (``runs.comparison``): las corridas
con las reglas de Keras son las de esa comparación, ya en la caché. Lo
que cambia la exactitud es solo el punto de partida. Este módulo no
importa PyTorch hasta que el experimento corre.
"""

from esenciales.runs import comparison
from esenciales.runs.cache import cached_json, code_hash, recipe_key
from esenciales.runs.training import train, trained

VARIANTS = {
    "keras_rules": "reglas de Keras (init_weights)",
    "torch_defaults": "PyTorch por omisión",
}
"""Los dos puntos de partida, con su nombre en español."""


def torch_default_init(model):
    """Devuelve ``model`` con la inicialización por omisión de PyTorch.

    Llama ``reset_parameters()`` de cada capa, que es lo que hace PyTorch
    al construirla; deshace ``init_weights``. El b_hh de la LSTM sigue
    congelado: solo cambia el punto de partida, no qué se entrena.
    """
    for module in model.modules():
        if hasattr(module, "reset_parameters"):
            module.reset_parameters()
    return model


def with_torch_defaults(fit):
    """``fit`` que antes de entrenar reinicia el modelo a lo PyTorch."""
    def fit_from_torch_defaults(model, *args, **kwargs):
        return fit(torch_default_init(model), *args, **kwargs)

    return fit_from_torch_defaults


def run_torch_defaults(recipe):
    """Entrena ``recipe`` en PyTorch desde la inicialización por omisión.

    Salida: ``{"test_accuracy", "history"}``, en la caché bajo la clave de
    la receta más la huella de este módulo.
    """
    key = (f"inicializacion-{recipe_key(recipe, 'torch')}-"
           f"{code_hash('torch', extra=('runs/initialization.py',))}")

    def compute():
        result = train(recipe, "torch", wrap_fit=with_torch_defaults)
        return {"test_accuracy": result.test["accuracy"],
                "history": result.history}

    return cached_json(key, compute)


def initialization_experiment(seeds=comparison.SEEDS):
    """Exactitud de prueba del LSTM de PyTorch con cada inicialización.

    La receta es ``comparison.seeded("lstm_classifier", semilla)``. Salida:
    filas ``{"variant", "seed", "test_accuracy", "history"}``, una por
    variante y semilla.
    """
    rows = []
    for seed in seeds:
        recipe = comparison.seeded("lstm_classifier", seed)
        matched = trained(recipe, "torch")
        rows.append({"variant": "keras_rules", "seed": seed,
                     "test_accuracy": matched.test["accuracy"],
                     "history": matched.history})
        rows.append({"variant": "torch_defaults", "seed": seed,
                     **run_torch_defaults(recipe)})
    return rows


def summary(rows):
    """Media y desviación de la exactitud por variante.

    Salida: ``{variante: {"mean", "std", "values"}}`` (desviación
    muestral, con n − 1), en el orden de ``VARIANTS``.
    """
    stats = comparison.summary(rows, by="variant")
    return {variant: stats[variant] for variant in VARIANTS}


def jobs(seeds=comparison.SEEDS):
    """Los entrenamientos de ``initialization_experiment`` que no hace ya
    ``comparison.jobs("lstm_classifier")``, como pares ``(función,
    argumentos)``: los que ``tools/prefetch.py`` hace antes, en paralelo."""
    return [(run_torch_defaults, (comparison.seeded("lstm_classifier",
                                                     seed),))
            for seed in seeds]
