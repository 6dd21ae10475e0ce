//! 任务调度 — work items, reports and attachments.

catalog! {
    work_title => "工作事项", "Work items";
    work_lead => "各项任务分解为工作事项：牵头单位、配合单位、节点和时限；各责任单位按期报送进展，滞后的须写明原因和下一步措施。",
        "Each task is broken into work items with a leading unit, partners, milestones and due dates; every responsible unit reports each period, and an item behind schedule must say why and what comes next.";
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
    work_report_returned_done => "报告已退回，承办单位已收到通知。", "The report was returned; the unit is told.";
    work_report_returned => "已退回", "Returned";
    work_return => "退回报告", "Return the report";
    work_return_reason => "退回原因（承办单位据此修改后重新报送）", "Why (the unit corrects it and files again)";
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
    work_not_counted => "该分解目标没有对应的台账统计，进度以各单位报送为准。",
        "This sub-target is not counted from a ledger; progress is as the units report it.";
    work_counted_from => "进度由台账统计，不需填报。", "Progress is counted from the ledgers, not typed.";
    work_counted_rows => "查看计入的记录", "see the records counted";
    work_milestones => "节点", "Milestones";
    work_milestone => "节点内容", "Milestone";
    work_report_title => "报送进展", "File a progress report";
    work_attachment => "附件", "Attachments";
    work_upload => "上传", "Upload";
    work_attach_hint => "PDF、PNG/JPEG 图片、Word/Excel/PowerPoint 文档，每个不超过 {} MB，每份报告最多 {} 个。",
        "PDF, PNG/JPEG images, Word/Excel/PowerPoint documents; up to {} MB each, {} per report.";
    work_done => "本期完成情况", "Done this period";
    work_percent => "完成进度（%）", "Progress (%)";
    work_problems => "存在问题", "Problems";
    work_help => "需协调事项", "Help needed";
    work_if_behind => "进度滞后时必填", "Required when behind schedule";
    work_behind_now => "该事项进度滞后（{}）：请写明滞后原因和下一步措施，二者必填。",
        "This item is behind ({}): say why and what comes next; both are required.";
    work_behind_chosen => "按所选的已完成节点，该事项进度滞后：请写明滞后原因和下一步措施，二者必填。",
        "With the milestones chosen, the item is behind: say why and what comes next; both are required.";
    work_behind_reason => "滞后原因", "Why it is behind";
    work_next_steps => "下一步措施", "Next steps";
    work_submit => "提交报告", "File the report";
    work_reports => "进展报告", "Progress reports";
    work_no_reports => "还没有报告。", "No reports yet.";
    work_late => "逾期", "late";
    report_bad_period => "报送期无效：请按 年-月 选择本期或以前的一期。",
        "the period is not valid: choose this period or an earlier one (YYYY-MM).";
    form_no_period => "表单缺少报送期，请刷新页面后重试。", "the form has no period; reload the page and try again.";
    file_incomplete => "文件没有完整上传（可能超过大小上限），请重试。",
        "the file did not arrive whole (it may be over the size limit); try again.";
    choose_file => "请选择要上传的文件。", "choose a file to upload.";
    percent_not_whole => "完成进度“{}”不是整数。", "the percentage \"{}\" is not a whole number.";
    board_title => "任务看板", "Task board";
    board_link => "任务看板", "Task board";
    board_of_department => "牵头任务的看板", "Board of the tasks it leads";
    board_lead => "方案每项任务一盏灯：由其量化子目标、工作事项本期报送和督办单汇总得出，原因逐条列出、可点开；落后的排在前面。",
        "One light per task of the plan, rolled up from its quantified sub-targets, its work items' reports this period and its supervision orders, each reason listed and linked; those behind come first.";
    board_rules_title => "亮灯规则", "How the light is set";
    board_rule_red => "红：有子目标明显落后或已到期未完成，或有督办单逾期。", "Red: a sub-target is behind beyond its tolerance or missed in a year that is over, or an order is past its deadline.";
    board_rule_yellow => "黄：有子目标略有落后、有单位报告进度滞后、有单位过了报送日仍未报送，或有督办单临近期限。", "Yellow: a sub-target is slightly behind, a unit reported its item behind schedule, a unit has not reported by the due day, or an order's deadline is near.";
    board_rule_green => "绿：有工作事项或可统计的子目标，且没有以上情况。", "Green: the task has work items or counted sub-targets, and none of the above.";
    board_rule_gray => "灰：尚无工作事项、可统计的子目标或督办单，无从判断。", "Gray: no work item, counted sub-target or order tracks the task yet.";
    board_period => "本期报送：", "Reports of";
    board_not_due => "尚未到报送截止日，未报送不计", "not yet due: missing reports are not counted";
    board_lead_department => "牵头部门", "Lead department";
    board_lead_by => "牵头：", "Lead:";
    board_counts => "工作事项 {} 项 · 已计算子目标 {} 个 · 在办督办单 {} 件", "{} work items · {} sub-targets counted · {} open orders";
    board_untracked => "尚无工作事项，也没有可统计的子目标。", "No work item and no counted sub-target yet.";
    board_none => "没有符合条件的任务。", "No task matches.";
    board_green => "绿：正常推进", "Green: on track";
    board_yellow => "黄：需关注", "Yellow: needs attention";
    board_red => "红：明显落后", "Red: behind";
    board_gray => "灰：尚无跟踪", "Gray: not tracked yet";
    board_reason_subtarget => "子目标“{}”（{}）落后于序时进度", "Sub-target \"{}\" ({}) is behind the expected progress";
    board_reason_missed => "子目标“{}”（{}）到期未完成", "Sub-target \"{}\" ({}) was missed";
    board_reason_order_overdue => "督办单 {} 已逾期", "Order {} is overdue";
    board_reason_order_due => "督办单 {} 临近期限", "Order {} is near its deadline";
    board_reason_behind => "“{}”：{} 报告进度滞后", "\"{}\": {} reported it behind schedule";
    board_reason_missing => "“{}”：{} 未报送本期进展", "\"{}\": {} did not report this period";
}
