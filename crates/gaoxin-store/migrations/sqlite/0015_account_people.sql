-- 账号对应的人：姓名和电话（可先留空，由系统管理员或本人补上），办理记录中显示姓名；
-- 本人选择哪些提醒发到电子邮箱（全部、仅紧急、不发）。
-- The person behind an account: a real name (姓名) and a phone, empty until the system
-- administrator or the person fills them in; histories show the name beside the account. And
-- which notices the person wants by e-mail (all, urgent only, none).

ALTER TABLE accounts ADD COLUMN full_name TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN email_notices TEXT NOT NULL DEFAULT 'all' CHECK (email_notices IN ('all', 'urgent', 'none'));
