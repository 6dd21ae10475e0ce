-- 方案版本与方案内容（PostgreSQL）。每次加载一个内容不同的方案文件，新增一个版本，旧版本保留。
CREATE TABLE plan_versions (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    plan_key        TEXT    NOT NULL,
    version_no      BIGINT NOT NULL,
    title           TEXT    NOT NULL,
    edition         TEXT    NOT NULL,
    period_start    BIGINT NOT NULL,
    period_end      BIGINT NOT NULL,
    content_sha256  TEXT    NOT NULL,
    source_name     TEXT    NOT NULL,
    source          TEXT    NOT NULL,
    loaded_at       TEXT    NOT NULL,
    UNIQUE (plan_key, version_no),
    UNIQUE (plan_key, content_sha256)
);

CREATE TABLE plan_units (
    plan_version_id BIGINT NOT NULL REFERENCES plan_versions (id),
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
    plan_version_id BIGINT NOT NULL REFERENCES plan_versions (id),
    key             TEXT    NOT NULL,
    name            TEXT    NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('lead', 'implementing', 'dispatch')),
    unit_key        TEXT,
    PRIMARY KEY (plan_version_id, key),
    FOREIGN KEY (plan_version_id, unit_key) REFERENCES plan_units (plan_version_id, key)
);

CREATE TABLE plan_indicators (
    plan_version_id BIGINT NOT NULL REFERENCES plan_versions (id),
    key             TEXT    NOT NULL,
    name            TEXT    NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('rate', 'share', 'stock', 'rank')),
    unit            TEXT    NOT NULL,
    comparator      TEXT    NOT NULL,
    basis           TEXT    NOT NULL,
    PRIMARY KEY (plan_version_id, key)
);

CREATE TABLE plan_targets (
    plan_version_id BIGINT NOT NULL REFERENCES plan_versions (id),
    zone_key        TEXT    NOT NULL,
    indicator_key   TEXT    NOT NULL,
    year            BIGINT NOT NULL,
    value           DOUBLE PRECISION    NOT NULL,
    quote           TEXT    NOT NULL,
    PRIMARY KEY (plan_version_id, zone_key, indicator_key, year),
    FOREIGN KEY (plan_version_id, zone_key) REFERENCES plan_units (plan_version_id, key),
    FOREIGN KEY (plan_version_id, indicator_key) REFERENCES plan_indicators (plan_version_id, key)
);

CREATE TABLE plan_tasks (
    plan_version_id BIGINT NOT NULL REFERENCES plan_versions (id),
    key             TEXT    NOT NULL,
    group_key       TEXT    NOT NULL,
    group_title     TEXT    NOT NULL,
    kind            TEXT    NOT NULL CHECK (kind IN ('key', 'safeguard')),
    no              BIGINT NOT NULL,
    title           TEXT    NOT NULL,
    lead_and_others BIGINT NOT NULL,
    quote           TEXT    NOT NULL,
    PRIMARY KEY (plan_version_id, key)
);

CREATE TABLE plan_task_departments (
    plan_version_id BIGINT NOT NULL,
    task_key        TEXT    NOT NULL,
    department_key  TEXT    NOT NULL,
    role            TEXT    NOT NULL CHECK (role IN ('lead', 'implementing')),
    position        BIGINT NOT NULL,
    PRIMARY KEY (plan_version_id, task_key, department_key, role),
    FOREIGN KEY (plan_version_id, task_key) REFERENCES plan_tasks (plan_version_id, key),
    FOREIGN KEY (plan_version_id, department_key) REFERENCES plan_departments (plan_version_id, key)
);

CREATE TABLE plan_subtargets (
    plan_version_id BIGINT NOT NULL,
    key             TEXT    NOT NULL,
    task_key        TEXT    NOT NULL,
    name            TEXT    NOT NULL,
    scope           TEXT    NOT NULL CHECK (scope IN ('all_zones', 'each_zone')),
    cadence         TEXT    NOT NULL CHECK (cadence IN ('once', 'yearly', 'standing')),
    year            BIGINT,
    comparator      TEXT    NOT NULL,
    value           DOUBLE PRECISION    NOT NULL,
    max_value       DOUBLE PRECISION,
    unit            TEXT    NOT NULL,
    quote           TEXT    NOT NULL,
    PRIMARY KEY (plan_version_id, key),
    FOREIGN KEY (plan_version_id, task_key) REFERENCES plan_tasks (plan_version_id, key)
);
