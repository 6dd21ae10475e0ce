-- 大屏展示角色：会议室数据大屏的账号只能显示大屏。
-- The big screen's role (screen).

ALTER TABLE account_roles DROP CONSTRAINT account_roles_role_check;
ALTER TABLE account_roles ADD CONSTRAINT account_roles_role_check
    CHECK (role IN ('dispatcher', 'leader', 'reporter', 'reviewer',
                    'system-admin', 'security-admin', 'audit-admin', 'screen'));
