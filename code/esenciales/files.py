"""Escribir archivos sin dejar nunca uno a medias: el único escritor atómico.

Pesos, historiales, cachés, datos descargados, figuras, cuadernos y tiempos
se escriben igual: primero en un temporal oculto de la misma carpeta
(``.nombre.<pid>.tmp``) y, solo si todo salió bien, se renombra al destino
con ``os.replace``, que es atómico dentro de un sistema de archivos. Ante
cualquier error, incluidos Ctrl-C y SIGTERM convertido en excepción, el
temporal se borra y el destino queda como estaba.
"""

import contextlib
import errno
import json
import os
import re
import shutil
from pathlib import Path

TEMP_MARK = ".tmp"
"""Lo que distingue en su nombre a un temporal de este módulo."""


NAME_MAX = 255
"""Bytes que admite un nombre de archivo en casi todos los sistemas."""

TEMP_NAME = re.compile(r"^\..*\.(\d+)\.tmp")
"""El nombre de un temporal de este módulo: ``.<nombre>.<pid>.tmp…``."""


def temporary_path(path):
    """El temporal de ``path``: oculto, en la misma carpeta, con el pid.

    Un nombre largo se acorta: el temporal nunca pasa de ``NAME_MAX``
    bytes aunque el destino esté en el límite.
    """
    path = Path(path)
    tail = f".{os.getpid()}{TEMP_MARK}"
    room = NAME_MAX - 1 - len(os.fsencode(tail))
    name = os.fsencode(path.name)[:room].decode("utf-8", "ignore")
    return path.with_name(f".{name}{tail}")


def sweep_temporaries(folder):
    """Borra los temporales que dejaron en ``folder`` procesos que ya no
    existen (un corte con ``kill -9``, un apagón). Devuelve cuántos."""
    swept = 0
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return 0
    for entry in entries:
        match = TEMP_NAME.match(entry.name)
        if match and not _alive(int(match[1])):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                swept += 1
    return swept


def _alive(pid):
    """¿Existe el proceso ``pid``?"""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # existe, pero es de otro usuario
        return True
    return True


def unique_path(folder, name):
    """Una ruta nueva en ``folder`` para ``name``, reservada al crearla
    en exclusiva (``O_EXCL``): ``pesos.pt``, ``pesos-2.pt``…

    Dos rescates del mismo archivo nunca se pisan. El archivo queda vacío
    hasta que se escribe encima.
    """
    stem, dot, rest = name.partition(".")
    for n in range(1, 10_000):
        candidate = Path(folder) / (name if n == 1
                                    else f"{stem}-{n}{dot}{rest}")
        try:
            os.close(os.open(candidate, os.O_CREAT | os.O_EXCL | os.O_WRONLY,
                             0o644))
        except FileExistsError:
            continue
        return candidate
    raise FileExistsError(errno.EEXIST, "demasiados rescates", str(folder))


def _flush_to_disk(path):
    """Que los bytes de ``path`` lleguen al disco antes del renombre: tras
    un apagón, el destino es el viejo o el nuevo, nunca uno vacío."""
    with contextlib.suppress(OSError):
        descriptor = os.open(path, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


@contextlib.contextmanager
def atomic_path(path):
    """Entrega un temporal para escribir; al salir sin error lo renombra.

    Uso: ``with atomic_path(destino) as tmp: guardar(tmp)``.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    sweep_temporaries(path.parent)
    tmp = temporary_path(path)
    try:
        yield tmp
        _flush_to_disk(tmp)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def ensure_space(folder, nbytes):
    """Lanza ``OSError(ENOSPC)`` si en ``folder`` no caben ``nbytes``.

    Mira el espacio libre del disco y el tamaño máximo de archivo del
    proceso (``RLIMIT_FSIZE``). Sirve antes de escribir con bibliotecas
    que no sobreviven a un disco lleno, como h5py.
    """
    limit = shutil.disk_usage(folder).free
    try:
        import resource
    except ImportError:  # Windows
        pass
    else:
        soft, _ = resource.getrlimit(resource.RLIMIT_FSIZE)
        if soft != resource.RLIM_INFINITY:
            limit = min(limit, soft)
    if nbytes > limit:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(folder))


def atomic_write(path, write):
    """Llama ``write(tmp)`` y renombra ``tmp`` a ``path``; devuelve ``path``."""
    with atomic_path(path) as tmp:
        write(tmp)
    return Path(path)


@contextlib.contextmanager
def atomic_open(path, mode="wb", **kwargs):
    """Como ``open(path, mode)``, pero el archivo aparece solo completo."""
    with atomic_path(path) as tmp, open(tmp, mode, **kwargs) as out:
        yield out


def write_bytes(path, data):
    """Escribe los bytes ``data``, atómicamente (pesos ya serializados)."""
    return atomic_write(path, lambda tmp: tmp.write_bytes(data))


def write_text(path, text):
    """Escribe ``text`` en UTF-8, atómicamente."""
    return atomic_write(path, lambda tmp: tmp.write_text(text,
                                                         encoding="utf-8"))


def write_json(path, document):
    """Escribe ``document`` como JSON legible (UTF-8, con acentos)."""
    text = json.dumps(document, ensure_ascii=False, indent=1, default=float)
    return write_text(path, text + "\n")


def describe_os_error(error):
    """Qué pasó con un ``OSError`` al escribir, en español y sin errno."""
    code = getattr(error, "errno", None)
    if code in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        return "no queda espacio en el disco (o se superó el tamaño máximo)"
    if code in (errno.EACCES, errno.EPERM):
        return "no hay permiso para escribir ahí"
    if code == errno.EROFS:
        return "el disco es de solo lectura"
    if code in (errno.ENOTDIR, errno.ENOENT):
        return "la carpeta no existe o no es una carpeta"
    if code == errno.ENAMETOOLONG:
        return (f"el nombre es demasiado largo (cada nombre admite hasta "
                f"{NAME_MAX} bytes; las letras con tilde ocupan 2)")
    return error.strerror or str(error)
