"""Informe y verificación de los conjuntos de datos (para la terminal)."""

from __future__ import annotations

from pathlib import Path

from esenciales.data.imdb import (IMDB_ARCHIVES, IMDB_REVIEWS_SHA256,
                                  find_imdb_archive, load_imdb_processed,
                                  processed_imdb_path, read_imdb_reviews,
                                  read_processed, reviews_sha256)
from esenciales.data.sources import (DATASETS, IMDB, DataError, Dataset,
                                     fetch, find_file,
                                     repair_advice, sha256_of_gzip,
                                     verified_file)

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
        return [find_imdb_archive(), processed_imdb_path()]
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
        archive = find_imdb_archive()
        results = [(str(archive), _problem(
            dataset, archive,
            lambda: reviews_sha256(read_imdb_reviews(archive)),
            IMDB_REVIEWS_SHA256))]
        processed = processed_imdb_path()
        if processed.is_file():
            results.append((str(processed), _processed_problem(processed)))
        return results
    results = []
    for data_file in dataset.files:
        path = fetch(dataset, data_file.name)
        results.append((str(path), _problem(
            dataset, path, lambda: sha256_of_gzip(path), data_file.sha256)))
    return results


def _problem(dataset, path, digest, expected):
    """``None`` si ``digest()`` da la huella ``expected``; si no, qué
    tiene el archivo y cómo se arregla."""
    try:
        found = digest()
    except DataError:
        problem = "está incompleto o dañado: no se puede descomprimir"
    else:
        if found == expected:
            return None
        problem = "su huella SHA-256 no coincide con la publicada"
    return f"{problem}; {repair_advice(dataset, Path(path))}"


def _processed_problem(path):
    """``None`` si el IMDB procesado se lee bien; si no, qué tiene."""
    try:
        read_processed(path)
    except DataError as error:
        return (f"el procesado está dañado ({error}); «esenciales datos "
                "descargar imdb» lo rehace")
    return None
