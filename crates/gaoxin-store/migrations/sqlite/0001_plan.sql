-- 方案版本与方案内容（SQLite）。每次加载一个内容不同的方案文件，新增一个版本，旧版本保留。
CREATE TABLE plan_versions (
    id              INTEGER PRIMARY KEY,
    plan_key        TEXT    NOT NULL,
    version_no      INTEGER NOT NULL,
    title           TEXT    NOT NULL,
    edition         TEXT    NOT NULL,
    period_start    INTEGER NOT NULL,
    period_end      INTEGER NOT NULL,
    content_sha256  TEXT    NOT NULL,
    source_name     TEXT    NOT NULL,
    source          TEXT    NOT NULL,
    loaded_at       TEXT    NOT NULL,
    UNIQUE (plan_key, version_no),
    UNIQUE (plan_key, content_sha256)
);

CREATE TABLE plan_units (
    plan_version_id INTEGER NOT NULL REFERENCES plan_versions (id),
    key             TEXT    NOT NULL,
    name            TEXT    NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('city', 'county', 'zone')),
    parent_key      TEXT,
    share_base_key  TEXT,
    PRIMARY KEY (plan_version_id, key),
    FOREIGN KEY (plan_version_id, parent_key) REFERENCES plan_units (plan_version_id, key),
    FOREIGN KEY (plan_version_id, share_base_key) REFERENCES plan_units (plan_version_id, key)
);

CREATE TABLE plan_departments (
    plan_version_id INTEGER NOT NULL REFERENCES plan_versions (id),
    key             TEXT    NOT NULL,
    name            TEXT    NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('lead', 'implementing', 'dispatch')),
    unit_key        TEXT,
    PRIMARY KEY (plan_version_id, key),
    FOREIGN KEY (plan_version_id, unit_key) REFERENCES plan_units (plan_version_id, key)
);

CREATE TABLE plan_indicators (
    plan_version_id INTEGER NOT NULL REFERENCES plan_versions (id),
    key             TEXT    NOT NULL,
    name            TEXT    NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('rate', 'share', 'stock', 'rank')),
    unit            TEXT    NOT NULL,
    comparator      TEXT    NOT NULL,
    basis           TEXT    NOT NULL,
    PRIMARY KEY (plan_version_id, key)
);

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

CREATE TABLE plan_tasks (
    plan_version_id INTEGER NOT NULL REFERENCES plan_versions (id),
    key             TEXT    NOT NULL,
    group_key       TEXT    NOT NULL,
    group_title     TEXT    NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('key', 'safeguard')),
    no              INTEGER NOT NULL,
    title           TEXT    NOT NULL,
    lead_and_others INTEGER NOT NULL,
    quote           TEXT    NOT NULL,
    PRIMARY KEY (plan_version_id, key)
);

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

CREATE TABLE plan_subtargets (
    plan_version_id INTEGER NOT NULL,
    key             TEXT    NOT NULL,
    task_key        TEXT    NOT NULL,
    name            TEXT    NOT NULL,
    scope           TEXT    NOT NULL CHECK (scope IN ('all_zones', 'each_zone')),
    cadence         TEXT    NOT NULL CHECK (cadence IN ('once', 'yearly', 'standing')),
    year            INTEGER,
    comparator      TEXT    NOT NULL,
    value           REAL    NOT NULL,
    max_value       REAL,
    unit            TEXT    NOT NULL,
    quote           TEXT    NOT NULL,
    PRIMARY KEY (plan_version_id, key),
    FOREIGN KEY (plan_version_id, task_key) REFERENCES plan_tasks (plan_version_id, key)
);
