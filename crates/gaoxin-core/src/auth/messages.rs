//! 账号与权限's wording: the roles' names, and why a set of roles, a user name, a password or
//! an administrator change is refused, in Chinese and English (see [`crate::text`]).

use super::password::*;
use super::*;
use crate::auth::RoleKind;
use crate::text::{Lang, Message, Name, Text};

impl super::RoleKind {
    pub(crate) fn zh(self) -> &'static str {
        match self {
            RoleKind::Dispatcher => "调度员",
            RoleKind::Leader => "领导",
            RoleKind::Reporter => "填报员",
            RoleKind::Reviewer => "审核员",
            RoleKind::SystemAdmin => "系统管理员",
            RoleKind::SecurityAdmin => "安全管理员",
            RoleKind::AuditAdmin => "审计管理员",
            RoleKind::Screen => "大屏展示",
        }
    }

    pub(crate) fn en(self) -> &'static str {
        match self {
            RoleKind::Dispatcher => "dispatcher",
            RoleKind::Leader => "leader",
            RoleKind::Reporter => "reporter",
            RoleKind::Reviewer => "reviewer",
            RoleKind::SystemAdmin => "system administrator",
            RoleKind::SecurityAdmin => "security administrator",
            RoleKind::AuditAdmin => "audit administrator",
            RoleKind::Screen => "big screen",
        }
    }
}

impl Name for super::RoleKind {
    fn name(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh(),
            Lang::En => self.en(),
        }
    }
}

impl super::RoleError {
    pub(crate) fn zh(&self) -> String {
        match self {
            RoleError::Empty => "账号至少需要一个角色。".to_string(),
            RoleError::AdminCombined { admin, other } if *admin == RoleKind::Screen => format!(
                "{}不能与{}由同一账号兼任：大屏展示账号挂在会议室的屏幕上，只能显示数据大屏。",
                admin.zh(),
                other.zh()
            ),
            RoleError::AdminCombined { admin, other } => format!(
                "{}不能与{}由同一账号兼任：三员分立要求三个管理员角色各自独立，且不接触业务数据。",
                admin.zh(),
                other.zh()
            ),
        }
    }

    pub(crate) fn en(&self) -> String {
        match self {
            RoleError::Empty => "an account needs at least one role.".to_string(),
            RoleError::AdminCombined { admin, other } if *admin == RoleKind::Screen => format!(
                "the {} role cannot be held together with {}: a big-screen account hangs on a meeting room's wall and shows the big screen only.",
                admin.en(),
                other.en()
            ),
            RoleError::AdminCombined { admin, other } => format!(
                "the {} role cannot be held together with {}: the three administrators are separate and see no business data.",
                admin.en(),
                other.en()
            ),
        }
    }
}

impl Message for super::RoleError {
    fn text(&self) -> Text {
        Text::new(self.zh(), self.en())
    }
}

impl super::AdminChangeRefused {
    pub(crate) fn zh(self) -> &'static str {
        "管理员账号和三个管理员角色只能在服务器控制台上修改（gaoxin user …）：任何一位管理员都不能在网页上修改、停用或删除另一位管理员，也不能授予管理员角色，以保证三员分立。"
    }

    pub(crate) fn en(self) -> &'static str {
        "administrators' accounts and the three administrator roles are changed only at the server's console (gaoxin user …): no administrator may change, disable or delete another administrator on the web, nor grant an administrator role, so the three stay separate."
    }
}

impl Name for super::AdminChangeRefused {
    fn name(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh(),
            Lang::En => self.en(),
        }
    }
}

impl super::UsernameError {
    pub(crate) fn zh(&self) -> &'static str {
        "用户名须为 2 到 64 个字符，只用小写英文字母、数字、汉字和 . _ -（不用大写、全角或其他文字的字母，以免与他人的用户名看起来相同）。"
    }

    pub(crate) fn en(&self) -> &'static str {
        "a user name has 2 to 64 characters: lower-case Latin letters, digits, Chinese characters and . _ - (no capitals, full-width or other scripts' letters, which could look like someone else's name)."
    }
}

impl Name for super::UsernameError {
    fn name(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh(),
            Lang::En => self.en(),
        }
    }
}

impl super::ProfileError {
    pub(crate) fn zh(self) -> String {
        match self {
            Self::Name => format!(
                "姓名不能超过 {} 个字，不能含控制字符。",
                super::NAME_MAX_CHARS
            ),
            Self::Phone => {
                "电话须为 5 到 20 个字符，只用数字、空格和 + - ( )，至少 5 位数字，如 0311-87681234 或 13800000000。"
                    .to_string()
            }
        }
    }

    pub(crate) fn en(self) -> String {
        match self {
            Self::Name => format!(
                "a name has at most {} characters and no control characters.",
                super::NAME_MAX_CHARS
            ),
            Self::Phone => "a phone has 5 to 20 characters — digits, spaces and + - ( ) — with at least 5 digits, e.g. 0311-87681234 or 13800000000.".to_string(),
        }
    }
}

impl Message for super::ProfileError {
    fn text(&self) -> Text {
        Text::new(self.zh(), self.en())
    }
}

impl super::password::PolicyViolation {
    pub(crate) fn zh(&self) -> String {
        match self {
            Self::TooShort { min } => format!("口令至少 {min} 个字符。"),
            Self::TooLong => format!("口令不能超过 {MAX_LENGTH} 个字符。"),
            Self::NotMixed => "口令须同时包含字母、数字和符号。".to_string(),
            Self::ContainsUsername => "口令不能包含用户名。".to_string(),
            Self::Guessable => "口令太常见或容易猜到（如常用口令、键盘序列、重复或顺序字符、单词加年份）：请换一个不常见的组合，例如几个不相关的词加数字和符号。".to_string(),
        }
    }

    pub(crate) fn en(&self) -> String {
        match self {
            Self::TooShort { min } => format!("the password needs at least {min} characters."),
            Self::TooLong => format!("the password may have at most {MAX_LENGTH} characters."),
            Self::NotMixed => "the password must mix letters, digits and symbols.".to_string(),
            Self::ContainsUsername => "the password must not contain the user name.".to_string(),
            Self::Guessable => "the password is too common or easy to guess (a well-known password, a keyboard walk, repeats or sequences, a word with a year): choose an unusual combination, such as a few unrelated words with digits and symbols.".to_string(),
        }
    }
}

impl Message for super::password::PolicyViolation {
    fn text(&self) -> Text {
        Text::new(self.zh(), self.en())
    }
}

impl Message for super::password::HashError {
    fn text(&self) -> Text {
        Text::new(
            format!("口令哈希失败：{}", self.0),
            format!("password hashing failed: {}", self.0),
        )
    }
}
