//! 台账 — the ledgers' pages.

catalog! {
    ledgers_title => "台账", "Ledgers";
    ledgers_lead => "各项任务所依据的名录和清单。能从台账数出来的指标数据由台账统计，不再另行填报。",
        "The registries the plan's tasks work from. Figures the ledgers can count are counted from them, not typed again.";
    ledger_records_unit => "条", "records";
    ledger_search => "搜索", "Search";
    ledger_search_hint => "名称中的字，或代码开头", "part of the name, or the start of the code";
    ledger_flagged_only => "只看需关注的", "Needing attention only";
    ledger_stalled_only => "只看停滞超过 {} 天的", "Stalled over {} days only";
    ledger_stalled => "已在“{}”阶段停留 {} 天", "at stage {} for {} days";
    ledger_total => "共", "Total";
    ledger_capped => "超过 {} 条，只数到这里；按区域、类别或名称可缩小范围", "More than {}: counted up to there — narrow the list by unit, kind or name";
    ledger_export => "导出 Excel（当前筛选）", "Export to Excel (this filter)";
    ledger_new => "新增记录", "New record";
    ledger_upload_title => "用 Excel 批量导入", "Import from Excel";
    ledger_upload_lead => "下载模板填写后上传。先试导入：列出每一处错误（第几行、哪一列）和每一处换算；确认后全部导入，有一行出错则一行也不导入。同一记录再次导入时更新原记录，同一个文件不能导入两次。",
        "Download the template, fill it and upload it. The dry run lists every error (row and column) and every value it normalised; on confirmation all rows are imported, or none if any row is wrong. A record imported again is updated; the same file cannot be imported twice.";
    ledger_upload_nothing => "工作簿中除表头和示例行外没有记录。",
        "The workbook holds no record besides the header and the example row.";
    ledger_empty => "没有符合条件的记录。", "No record matches.";
    ledger_stored_now => "当前保存的值：", "Stored now:";
    ledger_version => "版本", "Version";
    ledger_changes => "修改内容", "Changes";
    ledger_notes_lead => "以下数值已按常见写法换算，请核对", "These values were normalised; please check them";
    ledger_normalised => "换算", "Normalised";
    ledger_counted_lead => "以下是计入“{}”的记录（截至 {}）。",
        "These records make the count \"{}\" (as of {}).";
    ledger_valid_lead => "以下是 {} 仍在有效期内的记录。", "These records are in force on {}.";
    ledger_updated => "更新日期", "Updated";
    ledger_imported => "已导入：新增 {} 条，更新 {} 条。", "Imported: {} new, {} updated.";
    ledger_action_create => "新增", "created";
    ledger_action_import => "导入", "imported";
    ledger_action_update => "修改", "changed";
    ledger_already_imported => "这个文件（{}）已于 {} 由 {} 导入过，不再重复导入。",
        "This file ({}) was imported on {} by {}; it is not imported twice.";
    ledger_dry_run_summary => "试导入通过，尚未写入：共 {} 条记录，将新增 {} 条、更新 {} 条，{} 条与现有记录相同；跳过空行 {} 行、示例行 {} 行。确认后一次性全部导入。",
        "The dry run passed; nothing is written yet: {} records — {} new, {} updated, {} the same as stored; {} blank and {} example rows skipped. Confirm to import them all at once.";
    ledger_bad_period => "报告期应写成 YYYY-MM。", "the period must be YYYY-MM.";
    workbook_failed => "工作簿生成失败。", "the workbook could not be made.";
    ledger_recheck_failed => "确认时重新检查未通过（台账在此期间已有变化，或文件已导入），没有导入任何数据：请重新上传。",
        "the check on confirmation failed (the ledger changed meanwhile, or the file was imported); nothing was imported: upload again.";
    profile_title => "一企一档", "Enterprise profiles";
    profile_link => "一企一档", "Enterprise profile";
    ent_lead => "按企业名称的一部分或统一社会信用代码的开头查找企业，查看各台账中与它有关的全部记录和时间线。", "Find an enterprise by part of its name or the start of its credit code, and see every ledger's records about it with a timeline.";
    profile_search => "查找企业", "Find an enterprise";
    profile_search_hint => "企业名称或统一社会信用代码", "Name or credit code";
    profile_search_top => "查企业：名称或信用代码", "Enterprise: name or credit code";
    profile_search_go => "查找", "Find";
    profile_none => "没有找到符合条件的企业（只查本单位可见的企业）。", "No enterprise matches (only those your unit may see).";
    profile_code => "统一社会信用代码", "Credit code";
    profile_timeline => "时间线", "Timeline";
    profile_timeline_none => "台账中还没有与该企业有关的带日期的记录。", "No dated record about this enterprise in the ledgers yet.";
    profile_nothing => "其他台账中还没有与该企业有关的记录。", "No other ledger holds a record about this enterprise yet.";
    profile_record => "记录", "Record";
    profile_more => "共 {} 条，这里显示前 {} 条。", "{} in all; the first {} are shown.";
    profile_all => "到台账查看全部", "See them all in the ledger";
    profile_bm_title => "对本区对标分析的影响", "What it does to the zone's benchmarking";
    profile_bm_lead => "按《{}》，{} 年企业年报数据。", "By the framework {}, from the {} annual reports.";
    profile_bm_link => "查看本区对标分析", "See the zone's analysis";
    profile_bm_none => "本企业不在任何一项评价指标的前三大贡献、前三大拖累或接近 5% 研发投入门槛的企业之列。",
        "The enterprise is not among the three largest contributors or drags of any indicator, nor just under the 5% R&D threshold.";

    dash_title => "台账看板", "Ledger dashboards";
    dash_lead => "从台账直接统计：招商漏斗、企业梯度、低效用地整治、企业上市、基金。点击任一条形可查看背后的台账记录。",
        "Counted straight from the ledgers: the investment funnel, the enterprise pyramid, land remediation, listings, funds. Click any bar for the ledger records behind it.";
    dash_link => "台账看板", "Dashboards";
    dash_all_units => "全部区域", "All units";
    dash_count => "{} 个", "{}";
    dash_amount_big => "{} 亿元", "¥{} bn";
    dash_amount_small => "{} 万元", "¥{} m";
    dash_targets => "招商目标企业（对接状态）", "Investment targets (contact status)";
    dash_projects => "招商项目（在谈 → 签约 → 开工 → 投产）", "Investment projects (negotiating → signed → started → producing)";
    dash_big => "10 亿元以上项目 {} 个，其中未明确企业联络员 {} 个", "{} projects of ¥1 bn or more, {} of them without an enterprise liaison";
    dash_stall_rule => "停滞：进入本阶段的日期在 {} 或更早（投产除外）", "Stalled: at the stage since {} or earlier (producing excepted)";
    dash_stalled => "停滞 {} 个", "{} stalled";
    dash_pyramid => "企业梯度（有效资质，按企业计）", "Enterprise pyramid (qualifications in force, by enterprise)";
    dash_enterprises => "{} 家", "{} enterprises";
    dash_change => "较上年 {}", "{} on a year before";
    dash_pyramid_rule => "{} 末有效的资质，与 {} 末相比；一家企业同一资质只计一次。", "Qualifications in force at the end of {}, against the end of {}; an enterprise counts once per qualification.";
    dash_land => "低效用地整治（按面积）", "Low-efficiency land remediation (by area)";
    dash_parcels => "{} 宗 · {} 亩", "{} parcels · {} mu";
    dash_land_done => "已完成整治的面积占 {}%", "{}% of the area is remediated";
    dash_land_without_plan => "未制定整治方案的地块 {} 宗", "{} parcels without a remediation plan";
    dash_funds => "基金（规模与已投）", "Funds (size and invested)";
    dash_listings => "企业上市（辅导备案 → 申报 → 过会 → 上市挂牌）", "Listings (tutoring → filed → approved → listed)";
    dash_register => "上市挂牌企业名册：{} 家", "Register of listed enterprises: {}";
    dash_listed_without_code => "已上市挂牌但未填证券代码 {} 家", "{} listed without a security code";
    dash_funds_count => "{} 支", "{} funds";
    dash_funds_total => "合计规模 {}，累计已投 {}，投资企业 {} 家", "{} in all; {} invested in {} enterprises";
    dash_invested => "已投 {}，{} 家企业", "{} invested in {} enterprises";
    dash_not_kept => "该台账还没有记录，无法统计。", "This ledger holds no record yet: nothing to count.";
}
