-- 列表在数据库中筛选、排序、分页：审计日志按时间倒序，每种筛选（账号、操作、单位、时间）各有一个
-- 按时间排列的索引，翻到第一百万条与第一页一样快；已办结的督办单按编号倒序。
-- Lists filtered, ordered and paged in the database: the audit log newest first, each of its
-- filters (account, action, unit, time) with an index in time order, so a page a million events
-- back costs what the first does; closed supervision orders newest first.
DROP INDEX audit_events_by_account;
DROP INDEX audit_events_by_action;
CREATE INDEX audit_events_by_at ON audit_events (at);
CREATE INDEX audit_events_by_account ON audit_events (account, at);
CREATE INDEX audit_events_by_action ON audit_events (action, at);
CREATE INDEX audit_events_by_unit ON audit_events (unit, at);
CREATE INDEX supervision_orders_by_state_id ON supervision_orders (state, id);
