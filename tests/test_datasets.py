"""Cargadores de datos: datos reales, archivos corruptos, descargas falsas."""

import gzip
import hashlib
import io
import tarfile
import urllib.error

import numpy as np
import pytest

from esenciales import data as datasets


@pytest.fixture
def isolated(tmp_path, monkeypatch):
    """Carpetas de datos y caché vacías, sin copias del sistema."""
    data, cache = tmp_path / "datos", tmp_path / "cache"
    data.mkdir()
    monkeypatch.setenv(datasets.ENV_VAR, str(data))
    monkeypatch.setenv(datasets.CACHE_ENV_VAR, str(cache))
    return data, cache / "datos"


class FakeResponse(io.BytesIO):
    """Respuesta HTTP falsa; puede interrumpirse a mitad de la descarga."""

    def __init__(self, payload, fail_after=None):
        super().__init__(payload)
        self.headers = {"Content-Length": str(len(payload))}
        self.fail_after = fail_after

    def read(self, size=-1):
        if self.fail_after is not None and self.tell() >= self.fail_after:
            raise KeyboardInterrupt
        return super().read(size)


def fake_opener(payloads, fail_after=None):
    """Un ``urlopen`` que sirve ``payloads[nombre]`` y registra las URLs."""
    calls = []

    def opener(url, timeout=None):
        calls.append(url)
        name = url.rsplit("/", 1)[-1]
        if name not in payloads:
            raise urllib.error.URLError("sin conexión (prueba)")
        return FakeResponse(payloads[name], fail_after)

    opener.calls = calls
    return opener


def idx_bytes(array):
    """Codifica un arreglo uint8 en formato IDX."""
    header = bytes([0, 0, 8, array.ndim])
    header += b"".join(n.to_bytes(4, "big") for n in array.shape)
    return header + array.tobytes()


# ---------------------------------------------------------------- datos reales


@pytest.mark.parametrize("loader", [datasets.load_mnist,
                                    datasets.load_fashion_mnist])
def test_image_datasets_have_keras_shapes(loader):
    (x_train, y_train), (x_test, y_test) = loader()
    assert x_train.shape == (60000, 28, 28) and x_test.shape == (10000, 28, 28)
    assert y_train.shape == (60000,) and y_test.shape == (10000,)
    assert x_train.dtype == np.uint8 and y_train.dtype == np.uint8
    assert set(np.unique(y_train)) == set(range(10))
    assert x_train.max() == 255 and x_train.min() == 0
    assert np.bincount(y_test).min() > 800


def test_mnist_first_labels_are_the_canonical_ones():
    (_, y_train), (_, y_test) = datasets.load_mnist()
    assert y_train[:8].tolist() == [5, 0, 4, 1, 9, 2, 1, 3]
    assert y_test[:8].tolist() == [7, 2, 1, 0, 4, 1, 4, 9]


@pytest.mark.parametrize("key", ["mnist", "fashion-mnist"])
def test_local_files_match_their_checksums(key):
    results = datasets.verify(key)
    assert results and [problem for _, problem in results] == [None] * len(
        results)


def test_imdb_follows_keras_conventions():
    (x_train, y_train), (x_test, y_test) = datasets.load_imdb(num_words=5000)
    assert len(x_train) == len(x_test) == 25000
    assert y_train.sum() == y_test.sum() == 12500
    assert all(seq[0] == datasets.imdb.START_CHAR for seq in x_train[:100])
    assert max(int(seq.max()) for seq in x_train) == 4999
    word_index = datasets.imdb_word_index()
    assert word_index["the"] == 1 + datasets.imdb.INDEX_FROM


def test_imdb_maxlen_drops_long_reviews_like_keras():
    (x_train, _), _ = datasets.load_imdb(maxlen=100)
    assert 0 < len(x_train) < 25000
    assert max(len(seq) for seq in x_train) <= 100


def test_imdb_processed_cache_is_written(tmp_path, monkeypatch):
    monkeypatch.setenv(datasets.CACHE_ENV_VAR, str(tmp_path))
    datasets.load_imdb(num_words=100)
    processed = tmp_path / "datos" / "imdb"
    assert [p.suffix for p in processed.iterdir()] == [".npz"]


@pytest.mark.parametrize("kwargs", [{"num_words": 2}, {"maxlen": 0}])
def test_imdb_rejects_bad_arguments(kwargs):
    with pytest.raises(ValueError, match="debe ser"):
        datasets.load_imdb(**kwargs)


# ---------------------------------------------------------- funciones puras


def test_tokenize_lowercases_and_strips_html():
    text = "It's <br />GREAT, isn't it? 10/10"
    assert datasets.tokenize(text) == ["it's", "great", "isn't", "it",
                                       "10", "10"]


def test_vocabulary_is_ranked_by_frequency_then_alphabet():
    assert datasets.build_vocabulary([["b", "a", "c"], ["c"]]) == [
        "c", "a", "b"]


