//! The ledgers the plan's tasks name, field by field. The lists of codes are the plan's words
//! (task 3 for qualifications, task 1 for platforms, task 5 for incubators …); the industries come
//! from the plan file.

use super::value::last_day_after_years;
use super::{Field, FieldKind as K, Ledger, Note, Record, Slots};
use crate::known::BIG_PROJECT;

pub const QUALIFICATIONS: &[&str] = &[
    "科技型中小企业",
    "高新技术企业",
    "科技领军企业",
    "专精特新中小企业",
    "专精特新\"小巨人\"企业",
    "制造业单项冠军企业",
    "瞪羚企业",
    "上市挂牌后备企业",
];

pub const PLATFORM_TYPES: &[&str] = &[
    "重点实验室",
    "技术创新中心",
    "企业技术中心",
    "工程技术研究中心",
    "产业技术研究院",
    "创新联合体",
    "新型研发机构",
];

pub const LEVELS: &[&str] = &["国家级", "省级", "市级", "其他"];

pub const EVENT_KINDS: &[&str] = &[
    "企业与高校院所对接",
    "创新应用场景发布",
    "低效用地摸底排查",
    "创新创业大赛",
    "路演",
    "沙龙",
    "其他",
];

pub const PROJECT_STAGES: &[&str] = &["在谈", "签约", "开工", "投产"];

pub const TALENT_KINDS: &[&str] = &[
    "创新创业领军人才",
    "科技领军人物",
    "科技创新团队",
    "人才飞地",
    "外国高端人才工作许可",
];

/// The target enterprises' contact statuses, in the order they move.
pub const TARGET_STATUSES: &[&str] = &["未对接", "已对接", "有意向", "已转为项目"];

/// The land ledger's remediation statuses, in order.
pub const LAND_STATUSES: &[&str] = &["未启动", "整治中", "已完成"];

/// The funds ledger's kinds.
pub const FUND_KINDS: &[&str] = &["产业基金", "并购基金", "创投基金"];

/// The pyramid's levels, from its base up: the qualifications a zone grows its enterprises
/// through (task 3), each a level above the one before. 上市挂牌后备企业 is a list, not a level.
pub const PYRAMID: &[&str] = &[
    "科技型中小企业",
    "高新技术企业",
    "专精特新中小企业",
    "科技领军企业",
    "专精特新\"小巨人\"企业",
    "瞪羚企业",
    "制造业单项冠军企业",
];

/// An enterprise's way to the market (task 3 上市培育, task 12 改制上市、挂牌), stage by stage.
pub const LISTING_STAGES: &[&str] = &["辅导备案", "申报", "过会", "上市挂牌"];

/// Where it lists or is to list.
pub const LISTING_BOARDS: &[&str] = &[
    "沪深主板",
    "创业板",
    "科创板",
    "北交所",
    "新三板",
    "区域性股权市场",
    "境外",
];

const fn f(
    id: &'static str,
    zh: &'static str,
    en: &'static str,
    kind: K,
    required: bool,
    example: &'static str,
) -> Field {
    Field {
        id,
        zh,
        en,
        kind,
        required,
        example,
        hint: "",
    }
}

const fn hint(field: Field, hint: &'static str) -> Field {
    Field { hint, ..field }
}

const NAME: K = K::Text { max: 100 };
const NOTE: K = K::Text { max: 500 };
const PERSON: K = K::Text { max: 50 };

pub static ENTERPRISES: Ledger = Ledger {
    id: "enterprises",
    zh: "企业",
    en: "Enterprises",
    about: "高新区企业名录：统一社会信用代码、所属产业、研发投入和研发准备金制度（任务 3）。",
    fields: &[
        f(
            "uscc",
            "统一社会信用代码",
            "Credit code",
            K::Uscc,
            true,
            "91130101MA0A1B2C3F",
        ),
        f(
            "name",
            "企业名称",
            "Name",
            NAME,
            true,
            "示例生物科技有限公司",
        ),
        hint(
            f("unit", "所在区域", "Unit", K::Unit, true, ""),
            "高新区外的企业填所在市、县，用于计算高新区占全市、全县的比重。",
        ),
        f("industry", "所属产业", "Industry", K::Industry, true, ""),
        f(
            "rd_spending",
            "上年研发费用（万元）",
            "R&D spending last year (10k yuan)",
            K::Amount { unit: "万元" },
            false,
            "1,250.5",
        ),
        f(
            "rd_reserve",
            "建立研发准备金制度",
            "R&D reserve fund",
            K::Flag,
            false,
            "是",
        ),
        f("contact", "联系人", "Contact", PERSON, false, "张三"),
        f(
            "phone",
            "联系电话",
            "Phone",
            K::Text { max: 30 },
            false,
            "010-12345678",
        ),
        f("remark", "备注", "Remarks", NOTE, false, ""),
    ],
    key: &["uscc"],
    slots: Slots {
        name: "name",
        unit: Some("unit"),
        kind: Some("industry"),
        grade: None,
        date: None,
        until: None,
        amount: Some("rd_spending"),
        reference: None,
    },
    rule: None,
    flag: None,
    stalls_except: None,
    listed: &[],
};

