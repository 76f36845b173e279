"""IMDB: del texto crudo de las reseñas a secuencias de índices.

Las 50 000 reseñas se tokenizan una vez y se guardan procesadas en la
caché (``imdb-procesado-v1.npz``); los índices siguen las convenciones de
``keras.datasets.imdb``.
"""

from __future__ import annotations

import contextlib
import hashlib
import re
import tarfile
import zipfile
import zlib
from collections import Counter
from pathlib import Path

import numpy as np

from esenciales.data.sources import (IMDB, DataError, cache_dir, fetch,
                                     find_file, mark_cache_root, warn)
from esenciales.files import atomic_open, describe_os_error

IMDB_REVIEWS_SHA256 = IMDB.files[0].sha256
IMDB_ARCHIVES = ("aclImdb_v1.tar.gz", "aclImdb_v1_text.tar.gz")
"""Nombres del archivo de IMDB: el oficial y el que trae solo el texto."""

TOKENIZER_VERSION = 1
TOKEN_PATTERN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
START_CHAR, OOV_CHAR, INDEX_FROM = 1, 2, 3

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


def find_imdb_archive() -> Path:
    """El archivo de IMDB local, o el oficial descargado."""
    for name in IMDB_ARCHIVES:
        local = find_file(IMDB, name)
        if local is not None:
            return local
    return fetch(IMDB, IMDB_ARCHIVES[0])


def processed_imdb_path() -> Path:
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


PROCESSED_KEYS = ("train_ranks", "train_lengths", "train_labels",
                  "test_ranks", "test_lengths", "test_labels", "vocabulary")
"""Los arreglos del archivo procesado (``_process_imdb``)."""


def read_processed(path: Path) -> dict[str, np.ndarray]:
    """Los arreglos de un archivo procesado, comprobados.

    Lanza ``DataError`` si está truncado, no es un .npz, le falta un
    arreglo o sus largos no cuadran.
    """
    try:
        with np.load(path) as stored:
            arrays = {key: stored[key] for key in PROCESSED_KEYS}
    except KeyError as error:
        raise DataError(f"le falta el arreglo {error}") from None
    except (OSError, ValueError, EOFError, zipfile.BadZipFile,
            zlib.error) as error:
        raise DataError(f"no se puede leer ({error})") from None
    for split in ("train", "test"):
        lengths = arrays[f"{split}_lengths"]
        if lengths.sum() != arrays[f"{split}_ranks"].size \
                or len(lengths) != len(arrays[f"{split}_labels"]):
            raise DataError(f"los largos de «{split}» no cuadran")
    return arrays


def load_imdb_processed() -> dict[str, np.ndarray]:
    """Las reseñas de IMDB tokenizadas, de la caché o procesándolas.

    Un archivo procesado dañado se descarta con un aviso y se rehace; si
    la caché no se puede escribir, las reseñas se procesan en memoria
    (con un aviso) y la próxima vez se vuelven a procesar.
    """
    path = processed_imdb_path()
    if path.is_file():
        try:
            return read_processed(path)
        except DataError as error:
            warn(f"el archivo procesado de IMDB «{path}» estaba dañado "
                 f"({error}); se descartó y se vuelve a procesar.")
            with contextlib.suppress(OSError):
                path.unlink()
    archive = find_imdb_archive()
    try:
        processed = _process_imdb(archive)
    except DataError:
        if archive.parent == cache_dir() / "imdb":
            archive.unlink(missing_ok=True)
        raise
    try:
        mark_cache_root()
        with atomic_open(path) as out:
            np.savez(out, **processed)
    except OSError as error:
        warn(f"no se pudo guardar IMDB procesado en «{path.parent}» "
             f"({describe_os_error(error)}); se usa en memoria y la "
             "próxima vez se volverá a procesar.")
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
