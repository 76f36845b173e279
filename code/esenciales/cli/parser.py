"""El analizador de argumentos del comando: las opciones globales y un
subcomando por grupo (cada uno en su módulo)."""

from esenciales import __version__
from esenciales.cli.errors import PROG
from esenciales.cli.render import COLOR_CHOICES
from esenciales.cli.options import (Parser, check_unknown,
                                    positive_int)

DESCRIPTION = """\
El código del libro «Esenciales de Deep Learning» desde la terminal:
ejecuta las celdas de cada capítulo, entrena los modelos del libro por su
receta en Keras o en PyTorch, consigue y verifica los datos, administra la
caché, mide tiempos e informa del entorno."""

EXAMPLES = """\
ejemplos:
  esenciales entorno
  esenciales capitulos
  esenciales ejecutar 4
  esenciales recetas
  esenciales entrenar mnist_cnn --framework torch --epochs 1 --limit 2000
  esenciales datos verificar mnist
  esenciales cache mostrar
Cada subcomando tiene su ayuda: esenciales entrenar --help"""


def parse(argv):
    """Los argumentos de la orden; un error de uso si algo sobra."""
    parser = build_parser()
    args, extras = parser.parse_known_args(argv)
    if extras:
        check_unknown(parser, args, extras)
    return args


def build_parser():
    """El analizador de argumentos del comando ``esenciales``."""
    from esenciales.cli import (book, cache, completion, datasets,
                                environment, recipes, timings, train)

    parser = Parser(prog=PROG, description=DESCRIPTION, epilog=EXAMPLES)
    parser.add_argument("-V", "--version", action="version",
                        version=f"{PROG} {__version__}",
                        help="muestra la versión y termina")
    parser.add_argument("--depurar", action="store_true",
                        help="ante un error inesperado, muestra la traza "
                             "completa de Python")
    parser.add_argument("--color", choices=COLOR_CHOICES, default="auto",
                        help="colores: auto (solo en una terminal), always "
                             "o never (por omisión: %(default)s)")
    parser.add_argument("--hilos", type=positive_int, metavar="N",
                        help="hilos de CPU para PyTorch y TensorFlow (por "
                             "omisión, todos los núcleos disponibles)")
    subparsers = parser.add_subparsers(
        title="subcomandos", metavar="SUBCOMANDO", dest="subcommand",
        required=True)
    for module in (book, recipes, train, datasets, cache, timings,
                   environment, completion):
        module.add_parsers(subparsers)
    return parser
