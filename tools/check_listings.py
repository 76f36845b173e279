"""Los listados del libro corren tal como se muestran.

Lee las páginas construidas (``_build/html/book/*.html``) y, pestaña por
pestaña (Keras y PyTorch), arma lo que un estudiante tendría al copiar:
los ``import`` que muestra la página (en sus celdas y en las pestañas de
ese marco, hasta ahí) y los listados de las pestañas de ese marco
mostrados antes, en el orden de la página. Con eso, en un intérprete nuevo
por página y marco, y un espacio de nombres nuevo por pestaña:

1. ejecuta los listados de la pestaña;
2. revisa que cada nombre global que usan sus funciones y clases esté
   definido (un ayudante que la página no muestra es un error, aunque la
   función no se llame); un nombre traído de ``esenciales`` con un
   ``import`` no cuenta como mostrado: su definición tiene que estar en
   la página, antes o en la misma pestaña (su desplegable de funciones
   auxiliares), porque un ``import`` esconde el código;
3. construye cada modelo que definen (funciones y clases cuyos argumentos
   obligatorios tienen un valor de ejemplo en ``EXAMPLE_ARGS``) y corre un
   paso hacia adelante y uno hacia atrás con una entrada al azar.

Uso: python tools/check_listings.py --html _build/html [--pagina 03_...]
Sale con código 1 si algún listado falla, y dice cuál y por qué.
"""

import argparse
import ast
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from bs4 import BeautifulSoup

FRAMEWORKS = {"keras": "Keras", "torch": "PyTorch"}
"""Las pestañas que se revisan: clave de sincronización → nombre."""

MAX_COLUMNS = 76
"""Las líneas que el libro muestra caben en una pestaña (y en la página)."""


def _code(element):
    """El texto del primer ``<pre>`` de ``element``."""
    pre = element.find("pre")
    return pre.get_text() if pre is not None else ""


def page_blocks(html):
    """Las celdas de código y las pestañas de una página, en su orden.

    Devuelve una lista de ``("celda", código)`` y
    ``("pestaña", marco, [listados])``. Solo cuentan las pestañas de los
    marcos de ``FRAMEWORKS``; las celdas dentro de una pestaña cuentan
    como celdas.
    """
    soup = BeautifulSoup(html, "html.parser")
    main = soup.find("main") or soup
    blocks = []
    wanted = ("cell_input", "sd-tab-content")
    for element in main.find_all(
            "div", class_=lambda c: c is not None and c in wanted):
        classes = element.get("class", [])
        if "cell_input" in classes:
            blocks.append(("celda", _code(element)))
            continue
        label = element.find_previous_sibling("label")
        framework = label.get("data-sync-id") if label else None
        if framework not in FRAMEWORKS:
            continue
        listings = [
            pre.get_text() for pre in element.find_all("pre")
            if pre.find_parent("div", class_="cell_input") is None
            and pre.find_parent("div", class_="cell_output") is None]
        if listings:
            blocks.append(("pestaña", framework, listings))
    return blocks


def imports_of(code):
    """Las sentencias ``import`` de primer nivel de ``code`` (texto).

    Las líneas mágicas de IPython (``%``, ``!``) no son Python: se quitan.
    """
    lines = [line for line in code.splitlines()
             if not line.lstrip().startswith(("%", "!"))]
    source = "\n".join(lines)
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return []
    return [ast.get_source_segment(source, node) for node in tree.body
            if isinstance(node, (ast.Import, ast.ImportFrom))]


PACKAGE = "esenciales"
"""El paquete del libro: lo que se importa de él no se ve en la página."""


def _tree(code):
    """El árbol de ``code`` sin las líneas mágicas; None si no es Python."""
    lines = [line for line in code.splitlines()
             if not line.lstrip().startswith(("%", "!"))]
    try:
        return ast.parse("\n".join(lines))
    except SyntaxError:
        return None