fn hitech_validity(l: &Ledger, r: &mut Record) -> Vec<Note> {
    if r.get(l, "kind") != "高新技术企业" || !r.get(l, "valid_until").is_empty() {
        return Vec::new();
    }
    let Some(until) = last_day_after_years(r.get(l, "issued"), 3) else {
        return Vec::new();
    };
    r.set(l, "valid_until", until.clone());
    vec![Note {
        field: "valid_until".into(),
        zh: format!("高新技术企业证书有效期三年，“有效期至”按 {until} 计。"),
        en: format!("a high-tech enterprise certificate is valid for three years: until {until}."),
    }]
}

/// The enterprise a record of another ledger is about, by its credit code (the reference) …
const ENTERPRISE_CODE: Field = hint(
    f(
        "uscc",
        "统一社会信用代码",
        "Credit code",
        K::Ref("enterprises"),
        true,
        "91130101MA0A1B2C3F",
    ),
    "须是企业台账中已有的企业：请先导入企业台账。",
);

/// … and by its name, as the clerk's sheet has it.
const ENTERPRISE_NAME: Field = f(
    "enterprise",
    "企业名称",
    "Enterprise",
    NAME,
    true,
    "示例生物科技有限公司",
);

pub static QUALIFICATIONS_LEDGER: Ledger = Ledger {
    id: "qualifications",
    zh: "企业资质",
    en: "Qualifications",
    about: "企业获得的认定：科技型中小企业、高新技术企业（证书三年有效）、科技领军企业、专精特新、单项冠军、瞪羚、上市后备（任务 3）。所在区域随企业台账。",
    fields: &[
        ENTERPRISE_CODE,
        ENTERPRISE_NAME,
        f(
            "kind",
            "资质类型",
            "Qualification",
            K::Code(QUALIFICATIONS),
            true,
            "高新技术企业",
        ),
        f(
            "certificate",
            "证书编号",
            "Certificate no.",
            K::Text { max: 50 },
            false,
            "GR202513000123",
        ),
        f("issued", "认定日期", "Issued", K::Date, true, "2025-03-01"),
        hint(
            f("valid_until", "有效期至", "Valid until", K::Date, false, ""),
            "高新技术企业不填时按认定日期起三年计；其他资质不填为长期有效。",
        ),
    ],
    key: &["uscc", "kind", "issued"],
    slots: Slots {
        name: "enterprise",
        unit: None,
        kind: Some("kind"),
        grade: None,
        date: Some("issued"),
        until: Some("valid_until"),
        amount: None,
        reference: Some("uscc"),
    },
    rule: Some(hitech_validity),
    flag: None,
    stalls_except: None,
    listed: &[],
};

pub static PLATFORMS: Ledger = Ledger {
    id: "platforms",
    zh: "创新平台",
    en: "Innovation platforms",
    about: "重点实验室、技术创新中心、企业技术中心、工程技术研究中心、产业技术研究院、创新联合体、新型研发机构（任务 1）。",
    fields: &[
        f(
            "name",
            "平台名称",
            "Name",
            NAME,
            true,
            "示例生物医药技术创新中心",
        ),
        f(
            "kind",
            "平台类型",
            "Type",
            K::Code(PLATFORM_TYPES),
            true,
            "技术创新中心",
        ),
        f("level", "级别", "Level", K::Code(LEVELS), true, "省级"),
        f(
            "host",
            "依托单位",
            "Host",
            NAME,
            true,
            "示例生物科技有限公司",
        ),
        f("unit", "所在区域", "Unit", K::Unit, true, ""),
        f(
            "approved",
            "认定日期",
            "Approved",
            K::Date,
            true,
            "2024-12-20",
        ),
        f("revoked", "撤销日期", "Revoked", K::Date, false, ""),
        f("remark", "备注", "Remarks", NOTE, false, ""),
    ],
    key: &["name", "level"],
    slots: Slots {
        name: "name",
        unit: Some("unit"),
        kind: Some("kind"),
        grade: Some("level"),
        date: Some("approved"),
        until: Some("revoked"),
        amount: None,
        reference: None,
    },
    rule: None,
    flag: None,
    stalls_except: None,
    listed: &[],
};

