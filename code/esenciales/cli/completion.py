"""El subcomando ``completar``: autocompletado de la terminal (bash, zsh).

El script se genera del mismo analizador que usa el comando: cada
subcomando con sus opciones y las opciones con valores fijos
(``--framework keras torch``). Se instala una vez:

    esenciales completar bash > ~/.local/share/bash-completion/completions/esenciales
    echo 'eval "$(esenciales completar zsh)"' >> ~/.zshrc
"""

from esenciales.cli.options import subparser

SCRIPT = """\
# Autocompletado de «esenciales» ({shell}); generado por
# «esenciales completar {shell}».
{prelude}_esenciales() {{
    local cur=${{COMP_WORDS[COMP_CWORD]}} prev=${{COMP_WORDS[COMP_CWORD-1]}}
    local path="" word
    for word in "${{COMP_WORDS[@]:1:COMP_CWORD-1}}"; do
        case "$word" in -*) ;; *) path="$path $word" ;; esac
    done
    local words
    case "$prev" in
{values}    esac
    if [ -z "$words" ]; then
        case "${{path# }}" in
{commands}        esac
    fi
    COMPREPLY=($(compgen -W "$words" -- "$cur"))
}}
complete -F _esenciales esenciales
"""

ZSH_PRELUDE = "autoload -U +X bashcompinit && bashcompinit\n"


def _walk(parser, path=()):
    """``(ruta de subcomandos, analizador)`` de ``parser`` y los suyos."""
    from esenciales.cli.options import subparsers_of

    yield path, parser
    for name, child in subparsers_of(parser).items():
        yield from _walk(child, (*path, name))


def script(parser, shell):
    """El script de autocompletado de ``parser`` para ``shell``."""
    from esenciales.cli.options import subparsers_of

    values, commands = {}, []
    for path, child in _walk(parser):
        words = list(subparsers_of(child))
        for action in child._actions:
            words += action.option_strings
            if action.option_strings and action.choices:
                for option in action.option_strings:
                    values[option] = " ".join(map(str, action.choices))
        pattern = " ".join(path)
        cases = f'"{pattern}"|"{pattern} "*' if path else '""'
        commands.append((len(path), f'            {cases}) '
                         f'words="{" ".join(words)}" ;;\n'))
    value_cases = "".join(f'        {option}) words="{choices}" ;;\n'
                          for option, choices in sorted(values.items()))
    return SCRIPT.format(shell=shell, values=value_cases,
                         commands="".join(case for _, case in sorted(
                             commands, key=lambda c: -c[0])),
                         prelude=ZSH_PRELUDE if shell == "zsh" else "")


def cmd_completion(args):
    """Escribe el script de autocompletado."""
    from esenciales.cli.parser import build_parser

    print(script(build_parser(), args.shell), end="")
    return 0


def add_parsers(subparsers):
    """``completar``."""
    parser = subparser(
        subparsers, "completar",
        "escribe el autocompletado de la terminal para bash o zsh",
        ["esenciales completar bash > "
         "~/.local/share/bash-completion/completions/esenciales",
         "eval \"$(esenciales completar zsh)\"  # en ~/.zshrc"],
        cmd_completion)
    parser.add_argument("shell", choices=("bash", "zsh"), metavar="SHELL",
                        help="bash o zsh")
