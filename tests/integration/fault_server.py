"""An upload server of the tests' own on 127.0.0.1 that answers upload POSTs from a script of faults.

Laid out like pypiserver: uploads are POSTed to /, the simple index is /simple/ (PEP 503 HTML with
#sha256=, or PEP 691 JSON when asked), files are served from /packages/. Every POST is recorded.
"""

import hashlib
import html
import json
import re
import socket
import struct
import threading
from dataclasses import dataclass, field
from email import policy
from email.parser import BytesParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Answer:
    """Answer an upload POST with this status (after reading the body, unless before_body)."""
    status: int
    reason: str = None
    body: str = ""
    headers: dict = field(default_factory=dict)
    before_body: bool = False  # answer at once when the client waits with Expect: 100-continue


@dataclass
class ResetMidBody:
    """Read half the body, then reset the connection; the index then lists `stored` (name, bytes)
    as if the server had kept the upload and only its answer was lost."""
    stored: tuple = None


@dataclass
class Stall:
    """Read the request headers, then never answer (until the server stops)."""


@dataclass
class Silent:
    """Read the whole request, body included, then never answer: hold the connection until the
    client drops it (or the server stops). No 100 Continue either."""


@dataclass
class BrokenAnswer:
    """Answer with this status and the start of `body`, announcing `missing` bytes more in
    Content-Length than are sent; then close the connection (stall=False: a truncated body) or
    hold it until the client drops it (stall=True: a body that stops mid-way). As an upload
    action, the file is read and stored first (accept=True) as if only the answer went wrong.
    Also an entry of FaultServer's simple_script."""
    status: int = 200
    body: str = ""
    content_type: str = "text/html"
    missing: int = 1000
    stall: bool = False
    accept: bool = True


@dataclass
class Upload:
    """One POST as the server saw it."""
    file_name: str  # None when the body was not (completely) received
    body_received: bool
    answer: str
    fields: dict = None  # form field name -> list of values, without the file content


def _normalized(name):
    return re.sub(r"[-_.]+", "-", name).lower()


def _parse_form(content_type, body):
    message = BytesParser(policy=policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + body)
    fields, content = {}, None
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if name == "content":
            content = (part.get_filename(), part.get_payload(decode=True))
        else:
            fields.setdefault(name, []).append(part.get_content())
    return fields, content


class FaultServer:
    """Use as a context manager; `script` is consumed one entry per upload POST (None: accept),
    then uploads are accepted (or refused with 409 when the file exists). simple_index=False
    answers 404 on /simple/ like an index without a simple API; silent=True makes every request,
    GETs too, Silent: an index that accepts connections and never answers.

    simple_script is consumed one entry per GET of a simple-API project page (None: answer as
    usual; an Answer, whose headers may set Content-Type; a BrokenAnswer). redirects maps a GET's
    path to the Location of a 301 answered to it every time (loops included). html_only answers
    PEP 503 HTML even where the client asked for PEP 691 JSON."""

    def __init__(self, script=(), simple_index=True, silent=False, simple_script=(),
                 redirects=None, html_only=False):
        self.script = list(script)
        self.simple_index = simple_index
        self.silent = silent
        self.simple_script = list(simple_script)
        self.redirects = dict(redirects or {})
        self.html_only = html_only
        self.files = {}  # file name -> (project, bytes)
        self.uploads = []
        self.gets = []  # the path of every GET
        self.lock = threading.Condition()
        self.stopping = threading.Event()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=10)

    def store(self, file_name, data, project=None):
        """Makes the index list a file, as if it had been uploaded before."""
        project = project or re.split(r"-\d", file_name, maxsplit=1)[0]
        with self.lock:
            self.files[file_name] = (_normalized(project), data)

    def posts_with_body(self, file_name):
        return sum(1 for u in self.uploads if u.file_name == file_name and u.body_received)

    def requests_seen(self):
        return len(self.uploads)

    def wait_until(self, condition, timeout=60):
        """Waits until condition() holds (checked whenever a request is recorded); its value."""
        with self.lock:
            return self.lock.wait_for(condition, timeout)

    def next_action(self):
        with self.lock:
            if self.silent:
                return Silent()
            return self.script.pop(0) if self.script else None

    def next_simple_action(self):
        with self.lock:
            return self.simple_script.pop(0) if self.simple_script else None

    def record(self, upload):
        with self.lock:
            self.uploads.append(upload)
            self.lock.notify_all()

    def record_get(self, path):
        with self.lock:
            self.gets.append(path)
            self.lock.notify_all()


