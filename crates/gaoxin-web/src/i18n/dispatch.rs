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
}
