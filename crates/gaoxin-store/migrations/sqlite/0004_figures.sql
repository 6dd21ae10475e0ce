-- 指标监测：各区域各期的基础数据、每一步的记录、各期的截止时间、示例数据标记（SQLite）。
-- period 为 YYYYMM 整数（202603），时间列为 Unix 秒。

-- 方案表：部门增加 source（数据来源部门），指标增加 flow（流量）和计算所用的基础数据，新增基础数据表。
-- SQLite 不能修改 CHECK 约束：先移走引用它们的子表，重建部门表和指标表，再把子表放回。
CREATE TABLE plan_task_departments_old AS SELECT * FROM plan_task_departments;
DROP TABLE plan_task_departments;
CREATE TABLE plan_targets_old AS SELECT * FROM plan_targets;
DROP TABLE plan_targets;

CREATE TABLE plan_departments_new (
    plan_version_id INTEGER NOT NULL REFERENCES plan_versions (id),
    key             TEXT    NOT NULL,
    name            TEXT    NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('lead', 'implementing', 'dispatch', 'source')),
    unit_key        TEXT,
    PRIMARY KEY (plan_version_id, key),
    FOREIGN KEY (plan_version_id, unit_key) REFERENCES plan_units (plan_version_id, key)
);
INSERT INTO plan_departments_new SELECT plan_version_id, key, name, kind, unit_key FROM plan_departments;
DROP TABLE plan_departments;
ALTER TABLE plan_departments_new RENAME TO plan_departments;

CREATE TABLE plan_figures (
    plan_version_id INTEGER NOT NULL REFERENCES plan_versions (id),
    key             TEXT    NOT NULL,
    name            TEXT    NOT NULL,
    unit            TEXT    NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('cumulative', 'level', 'rate', 'rank')),
    frequency       TEXT    NOT NULL CHECK (frequency IN ('monthly', 'quarterly', 'yearly')),
    source_key      TEXT    NOT NULL,
    PRIMARY KEY (plan_version_id, key),
    FOREIGN KEY (plan_version_id, source_key) REFERENCES plan_departments (plan_version_id, key)
);

CREATE TABLE plan_indicators_new (
    plan_version_id INTEGER NOT NULL REFERENCES plan_versions (id),
    key             TEXT    NOT NULL,
    name            TEXT    NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('rate', 'share', 'stock', 'flow', 'rank')),
    unit            TEXT    NOT NULL,
    comparator      TEXT    NOT NULL,
    basis           TEXT    NOT NULL,
    figure_key      TEXT,
    PRIMARY KEY (plan_version_id, key),
    FOREIGN KEY (plan_version_id, figure_key) REFERENCES plan_figures (plan_version_id, key)
);
INSERT INTO plan_indicators_new (plan_version_id, key, name, kind, unit, comparator, basis)
    SELECT plan_version_id, key, name, kind, unit, comparator, basis FROM plan_indicators;
DROP TABLE plan_indicators;
ALTER TABLE plan_indicators_new RENAME TO plan_indicators;

CREATE TABLE plan_targets (
    plan_version_id INTEGER NOT NULL REFERENCES plan_versions (id),
    zone_key        TEXT    NOT NULL,
    indicator_key   TEXT    NOT NULL,
    year            INTEGER NOT NULL,
    value           REAL    NOT NULL,
    quote           TEXT    NOT NULL,
    PRIMARY KEY (plan_version_id, zone_key, indicator_key, year),
    FOREIGN KEY (plan_version_id, zone_key) REFERENCES plan_units (plan_version_id, key),
    FOREIGN KEY (plan_version_id, indicator_key) REFERENCES plan_indicators (plan_version_id, key)
);
INSERT INTO plan_targets SELECT plan_version_id, zone_key, indicator_key, year, value, quote FROM plan_targets_old;
DROP TABLE plan_targets_old;

CREATE TABLE plan_task_departments (
    plan_version_id INTEGER NOT NULL,
    task_key        TEXT    NOT NULL,
    department_key  TEXT    NOT NULL,
    role            TEXT    NOT NULL CHECK (role IN ('lead', 'implementing')),
    position        INTEGER NOT NULL,
    PRIMARY KEY (plan_version_id, task_key, department_key, role),
    FOREIGN KEY (plan_version_id, task_key) REFERENCES plan_tasks (plan_version_id, key),
    FOREIGN KEY (plan_version_id, department_key) REFERENCES plan_departments (plan_version_id, key)
);
INSERT INTO plan_task_departments
    SELECT plan_version_id, task_key, department_key, role, position FROM plan_task_departments_old;
DROP TABLE plan_task_departments_old;

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
