//! One value as a clerk typed it, made into what the ledger stores, with a note of anything
//! that was changed on the way (the dry run shows the notes, so nothing changes silently).

use super::{Field, FieldKind};
use crate::plan::{Plan, format_value};
use crate::time::{civil_from_days, days_from_civil};

/// A cell as it comes from a form or a worksheet.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Cell {
    #[default]
    Empty,
    Text(String),
    Number(f64),
    /// An Excel date: days since 1899-12-30 (the serial Excel stores).
    Date(f64),
}

impl Cell {
    /// The cell as the clerk sees it, for error messages.
    pub fn shown(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(s) => s.clone(),
            Cell::Number(n) => format_value(*n),
            Cell::Date(d) => iso_of_serial(*d).unwrap_or_else(|| format_value(*d)),
        }
    }
}

/// `(zh, en)` of a note or an error.
pub type Message = (String, String);

use super::messages::Says;
use crate::text::Message as _;

/// Excel's serial for 1970-01-01.
const SERIAL_1970: i64 = 25_569;

fn iso_of_serial(serial: f64) -> Option<String> {
    // 1 (1900-01-01) to 2958465 (9999-12-31) are the serials Excel knows.
    if !(1.0..=2_958_465.0).contains(&serial) {
        return None;
    }
    let (y, m, d) = civil_from_days(serial.floor() as i64 - SERIAL_1970);
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

/// Half-width digits, letters and punctuation for their full-width forms; an ideographic space
/// for a space.
pub fn half_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{3000}' => ' ',
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            c => c,
        })
        .collect()
}

/// Trims spaces of both widths, tabs and line breaks.
fn trim(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}')
}

/// Normalises one cell for `field`: `Ok(("", None))` for an empty cell (whether that is allowed
/// is the caller's business), the stored text and an optional note, or an error.
pub fn normalise(
    plan: &Plan,
    field: &Field,
    cell: &Cell,
) -> Result<(String, Option<Message>), Message> {
    let typed = match cell {
        Cell::Empty => return Ok((String::new(), None)),
        Cell::Text(s) => s.as_str(),
        Cell::Number(n) => return number_cell(field, *n),
        Cell::Date(d) => return date_cell(field, *d),
    };
    let text = trim(typed);
    if text.is_empty() {
        return Ok((String::new(), None));
    }
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(Says::ControlCharacters(field).pair());
    }
    let trimmed = (text != typed).then(|| Says::Trimmed(field).pair());
    let (value, note) = match field.kind {
        FieldKind::Text { max } => {
            let n = text.chars().count();
            if n > max {
                return Err(Says::TooLong { field, max, n }.pair());
            }
            (text.to_string(), None)
        }
        FieldKind::Code(options) => code(field, options, text)?,
        FieldKind::Industry => {
            let options = super::industries(plan);
            code(field, &options, text).map_err(|_| {
                Says::NotAnIndustry {
                    field,
                    text,
                    options: &options,
                }
                .pair()
            })?
        }
        FieldKind::Uscc | FieldKind::Ref(_) => uscc(field, text)?,
        FieldKind::Date => date_text(field, text)?,
        FieldKind::Year => year_text(field, text)?,
        FieldKind::Amount { unit } => amount_text(field, unit, text, false)?,
        FieldKind::Signed { unit } => amount_text(field, unit, text, true)?,
        FieldKind::Count => count_text(field, text)?,
        FieldKind::Unit => unit(plan, field, text)?,
        FieldKind::Flag => flag(field, text)?,
    };
    Ok((value, note.or(trimmed)))
}

fn number_cell(field: &Field, n: f64) -> Result<(String, Option<Message>), Message> {
    match field.kind {
        FieldKind::Date => date_cell(field, n).map(|(iso, _)| {
            let note = Says::NumberAsDate {
                field,
                number: &format_value(n),
                iso: &iso,
            }
            .pair();
            (iso, Some(note))
        }),
        FieldKind::Amount { .. } => non_negative(field, n).map(|v| (amount_text_of(v), None)),
        FieldKind::Signed { .. } => finite(field, n).map(|v| (amount_text_of(v), None)),
        FieldKind::Count => whole(field, n).map(|v| (v.to_string(), None)),
        FieldKind::Year => year_of(field, n).map(|y| (y.to_string(), None)),
        // A code or a name typed as a number (a certificate number, a parcel number): as shown.
        _ => normalise_text_of(field, &format_value(n)),
    }
}

