//! Ledgers (台账): the registries the plan's tasks run on — enterprises and their
//! qualifications, innovation platforms, incubators, talents, liaison institutes, events,
//! investment projects, low-efficiency land, funds — as typed records.
//!
//! A ledger is data ([`Ledger`]): its fields, which of them form the record's natural key, and
//! which the store keeps in indexed columns (name, kind, grade, dates, amount) so a list of
//! 300,000 records can be searched, filtered and sorted by them. Every value a clerk types or
//! uploads goes through [`value::normalise`], which accepts what a clerk would expect
//! (full-width digits, thousands separators, `万元`/`亿元`, Excel date serials, `2025年3月1日`)
//! and says what it changed. Counts the indicators need ([`Count`]) are declared here and
//! computed by the store for any period.

mod messages;
pub mod name;

use crate::text::Message;
use messages::RecordProblem;
pub mod dashboard;
mod defs;
pub mod sample;
pub mod sheet;
#[cfg(test)]
mod tests;
pub mod value;

pub use defs::LEDGERS;

use crate::auth::RoleKind;
use crate::auth::Who;
pub use crate::known::{COUNTS, Count, OTHER_INDUSTRY, Window};
use crate::plan::Plan;

/// What a field holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    /// Free text, at most `max` characters.
    Text { max: usize },
    /// One of a fixed list (a drop-down in the template).
    Code(&'static [&'static str]),
    /// One of the plan's leading industries (`[plan] industries`), or 其他.
    Industry,
    /// 统一社会信用代码 (GB 32100-2015), check digit included.
    Uscc,
    /// A calendar day, stored as `YYYY-MM-DD`.
    Date,
    /// A year, 2000–2100.
    Year,
    /// A non-negative amount in `unit` (万元, 亩), up to four decimals.
    Amount { unit: &'static str },
    /// An amount in `unit` that may be negative (a net profit), up to four decimals.
    Signed { unit: &'static str },
    /// A non-negative whole number.
    Count,
    /// A plan unit (石家庄高新区, 正定县, …), by id or name.
    Unit,
    /// 是 / 否.
    Flag,
    /// The natural key of a record in another ledger (an enterprise's credit code).
    Ref(&'static str),
}

/// One column of a ledger.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub id: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    pub kind: FieldKind,
    pub required: bool,
    /// What the template's example row holds (valid, so the example itself is a test); a unit
    /// field's example is the plan's first zone.
    pub example: &'static str,
    /// A line for the instructions sheet, beyond what the kind says.
    pub hint: &'static str,
}

/// Which fields the store keeps in indexed columns.
#[derive(Debug, Clone, Copy, Default)]
pub struct Slots {
    /// The record's title in lists and searches.
    pub name: &'static str,
    pub unit: Option<&'static str>,
    pub kind: Option<&'static str>,
    pub grade: Option<&'static str>,
    /// The date a record starts counting (认定日期, 举办日期, …).
    pub date: Option<&'static str>,
    /// The last day it counts (有效期至, 撤销日期).
    pub until: Option<&'static str>,
    pub amount: Option<&'static str>,
    /// The field naming a record of another ledger; the record takes that record's unit.
    pub reference: Option<&'static str>,
}

/// A ledger's definition.
#[derive(Debug)]
pub struct Ledger {
    pub id: &'static str,
    pub zh: &'static str,
    pub en: &'static str,
    /// What the ledger is for, with the plan's words.
    pub about: &'static str,
    pub fields: &'static [Field],
    /// The fields that identify a record: a second row with the same key updates it.
    pub key: &'static [&'static str],
    pub slots: Slots,
    /// Fills derived values (a 高新技术企业 certificate's validity) and says which records need
    /// attention; `None` when the ledger has no such rule.
    pub rule: Option<fn(&Ledger, &mut Record) -> Vec<Note>>,
    /// Which records to flag in lists (a ≥10亿元 project without an enterprise liaison).
    pub flag: Option<fn(&Ledger, &Record) -> Option<&'static str>>,
    /// Records whose stage (the kind slot, dated by the date slot) can stall; the stages that
    /// cannot (a project 投产 is done). `None`: the ledger has no stages.
    pub stalls_except: Option<&'static [&'static str]>,
    /// Fields a list shows besides the name, the key and the slots (a listed enterprise's
    /// security code in the register).
    pub listed: &'static [&'static str],
}

