//! 消息目录 — every piece of interface text, in Chinese (the default) and English.
//!
//! Each entry is a method on [`Tr`], so a template that names a missing entry does not compile.
//! Plan content (names of zones, departments, tasks) is not here: it comes from the plan file.

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use std::convert::Infallible;

/// The interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// The `lang` attribute of the page.
    pub fn html_lang(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Lang> {
        match code {
            "zh" | "zh-CN" => Some(Lang::Zh),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// The other language, for the switch.
    pub fn other(self) -> Lang {
        match self {
            Lang::Zh => Lang::En,
            Lang::En => Lang::Zh,
        }
    }
}

/// The cookie that remembers the language.
pub const LANG_COOKIE: &str = "gaoxin_lang";

/// The language of a request: `?lang=` first, then the cookie, then Chinese.
impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Lang::from_parts(parts))
    }
}

impl Lang {
    /// The language of a request: `?lang=` first, then the cookie, then Chinese.
    pub fn from_parts(parts: &Parts) -> Lang {
        let from_query = parts.uri.query().and_then(|q| {
            q.split('&')
                .find_map(|kv| kv.strip_prefix("lang="))
                .and_then(Lang::from_code)
        });
        let from_cookie = || {
            parts
                .headers
                .get_all(header::COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .flat_map(|v| v.split(';'))
                .find_map(|c| c.trim().strip_prefix(LANG_COOKIE)?.strip_prefix('='))
                .and_then(Lang::from_code)
        };
        from_query.or_else(from_cookie).unwrap_or_default()
    }
}

/// The instructions sheet of the figures template.
pub const TEMPLATE_INSTRUCTIONS: &[&str] = &[
    "1. 只在“本期值”和“说明”两列填写；其余各列由 gaoxin 生成，请勿修改（区域代码、数据代码、报告期用于识别数据）。",
    "2. 本期值填数字，可带千分位逗号；增速、占比填百分数的数值（如 8.5 表示 8.5%）。",
    "3. 与上年同期相比变动超过方案规定幅度（默认 ±30%）的数据，必须在“说明”中写明原因。",
    "4. 保存为 .xlsx（不要另存为含宏的 .xlsm），在“数据填报”页面上传：先试导入，核对无误后确认导入。",
    "5. 有任何一行出错，整个文件都不导入；改正后重新上传即可。导入的数据即为已提交，等待数据来源部门审核。",
];

/// Interface text in one language.
#[derive(Debug, Clone, Copy)]
pub struct Tr {
    pub lang: Lang,
}

macro_rules! catalog {
    ($($key:ident => $zh:literal, $en:literal;)*) => {
        impl Tr {
            $(pub fn $key(&self) -> &'static str {
                match self.lang { Lang::Zh => $zh, Lang::En => $en }
            })*
        }

        /// Every entry, for the catalog's own tests: (key, zh, en).
        pub const ENTRIES: &[(&str, &str, &str)] = &[$((stringify!($key), $zh, $en)),*];

/// The part of a "中文 / English" message (store and workbook errors read so) in `lang`; the
/// whole text when it has no such parts.
pub fn pick(lang: Lang, text: &str) -> String {
    match text.split_once(" / ") {
        Some((zh, en)) => if lang == Lang::Zh { zh } else { en }.to_string(),
        None => text.to_string(),
    }
}

/// Fills the `{}` placeholders of a catalog entry, in order.
pub fn fill(template: &str, args: &[&dyn std::fmt::Display]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut args = args.iter();
    let mut rest = template;
    while let Some(at) = rest.find("{}") {
        out.push_str(&rest[..at]);
        if let Some(a) = args.next() {
            out.push_str(&a.to_string());
        }
        rest = &rest[at + 2..];
    }
    out.push_str(rest);
    out
}
    };
}

