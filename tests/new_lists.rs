//! The rules that read `kms.Keys`, `route53.*`, `route53resolver.*` and `ecs.accountSettings`
//! say `unknown` when those lists were not collected (never `pass`), and an IPv6-only task
//! subnet is NET009's failure alone.

use std::path::PathBuf;

use efs_preflight::graph::Graph;
use efs_preflight::rules::{self, Finding, Selection, Status};
use efs_preflight::snapshot::{self, Snapshot};
use efs_preflight::target::{self, Scope};

fn fixture(id: &str) -> Snapshot {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/rules")
        .join(format!("{id}.json"));
    snapshot::load(&path).expect("fixture")
}

/// Runs rules on every service; returns (service name, finding) pairs.
fn run(snap: &Snapshot, ids: &[&str]) -> Vec<(String, Finding)> {
    let graph = Graph::build(snap);
    let scope = Scope {
        clusters: vec![],
        services: graph.services().map(|s| s.service_name.clone()).collect(),
    };
    let targets = target::select_services(&graph, &scope).expect("targets");
    let selection = Selection {
        only: ids
            .iter()
            .map(|id| rules::find(id).expect("rule"))
            .collect(),
        skip: vec![],
    };
    rules::run(&graph, &targets, &selection)
        .into_iter()
        .map(|f| (targets[f.target].name.clone(), f))
        .collect()
}

/// Every finding of a `bad-*` or `unknown-*` service is `unknown` and names the list.
fn bad_cases_become_unknown(snap: &Snapshot, id: &str, list: &str) {
    let findings = run(snap, &[id]);
    let mut seen = 0;
    for (service, f) in &findings {
        if service.starts_with("bad-") {
            seen += 1;
            assert_eq!(f.status, Status::Unknown, "{id} {service}: {}", f.message);
            assert!(
                f.message.contains(&format!("{list} was not collected")),
                "{id} {service}: {}",
                f.message
            );
        }
        assert_ne!(f.status, Status::Fail, "{id} {service}: {}", f.message);
    }
    assert!(seen > 0, "{id}: no bad case");
}

#[test]
fn efs009_without_kms_keys_is_unknown() {
    let mut snap = fixture("EFS009");
    snap.kms.keys = None;
    bad_cases_become_unknown(&snap, "EFS009", "kms.Keys");
}

#[test]
fn net009_without_account_settings_is_unknown_for_dual_stack_only() {
    let mut snap = fixture("NET009");
    snap.ecs.account_settings = None;
    let findings = run(&snap, &["NET009"]);
    for (service, f) in &findings {
        match service.as_str() {
            // DNS64 answers matter only if tasks get an IPv6 address: the setting decides.
            "bad-dual-stack-dns64-on" => {
                assert_eq!(f.status, Status::Unknown);
                assert!(f.message.contains("ecs.accountSettings was not collected"));
            }
            // An IPv6-only subnet fails whatever the setting.
            "bad-ipv6-only-subnet" => assert_eq!(f.status, Status::Fail),
            _ => {}
        }
    }
}

#[test]
fn net009_with_dual_stack_disabled_passes_dns64_subnets() {
    let mut snap = fixture("NET009");
    for s in snap.ecs.account_settings.iter_mut().flatten() {
        s.value = Some("disabled".into());
    }
    let findings = run(&snap, &["NET009"]);
    let (_, f) = findings
        .iter()
        .find(|(s, _)| s == "bad-dual-stack-dns64-on")
        .expect("finding");
    assert_eq!(f.status, Status::Pass, "{}", f.message);
}

#[test]
fn an_ipv6_only_subnet_is_not_an_unknown_of_the_path_rules() {
    let snap = fixture("NET009");
    let findings = run(&snap, &["NET005", "NET006", "NET007", "NET008"]);
    for (service, f) in &findings {
        if service == "bad-ipv6-only-subnet" {
            assert!(
                !f.message.contains("no IPv4 CidrBlock"),
                "{}: {}",
                f.rule.id,
                f.message
            );
            assert_ne!(f.status, Status::Unknown, "{}: {}", f.rule.id, f.message);
        }
    }
}

#[test]
fn dns004_and_dns005_without_their_lists_are_unknown() {
    for (id, list) in [
        ("DNS004", "route53resolver.ResolverRuleAssociations"),
        ("DNS005", "route53.HostedZones"),
    ] {
        let mut snap = fixture(id);
        if id == "DNS004" {
            snap.route53resolver.resolver_rule_associations = None;
        } else {
            snap.route53.hosted_zones = None;
        }
        bad_cases_become_unknown(&snap, id, list);
        // No case passes either: the lists decide every one.
        for (service, f) in run(&snap, &[id]) {
            assert_eq!(f.status, Status::Unknown, "{id} {service}: {}", f.message);
        }
    }
}
