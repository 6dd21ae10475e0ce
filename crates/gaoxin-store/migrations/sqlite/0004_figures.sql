-- 指标监测：各区域各期的基础数据、每一步的记录、各期的截止时间、示例数据标记（SQLite）。
-- period 为 YYYYMM 整数（202603），时间列为 Unix 秒。
CREATE TABLE figure_values (
    unit_key    TEXT    NOT NULL,
    figure      TEXT    NOT NULL,
    period      INTEGER NOT NULL,
    value       REAL    NOT NULL,
    state       TEXT    NOT NULL CHECK (state IN ('draft', 'submitted', 'reviewed', 'confirmed', 'returned')),
    revised     INTEGER NOT NULL DEFAULT 0,
    explanation TEXT    NOT NULL DEFAULT '',
    note        TEXT    NOT NULL DEFAULT '',
    sample      INTEGER NOT NULL DEFAULT 0,
    version     INTEGER NOT NULL,
    updated_by  TEXT    NOT NULL,
    updated_at  INTEGER NOT NULL,
    PRIMARY KEY (unit_key, figure, period)
);
CREATE INDEX figure_values_by_period ON figure_values (period);
CREATE INDEX figure_values_by_unit_period ON figure_values (unit_key, period);

-- 每一次填报、提交、审核、退回、确认、导入：谁、何时、旧值 → 新值、原因。只追加。
CREATE TABLE figure_events (
    id         INTEGER PRIMARY KEY,
    unit_key   TEXT    NOT NULL,
    figure     TEXT    NOT NULL,
    period     INTEGER NOT NULL,
    step       TEXT    NOT NULL,
    from_state TEXT,
    to_state   TEXT    NOT NULL,
    old_value  REAL,
    new_value  REAL    NOT NULL,
    reason     TEXT    NOT NULL DEFAULT '',
    account    TEXT    NOT NULL,
    at         INTEGER NOT NULL
);
CREATE INDEX figure_events_by_value ON figure_events (unit_key, figure, period);

CREATE TRIGGER figure_events_no_update BEFORE UPDATE ON figure_events
BEGIN
    SELECT RAISE(ABORT, 'figure_events is append-only / 数据修改记录只能追加');
END;

CREATE TRIGGER figure_events_no_delete BEFORE DELETE ON figure_events
BEGIN
    SELECT RAISE(ABORT, 'figure_events is append-only / 数据修改记录只能追加');
END;

-- 调度员为某一期设定的截止时间（重新开放即设一个新的截止时间）；没有记录的期按方案的默认截止日。
CREATE TABLE figure_periods (
    period   INTEGER PRIMARY KEY,
    deadline INTEGER NOT NULL,
    set_by   TEXT    NOT NULL,
    set_at   INTEGER NOT NULL
);

-- 载入过示例数据的种类：有记录时每个页面和导出都标明“示例数据”。
CREATE TABLE sample_data (
    kind      TEXT    PRIMARY KEY,
    loaded_at INTEGER NOT NULL
);
