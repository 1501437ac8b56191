//! IAM wildcard matching: `*` matches any run of characters (including none), `?` exactly one.
//!
//! Actions match case-insensitively, resources and ARN conditions case-sensitively
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_action.html>,
//! <https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_resource.html>).
//! `ArnLike` / `ArnEquals` check each of the six colon-separated ARN components on its own
//! (<https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_ARN>).
//!
//! Matching runs the pattern as a small automaton, so it can also answer for a value known only
//! up to a prefix (an ECS task ARN whose task id is not known yet): every completion matches, some
//! may, or none can.

/// How a pattern matches a value known only up to a prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PrefixMatch {
    /// Every value that starts with the prefix matches.
    All,
    /// Some values that start with the prefix may match, some not.
    Some,
    /// No value that starts with the prefix matches.
    None,
}

/// Whether `text` matches the IAM wildcard `pattern`.
pub fn glob(pattern: &str, text: &str, case_insensitive: bool) -> bool {
    // Every statement's actions and resources are matched against every request, and most
    // patterns are written out in full or name other services (`s3:GetObject` against
    // `elasticfilesystem:ClientMount`). The ASCII characters before the first wildcard each
    // match one character of the text: compare them in one pass, which settles most patterns.
    let (pattern_bytes, text_bytes) = (pattern.as_bytes(), text.as_bytes());
    let mut at = 0;
    loop {
        match (pattern_bytes.get(at), text_bytes.get(at)) {
            (Some(&p), Some(&c)) if p.is_ascii() && c.is_ascii() && p != b'*' && p != b'?' => {
                if p != c && !(case_insensitive && p.eq_ignore_ascii_case(&c)) {
                    return false;
                }
                at += 1;
            }
            // Written out in full, and the text is that long.
            (None, None) => return true,
            // Written out in full, and the text is longer.
            (None, Some(_)) => return false,
            // A wildcard, a non-ASCII character, or the end of the text: match the rest.
            _ => break,
        }
    }
    match (pattern.get(at..), text.get(at..)) {
        (Some(pattern), Some(text)) => glob_from(pattern, text, case_insensitive),
        _ => glob_from(pattern, text, case_insensitive),
    }
}

/// [`glob`] without the literal-prefix pass.
fn glob_from(pattern: &str, text: &str, case_insensitive: bool) -> bool {
    // Policies and ARNs are nearly always ASCII; every statement of every policy is matched
    // against every request, so that case takes the allocation-free path.
    if pattern.is_ascii() && text.is_ascii() {
        return glob_ascii(pattern.as_bytes(), text.as_bytes(), case_insensitive);
    }
    let pattern: Vec<char> = pattern.chars().collect();
    let active = run(&pattern, text, case_insensitive);
    active.last().copied().unwrap_or(false)
}

/// [`glob`] on ASCII: a left-to-right scan that, on a mismatch, lets the most recent `*`
/// swallow one more character (an earlier star never needs to: the later one covers it).
fn glob_ascii(pattern: &[u8], text: &[u8], case_insensitive: bool) -> bool {
    let same = |p: u8, c: u8| p == c || (case_insensitive && p.eq_ignore_ascii_case(&c));
    let (mut p, mut t) = (0, 0);
    // After the last star seen: (pattern position past it, text position it swallows up to).
    let mut star: Option<(usize, usize)> = None;
    while let Some(&c) = text.get(t) {
        match pattern.get(p) {
            Some(b'*') => {
                p += 1;
                star = Some((p, t));
            }
            Some(&q) if q == b'?' || same(q, c) => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((after, swallowed)) => {
                    p = after;
                    t = swallowed + 1;
                    star = Some((after, t));
                }
                None => return false,
            },
        }
    }
    pattern
        .get(p..)
        .is_some_and(|rest| rest.iter().all(|c| *c == b'*'))
}

/// How `pattern` matches the values that start with `prefix` (followed by an unknown, non-empty
/// rest).
pub fn glob_prefix(pattern: &str, prefix: &str, case_insensitive: bool) -> PrefixMatch {
    let pattern: Vec<char> = pattern.chars().collect();
    let active = run(&pattern, prefix, case_insensitive);
    if !active.iter().any(|a| *a) {
        return PrefixMatch::None;
    }
    // A live state followed only by stars swallows any rest.
    let all = (0..pattern.len())
        .filter(|i| active.get(*i).copied().unwrap_or(false))
        .any(|i| {
            pattern
                .get(i..)
                .is_some_and(|rest| rest.iter().all(|c| *c == '*'))
        });
    if all {
        PrefixMatch::All
    } else {
        PrefixMatch::Some
    }
}

