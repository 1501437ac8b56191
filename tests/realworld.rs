//! The real-world corpus: third-party Terraform plans and CloudFormation templates (see
//! `fixtures/realworld/SOURCES.md` for each file's origin and licence). Every file must load,
//! none may fail, each declares the targets listed, and the `unknown` findings stay within the
//! figure listed.
//!
//! The corpus is not kept in the repository: `EFS_PREFLIGHT_REALWORLD=DIR` points at it
//! (`DIR/terraform/..`, `DIR/cloudformation/..`), else `../shared/realworld` beside the checkout
//! is used when it exists; without either the test says it skipped.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

#[derive(Debug, Clone, Copy)]
enum Kind {
    Plan,
    Template,
}

/// (kind, file, targets, unknown findings at most)
const CORPUS: &[(Kind, &str, u64, u64)] = &[
    (
        Kind::Plan,
        "checkov--tests_common_runner_registry_plan_with_for_each_for_enrichment_tf_plan.json",
        0,
        0,
    ),
    (
        Kind::Plan,
        "checkov--tests_terraform_checks_data_aws_example_GithubActionsOIDCTrustPolicy_tfplan.json",
        0,
        0,
    ),
    (
        Kind::Plan,
        "checkov--tests_terraform_image_referencer_resources_aws_ecs_tfplan.json",
        1,
        0,
    ),
    (
        Kind::Plan,
        "checkov--tests_terraform_parser_resources_plan_encodings_tfplan_mac_utf8.json",
        0,
        0,
    ),
    (
        Kind::Plan,
        "checkov--tests_terraform_parser_resources_plan_encodings_tfplan_win_utf16.json",
        0,
        0,
    ),
    (
        Kind::Plan,
        "checkov--tests_terraform_parser_resources_plan_encodings_tfplan_win_utf8.json",
        0,
        0,
    ),
    (
        Kind::Plan,
        "checkov--tests_terraform_runner_resources_plan_change_keys_tfplan.json",
        0,
        0,
    ),
    (
        Kind::Plan,
        "checkov--tests_terraform_runner_resources_plan_nested_child_modules_tfplan.json",
        0,
        0,
    ),
    (
        Kind::Plan,
        "checkov--tests_terraform_runner_resources_plan_tfplan.json",
        0,
        0,
    ),
    (
        Kind::Plan,
        "checkov--tests_terraform_runner_resources_plan_with_deleted_resources_tfplan.json",
        0,
        0,
    ),
    (
        Kind::Plan,
        "checkov--tests_terraform_runner_resources_plan_with_iam_policies_tfplan.json",
        0,
        0,
    ),
    (
        Kind::Plan,
        "checkov--tests_terraform_runner_resources_plan_with_providers_tfplan.json",
        0,
        0,
    ),
    (
        Kind::Plan,
        "checkov--tests_terraform_runner_resources_plan_with_resource_reference_tfplan_graph.json",
        0,
        0,
    ),
    (
        Kind::Plan,
        "checkov--tests_terraform_runner_resources_plan_with_utf_16_encoding_tfplan.json",
        0,
        0,
    ),
    (
        Kind::Plan,
        "tfcompliance--test-it_must_not_be_in-pass.json",
        0,
        0,
    ),
    (
        Kind::Plan,
        "tfcompliance--test_count_does_not_work_for_resources.json",
        0,
        0,
    ),
    (Kind::Plan, "tfcompliance--test_issue-158.json", 0, 0),
    (Kind::Plan, "tfcompliance--test_issue-171.json", 0, 0),
    (
        Kind::Plan,
        "tfcompliance--test_issue-171.utf16le.json",
        0,
        0,
    ),
    (
        Kind::Plan,
        "tfcompliance--test_issue-181_sg_with_comma_separated.json",
        0,
        0,
    ),
    (Kind::Plan, "tfcompliance--test_issue-514.json", 0, 0),
    (Kind::Plan, "tfcompliance--test_issue-554.json", 0, 0),
    (Kind::Plan, "tfcompliance--test_issue_400.json", 0, 0),
    (Kind::Plan, "tfcompliance--test_issue_522.json", 0, 0),
    (Kind::Plan, "tfcompliance--test_issue_796.json", 0, 0),
    (Kind::Plan, "tfcompliance--test_pull_330.json", 0, 0),
    (Kind::Plan, "tfcompliance--test_regex_on_when.json", 0, 0),
    (
        Kind::Template,
        "acft-ECS-EC2LaunchType-services-private-service.yaml",
        1,
        0,
    ),
    (Kind::Template, "acft-ECS-ECS_Schedule_Example.yaml", 1, 0),
    (
        Kind::Template,
        "acft-ECS-FargateLaunchType-clusters-private-vpc.yaml",
        0,
        0,
    ),
    (
        Kind::Template,
        "acft-ECS-FargateLaunchType-clusters-public-vpc.json",
        0,
        0,
    ),
    (
        Kind::Template,
        "acft-ECS-FargateLaunchType-services-private-subnet-private-service.yaml",
        1,
        0,
    ),
    (
        Kind::Template,
        "acft-ECS-FargateLaunchType-services-public-service.json",
        1,
        0,
    ),
    (Kind::Template, "acft-EFS-EFSAccessPoint.yaml", 0, 0),
    (
        Kind::Template,
        "acft-EFS-efs_with_automount_to_ec2.json",
        0,
        0,
    ),
    (Kind::Template, "acft-VPC-FindInMapAZs.yaml", 0, 0),
    (
        Kind::Template,
        "acft-VPC-VPC_With_Managed_NAT_And_Private_Subnet.yaml",
        0,
        0,
    ),
    (
        Kind::Template,
        "copilot-http-full-config-template.yml",
        1,
        0,
    ),
    (Kind::Template, "copilot-job-test.stack.yml", 1, 22),
    (Kind::Template, "copilot-lb-web-svc.yaml", 1, 0),
    (Kind::Template, "copilot-simple-template.yml", 1, 0),
    (Kind::Template, "copilot-svc-grpc-test.stack.yml", 1, 0),
    (Kind::Template, "copilot-svc-nlb-test.stack.yml", 1, 0),
    (Kind::Template, "copilot-svc-prod.stack.yml", 1, 0),
    (Kind::Template, "copilot-svc-test.stack.yml", 1, 0),
    (
        Kind::Template,
        "copilot-template-with-basic-manifest.yml",
        0,
        0,
    ),
    (
        Kind::Template,
        "copilot-template-with-custom-security-group.yml",
        0,
        0,
    ),
    (
        Kind::Template,
        "copilot-template-with-importedvpc-flowlogs.yml",
        0,
        0,
    ),
    (Kind::Template, "copilot-windows-svc-test.stack.yml", 1, 0),
    (Kind::Template, "copilot-worker-test.stack.yml", 1, 35),
];

