-- 指标监测：各区域各期的基础数据、每一步的记录、各期的截止时间、示例数据标记（PostgreSQL）。
-- period 为 YYYYMM 整数（202603），时间列为 Unix 秒。

-- 方案表：部门增加 source（数据来源部门），指标增加 flow（流量）和计算所用的基础数据，新增基础数据表。
ALTER TABLE plan_departments DROP CONSTRAINT plan_departments_kind_check;
ALTER TABLE plan_departments ADD CONSTRAINT plan_departments_kind_check
    CHECK (kind IN ('lead', 'implementing', 'dispatch', 'source'));

CREATE TABLE plan_figures (
    plan_version_id BIGINT NOT NULL REFERENCES plan_versions (id),
    key             TEXT   NOT NULL,
    name            TEXT   NOT NULL,
    unit            TEXT   NOT NULL,
    kind            TEXT   NOT NULL CHECK (kind IN ('cumulative', 'level', 'rate', 'rank')),
    frequency       TEXT   NOT NULL CHECK (frequency IN ('monthly', 'quarterly', 'yearly')),
    source_key      TEXT   NOT NULL,
    PRIMARY KEY (plan_version_id, key),
    FOREIGN KEY (plan_version_id, source_key) REFERENCES plan_departments (plan_version_id, key)
);

ALTER TABLE plan_indicators DROP CONSTRAINT plan_indicators_kind_check;
ALTER TABLE plan_indicators ADD CONSTRAINT plan_indicators_kind_check
    CHECK (kind IN ('rate', 'share', 'stock', 'flow', 'rank'));
ALTER TABLE plan_indicators ADD COLUMN figure_key TEXT;
ALTER TABLE plan_indicators ADD CONSTRAINT plan_indicators_figure_fk
    FOREIGN KEY (plan_version_id, figure_key) REFERENCES plan_figures (plan_version_id, key);

CREATE TABLE figure_values (
    unit_key    TEXT             NOT NULL,
    figure      TEXT             NOT NULL,
    period      BIGINT           NOT NULL,
    value       DOUBLE PRECISION NOT NULL,
    state       TEXT             NOT NULL CHECK (state IN ('draft', 'submitted', 'reviewed', 'confirmed', 'returned')),
    revised     BIGINT           NOT NULL DEFAULT 0,
    explanation TEXT             NOT NULL DEFAULT '',
    note        TEXT             NOT NULL DEFAULT '',
    sample      BIGINT           NOT NULL DEFAULT 0,
    version     BIGINT           NOT NULL,
    updated_by  TEXT             NOT NULL,
    updated_at  BIGINT           NOT NULL,
    PRIMARY KEY (unit_key, figure, period)
);
CREATE INDEX figure_values_by_period ON figure_values (period);
CREATE INDEX figure_values_by_unit_period ON figure_values (unit_key, period);

-- 每一次填报、提交、审核、退回、确认、导入：谁、何时、旧值 → 新值、原因。只追加。
CREATE TABLE figure_events (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unit_key   TEXT             NOT NULL,
    figure     TEXT             NOT NULL,
    period     BIGINT           NOT NULL,
    step       TEXT             NOT NULL,
    from_state TEXT,
    to_state   TEXT             NOT NULL,
    old_value  DOUBLE PRECISION,
    new_value  DOUBLE PRECISION NOT NULL,
    reason     TEXT             NOT NULL DEFAULT '',
    account    TEXT             NOT NULL,
    at         BIGINT           NOT NULL
);
CREATE INDEX figure_events_by_value ON figure_events (unit_key, figure, period);

CREATE FUNCTION gaoxin_figure_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'figure_events is append-only / 数据修改记录只能追加';
END
$$;

CREATE TRIGGER figure_events_no_change BEFORE UPDATE OR DELETE ON figure_events
    FOR EACH ROW EXECUTE FUNCTION gaoxin_figure_events_append_only();
CREATE TRIGGER figure_events_no_truncate BEFORE TRUNCATE ON figure_events
    FOR EACH STATEMENT EXECUTE FUNCTION gaoxin_figure_events_append_only();

-- 调度员为某一期设定的截止时间（重新开放即设一个新的截止时间）；没有记录的期按方案的默认截止日。
CREATE TABLE figure_periods (
    period   BIGINT PRIMARY KEY,
    deadline BIGINT NOT NULL,
    set_by   TEXT   NOT NULL,
    set_at   BIGINT NOT NULL
);

-- 载入过示例数据的种类：有记录时每个页面和导出都标明“示例数据”。
CREATE TABLE sample_data (
    kind      TEXT   PRIMARY KEY,
    loaded_at BIGINT NOT NULL
);