fn normalise_text_of(field: &Field, s: &str) -> Result<(String, Option<Message>), Message> {
    match field.kind {
        FieldKind::Text { .. } => Ok((s.to_string(), None)),
        _ => Err(wrong(field, s)),
    }
}

fn date_cell(field: &Field, serial: f64) -> Result<(String, Option<Message>), Message> {
    if field.kind != FieldKind::Date {
        return Err(wrong(field, &iso_of_serial(serial).unwrap_or_default()));
    }
    // A number in a date column is an 8-digit date (20250301) or an Excel serial.
    if (19_000_101.0..=21_001_231.0).contains(&serial) && serial.fract() == 0.0 {
        return date_text(field, &format_value(serial));
    }
    match iso_of_serial(serial) {
        Some(iso) => Ok((iso, None)),
        None => Err(wrong(field, &format_value(serial))),
    }
}

/// The error for a value that is not of the field's kind, saying what is expected.
fn wrong(field: &Field, shown: &str) -> Message {
    Says::Unrecognised { field, shown }.pair()
}

/// What a kind of field expects, for errors and the instructions sheet.
pub fn expected(kind: FieldKind) -> (String, String) {
    let t = Says::Expected(kind).text();
    (t.zh, t.en)
}

/// Quotes of every width and style, for comparing 专精特新"小巨人" however it was typed.
fn without_quotes(s: &str) -> String {
    s.chars()
        .filter(|c| !matches!(c, '"' | '“' | '”' | '＂' | '\'' | '‘' | '’' | '「' | '」'))
        .collect()
}

fn code(field: &Field, options: &[&str], text: &str) -> Result<(String, Option<Message>), Message> {
    if let Some(o) = options.iter().find(|o| **o == text) {
        return Ok((o.to_string(), None));
    }
    let loose = without_quotes(&half_width(text)).replace(' ', "");
    match options
        .iter()
        .find(|o| without_quotes(&half_width(o)).replace(' ', "") == loose)
    {
        Some(o) => Ok((
            o.to_string(),
            Some(
                Says::ReadAsOption {
                    field,
                    text,
                    option: o,
                }
                .pair(),
            ),
        )),
        None => Err(wrong(field, text)),
    }
}

/// The 31 characters of a credit code, in the order of their values.
const USCC_CHARS: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// Whether `code` is a well-formed 统一社会信用代码 with the right check digit (GB 32100-2015).
pub fn uscc_valid(code: &str) -> bool {
    let values: Option<Vec<u32>> = code
        .chars()
        .map(|c| USCC_CHARS.find(c).map(|i| i as u32))
        .collect();
    let Some(values) = values else { return false };
    if values.len() != 18 {
        return false;
    }
    let sum: u32 = values[..17]
        .iter()
        .zip(USCC_WEIGHTS)
        .map(|(v, w)| v * w)
        .sum();
    let check = (31 - sum % 31) % 31;
    values[17] == check
}

/// The check character that completes the first 17 characters of a credit code.
pub fn uscc_check_char(first17: &str) -> Option<char> {
    let values: Option<Vec<u32>> = first17
        .chars()
        .map(|c| USCC_CHARS.find(c).map(|i| i as u32))
        .collect();
    let values = values.filter(|v| v.len() == 17)?;
    let sum: u32 = values.iter().zip(USCC_WEIGHTS).map(|(v, w)| v * w).sum();
    USCC_CHARS.chars().nth(((31 - sum % 31) % 31) as usize)
}

fn uscc(field: &Field, text: &str) -> Result<(String, Option<Message>), Message> {
    let code: String = half_width(text)
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '-')
        .collect::<String>()
        .to_uppercase();
    if code.chars().count() != 18 {
        return Err(Says::UsccLength {
            field,
            text,
            n: code.chars().count(),
        }
        .pair());
    }
    if let Some(bad) = code.chars().find(|c| !USCC_CHARS.contains(*c)) {
        return Err(Says::UsccCharacter { field, bad }.pair());
    }
    if !uscc_valid(&code) {
        return Err(Says::UsccCheckDigit { field, code: &code }.pair());
    }
    let note = (code != text).then(|| {
        Says::WrittenAs {
            field,
            text,
            as_: &code,
            quoted: true,
        }
        .pair()
    });
    Ok((code, note))
}