/// `ArnLike` / `ArnEquals`: the six components of the ARN must each match. A pattern without
/// any colon (a bare `*`) is matched against the whole value; any other pattern with fewer than
/// six components is no ARN and matches nothing.
pub fn arn_match(pattern: &str, arn: &str) -> bool {
    if !pattern.contains(':') {
        return glob(pattern, arn, false);
    }
    let p: Vec<&str> = pattern.splitn(6, ':').collect();
    if p.len() < 6 {
        return false;
    }
    let a: Vec<&str> = arn.splitn(6, ':').collect();
    a.len() == 6 && p.iter().zip(&a).all(|(p, a)| glob(p, a, false))
}

/// [`arn_match`] for an ARN known only up to a prefix.
pub fn arn_match_prefix(pattern: &str, prefix: &str) -> PrefixMatch {
    if !pattern.contains(':') {
        return glob_prefix(pattern, prefix, false);
    }
    let p: Vec<&str> = pattern.splitn(6, ':').collect();
    let a: Vec<&str> = prefix.splitn(6, ':').collect();
    if p.len() < 6 {
        return PrefixMatch::None;
    }
    if a.len() < 6 {
        return glob_prefix(pattern, prefix, false);
    }
    if !p.iter().zip(&a).take(5).all(|(p, a)| glob(p, a, false)) {
        return PrefixMatch::None;
    }
    match (p.get(5), a.get(5)) {
        (Some(p), Some(a)) => glob_prefix(p, a, false),
        _ => PrefixMatch::None,
    }
}

/// The automaton's live states after reading `text`: state `i` means "pattern[..i] matched".
fn run(pattern: &[char], text: &str, case_insensitive: bool) -> Vec<bool> {
    let n = pattern.len();
    let mut active = vec![false; n + 1];
    if let Some(first) = active.first_mut() {
        *first = true;
    }
    close(pattern, &mut active);
    for c in text.chars() {
        let mut next = vec![false; n + 1];
        for (i, p) in pattern.iter().enumerate() {
            if !active.get(i).copied().unwrap_or(false) {
                continue;
            }
            match *p {
                '*' => set(&mut next, i),
                '?' => set(&mut next, i + 1),
                p if same(p, c, case_insensitive) => set(&mut next, i + 1),
                _ => {}
            }
        }
        close(pattern, &mut next);
        active = next;
        if !active.iter().any(|a| *a) {
            break;
        }
    }
    active
}

/// A star may match nothing: a live state before a star makes the state after it live.
fn close(pattern: &[char], active: &mut [bool]) {
    for (i, p) in pattern.iter().enumerate() {
        if *p == '*' && active.get(i).copied().unwrap_or(false) {
            set(active, i + 1);
        }
    }
}

fn set(states: &mut [bool], i: usize) {
    if let Some(s) = states.get_mut(i) {
        *s = true;
    }
}

