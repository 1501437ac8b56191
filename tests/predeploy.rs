//! Pre-deploy: `check --task-definition FILE` before the task definition is registered, placed by
//! flags or by an existing service, against the demo estate.

use std::path::PathBuf;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn path(rel: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join(rel)
        .display()
        .to_string()
}

const SNAP: &str = "fixtures/scenarios/demo.json";
const TD: &str = "fixtures/predeploy/web-task-definition.json";
const AZ_A: &str = "subnet-0aa1111111111111a";
const AZ_B: &str = "subnet-0bb2222222222222b";
const AZ_C_NO_MOUNT_TARGET: &str = "subnet-0cc3333333333333c";
const WEB_SG: &str = "sg-0web000000000001";

fn run(args: &[&str]) -> (Value, i32) {
    let out = Command::cargo_bin("efs-preflight")
        .unwrap()
        .arg("check")
        .args(["--snapshot", &path(SNAP), "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let code = out.status.code().unwrap_or(-1);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|_| {
        panic!(
            "not JSON (exit {code}): {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (v, code)
}

fn fails(v: &Value) -> Vec<String> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "fail")
        .map(|f| {
            format!(
                "{} {}",
                f["rule"].as_str().unwrap(),
                f["resource"].as_str().unwrap_or("-")
            )
        })
        .collect()
}

#[test]
fn healthy_task_definition_passes() {
    let subnets = format!("{AZ_A},{AZ_B}");
    let (v, code) = run(&[
        "--task-definition",
        &path(TD),
        "--subnets",
        &subnets,
        "--security-groups",
        WEB_SG,
    ]);
    assert_eq!(code, 0, "{:?}", fails(&v));
    assert_eq!(v["summary"]["targets"], 1);
    let target = &v["findings"][0]["target"];
    assert_eq!(target["kind"], "task-definition");
    assert_eq!(target["name"], "web-next");
    assert!(target["cluster"].is_null());
    assert!(v["summary"]["pass"].as_u64().unwrap() > 20);
}

#[test]
fn describe_task_definition_output_is_accepted() {
    let subnets = format!("{AZ_A},{AZ_B}");
    let (v, code) = run(&[
        "--task-definition",
        &path("fixtures/predeploy/web-describe-output.json"),
        "--subnets",
        &subnets,
        "--security-groups",
        WEB_SG,
    ]);
    assert_eq!(code, 0, "{:?}", fails(&v));
}

#[test]
fn subnet_in_an_az_without_mount_target_fails_net001() {
    let subnets = format!("{AZ_A},{AZ_C_NO_MOUNT_TARGET}");
    let (v, code) = run(&[
        "--task-definition",
        &path(TD),
        "--subnets",
        &subnets,
        "--security-groups",
        WEB_SG,
    ]);
    assert_eq!(code, 1);
    assert_eq!(fails(&v), vec![format!("NET001 {AZ_C_NO_MOUNT_TARGET}")]);
}

#[test]
fn platform_1_3_0_fails_ecs001() {
    let subnets = format!("{AZ_A},{AZ_B}");
    let (v, code) = run(&[
        "--task-definition",
        &path(TD),
        "--subnets",
        &subnets,
        "--security-groups",
        WEB_SG,
        "--platform-version",
        "1.3.0",
    ]);
    assert_eq!(code, 1);
    assert_eq!(fails(&v).len(), 1, "{:?}", fails(&v));
    assert!(fails(&v)[0].starts_with("ECS001"));
    let fix = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "ECS001")
        .unwrap()["fix"]
        .as_str()
        .unwrap()
        .to_owned();
    assert!(fix.contains("1.4.0"), "{fix}");
}

#[test]
fn no_security_groups_checks_the_vpc_default_group() {
    // The default group of the VPC is not allowed by the mount targets' group.
    let subnets = format!("{AZ_A},{AZ_B}");
    let (v, code) = run(&["--task-definition", &path(TD), "--subnets", &subnets]);
    assert_eq!(code, 1);
    let net005: Vec<&Value> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "NET005" && f["status"] == "fail")
        .collect();
    assert_eq!(net005.len(), 2, "one per AZ: {:?}", fails(&v));
    assert!(
        net005[0]["message"]
            .as_str()
            .unwrap()
            .contains("sg-0def00000000000p"),
        "{}",
        net005[0]["message"]
    );
    assert!(net005[0]["fix"]
        .as_str()
        .unwrap()
        .contains("GroupId=sg-0def00000000000p"));
}

#[test]
fn service_update_form_uses_the_service_network() {
    // worker runs in three subnets, one in an AZ without a mount target; web in two good ones.
    let (v, code) = run(&[
        "--task-definition",
        &path(TD),
        "--cluster",
        "prod",
        "--service",
        "worker",
    ]);
    assert_eq!(code, 1);
    assert!(
        fails(&v).contains(&format!("NET001 {AZ_C_NO_MOUNT_TARGET}")),
        "{:?}",
        fails(&v)
    );
    assert_eq!(v["findings"][0]["target"]["cluster"], "prod");
    assert_eq!(v["findings"][0]["target"]["kind"], "task-definition");
    let (v, code) = run(&[
        "--task-definition",
        &path(TD),
        "--cluster",
        "prod",
        "--service",
        "web",
    ]);
    assert_eq!(code, 0, "{:?}", fails(&v));
}

#[test]
fn service_update_form_resolves_the_platform_version_again() {
    // reports' PRIMARY deployment still runs 1.3.0 but the service asks for LATEST: a new
    // deployment with this task definition gets 1.4.0.
    let (v, code) = run(&[
        "--task-definition",
        &path(TD),
        "--cluster",
        "prod",
        "--service",
        "reports",
    ]);
    assert!(
        !fails(&v).iter().any(|f| f.starts_with("ECS001")),
        "{:?}",
        fails(&v)
    );
    assert!(code == 0 || code == 1);
}

