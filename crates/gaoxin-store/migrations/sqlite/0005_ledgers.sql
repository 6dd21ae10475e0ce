-- 台账：各台账的记录（字段按台账定义存为 JSON 数组，常用于查询的字段另存为带索引的列）、
-- 每条记录的修改记录（只能追加）、导入过的文件（同一文件不重复导入）、待确认的上传（SQLite）。

CREATE TABLE ledger_records (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    ledger      TEXT    NOT NULL,
    natural_key TEXT    NOT NULL,
    unit_key    TEXT    NOT NULL,
    name        TEXT    NOT NULL,
    kind        TEXT,
    grade       TEXT,
    on_date     TEXT,
    until_date  TEXT,
    amount      REAL,
    ref_key     TEXT,
    flagged     INTEGER NOT NULL DEFAULT 0,
    fields      TEXT    NOT NULL,
    version     INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    updated_by  TEXT    NOT NULL,
    sample      INTEGER NOT NULL DEFAULT 0,
    import_id   INTEGER,
    UNIQUE (ledger, natural_key)
);
CREATE INDEX ledger_records_by_name ON ledger_records (ledger, name, id);
CREATE INDEX ledger_records_by_unit ON ledger_records (ledger, unit_key, name, id);
CREATE INDEX ledger_records_by_kind ON ledger_records (ledger, kind, on_date);
CREATE INDEX ledger_records_by_date ON ledger_records (ledger, on_date, id);
CREATE INDEX ledger_records_by_amount ON ledger_records (ledger, amount, id);
CREATE INDEX ledger_records_by_updated ON ledger_records (ledger, updated_at, id);
CREATE INDEX ledger_records_by_ref ON ledger_records (ledger, ref_key) WHERE ref_key IS NOT NULL;

CREATE TABLE ledger_imports (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    ledger     TEXT    NOT NULL,
    file_hash  TEXT    NOT NULL,
    file_name  TEXT    NOT NULL,
    account    TEXT    NOT NULL,
    at         INTEGER NOT NULL,
    created    INTEGER NOT NULL,
    updated    INTEGER NOT NULL,
    unchanged  INTEGER NOT NULL,
    UNIQUE (ledger, file_hash)
);

CREATE TABLE ledger_events (
    id         INTEGER PRIMARY KEY,
    ledger     TEXT    NOT NULL,
    record_id  INTEGER NOT NULL,
    action     TEXT    NOT NULL CHECK (action IN ('create', 'update', 'import')),
    version    INTEGER NOT NULL,
    fields     TEXT    NOT NULL,
    import_id  INTEGER REFERENCES ledger_imports (id),
    account    TEXT    NOT NULL,
    at         INTEGER NOT NULL
);
CREATE INDEX ledger_events_by_record ON ledger_events (record_id, id);

CREATE TRIGGER ledger_events_no_update BEFORE UPDATE ON ledger_events
BEGIN
    SELECT RAISE(ABORT, 'ledger_events is append-only / 台账修改记录只能追加');
END;

CREATE TRIGGER ledger_events_no_delete BEFORE DELETE ON ledger_events
BEGIN
    SELECT RAISE(ABORT, 'ledger_events is append-only / 台账修改记录只能追加');
END;

-- 浏览器上传后、确认导入前的检查结果；确认时重新检查，一小时后作废。
CREATE TABLE ledger_uploads (
    token      TEXT    PRIMARY KEY,
    account_id INTEGER NOT NULL,
    ledger     TEXT    NOT NULL,
    file_name  TEXT    NOT NULL,
    file_hash  TEXT    NOT NULL,
    rows       TEXT    NOT NULL,
    created_at INTEGER NOT NULL
);
