//! Invariants that hold code, rule pages, fixtures and the index in step.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::{Path, PathBuf};

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

/// The layers of `src/`, top to bottom (docs/architecture.md). A module may import modules of
/// its own layer or of layers below it, never above; and no two modules may import each other,
/// directly or through others.
const LAYERS: &[&[&str]] = &[
    &["main"],
    &["app"],
    &["cli"],
    &["pipeline"],
    &["source"],
    &["report", "picture", "iac", "explain", "observed"],
    &["rules"],
    &["predeploy"],
    &["target"],
    &["graph", "net", "iam"],
    &["collect", "snapshot"],
];

/// Every `.rs` file under `src/` with its text, comments removed.
fn sources() -> Vec<(String, String)> {
    let src = root().join("src");
    let mut out = Vec::new();
    let mut stack = vec![src.clone()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let rel = path.strip_prefix(&src).unwrap().display().to_string();
                out.push((
                    rel,
                    without_comments(&std::fs::read_to_string(&path).unwrap()),
                ));
            }
        }
    }
    out.sort();
    out
}

/// The text with `//` comments removed (a `//` inside a string cuts the rest of its line,
/// which only loses text that is not an import).
fn without_comments(text: &str) -> String {
    text.lines()
        .map(|l| l.split("//").next().unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The top-level module a file belongs to (`rules/net001_x.rs` -> `rules`).
fn module_of(rel: &str) -> String {
    let first = Path::new(rel).components().next().unwrap();
    first
        .as_os_str()
        .to_string_lossy()
        .trim_end_matches(".rs")
        .to_owned()
}

/// The crate modules a text refers to: `crate::x`, `crate::{x, y::z}`, and in the binary
/// `efs_preflight::x`.
fn referenced_modules(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for prefix in ["crate::", "efs_preflight::"] {
        let mut rest = text;
        while let Some(i) = rest.find(prefix) {
            rest = &rest[i + prefix.len()..];
            if let Some(group) = rest.strip_prefix('{') {
                // A grouped import: the first name of every top-level item.
                let mut depth = 0;
                let mut item = String::new();
                let mut first_of_item = true;
                for c in group.chars() {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => break,
                        '}' => depth -= 1,
                        ',' if depth == 0 => {
                            first_of_item = true;
                            continue;
                        }
                        _ => {}
                    }
                    if depth == 0 && first_of_item {
                        if c.is_ascii_alphanumeric() || c == '_' {
                            item.push(c);
                        } else if !item.is_empty() {
                            out.insert(std::mem::take(&mut item));
                            first_of_item = false;
                        }
                    }
                }
                if !item.is_empty() {
                    out.insert(item);
                }
            } else {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    out.insert(name);
                }
            }
        }
    }
    out
}

/// Imports between top-level modules: module -> modules it refers to.
fn module_imports() -> BTreeMap<String, BTreeSet<String>> {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (rel, text) in sources() {
        let from = module_of(&rel);
        if from == "lib" {
            continue;
        }
        let entry = edges.entry(from.clone()).or_default();
        for to in referenced_modules(&text) {
            if to != from && to != "self" && to != "super" {
                entry.insert(to);
            }
        }
    }
    edges
}

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

#[test]
fn every_module_has_a_layer_and_imports_only_downwards() {
    let edges = module_imports();
    let mut problems = Vec::new();
    for (from, tos) in &edges {
        let Some(lf) = layer_of(from) else {
            problems.push(format!(
                "src/{from}: not in LAYERS; add it to LAYERS in tests/invariants.rs and to docs/architecture.md"
            ));
            continue;
        };
        for to in tos {
            match layer_of(to) {
                Some(lt) if lt < lf => problems.push(format!(
                    "{from} imports {to}, a layer above it (see docs/architecture.md)"
                )),
                _ => {}
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Depth-first search over the module imports; a back edge closes a cycle.
fn visit<'a>(
    node: &'a str,
    edges: &'a BTreeMap<String, BTreeSet<String>>,
    path: &mut Vec<&'a str>,
    done: &mut BTreeSet<&'a str>,
    cycles: &mut Vec<String>,
) {
    if let Some(i) = path.iter().position(|n| *n == node) {
        let mut cycle: Vec<&str> = path[i..].to_vec();
        cycle.push(node);
        cycles.push(cycle.join(" -> "));
        return;
    }
    if !done.insert(node) {
        return;
    }
    path.push(node);
    for next in edges.get(node).into_iter().flatten() {
        visit(next, edges, path, done, cycles);
    }
    path.pop();
}

#[test]
fn no_module_cycles() {
    let edges = module_imports();
    let mut cycles = Vec::new();
    let mut done = BTreeSet::new();
    for node in edges.keys() {
        visit(node, &edges, &mut Vec::new(), &mut done, &mut cycles);
    }
    assert!(cycles.is_empty(), "module cycles:\n{}", cycles.join("\n"));
}

#[test]
fn the_command_line_stays_at_the_edge() {
    // Only the command layer knows clap's types: lower layers take plain requests.
    for (rel, text) in sources() {
        let top = module_of(&rel);
        if ["main", "app", "cli", "lib"].contains(&top.as_str()) {
            continue;
        }
        assert!(
            !referenced_modules(&text).contains("cli"),
            "src/{rel} imports the command-line types; pass a plain request instead"
        );
        assert!(
            !text.contains("clap::"),
            "src/{rel} uses clap; parsing belongs to src/cli.rs"
        );
    }
}

#[test]
fn no_rule_imports_another_rule() {
    // A rule file is `rules/<family><number>_<name>.rs`; what several rules share lives in a
    // shared module of `rules/` (nfs_path.rs ...).
    let is_rule_module = |name: &str| {
        let b = name.as_bytes();
        b.len() > 7
            && b[..3].iter().all(u8::is_ascii_lowercase)
            && b[3..6].iter().all(u8::is_ascii_digit)
            && b[6] == b'_'
    };
    let mut problems = Vec::new();
    for (rel, text) in sources() {
        let Some(file) = rel.strip_prefix("rules/") else {
            continue;
        };
        if !is_rule_module(file) {
            continue;
        }
        for prefix in ["super::", "rules::"] {
            for (i, _) in text.match_indices(prefix) {
                let name: String = text[i + prefix.len()..]
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                    .collect();
                if is_rule_module(&name) {
                    problems.push(format!("src/{rel} imports the rule module {name}"));
                }
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{}\nmove what rules share into a shared module of src/rules/",
        problems.join("\n")
    );
}

#[test]
fn layering_holds() {
    // Only collect/ talks to AWS, only graph.rs imports petgraph, only app.rs/main.rs print.
    for (rel, text) in sources() {
        if text.contains("aws_sdk_") || text.contains("aws_config") {
            assert!(rel.starts_with("collect"), "{rel} uses the AWS SDK");
        }
        if text.contains("petgraph") {
            assert!(rel == "graph.rs" || rel == "lib.rs", "{rel} uses petgraph");
        }
        let prints = ["println!(", "eprintln!(", "print!(", "std::process::exit"];
        if prints.iter().any(|p| text.contains(p)) {
            assert!(
                ["app.rs", "main.rs"].contains(&rel.as_str()) || rel.starts_with("collect"),
                "{rel} prints or exits"
            );
        }
    }
}
