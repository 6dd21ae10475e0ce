"""Shared pieces of the fault drills: a gaoxin server in a folder of its own, an HTTP client that
signs in as a writer, and the checks every drill ends with. Standard library only.

The drills are run by hand (they kill processes, fill disks) and their last results are written
into docs/operations.md; see each script's docstring.
"""

import http.cookiejar
import json
import os
import re
import signal
import subprocess
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request

PASSWORD = "Tq7#mK2$vL9p-drill"


def gaoxin_binary(path=None):
    """The gaoxin binary to drill: the given one, or the release build (built if missing)."""
    if path:
        return os.path.abspath(path)
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    exe = os.path.join(root, "target", "release", "gaoxin")
    if not os.path.exists(exe):
        subprocess.run(["cargo", "build", "--release", "-p", "gaoxin"], cwd=root, check=True)
    return exe


class Server:
    """`gaoxin serve` on a database in `folder`, on a free port."""

    def __init__(self, exe, folder):
        self.exe = exe
        self.folder = folder
        self.db = os.path.join(folder, "gaoxin.db")
        self.proc = None
        self.base = None

    def cli(self, *args, stdin=None, check=True):
        out = subprocess.run(
            [self.exe, *args, "--database", self.db],
            input=stdin,
            capture_output=True,
            text=True,
        )
        if check and out.returncode != 0:
            raise RuntimeError(f"gaoxin {' '.join(args)}: {out.stderr}")
        return out

    def add_writer(self, name="writer"):
        self.cli(
            "user", "add", name, "--unit", "dispatch", "--role", "dispatcher",
            "--password-stdin", "--create", stdin=PASSWORD + "\n",
        )

    def start(self):
        self.proc = subprocess.Popen(
            [self.exe, "serve", "--listen", "127.0.0.1:0", "--database", self.db, "--create"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        for line in self.proc.stdout:
            m = re.search(r"serving on (http://[0-9.:]+)/", line)
            if m:
                self.base = m.group(1)
                return self
        raise RuntimeError("gaoxin serve did not start")

    def kill9(self):
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            self.proc.wait(timeout=30)


class Client:
    """A signed-in browser: session cookie and CSRF token, requests from the server's own origin."""

    def __init__(self, base, name="writer", password=PASSWORD):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.jar), NoRedirect()
        )
        status, body, _ = self.request(
            "POST", "/api/v1/session",
            json.dumps({"username": name, "password": password}).encode(),
            {"Content-Type": "application/json"},
        )
        if status != 200:
            raise RuntimeError(f"sign-in: {status} {body[:200]}")
        self.csrf = json.loads(body)["csrf_token"]

    def request(self, method, path, data=None, headers=None, timeout=30):
        req = urllib.request.Request(self.base + path, data=data, method=method)
        req.add_header("Origin", self.base)
        for k, v in (headers or {}).items():
            req.add_header(k, v)
        try:
            with self.opener.open(req, timeout=timeout) as r:
                return r.status, r.read().decode("utf-8", "replace"), headers_of(r.headers)
        except urllib.error.HTTPError as e:
            return e.code, e.read().decode("utf-8", "replace"), headers_of(e.headers)

    def form(self, path, fields, timeout=30):
        fields = dict(fields, csrf=self.csrf)
        return self.request(
            "POST", path, urllib.parse.urlencode(fields).encode(),
            {"Content-Type": "application/x-www-form-urlencoded"}, timeout,
        )

    def open_order(self, title):
        """Opens a 督办单; its id when the server acknowledged it (303 to the order), else None."""
        status, _, headers = self.form(
            "/supervision/new", {"title": title, "subject": "matter", "basis": "演练 / drill"}
        )
        location = headers.get("location", "")
        m = re.match(r"/supervision/(\d+)", location)
        return (int(m.group(1)) if status == 303 and m else None), status


def headers_of(message):
    """Response headers by lower-case name."""
    return {k.lower(): v for k, v in message.items()}


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def check_audit(server):
    out = server.cli("audit", "verify", check=False)
    return out.returncode == 0, (out.stdout + out.stderr).strip()


def check_integrity(db):
    out = subprocess.run(
        ["sqlite3", db, "PRAGMA integrity_check;"], capture_output=True, text=True
    )
    return out.stdout.strip() == "ok", out.stdout.strip() or out.stderr.strip()


def temp_folder(prefix):
    return tempfile.mkdtemp(prefix=prefix)


def now():
    return time.strftime("%Y-%m-%d %H:%M:%S")
