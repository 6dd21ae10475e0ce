"""The Python peer of `gaoxin bench-ledgers`: the same enterprise-ledger import, done the way a
competent Python developer would with pandas + openpyxl into SQLite.

It does the work gaoxin's import does: read the first worksheet, find the columns by heading,
skip blank and example rows, check every row (required fields, the credit code's check digit, the
unit, the industry code, the amount with thousands separators and 万元/亿元, the yes/no flag),
then write every record and its history row in one transaction, all or nothing.

    python3 bench/peer_import.py WORKBOOK.xlsx OUT.db

Prints `rows=N` and `peak_memory_kb=N` (the process's peak resident memory).
"""

import json
import resource
import sqlite3
import sys
import time

import pandas as pd

USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
UNITS = {"石家庄市": "sjz", "石家庄高新区": "sjz-hz", "正定县": "zd", "正定高新区": "zd-hz"}
INDUSTRIES = {"生物医药", "电子信息", "高端装备制造", "化工新材料", "数字经济", "其他"}
COLUMNS = [
    ("uscc", "统一社会信用代码", True),
    ("name", "企业名称", True),
    ("unit", "所在区域", True),
    ("industry", "所属产业", True),
    ("rd_spending", "上年研发费用（万元）", False),
    ("rd_reserve", "建立研发准备金制度", False),
    ("contact", "联系人", False),
    ("phone", "联系电话", False),
    ("remark", "备注", False),
]
FULL_WIDTH = {chr(0xFF10 + i): str(i) for i in range(10)}


def text(v):
    if v is None or (isinstance(v, float) and v != v):
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def uscc_ok(code):
    if len(code) != 18 or any(c not in USCC_CHARS for c in code):
        return False
    total = sum(USCC_CHARS.index(c) * w for c, w in zip(code[:17], WEIGHTS))
    return USCC_CHARS[(31 - total % 31) % 31] == code[17]


def amount(v):
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return round(float(v), 4)
    s = "".join(FULL_WIDTH.get(c, c) for c in text(v)).replace(",", "").replace("，", "")
    scale = 1.0
    if s.endswith("亿元") or s.endswith("亿"):
        s, scale = s.rstrip("元").rstrip("亿"), 10000.0
    elif s.endswith("万元") or s.endswith("万"):
        s = s.rstrip("元").rstrip("万")
    n = float(s)
    if n < 0:
        raise ValueError("negative")
    return round(n * scale, 4)


