-- 台账名称的全文索引，在已有记录填好两字片段之后建立（迁移 19 的第二步，见 migrate.rs）。
-- The name index, made once the records already there have their pairs (the second part of
-- migration 19, run by migrate.rs): made before, the triggers would remove pairs never indexed.

-- Names in pinyin order, alone and within a unit.
CREATE INDEX ledger_records_by_name ON ledger_records (ledger, name_sort, id);
CREATE INDEX ledger_records_by_unit ON ledger_records (ledger, unit_key, name_sort, id);

-- The pairs are whole tokens: the ascii tokenizer splits on ASCII spaces and punctuation only
-- and keeps every other character. No positions (detail=none): a search asks for all its pairs.
CREATE VIRTUAL TABLE ledger_names USING fts5 (
    name_grams,
    content = 'ledger_records',
    content_rowid = 'id',
    tokenize = 'ascii',
    detail = 'none',
    columnsize = 0
);

CREATE TRIGGER ledger_names_insert AFTER INSERT ON ledger_records
BEGIN
    INSERT INTO ledger_names (rowid, name_grams) VALUES (new.id, new.name_grams);
END;

CREATE TRIGGER ledger_names_delete AFTER DELETE ON ledger_records
BEGIN
    INSERT INTO ledger_names (ledger_names, rowid, name_grams)
        VALUES ('delete', old.id, old.name_grams);
END;

CREATE TRIGGER ledger_names_update AFTER UPDATE OF name_grams ON ledger_records
    WHEN old.name_grams <> new.name_grams
BEGIN
    INSERT INTO ledger_names (ledger_names, rowid, name_grams)
        VALUES ('delete', old.id, old.name_grams);
    INSERT INTO ledger_names (rowid, name_grams) VALUES (new.id, new.name_grams);
END;

-- The records already there.
INSERT INTO ledger_names (ledger_names) VALUES ('rebuild');
