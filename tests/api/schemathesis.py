#!/usr/bin/env python3
"""Schemathesis against gaoxin's OpenAPI document, signed in.

  python3 tests/api/schemathesis.py [--gaoxin target/debug/gaoxin] [--examples 50]

Starts `gaoxin serve --demo` on a database of its own, makes a dispatcher and a reporter at the
console, signs in through `POST /api/v1/session`, and runs `schemathesis run` on
`/api/openapi.json` with each session's cookie and CSRF token: every operation with generated
parameters, every answer checked against the document (status codes, content types, schemas)
and for server errors. Exits with schemathesis' status. Needs `pip install schemathesis`.
"""

import argparse
import shutil
import json
import os
import re
import subprocess
import sys
import tempfile
import urllib.request

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
PASSWORD = "Tq7#mK2$vL9p-api"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--gaoxin", default=os.path.join(ROOT, "target", "debug", "gaoxin"))
    p.add_argument("--examples", type=int, default=50)
    a = p.parse_args()
    folder = tempfile.mkdtemp(prefix="gaoxin-api-")
    db = os.path.join(folder, "gaoxin.db")
    server = subprocess.Popen(
        [a.gaoxin, "serve", "--demo", "--listen", "127.0.0.1:0", "--database", db, "--create"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    base = None
    for line in server.stdout:
        m = re.search(r"serving on (http://[0-9.:]+)/", line)
        if m:
            base = m.group(1)
            break
    if not base:
        sys.exit("gaoxin serve did not start")
    codes = []
    try:
        # Both sign in first: the generated sign-in attempts of the first run are wrong on
        # purpose and, from one address, soon throttle it (429) as they should.
        sessions = []
        for name, unit, role in [("apidisp", "dispatch", "dispatcher"), ("apiclerk", "sjz-hz-admin", "reporter")]:
            subprocess.run(
                [a.gaoxin, "user", "add", name, "--unit", unit, "--role", role,
                 "--password-stdin", "--database", db],
                input=PASSWORD + "\n", text=True, check=True, capture_output=True,
            )
            req = urllib.request.Request(
                base + "/api/v1/session",
                data=json.dumps({"username": name, "password": PASSWORD}).encode(),
                headers={"Content-Type": "application/json"},
                method="POST",
            )
            with urllib.request.urlopen(req) as r:
                cookie = r.headers["Set-Cookie"].split(";")[0]
                csrf = json.loads(r.read())["csrf_token"]
            sessions.append((name, role, cookie, csrf))
        for name, role, cookie, csrf in sessions:
            print(f"== schemathesis as {name} ({role})", flush=True)
            # The session goes in as the document's `session` security scheme, so the checks
            # that leave it out know they did.
            config = os.path.join(folder, f"{name}.toml")
            with open(config, "w") as f:
                f.write(
                    f'headers = {{ X-CSRF-Token = "{csrf}", Origin = "{base}" }}\n'
                    f'[auth.openapi.session]\napi_key = "{cookie.split("=", 1)[1]}"\n'
                    # Sign-in attempts with generated names and passwords are wrong on purpose;
                    # enough of them on one name lock it (423) or throttle the address (429),
                    # answers the document lists for a well-formed request.
                    '[[operations]]\ninclude-operation-id = "signIn"\n'
                    'checks.positive_data_acceptance.expected-statuses = ["200", "401", "423", "429"]\n'
                )
            run = subprocess.run([
                # Its console entry point through this interpreter: pip's script folder may
                # not be on PATH on a fresh machine.
                sys.executable, "-c", "from schemathesis.cli import schemathesis; schemathesis()",
                "--config-file", config, "run", base + "/api/openapi.json",
                "--url", base,
                "--checks", "all",
                # Signing out would end the session the rest of the run uses.
                "--exclude-operation-id", "signOut",
                "--max-examples", str(a.examples),
                "--workers", "1",
            ], cwd=folder)
            codes.append(run.returncode)
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(folder, ignore_errors=True)
    # Both runs, each passing: anything less is a failure.
    sys.exit(max(codes) if len(codes) == 2 else 1)


if __name__ == "__main__":
    main()
