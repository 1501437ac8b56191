//! `check --graph FILE` and the flowcharts of `--format markdown`: the DOT renders with Graphviz
//! `dot`, the Mermaid parses with Mermaid's own parser (`mermaid` from npm under jsdom, installed
//! into `.tools/` by `scripts/test.sh`), and both name every blamed resource with its rule.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The demo and rule fixtures whose pictures are checked: (snapshot, only this rule).
const CASES: &[(&str, Option<&str>)] = &[
    ("fixtures/scenarios/demo.json", None),
    ("fixtures/scenarios/partial.json", None),
    ("fixtures/rules/NET001.json", Some("NET001")),
    ("fixtures/rules/NET005.json", Some("NET005")),
    ("fixtures/rules/NET006.json", Some("NET006")),
    ("fixtures/rules/NET007.json", Some("NET007")),
    ("fixtures/rules/NET008.json", Some("NET008")),
    ("fixtures/rules/DNS003.json", Some("DNS003")),
    ("fixtures/rules/IAM002.json", Some("IAM002")),
    ("fixtures/rules/IAM001.json", Some("IAM001")),
    ("fixtures/rules/EFS003.json", Some("EFS003")),
    ("fixtures/rules/ECS001.json", Some("ECS001")),
    ("fixtures/rules/ECS009.json", Some("ECS009")),
];

/// Runs `check` with `--format json` and `--graph picture`; returns the JSON report.
fn check_with_graph(snapshot: &str, rule: Option<&str>, picture: &Path) -> Value {
    let dir = tempfile::tempdir().unwrap();
    let json = dir.path().join("report.json");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_efs-preflight"));
    cmd.current_dir(root())
        .args(["check", "--snapshot", snapshot, "--format", "json", "-o"])
        .arg(&json)
        .arg("--graph")
        .arg(picture);
    if let Some(rule) = rule {
        cmd.args(["--rule", rule]);
    }
    let out = cmd.output().unwrap();
    assert!(
        matches!(out.status.code(), Some(0 | 1)),
        "{snapshot}: {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_str(&std::fs::read_to_string(json).unwrap()).unwrap()
}

/// The resource part of an ARN, as pictures show it.
fn short_id(id: &str) -> &str {
    if id.starts_with("arn:") {
        id.splitn(6, ':').nth(5).unwrap_or(id)
    } else {
        id
    }
}

/// (rule, resource) of every non-passing finding.
fn blamed(report: &Value) -> Vec<(String, Option<String>)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] != "pass")
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_owned(),
                f["resource"].as_str().map(|r| short_id(r).to_owned()),
            )
        })
        .collect()
}

/// Every blamed resource appears on one line (a DOT statement, a Mermaid node) with its rule.
fn assert_names_blamed(what: &str, text: &str, report: &Value) {
    for (rule, resource) in blamed(report) {
        let found = text.lines().any(|line| {
            line.contains(&rule) && resource.as_deref().is_none_or(|r| line.contains(r))
        });
        assert!(
            found,
            "{what}: no node names {rule} with {resource:?}:\n{text}"
        );
    }
}

fn graphviz() -> &'static str {
    let ok = Command::new("dot").arg("-V").output().is_ok();
    assert!(
        ok,
        "Graphviz `dot` is missing: run `bash scripts/test.sh`, which installs the Debian package graphviz"
    );
    "dot"
}

#[test]
fn dot_renders_with_graphviz_and_names_every_blamed_resource() {
    let dot = graphviz();
    let dir = tempfile::tempdir().unwrap();
    for (i, (snapshot, rule)) in CASES.iter().enumerate() {
        let picture = dir.path().join(format!("case{i}.dot"));
        let report = check_with_graph(snapshot, *rule, &picture);
        let text = std::fs::read_to_string(&picture).unwrap();
        assert!(text.starts_with("digraph {"), "{snapshot}:\n{text}");
        assert_names_blamed(snapshot, &text, &report);
        let svg = dir.path().join(format!("case{i}.svg"));
        let out = Command::new(dot)
            .arg("-Tsvg")
            .arg(&picture)
            .arg("-o")
            .arg(&svg)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{snapshot}: dot failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let svg = std::fs::read_to_string(&svg).unwrap();
        assert!(svg.contains("<svg"), "{snapshot}: no SVG");
        for (rule, _) in blamed(&report) {
            assert!(svg.contains(&rule), "{snapshot}: {rule} is not in the SVG");
        }
    }
}

