//! Targets with equal rule inputs share findings (`rules::run`): the shared run must equal the
//! run that evaluates every target itself, and findings that name a target must stay its own.

use std::path::{Path, PathBuf};

use efs_preflight::graph::Graph;
use efs_preflight::rules::{self, Finding, Selection, SkipPassMessages};
use efs_preflight::snapshot;
use efs_preflight::target::{self, Scope, Target};

fn fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut out = vec![root.join("iac/base.json")];
    for dir in ["scenarios", "rules", "realworld"] {
        let mut files: Vec<PathBuf> = std::fs::read_dir(root.join(dir))
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        out.extend(files);
    }
    out
}

/// Every service of the snapshot (with or without an EFS volume), as the rule tests select.
fn all_services<'s>(graph: &Graph<'s>) -> Vec<Target<'s>> {
    let scope = Scope {
        clusters: vec![],
        services: graph.services().map(|s| s.service_name.clone()).collect(),
    };
    target::select_services(graph, &scope).unwrap_or_default()
}

/// Each target followed by a twin that differs only in identity (name, cluster, ARN).
fn with_twins<'s>(targets: &[Target<'s>]) -> Vec<Target<'s>> {
    targets
        .iter()
        .flat_map(|t| {
            let mut twin = t.clone();
            twin.name = format!("{}-twin", t.name);
            twin.cluster = Some(format!("{}-twin", t.cluster.as_deref().unwrap_or("none")));
            twin.arn = t
                .arn
                .as_ref()
                .map(|a| a.replace("123456789012", "210987654321"));
            [t.clone(), twin]
        })
        .collect()
}

fn render(findings: &[Finding]) -> Vec<String> {
    findings.iter().map(|f| format!("{f:?}")).collect()
}

fn assert_shared_equals_unshared(name: &str, graph: &Graph<'_>, targets: &[Target<'_>]) {
    let everything = Selection::default();
    for skip_pass in [false, true] {
        let _skip = skip_pass.then(SkipPassMessages::new);
        let shared = render(&rules::run(graph, targets, &everything));
        let unshared = render(&rules::run_with(graph, targets, &everything, false));
        assert_eq!(shared.len(), unshared.len(), "{name}: finding count");
        for (s, u) in shared.iter().zip(&unshared) {
            assert_eq!(s, u, "{name} (pass messages skipped: {skip_pass})");
        }
    }
}

#[test]
fn sharing_changes_no_finding_of_any_fixture() {
    for path in fixtures() {
        let snap = snapshot::load(&path).unwrap();
        let graph = Graph::build(&snap);
        let targets = with_twins(&all_services(&graph));
        assert_shared_equals_unshared(&path.display().to_string(), &graph, &targets);
    }
}

fn load(id: &str) -> snapshot::Snapshot {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("fixtures/rules/{id}.json"));
    snapshot::load(&path).unwrap()
}

#[test]
fn a_fix_that_names_the_service_is_never_shared() {
    let snap = load("ECS001");
    let graph = Graph::build(&snap);
    let targets: Vec<Target<'_>> = all_services(&graph)
        .into_iter()
        .filter(|t| t.name == "bad-pinned-1-3-0")
        .collect();
    let targets = with_twins(&targets);
    let selection = Selection::new(&["ECS001".to_owned()], &[]).unwrap();
    let findings = rules::run(&graph, &targets, &selection);
    for (i, t) in targets.iter().enumerate() {
        let mine: Vec<&Finding> = findings.iter().filter(|f| f.target == i).collect();
        assert_eq!(mine.len(), 1, "{}", t.name);
        let fix = mine[0].fix.as_deref().unwrap();
        assert!(
            fix.contains(&format!(
                "--cluster {} --service {} ",
                t.cluster.as_deref().unwrap(),
                t.name
            )),
            "{}: {fix}",
            t.name
        );
    }
}

#[test]
fn a_reason_that_names_the_service_is_never_shared() {
    let snap = load("NET005");
    let graph = Graph::build(&snap);
    let mut targets = all_services(&graph);
    targets.truncate(1);
    // Equal but for the name, and without subnets: the reason names each service.
    if let Ok(network) = targets[0].placement.network.as_mut() {
        network.subnets.clear();
    }
    let targets = with_twins(&targets);
    let selection = Selection::new(&["NET005".to_owned(), "NET006".to_owned()], &[]).unwrap();
    let findings = rules::run(&graph, &targets, &selection);
    for (i, t) in targets.iter().enumerate() {
        let mine: Vec<&Finding> = findings.iter().filter(|f| f.target == i).collect();
        assert!(!mine.is_empty(), "{}", t.name);
        for f in mine {
            assert!(
                f.message
                    .contains(&format!("service {} has no subnets", t.name)),
                "{}: {}",
                t.name,
                f.message
            );
        }
    }
}
