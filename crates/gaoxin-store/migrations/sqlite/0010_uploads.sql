-- 上传暂存（SQLite）：台账与基础数据的 Excel 上传共用一种“试导入→确认”流程。
-- One upload → dry run → confirm flow for every Excel upload: the rows a dry run accepted wait
-- here (bound to the account, for an hour) until confirmed, for a ledger ('ledger:<id>') or for
-- the figures ('figures'). Was ledger_uploads; uploads waiting at the upgrade stay valid.
ALTER TABLE ledger_uploads RENAME TO uploads;
ALTER TABLE uploads RENAME COLUMN ledger TO kind;
UPDATE uploads SET kind = 'ledger:' || kind;
