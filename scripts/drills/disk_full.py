#!/usr/bin/env python3
"""Disk-full drill (needs root, to mount a small file system): writes refused clearly while the
disk is full, and back by themselves when space returns — no restart.

  sudo python3 scripts/drills/disk_full.py [--gaoxin PATH] [--size-mb 48]

A tmpfs of `--size-mb` is mounted and the database put on it; a server and a writer opening
督办单. The disk is then filled with a file; every write must fail with 503 and a message that
says the disk is full (never a 500), and `/healthz` must answer 503 `database cannot write`.
The file is removed: within a few seconds writes must succeed again and `/healthz` answer 200,
with the same server process. Finally every acknowledged order is there, the audit chain and
the database's integrity check pass. Prints the results for docs/operations.md; exits 1 if any
check fails.
"""

import argparse
import os
import subprocess
import sys
import time

import drill


def fill(path):
    """Writes zeros to `path` until the file system is full."""
    with open(path, "wb") as f:
        block = b"\0" * (1 << 20)
        try:
            while True:
                f.write(block)
                f.flush()
                os.fsync(f.fileno())
        except OSError:
            pass


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--gaoxin")
    p.add_argument("--size-mb", type=int, default=48)
    a = p.parse_args()
    if os.geteuid() != 0:
        sys.exit("needs root (mounts a tmpfs)")
    exe = drill.gaoxin_binary(a.gaoxin)
    mount = drill.temp_folder("gaoxin-full-")
    subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={a.size_mb}m", "tmpfs", mount], check=True)
    server = None
    try:
        folder = os.path.join(mount, "data")
        os.makedirs(folder)
        server = drill.Server(exe, folder)
        server.add_writer()
        server.start()
        c = drill.Client(server.base)
        acknowledged = {}
        for n in range(20):
            oid, _ = c.open_order(f"disk-full before {n}")
            if oid:
                acknowledged[oid] = f"disk-full before {n}"
        filler = os.path.join(mount, "filler")
        fill(filler)
        statuses, full_said, internal = [], 0, 0
        for n in range(30):
            oid, status = c.open_order(f"disk-full during {n}")
            statuses.append(status)
            if oid:
                acknowledged[oid] = f"disk-full during {n}"
            else:
                _, body, _ = c.form("/supervision/new", {"title": "probe", "subject": "matter"})
                full_said += "磁盘已满" in body
                internal += status == 500
        time.sleep(6)  # the health check is tried anew at most every 5 s
        health_full = c.request("GET", "/healthz")
        os.remove(filler)
        recovered_after = None
        t0 = time.time()
        for n in range(60):
            oid, status = c.open_order(f"disk-full after {n}")
            if oid:
                acknowledged[oid] = f"disk-full after {n}"
                recovered_after = time.time() - t0
                break
            time.sleep(0.5)
        after = [c.open_order(f"disk-full after more {n}") for n in range(20)]
        for n, (oid, _) in enumerate(after):
            if oid:
                acknowledged[oid] = f"disk-full after more {n}"
        time.sleep(6)
        health_back = c.request("GET", "/healthz")
        lost = [
            oid for oid, title in acknowledged.items()
            if title not in c.request("GET", f"/supervision/{oid}")[1]
        ]
        server.stop()
        audit_ok, audit = drill.check_audit(server)
        integrity_ok, integrity = drill.check_integrity(server.db)
        refused = sum(1 for s in statuses if s != 303)
        ok = (
            refused > 0 and internal == 0 and full_said > 0
            and health_full[0] == 503 and recovered_after is not None
            and all(oid for oid, _ in after) and health_back[0] == 200
            and not lost and audit_ok and integrity_ok
        )
        print(f"disk-full drill, {drill.now()}, tmpfs {a.size_mb} MB")
        print(
            f"while full: {refused} of {len(statuses)} writes refused ({full_said} said the disk is "
            f"full, {internal} answered 500); /healthz {health_full[0]} {health_full[1]!r}"
        )
        print(
            f"space back: first write succeeded after {recovered_after:.1f} s"
            if recovered_after is not None else "space back: writes did NOT recover"
        )
        print(
            f"then {sum(1 for oid, _ in after if oid)} of {len(after)} writes succeeded; "
            f"/healthz {health_back[0]} {health_back[1]!r}; same server process, no restart"
        )
        print(
            f"acknowledged {len(acknowledged)}, lost {len(lost)}; audit verify: {audit}; "
            f"integrity_check: {integrity} -> {'PASS' if ok else 'FAIL'}"
        )
        sys.exit(0 if ok else 1)
    finally:
        if server:
            server.stop()
        subprocess.run(["umount", mount])
        os.rmdir(mount)


if __name__ == "__main__":
    main()
