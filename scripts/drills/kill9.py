#!/usr/bin/env python3
"""kill -9 drill: acknowledged writes survive a killed server, and a killed import leaves
nothing half-imported.

  python3 scripts/drills/kill9.py [--gaoxin PATH] [--rounds 5] [--seconds 6] [--workbook FILE]

1. Writes under fire: a fresh SQLite database, a server, four writers opening 督办单 as fast as
   they can; after a few seconds the server is killed with SIGKILL, restarted, and every order
   the server acknowledged (303 with its id) must be there with its title. Repeated `--rounds`
   times on the same database. Then `gaoxin audit verify` and `PRAGMA integrity_check`.
2. An import killed mid-way: `gaoxin import enterprises WORKBOOK` (100,000 rows; made with
   gaoxin's own export through `gaoxin bench-ledgers` if none is given) is killed with SIGKILL
   while it writes its batches. The ledger must then show none of its records; an import of the
   same file two minutes later (when the interrupted one counts as abandoned) must import all.

Prints one line per check and a summary for docs/operations.md; exits 1 if any check fails.
"""

import argparse
import os
import subprocess
import sys
import threading
import time

import drill


def writes_under_fire(exe, rounds, seconds):
    folder = drill.temp_folder("gaoxin-kill9-")
    server = drill.Server(exe, folder)
    server.add_writer()
    acknowledged = {}
    attempted = 0
    lock = threading.Lock()
    for r in range(rounds):
        server.start()
        clients = [drill.Client(server.base) for _ in range(4)]
        stop = threading.Event()

        def write(c, w):
            nonlocal attempted
            n = 0
            while not stop.is_set():
                title = f"kill9 round {r} writer {w} no {n}"
                n += 1
                with lock:
                    attempted += 1
                try:
                    oid, _ = c.open_order(title)
                except OSError:
                    continue  # the connection died with the server: not acknowledged
                if oid is not None:
                    with lock:
                        acknowledged[oid] = title

        threads = [threading.Thread(target=write, args=(c, i)) for i, c in enumerate(clients)]
        for t in threads:
            t.start()
        time.sleep(seconds)
        server.kill9()
        stop.set()
        for t in threads:
            t.join()
    # Everything acknowledged is there, with its title.
    server.start()
    reader = drill.Client(server.base)
    lost = []
    for oid, title in sorted(acknowledged.items()):
        status, body, _ = reader.request("GET", f"/supervision/{oid}")
        if status != 200 or title not in body:
            lost.append(oid)
    server.stop()
    audit_ok, audit = drill.check_audit(server)
    integrity_ok, integrity = drill.check_integrity(server.db)
    return {
        "rounds": rounds,
        "attempted": attempted,
        "acknowledged": len(acknowledged),
        "lost": len(lost),
        "audit": audit_ok,
        "audit_text": audit,
        "integrity": integrity_ok,
        "integrity_text": integrity,
        "ok": not lost and audit_ok and integrity_ok and len(acknowledged) > 0,
    }


def workbook_path(exe, given):
    if given:
        return os.path.abspath(given)
    root = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
    path = os.path.join(root, "target", "bench-ledgers", "enterprises-100000.xlsx")
    if not os.path.exists(path):
        # The ledger benchmark makes it (with gaoxin's own export) before it measures anything.
        subprocess.run(
            [exe, "bench-ledgers", "--rows", "100000", "--list-rows", "1000", "--requests", "1"],
            cwd=root, capture_output=True,
        )
    if not os.path.exists(path):
        raise RuntimeError(f"no workbook at {path}")
    return path


def killed_import(exe, workbook):
    folder = drill.temp_folder("gaoxin-kill9-import-")
    server = drill.Server(exe, folder)
    server.add_writer("importer")
    args = [exe, "import", "enterprises", workbook, "--as", "importer", "--database", server.db]
    child = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # Kill it once it has begun writing its batches.
    for line in child.stderr:
        if "写入 / writing" in line:
            break
    time.sleep(0.6)
    child.kill()
    child.wait()
    count = lambda: server.cli("export", "enterprises", "--out", os.path.join(folder, "x.xlsx"))
    out = count()
    visible_after_kill = int(out.stdout.split("已导出 ")[1].split(" ")[0]) if "已导出" in out.stdout else -1
    staged = subprocess.run(
        ["sqlite3", server.db, "SELECT COUNT(*) FROM ledger_records"], capture_output=True, text=True
    ).stdout.strip()
    # Two minutes on, the interrupted import counts as abandoned and the file imports whole.
    time.sleep(125)
    again = subprocess.run(args, capture_output=True, text=True)
    out = count()
    visible_after_retry = int(out.stdout.split("已导出 ")[1].split(" ")[0]) if "已导出" in out.stdout else -1
    audit_ok, audit = drill.check_audit(server)
    integrity_ok, integrity = drill.check_integrity(server.db)
    return {
        "rows_written_before_kill": staged,
        "visible_after_kill": visible_after_kill,
        "retry_exit": again.returncode,
        "visible_after_retry": visible_after_retry,
        "audit": audit_ok,
        "audit_text": audit,
        "integrity": integrity_ok,
        "ok": visible_after_kill == 0 and again.returncode == 0 and visible_after_retry == 100000
        and audit_ok and integrity_ok,
    }


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--gaoxin")
    p.add_argument("--rounds", type=int, default=5)
    p.add_argument("--seconds", type=float, default=6)
    p.add_argument("--workbook")
    a = p.parse_args()
    exe = drill.gaoxin_binary(a.gaoxin)
    print(f"kill -9 drill, {drill.now()}")
    w = writes_under_fire(exe, a.rounds, a.seconds)
    print(
        f"writes under fire: {w['rounds']} kills, {w['attempted']} writes attempted, "
        f"{w['acknowledged']} acknowledged, {w['lost']} lost; audit verify: {w['audit_text']}; "
        f"integrity_check: {w['integrity_text']} -> {'PASS' if w['ok'] else 'FAIL'}"
    )
    i = killed_import(exe, workbook_path(exe, a.workbook))
    print(
        f"import killed mid-way: {i['rows_written_before_kill']} rows in batches when killed, "
        f"{i['visible_after_kill']} visible; retry after 2 min exit {i['retry_exit']}, "
        f"{i['visible_after_retry']} visible; audit verify: {i['audit_text']}; "
        f"integrity ok: {i['integrity']} -> {'PASS' if i['ok'] else 'FAIL'}"
    )
    sys.exit(0 if w["ok"] and i["ok"] else 1)


if __name__ == "__main__":
    main()
