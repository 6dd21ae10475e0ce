//! 账号与权限 — roles, what each role may do, and the rules that keep the three administrators
//! (三员分立) apart. Pure rules: who may do what is decided here and only here.

mod messages;
pub mod password;
pub mod totp;

use serde::Serialize;

/// A role an account holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RoleKind {
    /// 调度员: everything in the plan.
    Dispatcher,
    /// 领导: reads everything, changes nothing.
    Leader,
    /// 填报员: enters data for its own unit.
    Reporter,
    /// 审核员: reviews what its unit is the source or owner of.
    Reviewer,
    /// 系统管理员: creates, disables, deletes accounts.
    SystemAdmin,
    /// 安全管理员: assigns roles, sets the security policy.
    SecurityAdmin,
    /// 审计管理员: reads and exports the audit log.
    AuditAdmin,
    /// 大屏展示: the meeting room's big screen (数据大屏) and nothing else.
    Screen,
}

impl RoleKind {
    pub const ALL: [RoleKind; 8] = [
        RoleKind::Dispatcher,
        RoleKind::Leader,
        RoleKind::Reporter,
        RoleKind::Reviewer,
        RoleKind::SystemAdmin,
        RoleKind::SecurityAdmin,
        RoleKind::AuditAdmin,
        RoleKind::Screen,
    ];

    /// The code used on the command line and in the database.
    pub fn code(self) -> &'static str {
        match self {
            RoleKind::Dispatcher => "dispatcher",
            RoleKind::Leader => "leader",
            RoleKind::Reporter => "reporter",
            RoleKind::Reviewer => "reviewer",
            RoleKind::SystemAdmin => "system-admin",
            RoleKind::SecurityAdmin => "security-admin",
            RoleKind::AuditAdmin => "audit-admin",
            RoleKind::Screen => "screen",
        }
    }

    /// Accepts the code, or the Chinese name.
    pub fn parse(s: &str) -> Option<RoleKind> {
        RoleKind::ALL
            .into_iter()
            .find(|r| r.code() == s || r.zh() == s)
    }

    /// One of the three administrators of 三员分立.
    pub fn is_admin(self) -> bool {
        matches!(
            self,
            RoleKind::SystemAdmin | RoleKind::SecurityAdmin | RoleKind::AuditAdmin
        )
    }

    /// A role an account holds alone: one of the three administrators, or the big screen's
    /// (an account on a meeting room's wall that shows the screen and can open nothing else).
    pub fn stands_alone(self) -> bool {
        self.is_admin() || self == RoleKind::Screen
    }

    /// Administrators need a second factor.
    pub fn needs_second_factor(self) -> bool {
        self.is_admin()
    }
}

/// Why a set of roles cannot be held by one account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoleError {
    /// No role at all.
    Empty,
    /// Two of the three administrators, or an administrator with a business role; or the big
    /// screen's role with any other.
    AdminCombined { admin: RoleKind, other: RoleKind },
}

/// Checks that one account may hold all of `roles` together.
pub fn check_roles(roles: &[RoleKind]) -> Result<(), RoleError> {
    if roles.is_empty() {
        return Err(RoleError::Empty);
    }
    if let Some(admin) = roles.iter().copied().find(|r| r.stands_alone())
        && let Some(other) = roles.iter().copied().find(|r| *r != admin)
    {
        return Err(RoleError::AdminCombined { admin, other });
    }
    Ok(())
}

/// Who changes an account.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Changer {
    /// Someone at the server's console (`gaoxin user …`): the operating system decided who
    /// may.
    Console,
    /// A signed-in administrator, on the web.
    Administrator,
}

/// Why an administrator may not make a change to an account on the web.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AdminChangeRefused;

/// 三员分立 protected: on the web, no administrator changes, disables or deletes an account
/// holding an administrator role, nor gives one; those changes are made at the console, where
/// the operating system's own controls decide who may. `before` is what the account holds,
/// `after` what it would hold (`None`: the change is not to its roles).
pub fn may_change_account(
    by: Changer,
    before: &[RoleKind],
    after: Option<&[RoleKind]>,
) -> Result<(), AdminChangeRefused> {
    let touches_admin = before.iter().any(|r| r.is_admin())
        || after.is_some_and(|roles| roles.iter().any(|r| r.is_admin()));
    match by {
        Changer::Console => Ok(()),
        Changer::Administrator if touches_admin => Err(AdminChangeRefused),
        Changer::Administrator => Ok(()),
    }
}