def package_imports(code):
    """Los nombres que ``code`` trae de ``esenciales`` con un ``import``.

    ``from esenciales.torch.models import init_weights`` da
    ``init_weights``; ``import esenciales.torch`` da ``esenciales``.
    """
    tree = _tree(code)
    if tree is None:
        return set()
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 \
                and (node.module or "").split(".")[0] == PACKAGE:
            names.update(a.asname or a.name for a in node.names)
        elif isinstance(node, ast.Import):
            names.update(a.asname or a.name.split(".")[0]
                         for a in node.names
                         if a.name.split(".")[0] == PACKAGE)
    return names


def definitions(code):
    """Los nombres que ``code`` define a la vista en su primer nivel
    (funciones, clases y asignaciones)."""
    tree = _tree(code)
    if tree is None:
        return set()
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef,
                             ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Assign, ast.AnnAssign, ast.AugAssign)):
            targets = getattr(node, "targets", None) or [node.target]
            names.update(n.id for t in targets for n in ast.walk(t)
                         if isinstance(n, ast.Name))
    return names


def hidden_names(imports, shown):
    """Los nombres importados de ``esenciales`` cuya definición no está
    en ``shown`` (los listados que el estudiante ve hasta la pestaña,
    ella incluida)."""
    imported = set().union(*(package_imports(c) for c in imports + shown))
    defined = set().union(*(definitions(c) for c in shown))
    return sorted(imported - defined)


def programs(blocks):
    """Por marco, la lista de pestañas con lo que cada una puede usar.

    Cada pestaña es ``{"imports": [...], "before": [...], "listings":
    [...]}``: los ``import`` de las celdas de la página (todas: en un
    cuaderno se ejecutan en orden, pero un listado no depende de cuándo)
    y los de las pestañas de ese marco mostradas hasta ella; ``before``,
    los listados de las pestañas anteriores del mismo marco; ``hidden``,
    los nombres que la pestaña podría usar solo gracias a un ``import``
    de ``esenciales`` (ver ``hidden_names``).
    """
    cell_imports = [imp for block in blocks if block[0] == "celda"
                    for imp in imports_of(block[1])]
    result = {framework: [] for framework in FRAMEWORKS}
    shown = {framework: [] for framework in FRAMEWORKS}
    for block in blocks:
        if block[0] != "pestaña":
            continue
        _, framework, listings = block
        result[framework].append({
            "imports": cell_imports,
            "before": list(shown[framework]),
            "listings": listings,
            "hidden": hidden_names(cell_imports,
                                   shown[framework] + listings),
        })
        shown[framework].extend(listings)
    return result


