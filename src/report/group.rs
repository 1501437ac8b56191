//! Findings that share one cause, shown once. Forty services behind one security group that
//! admits no NFS give forty findings with the same rule, resource and fix: the human formats
//! (table, Markdown) show them as one row that lists the targets, while JSON, SARIF and JUnit
//! keep one finding per target. Also: how a fix is split into a command and prose.

use std::collections::{HashMap, HashSet};
use std::hash::BuildHasherDefault;

use super::Report;
use crate::graph::IdHasher;
use crate::rules::{Finding, Rule, Status};

/// Findings with one cause: same status, rule, resource and fix (and, when there is no fix, the
/// same message; when there is no resource, the same target).
#[derive(Debug)]
pub struct Group<'a> {
    /// The common status.
    pub status: Status,
    /// The common rule.
    pub rule: &'static Rule,
    /// The resource most to blame, when the findings name one.
    pub resource: Option<&'a str>,
    /// The common fix.
    pub fix: Option<&'a str>,
    /// The findings, in report order.
    pub findings: Vec<&'a Finding>,
}

impl<'a> Group<'a> {
    /// Distinct target indices, in report order.
    pub fn targets(&self) -> Vec<usize> {
        // A group can hold a finding for each of thousands of services behind one resource.
        let mut seen: Set<usize> =
            Set::with_capacity_and_hasher(self.findings.len(), BuildHasherDefault::default());
        self.findings
            .iter()
            .map(|f| f.target)
            .filter(|t| seen.insert(*t))
            .collect()
    }

    /// Distinct messages, in report order (findings of one cause on different mount targets
    /// or subnets say which).
    pub fn messages(&self) -> Vec<&'a str> {
        distinct(self.findings.iter().map(|f| f.message.as_str()))
    }

    /// Distinct volume names (target-level findings have none).
    pub fn volumes(&self) -> Vec<&'a str> {
        distinct(self.findings.iter().filter_map(|f| f.volume.as_deref()))
    }

    /// Each distinct target with the volumes its findings name: `prod/web (data)`.
    pub fn target_labels(&self, report: &Report) -> Vec<String> {
        let show_volumes = self.volumes().len() > 1;
        // Each target's findings, gathered in one pass rather than one scan per target.
        let mut of_target: Map<usize, Vec<&'a Finding>> = Map::default();
        if show_volumes {
            for f in &self.findings {
                of_target.entry(f.target).or_default().push(f);
            }
        }
        self.targets()
            .into_iter()
            .map(|t| {
                let label = report
                    .targets
                    .get(t)
                    .map(super::TargetInfo::label)
                    .unwrap_or_default();
                if !show_volumes {
                    return label;
                }
                let vols = distinct(
                    of_target
                        .get(&t)
                        .into_iter()
                        .flatten()
                        .filter_map(|f| f.volume.as_deref()),
                );
                if vols.is_empty() {
                    label
                } else {
                    format!("{label} ({})", vols.join(", "))
                }
            })
            .collect()
    }
}

/// Sets and maps of the report's own values (target indices, messages), hashed fast.
type Set<T> = HashSet<T, BuildHasherDefault<IdHasher>>;
type Map<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;

fn distinct<'a>(items: impl Iterator<Item = &'a str>) -> Vec<&'a str> {
    let mut seen: Set<&str> = Set::default();
    items.filter(|s| seen.insert(s)).collect()
}

/// The report's findings (non-passing ones, all with `show_passed`) grouped by cause, most
/// severe status first, then in the order of each group's first finding.
pub fn groups(report: &Report, show_passed: bool) -> Vec<Group<'_>> {
    type Key<'k> = (
        Status,
        &'static str,
        Option<&'k str>,
        Option<&'k str>,
        Option<&'k str>,
        Option<usize>,
    );
    let mut index: Map<Key<'_>, usize> = Map::default();
    let mut out: Vec<Group<'_>> = Vec::new();
    for f in report
        .findings
        .iter()
        .filter(|f| show_passed || f.status != Status::Pass)
        // Suppressed findings are counted in the summary line, not listed.
        .filter(|f| f.suppressed.is_none())
    {
        let resource = f.resource.as_deref();
        let fix = f.fix.as_deref();
        let key: Key<'_> = (
            f.status,
            f.rule.id,
            resource,
            fix,
            // Without a fix, only the message says whether two findings share a cause.
            fix.is_none().then_some(f.message.as_str()),
            // Without a resource, nothing shared is to blame: one row per target.
            resource.is_none().then_some(f.target),
        );
        match index.get(&key) {
            Some(&i) => out[i].findings.push(f),
            None => {
                index.insert(key, out.len());
                out.push(Group {
                    status: f.status,
                    rule: f.rule,
                    resource,
                    fix,
                    findings: vec![f],
                });
            }
        }
    }
    // Stable: groups of one status keep the order of their first finding.
    out.sort_by_key(|g| g.status);
    out
}

