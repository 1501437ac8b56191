//! Each rule against its fixture `fixtures/rules/<ID>.json`.
//!
//! A fixture is a snapshot whose ECS services are the cases, named by what the rule must say:
//! `bad-*` services must get at least one `fail` or `warn` finding from the rule, `ok-*` services
//! at least one finding and only `pass`, `unknown-*` services at least one `unknown` and no
//! `fail`/`warn`, and `none-*` services (cases the rule does not apply to) no finding at all.
//! The rendered findings are reviewed snapshots (`tests/snapshots/`).

use std::fmt::Write as _;
use std::path::PathBuf;

use efs_preflight::graph::Graph;
use efs_preflight::rules::{self, Finding, Selection, Status};
use efs_preflight::snapshot;
use efs_preflight::target::{self, Scope};

fn fixture_path(id: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/rules")
        .join(format!("{id}.json"))
}

/// Runs one rule on every service of its fixture; returns the rendered findings.
fn check_rule(rule: &'static rules::Rule) -> Result<String, String> {
    let path = fixture_path(rule.id);
    let snap = snapshot::load(&path).map_err(|e| e.to_string())?;
    let graph = Graph::build(&snap);
    let scope = Scope {
        clusters: vec![],
        services: graph.services().map(|s| s.service_name.clone()).collect(),
    };
    let targets = target::select_services(&graph, &scope).map_err(|e| e.to_string())?;
    let selection = Selection {
        only: vec![rule],
        skip: vec![],
    };
    let findings = rules::run(&graph, &targets, &selection);
    let mut problems = Vec::new();
    let (mut bad, mut ok, mut unknown) = (0, 0, 0);
    for (i, t) in targets.iter().enumerate() {
        let mine: Vec<&Finding> = findings.iter().filter(|f| f.target == i).collect();
        let has = |s: Status| mine.iter().any(|f| f.status == s);
        let broken = has(Status::Fail) || has(Status::Warn);
        if t.name.starts_with("bad-") {
            bad += 1;
            if !broken {
                problems.push(format!(
                    "{}: {} was not flagged: {:?}",
                    rule.id,
                    t.name,
                    statuses(&mine)
                ));
            }
        } else if t.name.starts_with("ok-") {
            ok += 1;
            if mine.is_empty() || mine.iter().any(|f| f.status != Status::Pass) {
                problems.push(format!(
                    "{}: {} is not all pass: {:?}",
                    rule.id,
                    t.name,
                    statuses(&mine)
                ));
            }
        } else if t.name.starts_with("unknown-") {
            unknown += 1;
            if !has(Status::Unknown) || broken {
                problems.push(format!(
                    "{}: {} is not unknown: {:?}",
                    rule.id,
                    t.name,
                    statuses(&mine)
                ));
            }
        } else if t.name.starts_with("none-") {
            if !mine.is_empty() {
                problems.push(format!(
                    "{}: {} must get no finding: {:?}",
                    rule.id,
                    t.name,
                    statuses(&mine)
                ));
            }
        } else {
            problems.push(format!(
                "{}: service {} must be named ok-*, bad-*, unknown-* or none-*",
                rule.id, t.name
            ));
        }
    }
    if bad == 0 || ok == 0 {
        problems.push(format!("{}: the fixture needs at least one ok-* and one bad-* service (has {ok} ok, {bad} bad, {unknown} unknown)", rule.id));
    }
    if !problems.is_empty() {
        return Err(problems.join("\n"));
    }
    let mut out = String::new();
    for f in &findings {
        let t = &targets[f.target];
        let _ = writeln!(
            out,
            "{} {} {} [{}] {}\n    {}\n    fix: {}",
            f.status,
            f.rule.id,
            t.name,
            f.volume.as_deref().unwrap_or("-"),
            f.resource.as_deref().unwrap_or("-"),
            f.message,
            f.fix.as_deref().unwrap_or("-")
        );
    }
    Ok(out)
}

fn statuses(findings: &[&Finding]) -> Vec<String> {
    findings
        .iter()
        .map(|f| format!("{} {}", f.status, f.message))
        .collect()
}

#[test]
fn every_rule_flags_its_bad_cases_and_passes_its_ok_cases() {
    let mut problems = Vec::new();
    for rule in rules::ALL {
        match check_rule(rule) {
            Ok(rendered) => {
                insta::with_settings!({snapshot_suffix => rule.id, prepend_module_to_snapshot => false}, {
                    insta::assert_snapshot!("findings", rendered);
                });
            }
            Err(e) => problems.push(e),
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}
