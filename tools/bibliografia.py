"""Extensión de Sphinx: la bibliografía en español, autor–año en todas partes.

Registra dos estilos con el nombre «esenciales», uno de pybtex (la lista) y
otro de sphinxcontrib-bibtex (las citas en el texto). Los dos obtienen el
autor y el año de la misma función, ``author_year``, así que la etiqueta de
la lista y la cita del texto coinciden siempre: «(Russell y Norvig, 2021)»
en el texto y «[Russell y Norvig, 2021]» en la lista, en HTML y en PDF.

- «y» en vez de «and», «et al.» desde tres autores (y con «and others»),
  «s. f.» cuando no hay año;
- las palabras de la lista en español («En», «págs.», «ed.», «vol.»);
- cada DOI una sola vez, como dirección completa (https://doi.org/…): el
  PDF no le agrega una nota al pie con la misma dirección.
"""

import re
from dataclasses import dataclass, field

import pybtex.plugin
from pybtex.richtext import Text
from pybtex.style.formatting.unsrt import Style as UnsrtStyle
from pybtex.style.labels import BaseLabelStyle
from pybtex.style.sorting import BaseSortingStyle
from pybtex.style.template import (
    field as bibfield, href, join, node, optional, sentence, tag, words,
)
from sphinxcontrib.bibtex.plugin import register_plugin
from sphinxcontrib.bibtex.style.referencing import (
    BracketStyle, PersonStyle,
)
from sphinxcontrib.bibtex.style.referencing.author_year import (
    AuthorYearReferenceStyle,
)
from sphinxcontrib.bibtex.style.referencing.basic_author_year import (
    BasicAuthorYearParentheticalReferenceStyle,
    BasicAuthorYearTextualReferenceStyle,
)
from sphinxcontrib.bibtex.style.template import (
    post_text, pre_text, reference,
)

NAME = "esenciales"
NO_YEAR = "s.\u00a0f."

# ---------------------------------------------------------------- autor–año


def _last_name(person):
    """Apellido de una persona de pybtex, sin llaves de LaTeX."""
    parts = person.prelast_names + person.last_names
    return re.sub(r"[{}]", "", " ".join(parts)) or str(person)


def _persons(entry):
    """Autores (o editores) de la entrada; «others» se marca como None."""
    for role in ("author", "editor"):
        if entry.persons.get(role):
            return [None if str(p) == "others" else p
                    for p in entry.persons[role]]
    return []


def authors_short(entry):
    """«Pearl», «Russell y Norvig», «Goodfellow et al.»; o el título."""
    persons = _persons(entry)
    if not persons:
        title = entry.fields.get("title", entry.key)
        return re.sub(r"[{}]", "", title)
    names = [_last_name(p) for p in persons if p is not None]
    if len(persons) >= 3 or None in persons:
        return f"{names[0]} et al."
    return " y ".join(names)


def year_of(entry):
    """El año de la entrada, o «s. f.» (sin fecha)."""
    return entry.fields.get("year", NO_YEAR)


def author_year(entry):
    """La etiqueta común de la lista y del texto: «Autor, año»."""
    return f"{authors_short(entry)}, {year_of(entry)}"


class AuthorYearLabels(BaseLabelStyle):
    """Etiquetas «Autor, año»; las repetidas reciben a, b, c tras el año."""

    def format_labels(self, sorted_entries):
        entries = list(sorted_entries)
        labels = [author_year(e) for e in entries]
        repeated = {lab for lab in labels if labels.count(lab) > 1}
        seen = {}
        for entry, label in zip(entries, labels):
            if label in repeated:
                k = seen.get(label, 0)
                seen[label] = k + 1
                label += "abcdefghijklmnopqrstuvwxyz"[k]
            entry.fields["_etiqueta"] = label
            yield label


class AuthorYearSorting(BaseSortingStyle):
    """Orden alfabético por apellido del primer autor, luego por año."""

    def sorting_key(self, entry):
        return (authors_short(entry).lower(), year_of(entry),
                entry.fields.get("title", "").lower())


# ------------------------------------------------------------ la lista