impl Ledger {
    pub fn find(id: &str) -> Option<&'static Ledger> {
        LEDGERS.iter().copied().find(|l| l.id == id)
    }

    pub fn field_index(&self, id: &str) -> Option<usize> {
        self.fields.iter().position(|f| f.id == id)
    }

    pub fn field(&self, id: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.id == id)
    }

    /// The value of a slot's field in `record`, if the ledger has that slot and it is filled.
    pub fn slot<'r>(&self, slot: Option<&str>, record: &'r Record) -> Option<&'r str> {
        let i = self.field_index(slot?)?;
        record
            .values
            .get(i)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// The natural key, its parts joined by `|`.
    pub fn natural_key(&self, record: &Record) -> String {
        self.key
            .iter()
            .map(|k| self.slot(Some(k), record).unwrap_or(""))
            .collect::<Vec<_>>()
            .join("|")
    }

    /// The name shown for a record.
    pub fn title<'r>(&self, record: &'r Record) -> &'r str {
        self.slot(Some(self.slots.name), record).unwrap_or("")
    }

    /// Why `record` needs attention, if it does.
    pub fn flag_of(&self, record: &Record) -> Option<&'static str> {
        self.flag.and_then(|f| f(self, record))
    }

    /// The ledger this one's records refer to, if any.
    pub fn referenced(&self) -> Option<&'static Ledger> {
        let field = self.field(self.slots.reference?)?;
        match field.kind {
            FieldKind::Ref(id) => Ledger::find(id),
            _ => None,
        }
    }
}

/// The industries a plan's ledgers offer: the plan's, then 其他.
pub fn industries(plan: &Plan) -> Vec<&str> {
    plan.industries
        .iter()
        .map(String::as_str)
        .chain(std::iter::once(OTHER_INDUSTRY))
        .collect()
}

/// The values a coded field offers for `plan` (a drop-down), if it is coded.
pub fn choices(plan: &Plan, kind: FieldKind) -> Option<Vec<String>> {
    match kind {
        FieldKind::Code(options) => Some(options.iter().map(|o| o.to_string()).collect()),
        FieldKind::Industry => Some(industries(plan).into_iter().map(String::from).collect()),
        FieldKind::Flag => Some(vec!["是".into(), "否".into()]),
        FieldKind::Unit => Some(plan.units.iter().map(|u| u.name.clone()).collect()),
        _ => None,
    }
}

/// How long a record has stayed at its stage on `today` (`YYYY-MM-DD`), in days, if its
/// ledger has stages, its stage can stall, and it has stayed longer than `limit` days.
pub fn stalled_days(l: &Ledger, r: &Record, today: &str, limit: u32) -> Option<i64> {
    let except = l.stalls_except?;
    if l.slot(l.slots.kind, r).is_some_and(|k| except.contains(&k)) {
        return None;
    }
    let days = |iso: &str| {
        let mut p = iso.split('-');
        Some(crate::time::days_from_civil(
            p.next()?.parse().ok()?,
            p.next()?.parse().ok()?,
            p.next()?.parse().ok()?,
        ))
    };
    let since = days(l.slot(l.slots.date, r)?)?;
    let stayed = days(today)? - since;
    (stayed > i64::from(limit)).then_some(stayed)
}

/// The last stage date that counts as stalled on `today`: `limit` days before it.
pub fn stall_cutoff(today: &str, limit: u32) -> Option<String> {
    let mut p = today.split('-');
    let d = crate::time::days_from_civil(
        p.next()?.parse().ok()?,
        p.next()?.parse().ok()?,
        p.next()?.parse().ok()?,
    ) - i64::from(limit)
        - 1;
    let (y, m, dd) = crate::time::civil_from_days(d);
    Some(format!("{y:04}-{m:02}-{dd:02}"))
}

/// A record's values, one per field of its ledger, normalised (`""` when empty).
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Record {
    pub values: Vec<String>,
}

impl Record {
    pub fn get(&self, ledger: &Ledger, field: &str) -> &str {
        ledger
            .field_index(field)
            .and_then(|i| self.values.get(i))
            .map_or("", String::as_str)
    }

    pub fn set(&mut self, ledger: &Ledger, field: &str, value: String) {
        if let Some(i) = ledger.field_index(field)
            && let Some(v) = self.values.get_mut(i)
        {
            *v = value;
        }
    }
}

/// Something normalisation changed or a rule noticed, for the dry run.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Note {
    pub field: String,
    pub zh: String,
    pub en: String,
}