def main():
    workbook, out = sys.argv[1], sys.argv[2]
    started = time.time()
    frame = pd.read_excel(workbook, sheet_name=0, dtype=object, engine="openpyxl")
    headings = {str(h).rstrip("*").strip(): h for h in frame.columns}
    missing = [zh for _, zh, required in COLUMNS if required and zh not in headings]
    if missing:
        sys.exit(f"missing columns: {missing}")
    rows, errors = [], []
    for i, row in enumerate(frame.itertuples(index=False, name=None)):
        line = i + 2
        cells = dict(zip(frame.columns, row))
        values = {key: cells.get(headings.get(zh)) for key, zh, _ in COLUMNS}
        if all(text(v) == "" for v in values.values()):
            continue
        if text(cells.get("示例行")) == "示例":
            continue
        record = {}
        for key, zh, required in COLUMNS:
            v = text(values[key])
            if required and not v:
                errors.append((line, zh, "required"))
            record[key] = v
        code = "".join(FULL_WIDTH.get(c, c) for c in record["uscc"]).upper().replace(" ", "")
        if not uscc_ok(code):
            errors.append((line, "统一社会信用代码", "check digit"))
        record["uscc"] = code
        if record["unit"] not in UNITS:
            errors.append((line, "所在区域", "unit"))
        else:
            record["unit"] = UNITS[record["unit"]]
        if record["industry"] not in INDUSTRIES:
            errors.append((line, "所属产业", "industry"))
        if record["rd_spending"]:
            try:
                a = amount(values["rd_spending"])
                record["rd_spending"] = str(int(a)) if a.is_integer() else str(a)
            except ValueError:
                errors.append((line, "上年研发费用（万元）", "amount"))
        if record["rd_reserve"]:
            flag = {"是": "是", "有": "是", "否": "否", "无": "否"}.get(record["rd_reserve"])
            if flag is None:
                errors.append((line, "建立研发准备金制度", "flag"))
            record["rd_reserve"] = flag or ""
        rows.append((line, record))
    if errors:
        for e in errors[:20]:
            print(*e, file=sys.stderr)
        sys.exit(f"{len(errors)} errors; nothing imported")
    db = sqlite3.connect(out)
    db.execute("PRAGMA journal_mode = WAL")
    db.execute("PRAGMA synchronous = FULL")
    db.execute("PRAGMA cache_size = -32768")
    # The same tables and indexes as gaoxin's (crates/gaoxin-store/migrations/sqlite/0005_ledgers.sql),
    # so both do the same database work.
    db.executescript(
        """
        CREATE TABLE IF NOT EXISTS ledger_records (
            id INTEGER PRIMARY KEY AUTOINCREMENT, ledger TEXT NOT NULL, natural_key TEXT NOT NULL,
            unit_key TEXT NOT NULL, name TEXT NOT NULL, kind TEXT, grade TEXT, on_date TEXT,
            until_date TEXT, amount REAL, ref_key TEXT, flagged INTEGER NOT NULL DEFAULT 0,
            fields TEXT NOT NULL, version INTEGER NOT NULL, created_at INTEGER NOT NULL,
            updated_at INTEGER NOT NULL, updated_by TEXT NOT NULL, sample INTEGER NOT NULL DEFAULT 0,
            import_id INTEGER, UNIQUE (ledger, natural_key));
        CREATE INDEX IF NOT EXISTS by_name ON ledger_records (ledger, name, id);
        CREATE INDEX IF NOT EXISTS by_unit ON ledger_records (ledger, unit_key, name, id);
        CREATE INDEX IF NOT EXISTS by_kind ON ledger_records (ledger, kind, on_date);
        CREATE INDEX IF NOT EXISTS by_date ON ledger_records (ledger, on_date, id);
        CREATE INDEX IF NOT EXISTS by_amount ON ledger_records (ledger, amount, id);
        CREATE INDEX IF NOT EXISTS by_updated ON ledger_records (ledger, updated_at, id);
        CREATE INDEX IF NOT EXISTS by_ref ON ledger_records (ledger, ref_key) WHERE ref_key IS NOT NULL;
        CREATE TABLE IF NOT EXISTS ledger_events (
            id INTEGER PRIMARY KEY, ledger TEXT NOT NULL, record_id INTEGER NOT NULL,
            action TEXT NOT NULL, version INTEGER NOT NULL, fields TEXT NOT NULL,
            import_id INTEGER, account TEXT NOT NULL, at INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS events_by_record ON ledger_events (record_id, id);
        """
    )
    now = int(time.time())
    with db:
        db.executemany(
            "INSERT INTO ledger_records (ledger, natural_key, unit_key, name, kind, amount, fields, "
            "version, created_at, updated_at, updated_by, import_id) VALUES "
            "('enterprises', ?, ?, ?, ?, ?, ?, 1, ?, ?, 'peer', 1)",
            (
                (
                    r["uscc"],
                    r["unit"],
                    r["name"],
                    r["industry"],
                    float(r["rd_spending"]) if r["rd_spending"] else None,
                    json.dumps([r[k] for k, _, _ in COLUMNS], ensure_ascii=False),
                    now,
                    now,
                )
                for _, r in rows
            ),
        )
        db.execute(
            "INSERT INTO ledger_events (ledger, record_id, action, version, fields, import_id, account, at) "
            "SELECT ledger, id, 'import', version, fields, import_id, 'peer', ? FROM ledger_records "
            "WHERE import_id = 1",
            (now,),
        )
    db.close()
    print(f"rows={len(rows)}")
    print(f"seconds={time.time() - started:.2f}")
    print(f"peak_memory_kb={resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}")


if __name__ == "__main__":
    main()
