-- 大屏展示角色：会议室数据大屏的账号只能显示大屏。SQLite 不能修改 CHECK 约束，按官方做法重建表。
-- The big screen's role (screen): SQLite cannot alter a CHECK constraint, so the table is rebuilt
-- (nothing refers to account_roles; its rows are copied as they are).

CREATE TABLE account_roles_new (
    account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
    role       TEXT    NOT NULL CHECK (role IN ('dispatcher', 'leader', 'reporter', 'reviewer',
                                                'system-admin', 'security-admin', 'audit-admin',
                                                'screen')),
    PRIMARY KEY (account_id, role)
);
INSERT INTO account_roles_new (account_id, role) SELECT account_id, role FROM account_roles;
DROP TABLE account_roles;
ALTER TABLE account_roles_new RENAME TO account_roles;
