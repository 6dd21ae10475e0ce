-- 每本台账中含各个名称片段（一个字或两字片段）的记录数，由触发器随记录的写入、改名与删除增减：一两个汉字
-- 或数字的搜索（“科技”“华”）只凭片段即可判定，其计数直接取此表之和，不必逐条读记录（GIN 索引不能只凭
-- 索引计数：30 万条中十分之一含“科技”时，计数要从表中取 10,001 行，约 11 ms）。每条语句只追加增量行（整批
-- 导入一行一个片段），从不更新同一行，所以表单保存和导入互不等待；定时的整理（Store::compact_name_counts）
-- 把同一片段的多行合为一行。已有记录在此计入。
-- How many of each ledger's records hold each name piece (a character, or a pair), kept by
-- triggers as records are written, renamed and removed: a search of one or two Chinese
-- characters or digits (科技, 华) is decided by its piece, so its count is this table's sum instead
-- of reading records (a GIN index cannot count without the table: 科技, in a tenth of 300,000
-- records, fetched 10,001 rows to count them, about 11 ms). Every statement only appends rows of
-- changes (a batch of an import: one row a piece), never updating a row, so a form and an import
-- never wait on each other; the periodic tidy-up (Store::compact_name_counts) folds a piece's rows
-- into one. The records already there are counted here.
CREATE TABLE ledger_name_counts (
    ledger TEXT   NOT NULL,
    piece  TEXT   NOT NULL,
    n      BIGINT NOT NULL
);
CREATE INDEX ledger_name_counts_by_piece ON ledger_name_counts (ledger, piece) INCLUDE (n);

INSERT INTO ledger_name_counts (ledger, piece, n)
SELECT r.ledger, p.piece, count(*)
FROM ledger_records r CROSS JOIN LATERAL unnest(string_to_array(r.name_grams, ' ')) AS p(piece)
GROUP BY r.ledger, p.piece;

-- 一条语句新增或删除的记录：每个台账和片段一行（删除记为负数）。两个触发器共用一个函数，各自的过渡表都叫 changed。
-- The records one statement adds or removes: one row a ledger and piece (negative for removed
-- ones). One function serves both triggers, each naming its transition table `changed`.
CREATE FUNCTION gaoxin_ledger_names_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ledger_name_counts (ledger, piece, n)
    SELECT c.ledger, p.piece, CASE TG_OP WHEN 'DELETE' THEN -count(*) ELSE count(*) END
    FROM changed c CROSS JOIN LATERAL unnest(string_to_array(c.name_grams, ' ')) AS p(piece)
    GROUP BY c.ledger, p.piece;
    RETURN NULL;
END
$$;
CREATE TRIGGER ledger_names_added AFTER INSERT ON ledger_records
    REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION gaoxin_ledger_names_counted();
CREATE TRIGGER ledger_names_removed AFTER DELETE ON ledger_records
    REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION gaoxin_ledger_names_counted();

-- 改了名称的记录，逐行（多数修改不改名称，触发条件先把它们排除，不调用函数）：只记增减不为零的片段。
-- A record whose name changed, row by row (most changes keep the name: the condition leaves them
-- out before any call): only the pieces whose count changes.
CREATE FUNCTION gaoxin_ledger_names_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO ledger_name_counts (ledger, piece, n)
    SELECT d.ledger, d.piece, sum(d.n)
    FROM (
        SELECT OLD.ledger, p, -1 FROM unnest(string_to_array(OLD.name_grams, ' ')) AS p
        UNION ALL
        SELECT NEW.ledger, p, 1 FROM unnest(string_to_array(NEW.name_grams, ' ')) AS p
    ) AS d (ledger, piece, n)
    GROUP BY d.ledger, d.piece
    HAVING sum(d.n) <> 0;
    RETURN NULL;
END
$$;
CREATE TRIGGER ledger_names_changed AFTER UPDATE OF ledger, name_grams ON ledger_records
    FOR EACH ROW
    WHEN (OLD.ledger IS DISTINCT FROM NEW.ledger OR OLD.name_grams IS DISTINCT FROM NEW.name_grams)
    EXECUTE FUNCTION gaoxin_ledger_names_changed();