pub static INCUBATORS: Ledger = Ledger {
    id: "incubators",
    zh: "孵化器和加速器",
    en: "Incubators and accelerators",
    about: "基础级、高能级、卓越级综合型或专业型科技型企业孵化器和加速器（任务 5）。",
    fields: &[
        f("name", "名称", "Name", NAME, true, "示例科技企业孵化器"),
        f(
            "category",
            "类别",
            "Category",
            K::Code(&["孵化器", "加速器"]),
            true,
            "孵化器",
        ),
        f(
            "grade",
            "等级",
            "Grade",
            K::Code(&["基础级", "高能级", "卓越级"]),
            true,
            "高能级",
        ),
        f(
            "kind",
            "类型",
            "Kind",
            K::Code(&["综合型", "专业型"]),
            true,
            "专业型",
        ),
        f(
            "operator",
            "运营机构",
            "Operator",
            NAME,
            false,
            "示例孵化器管理有限公司",
        ),
        f("unit", "所在区域", "Unit", K::Unit, true, ""),
        f(
            "approved",
            "认定日期",
            "Approved",
            K::Date,
            false,
            "2023-06-30",
        ),
    ],
    key: &["name"],
    slots: Slots {
        name: "name",
        unit: Some("unit"),
        kind: Some("category"),
        grade: Some("grade"),
        date: Some("approved"),
        until: None,
        amount: None,
        reference: None,
    },
    rule: None,
    flag: None,
    stalls_except: None,
    listed: &[],
};

pub static TALENTS: Ledger = Ledger {
    id: "talents",
    zh: "人才和团队",
    en: "Talents and teams",
    about: "创新创业领军人才、科技领军人物、科技创新团队、人才飞地、外国高端人才（A 类）工作许可（任务 2）。",
    fields: &[
        f("name", "姓名或名称", "Name", NAME, true, "示例创新团队"),
        f(
            "kind",
            "类别",
            "Kind",
            K::Code(TALENT_KINDS),
            true,
            "科技创新团队",
        ),
        f(
            "employer",
            "所在单位",
            "Employer",
            NAME,
            false,
            "示例生物科技有限公司",
        ),
        f("unit", "所在区域", "Unit", K::Unit, true, ""),
        f(
            "recognised",
            "认定日期",
            "Recognised",
            K::Date,
            true,
            "2025-05-10",
        ),
        f("remark", "备注", "Remarks", NOTE, false, ""),
    ],
    key: &["name", "kind"],
    slots: Slots {
        name: "name",
        unit: Some("unit"),
        kind: Some("kind"),
        grade: None,
        date: Some("recognised"),
        until: None,
        amount: None,
        reference: None,
    },
    rule: None,
    flag: None,
    stalls_except: None,
    listed: &[],
};

pub static LIAISONS: Ledger = Ledger {
    id: "liaisons",
    zh: "重点联络高校院所",
    en: "Liaison universities and institutes",
    about: "每个高新区明确 2-3 个高校、科研院所作为重点联络单位（任务 6）。",
    fields: &[
        f(
            "name",
            "高校院所名称",
            "Institution",
            NAME,
            true,
            "示例大学",
        ),
        f("unit", "所在区域", "Unit", K::Unit, true, ""),
        f("since", "确定日期", "Since", K::Date, true, "2025-01-15"),
        f("until", "终止日期", "Until", K::Date, false, ""),
        f("contact", "联系人", "Contact", PERSON, false, "李四"),
    ],
    key: &["name", "unit"],
    slots: Slots {
        name: "name",
        unit: Some("unit"),
        kind: None,
        grade: None,
        date: Some("since"),
        until: Some("until"),
        amount: None,
        reference: None,
    },
    rule: None,
    flag: None,
    stalls_except: None,
    listed: &[],
};

