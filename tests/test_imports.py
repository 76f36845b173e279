"""Importar el paquete es liviano: ningún módulo de la raíz, ni las «casas»
que usa el comando, carga un marco al importarse (cada uno se importa
dentro de la función que lo usa). Una sola prueba, un módulo por caso,
cada uno en un intérprete nuevo."""

import subprocess
import sys

import pytest

FRAMEWORKS = ("tensorflow", "torch", "keras", "jax")
PLOTTING = ("matplotlib", "sklearn")

LIGHT = {
    "esenciales": FRAMEWORKS + PLOTTING,
    "esenciales.cli": FRAMEWORKS + PLOTTING,
    "esenciales.cli.catalog": FRAMEWORKS + PLOTTING + ("numpy",),
    "esenciales.data": FRAMEWORKS + PLOTTING,
    "esenciales.files": FRAMEWORKS + PLOTTING + ("numpy",),
    "esenciales.frameworks": FRAMEWORKS + PLOTTING,
    "esenciales.myst": FRAMEWORKS + PLOTTING + ("numpy",),
    "esenciales.notebooks": FRAMEWORKS + PLOTTING + ("numpy",),
    "esenciales.runs.data_size": FRAMEWORKS,
    "esenciales.runs.minimal_mlp": FRAMEWORKS,
    "esenciales.runs.stats": FRAMEWORKS + PLOTTING,
    "esenciales.runs.techniques": FRAMEWORKS,
    "esenciales.spanish": FRAMEWORKS + PLOTTING,
    "esenciales.timing": FRAMEWORKS + PLOTTING + ("numpy",),
    "esenciales.timing.parallel": FRAMEWORKS + PLOTTING + ("numpy",),
}
"""Módulo → lo que no debe quedar en ``sys.modules`` al importarlo."""


@pytest.mark.parametrize("module", sorted(LIGHT))
def test_importing_loads_no_framework(module):
    heavy = LIGHT[module]
    code = (f"import sys, {module}\n"
            f"print(sorted(m for m in {heavy!r} if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], check=True,
                         capture_output=True, text=True).stdout
    assert out.strip() == "[]"


def test_the_check_sees_a_framework_when_one_is_imported():
    """La prueba de arriba puede fallar: importar un gemelo sí carga su
    marco."""
    code = ("import sys, esenciales.torch.models\n"
            "print('torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], check=True,
                         capture_output=True, text=True).stdout
    assert out.strip() == "True"
