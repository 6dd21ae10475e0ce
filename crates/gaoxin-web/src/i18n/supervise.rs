//! 督办 — orders and the inbox.

catalog! {
    deadline_not_a_date => "办理期限“{}”不是有效日期，请按 年-月-日 填写",
        "the deadline \"{}\" is not a date: use YYYY-MM-DD";
    order_list_title => "督办单", "Supervision orders";
    order_list_lead => "督办单从立项、交办、签收、办理反馈、复核到办结销号，每一步都留有记录；退回须写明原因。",
        "An order goes from opening through assignment, signing, answer and review to closing; every step is kept, and sending back needs a reason.";
    order_warn_rule => "办理期限前 {} 天起亮黄灯，逾期亮红灯并提级督办（告知承办单位负责人和调度办）。",
        "Yellow from {} days before the deadline; red once overdue, when the order is escalated to the unit's leadership and the dispatch office.";
    order_assignee => "承办单位", "Assigned to";
    order_light => "灯", "Light";
    order_number => "编号", "No.";
    order_title => "督办事项", "Matter";
    order_subject => "督办对象", "About";
    order_subject_matter => "单独事项", "A matter of its own";
    order_none => "没有符合条件的督办单。", "No orders match.";
    order_count => "共 {} 件，第 {}–{} 件", "{} orders, {}–{} shown";
    order_deadline => "办理期限", "Deadline";
    order_days_left => "剩 {} 天", "{} days left";
    order_days_over => "逾期 {} 天", "{} days overdue";
    order_title_lagging => "{} 进度滞后", "{} is lagging";
    order_basis_lagging => "{}{}：{}实际值 {}，序时目标 {}，差距 {}（{}）。",
        "{} {}: in {} the actual value is {} against {} expected, a gap of {} ({}).";
    order_basis => "督办事由", "Grounds";
    order_basis_hint => "写明问题或依据，如滞后的指标、未完成的任务。",
        "What is wrong or needed, e.g. a lagging indicator or an unfinished task.";
    order_assign_now => "同时交办（可稍后交办）", "Assign now (or later)";
    order_assign_later => "不选承办单位则只立项，之后在督办单页面交办。",
        "Without a unit the order is only opened; assign it later on its page.";
    order_create => "立项", "Open the order";
    order_requirements => "督办要求", "Requirements";
    order_answer_note => "办理情况", "What was done";
    order_return_reason => "退回原因", "Reason for sending back";
    order_review_note => "复核意见", "Review remarks";
    order_close_note => "销号意见", "Closing remarks";
    order_sign_note => "签收说明", "Remark";
    order_new_deadline => "新的办理期限（不填则不变）", "New deadline (leave empty to keep it)";
    order_extension_reason => "延期理由", "Why more time is needed";
    order_extension_to => "申请延至", "Asked until";
    order_granted_deadline => "延期后的办理期限", "The new deadline";
    order_grant_note => "审批意见", "Remark";
    order_refuse_reason => "不同意的理由", "Why it is refused";
    order_urge_note => "催办说明", "Remark to the unit";
    order_instruction => "批示内容", "The instruction";
    order_instruction_fact => "领导批示", "Leader's instruction";
    order_co_units => "协办单位", "Co-handling units";
    order_co_units_pick => "协办单位（可选，可多选；协办单位可查看督办单并收到交办、临期、逾期、催办、批示和办结的提醒，由承办单位反馈）",
        "Co-handling units (optional, several; they see the order and are told of its assignment, deadline, escalation, nudges, instructions and closing; the assigned unit answers)";
    order_answer_files => "反馈附件", "Files with the answer";
    order_sheet => "打印督办通知单（Word）", "Print the order sheet (Word)";
    order_extension_waiting => "延期申请待审批：申请延至 {}", "More time asked, to be decided: until {}";
    order_opened => "立项", "Opened";
    order_next_steps => "办理", "Next steps";
    order_history => "办理记录", "History";
    order_step_note => "说明", "Note";
    order_system => "系统", "system";
    order_done => "已{}。", "Done: {}.";
    inbox_lead => "基础数据的提交、审核、退回和确认，进展报告的临期和逾期提醒，督办单的交办、临期提醒、逾期提级、反馈、退回和办结，都会发到相关账号的消息里。",
        "Figures submitted, reviewed, returned and confirmed; progress reports due and overdue; orders assigned, due, escalated, answered, returned and closed: each reaches the accounts concerned here.";
    inbox_read_all => "全部标为已读", "Mark all read";
    inbox_kind => "消息", "Message";
    inbox_about => "事项", "About";
    inbox_empty => "没有消息。", "No messages.";
    notice_report_due => "进展报告临近报送期限", "a progress report is due soon";
    notice_report_overdue => "进展报告逾期未报", "a progress report is overdue";
    notice_report_returned => "进展报告被退回", "a progress report was returned";
    notice_bulletin_published => "调度通报已印发", "a bulletin was published";
    form_no_step => "表单缺少要执行的操作，请刷新页面后重试。",
        "the form names no step; reload the page and try again.";
}
