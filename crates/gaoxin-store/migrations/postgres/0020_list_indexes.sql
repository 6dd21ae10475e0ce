-- 列表在数据库中筛选、排序、分页：审计日志按时间倒序，每种筛选（账号、操作、单位、时间）各有一个
-- 按时间排列的索引，翻到第一百万条与第一页一样快；已办结的督办单按编号倒序；督办单的协办单位另存一表
-- （按单位建索引），单位账号的列表不必逐单比对。
-- Lists filtered, ordered and paged in the database: the audit log newest first, each of its
-- filters (account, action, unit, time) with an index in time order, so a page a million events
-- back costs what the first does; closed supervision orders newest first; an order's 协办单位
-- also kept one row each (indexed by unit), so a unit's list need not read every order.
DROP INDEX audit_events_by_account;
DROP INDEX audit_events_by_action;
CREATE INDEX audit_events_by_at ON audit_events (at, id);
CREATE INDEX audit_events_by_account ON audit_events (account, at, id);
CREATE INDEX audit_events_by_action ON audit_events (action, at, id);
CREATE INDEX audit_events_by_unit ON audit_events (unit, at, id);
CREATE INDEX supervision_orders_by_state_id ON supervision_orders (state, id);

CREATE TABLE supervision_co_units (
    order_id BIGINT NOT NULL,
    unit     TEXT   NOT NULL,
    PRIMARY KEY (unit, order_id)
);
INSERT INTO supervision_co_units (order_id, unit)
SELECT DISTINCT o.id, u.unit
FROM supervision_orders o, unnest(string_to_array(o.co_units, ',')) AS u (unit)
WHERE o.co_units <> '' AND u.unit <> '';
