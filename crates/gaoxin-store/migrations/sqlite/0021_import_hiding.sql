-- 台账按名称（及区域内按名称）的两个索引带上 import_id：导入进行中，未完成的记录留在索引里，
-- 列表页据索引本身即可跳过它们，不必逐条回表（100 万条待定记录时，列表第一页 2.5 s → 0.09 s）。
-- The two name-ordered indexes (alone and within a unit) carry import_id: while an import is
-- under way its unfinished records are in the indexes, and a list page now skips them by the
-- index entry alone instead of reading each from the table (with 1,000,000 records pending, a
-- first page took 2.5 s; it takes 0.09 s).
DROP INDEX ledger_records_by_name;
DROP INDEX ledger_records_by_unit;
CREATE INDEX ledger_records_by_name ON ledger_records (ledger, name_sort, id, import_id);
CREATE INDEX ledger_records_by_unit ON ledger_records (ledger, unit_key, name_sort, id, import_id);
