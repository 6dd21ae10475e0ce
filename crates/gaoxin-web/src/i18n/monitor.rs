//! 指标监测 — the cockpit, a zone's page and the figures pages.

catalog! {
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
    trend_lead => "实线为本年各月实际值，虚线为序时目标路径和年度目标。",
        "The solid line is this year's actual values by month; the dashed lines are the expected path and the target.";
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
    gap_points => "{} 个百分点", "{} pp";
    status_green => "绿：达到序时进度", "Green: on track";
    status_yellow => "黄：略有落后", "Yellow: slightly behind";
    status_red => "红：明显落后", "Red: behind";
    status_gray => "灰：尚未报送", "Gray: not reported";
    forecast_hold_latest => "按最新累计值（增速、占比、名次）外推", "latest year-to-date value held to year end";
    forecast_last_year_pattern => "按上年月度分布推算", "scaled by last year's monthly pattern";
    forecast_linear => "按已过月份线性推算", "scaled linearly to twelve months";
    forecast_linear_from_close => "按上年末以来的变化线性推算",
        "change since last year's close continued linearly";
    why_undefined => "方案文件未给这个指标指定计算所用的基础数据，无法监测。",
        "The plan file names no figure to compute this indicator from, so it is not monitored.";
    why_not_reported => "本年还没有报送可用于计算的数据。",
        "Nothing this year has been reported to compute it from.";
    why_actual => "实际值 {}（数据期 {}），由以下数据计算：", "Actual {} (period {}), computed from:";
    why_input => "· {} {} {}：{}（{}）", "· {} {} {}: {} ({})";
    zone_cockpit_title => "{}：指标监测", "{}: indicators";
    why_target => "序时目标 = 年度目标 {}。", "Expected = the year's target {}.";
    why_prorated => "序时目标 = 年度目标 {} × {}/12 = {}。", "Expected = target {} × {}/12 = {}.";
    why_linear => "序时目标 = 上年末 {}（{}）+（年度目标 {} − 上年末）× {}/12 = {}。",
        "Expected = last year's close {} ({}) + (target {} − close) × {}/12 = {}.";
    why_no_close => "没有上年末数据，序时目标取年度目标 {}。",
        "No closing value for last year: expected = the target {}.";
    why_gap => "差距 {}（正数为领先），容差 {}。", "Gap {} (positive is ahead), tolerance {}.";
    why_rule_at_least => "规则：不低于序时目标为绿；低于但差距不超过容差为黄；超过容差为红。",
        "Rule: at or above expected is green; below by no more than the tolerance is yellow; further below is red.";
    why_rule_at_most => "规则（名次越小越好）：不高于序时目标为绿；高出不超过容差为黄；超过容差为红。",
        "Rule (smaller is better): at or below expected is green; above by no more than the tolerance is yellow; further above is red.";
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
    deadline_open => "本期填报截止：", "Entry closes:";
    deadline_closed => "本期填报已截止：", "Entry closed:";
    figure => "基础数据", "Figure";
    col_previous => "上期值", "Previous period";
    col_last_year => "上年同期", "Same period last year";
    col_value => "本期值", "Value";
    col_explanation => "说明", "Explanation";
    col_state => "状态", "State";
    col_swing => "同比变动", "Year on year";
    col_old_new => "原值 → 新值", "Old → new";
    col_reason => "原因", "Reason";
    change_reason => "修改原因（已确认数据必填）", "Reason for changing a confirmed value";
    flag_revised => "确认后修改", "Changed after confirmation";
    note => "意见：", "Note: ";
    save_and_submit => "保存并提交", "Save and submit";
    none_yet => "—", "—";
    state_none => "未填报", "not entered";
    not_a_number => "“{}”不是数字。", "\"{}\" is not a number.";
    entry_done => "已保存 {} 项，已提交 {} 项。", "Saved {}, submitted {}.";
    entry_some_refused => "有数据未能保存或提交，原因见相应行。",
        "Some values were not saved or submitted; see the rows marked.";
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
    deadline_form_invalid => "请填写报告期（YYYY-MM）和截止日期（YYYY-MM-DD）。",
        "Give a period (YYYY-MM) and a date (YYYY-MM-DD).";
    period_open => "填报中", "open";
    period_closed => "已截止", "closed";
    excel_title => "用 Excel 填报", "Fill in with Excel";
    excel_lead => "下载本单位本期的模板，在“本期值”“说明”两列填写后上传：先试导入，核对无误再确认导入；有一行出错则一行也不导入。",
        "Download this unit's template for the period, fill in the value and explanation columns, and upload it: a dry run first, then confirm; if any row is wrong, no row is imported.";
    upload_dry_run_ok => "试导入通过：以下各行都可以导入，尚未写入（未填“本期值”的行不导入）。确认后一次性全部导入。",
        "The dry run passed: every row below can be imported; nothing is written yet (rows without a value are left out). Confirm to import them all at once.";
    upload_nothing => "工作簿中没有填写任何“本期值”，没有可导入的数据。",
        "The workbook has no value filled in; there is nothing to import.";
    upload_imported => "已导入 {} 行，均已提交审核。", "Imported {} rows, submitted for review.";
    upload_refused_now => "导入未完成，没有写入任何数据：", "Nothing was imported:";
    upload_row_error => "第 {} 行 {} 列：{}", "row {}, column {}: {}";
    order_open_link => "督办", "Supervise";
    ledger_rows_link => "台账明细：{}", "Ledger records: {}";
    counted_from_ledger => "由台账统计", "counted from the ledger";
    counted_empty => "此项由“{}”台账统计，台账中还没有记录：在台账中录入或导入后自动计算，无需填报。",
        "Counted from the {} ledger, which holds no record yet: enter or import its records and this is computed; nothing is typed here.";
    ledger_link => "台账：{}", "Ledger: {}";
    template_failed => "模板生成失败。", "the template could not be made.";
    unknown_action => "未知的操作。", "unknown action.";
    subtargets_title => "任务量化子目标", "Quantified sub-targets of the tasks";
    subtargets_lead => "方案各项任务中写明数量的目标，由台账记录统计，不再填报；每项按其目标年度判断（2025 年的目标在 2026 年仍按 2025 年全年计）。落后的排在前面。",
        "The targets with numbers inside the plan's tasks, counted from the ledgers, never typed; each is judged for its own year (a 2025 target read in 2026 counts 2025). Those behind come first.";
    subtargets_none => "方案没有量化子目标。", "The plan has no quantified sub-targets.";
    sub_col_subtarget => "子目标", "Sub-target";
    sub_col_scope => "范围", "Scope";
    sub_col_year => "目标年度", "Year";
    sub_task => "任务 {}", "Task {}";
    sub_year => "{}年", "{}";
    sub_all_zones => "全市高新区合计", "All zones together";
    sub_closed => "已结束", "Year over";
    sub_status_gray => "灰：无法计算", "Gray: not known";
    sub_summary => "子目标：绿 {} · 黄 {} · 红 {} · 灰 {}", "Sub-targets: green {} · yellow {} · red {} · gray {}";
    sub_why_actual => "截至 {}，“{}”台账计入 {}。", "By {}, the {} ledger counts {}.";
    sub_why_closed => "{} 年已结束：按全年结果对照目标 {}，不留容差。", "{} is over: the year's result against the target {}, no tolerance.";
    sub_why_above => "超过方案要求的上限 {}。", "Above the plan's upper end {}.";
    sub_why_not_counted => "方案文件未指定由哪本台账统计此项，无法计算。", "The plan file names no ledger count for this sub-target: it cannot be computed.";
    sub_why_nothing_to_share => "台账中还没有此项比例所针对的记录（如 10 亿元以上项目、低效用地地块），比例无从计算。",
        "The ledger holds none of the records this share is of (projects of 1 billion yuan or more, low-efficiency parcels): there is nothing to take a share of.";
    sub_why_not_started => "{} 年的目标，尚未开始。", "A target for {}: not started yet.";
    compare_title => "各区对比", "Zones side by side";
    compare_link => "各区对比", "Zones side by side";
    compare_lead => "各高新区按各自目标的完成情况排名，并并列比较各区共有的指标和量化子目标。", "The zones ranked by how much of their own targets is on track, and the indicators and sub-targets they share compared side by side.";
    compare_ranking => "排名", "Ranking";
    compare_ranking_rule => "排名规则：已有数据的目标和本区量化子目标中，达到序时进度（绿）的比例高者在前；相同则红灯少者在前，再相同则黄灯少者在前；完全相同并列。", "Rule: of the targets and the zone's own sub-targets that have a value, the larger share on track (green) first; then fewer reds, then fewer yellows; equal zones share a rank.";
    compare_col_rank => "名次", "Rank";
    compare_col_on_track => "达到序时进度", "On track";
    compare_col_targets => "目标（绿/黄/红/灰）", "Targets (green/yellow/red/gray)";
    compare_col_subtargets => "量化子目标（绿/黄/红/灰）", "Sub-targets (green/yellow/red/gray)";
    compare_col_item => "项目", "Item";
    compare_lights => "{} / {} / {} / {}", "{} / {} / {} / {}";
    compare_rank => "第{}", "#{}";
    compare_shared_indicators => "共有指标（按实际值排名）", "Shared indicators (ranked by actual value)";
    compare_shared_subtargets => "共有量化子目标（按实际值排名）", "Shared sub-targets (ranked by actual value)";
    compare_none_shared => "各区没有共有且已有数据的项目。", "The zones share nothing with a value yet.";

    screen_title => "数据大屏", "Big screen";
    screen_link => "数据大屏", "Big screen";
    screen_period => "数据期 {}", "Data for {}";
    screen_updated => "更新于 {}", "Updated {}";
    screen_stale => "连接中断，显示的是上一次的数据", "Connection lost: showing the last data received";
    screen_city => "全市高新区", "The zones together";
    screen_red => "红灯", "red";
    screen_yellow => "黄灯", "yellow";
    screen_green => "绿灯", "green";
    screen_gray => "灰灯（无数据）", "gray (no data)";
    screen_targets => "年度指标", "Targets";
    screen_subtargets => "任务子目标", "Sub-targets";
    screen_zones => "各区亮灯", "Lights by zone";
    screen_targets_short => "指标", "Targets";
    screen_subtargets_short => "子目标", "Sub-targets";
    screen_lagging => "落后最多的指标和子目标", "Most behind";
    screen_lagging_rule => "实际 / 序时进度；红、黄灯按落后程度排序。", "Actual / expected by now; red and yellow, most behind first.";
    screen_none_behind => "没有亮红灯或黄灯的指标和子目标。", "No target or sub-target is red or yellow.";
    screen_board => "任务看板", "Task board";
    screen_orders => "逾期督办单", "Overdue orders";
    screen_orders_of => "件逾期，在办督办单共 {} 件", "overdue, of {} open orders";
    screen_days_late => "逾期 {} 天", "{} days late";
    screen_refresh => "每 {} 秒自动刷新", "Refreshes itself every {} s";
}
