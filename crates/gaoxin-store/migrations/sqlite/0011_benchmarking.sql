-- 对标分析（SQLite）：评价框架的各个版本、对标的高新区（同类集合）、各区各指标各数据年度的数值及来源、
-- 公布的评价结果。评价年度 N 使用 N−1 年的数据：数值按数据年度（data_year）存，结果按评价年度（result_year）存。
-- Benchmarking: framework versions, peer zones by peer set, each value with its source per data
-- year, and the published results per result year. Times are Unix seconds.

CREATE TABLE evaluation_frameworks (
    id             INTEGER PRIMARY KEY,
    framework      TEXT    NOT NULL,
    version_no     INTEGER NOT NULL,
    name           TEXT    NOT NULL,
    content_sha256 TEXT    NOT NULL,
    source_name    TEXT    NOT NULL,
    source         TEXT    NOT NULL,
    loaded_by      TEXT    NOT NULL,
    loaded_at      INTEGER NOT NULL,
    UNIQUE (framework, version_no),
    UNIQUE (framework, content_sha256)
);

-- peer_set: national（全部国家高新区）或省内同类集合的名字；zone：本方案中的高新区 id。
CREATE TABLE peer_zones (
    id       INTEGER PRIMARY KEY,
    peer_set TEXT    NOT NULL,
    name     TEXT    NOT NULL,
    zone     TEXT,
    sample   INTEGER NOT NULL DEFAULT 0,
    UNIQUE (peer_set, name)
);

CREATE TABLE peer_values (
    peer_zone  INTEGER NOT NULL REFERENCES peer_zones (id),
    framework  TEXT    NOT NULL,
    indicator  TEXT    NOT NULL,
    data_year  INTEGER NOT NULL,
    value      REAL NOT NULL,
    source     TEXT    NOT NULL,
    sample     INTEGER NOT NULL DEFAULT 0,
    entered_by TEXT    NOT NULL,
    entered_at INTEGER NOT NULL,
    PRIMARY KEY (peer_zone, framework, indicator, data_year)
);
CREATE INDEX peer_values_by_framework_year ON peer_values (framework, data_year);

-- dimension 为空表示总排名。
CREATE TABLE official_results (
    peer_zone   INTEGER NOT NULL REFERENCES peer_zones (id),
    framework   TEXT    NOT NULL,
    result_year INTEGER NOT NULL,
    dimension   TEXT    NOT NULL DEFAULT '',
    rank        INTEGER NOT NULL CHECK (rank >= 1),
    source      TEXT    NOT NULL,
    sample      INTEGER NOT NULL DEFAULT 0,
    entered_by  TEXT    NOT NULL,
    entered_at  INTEGER NOT NULL,
    PRIMARY KEY (peer_zone, framework, result_year, dimension)
);