RUNNER = r'''
import builtins, inspect, json, symtable, sys, traceback

EXAMPLE_ARGS = json.loads(sys.argv[1])
tabs = json.load(sys.stdin)


def unresolved(source, namespace, hidden=()):
    """Nombres globales que usan las funciones y clases de ``source`` y
    que no están definidos en ``namespace`` ni son de Python, más los de
    ``hidden`` que usan (importados del paquete, sin mostrar)."""
    missing = set()

    def visit(table, top):
        for symbol in table.get_symbols():
            name = symbol.get_name()
            used = symbol.is_referenced()
            free_global = symbol.is_global() and used
            top_level = (top and used and not symbol.is_assigned()
                         and not symbol.is_imported())
            if (free_global or top_level) and name not in namespace \
                    and not hasattr(builtins, name):
                missing.add(name)
            if (free_global or (top and used)) and name in hidden:
                missing.add(name)
        for child in table.get_children():
            visit(child, False)

    visit(symtable.symtable(source, "<listado>", "exec"), True)
    return sorted(missing)


def defined_names(source):
    import ast
    return [node.name for node in ast.parse(source).body
            if isinstance(node, (ast.FunctionDef, ast.ClassDef))]


def example_call(obj):
    """Llama a ``obj`` con los valores de ejemplo; None si no se puede."""
    try:
        parameters = inspect.signature(obj).parameters.values()
    except (TypeError, ValueError):
        return None
    kwargs = {}
    for p in parameters:
        if p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD):
            continue
        if p.default is not p.empty:
            continue
        if p.name not in EXAMPLE_ARGS:
            return None
        kwargs[p.name] = EXAMPLE_ARGS[p.name]
    return ("call", kwargs)


def torch_step(model):
    import torch
    from torch import nn
    leaves = [m for m in model.modules()
              if not list(m.children()) and list(m.parameters())]
    if not leaves:
        return None
    first = leaves[0]
    if isinstance(first, nn.Embedding):
        inputs = [torch.randint(1, first.num_embeddings,
                                (2, EXAMPLE_ARGS["maxlen"]))]
    elif isinstance(first, nn.Linear):
        inputs = [torch.rand(2, first.in_features)]
    elif isinstance(first, nn.Conv2d):
        inputs = [torch.rand(2, first.in_channels, side, side)
                  for side in (28, 32)]
    else:
        return None
    errors = []
    for x in inputs:
        model.train()
        model.zero_grad()
        try:
            out = model(x)
        except RuntimeError as error:  # otro tamaño de imagen
            errors.append(str(error).splitlines()[0])
            continue
        outs = out if isinstance(out, (tuple, list)) else (out,)
        loss = sum(o.float().mean() for o in outs)
        loss.backward()
        grads = [p.grad for p in model.parameters() if p.requires_grad]
        if not grads or all(g is None for g in grads):
            raise AssertionError("el paso hacia atrás no dio gradientes")
        return "forma de entrada " + "×".join(map(str, x.shape))
    raise AssertionError("ninguna entrada sirvió: " + "; ".join(errors))


def keras_step(model):
    import keras
    import numpy as np
    try:
        inputs = model.inputs
    except (AttributeError, ValueError):
        return None
    if not inputs or not model.trainable_weights:
        return None
    rng = np.random.default_rng(0)
    xs = []
    for tensor in inputs:
        shape = [2] + [EXAMPLE_ARGS["maxlen"] if s is None else s
                       for s in tensor.shape[1:]]
        if "int" in str(tensor.dtype):
            xs.append(rng.integers(1, EXAMPLE_ARGS["vocab_size"],
                                   size=shape).astype("int32"))
        else:
            xs.append(rng.uniform(size=shape).astype("float32"))
    x = xs[0] if len(xs) == 1 else xs
    import tensorflow as tf
    with tf.GradientTape() as tape:
        out = model(x, training=True)
        loss = sum(tf.reduce_mean(tf.cast(o, "float32"))
                   for o in tf.nest.flatten(out))
    grads = tape.gradient(loss, model.trainable_weights)
    if all(g is None for g in grads):
        raise AssertionError("el paso hacia atrás no dio gradientes")
    return "forma de entrada " + "×".join(map(str, xs[0].shape))


def step(obj):
    kind = type(obj).__module__.split(".")[0]
    if kind == "torch" or any(c.__module__.startswith("torch.nn")
                              for c in type(obj).__mro__):
        return torch_step(obj)
    if any(c.__module__.startswith("keras") for c in type(obj).__mro__):
        return keras_step(obj)
    return None


results = []
for tab in tabs:
    report = {"page": tab["page"], "framework": tab["framework"],
              "index": tab["index"], "names": [], "models": [],
              "error": None}
    source = "\n\n".join(tab["listings"])
    namespace = {"__name__": "__listado__"}
    try:
        for code in ["\n".join(tab["imports"]), *tab["before"]]:
            exec(compile(code, "<antes>", "exec"), namespace)
        exec(compile(source, "<listado>", "exec"), namespace)
        report["names"] = defined_names(source)
        missing = unresolved(source, namespace, set(tab["hidden"]))
        if missing:
            report["error"] = "usa nombres que la página no muestra: " \
                + ", ".join(name + (" (importado de esenciales)"
                                    if name in tab["hidden"] else "")
                            for name in missing)
            results.append(report)
            continue
        for name in report["names"]:
            if name.startswith("_"):  # ayudantes, no modelos
                continue
            call = example_call(namespace[name])
            if call is None:
                continue
            built = namespace[name](**call[1])
            shape = step(built)
            if shape is not None:
                report["models"].append(f"{name}: {shape}")
    except Exception as error:  # el informe dice cuál y por qué
        last = traceback.extract_tb(error.__traceback__)[-1]
        report["error"] = (f"{type(error).__name__}: {error} "
                           f"({last.filename}:{last.lineno})")
    results.append(report)
print(json.dumps(results))
'''

