//! `explain` measured on a corpus of real error texts (`fixtures/explain/corpus.json`): each text
//! comes from a public issue thread, pull request or forum page and carries the cause that thread
//! established. Prints top-1 and top-3 accuracy, per cause and overall, and the misses.
//!
//! Some messages reach users with different causes behind the same words (a `Failed to resolve`
//! of the file-system name was, in different threads, a missing mount target, DNS resolution off,
//! DNS hostnames off, custom DNS servers and a mount target still being created). The text alone
//! cannot tell those apart: the test computes, from the labels, the best any ranking that sees
//! only the message could reach (the ceiling), and prints it beside the measured figures. The
//! ranking follows what AWS documents for each text, never the corpus labels.
//!
//! Inside `check` the same texts are ranked by the findings (observed failures): for each scored
//! text the test runs `check` on the failing fixture of its cause rule (`fixtures/rules/<ID>.json`,
//! as is, with every other finding it has), with a stopped task carrying the text on each `bad-*`
//! service, and scores where the cause lands in `explained_by`. The floors asserted here are the
//! figures reached today, so that a change that loses ground fails. For a shared message the first
//! candidate must be one of its causes.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use assert_cmd::Command;
use efs_preflight::explain::explain;
use efs_preflight::rules::ALL;
use serde_json::{json, Value};

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

/// The best any ranking that sees only the message could reach: for each message, its most
/// common established cause first (top-1) and its three most common in the first three places
/// (top-3). Returns (scored, top-1 hits, top-3 hits).
fn text_only_ceiling(entries: &[Entry]) -> (usize, usize, usize) {
    let mut counts: BTreeMap<&str, BTreeMap<&str, usize>> = BTreeMap::new();
    for e in entries {
        if let Some(c) = &e.cause {
            *counts.entry(&e.message).or_default().entry(c).or_default() += 1;
        }
    }
    let (mut n, mut top1, mut top3) = (0, 0, 0);
    for causes in counts.values() {
        let mut c: Vec<usize> = causes.values().copied().collect();
        c.sort_unstable_by(|a, b| b.cmp(a));
        n += c.iter().sum::<usize>();
        top1 += c[0];
        top3 += c.iter().take(3).sum::<usize>();
    }
    (n, top1, top3)
}

/// One run of `check` for one text: the estate is the cause rule's fixture, the target one of
/// its `bad-*` services, which carries a stopped task with the text as its reason.
struct Run {
    service: String,
    /// The cause rule has a fail or warn finding on the target (the cause holds there).
    cause_holds: bool,
    explained_by: Vec<String>,
}

/// Runs `check` on `fixtures/rules/<cause>.json` with a task that failed to start with `text`
/// on every `bad-*` service; returns one run per such service.
fn in_check(text: &str, cause: &str) -> Vec<Run> {
    let path = format!("{}/fixtures/rules/{cause}.json", env!("CARGO_MANIFEST_DIR"));
    let mut snap: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("fixture")).expect("JSON");
    let bad: Vec<(String, String)> = snap["ecs"]["services"]
        .as_array()
        .expect("services")
        .iter()
        .filter_map(|s| {
            let name = s["serviceName"].as_str()?;
            let cluster = s["clusterArn"].as_str()?;
            name.starts_with("bad-")
                .then(|| (name.to_owned(), cluster.to_owned()))
        })
        .collect();
    let tasks: Vec<Value> = bad
        .iter()
        .enumerate()
        .map(|(i, (name, cluster))| {
            let task_arn = cluster.replacen(":cluster/", ":task/", 1) + &format!("/{i:032x}");
            json!({
                "taskArn": task_arn,
                "clusterArn": cluster,
                "group": format!("service:{name}"),
                "lastStatus": "STOPPED",
                "desiredStatus": "STOPPED",
                "launchType": "FARGATE",
                "stopCode": "TaskFailedToStart",
                "stoppedAt": "2026-11-23T09:58:12+00:00",
                "stoppedReason": text,
            })
        })
        .collect();
    snap["ecs"]["tasks"] = Value::Array(tasks);
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join(format!("{cause}-with-tasks.json"));
    std::fs::write(&file, snap.to_string()).expect("written");
    let out = Command::cargo_bin("efs-preflight")
        .expect("binary is built")
        .args(["check", "--format", "json", "--snapshot"])
        .arg(&file)
        .output()
        .expect("runs");
    let report: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "check on {path} with tasks: {e}\n{}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    let findings = report["findings"].as_array().expect("findings");
    bad.into_iter()
        .map(|(service, _)| {
            let mine: Vec<&Value> = findings
                .iter()
                .filter(|f| f["target"]["name"] == service.as_str())
                .collect();
            let cause_holds = mine
                .iter()
                .any(|f| f["rule"] == cause && (f["status"] == "fail" || f["status"] == "warn"));
            let explained_by = mine
                .iter()
                .find_map(|f| f["target"].get("observed"))
                .and_then(|o| o[0]["explained_by"].as_array())
                .map(|a| {
                    a.iter()
                        .filter_map(|r| r.as_str().map(str::to_owned))
                        .collect()
                })
                .unwrap_or_default();
            Run {
                service,
                cause_holds,
                explained_by,
            }
        })
        .collect()
}

