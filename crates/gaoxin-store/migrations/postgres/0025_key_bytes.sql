-- 台账记录的编号（统一社会信用代码等）及其引用按字节比较（COLLATE "C"），与 SQLite 相同：按代码开头搜索
-- 成为编号索引上的一个区间（数据库排序规则不是 "C" 时，LIKE '前缀%' 用不上索引，300 万条记录时计数要读
-- 整本台账的编号索引，约 12 ms → 约 5 ms）。编号唯一约束的索引与引用索引在此重建。
-- A record's key (a credit code …) and its reference compared as bytes (COLLATE "C"), as on
-- SQLite: a search by the start of a code becomes a range of the key's index (under a database
-- collation other than "C", LIKE 'prefix%' cannot use it: at 3,000,000 records the count read the
-- whole ledger's keys from the index, about 12 ms → about 5 ms). The key's unique index and the
-- reference's index are rebuilt here.
ALTER TABLE ledger_records
    ALTER COLUMN natural_key TYPE TEXT COLLATE "C",
    ALTER COLUMN ref_key TYPE TEXT COLLATE "C";
