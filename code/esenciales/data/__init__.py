"""Los conjuntos de datos del libro: MNIST, Fashion-MNIST e IMDB.

Cada cargador devuelve arreglos de NumPy con la forma de los cargadores de
Keras, ``(x_train, y_train), (x_test, y_test)``, y busca primero copias
locales, en este orden:

1. la carpeta que indique la variable de entorno ``ESENCIALES_DATA``
   (con subcarpetas ``mnist/``, ``fashion-mnist/`` e ``imdb/``);
2. la caché del usuario (``esenciales.data.cache_dir()``);
3. para Fashion-MNIST, ``/usr/share/datasets/fashion-mnist`` (paquete de
   Debian ``dataset-fashion-mnist``).

Si no encuentra nada, descarga de las fuentes oficiales con una barra de
progreso, verifica la suma SHA-256 del contenido *descomprimido*, escribe el
archivo de forma atómica y lo deja en la caché. Sin red y sin copia local,
o con un archivo corrupto, lanza ``DataError`` con un mensaje que dice qué
falta y cómo conseguirlo. Nunca sustituye unos datos por otros.
"""

from __future__ import annotations

import gzip
import hashlib
import os
import re
import tarfile
import urllib.error
import urllib.request
import zlib
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from esenciales.files import atomic_open

ENV_VAR = "ESENCIALES_DATA"
"""Variable de entorno con la carpeta de copias locales de los datos."""

CACHE_ENV_VAR = "ESENCIALES_CACHE"
"""Variable de entorno con la carpeta de caché (descargas y procesados)."""

FASHION_MNIST_CLASSES = (
    "camiseta", "pantalón", "suéter", "vestido", "abrigo",
    "sandalia", "camisa", "zapatilla", "bolso", "botín",
)
"""Nombres en español de las diez clases de Fashion-MNIST, en orden."""

urlopen = urllib.request.urlopen
"""Función que abre una URL; las pruebas la reemplazan por una falsa."""


class DataError(RuntimeError):
    """Faltan datos o están corruptos; el mensaje explica cómo resolverlo."""


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
)

IMDB_REVIEWS_SHA256 = IMDB.files[0].sha256
IMDB_ARCHIVES = ("aclImdb_v1.tar.gz", "aclImdb_v1_text.tar.gz")
"""Nombres del archivo de IMDB: el oficial y el que trae solo el texto."""

DATASETS = {d.key: d for d in (MNIST, FASHION_MNIST, IMDB)}

TOKENIZER_VERSION = 1
TOKEN_PATTERN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
START_CHAR, OOV_CHAR, INDEX_FROM = 1, 2, 3


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
            return download(mirror + name, destination, progress=progress)
        except (urllib.error.URLError, OSError) as error:
            errors.append(f"{mirror + name}: {error}")
    raise DataError(_missing_message(dataset, name, errors))


def _missing_message(dataset: Dataset, name: str, errors: list[str]) -> str:
    """Mensaje para un archivo que no se encontró ni se pudo descargar."""
    looked = "\n".join(f"  - {d}" for d in search_dirs(dataset))
    tried = "\n".join(f"  - {e}" for e in errors)
    return (
        f"No se encontró «{name}» de {dataset.title}.\n"
        f"Se buscó en:\n{looked}\n"
        f"y la descarga falló:\n{tried}\n"
        f"Con conexión a internet, «esenciales datos descargar "
        f"{dataset.key}» lo descarga; sin ella, basta copiar el archivo en "
        f"una de esas carpetas (la variable {ENV_VAR} elige la primera)."
    )


def verified_file(dataset: Dataset, data_file: DataFile,
                  *, progress: bool = True) -> Path:
    """Ruta de un archivo .gz cuyo contenido coincide con su huella.

    Un archivo descargado que no coincide se borra; uno local se deja en su
    lugar (puede ser del usuario) y se informa.
    """
    path = fetch(dataset, data_file.name, progress=progress)
    if sha256_of_gzip(path) != data_file.sha256:
        if path.parent == cache_dir() / dataset.key:
            path.unlink(missing_ok=True)
        raise DataError(
            f"El contenido de {path} no coincide con la huella SHA-256 "
            f"esperada para {dataset.title}: el archivo está corrupto o no "
            f"es el original. Hay que borrarlo y volver a descargarlo.")
    return path


