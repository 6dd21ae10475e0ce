-- 调度通报的发布：调度办发布某月通报后，通报按发布时的内容冻结保存（期号按年编排），
-- 此后数据再变也不改变已发布的通报；记录只能追加。
-- A published bulletin: when the dispatch office publishes a month's bulletin it is frozen as it
-- stood (numbered within the year of publication); later changes to the data do not alter it.
-- Append-only.

CREATE TABLE bulletin_issues (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    period  TEXT    NOT NULL UNIQUE,
    year    INTEGER NOT NULL,
    number  INTEGER NOT NULL,
    content TEXT    NOT NULL,
    account TEXT    NOT NULL,
    at      INTEGER NOT NULL,
    sample  INTEGER NOT NULL DEFAULT 0,
    UNIQUE (year, number)
);

CREATE TRIGGER bulletin_issues_no_update BEFORE UPDATE ON bulletin_issues
BEGIN
    SELECT RAISE(ABORT, 'bulletin_issues is append-only / 已发布的通报不能修改');
END;

CREATE TRIGGER bulletin_issues_no_delete BEFORE DELETE ON bulletin_issues
BEGIN
    SELECT RAISE(ABORT, 'bulletin_issues is append-only / 已发布的通报不能删除');
END;
