-- 账号、角色、会话、登录限速与审计日志（SQLite）。时间列为 Unix 秒（整数），审计事件另存 ISO 8601 文本。
CREATE TABLE accounts (
    id                   INTEGER PRIMARY KEY,
    username             TEXT    NOT NULL UNIQUE,
    unit_key             TEXT    NOT NULL,
    password_hash        TEXT    NOT NULL,
    password_changed_at  INTEGER NOT NULL,
    must_change_password INTEGER NOT NULL,
    disabled             INTEGER NOT NULL DEFAULT 0,
    failed_logins        INTEGER NOT NULL DEFAULT 0,
    locked_until         INTEGER,
    totp_secret          TEXT,
    totp_last_counter    INTEGER,
    created_at           INTEGER NOT NULL
);

CREATE TABLE account_roles (
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    role       TEXT    NOT NULL CHECK (role IN ('dispatcher', 'leader', 'reporter', 'reviewer',
                                                'system-admin', 'security-admin', 'audit-admin')),
    PRIMARY KEY (account_id, role)
);

-- The cookie holds a random token; the table only its SHA-256, so a copy of the database
-- opens no session.
CREATE TABLE sessions (
    token_hash         TEXT    PRIMARY KEY,
    account_id         INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    csrf_token         TEXT    NOT NULL,
    created_at         INTEGER NOT NULL,
    last_seen_at       INTEGER NOT NULL,
    second_factor_done INTEGER NOT NULL,
    ip                 TEXT    NOT NULL
);
CREATE INDEX sessions_by_account ON sessions (account_id);

CREATE TABLE login_throttle (
    ip           TEXT    PRIMARY KEY,
    window_start INTEGER NOT NULL,
    attempts     INTEGER NOT NULL
);

CREATE TABLE security_policy (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- 审计事件：只追加。id 是事件在哈希链中的位置，由 gaoxin 按顺序分配。
CREATE TABLE audit_events (
    id           INTEGER PRIMARY KEY,
    at           TEXT    NOT NULL,
    account      TEXT    NOT NULL,
    role         TEXT    NOT NULL,
    unit         TEXT    NOT NULL,
    ip           TEXT    NOT NULL,
    action       TEXT    NOT NULL,
    target       TEXT    NOT NULL,
    result       TEXT    NOT NULL,
    before_value TEXT,
    after_value  TEXT,
    seal         TEXT    NOT NULL
);
CREATE INDEX audit_events_by_account ON audit_events (account);
CREATE INDEX audit_events_by_action ON audit_events (action);

CREATE TABLE audit_head (
    singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
    last_id   INTEGER NOT NULL,
    last_seal TEXT    NOT NULL
);

CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only / 审计日志只能追加');
END;

CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN
    SELECT RAISE(ABORT, 'audit_events is append-only / 审计日志只能追加');
END;

CREATE TRIGGER audit_head_no_delete BEFORE DELETE ON audit_head
BEGIN
    SELECT RAISE(ABORT, 'audit_head cannot be deleted / 审计链头不能删除');
END;