# --------------------------------------------------------------------------
# MNIST y Fashion-MNIST (formato IDX)


def read_idx(path: Path) -> np.ndarray:
    """Lee un archivo IDX comprimido con gzip como arreglo ``uint8``.

    Imágenes: ``(n, filas, columnas)``; etiquetas: ``(n,)``.
    """
    try:
        with gzip.open(path, "rb") as stream:
            raw = stream.read()
    except (OSError, EOFError, zlib.error) as error:
        raise DataError(
            f"El archivo {path} está corrupto ({error}).") from error
    if len(raw) < 8 or raw[:2] != b"\x00\x00" or raw[2] != 0x08:
        raise DataError(f"{path} no es un archivo IDX de bytes sin signo.")
    ndim = raw[3]
    shape = tuple(int.from_bytes(raw[4 + 4 * i:8 + 4 * i], "big")
                  for i in range(ndim))
    data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)
    if data.size != int(np.prod(shape)):
        raise DataError(f"{path} está truncado: se esperaban {shape}.")
    return data.reshape(shape)


def _load_idx_dataset(dataset: Dataset):
    """Carga los cuatro archivos IDX de un conjunto verificado."""
    arrays = [read_idx(verified_file(dataset, f)) for f in dataset.files]
    x_train, y_train, x_test, y_test = arrays
    return (x_train, y_train), (x_test, y_test)


def load_mnist():
    """MNIST completo: 60 000 dígitos de entrenamiento y 10 000 de prueba.

    Devuelve ``(x_train, y_train), (x_test, y_test)``: imágenes ``uint8`` de
    forma ``(n, 28, 28)`` con valores 0–255 y etiquetas ``uint8`` 0–9,
    como ``keras.datasets.mnist.load_data()``.
    """
    return _load_idx_dataset(MNIST)


def load_fashion_mnist():
    """Fashion-MNIST: 70 000 prendas de ropa en escala de grises, 10 clases.

    Mismas formas y tipos que :func:`load_mnist`; los nombres de las clases
    están en ``FASHION_MNIST_CLASSES``.
    """
    return _load_idx_dataset(FASHION_MNIST)


# --------------------------------------------------------------------------
# IMDB: del texto crudo a secuencias de índices


def tokenize(text: str) -> list[str]:
    """Divide una reseña en palabras: minúsculas, sin HTML, sin puntuación.

    ``"It's <br />GREAT!"`` → ``["it's", "great"]``. Se conservan las
    contracciones en inglés (``don't``) como una sola palabra.
    """
    text = text.lower().replace("<br />", " ")
    return TOKEN_PATTERN.findall(text)


def read_imdb_reviews(archive: Path):
    """Lee las reseñas de entrenamiento y prueba de un archivo de IMDB.

    Devuelve un diccionario ``{"train": [...], "test": [...]}`` con tuplas
    ``(id, etiqueta, texto)`` ordenadas (negativas y luego positivas).
    """
    pattern = re.compile(r"aclImdb/(train|test)/(pos|neg)/(\d+)_\d+\.txt$")
    reviews = {"train": [], "test": []}
    try:
        with tarfile.open(archive, "r:gz") as tar:
            for member in tar:
                match = pattern.match(member.name)
                if match:
                    split, label, review_id = match.groups()
                    text = tar.extractfile(member).read().decode("utf-8")
                    reviews[split].append(
                        (int(review_id), int(label == "pos"), text))
    except (tarfile.TarError, OSError, EOFError, zlib.error) as error:
        raise DataError(f"El archivo {archive} está corrupto ({error}). "
                        "Hay que borrarlo y volver a descargarlo.") from error
    for split in reviews:
        reviews[split].sort(key=lambda r: (r[1], r[0]))
    return reviews


def reviews_sha256(reviews) -> str:
    """Huella SHA-256 del contenido de las reseñas, independiente del .tar."""
    digest = hashlib.sha256()
    for split in ("train", "test"):
        for review_id, label, text in reviews[split]:
            digest.update(f"{split}|{label}|{review_id}|".encode())
            digest.update(text.encode("utf-8"))
    return digest.hexdigest()


def build_vocabulary(token_lists) -> list[str]:
    """Palabras ordenadas de más a menos frecuente (empates: alfabético)."""
    counts = Counter(word for tokens in token_lists for word in tokens)
    return sorted(counts, key=lambda word: (-counts[word], word))


