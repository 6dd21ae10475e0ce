-- 名称索引中，每条记录除名称的字与两字片段外，再带一个所属台账的标记（lg 加台账编号的十六进制）：
-- 一两个汉字或数字的搜索只凭索引即可在本台账内计数，不必逐条读记录（30 万条中十分之一含“科技”时，计数
-- 5 ms → 1 ms）。已有记录在此补上标记并重建索引。
-- Every record holds, beside its name's pieces, its ledger's token in the name index (`lg` and
-- the ledger id in hex): a search of one or two Chinese characters or digits counts its matches
-- within the ledger from the index alone, without reading a record (科技, in a tenth of 300,000
-- records: 5 ms → 1 ms). The records already there get the token here, and the index is rebuilt.
DROP TRIGGER ledger_names_update;

UPDATE ledger_records
SET name_grams = ltrim(name_grams || ' lg' || lower(hex(ledger)));

CREATE TRIGGER ledger_names_update AFTER UPDATE OF name_grams ON ledger_records
    WHEN old.name_grams <> new.name_grams
BEGIN
    INSERT INTO ledger_names (ledger_names, rowid, name_grams)
        VALUES ('delete', old.id, old.name_grams);
    INSERT INTO ledger_names (rowid, name_grams) VALUES (new.id, new.name_grams);
END;

INSERT INTO ledger_names (ledger_names) VALUES ('rebuild');
