//! No input makes the loader, the graph, the rules or the report writers panic: arbitrary JSON
//! values, and arbitrary mutations of the demo snapshot (values replaced by other values of the
//! same or another type, keys deleted, lists emptied).

use efs_preflight::graph::Graph;
use efs_preflight::report::FailOn;
use efs_preflight::report::{self, Coverage, Report, SourceInfo, TargetInfo};
use efs_preflight::rules::{self, Selection};
use efs_preflight::snapshot;
use efs_preflight::target::{self, Scope};
use proptest::prelude::*;
use serde_json::Value;

/// Loads, joins, checks and renders; must never panic.
fn exercise(text: &str) {
    let Ok(snap) = snapshot::from_str(text, "prop.json") else {
        return;
    };
    let graph = Graph::build(&snap);
    let Ok(targets) = target::select_services(&graph, &Scope::default()) else {
        return;
    };
    let selection = Selection::default();
    let findings = rules::run(&graph, &targets, &selection);
    for f in &findings {
        assert!(!f.message.is_empty(), "{} gave an empty message", f.rule.id);
    }
    let report = Report {
        tool: report::tool_name(),
        source: SourceInfo::default(),
        targets: targets.iter().map(TargetInfo::from_target).collect(),
        findings,
        rules: selection.rules(),
        coverage: Coverage::default(),
        estates: Vec::new(),
    };
    let _ = report::json::render(&report);
    let _ = report::table::render(&report, report::table::TableOptions::default());
    let _ = report::sarif::render(&report, true);
    let _ = report::junit::render(&report, FailOn::Unknown);
    let _ = report::markdown::render(&report, true, FailOn::Error);
    let _ = snapshot::to_json_redacted(&snap);
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        interesting_string().prop_map(Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..6)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("efs_preflight_snapshot".to_owned()),
        Just("ec2".to_owned()),
        Just("efs".to_owned()),
        Just("ecs".to_owned()),
        Just("iam".to_owned()),
        Just("Subnets".to_owned()),
        Just("services".to_owned()),
        Just("taskDefinitions".to_owned()),
        Just("MountTargets".to_owned()),
        "[a-zA-Z]{1,12}",
    ]
}

fn interesting_string() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        Just("/".to_owned()),
        Just("LATEST".to_owned()),
        Just("1.3.0".to_owned()),
        Just("1.4".to_owned()),
        Just("0.0.0.0/0".to_owned()),
        Just("10.10.0.0/33".to_owned()),
        Just("::/0".to_owned()),
        Just("-1".to_owned()),
        Just("ENABLED".to_owned()),
        Just("DISABLED".to_owned()),
        Just("WINDOWS_SERVER_2019_CORE".to_owned()),
        Just("fs-0shared0000000001".to_owned()),
        Just("subnet-0aa1111111111111a".to_owned()),
        Just("sg-0efs00000000000a".to_owned()),
        Just("*".to_owned()),
        Just("arn:aws:iam::123456789012:root".to_owned()),
        Just("{}".to_owned()),
        Just("%7B%22Statement%22%3A%5B%5D%7D".to_owned()),
        Just(
            "{\"Statement\":{\"Effect\":\"Deny\",\"Action\":\"*\",\"Principal\":\"*\"}}".to_owned()
        ),
        ".{0,16}",
    ]
}

#[derive(Debug, Clone)]
enum Mutation {
    Replace(Value),
    SameKind,
    Delete,
    Empty,
}

fn mutation() -> impl Strategy<Value = (Vec<usize>, Mutation)> {
    (
        prop::collection::vec(any::<usize>(), 1..8),
        prop_oneof![
            arb_json().prop_map(Mutation::Replace),
            Just(Mutation::SameKind),
            Just(Mutation::Delete),
            Just(Mutation::Empty),
        ],
    )
}

