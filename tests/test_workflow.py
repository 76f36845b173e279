"""El flujo de GitHub Actions que publica el libro hace lo mismo que la CI."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
WORKFLOW = ROOT / ".github" / "workflows" / "libro.yml"


def load():
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def steps(job):
    return load()["jobs"][job]["steps"]


def test_build_runs_exactly_the_ci_script():
    runs = [step["run"].strip() for step in steps("construir")
            if "run" in step]
    assert runs[0] == ".ci/run"
    uses = [step.get("uses", "") for step in steps("construir")]
    assert uses[0].startswith("actions/checkout@")
    # La CI corre como root en Debian 12 con Python 3.11: el contenedor
    # también, y .ci/run instala los mismos paquetes de Debian.
    assert load()["jobs"]["construir"]["container"] == "python:3.11-bookworm"


def test_ci_script_builds_html_and_runs_notebooks():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    book = script.index("make book")
    assert book < script.index("make check-notebooks")
    assert book < script.index("make check-html")


def test_pages_get_the_built_html_and_notebooks_their_branch():
    upload = next(step for step in steps("construir")
                  if step.get("uses", "").startswith(
                      "actions/upload-pages-artifact@"))
    assert upload["with"]["path"] == "_build/html"
    publish = next(step["run"] for step in steps("construir")
                   if "cuadernos" in step.get("name", ""))
    assert "_build/html/_sources/book/*.ipynb" in publish
    assert "git push" in publish and "cuadernos" in publish
    deploy = steps("publicar")
    assert deploy[0]["uses"].startswith("actions/deploy-pages@")
    assert load()["jobs"]["publicar"]["needs"] == "construir"
    # «on» es True para PyYAML (YAML 1.1).
    triggers = load().get("on", load().get(True))
    assert triggers["push"]["branches"] == ["main"]
