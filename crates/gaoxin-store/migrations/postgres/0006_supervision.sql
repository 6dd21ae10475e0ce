-- 督办：督办单、每一步的记录（只能追加）、系统已发出的提醒（每单每种每个期限一次）、
-- 每个账号的站内消息（PostgreSQL）。

CREATE TABLE supervision_orders (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title        TEXT    NOT NULL,
    subject      TEXT    NOT NULL CHECK (subject IN ('task', 'indicator', 'matter')),
    task_id      TEXT,
    zone         TEXT,
    indicator    TEXT,
    basis        TEXT    NOT NULL,
    state        TEXT    NOT NULL CHECK (state IN ('opened', 'assigned', 'signed', 'answered',
                                                   'reviewed', 'closed')),
    assignee     TEXT,
    deadline     TEXT,
    requirements TEXT,
    answered_at  BIGINT,
    version      BIGINT  NOT NULL,
    opened_by    TEXT    NOT NULL,
    opened_at    BIGINT  NOT NULL,
    updated_at   BIGINT  NOT NULL,
    updated_by   TEXT    NOT NULL,
    closed_at    BIGINT,
    sample       BIGINT  NOT NULL DEFAULT 0
);
CREATE INDEX supervision_orders_by_state ON supervision_orders (state, deadline, id);
CREATE INDEX supervision_orders_by_assignee ON supervision_orders (assignee, state, id);

CREATE TABLE supervision_steps (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    order_id   BIGINT  NOT NULL REFERENCES supervision_orders (id),
    action     TEXT    NOT NULL CHECK (action IN ('open', 'assign', 'sign', 'answer', 'review',
                                                  'close', 'return', 'escalate')),
    from_state TEXT,
    to_state   TEXT    NOT NULL,
    account    TEXT,
    at         BIGINT  NOT NULL,
    note       TEXT    NOT NULL,
    assignee   TEXT,
    deadline   TEXT
);
CREATE INDEX supervision_steps_by_order ON supervision_steps (order_id, id);

CREATE FUNCTION gaoxin_supervision_steps_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'supervision_steps is append-only / 督办记录只能追加';
END
$$;

CREATE TRIGGER supervision_steps_no_change BEFORE UPDATE OR DELETE ON supervision_steps
    FOR EACH ROW EXECUTE FUNCTION gaoxin_supervision_steps_append_only();
CREATE TRIGGER supervision_steps_no_truncate BEFORE TRUNCATE ON supervision_steps
    FOR EACH STATEMENT EXECUTE FUNCTION gaoxin_supervision_steps_append_only();

-- 临期提醒、逾期提级各发一次：同一督办单、同一种提醒、同一个办理期限只记一行。
CREATE TABLE supervision_notices (
    order_id BIGINT  NOT NULL REFERENCES supervision_orders (id),
    notice   TEXT    NOT NULL,
    deadline TEXT    NOT NULL,
    at       BIGINT  NOT NULL,
    PRIMARY KEY (order_id, notice, deadline)
);

CREATE TABLE inbox_messages (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id BIGINT  NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    at         BIGINT  NOT NULL,
    notice     TEXT    NOT NULL,
    title      TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    link       TEXT    NOT NULL,
    read_at    BIGINT
);
CREATE INDEX inbox_messages_by_account ON inbox_messages (account_id, id);
