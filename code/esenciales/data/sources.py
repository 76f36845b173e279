"""De dónde salen los datos: copias locales, descargas verificadas.

Cada conjunto (``Dataset``) nombra sus archivos con la huella SHA-256 de
su contenido y sus espejos oficiales. Un archivo se busca primero en
``ESENCIALES_DATA``, luego en la caché del usuario y en las carpetas del
sistema; si no está, se descarga con una barra de progreso y se escribe de
forma atómica (``esenciales.files``). Sin red y sin copia, o con un
archivo corrupto, se lanza ``DataError`` con un mensaje que dice qué falta
y cómo conseguirlo.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import os
import sys
import urllib.error
import urllib.request
import zlib
from dataclasses import dataclass
from pathlib import Path

from esenciales.files import atomic_open

ENV_VAR = "ESENCIALES_DATA"
"""Variable de entorno con la carpeta de copias locales de los datos."""

CACHE_ENV_VAR = "ESENCIALES_CACHE"
"""Variable de entorno con la carpeta de caché (descargas y procesados)."""

urlopen = urllib.request.urlopen
"""Función que abre una URL; las pruebas la reemplazan por una falsa."""


class DataError(RuntimeError):
    """Faltan datos o están corruptos; el mensaje explica cómo resolverlo."""


def warn(message: str) -> None:
    """Un aviso de una línea en la salida de errores (algo se arregló
    solo, o se siguió de otra forma)."""
    print(f"esenciales: aviso: {message}", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class DataFile:
    """Un archivo de un conjunto de datos y la huella de su contenido."""

    name: str
    sha256: str


@dataclass(frozen=True)
class Dataset:
    """Dónde vive un conjunto de datos y cómo se reconoce."""

    key: str
    title: str
    files: tuple[DataFile, ...]
    mirrors: tuple[str, ...]
    system_dirs: tuple[str, ...] = ()
    sizes: tuple[int, ...] = ()
    """Ejemplos de entrenamiento y de prueba."""


MNIST = Dataset(
    key="mnist",
    title="MNIST (LeCun, Cortes y Burges)",
    files=(
        DataFile(
            "train-images-idx3-ubyte.gz",
            "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
        ),
        DataFile(
            "train-labels-idx1-ubyte.gz",
            "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
        ),
        DataFile(
            "t10k-images-idx3-ubyte.gz",
            "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
        ),
        DataFile(
            "t10k-labels-idx1-ubyte.gz",
            "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2",
        ),
    ),
    mirrors=(
        "https://ossci-datasets.s3.amazonaws.com/mnist/",
        "https://storage.googleapis.com/cvdf-datasets/mnist/",
    ),
    sizes=(60_000, 10_000),
)

FASHION_MNIST = Dataset(
    key="fashion-mnist",
    title="Fashion-MNIST (Zalando Research)",
    files=(
        DataFile(
            "train-images-idx3-ubyte.gz",
            "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
        ),
        DataFile(
            "train-labels-idx1-ubyte.gz",
            "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
        ),
        DataFile(
            "t10k-images-idx3-ubyte.gz",
            "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
        ),
        DataFile(
            "t10k-labels-idx1-ubyte.gz",
            "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
        ),
    ),
    mirrors=(
        "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/",
    ),
    system_dirs=("/usr/share/datasets/fashion-mnist",),
    sizes=(60_000, 10_000),
)

IMDB = Dataset(
    key="imdb",
    title="Large Movie Review Dataset v1.0 (Maas et al., 2011)",
    # La huella es la de las 50 000 reseñas (partición, etiqueta, id y
    # texto), no la del .tar.gz: así valen la descarga oficial y la copia
    # local que trae solo el texto.
    files=(
        DataFile(
            "aclImdb_v1.tar.gz",
            "02839bd5bb4f7d73eb9c0e5e7db86d5fb2c796581d4a517aa4ecc734f9002162",
        ),
    ),
    mirrors=("https://ai.stanford.edu/~amaas/data/sentiment/",),
    sizes=(25_000, 25_000),
)

DATASETS = {d.key: d for d in (MNIST, FASHION_MNIST, IMDB)}


# --------------------------------------------------------------------------
# Dónde buscar


def cache_root() -> Path:
    """Raíz de la caché del paquete (datos, modelos entrenados).

    ``ESENCIALES_CACHE`` la elige; si no, la caché del usuario del sistema
    (``~/.cache/esenciales`` en Linux).
    """
    if os.environ.get(CACHE_ENV_VAR):
        return Path(os.environ[CACHE_ENV_VAR])
    from platformdirs import user_cache_dir

    return Path(user_cache_dir("esenciales"))


CACHE_TAG = "CACHEDIR.TAG"
"""La marca de una carpeta de caché (https://bford.info/cachedir/): los
programas de respaldo la saltan y ``esenciales cache limpiar`` solo borra
en una carpeta que la tenga."""

CACHE_TAG_TEXT = (
    "Signature: 8a477f597d28d172789f06886806bc55\n"
    "# Caché del paquete «esenciales» (Esenciales de Deep Learning).\n"
    "# Se vacía con: esenciales cache limpiar\n")


def mark_cache_root() -> Path:
    """Crea la raíz de la caché con su marca ``CACHEDIR.TAG``; la devuelve.

    La llaman quienes escriben en la caché, antes de escribir.
    """
    root = cache_root()
    tag = root / CACHE_TAG
    if not tag.is_file():
        root.mkdir(parents=True, exist_ok=True)
        with atomic_open(tag, "w", encoding="utf-8") as out:
            out.write(CACHE_TAG_TEXT)
    return root


def is_marked_cache(root: Path) -> bool:
    """¿Es ``root`` una caché de este paquete (tiene su marca)?"""
    try:
        return (Path(root) / CACHE_TAG).read_text(
            encoding="utf-8").startswith(CACHE_TAG_TEXT.splitlines()[0])
    except (OSError, UnicodeDecodeError):
        return False


def cache_dir() -> Path:
    """Carpeta de caché para datos descargados y procesados."""
    return cache_root() / "datos"


def search_dirs(dataset: Dataset) -> list[Path]:
    """Carpetas donde se busca un conjunto de datos, en orden de prioridad."""
    dirs = []
    if os.environ.get(ENV_VAR):
        dirs.append(Path(os.environ[ENV_VAR]) / dataset.key)
    dirs.append(cache_dir() / dataset.key)
    dirs.extend(Path(d) for d in dataset.system_dirs)
    return dirs


def find_file(dataset: Dataset, name: str) -> Path | None:
    """La primera copia local de ``name``, o ``None`` si no hay ninguna."""
    for folder in search_dirs(dataset):
        if (folder / name).is_file():
            return folder / name
    return None


# --------------------------------------------------------------------------
# Descarga atómica y verificada


def sha256_of_gzip(path: Path) -> str:
    """SHA-256 del contenido descomprimido de un archivo .gz."""
    digest = hashlib.sha256()
    try:
        with gzip.open(path, "rb") as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                digest.update(block)
    except (OSError, EOFError, zlib.error) as error:
        raise DataError(f"El archivo {path} está corrupto ({error}). "
                        "Hay que borrarlo y volver a descargarlo.") from error
    return digest.hexdigest()


def download(url: str, destination: Path, *, progress: bool = True) -> Path:
    """Descarga ``url`` en ``destination`` sin dejar nunca un archivo a medias.

    Escribe con ``esenciales.files.atomic_open``: un temporal de la misma
    carpeta que se renombra al terminar y se borra ante un error o Ctrl-C.
    """
    with atomic_open(destination) as out, urlopen(url, timeout=60) as resp:
        _copy_with_progress(resp, out, destination.name, progress)
    return destination


def _copy_with_progress(response, out, label: str, progress: bool) -> None:
    """Copia una respuesta HTTP a un archivo, con barra de progreso."""
    from tqdm.auto import tqdm

    total = int(response.headers.get("Content-Length") or 0) or None
    # disable=None: la barra aparece solo en una terminal.
    with tqdm(total=total, unit="B", unit_scale=True, desc=label,
              disable=None if progress else True) as bar:
        for block in iter(lambda: response.read(1 << 16), b""):
            out.write(block)
            bar.update(len(block))


def fetch(dataset: Dataset, name: str, *, progress: bool = True) -> Path:
    """Ruta local de un archivo: la copia encontrada o una recién descargada.

    Lanza ``DataError`` si no hay copia local ni forma de descargarla.
    """
    local = find_file(dataset, name)
    if local is not None:
        return local
    destination = cache_dir() / dataset.key / name
    errors = []
    for mirror in dataset.mirrors:
        try:
            download(mirror + name, destination, progress=progress)
        except (urllib.error.URLError, OSError) as error:
            errors.append(f"{mirror + name}: {error}")
        else:
            with contextlib.suppress(OSError):
                mark_cache_root()
            return destination
    raise DataError(_missing_message(dataset, name, errors))


def _missing_message(dataset: Dataset, name: str, errors: list[str]) -> str:
    """Una línea para un archivo que no se encontró ni se pudo descargar:
    qué falta, dónde se buscó, por qué falló la descarga y cómo se
    arregla."""
    looked = ", ".join(f"«{d}»" for d in search_dirs(dataset))
    reasons = "; ".join(sorted({_reason(e) for e in errors})) or "sin espejos"
    return (
        f"No se encontró «{name}» de {dataset.title} (se buscó en "
        f"{looked}) y la descarga falló ({reasons}). Con internet, "
        f"«esenciales datos descargar {dataset.key}» lo descarga; sin ella, "
        f"copien el archivo en {looked.split(', ')[0]} ({ENV_VAR} elige "
        "esa carpeta).")


def _reason(error: str) -> str:
    """El motivo de una descarga fallida, sin la URL."""
    return error.split(": ", 1)[-1].replace("<urlopen error ", "").rstrip(">")


def verified_file(dataset: Dataset, data_file: DataFile,
                  *, progress: bool = True) -> Path:
    """Ruta de un archivo .gz cuyo contenido coincide con su huella.

    Un archivo descargado que no coincide se borra; uno local se deja en su
    lugar (puede ser del usuario) y se informa.
    """
    path = fetch(dataset, data_file.name, progress=progress)
    try:
        matches = sha256_of_gzip(path) == data_file.sha256
    except DataError:
        raise DataError(f"El archivo «{path}» está incompleto o dañado (no "
                        "se puede descomprimir): "
                        f"{repair_advice(dataset, path)}.") from None
    if not matches:
        in_cache = path.parent == cache_dir() / dataset.key
        if in_cache:
            path.unlink(missing_ok=True)
        raise DataError(
            f"El contenido de «{path}» no coincide con la huella SHA-256 "
            f"esperada para {dataset.title}: el archivo está corrupto o no "
            "es el original" + (
                "; se borró: vuelvan a pedirlo para descargarlo de nuevo."
                if in_cache else f": {repair_advice(dataset, path)}."))
    return path


def repair_advice(dataset, path):
    """Cómo reparar ``path``: una copia de la caché se vuelve a
    descargar; una copia local del usuario se reemplaza en su carpeta."""
    if path.parent == cache_dir() / dataset.key:
        return (f"bórrenlo y «esenciales datos descargar {dataset.key}» lo "
                "vuelve a descargar")
    return (f"es una copia local: reemplácenla por una buena en "
            f"«{path.parent}» (o bórrenla para que se descargue)")