fn same(p: char, c: char, case_insensitive: bool) -> bool {
    if case_insensitive {
        p.to_lowercase().eq(c.to_lowercase())
    } else {
        p == c
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn action_wildcards_are_case_insensitive() {
        assert!(glob(
            "elasticfilesystem:Client*",
            "elasticfilesystem:ClientMount",
            true
        ));
        assert!(glob(
            "ELASTICFILESYSTEM:clientmount",
            "elasticfilesystem:ClientMount",
            true
        ));
        assert!(glob("*", "elasticfilesystem:ClientWrite", true));
        assert!(glob(
            "elasticfilesystem:Client?ount",
            "elasticfilesystem:ClientMount",
            true
        ));
        assert!(!glob(
            "elasticfilesystem:Client?",
            "elasticfilesystem:ClientMount",
            true
        ));
        assert!(!glob(
            "elasticfilesystem:Describe*",
            "elasticfilesystem:ClientMount",
            true
        ));
        assert!(!glob("s3:*", "elasticfilesystem:ClientMount", true));
        assert!(glob("*:*", "elasticfilesystem:ClientMount", true));
        assert!(glob("**a**", "a", true));
        assert!(!glob("", "a", true));
        assert!(glob("", "", true));
    }

    /// The automaton, the reference for the ASCII fast path.
    fn glob_by_automaton(pattern: &str, text: &str, case_insensitive: bool) -> bool {
        let pattern: Vec<char> = pattern.chars().collect();
        run(&pattern, text, case_insensitive)
            .last()
            .copied()
            .unwrap_or(false)
    }

    proptest::proptest! {
        #[test]
        fn ascii_scan_agrees_with_the_automaton(
            pattern in "[aAb*?:]{0,10}",
            text in "[aAb:]{0,12}",
            case_insensitive: bool,
        ) {
            proptest::prop_assert_eq!(
                glob(&pattern, &text, case_insensitive),
                glob_by_automaton(&pattern, &text, case_insensitive)
            );
        }

        #[test]
        fn first_character_checks_agree_with_the_automaton_on_any_text(
            pattern in "[aAkK\u{212a}\u{e9}*?:]{0,6}",
            text in "[aAkK\u{212a}\u{e9}:]{0,6}",
            case_insensitive: bool,
        ) {
            proptest::prop_assert_eq!(
                glob(&pattern, &text, case_insensitive),
                glob_by_automaton(&pattern, &text, case_insensitive)
            );
        }

        #[test]
        fn patterns_without_wildcards_compare_as_the_automaton_does(
            pattern in "[aAbB:]{0,5}",
            text in "[aAbB:]{0,5}",
            case_insensitive: bool,
        ) {
            proptest::prop_assert_eq!(
                glob(&pattern, &text, case_insensitive),
                glob_by_automaton(&pattern, &text, case_insensitive)
            );
        }
    }

    #[test]
    fn non_ascii_text_uses_unicode_case_folding() {
        // KELVIN SIGN lowercases to 'k'.
        assert!(glob("k*", "\u{212a}elvin", true));
        assert!(glob("\u{212a}*", "kelvin", true));
        assert!(!glob("\u{212a}*", "kelvin", false));
        assert!(!glob("k*", "\u{212a}elvin", false));
        assert!(glob("caf?", "caf\u{e9}", false));
    }

    #[test]
    fn resources_are_case_sensitive() {
        let arn = "arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-0abc";
        assert!(glob(arn, arn, false));
        assert!(glob(
            "arn:aws:elasticfilesystem:*:*:file-system/*",
            arn,
            false
        ));
        assert!(glob(
            "arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-0ab?",
            arn,
            false
        ));
        assert!(!glob(
            "arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/FS-0ABC",
            arn,
            false
        ));
        assert!(!glob(
            "arn:aws:elasticfilesystem:us-east-1:123456789012:access-point/*",
            arn,
            false
        ));
    }

    #[test]
    fn arn_components_match_separately() {
        let arn = "arn:aws:ecs:us-east-1:123456789012:task/prod/0123";
        assert!(arn_match("arn:aws:ecs:us-east-1:123456789012:*", arn));
        assert!(arn_match("arn:aws:ecs:*:123456789012:task/*", arn));
        assert!(arn_match("*", arn));
        assert!(!arn_match("arn:aws:ecs:us-west-2:123456789012:*", arn));
        // A star in one component does not reach into the next.
        assert!(!arn_match("arn:aws:ecs:us-east-1*:*", arn));
        assert!(!arn_match(
            "arn:aws:ecs:us-east-1:123456789012:*",
            "not-an-arn"
        ));
    }

    #[test]
    fn prefix_known_values() {
        let p = "arn:aws:ecs:us-east-1:123456789012:";
        assert_eq!(
            arn_match_prefix("arn:aws:ecs:us-east-1:123456789012:*", p),
            PrefixMatch::All
        );
        assert_eq!(
            arn_match_prefix("arn:aws:ecs:us-east-1:111111111111:*", p),
            PrefixMatch::None
        );
        assert_eq!(
            arn_match_prefix("arn:aws:ecs:us-east-1:123456789012:task/prod/*", p),
            PrefixMatch::Some
        );
        assert_eq!(glob_prefix("arn:aws:ecs:*", p, false), PrefixMatch::All);
        assert_eq!(
            glob_prefix("arn:aws:ecs:us-east-1:123456789012:", p, false),
            PrefixMatch::Some
        );
        assert_eq!(glob_prefix("arn:aws:s3:*", p, false), PrefixMatch::None);
        assert_eq!(
            glob_prefix("AROAEXAMPLE:*", "AROAEXAMPLE:", false),
            PrefixMatch::All
        );
    }
}
