//! 管理员 — the three administrators' pages.

catalog! {
    admin_accounts => "账号管理", "Accounts";
    admin_accounts_lead => "系统管理员新建、停用、删除账号。新账号没有角色，由安全管理员分配；一次性口令只显示一次，首次登录时必须修改。",
        "The system administrator creates, disables and deletes accounts. New accounts have no roles until the security administrator assigns them; the one-time password is shown once and must be changed at first sign-in.";
    admin_new_account => "新建账号", "New account";
    admin_create => "创建", "Create";
    admin_created => "已创建账号", "Created account";
    admin_one_time => "一次性口令（只显示这一次）：", "one-time password (shown only now):";
    admin_reset_password => "重置口令", "Reset password";
    admin_reset_done => "已重置口令：", "Password reset:";
    admin_reset_hint => "请当面或电话告知本人；其登录会话已结束，下次登录须先修改口令。",
        "Give it to the person in person or by phone; their sessions have ended and they must change it at the next sign-in.";
    admin_state => "状态", "State";
    admin_active => "正常", "active";
    admin_disabled => "已停用", "disabled";
    admin_disable => "停用", "Disable";
    admin_delete => "删除", "Delete";
    admin_disable_first => "请先停用账号，再删除。", "Disable the account first, then delete it.";
    admin_no_roles => "（无角色）", "(no roles)";
    admin_at_console => "管理员账号在服务器控制台修改：gaoxin user …",
        "administrators are changed at the server's console: gaoxin user …";
    admin_not_self => "不能修改自己的账号或角色", "you cannot change your own account or roles";
    admin_unknown_unit => "所选单位不在方案中。", "The unit is not in the plan.";
    admin_roles => "角色分配", "Roles";
    admin_roles_lead => "安全管理员为账号分配角色。三个管理员角色各自独立，不能与其他角色兼任；修改后该账号的会话立即结束。",
        "The security administrator assigns roles. The three administrator roles stand alone; a change ends the account's sessions at once.";
    admin_save => "保存", "Save";
    admin_policy => "安全策略", "Security policy";
    admin_policy_lead => "口令与登录规则，对所有实例立即生效。默认值为等保三级要求。",
        "Password and sign-in rules, in force at once on every instance. The defaults are the MLPS 2.0 (dengbao) level-3 profile.";
    policy_field_min_length => "口令最短长度（8–64）", "Minimum password length (8–64)";
    policy_field_mix => "口令须同时包含字母、数字和符号", "Passwords mix letters, digits and symbols";
    policy_field_max_age => "口令最长使用天数（0 为不强制更换）", "Days before a password must change (0: never)";
    policy_field_failures => "连续失败多少次锁定（3–10）", "Failures that lock an account (3–10)";
    policy_field_minutes => "锁定分钟数（5–1440）", "Minutes an account stays locked (5–1440)";
    policy_range => "{}：请填写 {} 到 {} 之间的整数。", "{}: enter a whole number from {} to {}.";
    policy_saved => "安全策略已保存，并已记入审计日志。", "The security policy is saved and audited.";
    policy_asvs_note => "OWASP ASVS 5.0 不建议强制组合规则和定期更换口令：如采用 ASVS，取消勾选组合要求、把最长使用天数设为 0，并把最短长度提高到 12 以上。",
        "OWASP ASVS 5.0 advises against composition rules and forced rotation: to follow it, untick the mix rule, set the maximum age to 0 and raise the minimum length to 12 or more.";
    audit_title => "审计日志", "Audit log";
    audit_lead => "所有登录、账号与角色变更、越权访问和数据变更都记录在这里，以 HMAC-SM3 哈希链防篡改；可用 gaoxin audit verify 校验。",
        "Every sign-in, account and role change, refused access and data change is recorded here, sealed in an HMAC-SM3 hash chain; check it with gaoxin audit verify.";
    audit_unsigned_bounds => "未登录者引起的事件（登录失败、跨站请求等）：每个来源地址、每类事件每 {} 分钟逐条记录前 {} 条，其余合并为一条汇总事件（名称以 .summary 结尾，含次数和首末时间）；全系统每 {} 分钟至多 {} 条，超出部分合并为一条来源为 * 的汇总。用户名只记录前 {} 个字符。",
        "Events caused by people not signed in (failed sign-ins, cross-site requests …): per source address and kind, within each {} minutes the first {} are recorded one by one and the rest as one summary event (its name ends in .summary, with the count and the first and last times); across all sources, within each {} minutes at most {} such events, the rest in one summary from source *. User names are kept to {} characters.";
    audit_from => "起始日期", "From";
    audit_to => "截止日期", "To";
    audit_account => "账号", "Account";
    audit_action => "操作", "Action";
    audit_filter => "筛选", "Filter";
    audit_export => "导出 CSV", "Export CSV";
    audit_shown => "按时间由新到旧，每页 {} 条；导出包含全部符合条件的记录。",
        "Newest first, {} to a page; the export has every match.";
    audit_time => "时间", "Time";
    audit_target => "对象", "Target";
    audit_result => "结果", "Result";
    audit_change => "变更", "Change";
    audit_before => "前", "before";
    audit_after => "后", "after";
}
