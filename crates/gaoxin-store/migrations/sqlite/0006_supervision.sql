-- 督办：督办单、每一步的记录（只能追加）、系统已发出的提醒（每单每种每个期限一次）、
-- 每个账号的站内消息（SQLite）。

CREATE TABLE supervision_orders (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
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
    answered_at  INTEGER,
    version      INTEGER NOT NULL,
    opened_by    TEXT    NOT NULL,
    opened_at    INTEGER NOT NULL,
    updated_at   INTEGER NOT NULL,
    updated_by   TEXT    NOT NULL,
    closed_at    INTEGER,
    sample       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX supervision_orders_by_state ON supervision_orders (state, deadline, id);
CREATE INDEX supervision_orders_by_assignee ON supervision_orders (assignee, state, id);

CREATE TABLE supervision_steps (
    id         INTEGER PRIMARY KEY,
    order_id   INTEGER NOT NULL REFERENCES supervision_orders (id),
    action     TEXT    NOT NULL CHECK (action IN ('open', 'assign', 'sign', 'answer', 'review',
                                                  'close', 'return', 'escalate')),
    from_state TEXT,
    to_state   TEXT    NOT NULL,
    account    TEXT,
    at         INTEGER NOT NULL,
    note       TEXT    NOT NULL,
    assignee   TEXT,
    deadline   TEXT
);
CREATE INDEX supervision_steps_by_order ON supervision_steps (order_id, id);

CREATE TRIGGER supervision_steps_no_update BEFORE UPDATE ON supervision_steps
BEGIN
    SELECT RAISE(ABORT, 'supervision_steps is append-only / 督办记录只能追加');
END;

CREATE TRIGGER supervision_steps_no_delete BEFORE DELETE ON supervision_steps
BEGIN
    SELECT RAISE(ABORT, 'supervision_steps is append-only / 督办记录只能追加');
END;

-- 临期提醒、逾期提级各发一次：同一督办单、同一种提醒、同一个办理期限只记一行。
CREATE TABLE supervision_notices (
    order_id INTEGER NOT NULL REFERENCES supervision_orders (id),
    notice   TEXT    NOT NULL,
    deadline TEXT    NOT NULL,
    at       INTEGER NOT NULL,
    PRIMARY KEY (order_id, notice, deadline)
);

CREATE TABLE inbox_messages (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    at         INTEGER NOT NULL,
    notice     TEXT    NOT NULL,
    title      TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    link       TEXT    NOT NULL,
    read_at    INTEGER
);
CREATE INDEX inbox_messages_by_account ON inbox_messages (account_id, id);