def test_pad_sequences_pads_and_truncates_at_the_front():
    padded = datasets.pad_sequences([[1, 2, 3], [4], []], maxlen=2)
    assert padded.tolist() == [[2, 3], [0, 4], [0, 0]]


def test_read_idx_rejects_truncated_file(tmp_path):
    path = tmp_path / "x.gz"
    path.write_bytes(gzip.compress(idx_bytes(np.zeros((3, 2), np.uint8))[:-1]))
    with pytest.raises(datasets.DataError, match="truncado"):
        datasets.read_idx(path)


# ------------------------------------------- archivos corruptos o ausentes


def test_corrupted_local_file_raises_a_clear_error(isolated):
    data, _ = isolated
    (data / "mnist").mkdir()
    for data_file in datasets.MNIST.files:
        (data / "mnist" / data_file.name).write_bytes(b"no soy gzip")
    with pytest.raises(datasets.DataError, match="dañado") as error:
        datasets.load_mnist()
    assert (data / "mnist" / "train-images-idx3-ubyte.gz").exists()
    # una copia del usuario: se nombra su carpeta, no «datos descargar»
    assert f"«{data / 'mnist'}»" in str(error.value)
    assert "datos descargar" not in str(error.value)


def test_other_data_is_never_accepted(isolated):
    data, _ = isolated
    (data / "mnist").mkdir()
    fake = idx_bytes(np.zeros((2, 28, 28), np.uint8))
    for data_file in datasets.MNIST.files:
        (data / "mnist" / data_file.name).write_bytes(gzip.compress(fake))
    with pytest.raises(datasets.DataError, match="huella"):
        datasets.load_mnist()


def test_offline_and_missing_says_what_and_how(isolated, monkeypatch):
    opener = fake_opener({})
    monkeypatch.setattr(datasets.sources, "urlopen", opener)
    with pytest.raises(datasets.DataError) as error:
        datasets.load_mnist()
    message = str(error.value)
    assert "No se encontró «train-images-idx3-ubyte.gz»" in message
    assert "esenciales datos descargar mnist" in message
    assert len(opener.calls) == len(datasets.MNIST.mirrors)
    assert opener.calls[0].startswith("https://")


def test_download_is_verified_and_cached(isolated, monkeypatch):
    _, cache = isolated
    labels = np.array([3, 1, 4], np.uint8)
    content = idx_bytes(labels)
    data_file = datasets.DataFile("labels.gz",
                                  hashlib.sha256(content).hexdigest())
    dataset = datasets.Dataset("prueba", "Prueba", (data_file,),
                               ("https://ejemplo.org/",))
    monkeypatch.setattr(datasets.sources, "urlopen",
                        fake_opener({"labels.gz": gzip.compress(content)}))
    path = datasets.verified_file(dataset, data_file, progress=False)
    assert path == cache / "prueba" / "labels.gz"
    assert datasets.read_idx(path).tolist() == [3, 1, 4]


def test_download_with_wrong_content_is_deleted(isolated, monkeypatch):
    _, cache = isolated
    data_file = datasets.DataFile("labels.gz", "0" * 64)
    dataset = datasets.Dataset("prueba", "Prueba", (data_file,),
                               ("https://ejemplo.org/",))
    payload = gzip.compress(idx_bytes(np.ones(3, np.uint8)))
    monkeypatch.setattr(datasets.sources, "urlopen",
                        fake_opener({"labels.gz": payload}))
    with pytest.raises(datasets.DataError, match="huella"):
        datasets.verified_file(dataset, data_file, progress=False)
    assert not (cache / "prueba" / "labels.gz").exists()


def test_interrupted_download_leaves_no_file(tmp_path, monkeypatch):
    opener = fake_opener({"grande.bin": b"x" * 300_000}, fail_after=70_000)
    monkeypatch.setattr(datasets.sources, "urlopen", opener)
    destination = tmp_path / "grande.bin"
    with pytest.raises(KeyboardInterrupt):
        datasets.download("https://ejemplo.org/grande.bin", destination,
                          progress=False)
    assert list(tmp_path.iterdir()) == []


def test_imdb_archive_with_other_content_is_rejected(isolated):
    data, _ = isolated
    (data / "imdb").mkdir()
    archive = data / "imdb" / "aclImdb_v1_text.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        text = b"A fine film."
        info = tarfile.TarInfo("aclImdb/train/pos/0_9.txt")
        info.size = len(text)
        tar.addfile(info, io.BytesIO(text))
    with pytest.raises(datasets.DataError, match="huella"):
        datasets.load_imdb()


def test_unknown_dataset_lists_the_options():
    with pytest.raises(ValueError, match="mnist, fashion-mnist, imdb"):
        datasets.verify("cifar")


def test_report_finds_the_local_copies():
    report = {row["name"]: row for row in datasets.dataset_report()}
    assert set(report) == {"mnist", "fashion-mnist", "imdb"}
    assert report["mnist"]["found"]
