//! 工作台 — an account's home: what to do now, and the city's three questions.

catalog! {
    nav_workbench => "工作台", "Workbench";
    wb_title => "我的工作台", "My workbench";
    wb_lead => "本期（{}）需要您办理的事项，逾期和临近期限的排在前面。点击即可办理。",
        "What you have to do for the current period ({}), overdue and nearest deadlines first. Click to do it.";
    wb_todos => "待办事项", "To do";
    wb_none => "目前没有待办事项。", "Nothing to do right now.";
    wb_due => "截止 {}", "due {}";
    wb_overdue => "已逾期", "Overdue";
    wb_count => "{} 项", "{} items";
    wb_count_one => "{} 项", "{} item";
    wb_more => "等 {} 项", "and {} more";
    wb_do => "去办理", "Open";
    wb_figures_returned => "被退回的基础数据：修改后重新提交", "Figures returned: correct and submit again";
    wb_figures_to_enter => "待填报的基础数据", "Figures to enter";
    wb_figures_to_submit => "已保存未提交的基础数据", "Figures saved, not submitted";
    wb_figures_to_review => "待审核的基础数据", "Figures to review";
    wb_figures_to_confirm => "待确认的基础数据", "Figures to confirm";
    wb_reports_missing => "逾期未报的进展报告", "Progress reports overdue";
    wb_reports_due => "待报送的进展报告", "Progress reports due";
    wb_orders_to_sign => "待签收的督办单", "Orders to sign for";
    wb_orders_to_answer => "待反馈的督办单", "Orders to answer";
    wb_orders_to_review => "待复核的督办单反馈", "Order answers to review";
    wb_orders_to_assign => "待交办的督办单", "Orders to assign";
    wb_extensions_to_decide => "待审批的延期申请", "Requests for more time to decide";
    wb_unread => "未读消息", "Unread messages";
    wb_due_word => "截止", "due";
    wb_month_link => "一页办完本期事项", "Do this period's work on one page";
    wb_month_hint => "基础数据、进展报告、督办反馈都在一页上，逐项提交。",
        "Figures, progress reports and order answers on one page, each sent on its own.";
    month_title => "本期填报", "This period's returns";
    month_lead => "本单位本期（{}）应报的基础数据、进展报告和待办督办单，逐项填写、逐项提交；带 * 的必须填写。",
        "What your unit owes for the current period ({}): figures, progress reports and supervision orders, each filled in and sent on its own; fields marked * are required.";
    month_counts => "待办：基础数据 {} 项，进展报告 {} 份，督办单 {} 件。",
        "To do: figures {}, progress reports {}, orders {}.";
    month_all_done => "本期应报事项都已办完。", "Everything due this period is done.";
    month_figures => "基础数据", "Figures";
    month_figures_of => "{} · {}", "{} · {}";
    month_figures_returned => "{} · {}（被退回，修改后重新提交）", "{} · {} (returned: correct and submit again)";
    month_last_year => "上年同期 {}", "a year before: {}";
    month_figures_submit => "保存并提交", "Save and submit";
    month_figures_in => "本期数据已全部提交。", "All figures of this period are submitted.";
    month_figures_done => "基础数据已保存并提交。", "Figures saved and submitted.";
    month_full_form => "完整填报页（上期值、修改原因、Excel 导入）", "Full form (previous values, revisions, Excel import)";
    month_reports => "进展报告", "Progress reports";
    month_report_returned => "本期报告被调度办退回，请修改后重新报送。退回原因：{}", "This period's report was returned by the dispatch office; correct it and file again. Why: {}";
    month_full_report => "完整报告页（附件、问题、需协调事项）", "Full report (attachments, problems, help needed)";
    month_orders => "督办单", "Supervision orders";
    month_sign => "签收", "Sign for it";
    month_answer_label => "办理情况", "What was done";
    month_answer => "提交反馈", "Send the answer";
    month_order_more => "督办单全文、申请延期、退回", "The whole order, ask for more time, hand it back";
    wb_city => "全市一览（{}）", "The city at a glance ({})";
    wb_city_lead => "三个问题：哪些目标落后、谁没有报送、哪些督办单逾期。",
        "Three questions: which targets are behind, who has not reported, which orders are overdue.";
    wb_on_track => "{} 项达到序时进度，{} 项落后，{} 项未报送", "{} on track, {} behind, {} not reported";
    wb_behind => "落后的目标", "Targets behind";
    wb_behind_none => "本期没有落后的目标。", "No target is behind this period.";
    wb_responsible => "责任单位", "Responsible";
    wb_unreported => "未报送", "Not reported";
    wb_unreported_lead => "基础数据截止 {}；进展报告（{}）截止 {}。",
        "Figures due {}; progress reports ({}) due {}.";
    wb_unreported_none => "本期应报的数据和进展报告都已报送。", "Every figure and report due has come in.";
    wb_unit => "单位", "Unit";
    wb_unreported_figures => "基础数据（项）", "Figures";
    wb_unreported_reports => "进展报告（份）", "Reports";
    wb_overdue_orders => "逾期督办单", "Overdue orders";
    wb_overdue_none => "没有逾期的督办单。", "No order is overdue.";
    wb_more_link => "查看全部", "See all";
}
