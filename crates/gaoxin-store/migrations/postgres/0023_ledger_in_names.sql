-- 每条记录的名称片段带上所属台账的标记（与 SQLite 相同的内容；PostgreSQL 的搜索不用它，保持两库数据一致）。
-- Every record's name pieces get its ledger's token, as on SQLite (PostgreSQL's searches do not
-- use it; the stored values stay the same on both databases).
UPDATE ledger_records
SET name_grams = ltrim(name_grams || ' lg' || encode(convert_to(ledger, 'UTF8'), 'hex'));