EXAMPLE_ARGS = {"n_features": 4, "vocab_size": 50, "maxlen": 12,
                "latent_dim": 2, "n_classes": 3, "input_size": 8,
                "hidden_size": 6, "embed_dim": 8, "num_heads": 2,
                "ff_dim": 16, "dim": 8, "units": 4}
"""Valores de ejemplo para los argumentos obligatorios de un modelo."""


def long_lines(listings):
    """Las líneas de ``listings`` de más de ``MAX_COLUMNS`` caracteres."""
    return [line for code in listings for line in code.splitlines()
            if len(line) > MAX_COLUMNS]


def check_page(path, python=sys.executable):
    """Los informes de cada pestaña de una página (lista de dicts)."""
    blocks = page_blocks(Path(path).read_text(encoding="utf-8"))
    reports = []
    for framework, tabs in programs(blocks).items():
        if not tabs:
            continue
        for index, tab in enumerate(tabs, 1):
            tab.update(page=Path(path).stem, framework=framework,
                       index=index)
            for line in long_lines(tab["listings"]):
                reports.append({
                    "page": Path(path).stem, "framework": framework,
                    "index": index, "names": [], "models": [],
                    "error": f"línea de {len(line)} caracteres (más de "
                             f"{MAX_COLUMNS}): {line.strip()}"})
        env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3",
               "KERAS_BACKEND": os.environ.get("KERAS_BACKEND",
                                               "tensorflow"),
               "PYTHONWARNINGS": "ignore"}
        with tempfile.TemporaryDirectory() as fresh:
            done = subprocess.run(
                [python, "-c", RUNNER, json.dumps(EXAMPLE_ARGS)],
                input=json.dumps(tabs), capture_output=True, text=True,
                cwd=fresh, env=env)
        if done.returncode != 0:
            tail = done.stderr.strip().splitlines()[-3:]
            reports.append({"page": Path(path).stem, "framework": framework,
                            "index": 0, "names": [], "models": [],
                            "error": "el intérprete falló: "
                                     + " / ".join(tail)})
            continue
        reports.extend(json.loads(done.stdout.strip().splitlines()[-1]))
    return reports


def pages(html_dir, only=()):
    """Las páginas de capítulos y apéndices del libro construido."""
    found = sorted(Path(html_dir, "book").glob("*.html"))
    return [p for p in found if not only or p.stem in only]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", default="_build/html",
                        help="carpeta del libro construido")
    parser.add_argument("--pagina", action="append", default=[],
                        help="revisar solo esta página (sin .html)")
    args = parser.parse_args(argv)
    found = pages(args.html, args.pagina)
    if not found:
        print(f"No hay páginas en {args.html}/book: ¿corrió make book?",
              file=sys.stderr)
        return 1
    failures = 0
    for path in found:
        reports = check_page(path)
        if not reports:
            continue
        counts = {fw: len({r["index"] for r in reports
                           if r["framework"] == fw})
                  for fw in FRAMEWORKS}
        models = sum(len(r["models"]) for r in reports)
        print(f"{path.stem}: {counts['keras']} pestañas de Keras, "
              f"{counts['torch']} de PyTorch, {models} modelos con un "
              "paso hacia adelante y hacia atrás")
        for report in reports:
            if report["error"]:
                failures += 1
                names = ", ".join(report["names"]) or "?"
                print(f"  ✗ {FRAMEWORKS[report['framework']]}, pestaña "
                      f"{report['index']} ({names}): {report['error']}")
    if failures:
        print(f"{failures} pestaña(s) no corren tal como se muestran.",
              file=sys.stderr)
        return 1
    print("Todos los listados corren tal como se muestran.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
