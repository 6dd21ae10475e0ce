-- SQLite 的导入分批写入、完成前对读取不可见；PostgreSQL 上导入是一个事务，无需此索引变化。
-- On SQLite an import is written in batches hidden from reads until it is done, and migration
-- 21 lets the name-ordered indexes skip them; on PostgreSQL an import is one transaction and
-- nothing is hidden, so nothing changes here (the version is kept in step with SQLite's).
SELECT 1;
