//! A record's name as a list finds and orders it.
//!
//! - **Grams**: the letters and digits of the name and the pairs of adjacent ones, lower-cased.
//!   Every substring of a name has its own characters and pairs among the name's, so a search
//!   looks up the records holding all of the query's pairs (or its one character) in an index
//!   (FTS5 on SQLite, GIN on PostgreSQL) and then tests the substring on those few — instead of
//!   testing every name. Pairs rather than the usual trigrams: a two-character Chinese name part
//!   (药业, 正定) is a common search and has no trigram.
//! - **Sort key**: the name in pinyin with tone numbers (石家庄 → `shi2jia1zhuang1`), so names
//!   sort as a Chinese reader looks them up. Names of the same reading (rare: every character a
//!   homophone of the other's) sort in the order they were added: appending the name would keep
//!   them apart but double the key, and the two indexes holding it, for every record. A
//!   character with several readings takes its most common one (重庆 sorts under `zhong4`).

use pinyin::ToPinyin;

/// Letters and digits pair; spaces, punctuation and symbols separate.
fn pairs_with(c: char) -> bool {
    c.is_alphanumeric()
}

/// The distinct letters and digits of `s` (second `None`) and its distinct pairs, lower-cased,
/// in order of first appearance: the characters find a search of one, the pairs a longer one.
fn pieces(s: &str) -> Vec<(char, Option<char>)> {
    // Character by character (not `str::to_lowercase`, whose final sigma depends on what
    // follows), so the pairs of a part of a name are always among the name's.
    let chars: Vec<char> = s.chars().flat_map(char::to_lowercase).collect();
    let mut out: Vec<(char, Option<char>)> = Vec::with_capacity(chars.len() * 2);
    let mut add = |p: (char, Option<char>)| {
        if !out.contains(&p) {
            out.push(p);
        }
    };
    for c in chars.iter().filter(|c| pairs_with(**c)) {
        add((*c, None));
    }
    for w in chars.windows(2) {
        if pairs_with(w[0]) && pairs_with(w[1]) {
            add((w[0], Some(w[1])));
        }
    }
    out
}

/// The pieces of `s` as strings: its letters and digits, then its pairs (see [`pieces`]).
pub fn grams(s: &str) -> Vec<String> {
    pieces(s)
        .into_iter()
        .map(|(a, b)| b.map_or_else(|| a.to_string(), |b| [a, b].iter().collect()))
        .collect()
}

/// Pairs in most enterprise names (有限公司, 股份, 责任, 集团): looking them up reads the index's
/// longest lists and narrows nothing, so a search leaves them to the substring test when it has
/// other pairs.
const BOILERPLATE: [&str; 8] = [
    "有限", "限公", "公司", "股份", "份有", "责任", "任公", "集团",
];

/// The most pairs a search looks up; the substring test sees to the rest.
const SEARCH_PAIRS: usize = 4;

/// What a search for `query` looks up in the index: its own pairs, boilerplate left out when
/// others remain, at most [`SEARCH_PAIRS`] of them; a query of one character, that character.
/// Every name containing the query holds all of them; a name holding them may still not contain
/// the query (the substring test decides). None for a query of no letter or digit.
pub fn search_grams(query: &str) -> Vec<String> {
    let all = grams(query);
    // A pair says more than either of its characters.
    let pairs: Vec<String> = all
        .iter()
        .filter(|g| g.chars().count() == 2)
        .cloned()
        .collect();
    let all = if pairs.is_empty() { all } else { pairs };
    let telling: Vec<String> = all
        .iter()
        .filter(|g| !BOILERPLATE.contains(&g.as_str()))
        .cloned()
        .collect();
    let mut chosen = if telling.is_empty() { all } else { telling };
    chosen.truncate(SEARCH_PAIRS);
    chosen
}

/// The grams of a name as stored: space-separated (written straight into one string: a
/// 100,000-row import makes it for every row).
pub fn grams_text(name: &str) -> String {
    let mut text = String::with_capacity(name.len() * 4);
    for (a, b) in pieces(name) {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push(a);
        if let Some(b) = b {
            text.push(b);
        }
    }
    text
}

/// The token every record of `ledger` holds in the name index beside its name's pieces: `lg`
/// and the ledger id's bytes in hex. No name holds it (a name's pieces are one or two
/// characters), so a search whose pieces decide it alone counts its matches in one ledger from
/// the index, without reading a record.
pub fn ledger_token(ledger: &str) -> String {
    use std::fmt::Write;
    let mut token = String::with_capacity(2 + ledger.len() * 2);
    token.push_str("lg");
    for b in ledger.bytes() {
        let _ = write!(token, "{b:02x}");
    }
    token
}

