//! 调度通报 — the monthly bulletin.

catalog! {
    bulletin_lead => "每月调度通报：工作事项报送、督办单和滞后指标，数据随时更新，导出时以截止时间为准。通报正文为中文公文。",
        "The monthly dispatch bulletin: work-item reporting, supervision orders and lagging indicators, live until exported (the cut-off is stated). Its text is a Chinese official document.";
    bulletin_month => "月份", "Month";
    bulletin_docx => "下载 Word（公文格式）", "Download Word (official layout)";
    bulletin_xlsx => "下载 Excel", "Download Excel";
    bulletin_bad_month => "通报月份应写成 YYYY-MM，且不晚于本月，例如 2026-10。",
        "the month is written YYYY-MM and is not after this one, e.g. 2026-10.";
}