#[test]
fn many_targets_on_one_path_are_drawn_once() {
    // Two more services exactly like prod/api (same task definition, subnets and groups): the
    // three fail NET005 on the same mount-target group and share one path.
    let text = std::fs::read_to_string(root().join("fixtures/scenarios/demo.json")).unwrap();
    let mut snap: Value = serde_json::from_str(&text).unwrap();
    let services = snap["ecs"]["services"].as_array_mut().unwrap();
    let api = services
        .iter()
        .find(|s| s["serviceName"] == "api")
        .unwrap()
        .clone();
    for name in ["api-blue", "api-green"] {
        let mut copy = api.clone();
        copy["serviceName"] = Value::from(name);
        copy["serviceArn"] = Value::from(
            api["serviceArn"]
                .as_str()
                .unwrap()
                .replace("/api", &format!("/{name}")),
        );
        services.push(copy);
    }
    let dir = tempfile::tempdir().unwrap();
    let snapshot = dir.path().join("three-apis.json");
    std::fs::write(&snapshot, serde_json::to_string(&snap).unwrap()).unwrap();
    let picture = dir.path().join("paths.dot");
    let report = check_with_graph(snapshot.to_str().unwrap(), None, &picture);
    let text = std::fs::read_to_string(&picture).unwrap();
    assert_names_blamed("three apis", &text, &report);
    let task_nodes: Vec<&str> = text
        .lines()
        .filter(|l| l.contains("[label=\"3 targets: prod/api, prod/api-blue, prod/api-green"))
        .collect();
    assert_eq!(task_nodes.len(), 1, "{text}");
    assert!(!text.contains("[label=\"service prod/api"), "{text}");
    // One node statement per resource: shared resources are not repeated.
    let mut titles: Vec<&str> = text
        .lines()
        .filter(|l| l.trim_start().starts_with('n') && !l.contains("->"))
        .filter_map(|l| l.split("[label=\"").nth(1)?.split("\\n").next())
        .collect();
    let n = titles.len();
    titles.sort_unstable();
    titles.dedup();
    assert_eq!(titles.len(), n, "a resource is drawn twice:\n{text}");
}

/// Parses each file named on the command line with `mermaid.parse`, under jsdom (Mermaid
/// sanitises labels with DOMPurify, which needs a DOM).
const MERMAID_PARSE: &str = r"
import { JSDOM } from 'jsdom';
import { readFileSync } from 'node:fs';
const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import('mermaid');
let failed = 0;
for (const file of process.argv.slice(1)) {
  try {
    const r = await mermaid.parse(readFileSync(file, 'utf8'));
    if (!String(r.diagramType).startsWith('flowchart')) {
      failed += 1;
      console.log(`${file}: not a flowchart: ${r.diagramType}`);
    }
  } catch (e) {
    failed += 1;
    console.log(`${file}: ${String(e.message ?? e)}`);
  }
}
process.exit(failed ? 1 : 0);
";

