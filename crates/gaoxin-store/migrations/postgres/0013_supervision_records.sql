-- 督办：协办单位；延期申请（承办单位申请、调度办同意或不同意）、催办、领导批示。它们记入督办记录而不改变
-- 督办单的状态；待审批的延期申请（申请延至的日期）记在督办单上。
-- 延期 (asked by the unit, granted or refused by the dispatch office), 催办 and 领导批示 are
-- steps in an order's history that keep its state; a request waiting for a decision is kept on
-- the order.

ALTER TABLE supervision_orders ADD COLUMN extension TEXT;
-- 协办单位：部门 id，以逗号分隔，按交办时的顺序。 The 协办单位 (department ids, comma-separated).
ALTER TABLE supervision_orders ADD COLUMN co_units TEXT NOT NULL DEFAULT '';

ALTER TABLE supervision_steps DROP CONSTRAINT supervision_steps_action_check;
ALTER TABLE supervision_steps ADD CONSTRAINT supervision_steps_action_check
    CHECK (action IN ('open', 'assign', 'sign', 'answer', 'review',
                      'close', 'return', 'escalate', 'extend_request',
                      'extend_grant', 'extend_refuse', 'urge', 'instruct'));

-- 督办反馈的附件：上传后、随反馈提交前 step_id 为空，只属于上传它的账号（与进展报告附件相同）。
-- Attachments of an order's answer: until filed with the answer (step_id empty) a file is its
-- uploader's only, as report attachments are.
CREATE TABLE order_attachments (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id   BIGINT  NOT NULL REFERENCES supervision_orders (id),
    step_id    BIGINT  REFERENCES supervision_steps (id),
    account_id BIGINT  NOT NULL,
    file_name  TEXT    NOT NULL,
    kind       TEXT    NOT NULL,
    size       BIGINT  NOT NULL,
    sha256     TEXT    NOT NULL,
    bytes      BYTEA   NOT NULL,
    at         BIGINT  NOT NULL
);
CREATE INDEX order_attachments_by_order ON order_attachments (order_id, step_id);
