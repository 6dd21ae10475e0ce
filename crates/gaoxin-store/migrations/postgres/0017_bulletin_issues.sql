-- 调度通报的发布：调度办发布某月通报后，通报按发布时的内容冻结保存（期号按年编排），
-- 此后数据再变也不改变已发布的通报；记录只能追加。
-- A published bulletin: when the dispatch office publishes a month's bulletin it is frozen as it
-- stood (numbered within the year of publication); later changes to the data do not alter it.
-- Append-only.

CREATE TABLE bulletin_issues (
    id      BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    period  TEXT    NOT NULL UNIQUE,
    year    BIGINT  NOT NULL,
    number  BIGINT  NOT NULL,
    content TEXT    NOT NULL,
    account TEXT    NOT NULL,
    at      BIGINT  NOT NULL,
    sample  BIGINT  NOT NULL DEFAULT 0,
    UNIQUE (year, number)
);

CREATE FUNCTION gaoxin_bulletin_issues_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'bulletin_issues is append-only / 已发布的通报不能修改或删除';
END
$$;

CREATE TRIGGER bulletin_issues_no_change BEFORE UPDATE OR DELETE ON bulletin_issues
    FOR EACH ROW EXECUTE FUNCTION gaoxin_bulletin_issues_append_only();
CREATE TRIGGER bulletin_issues_no_truncate BEFORE TRUNCATE ON bulletin_issues
    FOR EACH STATEMENT EXECUTE FUNCTION gaoxin_bulletin_issues_append_only();
