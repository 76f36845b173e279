"""El único escritor atómico: el destino aparece completo o no cambia."""

import errno
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from esenciales import files


def names(folder):
    return sorted(p.name for p in Path(folder).iterdir())


def test_atomic_write_leaves_nothing_when_interrupted(tmp_path):
    path = tmp_path / "historia.json"
    path.write_text("anterior")

    def interrupted(tmp):
        Path(tmp).write_text("a medias")
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        files.atomic_write(path, interrupted)
    assert path.read_text() == "anterior"
    assert names(tmp_path) == ["historia.json"]
    files.atomic_write(path, lambda tmp: Path(tmp).write_text("nueva"))
    assert path.read_text() == "nueva"
    assert names(tmp_path) == ["historia.json"]


def test_temporary_is_hidden_in_the_same_folder(tmp_path):
    seen = []
    files.atomic_write(tmp_path / "m.weights.h5",
                       lambda tmp: seen.append(tmp) or tmp.write_bytes(b"x"))
    tmp = seen[0]
    assert tmp.parent == tmp_path and tmp.name.startswith(".m.weights.h5.")
    assert names(tmp_path) == ["m.weights.h5"]


def test_atomic_open_creates_folders_and_cleans_up_on_error(tmp_path):
    path = tmp_path / "a" / "b" / "datos.bin"
    with pytest.raises(OSError):
        with files.atomic_open(path) as out:
            out.write(b"mitad")
            raise OSError(28, "No queda espacio en el dispositivo")
    assert not path.exists() and names(path.parent) == []
    with files.atomic_open(path) as out:
        out.write(b"completo")
    assert path.read_bytes() == b"completo"


def test_write_json_round_trips_accents_and_numpy_floats(tmp_path):
    import numpy as np

    path = files.write_json(tmp_path / "r.json",
                            {"pérdida": [np.float32(0.5)], "ñ": "¿sí?"})
    assert json.loads(path.read_text(encoding="utf-8")) == {
        "pérdida": [0.5], "ñ": "¿sí?"}
    assert "pérdida" in path.read_text(encoding="utf-8")


def test_sigterm_during_a_write_leaves_the_old_file(tmp_path):
    """Un proceso muerto a mitad de escribir no deja el destino a medias."""
    path = tmp_path / "x.txt"
    path.write_text("anterior")
    code = (
        "import sys, time\n"
        "from esenciales import files\n"
        "def slow(tmp):\n"
        "    tmp.write_text('a medias')\n"
        "    print('escribiendo', flush=True)\n"
        "    time.sleep(30)\n"
        f"files.atomic_write({str(path)!r}, slow)\n")
    proc = subprocess.Popen([sys.executable, "-c", code],
                            stdout=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": os.pathsep.join(
                                sys.path)})
    assert proc.stdout.readline().strip() == "escribiendo"
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=30)
    assert path.read_text() == "anterior"


def test_a_name_at_the_limit_still_gets_a_temporary(tmp_path):
    """Un nombre de 255 bytes: su temporal se acorta y cabe."""
    name = "á" * 120 + "b" * 10 + ".json"  # 245 + 5 = 250 bytes
    path = files.write_text(tmp_path / name, "x")
    assert path.read_text() == "x"
    assert len(os.fsencode(files.temporary_path(path).name)) <= 255


def test_temporaries_of_dead_processes_are_swept(tmp_path):
    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = tmp_path / f".h.json.{dead.pid}.tmp"
    stale.write_text("resto de un kill -9")
    alive = tmp_path / f".h.json.{os.getpid()}.tmp"
    alive.write_text("otro escritor, vivo")
    files.write_text(tmp_path / "otro.json", "y")
    assert not stale.exists() and alive.exists()


def test_unique_paths_never_repeat(tmp_path):
    first = files.unique_path(tmp_path, "cnn.weights.h5")
    second = files.unique_path(tmp_path, "cnn.weights.h5")
    assert (first.name, second.name) == ("cnn.weights.h5",
                                         "cnn-2.weights.h5")


def test_enametoolong_is_explained():
    error = OSError(errno.ENAMETOOLONG, "File name too long", "x" * 300)
    assert "demasiado largo" in files.describe_os_error(error)