fn date_text(field: &Field, text: &str) -> Result<(String, Option<Message>), Message> {
    let s = half_width(text);
    let s = s.trim();
    let parts: Vec<&str> = if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        vec![&s[0..4], &s[4..6], &s[6..8]]
    } else {
        s.split(['-', '/', '.', '年', '月', '日'])
            .filter(|p| !p.is_empty())
            .collect()
    };
    let ymd = match parts.as_slice() {
        [y, m, d] => match (y.parse::<i64>(), m.parse::<u32>(), d.parse::<u32>()) {
            (Ok(y), Ok(m), Ok(d)) if y >= 1900 && (1..=12).contains(&m) && d >= 1 => {
                Some((y, m, d))
            }
            _ => None,
        },
        _ => None,
    };
    let Some((y, m, d)) = ymd else {
        return Err(wrong(field, text));
    };
    // A day past the month's end (2025-02-30) comes back as a different day.
    if civil_from_days(days_from_civil(y, m, d)) != (y, m, d) {
        return Err(Says::NotARealDate { field, text }.pair());
    }
    let iso = format!("{y:04}-{m:02}-{d:02}");
    let note = (iso != text).then(|| {
        Says::WrittenAs {
            field,
            text,
            as_: &iso,
            quoted: false,
        }
        .pair()
    });
    Ok((iso, note))
}

fn year_of(field: &Field, n: f64) -> Result<i64, Message> {
    if n.fract() == 0.0 && (2000.0..=2100.0).contains(&n) {
        Ok(n as i64)
    } else {
        Err(wrong(field, &format_value(n)))
    }
}

fn year_text(field: &Field, text: &str) -> Result<(String, Option<Message>), Message> {
    let s = half_width(text);
    let digits = s.trim().trim_end_matches('年').trim();
    match digits.parse::<f64>() {
        Ok(n) => {
            let y = year_of(field, n)?;
            Ok((y.to_string(), None))
        }
        Err(_) => Err(wrong(field, text)),
    }
}

fn finite(field: &Field, n: f64) -> Result<f64, Message> {
    if n.is_finite() {
        Ok(n)
    } else {
        Err(wrong(field, &format_value(n)))
    }
}

fn non_negative(field: &Field, n: f64) -> Result<f64, Message> {
    if n.is_finite() && n >= 0.0 {
        Ok(n)
    } else {
        Err(Says::Negative(field).pair())
    }
}

fn whole(field: &Field, n: f64) -> Result<i64, Message> {
    let n = non_negative(field, n)?;
    if n.fract() == 0.0 && n < 1e15 {
        Ok(n as i64)
    } else {
        Err(Says::NotWhole(field).pair())
    }
}

/// An amount as stored: at most four decimals, no trailing zeros.
fn amount_text_of(v: f64) -> String {
    format_value((v * 10_000.0).round() / 10_000.0)
}

/// Digits of either width with thousands separators of either kind, and what was removed.
fn plain_number(s: &str) -> Option<(f64, bool)> {
    let half = half_width(s);
    let separators = half.contains([',', '，']) || half.contains(' ');
    let digits: String = half
        .chars()
        .filter(|c| !matches!(c, ',' | '，' | ' '))
        .map(|c| if c == '。' { '.' } else { c })
        .collect();
    if digits.is_empty()
        || !digits
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
    {
        return None;
    }
    digits
        .parse::<f64>()
        .ok()
        .filter(|v| v.is_finite())
        .map(|v| (v, separators || half != s))
}

