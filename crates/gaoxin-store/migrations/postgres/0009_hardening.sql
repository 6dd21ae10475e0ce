-- 加固（PostgreSQL）：健康检查的写入探针。
-- The row /healthz updates to learn whether the database still takes writes.
CREATE TABLE health_probe (
    singleton  BIGINT PRIMARY KEY CHECK (singleton = 1),
    checked_at BIGINT NOT NULL
);
INSERT INTO health_probe (singleton, checked_at) VALUES (1, 0);

-- 登录失败计数：按（用户名, 来源地址）、按用户名合计（ip = '*'）、按来源地址合计（username = '*'）。
-- Failed sign-ins, counted per (user name as typed, address), per user name from every address
-- (ip '*') and per address for every name (username '*'). A password check is first reserved
-- here (pending), so concurrent attempts cannot exceed a limit; a reservation a crashed request
-- never settled stops counting after a minute. Unknown names are counted alike, so they get the
-- same answers as real ones. Replaces login_throttle.
CREATE TABLE login_attempts (
    username     TEXT   NOT NULL,
    ip           TEXT   NOT NULL,
    window_start BIGINT NOT NULL,
    failures     BIGINT NOT NULL,
    pending      BIGINT NOT NULL,
    pending_at   BIGINT NOT NULL,
    locked_until BIGINT,
    PRIMARY KEY (username, ip)
);
DROP TABLE login_throttle;

-- Addresses an account has signed in from: they keep their way in while the account is under
-- attack from elsewhere.
CREATE TABLE login_known (
    username     TEXT   NOT NULL,
    ip           TEXT   NOT NULL,
    last_success BIGINT NOT NULL,
    PRIMARY KEY (username, ip)
);

-- The lock is per address now (login_attempts).
ALTER TABLE accounts DROP COLUMN failed_logins;
ALTER TABLE accounts DROP COLUMN locked_until;

-- Wrong TOTP codes given in a session: at the limit the session ends.
ALTER TABLE sessions ADD COLUMN totp_failures BIGINT NOT NULL DEFAULT 0;

-- 未登录请求的审计汇总：每个地址、每类事件在一个时间窗内只逐条记录前几条，其余计数，
-- 窗口结束后写成一条汇总事件；ip = '*' 一行限制全系统的逐条记录数。
-- Refusals before sign-in, per (address, action) and window: the first few are audited one by
-- one, the rest counted and written as one summary event when the window ends. The row with
-- ip '*' caps the one-by-one events of every address together.
CREATE TABLE audit_bursts (
    ip           TEXT   NOT NULL,
    action       TEXT   NOT NULL,
    window_start BIGINT NOT NULL,
    logged       BIGINT NOT NULL,
    held         BIGINT NOT NULL,
    first_held   BIGINT,
    last_held    BIGINT,
    last_target  TEXT,
    PRIMARY KEY (ip, action)
);

-- 大批量导入分批写入（SQLite）：写完之前（pending = 1）其记录对任何读取都不可见。PostgreSQL 的导入
-- 在一个事务中完成（不阻塞其他写入），这两列只为结构一致。
-- The chunked imports of SQLite (see the SQLite migration); PostgreSQL imports in one
-- transaction, which blocks no other writer, and keeps the columns for the same schema.
ALTER TABLE ledger_imports ADD COLUMN pending BIGINT NOT NULL DEFAULT 0;
ALTER TABLE ledger_imports ADD COLUMN touched_at BIGINT;

-- 账号编号永不重复使用：SQLite 在删除编号最大的账号后会把该编号给下一个新账号，
-- 而未提交的附件等按账号编号归属。PostgreSQL 的自增列本不重复，此表只为结构一致。
-- Account ids are never reused: SQLite gives the highest id to the next account after it is
-- deleted, and pending attachments belong to an account by id. The high-water mark lives here
-- (PostgreSQL's identity column never reuses; the table is kept for the same schema).
CREATE TABLE account_ids (
    singleton BIGINT PRIMARY KEY CHECK (singleton = 1),
    last_id   BIGINT NOT NULL
);
INSERT INTO account_ids (singleton, last_id) SELECT 1, COALESCE(MAX(id), 0) FROM accounts;