pub static EVENTS: Ledger = Ledger {
    id: "events",
    zh: "活动",
    en: "Events",
    about: "企业与高校院所对接活动（每年不低于 10 场）、创新应用场景发布（每年至少 1 场）、大赛、路演、沙龙（任务 6）；每年的低效用地摸底排查（任务 13）。",
    fields: &[
        f(
            "name",
            "活动名称",
            "Name",
            NAME,
            true,
            "生物医药产学研对接会",
        ),
        f(
            "kind",
            "活动类型",
            "Kind",
            K::Code(EVENT_KINDS),
            true,
            "企业与高校院所对接",
        ),
        f("held", "举办日期", "Date", K::Date, true, "2025-04-18"),
        f("unit", "所在区域", "Unit", K::Unit, true, ""),
        f(
            "enterprises",
            "参与企业数",
            "Enterprises",
            K::Count,
            false,
            "23",
        ),
        f(
            "institutes",
            "参与高校院所",
            "Institutes",
            NOTE,
            false,
            "示例大学",
        ),
        f("people", "参与人数", "Participants", K::Count, false, "120"),
    ],
    key: &["name", "held", "unit"],
    slots: Slots {
        name: "name",
        unit: Some("unit"),
        kind: Some("kind"),
        grade: None,
        date: Some("held"),
        until: None,
        amount: None,
        reference: None,
    },
    rule: None,
    flag: None,
    stalls_except: None,
    listed: &[],
};

fn project_without_liaison(l: &Ledger, r: &Record) -> Option<&'static str> {
    let amount: f64 = r.get(l, "amount").parse().ok()?;
    (amount >= BIG_PROJECT as f64 && r.get(l, "liaison").is_empty())
        .then_some("10亿元以上项目未明确企业联络员")
}

fn project_notes(l: &Ledger, r: &mut Record) -> Vec<Note> {
    project_without_liaison(l, r)
        .map(|why| Note {
            field: "liaison".into(),
            zh: format!("{why}（任务 10：10 亿元以上招商产业类项目实行企业联络制度）。"),
            en: "a project of 1 billion yuan or more has no enterprise liaison.".into(),
        })
        .into_iter()
        .collect()
}

pub static PROJECTS: Ledger = Ledger {
    id: "projects",
    zh: "招商项目",
    en: "Investment projects",
    about: "项目从在谈、签约、开工到投产；包联领导和责任人；10 亿元以上项目明确企业联络员（任务 9、10）。",
    fields: &[
        f(
            "name",
            "项目名称",
            "Project",
            NAME,
            true,
            "示例创新药产业化项目",
        ),
        f(
            "investor",
            "投资方",
            "Investor",
            NAME,
            true,
            "示例医药集团有限公司",
        ),
        f("industry", "所属产业", "Industry", K::Industry, true, ""),
        f("unit", "所在区域", "Unit", K::Unit, true, ""),
        f(
            "stage",
            "项目阶段",
            "Stage",
            K::Code(PROJECT_STAGES),
            true,
            "签约",
        ),
        f(
            "stage_date",
            "进入本阶段日期",
            "Stage since",
            K::Date,
            true,
            "2025-06-30",
        ),
        f(
            "amount",
            "总投资（万元）",
            "Investment (10k yuan)",
            K::Amount { unit: "万元" },
            true,
            "12亿元",
        ),
        f(
            "leader",
            "包联领导",
            "Leader in charge",
            PERSON,
            false,
            "王五",
        ),
        f("manager", "责任人", "Responsible", PERSON, true, "赵六"),
        hint(
            f(
                "liaison",
                "企业联络员",
                "Enterprise liaison",
                PERSON,
                false,
                "孙七",
            ),
            "总投资 10 亿元（100000 万元）以上的项目应明确企业联络员。",
        ),
    ],
    key: &["name"],
    slots: Slots {
        name: "name",
        unit: Some("unit"),
        kind: Some("stage"),
        grade: Some("industry"),
        date: Some("stage_date"),
        until: None,
        amount: Some("amount"),
        reference: None,
    },
    rule: Some(project_notes),
    flag: Some(project_without_liaison),
    stalls_except: Some(&["投产"]),
    listed: &[],
};