fn amount_text(
    field: &Field,
    unit: &str,
    text: &str,
    signed: bool,
) -> Result<(String, Option<Message>), Message> {
    let half = half_width(text);
    let t = half.trim();
    // The scale of a suffix, relative to the field's unit.
    let (body, scale, suffix) = if unit == "万元" {
        if let Some(b) = t.strip_suffix("亿元").or_else(|| t.strip_suffix('亿')) {
            (b, 10_000.0, Some("亿元"))
        } else if let Some(b) = t.strip_suffix("万元").or_else(|| t.strip_suffix('万')) {
            (b, 1.0, Some("万元"))
        } else if let Some(b) = t.strip_suffix('元') {
            (b, 0.0001, Some("元"))
        } else {
            (t, 1.0, None)
        }
    } else if let Some(b) = t.strip_suffix(unit) {
        (b, 1.0, Some(unit))
    } else {
        (t, 1.0, None)
    };
    let Some((n, reformatted)) = plain_number(body.trim()) else {
        return Err(wrong(field, text));
    };
    let v = if signed {
        finite(field, n * scale)?
    } else {
        non_negative(field, n * scale)?
    };
    let stored = amount_text_of(v);
    let note = (reformatted || suffix.is_some() || stored != text).then(|| {
        Says::ReadAs {
            field,
            text,
            as_: &stored,
            unit,
            quoted: false,
        }
        .pair()
    });
    Ok((stored, note))
}

fn count_text(field: &Field, text: &str) -> Result<(String, Option<Message>), Message> {
    let half = half_width(text);
    let body = half
        .trim()
        .trim_end_matches(['个', '场', '人', '家', '项', '次', '名']);
    let Some((n, _)) = plain_number(body.trim()) else {
        return Err(wrong(field, text));
    };
    let v = whole(field, n)?;
    let stored = v.to_string();
    let note = (stored != text).then(|| {
        Says::ReadAs {
            field,
            text,
            as_: &stored,
            unit: "",
            quoted: false,
        }
        .pair()
    });
    Ok((stored, note))
}

fn unit(plan: &Plan, field: &Field, text: &str) -> Result<(String, Option<Message>), Message> {
    match plan.units.iter().find(|u| u.id == text || u.name == text) {
        Some(u) => Ok((u.id.clone(), None)),
        None => {
            let names: Vec<&str> = plan.units.iter().map(|u| u.name.as_str()).collect();
            Err(Says::NotAUnit {
                field,
                text,
                names: &names,
            }
            .pair())
        }
    }
}

/// How a flag's yes is stored.
pub const YES: &str = "是";

fn flag(field: &Field, text: &str) -> Result<(String, Option<Message>), Message> {
    let t = half_width(text).to_lowercase();
    let yes = ["是", "有", "y", "yes", "true", "1", "√"];
    let no = ["否", "无", "n", "no", "false", "0", "×"];
    let v = if yes.contains(&t.as_str()) {
        YES
    } else if no.contains(&t.as_str()) {
        "否"
    } else {
        return Err(wrong(field, text));
    };
    let note = (v != text).then(|| {
        Says::ReadAs {
            field,
            text,
            as_: v,
            unit: "",
            quoted: true,
        }
        .pair()
    });
    Ok((v.to_string(), note))
}

/// The day before the same date `years` later: the last day of a validity that starts on
/// `iso` (a 高新技术企业 certificate issued 2025-03-01 is valid to 2028-02-29).
pub fn last_day_after_years(iso: &str, years: i64) -> Option<String> {
    let mut p = iso.split('-');
    let (y, m, d) = (
        p.next()?.parse::<i64>().ok()?,
        p.next()?.parse::<u32>().ok()?,
        p.next()?.parse::<u32>().ok()?,
    );
    let (ty, tm, td) = (y + years, m, d);
    // 29 February plus years is 1 March of a common year; the day before is 28 February.
    let day = if civil_from_days(days_from_civil(ty, tm, td)) == (ty, tm, td) {
        days_from_civil(ty, tm, td)
    } else {
        days_from_civil(ty, tm + 1, 1)
    };
    let (ly, lm, ld) = civil_from_days(day - 1);
    Some(format!("{ly:04}-{lm:02}-{ld:02}"))
}

/// Text that a spreadsheet would run as a formula if it began a cell: `= + - @`, tab, CR.
pub fn looks_like_formula(s: &str) -> bool {
    s.starts_with(['=', '+', '-', '@', '\t', '\r'])
}
