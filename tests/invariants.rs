//! Invariants that hold code, rule pages, fixtures and the index in step.

use std::collections::HashSet;
use std::path::PathBuf;

use efs_preflight::rules::{Severity, ALL};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

const HEADINGS: &[&str] = &[
    "## What it checks",
    "## Why the mount fails",
    "## What you see",
    "## How to fix",
    "## Data used",
    "## References",
];

#[test]
fn ids_and_names_are_unique_and_well_formed() {
    let mut ids = HashSet::new();
    let mut names = HashSet::new();
    for r in ALL {
        assert!(ids.insert(r.id), "duplicate id {}", r.id);
        assert!(names.insert(r.name), "duplicate name {}", r.name);
        let (prefix, num) = r.id.split_at(3);
        assert!(
            ["ECS", "EFS", "NET", "DNS", "IAM"].contains(&prefix),
            "{}",
            r.id
        );
        assert!(
            num.len() == 3 && num.chars().all(|c| c.is_ascii_digit()),
            "{}",
            r.id
        );
        assert!(
            r.name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-'),
            "{} name {} is not kebab-case",
            r.id,
            r.name
        );
        assert!(
            !r.summary.ends_with('.'),
            "{} summary ends with a period",
            r.id
        );
    }
}

#[test]
fn every_rule_has_a_page_with_the_fixed_headings() {
    for r in ALL {
        let path = root().join("rules").join(format!("{}.md", r.id));
        let page =
            std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("{} has no page", r.id));
        assert_eq!(
            page, r.doc,
            "{}: the embedded page differs from the file",
            r.id
        );
        let first = page.lines().next().unwrap_or_default();
        assert_eq!(
            first,
            format!("# {}: {}", r.id, r.name),
            "{}: first line",
            r.id
        );
        let severity = match r.severity {
            Severity::Error => "Severity: error",
            Severity::Warning => "Severity: warning",
        };
        assert!(
            page.contains(severity),
            "{}: page does not say `{severity}`",
            r.id
        );
        let mut last = 0;
        for h in HEADINGS {
            let at = page
                .lines()
                .position(|l| l.trim_end() == *h)
                .unwrap_or_else(|| panic!("{}: page lacks heading `{h}`", r.id));
            assert!(at >= last, "{}: heading `{h}` is out of order", r.id);
            last = at;
        }
    }
}

#[test]
fn every_rule_has_a_fixture() {
    for r in ALL {
        let path = root().join("fixtures/rules").join(format!("{}.json", r.id));
        assert!(path.exists(), "{} has no fixture {}", r.id, path.display());
    }
}

#[test]
fn every_rule_page_has_explain_patterns_that_compile() {
    for r in ALL {
        let (patterns, errors) = efs_preflight::explain::patterns_of(r);
        assert!(errors.is_empty(), "{errors:?}");
        assert!(
            !patterns.is_empty(),
            "{}: no `### Explain patterns` rows",
            r.id
        );
    }
}

/// The index table, as it must read.
fn expected_index_rows() -> Vec<String> {
    ALL.iter()
        .map(|r| {
            format!(
                "| [{id}]({id}.md) | `{name}` | {sev} |",
                id = r.id,
                name = r.name,
                sev = r.severity.as_str()
            )
        })
        .collect()
}

#[test]
fn rules_index_is_in_sync() {
    let index = std::fs::read_to_string(root().join("rules/README.md")).expect("rules/README.md");
    let rows: Vec<&str> = index.lines().filter(|l| l.starts_with("| [")).collect();
    let expected = expected_index_rows();
    let mut problems = Vec::new();
    if rows.len() != expected.len() {
        problems.push(format!(
            "index has {} rule rows, the registry {}",
            rows.len(),
            expected.len()
        ));
    }
    for (i, want) in expected.iter().enumerate() {
        match rows.get(i) {
            Some(row) if row.starts_with(want.as_str()) => {}
            Some(row) => problems.push(format!(
                "row {}: expected to start with `{want}`, found `{row}`",
                i + 1
            )),
            None => problems.push(format!("row {}: missing `{want} ... |`", i + 1)),
        }
    }
    assert!(
        problems.is_empty(),
        "rules/README.md is out of step with the registry:\n{}\nEach row must be `| [ID](ID.md) | `name` | severity | fails when |` in registry order (`efs-preflight rules` lists it).",
        problems.join("\n")
    );
}

#[test]
fn layering_holds() {
    // Only collect/ talks to AWS, only graph.rs imports petgraph, only app.rs/main.rs print.
    let src = root().join("src");
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let rel = path.strip_prefix(&src).unwrap().display().to_string();
            let text = std::fs::read_to_string(&path).unwrap();
            if text.contains("aws_sdk_") || text.contains("aws_config") {
                assert!(rel.starts_with("collect"), "{rel} uses the AWS SDK");
            }
            if text.contains("petgraph") {
                assert!(rel == "graph.rs" || rel == "lib.rs", "{rel} uses petgraph");
            }
            let prints = ["println!(", "eprintln!(", "print!(", "std::process::exit"];
            if prints.iter().any(|p| text.contains(p)) {
                assert!(
                    ["app.rs", "main.rs", "explain.rs"].contains(&rel.as_str())
                        || rel.starts_with("collect"),
                    "{rel} prints or exits"
                );
            }
        }
    }
}