/// A parcel found in the survey with no 整治提升方案 yet (task 13: one for every parcel).
fn land_without_plan(l: &Ledger, r: &Record) -> Option<&'static str> {
    r.get(l, "plan").is_empty().then_some("未制定整治提升方案")
}

pub static LAND: Ledger = Ledger {
    id: "land",
    zh: "低效用地",
    en: "Low-efficiency land",
    about: "每年对新产生的低效用地摸底排查，制定整治提升方案，逐一整治（任务 13）。",
    fields: &[
        f(
            "parcel",
            "地块编号",
            "Parcel",
            K::Text { max: 50 },
            true,
            "GX-2025-001",
        ),
        f(
            "location",
            "位置",
            "Location",
            NAME,
            true,
            "示例路与示例街交口东北角",
        ),
        f("unit", "所在区域", "Unit", K::Unit, true, ""),
        f(
            "area",
            "面积（亩）",
            "Area (mu)",
            K::Amount { unit: "亩" },
            true,
            "35.6亩",
        ),
        f(
            "survey_year",
            "摸排年度",
            "Survey year",
            K::Year,
            true,
            "2025",
        ),
        f("cause", "低效原因", "Cause", NOTE, true, "停产闲置"),
        f(
            "plan",
            "整治方案",
            "Remediation",
            NOTE,
            false,
            "引入新项目盘活",
        ),
        f(
            "deadline",
            "整治期限",
            "Deadline",
            K::Date,
            false,
            "2026-06-30",
        ),
        f(
            "status",
            "整治状态",
            "Status",
            K::Code(LAND_STATUSES),
            true,
            "整治中",
        ),
    ],
    key: &["parcel"],
    slots: Slots {
        name: "location",
        unit: Some("unit"),
        kind: Some("status"),
        grade: None,
        date: Some("deadline"),
        until: None,
        amount: Some("area"),
        reference: None,
    },
    rule: None,
    flag: Some(land_without_plan),
    stalls_except: None,
    listed: &[],
};

pub static FUNDS: Ledger = Ledger {
    id: "funds",
    zh: "基金",
    en: "Funds",
    about: "产业基金、并购基金、创投基金（任务 12）。",
    fields: &[
        f(
            "name",
            "基金名称",
            "Fund",
            NAME,
            true,
            "示例生物医药产业投资基金",
        ),
        f(
            "kind",
            "基金类型",
            "Kind",
            K::Code(FUND_KINDS),
            true,
            "产业基金",
        ),
        f(
            "size",
            "规模（万元）",
            "Size (10k yuan)",
            K::Amount { unit: "万元" },
            true,
            "50000",
        ),
        f(
            "manager",
            "管理机构",
            "Manager",
            NAME,
            false,
            "示例资本管理有限公司",
        ),
        f("unit", "所在区域", "Unit", K::Unit, true, ""),
        f(
            "founded",
            "设立日期",
            "Founded",
            K::Date,
            false,
            "2024-09-01",
        ),
        hint(
            f(
                "invested",
                "累计已投金额（万元）",
                "Invested so far (10k yuan)",
                K::Amount { unit: "万元" },
                false,
                "12,000",
            ),
            "基金设立以来累计投出的金额，用于看板统计基金实际投了多少。",
        ),
        f(
            "investees",
            "累计投资企业数（家）",
            "Enterprises invested in",
            K::Count,
            false,
            "8",
        ),
    ],
    key: &["name"],
    slots: Slots {
        name: "name",
        unit: Some("unit"),
        kind: Some("kind"),
        grade: None,
        date: Some("founded"),
        until: None,
        amount: Some("size"),
        reference: None,
    },
    rule: None,
    flag: None,
    stalls_except: None,
    listed: &[],
};