/// A fix split into what can be pasted into a shell and what must be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FixParts<'a> {
    /// An AWS CLI command, whole.
    pub command: Option<&'a str>,
    /// A sentence (the whole fix when it is not a command, or what follows the command, such as
    /// the Terraform argument to change).
    pub prose: Option<&'a str>,
}

/// Splits a fix: a fix that starts with `aws ` is a command up to the first `;` outside quotes
/// (a shell would run what follows as another command); the rest is prose.
pub fn split_fix(fix: &str) -> FixParts<'_> {
    let fix = fix.trim();
    if !fix.starts_with("aws ") {
        return FixParts {
            command: None,
            prose: Some(fix).filter(|s| !s.is_empty()),
        };
    }
    let mut quote: Option<char> = None;
    for (i, c) in fix.char_indices() {
        match (quote, c) {
            (None, '\'' | '"') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, ';') => {
                let rest = fix[i + 1..].trim();
                return FixParts {
                    command: Some(fix[..i].trim_end()),
                    prose: Some(rest).filter(|s| !s.is_empty()),
                };
            }
            _ => {}
        }
    }
    FixParts {
        command: Some(fix),
        prose: None,
    }
}

/// Upper-cases the first letter of a sentence (the prose after a command starts in lower case).
pub fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Splits text into the units that wrapping may not break (and Markdown shows as code): words, and AWS CLI commands written
/// inside a sentence (`... (aws efs describe-file-systems --region us-east-1).` or `...: aws ec2
/// ...`), each kept whole so that it can still be pasted. Returns each unit and whether it is
/// such a command.
pub fn units(text: &str) -> Vec<(&str, bool)> {
    let words: Vec<(usize, &str)> = text
        .split_whitespace()
        .map(|w| (w.as_ptr() as usize - text.as_ptr() as usize, w))
        .collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < words.len() {
        let (start, word) = words[i];
        let opens = word.starts_with('(');
        // `aws SERVICE verb-noun`: `aws efs create-mount-target`, not "an aws account".
        let lower = |w: &str| {
            w.chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        };
        let is_command = word.trim_start_matches('(') == "aws"
            && words.get(i + 1).is_some_and(|(_, w)| lower(w))
            && words.get(i + 2).is_some_and(|(_, w)| {
                w.contains('-') && lower(w.trim_end_matches([')', '.', ';', ',']))
            });
        if is_command {
            if let Some(end) = command_end(text, start, opens) {
                out.push((&text[start..end], true));
                while i < words.len() && words[i].0 < end {
                    i += 1;
                }
                continue;
            }
        }
        out.push((word, false));
        i += 1;
    }
    out
}

/// Where a command that starts at `start` ends: at a `)` that closes a parenthesis opened before
/// it, at a `;`, or at the end of the text (quotes respected), then at the end of that word.
/// `None` when a quote is left open.
fn command_end(text: &str, start: usize, opened_here: bool) -> Option<usize> {
    let mut quote: Option<char> = None;
    let mut depth: i32 = 0;
    let mut stop = None;
    for (i, c) in text[start..].char_indices() {
        match (quote, c) {
            (Some(q), c) if c == q => quote = None,
            (None, '\'' | '"') => quote = Some(c),
            (None, '(') => depth += 1,
            (None, ')') => {
                depth -= 1;
                if depth < 0 || (opened_here && depth == 0) {
                    stop = Some(start + i);
                    break;
                }
            }
            (None, ';') => {
                stop = Some(start + i);
                break;
            }
            _ => {}
        }
    }
    let stop = match stop {
        Some(s) => s,
        None if quote.is_none() => return Some(text.trim_end().len()),
        None => return None,
    };
    // Keep the punctuation glued to the command's last word with it.
    let rest = &text[stop..];
    Some(stop + rest.find(char::is_whitespace).unwrap_or(rest.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_and_prose_are_told_apart() {
        let p = split_fix(
            "aws ec2 modify-vpc-attribute --vpc-id vpc-1 --enable-dns-hostnames '{\"Value\":true}'",
        );
        assert!(p.command.is_some() && p.prose.is_none());
        let p = split_fix("Point volume 'reports' at a file system that is available.");
        assert!(p.command.is_none());
        assert_eq!(
            p.prose,
            Some("Point volume 'reports' at a file system that is available.")
        );
        let p = split_fix(
            "aws efs put-file-system-policy --policy '{\"a\":\"b;c\"}'; in Terraform: set policy",
        );
        assert_eq!(
            p.command,
            Some("aws efs put-file-system-policy --policy '{\"a\":\"b;c\"}'")
        );
        assert_eq!(p.prose, Some("in Terraform: set policy"));
        assert_eq!(sentence("in Terraform: x"), "In Terraform: x");
    }
}
