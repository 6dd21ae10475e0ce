-- 任务调度：工作事项（任务分解：牵头、配合单位、节点、对应的分解目标）、进展报告（只能追加，
-- 同一期可多次报送，以最新一份为准）、报告附件（存在数据库中，随库备份）、已发出的报送提醒。

CREATE TABLE work_items (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id     TEXT    NOT NULL,
    title       TEXT    NOT NULL,
    lead        TEXT    NOT NULL,
    partners    TEXT    NOT NULL,
    subtarget   TEXT,
    milestones  TEXT    NOT NULL,
    version     INTEGER NOT NULL,
    created_by  TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_by  TEXT    NOT NULL,
    updated_at  INTEGER NOT NULL,
    sample      INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX work_items_by_task ON work_items (task_id, id);

CREATE TABLE progress_reports (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id       INTEGER NOT NULL REFERENCES work_items (id),
    unit          TEXT    NOT NULL,
    period        INTEGER NOT NULL,
    done          TEXT    NOT NULL,
    percent       INTEGER,
    reached       INTEGER NOT NULL,
    problems      TEXT    NOT NULL,
    help          TEXT    NOT NULL,
    behind_reason TEXT    NOT NULL,
    next_steps    TEXT    NOT NULL,
    behind        INTEGER NOT NULL,
    late          INTEGER NOT NULL,
    account       TEXT    NOT NULL,
    at            INTEGER NOT NULL,
    sample        INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX progress_reports_by_item ON progress_reports (item_id, unit, period, id);
CREATE INDEX progress_reports_by_period ON progress_reports (period, item_id);

-- 上传后、随报告提交前 report_id 为空，只属于上传它的账号。
CREATE TABLE report_attachments (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    item_id    INTEGER NOT NULL REFERENCES work_items (id),
    report_id  INTEGER REFERENCES progress_reports (id),
    account_id INTEGER NOT NULL,
    file_name  TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    size       INTEGER NOT NULL,
    sha256     TEXT    NOT NULL,
    bytes      BLOB   NOT NULL,
    at         INTEGER NOT NULL
);
CREATE INDEX report_attachments_by_report ON report_attachments (report_id);

-- 报送提醒：同一事项、同一单位、同一期、同一种提醒只发一次。
CREATE TABLE report_notices (
    item_id INTEGER NOT NULL REFERENCES work_items (id),
    unit    TEXT    NOT NULL,
    period  INTEGER NOT NULL,
    notice  TEXT    NOT NULL,
    at      INTEGER NOT NULL,
    PRIMARY KEY (item_id, unit, period, notice)
);

CREATE TRIGGER progress_reports_no_update BEFORE UPDATE ON progress_reports
BEGIN
    SELECT RAISE(ABORT, 'progress_reports is append-only / 进展报告只能追加');
END;

CREATE TRIGGER progress_reports_no_delete BEFORE DELETE ON progress_reports
BEGIN
    SELECT RAISE(ABORT, 'progress_reports is append-only / 进展报告只能追加');
END;
