-- 基础数据临期、逾期提醒：每个单位每期每种提醒只发一次（多台服务器同时检查也一样）。
-- Figures due soon and missed: each unit is told once per period and kind, whichever server
-- checks first claims the row.
CREATE TABLE figure_notices (
    unit_key TEXT    NOT NULL,
    period   INTEGER NOT NULL,
    notice   TEXT    NOT NULL,
    at       INTEGER NOT NULL,
    PRIMARY KEY (unit_key, period, notice)
);
