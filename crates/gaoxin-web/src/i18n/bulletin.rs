//! 调度通报 — the monthly bulletin.

catalog! {
    bulletin_lead => "每月调度通报：工作事项报送、督办单和滞后指标，数据随时更新，导出时以截止时间为准。通报正文为中文公文。",
        "The monthly dispatch bulletin: work-item reporting, supervision orders and lagging indicators, live until exported (the cut-off is stated). Its text is a Chinese official document.";
    bulletin_month => "月份", "Month";
    bulletin_docx => "下载 Word（公文格式）", "Download Word (official layout)";
    bulletin_xlsx => "下载 Excel", "Download Excel";
    bulletin_pdf => "下载 PDF", "Download PDF";
    bulletin_bad_month => "通报月份应写成 YYYY-MM，且不晚于本月，例如 2026-10。",
        "the month is written YYYY-MM and is not after this one, e.g. 2026-10.";
    bulletin_draft => "草稿", "Draft";
    bulletin_draft_lead => "本月通报尚未发布：内容随数据实时变化，只有调度办和领导可见。发布后编入期号、按发布时的内容冻结，并发送到各单位的消息中。",
        "This month's bulletin is not published: it follows the data as it changes and only the dispatch office and leaders see it. Publishing numbers it, freezes it as it stands and sends it to every unit's inbox.";
    bulletin_publish => "发布本期通报", "Publish this bulletin";
    bulletin_published_now => "已发布：{}，已发送到各单位。", "Published: {}; every unit has been sent it.";
    bulletin_already_out => "本月通报此前已发布（第 {} 期），未重复发布。", "This month's bulletin was already published (no. {}); it was not published again.";
    bulletin_out_mark => "已发布", "published";
}
