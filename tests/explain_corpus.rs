//! `explain` measured on a corpus of real error texts (`fixtures/explain/corpus.json`): each text
//! comes from a public issue thread, pull request or forum page and carries the cause that thread
//! established. Prints top-1 and top-3 accuracy, per cause and overall, and the misses.
//!
//! Some messages reach users with different causes behind the same words (a `Failed to resolve`
//! of the file-system name was, in different threads, a missing mount target, DNS resolution off,
//! DNS hostnames off, custom DNS servers and a mount target still being created). The text alone
//! cannot tell those apart; `check` ranks them by its findings. The ranking follows what AWS
//! documents for each text, never the corpus labels, so the goal (top-1 90%, top-3 97%) is not
//! met on this corpus; the floors asserted here are the figures reached today, so that a change
//! that loses ground fails. For a shared message the first candidate must be one of its causes.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use efs_preflight::explain::explain;
use efs_preflight::rules::ALL;
use serde_json::Value;

struct Entry {
    text: String,
    message: String,
    source: String,
    cause: Option<String>,
}

fn corpus() -> Vec<Entry> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures/explain/corpus.json");
    let text = std::fs::read_to_string(path).expect("corpus is readable");
    let doc: Value = serde_json::from_str(&text).expect("corpus is JSON");
    doc["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| Entry {
            text: e["text"].as_str().expect("text").to_owned(),
            message: e["message"].as_str().expect("message").to_owned(),
            source: e["source"].as_str().expect("source").to_owned(),
            cause: e["cause_rule"].as_str().map(str::to_owned),
        })
        .collect()
}

#[derive(Default)]
struct Tally {
    n: usize,
    top1: usize,
    top3: usize,
}

impl Tally {
    fn add(&mut self, top1: bool, top3: bool) {
        self.n += 1;
        self.top1 += usize::from(top1);
        self.top3 += usize::from(top3);
    }
}

fn pct(hits: usize, n: usize) -> f64 {
    if n == 0 {
        return 100.0;
    }
    #[allow(clippy::cast_precision_loss)]
    let ratio = hits as f64 * 100.0 / n as f64;
    ratio
}

fn ranked(text: &str) -> Vec<&'static str> {
    explain(text).iter().map(|c| c.pattern.rule.id).collect()
}

#[test]
fn corpus_is_well_formed() {
    let entries = corpus();
    assert!(entries.len() >= 40, "{} texts", entries.len());
    for e in &entries {
        assert!(e.source.starts_with("https://"), "{}", e.source);
        assert!(!e.text.trim().is_empty() && !e.message.trim().is_empty());
        if let Some(c) = &e.cause {
            assert!(ALL.iter().any(|r| r.id == c), "unknown rule {c}");
        }
    }
}

#[test]
fn explain_accuracy_on_real_texts() {
    let entries = corpus();
    // The established causes of each message.
    let mut causes_of: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for e in &entries {
        if let Some(c) = &e.cause {
            causes_of.entry(&e.message).or_default().insert(c);
        }
    }
    let mut overall = Tally::default();
    let mut decidable = Tally::default();
    let mut shared = Tally::default();
    let mut per_rule: BTreeMap<&str, Tally> = BTreeMap::new();
    let mut misses = String::new();
    let mut not_best = String::new();
    let mut unscored = 0;
    for e in &entries {
        let Some(cause) = e.cause.as_deref() else {
            unscored += 1;
            continue;
        };
        let ranked = ranked(&e.text);
        let top1 = ranked.first() == Some(&cause);
        let top3 = ranked.iter().take(3).any(|r| *r == cause);
        overall.add(top1, top3);
        per_rule.entry(cause).or_default().add(top1, top3);
        let causes = &causes_of[e.message.as_str()];
        if causes.len() == 1 {
            decidable.add(top1, top3);
        } else {
            shared.add(top1, top3);
            // A shared message: the first candidate must be one of its causes.
            let first_is_cause = ranked.first().is_some_and(|r| causes.contains(r));
            if !first_is_cause {
                let _ = writeln!(
                    not_best,
                    "  {:?}: top 3 {:?}, causes {causes:?}",
                    e.message,
                    &ranked[..ranked.len().min(3)]
                );
            }
        }
        if !top1 {
            let at = ranked
                .iter()
                .position(|r| *r == cause)
                .map_or("nowhere".to_owned(), |p| format!("#{}", p + 1));
            let shared = if causes.len() > 1 {
                " (message shared by several causes)"
            } else {
                ""
            };
            let _ = writeln!(misses, "  {cause} ranked {at}{shared}: {}", e.source);
        }
    }
    println!(
        "explain corpus: {} scored texts, {unscored} not scored (cause outside the rules)",
        overall.n
    );
    println!("{:<8} {:>3} {:>6} {:>6}", "cause", "n", "top-1", "top-3");
    for (rule, t) in &per_rule {
        println!("{rule:<8} {:>3} {:>6} {:>6}", t.n, t.top1, t.top3);
    }
    let (top1, top3) = (pct(overall.top1, overall.n), pct(overall.top3, overall.n));
    println!(
        "top-1 accuracy: {top1:.1}% ({}/{})",
        overall.top1, overall.n
    );
    println!(
        "top-3 accuracy: {top3:.1}% ({}/{})",
        overall.top3, overall.n
    );
    let (d1, d3) = (
        pct(decidable.top1, decidable.n),
        pct(decidable.top3, decidable.n),
    );
    println!(
        "texts whose message has one established cause: top-1 {d1:.1}% ({}/{}), top-3 {d3:.1}% ({}/{})",
        decidable.top1, decidable.n, decidable.top3, decidable.n
    );
    println!(
        "texts whose message has several established causes: top-1 {:.1}% ({}/{}), top-3 {:.1}% ({}/{})",
        pct(shared.top1, shared.n),
        shared.top1,
        shared.n,
        pct(shared.top3, shared.n),
        shared.top3,
        shared.n
    );
    println!("not ranked first:\n{misses}");
    // Floors: the figures reached today (goal: 90% / 97%).
    assert!(
        top1 >= 79.5,
        "top-1 accuracy {top1:.1}% is below 79.5%\n{misses}"
    );
    assert!(
        top3 >= 90.9,
        "top-3 accuracy {top3:.1}% is below 90.9%\n{misses}"
    );
    assert!(
        d1 >= 96.5,
        "single-cause top-1 {d1:.1}% is below 96.5%\n{misses}"
    );
    assert!(
        d3 >= 96.5,
        "single-cause top-3 {d3:.1}% is below 96.5%\n{misses}"
    );
    assert!(
        not_best.is_empty(),
        "shared messages whose first candidate is not one of their causes:\n{not_best}"
    );
}