pub static TARGETS: Ledger = Ledger {
    id: "targets",
    zh: "招商目标企业",
    en: "Investment targets",
    about: "按产业链的招商地图和目标企业清单，面向电子信息百强、软件百强、互联网百强等企业精准招商（任务 9）。",
    fields: &[
        f(
            "name",
            "企业名称",
            "Enterprise",
            NAME,
            true,
            "示例电子信息集团有限公司",
        ),
        f(
            "industry",
            "产业链",
            "Industry chain",
            K::Industry,
            true,
            "",
        ),
        f(
            "list",
            "来源榜单",
            "Source list",
            K::Code(&["电子信息百强", "软件百强", "互联网百强", "其他榜单", "无"]),
            true,
            "电子信息百强",
        ),
        f("seat", "总部所在地", "Headquarters", NAME, false, "示例市"),
        hint(
            f("unit", "对接区域", "Unit", K::Unit, true, ""),
            "负责对接该企业的高新区或县、市。",
        ),
        f(
            "status",
            "对接状态",
            "Status",
            K::Code(TARGET_STATUSES),
            true,
            "已对接",
        ),
        f(
            "contacted",
            "最近对接日期",
            "Last contact",
            K::Date,
            false,
            "2025-05-20",
        ),
        f(
            "manager",
            "对接责任人",
            "Responsible",
            PERSON,
            false,
            "钱八",
        ),
        f("remark", "备注", "Remarks", NOTE, false, ""),
    ],
    key: &["name"],
    slots: Slots {
        name: "name",
        unit: Some("unit"),
        kind: Some("status"),
        grade: Some("list"),
        date: Some("contacted"),
        until: None,
        amount: None,
        reference: None,
    },
    rule: None,
    flag: None,
    stalls_except: None,
    listed: &[],
};

pub static ENERGY_AUDITS: Ledger = Ledger {
    id: "energy-audits",
    zh: "能源计量审查",
    en: "Energy audits",
    about: "按规定对园区入驻企业开展能源计量审查，严格控制高污染、高耗能、高排放企业入驻（任务 13）。所在区域随企业台账。",
    fields: &[
        ENTERPRISE_CODE,
        ENTERPRISE_NAME,
        f("year", "审查年度", "Year", K::Year, true, "2025"),
        f(
            "audited",
            "审查日期",
            "Audited",
            K::Date,
            true,
            "2025-09-15",
        ),
        f(
            "result",
            "审查结论",
            "Result",
            K::Code(&["符合", "限期整改", "不符合"]),
            true,
            "符合",
        ),
        f("deadline", "整改期限", "Remedy by", K::Date, false, ""),
        f("remark", "备注", "Remarks", NOTE, false, ""),
    ],
    key: &["uscc", "year"],
    slots: Slots {
        name: "enterprise",
        unit: None,
        kind: Some("result"),
        grade: None,
        date: Some("audited"),
        until: None,
        amount: None,
        reference: Some("uscc"),
    },
    rule: None,
    flag: None,
    stalls_except: None,
    listed: &[],
};

const fn amount(id: &'static str, zh: &'static str, en: &'static str) -> Field {
    f(id, zh, en, K::Amount { unit: "万元" }, false, "1,250.5")
}

const fn count(id: &'static str, zh: &'static str, en: &'static str) -> Field {
    f(id, zh, en, K::Count, false, "12")
}