fn corpus_dir() -> Option<PathBuf> {
    std::env::var_os("EFS_PREFLIGHT_REALWORLD")
        .map(PathBuf::from)
        .or_else(|| {
            let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/realworld");
            shared.is_dir().then_some(shared)
        })
}

fn check(kind: Kind, path: &Path) -> (i32, Value, String) {
    let flag = match kind {
        Kind::Plan => "--terraform-plan",
        Kind::Template => "--cloudformation",
    };
    let base = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/realworld/base.json");
    let out = Command::new(env!("CARGO_BIN_EXE_efs-preflight"))
        .arg("check")
        .arg(flag)
        .arg(path)
        .arg("--snapshot")
        .arg(&base)
        .args(["--format", "json"])
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .output()
        .expect("the binary runs");
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let report = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (out.status.code().unwrap_or(-1), report, stderr)
}

#[test]
fn corpus_is_large_enough() {
    let plans = CORPUS
        .iter()
        .filter(|(k, ..)| matches!(k, Kind::Plan))
        .count();
    let templates = CORPUS.len() - plans;
    assert!(plans >= 20, "{plans} plans");
    assert!(templates >= 15, "{templates} templates");
}

#[test]
fn every_real_input_loads_without_a_false_failure() {
    let Some(dir) = corpus_dir() else {
        eprintln!(
            "skipped: EFS_PREFLIGHT_REALWORLD is not set (see fixtures/realworld/SOURCES.md)"
        );
        return;
    };
    let mut problems = Vec::new();
    for (kind, file, targets, max_unknown) in CORPUS {
        let sub = match kind {
            Kind::Plan => "terraform",
            Kind::Template => "cloudformation",
        };
        let path = dir.join(sub).join(file);
        assert!(
            path.exists(),
            "{} is missing from the corpus",
            path.display()
        );
        let (code, report, stderr) = check(*kind, &path);
        let summary = &report["summary"];
        let got = |k: &str| summary[k].as_u64().unwrap_or(u64::MAX);
        if code != 0 {
            problems.push(format!("{file}: exit {code}: {stderr}"));
        } else if got("fail") != 0 {
            problems.push(format!("{file}: {} failures", got("fail")));
        } else if got("targets") != *targets {
            problems.push(format!(
                "{file}: {} targets, expected {targets}",
                got("targets")
            ));
        } else if got("unknown") > *max_unknown {
            problems.push(format!(
                "{file}: {} unknown, at most {max_unknown} expected",
                got("unknown")
            ));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}