@node
def _names(children, data, role):
    """«A, B y C» con los nombres completos; «and others» es «et al.»."""
    persons = data["entry"].persons.get(role, [])
    plain = pybtex.plugin.find_plugin("pybtex.style.names", "plain")()
    shown = [p for p in persons if str(p) != "others"]
    parts = [plain.format(p, abbr=False).format() for p in shown]
    if len(shown) < len(persons):
        return Text(Text(", ").join(parts), " et al.")
    if len(parts) <= 1:
        return Text(*parts)
    return Text(Text(", ").join(parts[:-1]), " y ", parts[-1])


@node
def _sentences(children, data):
    """Une las partes con punto, sin duplicarlo tras «?», «!» o «.»."""
    parts = [part for part in (c.format_data(data) for c in children)
             if part]
    out = Text()
    for k, part in enumerate(parts):
        out = Text(out, part) if k == 0 else Text(out, " ", part)
        if not str(part).rstrip().endswith((".", "?", "!")):
            out = Text(out, ".")
    return out


def _ordinal(text):
    """«4» → «4.ª» (edición)."""
    return Text(f"{text}.ª") if str(text).isdigit() else text


def _dashify(text):
    return Text("–").join(text.split("-"))


PAGES = bibfield("pages", apply_func=_dashify)
_em = tag("em")


class SpanishStyle(UnsrtStyle):
    """El estilo unsrt de pybtex con palabras en español y DOI único."""

    default_label_style = "esenciales"
    default_sorting_style = "esenciales"

    def format_names(self, role, as_sentence=True):
        formatted = _names(role)
        return sentence[formatted] if as_sentence else formatted

    def format_author_or_editor(self, e):
        if "author" in e.persons:
            return self.format_names("author", as_sentence=False)
        return self.format_editor(e, as_sentence=False)

    def format_editor(self, e, as_sentence=True):
        editors = self.format_names("editor", as_sentence=False)
        if "editor" not in e.persons:
            return editors
        word = "eds." if len(e.persons["editor"]) > 1 else "ed."
        result = join(sep=" ")[editors, f"({word})"]
        return sentence[result] if as_sentence else result

    def format_volume_and_series(self, e, as_sentence=True):
        volume = optional[words["vol.", bibfield("volume")]]
        series = optional[words["de", bibfield("series")]]
        result = join(sep=" ")[volume, series]
        return sentence[result] if as_sentence else result

    def format_chapter_and_pages(self, e):
        return join(sep=", ")[
            optional[words["cap.", bibfield("chapter")]],
            optional[words["págs.", PAGES]],
        ]

    def format_edition(self, e):
        return optional[words[bibfield("edition", apply_func=_ordinal),
                              "ed."]]

    def get_article_template(self, e):
        volume_and_pages = optional[join[
            bibfield("volume"), optional["(", bibfield("number"), ")"],
            optional[":", PAGES]]]
        return _sentences[
            self.format_names("author", as_sentence=False),
            self.format_title(e, "title", as_sentence=False),
            join(sep=", ")[
                _em[bibfield("journal")], volume_and_pages,
                bibfield("year")],
            optional_note(),
            self.format_web_refs(e),
        ]

    def get_inproceedings_template(self, e):
        return _sentences[
            self.format_names("author", as_sentence=False),
            self.format_title(e, "title", as_sentence=False),
            words["En", join(sep=", ")[
                optional[self.format_editor(e, as_sentence=False)],
                _em[bibfield("booktitle")],
                optional[words["págs.", PAGES]],
                optional[bibfield("publisher")],
                bibfield("year")]],
            optional_note(),
            self.format_web_refs(e),
        ]

    def get_incollection_template(self, e):
        return _sentences[
            self.format_names("author", as_sentence=False),
            self.format_title(e, "title", as_sentence=False),
            words["En", join(sep=", ")[
                optional[self.format_editor(e, as_sentence=False)],
                _em[bibfield("booktitle")],
                self.format_chapter_and_pages(e),
                optional[bibfield("publisher")],
                bibfield("year")]],
            optional_note(),
            self.format_web_refs(e),
        ]

    def get_book_template(self, e):
        return _sentences[
            self.format_author_or_editor(e),
            _em[bibfield("title")],
            join(sep=", ")[
                self.format_edition(e),
                optional[self.format_volume_and_series(e, False)],
                optional[bibfield("publisher")],
                optional[bibfield("address")],
                bibfield("year")],
            optional_note(),
            self.format_web_refs(e),
        ]

    def get_misc_template(self, e):
        return _sentences[
            optional[self.format_names("author", as_sentence=False)],
            optional[_em[bibfield("title")]],
            join(sep=", ")[
                optional[bibfield("howpublished")],
                optional[bibfield("year")]],
            optional_note(),
            self.format_web_refs(e),
        ]

    def format_web_refs(self, e):
        """Un solo enlace por obra: el DOI, si no la dirección, si no arXiv."""
        if "doi" in e.fields:
            return self.format_doi(e)
        if "url" in e.fields:
            return self.format_url(e)
        return optional[self.format_eprint(e)]

    def format_url(self, e):
        url = bibfield("url", raw=True)
        return href(url)[url]

    def format_doi(self, e):
        url = join["https://doi.org/", bibfield("doi", raw=True)]
        return href(url)[url]

    def format_eprint(self, e):
        url = join["https://arxiv.org/abs/", bibfield("eprint", raw=True)]
        return href(url)[url]