/// 企业年度统计: the torch statistics enterprise annual report's figures, which the zone
/// committee reviews for its enterprises; 对标分析 computes the zone's indicators from them.
pub static ENTERPRISE_STATS: Ledger = Ledger {
    id: "enterprise-stats",
    zh: "企业年度统计",
    en: "Enterprise annual statistics",
    about: "火炬统计调查企业年报的主要数据，每家企业每年一条（统计年度为数据年度）：营业收入、从业人员、R&D 人员和经费、专利、技术合同等。对标分析据此计算本区的研发投入强度、人均技术合同成交额等评价指标（三（三）“定期开展高新区评价指标对标分析”）。所在区域随企业台账。",
    fields: &[
        ENTERPRISE_CODE,
        ENTERPRISE_NAME,
        f("year", "统计年度", "Year", K::Year, true, "2025"),
        f(
            "revenue",
            "营业收入（万元）",
            "Revenue (10k yuan)",
            K::Amount { unit: "万元" },
            true,
            "52,000",
        ),
        amount(
            "output",
            "工业总产值（万元）",
            "Industrial output (10k yuan)",
        ),
        f(
            "profit",
            "净利润（万元）",
            "Net profit (10k yuan)",
            K::Signed { unit: "万元" },
            false,
            "3,100",
        ),
        amount("taxes", "实际上缴税费（万元）", "Taxes paid (10k yuan)"),
        amount("exports", "出口总额（万元）", "Exports (10k yuan)"),
        f(
            "hitech",
            "高新技术企业",
            "High-tech enterprise",
            K::Flag,
            false,
            "是",
        ),
        f(
            "employees",
            "年末从业人员（人）",
            "Employees at year end",
            K::Count,
            true,
            "320",
        ),
        count(
            "graduates",
            "其中：本科及以上学历（人）",
            "of whom graduates",
        ),
        count(
            "returnees",
            "其中：留学归国和外籍常驻人员（人）",
            "of whom returnees and foreign staff",
        ),
        f(
            "rd_fte",
            "R&D 人员全时当量（人年）",
            "R&D staff FTE (person-years)",
            K::Amount { unit: "人年" },
            false,
            "45.5",
        ),
        amount(
            "rd_spending",
            "R&D 经费内部支出（万元）",
            "Internal R&D spending (10k yuan)",
        ),
        count(
            "inv_applied",
            "当年发明专利申请（件）",
            "Invention patent applications",
        ),
        count(
            "inv_granted",
            "当年发明专利授权（件）",
            "Invention patents granted",
        ),
        count(
            "inv_valid",
            "期末有效发明专利（件）",
            "Invention patents in force",
        ),
        count("trademarks", "期末注册商标（件）", "Registered trademarks"),
        amount(
            "tech_contracts",
            "技术合同成交额（万元）",
            "Technology contracts (10k yuan)",
        ),
        f("remark", "备注", "Remarks", NOTE, false, ""),
    ],
    key: &["uscc", "year"],
    slots: Slots {
        name: "enterprise",
        unit: None,
        kind: None,
        grade: None,
        date: None,
        until: None,
        amount: Some("revenue"),
        reference: Some("uscc"),
    },
    rule: None,
    flag: None,
    stalls_except: None,
    listed: &[],
};

/// Listed without its security code: the register of listed enterprises needs it.
fn listed_without_code(l: &Ledger, r: &Record) -> Option<&'static str> {
    (r.get(l, "stage") == "上市挂牌" && r.get(l, "code").is_empty())
        .then_some("已上市挂牌但未填证券代码")
}

/// 上市挂牌: the enterprises on their way to the market, stage by stage, and the register of
/// those listed (stage 上市挂牌) with their board and security code.
pub static LISTINGS: Ledger = Ledger {
    id: "listings",
    zh: "上市挂牌",
    en: "Listings",
    about: "企业上市培育：辅导备案、申报、过会到上市挂牌，一家企业每个板块一条；已上市挂牌的企业构成上市企业名册（任务 3“建立企业上市培育服务体系”，任务 12“加快推动企业改制上市、挂牌”）。所在区域随企业台账。",
    fields: &[
        ENTERPRISE_CODE,
        ENTERPRISE_NAME,
        f(
            "board",
            "上市板块",
            "Board",
            K::Code(LISTING_BOARDS),
            true,
            "北交所",
        ),
        f(
            "stage",
            "所处阶段",
            "Stage",
            K::Code(LISTING_STAGES),
            true,
            "辅导备案",
        ),
        f(
            "stage_date",
            "进入本阶段日期",
            "Stage since",
            K::Date,
            true,
            "2026-03-15",
        ),
        hint(
            f(
                "code",
                "证券代码",
                "Security code",
                K::Text { max: 20 },
                false,
                "",
            ),
            "上市挂牌后填写。",
        ),
        f(
            "sponsor",
            "保荐机构或主办券商",
            "Sponsor",
            NAME,
            false,
            "示例证券股份有限公司",
        ),
        f("remark", "备注", "Remarks", NOTE, false, ""),
    ],
    key: &["uscc", "board"],
    slots: Slots {
        name: "enterprise",
        unit: None,
        kind: Some("stage"),
        grade: Some("board"),
        date: Some("stage_date"),
        until: None,
        amount: None,
        reference: Some("uscc"),
    },
    rule: None,
    flag: Some(listed_without_code),
    stalls_except: None,
    listed: &["code"],
};

/// Every ledger, in the order the pages list them.
pub static LEDGERS: &[&Ledger] = &[
    &ENTERPRISES,
    &QUALIFICATIONS_LEDGER,
    &PLATFORMS,
    &INCUBATORS,
    &TALENTS,
    &LIAISONS,
    &EVENTS,
    &TARGETS,
    &PROJECTS,
    &LAND,
    &ENERGY_AUDITS,
    &FUNDS,
    &ENTERPRISE_STATS,
    &LISTINGS,
];
