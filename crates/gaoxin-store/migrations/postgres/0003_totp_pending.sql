-- 管理员绑定动态口令时，待确认的密钥先存在会话里，确认后才写入账号。
ALTER TABLE sessions ADD COLUMN totp_pending TEXT;
