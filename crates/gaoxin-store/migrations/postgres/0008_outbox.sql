-- 站外提醒：账号的电子邮箱、各单位工作群机器人的 webhook 地址，以及待发送的提醒（发件箱）。
-- 站内消息写入时一并排入发件箱，由服务端定时发送，失败的按退避重试。

ALTER TABLE accounts ADD COLUMN email TEXT;

CREATE TABLE unit_webhooks (
    unit_key TEXT PRIMARY KEY,
    url      TEXT NOT NULL
);

CREATE TABLE outbox (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    channel    TEXT    NOT NULL CHECK (channel IN ('email', 'webhook')),
    target     TEXT    NOT NULL,
    subject    TEXT    NOT NULL,
    body       TEXT    NOT NULL,
    link       TEXT    NOT NULL,
    created_at BIGINT NOT NULL,
    attempts   BIGINT NOT NULL DEFAULT 0,
    next_at    BIGINT NOT NULL,
    sent_at    BIGINT,
    last_error TEXT
);
CREATE INDEX outbox_pending ON outbox (sent_at, next_at);