/// Walks `path` (indices taken modulo the container sizes) and applies the mutation there.
fn apply(v: &mut Value, path: &[usize], m: &Mutation, salt: usize) {
    let Some((step, rest)) = path.split_first() else {
        return;
    };
    let len = match v {
        Value::Object(o) => o.len(),
        Value::Array(a) => a.len(),
        _ => 0,
    };
    if len == 0 {
        return;
    }
    let i = step % len;
    let at_target = rest.is_empty()
        || !matches!(
            match v {
                Value::Object(o) => o.values().nth(i),
                Value::Array(a) => a.get(i),
                _ => None,
            },
            Some(Value::Object(_) | Value::Array(_))
        );
    if at_target {
        match (v, m) {
            (Value::Object(o), Mutation::Delete) => {
                if let Some(k) = o.keys().nth(i).cloned() {
                    o.remove(&k);
                }
            }
            (Value::Array(a), Mutation::Delete) => {
                a.remove(i);
            }
            (container, m) => {
                let slot = match container {
                    Value::Object(o) => o.values_mut().nth(i),
                    Value::Array(a) => a.get_mut(i),
                    _ => None,
                };
                if let Some(slot) = slot {
                    *slot = match m {
                        Mutation::Replace(new) => new.clone(),
                        Mutation::Empty => match slot {
                            Value::Array(_) => Value::Array(vec![]),
                            Value::Object(_) => Value::Object(serde_json::Map::new()),
                            Value::String(_) => Value::String(String::new()),
                            _ => Value::Null,
                        },
                        _ => same_kind(slot, salt),
                    };
                }
            }
        }
        return;
    }
    let child = match v {
        Value::Object(o) => o.values_mut().nth(i),
        Value::Array(a) => a.get_mut(i),
        _ => None,
    };
    if let Some(child) = child {
        apply(child, rest, m, salt);
    }
}

/// Another value of the same JSON type, so that typed loading still succeeds.
fn same_kind(v: &Value, salt: usize) -> Value {
    const STRINGS: &[&str] = &[
        "",
        "/",
        "LATEST",
        "1.3.0",
        "1.4",
        "0.0.0.0/0",
        "10.0.0.0/8",
        "fd00::/8",
        "-1",
        "6",
        "tcp",
        "deny",
        "ENABLED",
        "DISABLED",
        "REPLICATING",
        "creating",
        "error",
        "default",
        "*",
        "fs-0upload0000000002",
        "subnet-0dd4444444444444d",
        "vpc-0f66e77d88c99b00a",
        "sg-0def00000000000p",
        "use1-az4",
        "WINDOWS_SERVER_2022_FULL",
        "FARGATE_SPOT",
        "EC2",
        "arn:aws:iam::123456789012:role/web-task",
        "AmazonProvidedDNS",
        "8.8.8.8",
    ];
    match v {
        Value::String(_) => Value::String(STRINGS[salt % STRINGS.len()].to_owned()),
        Value::Bool(b) => Value::Bool(!b),
        Value::Number(_) => Value::from([-1_i64, 0, 1, 2049, 65535, 32767, i64::MAX][salt % 7]),
        other => other.clone(),
    }
}

fn demo() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/scenarios/demo.json"
    ))
    .expect("demo snapshot");
    serde_json::from_str(&text).expect("demo is JSON")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, .. ProptestConfig::default() })]

    #[test]
    fn arbitrary_json_never_panics(v in arb_json()) {
        exercise(&v.to_string());
        let wrapped = serde_json::json!({"efs_preflight_snapshot": 1, "ec2": v.clone(), "efs": v.clone(), "ecs": v.clone(), "iam": v});
        exercise(&wrapped.to_string());
    }

    #[test]
    fn arbitrary_text_never_panics(s in ".{0,200}") {
        exercise(&s);
    }

    #[test]
    fn mutated_demo_never_panics(mutations in prop::collection::vec(mutation(), 1..12), salt in any::<usize>()) {
        let mut v = demo();
        for (i, (path, m)) in mutations.iter().enumerate() {
            apply(&mut v, path, m, salt.wrapping_add(i));
        }
        exercise(&v.to_string());
    }
}

#[test]
fn the_unmutated_demo_is_exercised() {
    // Guards the harness itself: the demo must load and produce findings.
    let text = demo().to_string();
    let snap = snapshot::from_str(&text, "demo").unwrap();
    let graph = Graph::build(&snap);
    let targets = target::select_services(&graph, &Scope::default()).unwrap();
    assert!(!rules::run(&graph, &targets, &Selection::default()).is_empty());
}
