-- 进展报告退回：调度办写明原因退回一份报告，承办单位修改后重新报送；被退回的报告及其之前的
-- 同期报告不再算作已报送。每份报告至多退回一次，记录只能追加。
-- A progress report returned by the dispatch office with its reason: the unit corrects it and
-- files again; the returned report (and any earlier one for the same item, unit and period) no
-- longer counts as filed. A report is returned at most once; the record is append-only.

CREATE TABLE report_returns (
    report_id INTEGER PRIMARY KEY REFERENCES progress_reports (id),
    reason    TEXT    NOT NULL,
    account   TEXT    NOT NULL,
    at        INTEGER NOT NULL
);

CREATE TRIGGER report_returns_no_update BEFORE UPDATE ON report_returns
BEGIN
    SELECT RAISE(ABORT, 'report_returns is append-only / 报告退回记录只能追加');
END;

CREATE TRIGGER report_returns_no_delete BEFORE DELETE ON report_returns
BEGIN
    SELECT RAISE(ABORT, 'report_returns is append-only / 报告退回记录只能追加');
END;
