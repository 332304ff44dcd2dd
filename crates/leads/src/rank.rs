//! Rank keys: strings over `0-9a-z` whose byte order is the kanban order, so moving a lead
//! rewrites only that lead's row.
//!
//! [`between`] is the midpoint of fractional indexing (as in David Greenspan's
//! "Implementing Fractional Indexing"): a key strictly between two neighbours, never ending in
//! `0` so that there is always room before it. Appending and prepending, the common moves,
//! step an 8-digit prefix by one instead of halving the gap, so a column of 100,000 appended
//! leads keeps 8-character keys rather than growing a character every few leads.

const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
const BASE: usize = DIGITS.len();
/// Width of the stepped prefix used by append and prepend: 36^8 steps before keys grow.
const STEP_WIDTH: usize = 8;

/// The key of a lead placed between `before` (the lead above, smaller key) and `after` (the
/// lead below, larger key); `None` is the top or bottom of the column. Keys that are not
/// well formed (foreign characters, trailing `0`, out of order) are treated as absent bounds
/// are: the result is still well formed, only possibly not between them.
pub fn between(before: Option<&str>, after: Option<&str>) -> String {
    let before = before.filter(|k| well_formed(k));
    let after = after.filter(|k| well_formed(k));
    match (before, after) {
        (None, None) => "i".to_owned(),
        (Some(a), None) => increment(a),
        (None, Some(b)) => decrement(b).unwrap_or_else(|| midpoint(b"", Some(b.as_bytes()))),
        (Some(a), Some(b)) if a < b => midpoint(a.as_bytes(), Some(b.as_bytes())),
        (Some(a), Some(_)) => increment(a),
    }
}

/// Whether `key` is a key this module could have produced.
pub fn well_formed(key: &str) -> bool {
    !key.is_empty() && key.bytes().all(|b| digit(b).is_some()) && !key.ends_with('0')
}

fn digit(b: u8) -> Option<usize> {
    DIGITS.iter().position(|d| *d == b)
}

fn char_of(d: usize) -> char {
    char::from(DIGITS[d])
}

/// A key strictly between `a` and `b` (`a` may be empty: the bottom; `b` `None`: the top).
fn midpoint(a: &[u8], b: Option<&[u8]>) -> String {
    if let Some(b) = b {
        // Keep the common prefix (`a` padded with zeros), then split the rest.
        let mut n = 0;
        while n < b.len() && a.get(n).copied().unwrap_or(b'0') == b[n] {
            n += 1;
        }
        if n > 0 {
            let rest_a = a.get(n..).unwrap_or(&[]);
            let prefix = String::from_utf8_lossy(&b[..n]).into_owned();
            return prefix + &midpoint(rest_a, Some(&b[n..]));
        }
    }
    let digit_a = a.first().and_then(|c| digit(*c)).unwrap_or(0);
    let digit_b = b
        .and_then(|b| b.first())
        .and_then(|c| digit(*c))
        .unwrap_or(BASE);
    if digit_b > digit_a + 1 {
        char_of((digit_a + digit_b).div_ceil(2)).to_string()
    } else if let Some(b) = b.filter(|b| b.len() > 1) {
        // `b`'s first digit alone is below `b` and above `a`.
        char_of(digit(b[0]).unwrap_or(0)).to_string()
    } else {
        let rest = a.get(1..).unwrap_or(&[]);
        char_of(digit_a).to_string() + &midpoint(rest, None)
    }
}

/// The smallest stepped key above `a`: its first [`STEP_WIDTH`] digits plus one.
fn increment(a: &str) -> String {
    let mut digits: Vec<usize> = a.bytes().filter_map(digit).collect();
    digits.resize(STEP_WIDTH.max(digits.len()), 0);
    digits.truncate(STEP_WIDTH);
    let mut i = STEP_WIDTH;
    loop {
        if i == 0 {
            // All `z`: no stepped key is larger, so extend instead.
            return midpoint(a.as_bytes(), None);
        }
        i -= 1;
        if digits[i] + 1 < BASE {
            digits[i] += 1;
            digits.truncate(i + 1);
            break;
        }
        digits[i] = 0;
    }
    digits.into_iter().map(char_of).collect()
}

/// The largest stepped key below `b`, if its first digits leave room.
fn decrement(b: &str) -> Option<String> {
    let mut digits: Vec<usize> = b.bytes().filter_map(digit).collect();
    digits.resize(STEP_WIDTH, 0);
    let mut i = STEP_WIDTH;
    loop {
        if i == 0 {
            return None;
        }
        i -= 1;
        if digits[i] > 0 {
            digits[i] -= 1;
            break;
        }
        digits[i] = BASE - 1;
    }
    while digits.last() == Some(&0) {
        digits.pop();
    }
    if digits.is_empty() {
        return None;
    }
    let key: String = digits.into_iter().map(char_of).collect();
    (key.as_str() < b).then_some(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(a: Option<&str>, b: Option<&str>) -> String {
        let key = between(a, b);
        assert!(well_formed(&key), "{key:?} from {a:?}..{b:?}");
        if let Some(a) = a {
            assert!(a < key.as_str(), "{a:?} < {key:?}");
        }
        if let Some(b) = b {
            assert!(key.as_str() < b, "{key:?} < {b:?}");
        }
        key
    }

    #[test]
    fn keys_fall_between_their_neighbours() {
        assert_eq!(check(None, None), "i");
        check(Some("i"), None);
        check(None, Some("i"));
        check(Some("a"), Some("b"));
        check(Some("a"), Some("a1"));
        check(Some("az"), Some("b"));
        check(Some("zz"), None);
        check(None, Some("01"));
        check(None, Some("1"));
        check(Some("i"), Some("i00001"));
    }

    #[test]
    fn appending_keeps_keys_short() {
        let mut last = check(None, None);
        for _ in 0..100_000 {
            last = check(Some(&last), None);
        }
        assert!(last.len() <= STEP_WIDTH, "{last}");
        let mut first = "i".to_owned();
        for _ in 0..10_000 {
            first = check(None, Some(&first));
        }
        assert!(first.len() <= STEP_WIDTH, "{first}");
    }

    #[test]
    fn repeated_inserts_in_one_gap_stay_ordered() {
        // Always between the same lower neighbour and the last inserted key.
        let low = check(None, None);
        let mut high = check(Some(&low), None);
        for _ in 0..500 {
            high = check(Some(&low), Some(&high));
        }
        // And always right below a fixed upper neighbour.
        let mut low = check(None, Some("j"));
        for _ in 0..500 {
            low = check(Some(&low), Some("j"));
        }
    }

    #[test]
    fn a_random_sequence_of_moves_keeps_a_total_order() {
        // A deterministic pseudo-random walk: insert at random places in a column.
        let mut column: Vec<String> = Vec::new();
        let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
        for _ in 0..3_000 {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            let at = usize::try_from(seed % (column.len() as u64 + 1)).unwrap();
            let a = at.checked_sub(1).map(|i| column[i].as_str());
            let b = column.get(at).map(String::as_str);
            let key = check(a, b);
            column.insert(at, key);
        }
        assert!(column.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn bad_bounds_still_give_well_formed_keys() {
        for (a, b) in [
            (Some("I0"), None),
            (Some("b"), Some("a")),
            (Some("é"), Some("z")),
        ] {
            assert!(well_formed(&between(a, b)));
        }
    }
}