#[test]
#[allow(clippy::too_many_lines)]
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
    // Inside check: per text (first on every estate of its cause) and per run.
    let mut check_texts = Tally::default();
    let mut check_runs = Tally::default();
    let mut check_misses = String::new();
    let mut gaps = String::new();
    let mut no_fixture: BTreeSet<&str> = BTreeSet::new();
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
        // The same text inside check, on estates where its cause holds.
        let runs: Vec<Run> = in_check(&e.text, cause)
            .into_iter()
            .filter(|r| r.cause_holds)
            .collect();
        if runs.is_empty() {
            no_fixture.insert(cause);
            continue;
        }
        let (mut all1, mut all3) = (true, true);
        for r in &runs {
            let at = r.explained_by.iter().position(|id| id == cause);
            let (t1, t3) = (at == Some(0), at.is_some_and(|p| p < 3));
            check_runs.add(t1, t3);
            all1 &= t1;
            all3 &= t3;
            if at.is_none() {
                let _ = writeln!(
                    gaps,
                    "  {cause} fails on {} but explain does not offer it for {:?} ({})",
                    r.service, e.message, e.source
                );
            } else if !t1 {
                let _ = writeln!(
                    check_misses,
                    "  {cause} ranked #{} on {} (explained by {:?}): {}",
                    at.map_or(0, |p| p + 1),
                    r.service,
                    r.explained_by,
                    e.source
                );
            }
        }
        check_texts.add(all1, all3);
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
    let (cn, c1, c3) = text_only_ceiling(&entries);
    let (ceil1, ceil3) = (pct(c1, cn), pct(c3, cn));
    let (k1, k3) = (
        pct(check_texts.top1, check_texts.n),
        pct(check_texts.top3, check_texts.n),
    );
    let (r1, r3) = (
        pct(check_runs.top1, check_runs.n),
        pct(check_runs.top3, check_runs.n),
    );
    let row = |what: &str, p1: f64, h1: usize, p3: f64, h3: usize, n: usize| {
        println!("{what:<46} {p1:>5.1}% ({h1}/{n})   {p3:>5.1}% ({h3}/{n})");
    };
    println!("{:<46} {:<16} top-3", "", "top-1");
    row(
        "text only (explain)",
        top1,
        overall.top1,
        top3,
        overall.top3,
        overall.n,
    );
    row(
        "text only, ceiling from the labels",
        ceil1,
        c1,
        ceil3,
        c3,
        cn,
    );
    row(
        "inside check, per text (first on every estate)",
        k1,
        check_texts.top1,
        k3,
        check_texts.top3,
        check_texts.n,
    );
    row(
        "inside check, per run (text x bad-* service)",
        r1,
        check_runs.top1,
        r3,
        check_runs.top3,
        check_runs.n,
    );
    println!(
        "causes with no fixture that fails them: {} {no_fixture:?}",
        no_fixture.len()
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
    println!("inside check, not ranked first:\n{check_misses}");
    println!("inside check, cause failing but not offered by explain:\n{gaps}");
    // Floors: the figures reached today (goal: 90% / 97%).
    assert!(
        top1 >= 82.2,
        "top-1 accuracy {top1:.1}% is below 82.2%\n{misses}"
    );
    assert!(
        top3 >= 93.3,
        "top-3 accuracy {top3:.1}% is below 93.3%\n{misses}"
    );
    assert!(
        d1 >= 99.9,
        "single-cause top-1 {d1:.1}% is below 100%\n{misses}"
    );
    assert!(
        d3 >= 99.9,
        "single-cause top-3 {d3:.1}% is below 100%\n{misses}"
    );
    assert!(
        not_best.is_empty(),
        "shared messages whose first candidate is not one of their causes:\n{not_best}"
    );
    assert!(
        top1 <= ceil1 && top3 <= ceil3,
        "measured above the text-only ceiling: the ceiling is wrong"
    );
    assert!(
        no_fixture.is_empty(),
        "causes without a failing fixture: {no_fixture:?}"
    );
    // Inside check: the floors reached today.
    assert!(
        k1 >= 97.7 && r1 >= 99.4,
        "inside check top-1 {k1:.1}% per text, {r1:.1}% per run is below 97.7% / 99.4%\n{check_misses}{gaps}"
    );
    assert!(
        k3 >= 99.9 && r3 >= 99.9,
        "inside check top-3 {k3:.1}% per text, {r3:.1}% per run is below 100% / 100%\n{check_misses}{gaps}"
    );
}
