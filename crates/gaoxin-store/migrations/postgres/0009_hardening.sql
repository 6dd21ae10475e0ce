-- 加固（PostgreSQL）：健康检查的写入探针。
-- The row /healthz updates to learn whether the database still takes writes.
CREATE TABLE health_probe (
    singleton  BIGINT PRIMARY KEY CHECK (singleton = 1),
    checked_at BIGINT NOT NULL
);
INSERT INTO health_probe (singleton, checked_at) VALUES (1, 0);