/// Whether a search for `query` is decided by its index pieces alone: one or two letters or
/// digits without case (Chinese characters, digits). A name holds the piece exactly when it
/// contains the query, so no name need be read to test it.
pub fn decided_by_pieces(query: &str) -> bool {
    let n = query.chars().count();
    (1..=2).contains(&n)
        && query.chars().all(|c| {
            pairs_with(c)
                && c.to_lowercase().eq(std::iter::once(c))
                && c.to_uppercase().eq(std::iter::once(c))
        })
}

/// The key a list orders names by: the reading — pinyin with tone numbers for Chinese
/// characters, other letters lower-cased, spaces dropped.
pub fn sort_key(name: &str) -> String {
    let mut key = String::with_capacity(name.len() * 2);
    for (c, reading) in name.chars().zip(name.to_pinyin()) {
        match reading {
            Some(p) => key.push_str(p.with_tone_num_end()),
            None if c.is_whitespace() => {}
            None => key.extend(c.to_lowercase()),
        }
    }
    key
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ledger_token_is_no_piece_of_a_name_and_few_searches_are_decided_by_their_pieces() {
        assert_eq!(ledger_token("enterprises"), "lg656e746572707269736573");
        assert_eq!(ledger_token("a-b"), "lg612d62");
        assert!(
            grams("lg61 enterprises")
                .iter()
                .all(|g| g.chars().count() <= 2)
        );
        for decided in ["科技", "华", "10", "药业"] {
            assert!(decided_by_pieces(decided), "{decided}");
        }
        // Three characters: the pairs, not their order; a letter: its case; a space.
        for not in ["科技园", "AB", "a", "科 ", "", "科-"] {
            assert!(!decided_by_pieces(not), "{not}");
        }
    }

    #[test]
    fn grams_are_the_pairs_of_letters_and_digits() {
        assert_eq!(
            grams("石家庄药业"),
            ["石", "家", "庄", "药", "业", "石家", "家庄", "庄药", "药业"]
        );
        assert_eq!(
            grams("AB 科技（集团）"),
            ["a", "b", "科", "技", "集", "团", "ab", "科技", "集团"]
        );
        assert_eq!(grams("药"), ["药"]);
        assert_eq!(grams("哈哈哈"), ["哈", "哈哈"]);
        assert_eq!(grams("（）"), Vec::<String>::new());
        assert_eq!(grams_text("A1b"), "a 1 b a1 1b");
    }

    #[test]
    fn every_substring_has_its_grams_among_the_names() {
        let names = [
            "河北华药生物科技有限公司",
            "石家庄高新区 ABC-Tech 2号",
            "（北京）智能装备研究院",
            "Über Straße GmbH",
        ];
        for name in names {
            let all = grams(name);
            let chars: Vec<char> = name.chars().collect();
            for i in 0..chars.len() {
                for j in i + 2..=chars.len() {
                    let sub: String = chars[i..j].iter().collect();
                    for g in grams(&sub) {
                        assert!(all.contains(&g), "{sub:?} of {name:?}: {g:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn a_search_looks_up_its_telling_pairs() {
        assert_eq!(
            search_grams("元氏润鑫智能有限公司"),
            ["元氏", "氏润", "润鑫", "鑫智"]
        );
        assert_eq!(search_grams("润鑫有限公司"), ["润鑫", "鑫有"]);
        assert_eq!(search_grams("有限公司"), ["有限", "限公", "公司"]);
        assert_eq!(search_grams("华"), ["华"]);
        assert_eq!(search_grams("（"), Vec::<String>::new());
    }

    #[test]
    fn names_sort_by_their_reading() {
        assert_eq!(sort_key("石家庄"), "shi2jia1zhuang1");
        let mut names = vec![
            "正定科技",
            "安国药业",
            "ABC 科技",
            "北方制药",
            "藁城装备",
            "13号工厂",
        ];
        names.sort_by_key(|n| sort_key(n));
        assert_eq!(
            names,
            [
                "13号工厂",
                "ABC 科技",
                "安国药业",
                "北方制药",
                "藁城装备",
                "正定科技"
            ]
        );
        assert!(sort_key("石") < sort_key("市"), "shi2 before shi4");
        // A reading that is the start of another's comes first (西安 xi1an1 before 先 xian1).
        assert!(sort_key("西安") < sort_key("先"));
    }
}
