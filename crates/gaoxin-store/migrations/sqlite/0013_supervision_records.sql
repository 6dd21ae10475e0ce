-- 督办：协办单位；延期申请（承办单位申请、调度办同意或不同意）、催办、领导批示。它们记入督办记录而不改变
-- 督办单的状态；待审批的延期申请（申请延至的日期）记在督办单上。SQLite 的 CHECK 约束不能修改，
-- 所以督办记录表按原样重建（记录逐行搬过去，只能追加的触发器随后重建）。
-- 延期 (asked by the unit, granted or refused by the dispatch office), 催办 and 领导批示 are
-- steps in an order's history that keep its state; a request waiting for a decision is kept on
-- the order. SQLite cannot change a CHECK constraint, so the steps table is rebuilt as it was,
-- its rows copied and its append-only triggers made again.

ALTER TABLE supervision_orders ADD COLUMN extension TEXT;
-- 协办单位：部门 id，以逗号分隔，按交办时的顺序。 The 协办单位 (department ids, comma-separated).
ALTER TABLE supervision_orders ADD COLUMN co_units TEXT NOT NULL DEFAULT '';

CREATE TABLE supervision_steps_new (
    id         INTEGER PRIMARY KEY,
    order_id   INTEGER NOT NULL REFERENCES supervision_orders (id),
    action     TEXT    NOT NULL CHECK (action IN ('open', 'assign', 'sign', 'answer', 'review',
                                                  'close', 'return', 'escalate', 'extend_request',
                                                  'extend_grant', 'extend_refuse', 'urge', 'instruct')),
    from_state TEXT,
    to_state   TEXT    NOT NULL,
    account    TEXT,
    at         INTEGER NOT NULL,
    note       TEXT    NOT NULL,
    assignee   TEXT,
    deadline   TEXT
);
INSERT INTO supervision_steps_new (id, order_id, action, from_state, to_state, account, at, note,
                                   assignee, deadline)
    SELECT id, order_id, action, from_state, to_state, account, at, note, assignee, deadline
    FROM supervision_steps ORDER BY id;
DROP TABLE supervision_steps;
ALTER TABLE supervision_steps_new RENAME TO supervision_steps;
CREATE INDEX supervision_steps_by_order ON supervision_steps (order_id, id);

CREATE TRIGGER supervision_steps_no_update BEFORE UPDATE ON supervision_steps
BEGIN
    SELECT RAISE(ABORT, 'supervision_steps is append-only / 督办记录只能追加');
END;

CREATE TRIGGER supervision_steps_no_delete BEFORE DELETE ON supervision_steps
BEGIN
    SELECT RAISE(ABORT, 'supervision_steps is append-only / 督办记录只能追加');
END;

-- 督办反馈的附件：上传后、随反馈提交前 step_id 为空，只属于上传它的账号（与进展报告附件相同）。
-- Attachments of an order's answer: until filed with the answer (step_id empty) a file is its
-- uploader's only, as report attachments are.
CREATE TABLE order_attachments (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    order_id   INTEGER NOT NULL REFERENCES supervision_orders (id),
    step_id    INTEGER REFERENCES supervision_steps (id),
    account_id INTEGER NOT NULL,
    file_name  TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    size       INTEGER NOT NULL,
    sha256     TEXT    NOT NULL,
    bytes      BLOB    NOT NULL,
    at         INTEGER NOT NULL
);
CREATE INDEX order_attachments_by_order ON order_attachments (order_id, step_id);