catalog! {
    app_name => "高新区三年提升调度平台", "High-Tech Zone Plan Dispatch";
    app_tagline => "高新", "gaoxin";
    nav_overview => "总览", "Overview";
    nav_plan => "方案", "Plan";
    nav_duties => "责任分工", "Responsibilities";
    nav_text => "方案原文", "Plan text";
    switch_lang => "English", "中文";
    switch_lang_title => "Switch to English", "切换到中文";
    skip_to_content => "跳到正文", "Skip to content";
    edition => "稿次", "Edition";
    version => "版本", "Version";
    version_no => "第 {} 版", "version {}";
    loaded_at => "加载时间", "Loaded at";
    period => "方案期", "Plan period";
    years_suffix => "年", "";
    overview_title => "总览：两个高新区的发展目标", "Overview: the two zones' targets";
    overview_lead => "方案中“发展目标”为每个高新区逐年设定的目标。点击目标值可查看方案原文中的出处。",
        "The targets the plan's development goals set for each zone and year. Click a value to see the sentence it comes from.";
    stat_zones => "高新区", "Zones";
    stat_targets => "年度目标", "Yearly targets";
    stat_tasks => "重点任务", "Key tasks";
    stat_departments => "牵头部门", "Lead departments";
    indicator => "指标", "Indicator";
    this_year => "本年", "this year";
    basis => "口径", "Definition";
    unit => "单位", "Unit";
    shares_of => "占比类指标的分母：{}", "Shares are of: {}";
    chart_title => "目标路径 {}–{}（{}）", "Target path {}–{} ({})";
    chart_fallback => "图表需要浏览器启用 JavaScript；上表列出了全部目标值。",
        "The chart needs JavaScript; the table above lists every target.";
    ranking_targets => "排名目标", "Ranking targets";
    no_target => "—", "—";
    source_link_title => "查看方案原文出处", "See the sentence in the plan";
    plan_title => "方案结构", "Plan structure";
    plan_lead => "发展目标、任务分组、重点任务、牵头部门、实施单位和量化子目标。每一项都链接到方案原文中的句子。",
        "Goals, task groups, key tasks, lead departments, implementing units and quantified sub-targets, each linked to its sentence in the plan.";
    goals_heading => "发展目标", "Development goals";
    tasks_heading => "重点任务", "Key tasks";
    safeguards_heading => "保障措施", "Safeguard measures";
    goals_summary => "{} 项年度目标，详见总览。", "{} yearly targets; see the overview.";
    lead => "牵头", "Lead";
    implementing => "实施", "Implementing";
    lead_departments => "牵头部门", "Lead departments";
    implementing_units => "实施单位", "Implementing units";
    and_others => "等", "and others";
    and_others_title => "原文写“等按职责分工负责”：所列部门之外可能还有其他部门",
        "The plan says \"and others, each by its duties\": other departments may share the lead";
    implementing_note => "方案写明：以下均需石家庄高新区管委会、正定县人民政府、正定高新区管委会负责落实",
        "The plan states that every task is carried out by the implementing units";
    subtargets => "量化子目标", "Quantified sub-targets";
    scope_all_zones => "全市高新区合计", "All zones together";
    scope_each_zone => "每个高新区", "Each zone";
    cadence_once => "{} 年内", "within {}";
    cadence_yearly => "每年", "every year";
    cadence_standing => "方案期内持续", "throughout the plan";
    between => "{}–{}", "{}–{}";
    source => "原文", "Source";
    read_full_text => "阅读方案全文", "Read the full plan text";
    versions_heading => "方案版本", "Plan versions";
    versions_lead => "每次加载内容有变化的方案文件（如征求意见稿改为正式稿）都会新增一个版本，旧版本保留。",
        "Loading a changed plan file (e.g. the draft becoming final) adds a version; earlier versions are kept.";
    col_version => "版本", "Version";
    col_title => "标题", "Title";
    col_file => "文件", "File";
    col_targets => "目标数", "Targets";
    col_tasks => "任务数", "Tasks";
    col_digest => "SHA-256", "SHA-256";
    current => "当前", "current";
    text_title => "方案原文", "Plan text";
    text_lead => "标出的文字是被目标、任务或子目标引用的句子；从其他页面点“原文”会跳到对应位置。",
        "Marked passages are quoted by a target, task or sub-target; \"Source\" links elsewhere jump here.";
    duties_title => "责任分工", "Responsibilities";
    duties_lead => "任务 × 部门：每个部门一眼看到自己牵头和负责实施的任务。点部门名称查看该部门的任务清单。",
        "Tasks × departments: each department sees at a glance what it leads and what it carries out. Click a department for its list.";
    task => "任务", "Task";
    task_no => "序号", "No.";
    legend => "图例", "Legend";
    choose_department => "选择部门", "Choose a department";
    show => "查看", "Show";
    department_title => "{} 的任务", "Tasks of {}";
    department_kind_lead => "市直牵头部门", "City lead department";
    department_kind_implementing => "实施单位", "Implementing unit";
    department_kind_dispatch => "调度机构", "Dispatch office";
    department_kind_source => "数据来源部门", "Source of figures";
    department_counts => "牵头 {} 项，负责实施 {} 项", "Leads {}, carries out {}";
    role => "职责", "Role";
    co_leads => "共同牵头", "Shared lead with";
    none => "无", "none";
    not_found_title => "找不到页面", "Page not found";
    not_found_body => "您要找的内容不存在，或已被移除。", "What you are looking for does not exist or has been removed.";
    error_title => "出错了", "Something went wrong";
    error_body => "服务器处理请求时出错，已记录日志。请稍后重试；如果一直出错，请联系系统管理员。",
        "The server failed to handle the request and has logged it. Try again later; if it persists, contact the administrator.";
    busy_title => "系统正忙", "The system is busy";
    busy_body => "另一项大批量写入（如台账导入）正在进行，本次操作没有保存。请稍候片刻再试。",
        "A large write (such as a ledger import) is running; this change was not saved. Wait a moment and try again.";
    disk_full_body => "服务器磁盘已满，本次操作没有保存。请联系系统管理员清理磁盘后再试。",
        "The server's disk is full; this change was not saved. Ask the system administrator to free space, then try again.";
    read_only_body => "数据库当前只读（可能正在切换主备），本次操作没有保存。请稍后再试。",
        "The database is read-only right now (perhaps switching to a standby); this change was not saved. Try again later.";
    unreachable_title => "数据库暂时无法连接", "The database cannot be reached";
    unreachable_body => "服务器暂时连不上数据库，已记录日志。请稍后再试；如果持续出现，请联系系统管理员。",
        "The server cannot reach its database right now and has logged it. Try again later; if it persists, contact the administrator.";
    timed_out_body => "服务器等待数据库太久，已放弃本次请求，已记录日志。刚才的修改可能没有保存：请稍后刷新页面确认后再试。",
        "The server waited too long for the database and gave the request up; it is logged. The change may not have been saved: reload the page later to check, then try again.";
    too_large_title => "内容太大", "Too large";
    too_large_body => "提交的内容超过了允许的大小，没有处理。上传文件请检查大小上限；表单请缩短过长的文字。",
        "What was sent is larger than allowed and was not handled. For an upload, check the size limit; for a form, shorten very long text.";
    no_plan_body => "数据库中还没有方案。请先用 gaoxin plan load 加载方案文件。",
        "The database holds no plan yet. Load a plan file with gaoxin plan load.";
    back_home => "返回总览", "Back to the overview";
    request_id => "请求编号（联系管理员时请提供）：", "Request ID (give it to your administrator): ";
    footer_offline => "本页面的全部资源由 gaoxin 自身提供，可在无互联网的内网中使用。",
        "Every asset on this page is served by gaoxin itself; it works on an intranet with no internet.";
    api_link => "接口说明（OpenAPI）", "API (OpenAPI)";
    login_title => "登录", "Sign in";
    username => "用户名", "User name";
    password => "口令", "Password";
    login_button => "登录", "Sign in";
    login_invalid => "用户名或口令错误。", "Wrong user name or password.";
    totp_ended => "动态口令错误次数过多，本次登录已结束，请重新登录。",
        "Too many wrong TOTP codes: this sign-in has ended. Sign in again.";
    login_locked => "登录失败次数过多，本机已暂时不能登录此账号，请稍后再试或联系安全管理员。",
        "Too many failed sign-ins: this computer may not sign in to this account for a while. Try later or ask the security administrator.";
    login_throttled => "本机登录尝试过于频繁，请稍后再试。", "Too many sign-in attempts from this address. Try again later.";
    logout => "退出", "Sign out";
    login_no_accounts => "还没有任何账号。请在服务器上运行以下命令创建第一个账号，它会显示一次性口令：",
        "No account exists yet. On the server, create the first one with this command; it shows a one-time password:";
    signed_in_as => "当前用户", "Signed in as";
    password_title => "修改口令", "Change password";
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
    forbidden_title => "无法访问", "Access refused";
    forbidden_body => "您的账号无权执行此操作。", "Your account may not do this.";
    bad_request_title => "请求有误", "Bad request";
    nav_monitor => "驾驶舱", "Cockpit";
    nav_figures => "数据填报", "Figures";
    sample_data => "示例数据", "Sample data";
    sample_banner => "本系统当前载入了示例数据：这些数字是为演示生成的，不是官方统计。",
        "This installation holds sample data generated for demonstration, not official statistics.";
    monitor_title => "指标监测驾驶舱", "Indicator cockpit";
    monitor_lead => "每个高新区每项发展目标的最新值、序时目标、年度目标、状态灯和预计全年。点击状态灯查看判定规则和所用数据；未确认的数据已标明。",
        "Each zone's latest value, the value expected by now, the target, the light and the year-end forecast for every target. Click a light for the rule and the numbers behind it; unconfirmed values are marked.";
    report_period => "报告期", "Period";
    city_summary => "全市汇总", "City summary";
    lagging_title => "滞后指标（按差距排序）", "Lagging indicators (most behind first)";
    lagging_none => "本期没有滞后指标。", "No indicator is behind this period.";
    zone => "高新区", "Zone";
    trend_link => "趋势图", "Trends";
    trend_title => "趋势：本年累计值、序时进度与目标", "Trends: year to date, expected path and target";
    trend_lead => "实线为本年各月实际值，虚线为序时目标路径和年度目标。", "The solid line is this year's actual values by month; the dashed lines are the expected path and the target.";
    series_actual => "实际", "Actual";
    series_expected => "序时目标", "Expected";
    series_target => "年度目标", "Target";
    col_data_period => "数据期", "Data period";
    col_actual => "实际值", "Actual";
    col_expected => "序时目标", "Expected";
    col_target => "年度目标", "Target";
    col_status => "状态", "Status";
    col_forecast => "预计全年", "Forecast";
    col_gap => "差距", "Gap";
    status_green => "绿：达到序时进度", "Green: on track";
    status_yellow => "黄：略有落后", "Yellow: slightly behind";
    status_red => "红：明显落后", "Red: behind";
    status_gray => "灰：尚未报送", "Gray: not reported";
    forecast_hold_latest => "按最新累计值（增速、占比、名次）外推", "latest year-to-date value held to year end";
    forecast_last_year_pattern => "按上年月度分布推算", "scaled by last year's monthly pattern";
    forecast_linear => "按已过月份线性推算", "scaled linearly to twelve months";
    forecast_linear_from_close => "按上年末以来的变化线性推算", "change since last year's close continued linearly";
    why_undefined => "方案文件未给这个指标指定计算所用的基础数据，无法监测。", "The plan file names no figure to compute this indicator from, so it is not monitored.";
    why_not_reported => "本年还没有报送可用于计算的数据。", "Nothing this year has been reported to compute it from.";
    why_actual => "实际值 {}（数据期 {}），由以下数据计算：", "Actual {} (period {}), computed from:";
    why_input => "· {} {} {}：{}（{}）", "· {} {} {}: {} ({})";
    zone_cockpit_title => "{}：指标监测", "{}: indicators";
    why_target => "序时目标 = 年度目标 {}。", "Expected = the year's target {}.";
    why_prorated => "序时目标 = 年度目标 {} × {}/12 = {}。", "Expected = target {} × {}/12 = {}.";
    why_linear => "序时目标 = 上年末 {}（{}）+（年度目标 {} − 上年末）× {}/12 = {}。", "Expected = last year's close {} ({}) + (target {} − close) × {}/12 = {}.";
    why_no_close => "没有上年末数据，序时目标取年度目标 {}。", "No closing value for last year: expected = the target {}.";
    why_gap => "差距 {}（正数为领先），容差 {}。", "Gap {} (positive is ahead), tolerance {}.";
    why_rule_at_least => "规则：不低于序时目标为绿；低于但差距不超过容差为黄；超过容差为红。", "Rule: at or above expected is green; below by no more than the tolerance is yellow; further below is red.";
    why_rule_at_most => "规则（名次越小越好）：不高于序时目标为绿；高出不超过容差为黄；超过容差为红。", "Rule (smaller is better): at or below expected is green; above by no more than the tolerance is yellow; further above is red.";
    why_forecast => "预计全年 {}：{}。", "Forecast {}: {}.";
    missing_link => "未报送清单", "Not yet reported";
    missing_title => "未报送清单", "Not yet reported";
    missing_owed => "本期应报项数", "Figures due this period:";
    missing_none => "本期应报数据均已提交。", "Every figure due this period has been submitted.";
    source_department => "数据来源部门", "Source department";
    figures_title => "基础数据填报", "Enter figures";
    figures_lead => "填报本单位本期的基础数据：先保存，核对后提交；提交后由数据来源部门审核、调度员确认，退回的数据修改后再提交。与上年同期相比变动过大的数据须写明说明。",
        "Enter your unit's figures for the period: save, check, then submit. The source department reviews and the dispatcher confirms; returned values are corrected and submitted again. A large swing from last year needs an explanation.";
    review_link => "审核与确认", "Review and confirm";
    entry_none => "你的账号没有需要填报的数据。", "Your account has no figures to enter.";
    entry_nothing_due => "这一期本单位没有应报的数据。", "Nothing is due from this unit for this period.";
    zone_or_unit => "区域", "Unit";
    deadline_open => "本期填报截止：", "Entry closes:";
    deadline_closed => "本期填报已截止：", "Entry closed:";
    figure => "基础数据", "Figure";
    col_previous => "上期值", "Previous period";
    col_last_year => "上年同期", "Same period last year";
    col_value => "本期值", "Value";
    col_explanation => "说明", "Explanation";
    col_state => "状态", "State";
    col_swing => "同比变动", "Year on year";
    col_action => "操作", "Action";
    col_time => "时间", "Time";
    col_account => "账号", "Account";
    col_old_new => "原值 → 新值", "Old → new";
    col_reason => "原因", "Reason";
    change_reason => "修改原因（已确认数据必填）", "Reason for changing a confirmed value";
    flag_revised => "确认后修改", "Changed after confirmation";
    note => "意见：", "Note: ";
    history => "修改记录", "History";
    save => "保存", "Save";
    save_and_submit => "保存并提交", "Save and submit";
    none_yet => "—", "—";
    state_none => "未填报", "not entered";
    not_a_number => "“{}”不是数字。", "\"{}\" is not a number.";
    entry_done => "已保存 {} 项，已提交 {} 项。", "Saved {}, submitted {}.";
    entry_some_refused => "有数据未能保存或提交，原因见相应行。", "Some values were not saved or submitted; see the rows marked.";
    freq_monthly => "按月", "monthly";
    freq_quarterly => "按季", "quarterly";
    freq_yearly => "按年", "yearly";
    review_title => "审核与确认", "Review and confirm";
    review_lead => "数据来源部门的审核员审核各单位提交的数据；调度员确认审核通过的数据。退回须写明原因。",
        "Reviewers of the source department review what units submit; the dispatcher confirms what was reviewed. A return needs a reason.";
    review_empty => "没有等待你审核或确认的数据。", "Nothing is waiting for your review or confirmation.";
    review_done => "{} {} {}：{}。", "{} {} {}: now {}.";
    return_reason => "退回原因", "Reason for returning";
    step_save => "填报", "Save";
    step_submit => "提交", "Submit";
    step_approve => "审核通过", "Approve";
    step_return => "退回", "Return";
    step_confirm => "确认", "Confirm";
    step_import => "导入", "Import";
    periods_title => "填报期与截止时间", "Periods and deadlines";
    periods_lead => "每期数据在截止时间之后只有调度员可以修改；设定一个更晚的截止时间即重新开放该期。",
        "After a period's deadline only the dispatcher can change its figures; setting a later deadline reopens the period.";
    deadline => "截止时间", "Deadline";
    deadline_until => "截止日期（当日 24 时）", "Closes at the end of";
    deadline_save => "设定截止时间", "Set deadline";
    deadline_set => "{} 的填报截止时间已设为 {}。", "Entry for {} now closes at {}.";
    deadline_form_invalid => "请填写报告期（YYYY-MM）和截止日期（YYYY-MM-DD）。", "Give a period (YYYY-MM) and a date (YYYY-MM-DD).";
    period_open => "填报中", "open";
    period_closed => "已截止", "closed";
    excel_title => "用 Excel 填报", "Fill in with Excel";
    excel_lead => "下载本单位本期的模板，在“本期值”“说明”两列填写后上传：先试导入，核对无误再确认导入；有一行出错则一行也不导入。",
        "Download this unit's template for the period, fill in the value and explanation columns, and upload it: a dry run first, then confirm; if any row is wrong, no row is imported.";
    excel_download => "下载 Excel 模板", "Download the Excel template";
    excel_file => "填好的工作簿（.xlsx）", "Filled-in workbook (.xlsx)";
    excel_dry_run => "上传并试导入", "Upload and dry-run";
    upload_too_large => "文件太大或上传中断。", "The file is too large or the upload broke off.";
    upload_no_file => "请选择一个 .xlsx 文件。", "Choose an .xlsx file.";
    upload_has_errors => "试导入发现以下问题，没有导入任何数据。请改正后重新上传：", "The dry run found these problems; nothing was imported. Correct them and upload again:";
    upload_dry_run_ok => "试导入通过：以下各行都可以导入，尚未写入（未填“本期值”的行不导入）。确认后一次性全部导入。", "The dry run passed: every row below can be imported; nothing is written yet (rows without a value are left out). Confirm to import them all at once.";
    upload_confirm => "确认导入", "Import";
    upload_nothing => "工作簿中没有填写任何“本期值”，没有可导入的数据。", "The workbook has no value filled in; there is nothing to import.";
    upload_imported => "已导入 {} 行，均已提交审核。", "Imported {} rows, submitted for review.";
    upload_refused_now => "导入未完成，没有写入任何数据：", "Nothing was imported:";
    upload_row_error => "第 {} 行 {} 列：{}", "row {}, column {}: {}";
    col_row => "行", "Row";
    col_column => "列", "Column";
    col_problem => "问题", "Problem";
    totp_title => "动态口令", "Authenticator code";
    totp_enrol_lead => "管理员账号须使用动态口令。请用手机上的身份验证器（如 Microsoft Authenticator、Google Authenticator、FreeOTP）扫描下面的二维码，再输入它显示的 6 位数字。",
        "Administrator accounts need an authenticator code. Scan this QR code with an authenticator app (Microsoft Authenticator, Google Authenticator, FreeOTP …), then enter the 6 digits it shows.";
    totp_secret_text => "无法扫码时，可手动输入密钥：", "If you cannot scan, enter this key by hand:";
    totp_enter => "请输入身份验证器显示的 6 位数字。", "Enter the 6 digits your authenticator shows.";
    totp_code => "6 位动态口令", "6-digit code";
    totp_confirm => "确认", "Confirm";
    totp_wrong => "动态口令不正确或已用过，请输入身份验证器当前显示的数字。",
        "The code is wrong or already used: enter the one your authenticator shows now.";
    totp_on => "已启用", "on";
    totp_off => "未启用", "off";
    account_title => "我的账号", "My account";
    admin_accounts => "账号管理", "Accounts";
    admin_accounts_lead => "系统管理员新建、停用、删除账号。新账号没有角色，由安全管理员分配；一次性口令只显示一次，首次登录时必须修改。",
        "The system administrator creates, disables and deletes accounts. New accounts have no roles until the security administrator assigns them; the one-time password is shown once and must be changed at first sign-in.";
    admin_new_account => "新建账号", "New account";
    admin_create => "创建", "Create";
    admin_created => "已创建账号", "Created account";
    admin_one_time => "一次性口令（只显示这一次）：", "one-time password (shown only now):";
    admin_state => "状态", "State";
    admin_active => "正常", "active";
    admin_disabled => "已停用", "disabled";
    admin_disable => "停用", "Disable";
    admin_delete => "删除", "Delete";
    admin_disable_first => "请先停用账号，再删除。", "Disable the account first, then delete it.";
    admin_no_roles => "（无角色）", "(no roles)";
    admin_at_console => "管理员账号在服务器控制台修改：gaoxin user …", "administrators are changed at the server's console: gaoxin user …";
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
    audit_shown => "显示最新的 {} 条（最多 500 条；导出包含全部符合条件的记录）。", "Showing the newest {} (at most 500; the export has every match).";
    audit_time => "时间", "Time";
    audit_target => "对象", "Target";
    audit_result => "结果", "Result";
    audit_change => "变更", "Change";
    audit_before => "前", "before";
    audit_after => "后", "after";
    account_unit => "所属单位", "Unit";
    account_roles => "角色", "Roles";
    nav_ledgers => "台账", "Ledgers";
    nav_supervision => "督办", "Supervision";
    nav_inbox => "消息", "Inbox";
    nav_bulletin => "调度通报", "Bulletin";
    bulletin_lead => "每月调度通报：工作事项报送、督办单和滞后指标，数据随时更新，导出时以截止时间为准。通报正文为中文公文。", "The monthly dispatch bulletin: work-item reporting, supervision orders and lagging indicators, live until exported (the cut-off is stated). Its text is a Chinese official document.";
    bulletin_month => "月份", "Month";
    bulletin_docx => "下载 Word（公文格式）", "Download Word (official layout)";
    bulletin_xlsx => "下载 Excel", "Download Excel";
    nav_work => "任务调度", "Dispatch";
    work_title => "工作事项", "Work items";
    work_lead => "各项任务分解为工作事项：牵头单位、配合单位、节点和时限；各责任单位按期报送进展，滞后的须写明原因和下一步措施。", "Each task is broken into work items with a leading unit, partners, milestones and due dates; every responsible unit reports each period, and an item behind schedule must say why and what comes next.";
    work_unit => "责任单位", "Unit";
    work_missing_title => "报送情况（谁未报送）", "Who has not reported";
    work_new => "新建工作事项", "New work item";
    work_edit => "修改工作事项", "Edit the work item";
    work_none => "还没有工作事项。", "No work items yet.";
    work_item => "工作事项", "Work item";
    work_lead_unit => "牵头单位", "Leading unit";
    work_partners => "配合单位", "Partners";
    work_next => "下一个节点", "Next milestone";
    work_this_period => "本期报送", "This period";
    work_behind => "滞后", "behind";
    work_reported => "已报送（{}）", "reported ({})";
    work_reported_late => "逾期报送（{}）", "reported late ({})";
    work_missing => "未报送（{} 截止）", "not reported (due {})";
    work_due => "待报送（{} 前）", "due by {}";
    work_due_date => "完成时限", "Due";
    work_due_line => "本期进展报告应于 {} 前报送。", "This period's reports are due by {}.";
    work_reached_of => "节点 {}/{}", "milestones {}/{}";
    work_reached_none => "尚无完成的节点", "none reached yet";
    work_reached => "已完成", "reached";
    work_reached_label => "已完成的节点", "Milestones reached";
    work_report_filed => "进展已报送。", "The report was filed.";
    work_counted_mark => "（由台账统计）", " (counted from the ledgers)";
    work_period => "报送期", "Period";
    work_by_unit => "按单位", "By unit";
    work_owed => "应报", "Owed";
    work_filed => "已报", "Filed";
    work_late_count => "其中逾期", "Of which late";
    work_missing_count => "未报", "Missing";
    work_attached => "已上传，随报告提交", "uploaded; goes with the report";
    work_subtarget => "对应的分解目标", "Sub-target served";
    work_no_subtarget => "（无）", "(none)";
    work_target => "目标", "target";
    work_not_counted => "该分解目标没有对应的台账统计，进度以各单位报送为准。", "This sub-target is not counted from a ledger; progress is as the units report it.";
    work_counted_from => "进度由台账统计，不需填报。", "Progress is counted from the ledgers, not typed.";
    work_counted_rows => "查看计入的记录", "see the records counted";
    work_milestones => "节点", "Milestones";
    work_milestone => "节点内容", "Milestone";
    work_report_title => "报送进展", "File a progress report";
    work_attachment => "附件", "Attachments";
    work_upload => "上传", "Upload";
    work_attach_hint => "PDF、PNG/JPEG 图片、Word/Excel/PowerPoint 文档，每个不超过 {} MB，每份报告最多 {} 个。", "PDF, PNG/JPEG images, Word/Excel/PowerPoint documents; up to {} MB each, {} per report.";
    work_done => "本期完成情况", "Done this period";
    work_percent => "完成进度（%）", "Progress (%)";
    work_problems => "存在问题", "Problems";
    work_help => "需协调事项", "Help needed";
    work_if_behind => "进度滞后时必填", "Required when behind schedule";
    work_behind_reason => "滞后原因", "Why it is behind";
    work_next_steps => "下一步措施", "Next steps";
    work_submit => "提交报告", "File the report";
    work_reports => "进展报告", "Progress reports";
    work_no_reports => "还没有报告。", "No reports yet.";
    work_late => "逾期", "late";
    order_list_title => "督办单", "Supervision orders";
    order_list_lead => "督办单从立项、交办、签收、办理反馈、复核到办结销号，每一步都留有记录；退回须写明原因。", "An order goes from opening through assignment, signing, answer and review to closing; every step is kept, and sending back needs a reason.";
    order_warn_rule => "办理期限前 {} 天起亮黄灯，逾期亮红灯并提级督办（告知承办单位负责人和调度办）。", "Yellow from {} days before the deadline; red once overdue, when the order is escalated to the unit's leadership and the dispatch office.";
    order_state => "状态", "State";
    order_assignee => "承办单位", "Assigned to";
    order_task => "所属任务", "Task";
    order_light => "灯", "Light";
    order_new => "新建督办单", "New order";
    order_number => "编号", "No.";
    order_title => "督办事项", "Matter";
    order_subject => "督办对象", "About";
    order_subject_matter => "单独事项", "A matter of its own";
    order_none => "没有符合条件的督办单。", "No orders match.";
    order_deadline => "办理期限", "Deadline";
    order_days_left => "剩 {} 天", "{} days left";
    order_days_over => "逾期 {} 天", "{} days overdue";
    order_title_lagging => "{} 进度滞后", "{} is lagging";
    order_basis => "督办事由", "Grounds";
    order_basis_hint => "写明问题或依据，如滞后的指标、未完成的任务。", "What is wrong or needed, e.g. a lagging indicator or an unfinished task.";
    order_assign_now => "同时交办（可稍后交办）", "Assign now (or later)";
    order_assign_later => "不选承办单位则只立项，之后在督办单页面交办。", "Without a unit the order is only opened; assign it later on its page.";
    order_create => "立项", "Open the order";
    order_requirements => "督办要求", "Requirements";
    order_answer_note => "办理情况", "What was done";
    order_return_reason => "退回原因", "Reason for sending back";
    order_review_note => "复核意见", "Review remarks";
    order_close_note => "销号意见", "Closing remarks";
    order_sign_note => "签收说明", "Remark";
    order_new_deadline => "新的办理期限（不填则不变）", "New deadline (leave empty to keep it)";
    order_opened => "立项", "Opened";
    order_next_steps => "办理", "Next steps";
    order_history => "办理记录", "History";
    order_step_note => "说明", "Note";
    order_system => "系统", "system";
    order_done => "已{}。", "Done: {}.";
    order_open_link => "督办", "Supervise";
    inbox_lead => "督办单的交办、临期提醒、逾期提级、反馈、退回和办结，都会发到相关账号的消息里。", "Assignments, deadline reminders, escalations, answers, returns and closings of orders reach the accounts concerned here.";
    inbox_read_all => "全部标为已读", "Mark all read";
    inbox_kind => "消息", "Message";
    inbox_about => "督办单", "Order";
    inbox_empty => "没有消息。", "No messages.";
    ledgers_title => "台账", "Ledgers";
    ledgers_lead => "各项任务所依据的名录和清单。能从台账数出来的指标数据由台账统计，不再另行填报。", "The registries the plan's tasks work from. Figures the ledgers can count are counted from them, not typed again.";
    ledger_records_unit => "条", "records";
    ledger_show_all => "显示全部记录", "Show all records";
    ledger_search => "搜索", "Search";
    ledger_search_hint => "名称中的字，或代码开头", "part of the name, or the start of the code";
    ledger_all => "全部", "All";
    ledger_flagged_only => "只看需关注的", "Needing attention only";
    ledger_stalled_only => "只看停滞超过 {} 天的", "Stalled over {} days only";
    ledger_stalled => "已在“{}”阶段停留 {} 天", "at stage {} for {} days";
    ledger_total => "共", "Total";
    ledger_export => "导出 Excel（当前筛选）", "Export to Excel (this filter)";
    ledger_new => "新增记录", "New record";
    ledger_upload_title => "用 Excel 批量导入", "Import from Excel";
    ledger_upload_lead => "下载模板填写后上传。先试导入：列出每一处错误（第几行、哪一列）和每一处换算；确认后全部导入，有一行出错则一行也不导入。同一记录再次导入时更新原记录，同一个文件不能导入两次。", "Download the template, fill it and upload it. The dry run lists every error (row and column) and every value it normalised; on confirmation all rows are imported, or none if any row is wrong. A record imported again is updated; the same file cannot be imported twice.";
    ledger_upload_nothing => "工作簿中除表头和示例行外没有记录。", "The workbook holds no record besides the header and the example row.";
    ledger_empty => "没有符合条件的记录。", "No record matches.";
    ledger_prev => "上一页", "Previous";
    ledger_next => "下一页", "Next";
    ledger_stored_now => "当前保存的值：", "Stored now:";
    ledger_version => "版本", "Version";
    ledger_changes => "修改内容", "Changes";
    ledger_notes_lead => "以下数值已按常见写法换算，请核对", "These values were normalised; please check them";
    ledger_normalised => "换算", "Normalised";
    ledger_counted_lead => "以下是计入“{}”的记录（截至 {}）。", "These records make the count \"{}\" (as of {}).";
    ledger_updated => "更新日期", "Updated";
    ledger_imported => "已导入：新增 {} 条，更新 {} 条。", "Imported: {} new, {} updated.";
    ledger_saved => "已保存。", "Saved.";
    ledger_action_create => "新增", "created";
    ledger_action_import => "导入", "imported";
    ledger_action_update => "修改", "changed";
    ledger_form_errors => "有的内容需要改正，见各栏下方的提示；没有保存。", "Some fields need correcting (see below each); nothing was saved.";
    ledger_already_imported => "这个文件（{}）已于 {} 由 {} 导入过，不再重复导入。", "This file ({}) was imported on {} by {}; it is not imported twice.";
    ledger_dry_run_summary => "试导入通过，尚未写入：共 {} 条记录，将新增 {} 条、更新 {} 条，{} 条与现有记录相同；跳过空行 {} 行、示例行 {} 行。确认后一次性全部导入。", "The dry run passed; nothing is written yet: {} records — {} new, {} updated, {} the same as stored; {} blank and {} example rows skipped. Confirm to import them all at once.";
    ledger_rows_link => "台账明细：{}", "Ledger records: {}";
    counted_from_ledger => "由台账统计", "counted from the ledger";
    counted_empty => "此项由“{}”台账统计，台账中还没有记录：在台账中录入或导入后自动计算，无需填报。", "Counted from the {} ledger, which holds no record yet: enter or import its records and this is computed; nothing is typed here.";
    ledger_link => "台账：{}", "Ledger: {}";
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_entry_has_both_languages_and_english_is_translated() {
        for (key, zh, en) in ENTRIES {
            assert!(!zh.trim().is_empty(), "{key}: empty Chinese");
            // Only the language switch speaks Chinese in the English interface: it is read by
            // the person who wants Chinese back.
            let cjk = en.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
            let switch = matches!(*key, "switch_lang" | "switch_lang_title");
            assert!(!cjk || switch, "{key}: English text contains Chinese: {en}");
            assert_eq!(
                zh.matches("{}").count(),
                en.matches("{}").count(),
                "{key}: placeholders differ"
            );
        }
    }

    #[test]
    fn keys_are_unique() {
        let mut keys: Vec<&str> = ENTRIES.iter().map(|e| e.0).collect();
        keys.sort_unstable();
        let n = keys.len();
        keys.dedup();
        assert_eq!(keys.len(), n);
    }
}