def _handler_for(server):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        action = None

        def log_message(self, fmt, *args):
            pass

        def handle_expect_100(self):
            self.action = server.next_action()
            if isinstance(self.action, (Stall, Silent)):
                return True  # no 100 Continue: do_POST stalls
            if isinstance(self.action, Answer) and self.action.before_body:
                server.record(Upload(None, False, f"{self.action.status} before body"))
                self._answer(self.action)
                return False
            return super().handle_expect_100()

        def do_POST(self):
            action = self.action if self.action is not None else server.next_action()
            self.action = None
            if isinstance(action, Stall):
                server.record(Upload(None, False, "stall"))
                server.stopping.wait(120)
                self.close_connection = True
                return
            length = int(self.headers.get("Content-Length", "0"))
            if isinstance(action, Silent):
                body = self.rfile.read(length)
                fields, content = _parse_form(self.headers["Content-Type"], body)
                server.record(Upload(content[0] if content else None, True, "silent", fields))
                return self._hold_silently()
            if isinstance(action, ResetMidBody):
                self.rfile.read(length // 2)
                server.record(Upload(None, False, "reset mid-body"))
                if action.stored:
                    server.store(*action.stored)
                self._reset()
                return
            body = self.rfile.read(length)
            fields, content = _parse_form(self.headers["Content-Type"], body)
            file_name = content[0] if content else None
            if isinstance(action, BrokenAnswer):
                if action.accept:
                    self._accept(fields, content)
                server.record(Upload(file_name, True, f"{action.status} broken", fields))
                return self._broken_answer(action)
            if action is None:
                action = self._accept(fields, content)
            server.record(Upload(file_name, True, str(action.status), fields))
            self._answer(action)

        def _accept(self, fields, content):
            if not content:
                return Answer(400, body="no content")
            with server.lock:
                exists = content[0] in server.files
            if exists:
                return Answer(409, "Conflict", "File already exists")
            server.store(content[0], content[1], fields.get("name", [None])[0])
            return Answer(200, "OK")

        def _answer(self, answer, content_type="text/plain; charset=utf-8"):
            data = answer.body.encode()
            self.send_response(answer.status, answer.reason)
            if not any(name.lower() == "content-type" for name in answer.headers):
                self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Connection", "close")
            for name, value in answer.headers.items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)
            self.close_connection = True

        def _broken_answer(self, broken):
            data = broken.body.encode()
            self.send_response(broken.status)
            self.send_header("Content-Type", broken.content_type)
            self.send_header("Content-Length", str(len(data) + broken.missing))
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()
            if broken.stall:
                return self._hold_silently()
            self.close_connection = True

        def _hold_silently(self):
            # Reads whatever else comes until the client closes the connection.
            self.close_connection = True
            self.connection.settimeout(0.1)
            while not server.stopping.is_set():
                try:
                    if not self.connection.recv(65536):
                        return
                except socket.timeout:
                    continue
                except OSError:
                    return

        def _reset(self):
            # SO_LINGER with a zero timeout turns close() into a TCP RST.
            self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self.close_connection = True
            self.connection.close()

        def do_GET(self):
            path = self.path.split("?", 1)[0]
            server.record_get(path)
            if server.silent:
                return self._hold_silently()
            if path in server.redirects:
                return self._answer(Answer(301, "Moved Permanently",
                                           headers={"Location": server.redirects[path]}))
            if path.startswith("/packages/"):
                with server.lock:
                    entry = server.files.get(path[len("/packages/"):])
                if entry is None:
                    return self._answer(Answer(404, body="not found"))
                self.send_response(200)
                self.send_header("Content-Type", "application/octet-stream")
                self.send_header("Content-Length", str(len(entry[1])))
                self.send_header("Connection", "close")
                self.end_headers()
                self.wfile.write(entry[1])
                self.close_connection = True
                return
            match = re.fullmatch(r"/simple/(?:([^/]+)/?)?", path)
            if not server.simple_index or not match:
                return self._answer(Answer(404, body="not found"))
            if match.group(1) is not None:
                action = server.next_simple_action()
                if isinstance(action, Answer):
                    return self._answer(action, "text/html")
                if isinstance(action, BrokenAnswer):
                    return self._broken_answer(action)
            wants_json = ("application/vnd.pypi.simple.v1+json" in self.headers.get("Accept", "")
                          and not server.html_only)
            with server.lock:
                files = dict(server.files)
            if match.group(1) is None:
                projects = sorted({project for project, _ in files.values()})
                return self._simple_root(projects, wants_json)
            project = _normalized(match.group(1))
            listed = {n: hashlib.sha256(d).hexdigest() for n, (p, d) in files.items() if p == project}
            if not listed:
                return self._answer(Answer(404, body="not found"))
            self._simple_project(project, listed, wants_json)

        def _simple_root(self, projects, wants_json):
            if wants_json:
                document = {"meta": {"api-version": "1.0"},
                            "projects": [{"name": p} for p in projects]}
                return self._document(json.dumps(document), "application/vnd.pypi.simple.v1+json")
            links = "".join(f'<a href="{p}/">{p}</a>\n' for p in projects)
            self._document(f"<!DOCTYPE html><html><body>\n{links}</body></html>\n", "text/html")

        def _simple_project(self, project, listed, wants_json):
            if wants_json:
                document = {"meta": {"api-version": "1.0"}, "name": project,
                            "files": [{"filename": n, "url": f"../../packages/{n}",
                                       "hashes": {"sha256": h}} for n, h in sorted(listed.items())]}
                return self._document(json.dumps(document), "application/vnd.pypi.simple.v1+json")
            links = "".join(f'<a href="../../packages/{html.escape(n)}#sha256={h}">{html.escape(n)}</a>\n'
                            for n, h in sorted(listed.items()))
            self._document(f"<!DOCTYPE html><html><body>\n{links}</body></html>\n", "text/html")

        def _document(self, text, content_type):
            self._answer(Answer(200, body=text), content_type)

    return Handler
