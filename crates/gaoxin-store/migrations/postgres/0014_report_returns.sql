-- 进展报告退回：调度办写明原因退回一份报告，承办单位修改后重新报送；被退回的报告及其之前的
-- 同期报告不再算作已报送。每份报告至多退回一次，记录只能追加。
-- A progress report returned by the dispatch office with its reason: the unit corrects it and
-- files again; the returned report (and any earlier one for the same item, unit and period) no
-- longer counts as filed. A report is returned at most once; the record is append-only.

CREATE TABLE report_returns (
    report_id BIGINT  PRIMARY KEY REFERENCES progress_reports (id),
    reason    TEXT    NOT NULL,
    account   TEXT    NOT NULL,
    at        BIGINT  NOT NULL
);

CREATE FUNCTION gaoxin_report_returns_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'report_returns is append-only / 报告退回记录只能追加';
END
$$;

CREATE TRIGGER report_returns_no_change BEFORE UPDATE OR DELETE ON report_returns
    FOR EACH ROW EXECUTE FUNCTION gaoxin_report_returns_append_only();
CREATE TRIGGER report_returns_no_truncate BEFORE TRUNCATE ON report_returns
    FOR EACH STATEMENT EXECUTE FUNCTION gaoxin_report_returns_append_only();
