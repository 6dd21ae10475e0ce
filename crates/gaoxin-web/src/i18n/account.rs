//! 账号 — signing in, the password, the second factor, one's own account.

catalog! {
    login_title => "登录", "Sign in";
    login_button => "登录", "Sign in";
    login_invalid => "用户名或口令错误。", "Wrong user name or password.";
    totp_ended => "动态口令错误次数过多，本次登录已结束，请重新登录。",
        "Too many wrong TOTP codes: this sign-in has ended. Sign in again.";
    login_locked => "登录失败次数过多，本机已暂时不能登录此账号，请稍后再试或联系安全管理员。",
        "Too many failed sign-ins: this computer may not sign in to this account for a while. Try later or ask the security administrator.";
    login_throttled => "本机登录尝试过于频繁，请稍后再试。",
        "Too many sign-in attempts from this address. Try again later.";
    login_no_accounts => "还没有任何账号。请在服务器上运行以下命令创建第一个账号，它会显示一次性口令：",
        "No account exists yet. On the server, create the first one with this command; it shows a one-time password:";
    current_password => "当前口令", "Current password";
    new_password => "新口令", "New password";
    confirm_password => "再次输入新口令", "New password again";
    password_change_button => "修改口令", "Change password";
    password_must_change => "您正在使用一次性口令或口令已过期，请先设置新口令。",
        "You are using a one-time password or your password has expired: set a new one first.";
    password_changed_relogin => "口令已修改，所有会话已结束。请用新口令登录。",
        "Password changed; every session has ended. Sign in with the new password.";
    password_wrong_current => "当前口令不正确。", "The current password is wrong.";
    password_mismatch => "两次输入的新口令不一致。", "The two new passwords differ.";
    password_same => "新口令不能与当前口令相同。", "The new password must differ from the current one.";
    policy_min_length => "至少 {} 个字符；", "At least {} characters;";
    policy_mix => "须同时包含字母、数字和符号；", "letters, digits and symbols;";
    policy_max_age => "每 {} 天须更换。", "changed every {} days.";
    totp_enrol_lead => "管理员账号须使用动态口令。请用手机上的身份验证器（如 Microsoft Authenticator、Google Authenticator、FreeOTP）扫描下面的二维码，再输入它显示的 6 位数字。",
        "Administrator accounts need an authenticator code. Scan this QR code with an authenticator app (Microsoft Authenticator, Google Authenticator, FreeOTP …), then enter the 6 digits it shows.";
    totp_secret_text => "无法扫码时，可手动输入密钥：", "If you cannot scan, enter this key by hand:";
    totp_enter => "请输入身份验证器显示的 6 位数字。", "Enter the 6 digits your authenticator shows.";
    totp_code => "6 位动态口令", "6-digit code";
    totp_confirm => "确认", "Confirm";
    totp_wrong => "动态口令不正确或已用过，请输入身份验证器当前显示的数字。",
        "The code is wrong or already used: enter the one your authenticator shows now.";
}
