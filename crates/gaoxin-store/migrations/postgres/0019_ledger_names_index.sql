-- 台账名称两字片段的 GIN 索引，在已有记录填好片段之后建立（迁移 19 的第二步，见 migrate.rs）。
-- The index of the names' pairs, made once the records already there have them (the second
-- part of migration 19, run by migrate.rs): one build instead of one insert per record.

CREATE INDEX ledger_records_by_grams ON ledger_records USING gin (string_to_array(name_grams, ' '));
CREATE INDEX ledger_records_by_name ON ledger_records (ledger, name_sort, id);
CREATE INDEX ledger_records_by_unit ON ledger_records (ledger, unit_key, name_sort, id);
