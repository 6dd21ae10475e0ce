-- 台账名称的检索与排序：名称的两字片段（name_grams，由程序写入）建 GIN 索引，任意两字及以上的片段
-- 先经索引找到候选记录再逐条核对；名称按拼音排序（name_sort：拼音加声调数字，
-- 按字节比较）。已有记录的两列由迁移程序随后填写（见 migrate.rs），其后建索引
-- （0019_ledger_names_index.sql）。
-- A ledger record's name found and ordered: the pairs of its letters and digits (name_grams,
-- written by the application) in a GIN index of the array of pairs, so a search of two or more
-- characters looks up candidates in the index and tests the substring on those only; names
-- ordered by their pinyin (name_sort, compared byte by byte as SQLite does). Existing records get
-- both columns from the migration's own step (migrate.rs), which then makes the index
-- (0019_ledger_names_index.sql).

ALTER TABLE ledger_records ADD COLUMN name_grams TEXT NOT NULL DEFAULT '';
ALTER TABLE ledger_records ADD COLUMN name_sort TEXT COLLATE "C" NOT NULL DEFAULT '';

DROP INDEX ledger_records_by_name;
DROP INDEX ledger_records_by_unit;