def _find_imdb_archive() -> Path:
    """El archivo de IMDB local, o el oficial descargado."""
    for name in IMDB_ARCHIVES:
        local = find_file(IMDB, name)
        if local is not None:
            return local
    return fetch(IMDB, IMDB_ARCHIVES[0])


def _processed_imdb_path() -> Path:
    return cache_dir() / "imdb" / f"imdb-procesado-v{TOKENIZER_VERSION}.npz"


def _process_imdb(archive: Path) -> dict[str, np.ndarray]:
    """Tokeniza todas las reseñas una vez y verifica su huella.

    El vocabulario se cuenta solo en el entrenamiento (la prueba no debe
    influir en el modelo); la palabra más frecuente tiene rango 1.
    """
    reviews = read_imdb_reviews(archive)
    if reviews_sha256(reviews) != IMDB_REVIEWS_SHA256:
        raise DataError(
            f"El contenido de {archive} no coincide con la huella esperada "
            "de IMDB: el archivo está incompleto o no es el original.")
    tokens = {s: [tokenize(r[2]) for r in reviews[s]] for s in reviews}
    vocabulary = build_vocabulary(tokens["train"])
    rank = {word: i + 1 for i, word in enumerate(vocabulary)}
    processed = {}
    for split, lists in tokens.items():
        ranks = [np.array([rank.get(w, 0) for w in t], np.int32)
                 for t in lists]
        processed[f"{split}_ranks"] = np.concatenate(ranks)
        processed[f"{split}_lengths"] = np.array([len(r) for r in ranks])
        processed[f"{split}_labels"] = np.array(
            [r[1] for r in reviews[split]], np.uint8)
    processed["vocabulary"] = np.array(vocabulary)
    return processed


def _save_atomically(path: Path, arrays: dict[str, np.ndarray]) -> None:
    """Guarda un .npz sin dejar nunca un archivo a medias."""
    with atomic_open(path) as out:
        np.savez(out, **arrays)


def load_imdb_processed() -> dict[str, np.ndarray]:
    """Las reseñas de IMDB tokenizadas, de la caché o procesándolas."""
    path = _processed_imdb_path()
    if path.is_file():
        try:
            with np.load(path) as stored:
                return dict(stored)
        except (OSError, ValueError, zlib.error):
            path.unlink(missing_ok=True)
    archive = _find_imdb_archive()
    try:
        processed = _process_imdb(archive)
    except DataError:
        if archive.parent == cache_dir() / "imdb":
            archive.unlink(missing_ok=True)
        raise
    _save_atomically(path, processed)
    return processed


def _encode(ranks, lengths, num_words):
    """Pasa rangos a índices de Keras: 1 inicio, 2 desconocida, 3 + rango."""
    index = ranks.astype(np.int32) + INDEX_FROM
    unknown = ranks == 0
    if num_words is not None:
        unknown |= index >= num_words
    index[unknown] = OOV_CHAR
    sequences = np.split(index, np.cumsum(lengths)[:-1])
    return [np.concatenate(([START_CHAR], s)).astype(np.int32)
            for s in sequences]


def _as_object_array(sequences) -> np.ndarray:
    array = np.empty(len(sequences), dtype=object)
    array[:] = sequences
    return array


def load_imdb(num_words: int | None = None, maxlen: int | None = None,
              seed: int = 113):
    """Reseñas de cine de IMDB como secuencias de índices de palabras.

    Devuelve ``(x_train, y_train), (x_test, y_test)`` con las convenciones de
    ``keras.datasets.imdb.load_data``: cada ``x`` es un arreglo de objetos
    cuyos elementos son secuencias ``int32`` que empiezan con 1 (inicio);
    2 marca una palabra fuera del vocabulario y la palabra de rango ``r``
    (1 = la más frecuente del entrenamiento) lleva el índice ``r + 3``.
    ``num_words`` conserva solo los índices menores que él; ``maxlen``
    descarta las reseñas más largas (como Keras). ``y`` vale 1 si la reseña
    es positiva. El orden se baraja con ``seed``, como en Keras.
    """
    if num_words is not None and num_words <= INDEX_FROM:
        raise ValueError(f"num_words debe ser mayor que {INDEX_FROM}; "
                         f"se recibió {num_words}.")
    if maxlen is not None and maxlen < 1:
        raise ValueError(f"maxlen debe ser positivo; se recibió {maxlen}.")
    data = load_imdb_processed()
    rng = np.random.RandomState(seed)
    splits = []
    for split in ("train", "test"):
        x = _encode(data[f"{split}_ranks"], data[f"{split}_lengths"],
                    num_words)
        y = data[f"{split}_labels"]
        order = np.arange(len(x))
        rng.shuffle(order)
        x, y = [x[i] for i in order], y[order]
        if maxlen is not None:
            keep = [i for i, s in enumerate(x) if len(s) <= maxlen]
            x, y = [x[i] for i in keep], y[keep]
        splits.append((_as_object_array(x), y))
    return tuple(splits)


