"""``argparse`` en español y las piezas comunes de las opciones.

La traducción vive en dos subclases, sin tocar el módulo ``argparse``:
``SpanishFormatter`` escribe la ayuda («uso:», los títulos de los grupos)
y ``Parser`` convierte cada error de uso en una sola línea en español
(``UsageError``, salida 2), con la opción más parecida cuando la hay.
Los prefijos de las opciones no se completan: ``--epoch`` no es
``--epochs``.
"""

import argparse
import difflib
import math
import re
import textwrap

from esenciales.cli.errors import UsageError


class SpanishFormatter(argparse.RawDescriptionHelpFormatter):
    """La ayuda en español, con los ejemplos tal cual."""

    def __init__(self, prog, **kwargs):
        kwargs.setdefault("max_help_position", 30)
        kwargs.setdefault("width", 80)
        super().__init__(prog, **kwargs)

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups,
                          "uso: " if prefix is None else prefix)


def _suggestion(value, choices):
    """« (¿quisieron decir «X»?)» si alguna opción se parece a ``value``."""
    close = difflib.get_close_matches(str(value), [str(c) for c in choices],
                                      n=1, cutoff=0.6)
    return f"; ¿quisieron decir «{close[0]}»?" if close else ""


def invalid_choice(what, value, choices):
    """El mensaje de un valor fuera de ``choices``: las opciones y la más
    parecida."""
    return (f"{what} «{value}» no existe (opciones: "
            f"{', '.join(map(str, choices))}{_suggestion(value, choices)})")


_MESSAGES = (
    (r"invalid choice: '(?P<value>.*)' \(choose from (?P<choices>.*)\)",
     lambda m: _choice_message(m["value"], m["choices"])),
    (r"invalid (?P<type>\S+) value: (?P<value>.*)",
     lambda m: f"valor inválido: {m['value']}"),
    (r"the following arguments are required: (?P<names>.*)",
     lambda m: f"falta el argumento {m['names']}"),
    (r"unrecognized arguments: (?P<names>.*)",
     lambda m: f"argumentos no reconocidos: {m['names']}"),
    (r"expected one argument", lambda m: "falta su valor"),
    (r"expected at least one argument", lambda m: "falta al menos un valor"),
    (r"not allowed with argument (?P<other>.*)",
     lambda m: f"no se puede usar junto con {m['other']}"),
)
"""Los mensajes de error de ``argparse`` y su versión en español."""


def _choice_message(value, choices):
    names = re.findall(r"'([^']*)'", choices)
    return (f"opción inválida: '{value}' (opciones: {', '.join(names)}"
            f"{_suggestion(value, names)})")


def spanish_error(message):
    """Un mensaje de error de ``argparse`` en español."""
    prefix = ""
    match = re.match(r"argument (?P<name>[^:]+): (?P<rest>.*)", message,
                     re.S)
    if match:
        prefix, message = f"argumento {match['name']}: ", match["rest"]
    for pattern, spanish in _MESSAGES:
        found = re.fullmatch(pattern, message, re.S)
        if found:
            return prefix + spanish(found)
    return prefix + message


class Parser(argparse.ArgumentParser):
    """Un analizador en español que informa los errores en una línea.

    Sin completar prefijos de opciones (``allow_abbrev=False``); su propia
    ``-h/--help`` en español; los grupos «argumentos» y «opciones».
    """

    def __init__(self, *args, add_help=True, **kwargs):
        kwargs.setdefault("allow_abbrev", False)
        kwargs.setdefault("formatter_class", SpanishFormatter)
        super().__init__(*args, add_help=False, **kwargs)
        self._positionals.title = "argumentos"
        self._optionals.title = "opciones"
        if add_help:
            self.add_argument("-h", "--help", action="help",
                              default=argparse.SUPPRESS,
                              help="muestra esta ayuda y termina")

    def error(self, message):
        raise UsageError(f"{spanish_error(message)} (ayuda: {self.prog} "
                         "--help)")


# --------------------------------------------------------------------------
# Tipos de las opciones: un valor mal escrito es un error de uso


def positive_int(text):
    """Tipo de argparse: un entero mayor que cero."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(
            f"se esperaba un entero positivo, no «{text}»")
    return value


MAX_SEED = 2 ** 32 - 1
"""La semilla más grande que aceptan NumPy, PyTorch y TensorFlow."""


def seed(text):
    """Tipo de argparse: un entero entre 0 y ``MAX_SEED``."""
    if not text.isdigit() or int(text) > MAX_SEED:
        raise argparse.ArgumentTypeError(
            f"la semilla debe ser un entero entre 0 y {MAX_SEED}, "
            f"no «{text}»")
    return int(text)


def finite_float(text, name="el valor"):
    """Un número real finito; acepta la coma decimal (``0,001``)."""
    try:
        value = float(text.replace(",", ".")) if text.count(",") == 1 \
            and "." not in text else float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"«{text}» no es un valor válido para {name}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(
            f"{name} debe ser un número finito, no «{text}»")
    return value


# --------------------------------------------------------------------------
# Opciones que comparten varios subcomandos


def subparser(subparsers, name, summary, examples, handler, aliases=()):
    """Un subcomando con su resumen, sus ejemplos y su función; la ayuda
    no pasa de 80 columnas (un ejemplo largo sigue en la línea de abajo,
    con una barra invertida, como se escribe en la terminal)."""
    parser = subparsers.add_parser(
        name, help=summary, description=textwrap.fill(summary, 79),
        aliases=list(aliases),
        epilog="ejemplos:\n" + "\n".join(map(_example, examples)))
    parser.set_defaults(handler=handler)
    return parser


def _example(command):
    """Un ejemplo de la ayuda, partido con una barra invertida si no cabe."""
    lines = textwrap.wrap(command, 74, break_on_hyphens=False,
                          break_long_words=False)
    return "  " + " \\\n      ".join(lines)


def add_json(parser):
    parser.add_argument("--json", action="store_true",
                        help="escribe el resultado como JSON (para scripts)")


def add_framework(parser, help_text, default=None):
    from esenciales.frameworks import FRAMEWORKS

    parser.add_argument("--framework", choices=FRAMEWORKS,
                        default=default, help=help_text)


def add_device(parser):
    from esenciales.frameworks import DEVICES

    parser.add_argument(
        "--device", choices=DEVICES, default="auto",
        help="dispositivo: auto (GPU si hay), cpu o cuda (por omisión: "
             "%(default)s)")


def add_overwrite(parser, what="los archivos de salida que ya existan"):
    parser.add_argument("--sobrescribir", action="store_true",
                        help=f"reemplaza {what} (sin esto, es un error)")


# --------------------------------------------------------------------------
# Opciones que no existen: la más parecida del subcomando elegido


def check_unknown(parser, args, extras):
    """Error de uso por las opciones de ``extras`` que nadie reconoció,
    con la ayuda del subcomando elegido y la opción más parecida."""
    chosen = parser
    for name in ("subcommand", "action"):
        choices = subparsers_of(chosen)
        if choices and getattr(args, name, None) in choices:
            chosen = choices[getattr(args, name)]
    known = list(chosen._option_string_actions)
    unknown = next((e for e in extras if e.startswith("-")), extras[0])
    hint = _suggestion(unknown.split("=")[0], known)
    raise UsageError(f"argumentos no reconocidos: {' '.join(extras)}{hint} "
                     f"(ayuda: {chosen.prog} --help)")


def subparsers_of(parser):
    """Los subanalizadores de ``parser`` por nombre (vacío si no tiene)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return action.choices
    return {}