/// What a request may need to be allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Capability {
    /// Read the plan and the business data of one's scope.
    ReadBusiness,
    /// Create, disable and delete accounts.
    ManageAccounts,
    /// Assign roles and set the security policy.
    ManageSecurity,
    /// Read and export the audit log.
    ReadAudit,
    /// Show the big screen (数据大屏): the city at a glance, read-only.
    ReadScreen,
}

/// Whether an account holding `roles` has `capability`.
pub fn allows(roles: &[RoleKind], capability: Capability) -> bool {
    roles.iter().any(|r| match capability {
        Capability::ReadBusiness => !r.stands_alone(),
        Capability::ManageAccounts => *r == RoleKind::SystemAdmin,
        Capability::ManageSecurity => *r == RoleKind::SecurityAdmin,
        Capability::ReadAudit => *r == RoleKind::AuditAdmin,
        Capability::ReadScreen => matches!(
            r,
            RoleKind::Screen | RoleKind::Dispatcher | RoleKind::Leader
        ),
    })
}

/// Which units' records an account may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// Every unit's (dispatcher, leader).
    All,
    /// Only its own unit's (reporter, reviewer).
    Unit(String),
    /// None (the administrators, or an account without a business role).
    Nothing,
}

impl Scope {
    /// The scope of an account of `unit` holding `roles`: the widest its roles give.
    pub fn of(unit: &str, roles: &[RoleKind]) -> Scope {
        if roles
            .iter()
            .any(|r| matches!(r, RoleKind::Dispatcher | RoleKind::Leader))
        {
            Scope::All
        } else if roles
            .iter()
            .any(|r| matches!(r, RoleKind::Reporter | RoleKind::Reviewer))
        {
            Scope::Unit(unit.to_string())
        } else {
            Scope::Nothing
        }
    }

    /// Whether a record owned by `unit` is in scope.
    pub fn covers(&self, unit: &str) -> bool {
        match self {
            Scope::All => true,
            Scope::Unit(u) => u == unit,
            Scope::Nothing => false,
        }
    }
}

/// Why a user name is refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UsernameError;

/// Whether `c` is a Chinese character (the CJK Unified Ideographs and their extension A).
fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

/// Checks a new user name. Only characters that cannot pass for one another: lower-case ASCII
/// letters, digits, `.` `_` `-` and Chinese characters — so `ѕysadmin` (Cyrillic ѕ),
/// `ｓｙｓａｄｍｉｎ` (full width) and `Sysadmin` are refused rather than shown beside `sysadmin`.
pub fn check_username(name: &str) -> Result<(), UsernameError> {
    let n = name.chars().count();
    let ok = (2..=64).contains(&n)
        && name.chars().all(|c| {
            c.is_ascii_lowercase()
                || c.is_ascii_digit()
                || matches!(c, '.' | '_' | '-')
                || is_han(c)
        });
    if ok { Ok(()) } else { Err(UsernameError) }
}

/// Why a person's name or phone is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProfileError {
    /// A name over [`NAME_MAX_CHARS`] characters, or with control characters.
    Name,
    /// A phone that is not 5 to 20 of digits, spaces and `+ - ( )` with at least 5 digits.
    Phone,
}

/// Longest 姓名 kept.
pub const NAME_MAX_CHARS: usize = 40;

/// Checks a person's real name (姓名) and phone as they go on an account; both may be empty
/// (an account made at the console before anyone filled them in). Returns them trimmed.
pub fn check_profile(name: &str, phone: &str) -> Result<(String, String), ProfileError> {
    let name = name.trim();
    if name.chars().count() > NAME_MAX_CHARS || name.chars().any(char::is_control) {
        return Err(ProfileError::Name);
    }
    let phone = phone.trim();
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let phone_ok = phone.is_empty()
        || ((5..=20).contains(&phone.chars().count())
            && digits >= 5
            && phone
                .chars()
                .all(|c| c.is_ascii_digit() || matches!(c, ' ' | '+' | '-' | '(' | ')')));
    if !phone_ok {
        return Err(ProfileError::Phone);
    }
    Ok((name.to_string(), phone.to_string()))
}