def imdb_word_index() -> dict[str, int]:
    """Diccionario palabra → índice en las secuencias (rango + 3)."""
    vocabulary = load_imdb_processed()["vocabulary"]
    return {str(w): i + 1 + INDEX_FROM for i, w in enumerate(vocabulary)}


def pad_sequences(sequences, maxlen: int, value: int = 0) -> np.ndarray:
    """Rellena o recorta secuencias a ``maxlen``, por delante, como Keras.

    Entrada: ``n`` secuencias de largo variable; salida ``(n, maxlen)``
    ``int32``. Se conservan los *últimos* ``maxlen`` elementos.
    """
    padded = np.full((len(sequences), maxlen), value, dtype=np.int32)
    for row, sequence in enumerate(sequences):
        tail = np.asarray(sequence[-maxlen:], dtype=np.int32)
        if tail.size:
            padded[row, -tail.size:] = tail
    return padded


# --------------------------------------------------------------------------
# Informe y verificación (para la línea de comandos)


def dataset_report() -> list[dict]:
    """Dónde se encontró cada conjunto de datos, sin descargar nada."""
    rows = []
    for dataset in DATASETS.values():
        names = IMDB_ARCHIVES if dataset is IMDB else [
            f.name for f in dataset.files]
        paths = [find_file(dataset, n) for n in names]
        found = [p for p in paths if p is not None]
        complete = bool(found) if dataset is IMDB else len(found) == len(names)
        rows.append({
            "name": dataset.key,
            "title": dataset.title,
            "found": complete,
            "path": str(found[0].parent) if found else None,
        })
    return rows


def _dataset(key: str) -> Dataset:
    """El conjunto llamado ``key``, o un error que lista las opciones."""
    if key not in DATASETS:
        raise ValueError(f"Conjunto de datos desconocido: «{key}». "
                         f"Opciones: {', '.join(DATASETS)}.")
    return DATASETS[key]


def download_dataset(key: str) -> list[Path]:
    """Deja un conjunto de datos listo y verificado; devuelve sus archivos."""
    dataset = _dataset(key)
    if dataset is IMDB:
        load_imdb_processed()
        return [_find_imdb_archive(), _processed_imdb_path()]
    return [verified_file(dataset, f) for f in dataset.files]


def verify(key: str) -> list[tuple[str, str | None]]:
    """Comprueba la huella de cada archivo de un conjunto (descarga si falta).

    Revisa todos los archivos aunque alguno falle. Devuelve pares
    ``(archivo, problema)``: ``problema`` es ``None`` si el archivo está
    bien, o dice en español qué tiene. Lanza ``DataError`` si falta uno y
    no se puede descargar.
    """
    dataset = _dataset(key)
    if dataset is IMDB:
        archive = _find_imdb_archive()
        return [(str(archive), _problem(
            lambda: reviews_sha256(read_imdb_reviews(archive)),
            IMDB_REVIEWS_SHA256))]
    results = []
    for data_file in dataset.files:
        path = fetch(dataset, data_file.name)
        results.append((str(path), _problem(lambda: sha256_of_gzip(path),
                                            data_file.sha256)))
    return results


def _problem(digest, expected):
    """``None`` si ``digest()`` da la huella ``expected``; si no, qué pasa."""
    try:
        found = digest()
    except DataError:
        return "está incompleto o dañado: no se puede descomprimir"
    if found != expected:
        return "su huella SHA-256 no coincide con la publicada"
    return None