def optional_note():
    return optional[bibfield("note")]


# ------------------------------------------------------- citas en el texto


@node
def _label_author(children, data):
    return Text(authors_short(data["entry"]))


@node
def _label_year(children, data):
    return Text(_label(data))


def _label(data):
    """El año de la etiqueta (con su letra si se repite)."""
    label = data["formatted_entry"].label
    return label.rsplit(", ", 1)[-1]


@dataclass
class _Parenthetical(BasicAuthorYearParentheticalReferenceStyle):
    def inner(self, role_name):
        return join(sep=self.pre_text_sep)[
            pre_text,
            join(sep=self.post_text_sep)[
                reference[join(sep=", ")[_label_author, _label_year]],
                post_text],
        ]


@dataclass
class _Textual(BasicAuthorYearTextualReferenceStyle):
    def inner(self, role_name):
        return join(sep=self.text_reference_sep)[
            _label_author,
            join[self.bracket.left,
                 join(sep=self.pre_text_sep)[
                     pre_text,
                     join(sep=self.post_text_sep)[
                         reference[_label_year], post_text]],
                 self.bracket.right],
        ]

    def outer(self, role_name, children):
        return self.bracket.outer(children, brackets=False,
                                  capfirst="c" in role_name)


def _brackets():
    return BracketStyle(left="(", right=")", sep="; ", sep2="; ",
                        last_sep="; ")


@dataclass
class SpanishReferenceStyle(AuthorYearReferenceStyle):
    """Citas autor–año: «(Russell y Norvig, 2021)», «Zeiler y Fergus (2014)».
    """

    bracket_textual: BracketStyle = field(default_factory=_brackets)
    bracket_parenthetical: BracketStyle = field(default_factory=_brackets)
    bracket_author: BracketStyle = field(default_factory=_brackets)
    bracket_label: BracketStyle = field(default_factory=_brackets)
    bracket_year: BracketStyle = field(default_factory=_brackets)
    person: PersonStyle = field(default_factory=lambda: PersonStyle(
        sep2=" y ", last_sep=" y ", other=Text(" et al.")))

    def __post_init__(self):
        super().__post_init__()
        for style in self.styles:
            if isinstance(style, BasicAuthorYearParentheticalReferenceStyle):
                parenthetical = _Parenthetical(
                    bracket=self.bracket_parenthetical, person=self.person)
            if isinstance(style, BasicAuthorYearTextualReferenceStyle):
                textual = _Textual(bracket=self.bracket_textual,
                                   person=self.person)
        self.role_style.update(
            {r: parenthetical for r in parenthetical.role_names()})
        self.role_style.update({r: textual for r in textual.role_names()})


pybtex.plugin.register_plugin("pybtex.style.formatting", NAME, SpanishStyle)
pybtex.plugin.register_plugin("pybtex.style.labels", NAME, AuthorYearLabels)
pybtex.plugin.register_plugin("pybtex.style.sorting", NAME, AuthorYearSorting)
register_plugin("sphinxcontrib.bibtex.style.referencing", NAME,
                SpanishReferenceStyle)


def setup(app):
    """Los estilos se eligen en _config.yml (bibtex_default_style y
    bibtex_reference_style = «esenciales»)."""
    return {"parallel_read_safe": True, "parallel_write_safe": True}