/// An account as people read it in a history: `张三（zhangsan）`, or the user name alone when
/// no name is on file.
pub fn person(username: &str, name: &str) -> String {
    if name.is_empty() {
        username.to_string()
    } else {
        format!("{name}（{username}）")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use RoleKind::*;

    #[test]
    fn names_and_phones_are_checked_and_trimmed() {
        assert_eq!(
            check_profile(" 张三 ", " 0311-8768 1234 "),
            Ok(("张三".to_string(), "0311-8768 1234".to_string()))
        );
        assert_eq!(check_profile("", ""), Ok((String::new(), String::new())));
        assert_eq!(check_profile("张\u{7}三", ""), Err(ProfileError::Name));
        assert_eq!(check_profile(&"名".repeat(41), ""), Err(ProfileError::Name));
        for bad in ["1234", "138abc00000", "+86 (0)311 8768 1234 5678", "(-)(-)"] {
            assert_eq!(
                check_profile("张三", bad),
                Err(ProfileError::Phone),
                "{bad}"
            );
        }
        assert_eq!(person("zhangsan", "张三"), "张三（zhangsan）");
        assert_eq!(person("zhangsan", ""), "zhangsan");
    }

    #[test]
    fn administrators_stand_alone() {
        assert!(check_roles(&[Reporter, Reviewer]).is_ok());
        assert!(check_roles(&[SystemAdmin]).is_ok());
        assert_eq!(check_roles(&[]), Err(RoleError::Empty));
        assert!(matches!(
            check_roles(&[SystemAdmin, AuditAdmin]),
            Err(RoleError::AdminCombined { .. })
        ));
        assert!(matches!(
            check_roles(&[Dispatcher, SecurityAdmin]),
            Err(RoleError::AdminCombined { .. })
        ));
        // The big screen's account holds its role alone.
        assert_eq!(check_roles(&[Screen]), Ok(()));
        assert_eq!(
            check_roles(&[Screen, Leader]),
            Err(RoleError::AdminCombined {
                admin: Screen,
                other: Leader
            })
        );
    }

    #[test]
    fn the_big_screen_shows_to_leaders_the_dispatch_office_and_its_own_role_only() {
        let shows: Vec<RoleKind> = RoleKind::ALL
            .into_iter()
            .filter(|r| allows(&[*r], Capability::ReadScreen))
            .collect();
        assert_eq!(shows, [Dispatcher, Leader, Screen]);
        assert_eq!(Scope::of("dispatch", &[Screen]), Scope::Nothing);
        assert!(!Screen.needs_second_factor());
    }

    #[test]
    fn administrators_see_no_business_data() {
        for r in RoleKind::ALL {
            assert_eq!(
                allows(&[r], Capability::ReadBusiness),
                !r.is_admin() && r != Screen,
                "{r:?}"
            );
        }
        assert!(allows(&[SystemAdmin], Capability::ManageAccounts));
        assert!(!allows(&[SecurityAdmin], Capability::ManageAccounts));
        assert!(allows(&[AuditAdmin], Capability::ReadAudit));
        assert!(!allows(&[Dispatcher], Capability::ReadAudit));
    }

    #[test]
    fn scope_is_the_widest_the_roles_give() {
        assert_eq!(Scope::of("sci-tech", &[Reporter, Leader]), Scope::All);
        assert_eq!(
            Scope::of("sci-tech", &[Reviewer]),
            Scope::Unit("sci-tech".into())
        );
        assert_eq!(Scope::of("dispatch", &[AuditAdmin]), Scope::Nothing);
        assert!(
            Scope::Unit("tax".into()).covers("tax") && !Scope::Unit("tax".into()).covers("drc")
        );
        assert!(!Scope::Nothing.covers("tax"));
    }

    #[test]
    fn user_names_are_plain() {
        assert!(check_username("clerk").is_ok());
        assert!(check_username("张三").is_ok());
        assert!(check_username("li.si-2").is_ok());
        assert!(check_username("a").is_err());
        assert!(check_username("has space").is_err());
        assert!(check_username("x;drop").is_err());
        // Names that look like another's are refused.
        for lookalike in [
            "ѕysadmin",
            "ｓｙｓａｄｍｉｎ",
            "Sysadmin",
            "sysadmin\u{200b}",
            "sysаdmin",
        ] {
            assert!(check_username(lookalike).is_err(), "{lookalike}");
        }
    }

    #[test]
    fn roles_parse_from_code_or_chinese() {
        for r in RoleKind::ALL {
            assert_eq!(RoleKind::parse(r.code()), Some(r));
            assert_eq!(RoleKind::parse(r.zh()), Some(r));
        }
        assert_eq!(RoleKind::parse("root"), None);
    }
}

/// The account acting: its roles and its department (plan id). What every rule in core is
/// asked about.
#[derive(Debug, Clone, Copy)]
pub struct Who<'a> {
    pub roles: &'a [RoleKind],
    /// The account's department (plan id).
    pub department: &'a str,
}

impl Who<'_> {
    pub fn is(&self, role: RoleKind) -> bool {
        self.roles.contains(&role)
    }

    pub fn is_dispatcher(&self) -> bool {
        self.is(RoleKind::Dispatcher)
    }
}