/// Mermaid's own parser (`mermaid.parse` under jsdom), from `.tools/`.
fn mermaid_parse(files: &[PathBuf]) {
    let tools = root().join(".tools");
    assert!(
        tools.join("node_modules/mermaid").exists() && tools.join("node_modules/jsdom").exists(),
        "{} has no mermaid and jsdom: run `bash scripts/test.sh`, which installs them",
        tools.display()
    );
    // Bare imports resolve from the working directory of `--eval` code.
    let out = Command::new("node")
        .current_dir(&tools)
        .args(["--input-type=module", "-e", MERMAID_PARSE])
        .args(files)
        .output()
        .expect("node runs");
    assert!(
        out.status.success(),
        "Mermaid rejects a flowchart:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

/// What a Mermaid flowchart must hold without a parser: the header, balanced subgraphs, and
/// every node used by an edge declared.
fn assert_mermaid_shape(what: &str, text: &str) {
    assert!(text.starts_with("flowchart LR\n"), "{what}:\n{text}");
    let opened = text
        .lines()
        .filter(|l| l.trim_start().starts_with("subgraph "))
        .count();
    let closed = text.lines().filter(|l| l.trim() == "end").count();
    assert_eq!(opened, closed, "{what}: unbalanced subgraphs");
    let declared: Vec<&str> = text
        .lines()
        .filter_map(|l| l.trim_start().split_once("[\"").map(|(id, _)| id))
        .collect();
    let arrows = [" --> ", " <==> ", " -.-> "];
    for line in text
        .lines()
        .filter(|l| arrows.iter().any(|a| l.contains(a)))
    {
        let words: Vec<&str> = line.split_whitespace().collect();
        let (from, to) = (words[0], words[words.len() - 1]);
        assert!(
            declared.contains(&from) && declared.contains(&to),
            "{what}: edge to an undeclared node: {line}"
        );
    }
}

#[test]
fn mermaid_is_a_flowchart_that_mermaid_parses_and_names_every_blamed_resource() {
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (i, (snapshot, rule)) in CASES.iter().enumerate() {
        let picture = dir.path().join(format!("case{i}.mmd"));
        let report = check_with_graph(snapshot, *rule, &picture);
        let text = std::fs::read_to_string(&picture).unwrap();
        assert_mermaid_shape(snapshot, &text);
        assert_names_blamed(snapshot, &text, &report);
        files.push(picture);
    }
    mermaid_parse(&files);
}

#[test]
fn markdown_carries_one_flowchart_per_failing_target() {
    let out = Command::new(env!("CARGO_BIN_EXE_efs-preflight"))
        .current_dir(root())
        .args([
            "check",
            "--snapshot",
            "fixtures/scenarios/demo.json",
            "--format",
            "markdown",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(md.chars().count() <= 65_536);
    let json = Command::new(env!("CARGO_BIN_EXE_efs-preflight"))
        .current_dir(root())
        .args([
            "check",
            "--snapshot",
            "fixtures/scenarios/demo.json",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&json.stdout).unwrap();
    let mut failing: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] != "pass")
        .map(|f| {
            format!(
                "{}/{}",
                f["target"]["cluster"].as_str().unwrap(),
                f["target"]["name"].as_str().unwrap()
            )
        })
        .collect();
    failing.sort();
    failing.dedup();
    let charts: Vec<&str> = md.split("```mermaid\n").skip(1).collect();
    assert_eq!(charts.len(), failing.len(), "{md}");
    for target in &failing {
        assert!(
            md.contains(&format!("Path of `{target}`")),
            "{target} has no flowchart:\n{md}"
        );
    }
    // The passing service is not drawn.
    assert!(!md.contains("Path of `prod/web`"));
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for (i, chart) in charts.iter().enumerate() {
        let chart = chart.split("```").next().unwrap();
        assert_mermaid_shape("markdown", chart);
        let file = dir.path().join(format!("chart{i}.mmd"));
        std::fs::write(&file, chart).unwrap();
        files.push(file);
    }
    mermaid_parse(&files);
    // The coverage line stays last.
    assert!(md.trim_end().ends_with("</sub>"), "{md}");
}

#[test]
fn graph_needs_a_known_extension() {
    let out = Command::new(env!("CARGO_BIN_EXE_efs-preflight"))
        .current_dir(root())
        .args([
            "check",
            "--snapshot",
            "fixtures/scenarios/demo.json",
            "--graph",
            "paths.png",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(".dot") && err.contains(".mmd"), "{err}");
}

#[test]
fn a_healthy_estate_draws_no_path_unless_asked() {
    let dir = tempfile::tempdir().unwrap();
    let picture = dir.path().join("healthy.dot");
    check_with_graph("fixtures/scenarios/healthy.json", None, &picture);
    let text = std::fs::read_to_string(&picture).unwrap();
    assert!(text.contains("every target passed"), "{text}");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_efs-preflight"));
    let all = dir.path().join("all.mmd");
    let out = cmd
        .current_dir(root())
        .args([
            "check",
            "--snapshot",
            "fixtures/scenarios/healthy.json",
            "--show-passed",
            "--graph",
        ])
        .arg(&all)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = std::fs::read_to_string(&all).unwrap();
    assert!(text.contains("NFS TCP 2049"), "{text}");
    assert!(
        !text.lines().any(|l| l.trim_start().starts_with("class ")),
        "a passing path has a blamed node:\n{text}"
    );
}
