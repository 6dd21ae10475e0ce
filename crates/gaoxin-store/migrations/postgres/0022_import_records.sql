-- 一次导入写入的记录按导入编号建索引：导入完成时为这些记录写修改记录、导入被拒时删除它们，都只读这次导入的
-- 记录，不再扫描整本台账（300 万条记录的台账导入 100 行，完成一步原先要读 300 万条）。同一次导入的记录
-- 编号相同、依次追加，维护这个索引几乎不花时间。
-- An import's records indexed by the import: its last step (one history row per record) and the
-- removal of a refused or abandoned import read that import's records only, not the whole ledger
-- (importing 100 rows into a ledger of 3,000,000 used to read 3,000,000 in the last step). The
-- records of one import share its id and come in order, so the index costs an import nearly
-- nothing. Records saved on the form (no import) are left out.
CREATE INDEX ledger_records_by_import ON ledger_records (import_id) WHERE import_id IS NOT NULL;
