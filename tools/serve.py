"""Sirve el libro construido bajo una subruta, como GitHub Pages.

Uso: ``python tools/serve.py [_build/html] [--puerto 8000]`` (``make
serve``) y abrir http://localhost:8000/esenciales/.

GitHub Pages publica el libro en ``https://usuario.github.io/esenciales/``:
fuera de la raíz del sitio. Este servidor hace lo mismo, y responde 404 a
todo lo que esté fuera de la subruta, así que un enlace absoluto
(``/_static/...``) se nota enseguida. Una página que falta dentro de la
subruta recibe, como en Pages, el ``404.html`` del libro (en español) con
el estado 404. La prueba del navegador lo usa.
"""

import argparse
import functools
import posixpath
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

PREFIX = "/esenciales/"


class SubpathHandler(SimpleHTTPRequestHandler):
    """Archivos de ``directory`` bajo ``prefix``; el resto, 404.

    Lo que falta bajo ``prefix`` recibe ``404.html``, si el libro lo trae.
    """

    def __init__(self, *args, prefix=PREFIX, quiet=False, **kwargs):
        self.prefix, self.quiet = prefix, quiet
        super().__init__(*args, **kwargs)

    def send_head(self):
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if path == self.prefix.rstrip("/"):
            self.send_response(301)
            self.send_header("Location", self.prefix)
            self.end_headers()
            return None
        if not path.startswith(self.prefix):
            self.send_error(404, "Fuera de la subruta del libro")
            return None
        return super().send_head()

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        if (code != 404 or not path.startswith(self.prefix)
                or not page.is_file()):
            super().send_error(code, message, explain)
            return
        body = page.read_bytes()
        self.send_response(404, message)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def translate_path(self, path):
        path = path.split("?", 1)[0].split("#", 1)[0]
        inside = "/" + path[len(self.prefix):]
        return super().translate_path(posixpath.normpath(inside))

    def log_message(self, format, *args):
        if not self.quiet:
            super().log_message(format, *args)


def start(directory, port=0, prefix=PREFIX, quiet=True):
    """Arranca el servidor en un hilo; devuelve ``(servidor, url)``."""
    handler = functools.partial(SubpathHandler, directory=str(directory),
                                prefix=prefix, quiet=quiet)
    server = ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}{prefix}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("html", nargs="?", type=Path,
                        default=Path("_build/html"))
    parser.add_argument("--puerto", type=int, default=8000)
    args = parser.parse_args(argv)
    if not (args.html / "index.html").exists():
        print(f"serve: no hay libro construido en {args.html}; corran "
              "«make book» antes.", file=sys.stderr)
        return 1
    try:
        server, url = start(args.html, args.puerto, quiet=False)
    except OSError as error:
        print(f"serve: no se pudo abrir el puerto {args.puerto}: "
              f"{error.strerror}", file=sys.stderr)
        return 1
    print(f"Libro en {url} (Ctrl-C para terminar)", flush=True)
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        server.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