#[test]
fn register_time_rules_fire_before_the_network() {
    let (v, code) = run(&[
        "--task-definition",
        &path("fixtures/predeploy/iam-without-tls.json"),
    ]);
    assert_eq!(code, 1);
    assert!(
        fails(&v).iter().any(|f| f.starts_with("ECS003")),
        "{:?}",
        fails(&v)
    );
    // No --subnets: the network rules say unknown, never pass.
    let net001 = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "NET001")
        .unwrap();
    assert_eq!(net001["status"], "unknown");
    assert!(net001["message"].as_str().unwrap().contains("--subnets"));
}

#[test]
fn malformed_task_definitions_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let cases = [
        ("notjson.json", "{\"family\": \"x\",", "unexpected end of file"),
        ("nofamily.json", "{\"containerDefinitions\": [{\"name\": \"a\"}]}", "`family` is required"),
        (
            "badenum.json",
            "{\"family\":\"x\",\"containerDefinitions\":[{\"name\":\"a\"}],\"volumes\":[{\"name\":\"d\",\"efsVolumeConfiguration\":{\"fileSystemId\":\"fs-1\",\"transitEncryption\":\"yes\"}}]}",
            "expected \"ENABLED\" or \"DISABLED\"",
        ),
        (
            "nofs.json",
            "{\"family\":\"x\",\"containerDefinitions\":[{\"name\":\"a\"}],\"volumes\":[{\"name\":\"d\",\"efsVolumeConfiguration\":{}}]}",
            "fileSystemId is required",
        ),
        ("wrongtype.json", "{\"family\": [1]}", "wrongtype.json:1:"),
        ("array.json", "[]", "expected a JSON object"),
    ];
    for (name, text, expect) in cases {
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        Command::cargo_bin("efs-preflight")
            .unwrap()
            .args([
                "check",
                "--snapshot",
                &path(SNAP),
                "--task-definition",
                p.to_str().unwrap(),
            ])
            .assert()
            .code(2)
            .stderr(predicate::str::contains(expect))
            .stderr(predicate::str::contains("panicked").not());
    }
    // Placement flags without a task definition are a usage error.
    Command::cargo_bin("efs-preflight")
        .unwrap()
        .args(["check", "--snapshot", &path(SNAP), "--subnets", AZ_A])
        .assert()
        .code(2);
}

#[test]
fn every_format_works_for_a_task_definition() {
    let subnets = format!("{AZ_A},{AZ_C_NO_MOUNT_TARGET}");
    for format in ["table", "markdown", "sarif", "junit"] {
        Command::cargo_bin("efs-preflight")
            .unwrap()
            .args([
                "check",
                "--snapshot",
                &path(SNAP),
                "--task-definition",
                &path(TD),
                "--subnets",
                &subnets,
                "--security-groups",
                WEB_SG,
                "--format",
                format,
            ])
            .assert()
            .code(1)
            .stdout(predicate::str::contains("NET001"));
    }
}

#[test]
fn a_task_vpc_whose_zones_and_rules_were_not_read_is_unknown_for_dns004_dns005() {
    // The demo snapshot with its DNS lists read for one VPC only (`VpcsRead`).
    let dir = tempfile::tempdir().unwrap();
    let mut d: Value = serde_json::from_str(&std::fs::read_to_string(path(SNAP)).unwrap()).unwrap();
    let statuses = |d: &Value| {
        let snap = dir.path().join("snap.json");
        std::fs::write(&snap, d.to_string()).unwrap();
        let subnets = format!("{AZ_A},{AZ_B}");
        let out = Command::cargo_bin("efs-preflight")
            .unwrap()
            .args(["check", "--format", "json", "--snapshot"])
            .arg(&snap)
            .args(["--task-definition", &path(TD), "--subnets", &subnets])
            .args(["--security-groups", WEB_SG])
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        let mut got: Vec<(String, String, String)> = v["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == "DNS004" || f["rule"] == "DNS005")
            .map(|f| {
                let s = |k: &str| f[k].as_str().unwrap_or("").to_owned();
                (s("rule"), s("status"), s("message"))
            })
            .collect();
        got.sort();
        got
    };
    // The task subnets are in vpc-0a11b22c33d44e55f; only the other VPC was read.
    d["route53"]["VpcsRead"] = serde_json::json!(["vpc-0f66e77d88c99b00a"]);
    d["route53resolver"]["VpcsRead"] = serde_json::json!(["vpc-0f66e77d88c99b00a"]);
    let got = statuses(&d);
    assert_eq!(got.len(), 2, "{got:?}");
    for (rule, status, message) in &got {
        assert_eq!(status, "unknown", "{rule}: {message}");
        assert_eq!(message, "Cannot decide: the private hosted zones of vpc-0a11b22c33d44e55f were not read: the snapshot read them for vpc-0f66e77d88c99b00a.");
    }
    // Zones read for the task VPC, rule associations not.
    d["route53"]["VpcsRead"] = serde_json::json!(["vpc-0a11b22c33d44e55f"]);
    for (rule, status, message) in &statuses(&d) {
        assert_eq!(status, "unknown", "{rule}: {message}");
        assert!(
            message
                .contains("the Resolver rule associations of vpc-0a11b22c33d44e55f were not read"),
            "{message}"
        );
    }
    // Both read for the task VPC: the empty lists decide.
    d["route53resolver"]["VpcsRead"] =
        serde_json::json!(["vpc-0a11b22c33d44e55f", "vpc-0f66e77d88c99b00a"]);
    for (rule, status, message) in &statuses(&d) {
        assert_eq!(status, "pass", "{rule}: {message}");
    }
}
