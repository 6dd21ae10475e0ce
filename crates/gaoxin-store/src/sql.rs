//! Pieces of SQL the lists build their queries from: text binds in order, and a comma-separated
//! list of ids (a 督办单's 协办单位, a work item's partners) tested for one id.

use sqlx::Any;
use sqlx::any::AnyArguments;
use sqlx::query::Query;

/// `q` with `binds` bound in order.
pub(crate) fn given<'q>(
    mut q: Query<'q, Any, AnyArguments<'q>>,
    binds: &'q [String],
) -> Query<'q, Any, AnyArguments<'q>> {
    for b in binds {
        q = q.bind(b.as_str());
    }
    q
}

/// The condition that the comma-separated ids in `column` hold the id bound as `$n`, and the
/// value to bind: a `LIKE` pattern matching the id literally (`_` and `%` are letters in an id).
pub(crate) fn lists_id(column: &str, n: usize, id: &str) -> (String, String) {
    let escaped = id
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    (
        format!("',' || {column} || ',' LIKE ${n} ESCAPE '\\'"),
        format!("%,{escaped},%"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_is_matched_literally() {
        let (condition, pattern) = lists_id("co_units", 3, "a_b%c\\d");
        assert_eq!(condition, "',' || co_units || ',' LIKE $3 ESCAPE '\\'");
        assert_eq!(pattern, "%,a\\_b\\%c\\\\d,%");
    }
}
