//! `explain`: maps a pasted error text (a task `stoppedReason`, a service event, a `mount.nfs4` or
//! efs-utils message, a `RegisterTaskDefinition` error) to the rules that can cause it, most likely
//! first. The patterns live with the rules: each rule page's `### Explain patterns` table
//! (`| pattern | weight | why |`). Never calls AWS and never prints: the `explain` command
//! (in `app`) reads the text and renders the candidates.

use regex::{Regex, RegexBuilder};

use crate::rules::{Rule, ALL};

/// One explain pattern of a rule page.
#[derive(Debug, Clone)]
pub struct Pattern {
    /// The rule.
    pub rule: &'static Rule,
    /// The regular expression as written on the page.
    pub source: String,
    /// Compiled, case-insensitive.
    pub regex: Regex,
    /// Rank among candidates for the same text (1-100).
    pub weight: u32,
    /// Why this text points at the rule.
    pub why: String,
}

/// A rule that can explain the text.
#[derive(Debug, Clone)]
pub struct Candidate<'p> {
    /// The best-matching pattern of the rule.
    pub pattern: &'p Pattern,
}

/// A row of a page's pattern table that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{rule}: explain pattern row {row}: {problem}")]
pub struct PatternError {
    /// Rule id.
    pub rule: &'static str,
    /// 1-based row.
    pub row: usize,
    /// What is wrong.
    pub problem: String,
}

/// Splits a markdown table row into cells, honouring `\|` escapes.
fn cells(line: &str) -> Vec<String> {
    let inner = line.trim().trim_start_matches('|').trim_end_matches('|');
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cur.push('|');
                chars.next();
            }
            '|' => out.push(std::mem::take(&mut cur).trim().to_owned()),
            _ => cur.push(c),
        }
    }
    out.push(cur.trim().to_owned());
    out
}

/// Reads the `### Explain patterns` table of one rule page.
pub fn patterns_of(rule: &'static Rule) -> (Vec<Pattern>, Vec<PatternError>) {
    let mut patterns = Vec::new();
    let mut errors = Vec::new();
    let mut in_section = false;
    let mut row = 0usize;
    for line in rule.doc.lines() {
        let t = line.trim();
        if t.starts_with('#') {
            in_section = t
                .trim_start_matches('#')
                .trim()
                .eq_ignore_ascii_case("Explain patterns");
            continue;
        }
        if !in_section || !t.starts_with('|') {
            continue;
        }
        let c = cells(t);
        if c.len() < 3 || c[0].eq_ignore_ascii_case("pattern") || c[0].starts_with("---") {
            continue;
        }
        row += 1;
        let source = c[0].trim_matches('`').to_owned();
        let weight = match c[1].parse::<u32>() {
            Ok(w) if (1..=100).contains(&w) => w,
            _ => {
                errors.push(PatternError {
                    rule: rule.id,
                    row,
                    problem: format!("weight `{}` is not a number from 1 to 100", c[1]),
                });
                continue;
            }
        };
        match RegexBuilder::new(&source).case_insensitive(true).build() {
            Ok(regex) => patterns.push(Pattern {
                rule,
                source,
                regex,
                weight,
                why: c[2].clone(),
            }),
            Err(e) => errors.push(PatternError {
                rule: rule.id,
                row,
                problem: format!("pattern does not compile: {e}"),
            }),
        }
    }
    (patterns, errors)
}

/// Every rule's patterns (pages whose tables cannot be read contribute what they can).
pub fn all_patterns() -> Vec<Pattern> {
    ALL.iter().flat_map(|r| patterns_of(r).0).collect()
}

/// Every rule's patterns, compiled once per process.
pub fn patterns() -> &'static [Pattern] {
    static PATTERNS: std::sync::OnceLock<Vec<Pattern>> = std::sync::OnceLock::new();
    PATTERNS.get_or_init(all_patterns)
}

/// The rules that can explain `text`, most likely first, from the text alone.
pub fn explain(text: &str) -> Vec<Candidate<'static>> {
    candidates(patterns(), text)
}

/// Patterns of this weight or less are fallbacks: they only count when nothing weightier matches
/// (a bare exit code says little once the message itself has matched).
pub const FALLBACK_WEIGHT: u32 = 20;

/// The rules that can explain `text`, most likely first (one candidate per rule).
pub fn candidates<'p>(patterns: &'p [Pattern], text: &str) -> Vec<Candidate<'p>> {
    let matched: Vec<&'p Pattern> = patterns.iter().filter(|p| p.regex.is_match(text)).collect();
    let specific = matched.iter().any(|p| p.weight > FALLBACK_WEIGHT);
    let mut best: Vec<Candidate<'p>> = Vec::new();
    for p in matched
        .into_iter()
        .filter(|p| !specific || p.weight > FALLBACK_WEIGHT)
    {
        match best.iter_mut().find(|c| c.pattern.rule.id == p.rule.id) {
            Some(c) if outranks(p, c.pattern) => c.pattern = p,
            Some(_) => {}
            None => best.push(Candidate { pattern: p }),
        }
    }
    let order = |id: &str| ALL.iter().position(|r| r.id == id).unwrap_or(usize::MAX);
    best.sort_by(|a, b| {
        b.pattern
            .weight
            .cmp(&a.pattern.weight)
            .then_with(|| b.pattern.source.len().cmp(&a.pattern.source.len()))
            .then_with(|| order(a.pattern.rule.id).cmp(&order(b.pattern.rule.id)))
    });
    best
}

/// Whether `a` ranks above `b`: a higher weight, or at equal weight a longer (more specific)
/// pattern, such as a role name that reads `null` against any role that cannot be assumed.
fn outranks(a: &Pattern, b: &Pattern) -> bool {
    (a.weight, a.source.len()) > (b.weight, b.source.len())
}

#[cfg(test)]
mod tests {
    use super::cells;

    #[test]
    fn cells_honour_escaped_pipes() {
        assert_eq!(
            cells(r"| `a\|b` | 90 | why |"),
            vec!["`a|b`".to_owned(), "90".to_owned(), "why".to_owned()]
        );
    }
}
