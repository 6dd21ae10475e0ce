//! 对标分析 — a zone's standing under the evaluation it is judged by, estimated.

catalog! {
    nav_benchmarking => "对标分析", "Benchmarking";
    bm_lead => "按评价指标体系，把本区每个指标放到对标高新区中看位置，估算综合得分和名次，找出补强重点。官方打分方法未公开：所有得分和名次都是估算。",
        "Each indicator of the evaluation, placed among the peer zones; the composite score and rank estimated; where strengthening pays most. The official scoring method is not public: every score and rank here is an estimate.";
    bm_estimate => "估算", "Estimate";
    bm_zones_none => "方案没有为任何高新区的排名指定评价框架，或您无权查看。", "The plan names no evaluation for any zone's rank, or you may not see it.";
    bm_judged_by => "按 {} 评价，对标集合：{}", "Judged by {}, among: {}";
    bm_framework => "评价框架", "Framework";
    bm_data_year => "数据年度", "Data year";
    bm_year_option => "{} 年数据（{} 年评价）", "{} data ({} evaluation)";
    bm_method => "打分方法", "Scoring method";
    bm_method_min_max => "最小–最大归一（默认）", "Min–max (default)";
    bm_method_benchmark => "与最优值之比", "Ratio to the best";
    bm_method_z_score => "标准分（z-score）", "Z-score";
    bm_show => "查看", "Show";
    bm_rank => "估算名次", "Estimated rank";
    bm_rank_value => "第 {} 名（共 {} 个高新区）", "{} of {} zones";
    bm_band => "三种打分方法下：第 {}–{} 名", "Under the three methods: {}–{}";
    bm_composite => "综合得分", "Composite";
    bm_points => "{} 分（满分 100）", "{} of 100 points";
    bm_target => "目标", "Target";
    bm_target_value => "前 {} 名", "Top {}";
    bm_no_target => "方案未设名次目标", "No rank target in the plan";
    bm_coverage => "估算覆盖", "Covered";
    bm_coverage_value => "{} / {} 个指标（有本区数值、且至少两个高新区有数值的指标）", "{} of {} indicators (those with this zone's value and at least two peers')";
    bm_calibration => "检验", "Calibration";
    bm_calibration_value => "用本方法估算 {} 年评价、与公布的 {} 个名次比：平均差 {} 名，最大差 {} 名，秩相关 {}", "Estimating the {} evaluation this way against {} published ranks: off by {} on average, {} at most; rank correlation {}";
    bm_calibration_none => "尚未录入公布的评价结果，无法检验估算的误差。", "No published results recorded yet: the estimate's error cannot be measured.";
    bm_incomplete => "该框架尚未列全官方指标，估算只覆盖已列出的指标。{}", "This framework does not list every official indicator yet; the estimate covers those listed. {}";
    bm_dimensions => "各维度得分", "Dimension scores";
    bm_dimension_weight => "权重 {}%", "weight {}%";
    bm_assumed => "推定", "assumed";
    bm_not_covered => "无数据", "no data";
    bm_strengthen => "补强重点", "Where to strengthen";
    bm_strengthen_lead => "每个指标提高一步（约 10%，计数至少 1）对综合得分的作用，从大到小。", "What one realistic step (about 10%, at least 1 for counts) on each indicator adds to the composite, largest first.";
    bm_step => "{} → {}", "{} → {}";
    bm_gain => "+{} 分", "+{} pts";
    bm_rank_after => "估算名次 {}", "rank {}";
    bm_order => "发督办单", "Open an order";
    bm_order_title => "补强：{}", "Strengthen: {}";
    bm_order_basis => "对标分析（估算，{} 年数据）：{} 现为 {}，提高到 {} 预计综合得分 +{} 分、估算名次 {} → {}。见 {}", "Benchmarking (estimate, {} data): {} is {}; raising it to {} adds about {} points, estimated rank {} → {}. See {}";
    bm_path => "达到目标的最少改进", "The fewest improvements that reach the target";
    bm_path_reached => "以下改进合计可把估算名次从第 {} 名提到第 {} 名（目标前 {} 名）：", "Together these lift the estimated rank from {} to {} (target: top {}):";
    bm_path_short => "每个指标最多提高 5 步（约 50%）也只能把估算名次提到第 {} 名，达不到前 {} 名：", "Even five steps (about 50%) on every indicator only reach rank {}, short of the top {}:";
    bm_path_there => "估算名次已在目标之内。", "The estimated rank is within the target.";
    bm_path_steps => "{} 步", "{} steps";
    bm_table => "各指标位置", "Position on every indicator";
    bm_table_lead => "改动“本区数值”即可看到得分和名次的变化（假设分析，不保存）。", "Change a value of this zone to see the score and rank move (what-if: nothing is saved).";
    bm_col_no => "编号", "No.";
    bm_col_indicator => "指标", "Indicator";
    bm_col_value => "本区数值", "This zone";
    bm_col_rank => "名次", "Rank";
    bm_col_percentile => "百分位", "Percentile";
    bm_col_score => "得分", "Score";
    bm_col_lost => "失分", "Points lost";
    bm_col_target_value => "第 {} 名的值", "Value at {}";
    bm_col_gap => "差距", "Gap";
    bm_col_weight => "权重", "Weight";
    bm_lower_better => "越低越好", "lower is better";
    bm_what_if_applied => "假设分析：已改动 {} 个数值，以下结果不是实际数据。", "What-if: {} value(s) changed; what follows is not the actual data.";
    bm_what_if_reset => "恢复实际数值", "Back to the actual values";
    bm_recalculate => "重新计算", "Recalculate";
    bm_trend => "估算名次走势", "Estimated rank over the years";
    bm_trend_series => "估算名次", "Estimated rank";
    bm_missing => "无法估算", "Nothing to estimate";
    bm_source => "来源：{}", "Source: {}";
    bm_version => "第 {} 版", "version {}";
    bm_peers => "对标数据", "Peer data";
    bm_peers_lead => "对标高新区和本区各指标的数值，按数据年度录入：下载模板（已填入已有数据），按统计年鉴、公布名单或调研填写，每行注明来源；公布的总排名填在“公布名次”列。上传后先试导入，确认后整体写入；每一行覆盖该高新区该年度的全部数值。",
        "The peer zones' and this zone's values per indicator, by data year: download the template (holding what is stored), fill it from the yearbook, published lists or research with each row's source, and the published overall rank in its column. An upload is a dry run first, written as a whole once confirmed; each row replaces that zone's values for the year.";
    bm_peers_counts => "{} 年数据：{} 个高新区、{} 个数值、{} 个公布名次（{} 年评价）", "{} data: {} zones, {} values, {} published ranks ({} evaluation)";
    bm_peers_set => "对标集合：{}", "Peer set: {}";
    bm_template => "下载模板（Excel）", "Download the template (Excel)";
    bm_peers_ok => "试导入通过，尚未写入：{} 个高新区、{} 个数值、{} 个公布名次。确认后整体写入。", "Dry run passed, nothing written yet: {} zones, {} values, {} published ranks. Confirm to write them as a whole.";
    bm_peers_empty => "工作簿中没有高新区的数据行。", "The workbook has no zone rows.";
    bm_peers_imported => "已导入：{} 个高新区（新增 {} 个）、{} 个数值、{} 个公布名次。", "Imported: {} zones ({} new), {} values, {} published ranks.";
    bm_peers_plan_zone => "本区", "This zone";
    bm_enter_peers => "录入对标数据", "Enter peer data";
    bm_cockpit_estimate => "对标分析估算：第 {} 名（共 {} 个高新区，三种方法 {}–{} 名），{} 年数据、{} 年评价", "Benchmarking estimate: rank {} of {} zones (three methods: {}–{}), {} data, {} evaluation";
    bm_cockpit_target => "；目标：{} 年前 {} 名", "; target for {}: top {}";
    bm_report_docx => "下载对标分析报告（Word）", "Download the report (Word)";
    bm_report_xlsx => "下载（Excel）", "Download (Excel)";
    bm_movers => "关键企业", "Enterprises that move it";
    bm_movers_lead => "按企业年度统计台账：接近 5% 门槛的企业、贡献最大的企业和拉低比率的企业。只看贡献，不建议把任何企业排除在统计之外（应统尽统）。", "From the enterprise annual statistics: those just under the 5% threshold, the largest contributors and those holding the ratio down. Contributions only: no enterprise is to be left out of the statistics.";
    bm_published_rank => "公布第 {} 名", "published: {}";
    bm_published_line => "公布的 {} 年评价结果：第 {} 名", "Published result of the {} evaluation: rank {}";
    bm_published_items => "公布的单项排名：{}", "Published single-item lists: {}";
    bm_published_item => "{}第 {} 名", "{} rank {}";
    bm_list_separator => "；", "; ";
    bm_col_previous => "{} 年数值", "{} value";
    bm_bad_year => "数据年度应为 2000 年到今年之间的年份，例如 2025。", "the data year is a year from 2000 to this one, e.g. 2025.";
    bm_bad_method => "打分方法应为 min-max、benchmark 或 z-score。", "the method is min-max, benchmark or z-score.";
    bm_path_line => "{}：{}（{}，{}）", "{}: {} ({}, {})";
    bm_framework_line => "{}（{}，{}）", "{} ({}, {})";
    bm_assumed_mark => "（推定）", " (assumed)";
    bm_target_line => "{}（方案指标：{}）", "{} (plan indicator: {})";
}

/// The peer template's instructions (the workbook is in Chinese, as the yearbooks are).
pub const PEER_INSTRUCTIONS: &[&str] = &[
    "每个高新区一行：第一列“高新区”写名称（与公布名单一致；本区名称与方案一致），“来源”写数据出处，如《中国火炬统计年鉴 2025》、评价结果通知书、调研。",
    "各指标列填写该高新区在本数据年度的数值，单位见列标题；没有数据的留空或填“-”。可带千分位逗号或 %。",
    "“公布名次”填写公布的总排名（下一年度的评价结果，如前 50 名名单、本区结果通知书），未公布的留空。",
    "上传后先试导入：所有错误按行、列列出，不写入任何数据；确认后整体写入。每一行覆盖该高新区在该框架、该数据年度的全部数值。",
    "评价年度 N 使用 N−1 年的数据：本表的数据年度是评价年度的上一年。",
];
