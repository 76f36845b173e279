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

Módulos: ``sources`` (dónde buscar, descargas verificadas), ``mnist``,
``imdb`` y ``report`` (informe y verificación para la terminal).
"""

from esenciales.data.imdb import (IMDB_ARCHIVES, build_vocabulary,
                                  imdb_word_index, load_imdb,
                                  load_imdb_processed, pad_sequences,
                                  read_imdb_reviews, reviews_sha256,
                                  tokenize)
from esenciales.data.mnist import (FASHION_MNIST_CLASSES, load_fashion_mnist,
                                   load_mnist, read_idx)
from esenciales.data.report import dataset_report, download_dataset, verify
from esenciales.data.sources import (CACHE_ENV_VAR, DATASETS, ENV_VAR,
                                     FASHION_MNIST, IMDB, MNIST, DataError,
                                     DataFile, Dataset, cache_dir,
                                     cache_root, download, fetch, find_file,
                                     search_dirs, sha256_of_gzip,
                                     verified_file)

__all__ = [
    "CACHE_ENV_VAR", "DATASETS", "ENV_VAR", "FASHION_MNIST",
    "FASHION_MNIST_CLASSES", "IMDB", "IMDB_ARCHIVES", "MNIST", "DataError",
    "DataFile", "Dataset", "build_vocabulary", "cache_dir", "cache_root",
    "dataset_report", "download", "download_dataset", "fetch", "find_file",
    "imdb_word_index", "load_fashion_mnist", "load_imdb",
    "load_imdb_processed", "load_mnist", "pad_sequences", "read_idx",
    "read_imdb_reviews", "reviews_sha256", "search_dirs", "sha256_of_gzip",
    "tokenize", "verified_file", "verify",
]
