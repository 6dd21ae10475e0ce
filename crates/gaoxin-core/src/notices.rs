//! Notices beyond the inbox: which an account wants by e-mail. Every notice reaches the inbox
//! of the accounts concerned; a copy goes by e-mail to those with an address, as each chose —
//! all of them, only the urgent ones (deadlines near or passed, something returned, a nudge or
//! a leader's instruction), or none. A unit's group robot is the unit's, set at the console.

/// Which notices an account wants by e-mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EmailChoice {
    #[default]
    All,
    Urgent,
    None,
}

impl EmailChoice {
    pub const ALL: [EmailChoice; 3] = [EmailChoice::All, EmailChoice::Urgent, EmailChoice::None];

    pub fn code(self) -> &'static str {
        match self {
            EmailChoice::All => "all",
            EmailChoice::Urgent => "urgent",
            EmailChoice::None => "none",
        }
    }

    pub fn parse(s: &str) -> Option<EmailChoice> {
        EmailChoice::ALL.into_iter().find(|c| c.code() == s)
    }

    /// Whether a notice of kind `notice` (its code) goes out by e-mail under this choice.
    pub fn sends(self, notice: &str) -> bool {
        match self {
            EmailChoice::All => true,
            EmailChoice::Urgent => is_urgent(notice),
            EmailChoice::None => false,
        }
    }
}

/// The notices that ask for action against a clock, or report that something went wrong.
const URGENT: &[&str] = &[
    // Figures (monitor::workflow::Notice).
    "figures_due",
    "figures_missed",
    "figure_returned",
    // Progress reports.
    "report_due",
    "report_overdue",
    "report_returned",
    // 督办单 (supervise::Notice).
    "assigned",
    "due_soon",
    "overdue",
    "returned",
    "urged",
    "instructed",
    "extension_decided",
];

/// Whether a notice (by its code) is urgent.
pub fn is_urgent(notice: &str) -> bool {
    URGENT.contains(&notice)
}

/// Whether `s` is an address we send to: one `@`, a dot in the domain, no spaces, angle
/// brackets, separators or line breaks, at most 254 bytes.
pub fn valid_email(s: &str) -> bool {
    let ok_chars = !s
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | ',' | ';' | '"'));
    match s.split_once('@') {
        Some((local, domain)) => {
            ok_chars
                && !local.is_empty()
                && domain.contains('.')
                && !domain.contains('@')
                && s.len() <= 254
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::monitor::workflow::Notice as Figure;
    use crate::supervise::Notice as Order;

    #[test]
    fn each_choice_sends_what_it_says() {
        assert!(EmailChoice::All.sends("figure_submitted"));
        assert!(!EmailChoice::Urgent.sends("figure_submitted"));
        assert!(EmailChoice::Urgent.sends("figures_missed"));
        assert!(!EmailChoice::None.sends("overdue"));
        for c in EmailChoice::ALL {
            assert_eq!(EmailChoice::parse(c.code()), Some(c));
        }
    }

    #[test]
    fn urgent_codes_are_codes_the_domains_send() {
        // A renamed notice would silently stop being urgent: every listed code is one a
        // domain sends.
        let mut known: Vec<&str> = Order::ALL.iter().map(|n| n.code()).collect();
        known.extend(Figure::ALL.iter().map(|n| n.code()));
        known.extend(["report_due", "report_overdue", "report_returned"]);
        for code in URGENT {
            assert!(known.contains(code), "{code}");
        }
        assert!(is_urgent(Order::Overdue.code()) && !is_urgent(Order::Closed.code()));
    }

    #[test]
    fn addresses_we_send_to() {
        assert!(valid_email("keji@sjz.gov.cn"));
        for bad in [
            "",
            "keji",
            "a@b",
            "a b@c.cn",
            "<a@b.cn>",
            "a@b.cn,c@d.cn",
            "a@b@c.cn",
        ] {
            assert!(!valid_email(bad), "{bad}");
        }
    }
}