/// A value that cannot be accepted.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    pub field: String,
    pub zh: String,
    pub en: String,
}

/// Checks every field of a record typed or uploaded as text, in field order; returns the
/// normalised record and what was normalised, or every field's error.
pub fn check(
    plan: &Plan,
    ledger: &Ledger,
    raw: &[value::Cell],
) -> Result<(Record, Vec<Note>), Vec<FieldError>> {
    let mut values = Vec::with_capacity(ledger.fields.len());
    let mut notes = Vec::new();
    let mut errors = Vec::new();
    for (i, field) in ledger.fields.iter().enumerate() {
        let cell = raw.get(i).unwrap_or(&value::Cell::Empty);
        match value::normalise(plan, field, cell) {
            Ok((v, note)) => {
                if v.is_empty() && field.required {
                    let t = RecordProblem::Required(field).text();
                    errors.push(FieldError {
                        field: field.id.to_string(),
                        zh: t.zh,
                        en: t.en,
                    });
                }
                if let Some((zh, en)) = note {
                    notes.push(Note {
                        field: field.id.to_string(),
                        zh,
                        en,
                    });
                }
                values.push(v);
            }
            Err((zh, en)) => {
                errors.push(FieldError {
                    field: field.id.to_string(),
                    zh,
                    en,
                });
                values.push(String::new());
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut record = Record { values };
    if let (Some(d), Some(u)) = (ledger.slots.date, ledger.slots.until) {
        let (from, to) = (record.get(ledger, d), record.get(ledger, u));
        if !from.is_empty() && !to.is_empty() && to < from {
            let (fd, fu) = (ledger.field(d), ledger.field(u));
            let t = RecordProblem::EndsBeforeStart {
                end: (fu.map_or(u, |f| f.zh), fu.map_or(u, |f| f.en), to),
                start: (fd.map_or(d, |f| f.zh), fd.map_or(d, |f| f.en), from),
            }
            .text();
            return Err(vec![FieldError {
                field: u.to_string(),
                zh: t.zh,
                en: t.en,
            }]);
        }
    }
    if let Some(rule) = ledger.rule {
        notes.extend(rule(ledger, &mut record));
    }
    Ok((record, notes))
}

/// The units whose records `who` may read: `None` for all. An account of a department tied to a
/// unit (a zone's committee, a county government) reads that unit and the units under it; the
/// dispatch office, leaders and city departments read every unit.
pub fn readable_units(plan: &Plan, who: Who<'_>) -> Option<Vec<String>> {
    if who.is_dispatcher() || who.roles.contains(&RoleKind::Leader) {
        return None;
    }
    let unit = plan.department(who.department)?.unit.as_deref()?;
    Some(subtree(plan, unit))
}

/// `unit` and every unit under it.
pub fn subtree(plan: &Plan, unit: &str) -> Vec<String> {
    let mut out = vec![unit.to_string()];
    let mut i = 0;
    while i < out.len() {
        let parent = out[i].clone();
        for u in &plan.units {
            if u.parent.as_deref() == Some(parent.as_str()) && !out.contains(&u.id) {
                out.push(u.id.clone());
            }
        }
        i += 1;
    }
    out
}

/// Whether `who` may create and change `ledger`'s records of `unit`: the dispatcher; a reporter
/// of the department the plan names as the ledger's keeper (any unit); a reporter of a
/// department tied to the unit or a unit above it.
pub fn may_edit(plan: &Plan, who: Who<'_>, ledger: &Ledger, unit: &str) -> bool {
    if who.is_dispatcher() {
        return true;
    }
    if !who.roles.contains(&RoleKind::Reporter) {
        return false;
    }
    if plan.ledger_keeper(ledger.id) == Some(who.department) {
        return true;
    }
    plan.department(who.department)
        .and_then(|d| d.unit.as_deref())
        .is_some_and(|own| subtree(plan, own).iter().any(|u| u == unit))
}

/// Whether `who` may create records of `ledger` at all (for some unit).
pub fn may_edit_any(plan: &Plan, who: Who<'_>, ledger: &Ledger) -> bool {
    who.is_dispatcher()
        || who.roles.contains(&RoleKind::Reporter)
            && (plan.ledger_keeper(ledger.id) == Some(who.department)
                || plan
                    .department(who.department)
                    .is_some_and(|d| d.unit.is_some()))
}
