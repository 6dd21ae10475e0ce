//! 共用 — the layout, navigation, errors and words every page uses.

catalog! {
    app_name => "高新区三年提升调度平台", "High-Tech Zone Plan Dispatch";
    app_tagline => "高新", "gaoxin";
    nav_overview => "总览", "Overview";
    nav_plan => "方案", "Plan";
    nav_duties => "责任分工", "Responsibilities";
    nav_text => "方案原文", "Plan text";
    switch_lang => "English", "中文";
    page_prev => "上一页", "Previous";
    page_next => "下一页", "Next";
    page_newest => "最新", "Newest";
    page_older => "更早", "Older";
    switch_lang_title => "Switch to English", "切换到中文";
    skip_to_content => "跳到正文", "Skip to content";
    edition => "稿次", "Edition";
    version_no => "第 {} 版", "version {}";
    loaded_at => "加载时间", "Loaded at";
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
    shares_of => "占比类指标的分母：{}", "Shares are of: {}";
    chart_title => "目标路径 {}–{}（{}）", "Target path {}–{} ({})";
    chart_fallback => "图表需要浏览器启用 JavaScript；上表列出了全部目标值。",
        "The chart needs JavaScript; the table above lists every target.";
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
    subtargets => "量化子目标", "Quantified sub-targets";
    scope_all_zones => "全市高新区合计", "All zones together";
    scope_each_zone => "每个高新区", "Each zone";
    cadence_once => "{} 年内", "within {}";
    cadence_yearly => "每年", "every year";
    cadence_standing => "方案期内持续", "throughout the plan";
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
    not_found_body => "您要找的内容不存在，或已被移除。",
        "What you are looking for does not exist or has been removed.";
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
    username => "用户名", "User name";
    full_name => "姓名", "Name";
    phone => "电话", "Phone";
    profile_saved => "姓名和电话已保存。", "Name and phone saved.";
    notices_saved => "提醒方式已保存。", "Notice settings saved.";
    notices_lead => "每条提醒都进入站内消息；另可发一份到您的电子邮箱。单位工作群机器人由系统管理员在服务器上设置。",
        "Every notice reaches your inbox; a copy can also go to your e-mail. The unit's group robot is set up at the server.";
    notices_email => "电子邮箱", "E-mail";
    notices_which => "哪些提醒发到邮箱", "Which notices to e-mail";
    notices_all => "全部", "All";
    notices_urgent => "仅紧急：临期、逾期、退回、催办、批示、新交办", "Urgent only: deadlines near or passed, returns, nudges, instructions, new orders";
    notices_none => "不发邮件", "None";
    profile_lead => "填写您的姓名和电话：办理记录中显示姓名，调度办据此联系您。", "Your name and phone: histories show your name, and the dispatch office reaches you by phone.";
    password => "口令", "Password";
    logout => "退出", "Sign out";
    signed_in_as => "当前用户", "Signed in as";
    password_title => "修改口令", "Change password";
    forbidden_title => "无法访问", "Access refused";
    forbidden_body => "您的账号无权执行此操作。", "Your account may not do this.";
    bad_request_title => "请求有误", "Bad request";
    nav_monitor => "驾驶舱", "Cockpit";
    nav_figures => "数据填报", "Figures";
    sample_data => "示例数据", "Sample data";
    sample_banner => "本系统当前载入了示例数据：这些数字是为演示生成的，不是官方统计。",
        "This installation holds sample data generated for demonstration, not official statistics.";
    zone_or_unit => "区域", "Unit";
    col_action => "操作", "Action";
    col_time => "时间", "Time";
    col_account => "账号", "Account";
    history => "修改记录", "History";
    save => "保存", "Save";
    excel_download => "下载 Excel 模板", "Download the Excel template";
    excel_file => "填好的工作簿（.xlsx）", "Filled-in workbook (.xlsx)";
    excel_dry_run => "上传并试导入", "Upload and dry-run";
    upload_too_large => "文件太大或上传中断。", "The file is too large or the upload broke off.";
    upload_no_file => "请选择一个 .xlsx 文件。", "Choose an .xlsx file.";
    upload_has_errors => "试导入发现以下问题，没有导入任何数据。请改正后重新上传：",
        "The dry run found these problems; nothing was imported. Correct them and upload again:";
    upload_confirm => "确认导入", "Import";
    col_row => "行", "Row";
    col_column => "列", "Column";
    col_problem => "问题", "Problem";
    totp_title => "动态口令", "Authenticator code";
    totp_on => "已启用", "on";
    totp_off => "未启用", "off";
    account_title => "我的账号", "My account";
    account_unit => "所属单位", "Unit";
    account_roles => "角色", "Roles";
    nav_ledgers => "台账", "Ledgers";
    nav_supervision => "督办", "Supervision";
    nav_inbox => "消息", "Inbox";
    nav_bulletin => "调度通报", "Bulletin";
    nav_work => "任务调度", "Dispatch";
    order_state => "状态", "State";
    order_task => "所属任务", "Task";
    order_new => "新建督办单", "New order";
    ledger_show_all => "显示全部记录", "Show all records";
    ledger_all => "全部", "All";
    ledger_saved => "已保存。", "Saved.";
    ledger_form_errors => "有的内容需要改正，见各栏下方的提示；没有保存。",
        "Some fields need correcting (see below each); nothing was saved.";
    bad_parameter => "请求中的某个参数格式不对（例如日期、数字或编号）：请从页面上的链接或表单重新操作。",
        "a parameter of the request is malformed (a date, a number or an id): go back to the page's links or forms.";
    nul_refused => "请求中含有不可见的控制字符（NUL），已拒绝：请重新输入，不要从其他软件直接粘贴二进制内容。",
        "the request holds an invisible control character (NUL) and was refused: type it again rather than pasting binary content.";
    upload_gone => "这次上传已确认过或已过期（一小时），请重新上传文件。",
        "this upload was confirmed already or has expired (one hour); upload the file again.";
    form_no_version => "表单缺少版本号，请刷新页面后重试。",
        "the form has no version; reload the page and try again.";
    bad_period => "报告期应写成 YYYY-MM，例如 2025-06。", "a period is written YYYY-MM, e.g. 2025-06.";
    refused_unauthenticated => "请先登录。", "Sign in first.";
    refused_forbidden => "您的账号无权访问此内容。", "Your account may not access this.";
    refused_csrf => "请求来源或表单令牌无效，已拒绝。请刷新页面后重试。",
        "The request's origin or form token is invalid; it was refused. Reload the page and try again.";
    refused_password_change => "请先修改口令。", "Change your password first.";
    refused_second_factor => "请先输入动态口令。", "Give your TOTP code first.";
    refused_other => "请求被拒绝。", "The request was refused.";
    print_pdf => "打印或存为 PDF", "Print or save as PDF";
    printed_by => "{} 打印于 {}", "Printed by {} on {}";
}
