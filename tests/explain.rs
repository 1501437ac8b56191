//! `explain` on real error texts, as users paste them (from the public reports catalogued for
//! each rule page), not on the pattern strings themselves.

use assert_cmd::Command;
use serde_json::Value;

fn explain_json(text: &str) -> Value {
    let out = Command::cargo_bin("efs-preflight")
        .expect("binary is built")
        .args(["explain", "--format", "json", text])
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

fn ranked(text: &str) -> Vec<String> {
    explain_json(text)["candidates"]
        .as_array()
        .expect("candidates")
        .iter()
        .map(|c| c["rule"].as_str().unwrap_or_default().to_owned())
        .collect()
}

/// (real text, the rule that must rank first, rules that must also be candidates)
const CASES: &[(&str, &str, &[&str])] = &[
    // Failed to resolve: no mount target reachable by DNS in the task's AZ (copilot-cli#5419).
    (
        "ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: Failed to resolve \"fs-06642d00e4ec726.efs.ap-northeast-1.amazonaws.com\" - check that your file system ID is correct, and ensure that the VPC has an EFS mount target for this file system ID. See https://docs.aws.amazon.com/console/efs/mount-dns-name for more detail. Attempting to lookup mount target ip address using botocore. Failed to import necessary dependency botocore, please install botocore first. : unsuccessful EFS utils command execution; code: 1",
        "NET001",
        &["NET004", "DNS001", "DNS002", "DNS003", "NET003", "NET002", "EFS001"],
    ),
    // The pre-2021 efs-utils wording.
    (
        "ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: Failed to resolve \"fs-12345678.efs.us-east-1.amazonaws.com\" - check that your file system ID is correct.",
        "NET001",
        &["DNS001", "EFS001"],
    ),
    // The AZ-specific name points at the mount target of one AZ: One Zone first.
    (
        "mount.nfs4: Failed to resolve server us-east-1b.fs-0123456789abcdef0.efs.us-east-1.amazonaws.com: Name or service not known",
        "NET004",
        &["NET001"],
    ),
    // No file-system id at all: the task definition.
    (
        "ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: Failed to resolve \"--\" - check that your file system ID is correct.",
        "EFS001",
        &[],
    ),
    // The mount helper's TLS tunnel did not come up.
    (
        "ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: Failed to initialize TLS tunnel for fs-0123456789abcdef0 : unsuccessful EFS utils command execution; code: 1",
        "NET005",
        &["NET006", "NET002"],
    ),
    // The mount helper's local proxy could not reach the mount target and dropped the connection
    // of mount.nfs4, which failed with EIO (aws-efs-csi-driver#637).
    (
        "Output: Could not start amazon-efs-mount-watchdog, unrecognized init system \"aws-efs-csi-dri\"\nb'mount.nfs4: mount system call failed'",
        "NET005",
        &["NET006", "NET002", "NET007"],
    ),
    // Anonymous client denied by a file-system policy, no TLS (aws-cdk-examples#920).
    (
        "ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: b'mount.nfs4: access denied by server while mounting fs-065b374f6a1a6b4c8.efs.us-east-1.amazonaws.com:/' : unsuccessful EFS utils command execution; code: 32",
        "IAM001",
        &["IAM003"],
    ),
    // Denied through the local TLS tunnel (task role or policy principal wrong).
    (
        "ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: b'mount.nfs4: access denied by server while mounting 127.0.0.1:/' : unsuccessful EFS utils command execution; code: 32",
        "IAM001",
        &["IAM002", "ECS007"],
    ),
    // rootDirectory that does not exist (acp-io/terraform-grafana#4).
    (
        "ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: b'mount.nfs4: mounting fs-0a1b2c3d.efs.eu-west-1.amazonaws.com:/grafana failed, reason given by server: No such file or directory' : unsuccessful EFS utils command execution; code: 32",
        "EFS007",
        &[],
    ),
    // The 2020 wording (cn-terraform/terraform-aws-jenkins#1).
    (
        "failed to invoke EFS utils commands to set up EFS volumes: stderr: mount.nfs4: mounting fs-0124b682.efs.us-east-1.amazonaws.com:/var/jenkins_home failed, reason given by server: No such file or directory",
        "EFS007",
        &[],
    ),
    // Security group or NACL drops: timeouts.
    (
        "ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: Mount attempt 1/3 failed due to timeout after 15 sec, wait 0 sec before next attempt. Mount attempt 2/3 failed due to timeout after 15 sec, wait 0 sec before next attempt. b'mount.nfs4: Connection timed out' : unsuccessful EFS utils command execution; code: 32",
        "NET005",
        &["NET006", "NET007"],
    ),
    // Resets: AWS documents a security group that does not admit the client (and an AZ without a
    // mount target) as the causes; a mount target still being created is the reported race
    // (docker-archive/compose-cli#1490). EC2 volume plugin form from efs-utils#32.
    (
        "ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: stderr: b'mount.nfs4: Connection reset by peer' : unsuccessful EFS utils command execution; code: 32",
        "NET005",
        &["NET002", "NET006"],
    ),
    (
        "Error response from daemon: create xxxxxxxxxxx: VolumeDriver.Create: mounting volume failed: Mount attempt 1/3 failed due to b'mount.nfs4: Connection reset by peer\\n', wait 1 sec before next attempt. Mount attempt 2/3 failed due to b'mount.nfs4: Connection reset by peer\\n', wait 1 sec before next attempt. b'mount.nfs4: Connection reset by peer'",
        "NET005",
        &["NET002"],
    ),
    // Platform version without EFS support (CircleCI-Public/aws-ecs-orb#121, jenkinsci/amazon-ecs-plugin#181).
    (
        "An error occurred (PlatformTaskDefinitionIncompatibilityException) when calling the RunTask operation: One or more of the requested capabilities are not supported.",
        "ECS001",
        &["ECS002"],
    ),
    (
        "The specified platform does not satisfy the task definition’s required capabilities. (Service: AmazonECS; Status Code: 400; Error Code: PlatformTaskDefinitionIncompatibilityException;",
        "ECS001",
        &[],
    ),
    // Register-time rejections.
    (
        "Invalid request provided: Create TaskDefinition: When using an EFS access point, the root directory must either be set to \"/\" or be omi",
        "ECS005",
        &[],
    ),
    (
        "Resource handler returned message: \"Invalid request provided: Create TaskDefinition: EFS IAM authorization requires TransitEncryption to be enabled.\"",
        "ECS003",
        &[],
    ),
    (
        "Invalid request provided: Create TaskDefinition: TransitEncryptionPort requires that TransitEncryption is enabled.",
        "ECS006",
        &[],
    ),
    (
        "(ClientException) when calling the RegisterJobDefinition operation: Error executing request, Exception : EFS IAM access point requires TransitEncryption to be enabled., RequestId: 1234",
        "ECS004",
        &[],
    ),
    // Role trust (aws-modern-application-workshop#149).
    (
        "service MythicalMysfits-Service failed to launch a task with (error ECS was unable to assume the role 'arn:aws:iam::123456789012:role/MythicalTaskRole' that was provided for this task. Please verify that the role being passed has the proper trust relationship and permissions and that your IAM user has permissions to pass this role.).",
        "IAM006",
        &["IAM007"],
    ),
    // A volume mounted over the directory of the entry point (amazon-ecs-agent#2954, cut off).
    (
        "CannotStartContainerError: ResourceInitializationError: failed to create new container runtime task: OCI runtime create failed: container_linux.go:370: starting container process caused: exec: \"/opt/sonarqube/bin/run.sh\": stat /opt/sonarqube/bin/run.sh...no such file or direct...",
        "ECS009",
        &[],
    ),
];

#[test]
fn real_texts_rank_the_right_rule_first() {
    let mut problems = Vec::new();
    for (text, first, also) in CASES {
        let got = ranked(text);
        if got.first().map(String::as_str) != Some(*first) {
            problems.push(format!("expected {first} first, got {got:?} for: {text}"));
        }
        for rule in *also {
            if !got.iter().any(|g| g == rule) {
                problems.push(format!("expected {rule} among {got:?} for: {text}"));
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn json_shape_and_matched_pattern() {
    let v = explain_json(CASES[0].0);
    assert_eq!(v["schema"], 1);
    assert!(v["matched"].is_string());
    let c = &v["candidates"][0];
    assert_eq!(c["rule"], "NET001");
    assert_eq!(c["name"], "mount-target-missing-in-az");
    assert!(c["why"].as_str().is_some_and(|w| !w.is_empty()));
}

#[test]
fn unrelated_text_has_no_candidates_and_exits_0() {
    let out = Command::cargo_bin("efs-preflight")
        .unwrap()
        .args([
            "explain",
            "--format",
            "json",
            "CannotPullContainerError: pull image manifest has been retried 5 time(s)",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["candidates"], serde_json::json!([]));
    assert!(!out.stderr.is_empty(), "a hint goes to stderr");
}

#[test]
fn reads_stdin_and_prints_a_table() {
    let out = Command::cargo_bin("efs-preflight")
        .unwrap()
        .args(["explain", "--cluster", "prod", "--service", "web", "-"])
        .write_stdin(CASES[0].0)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.contains("NET001"), "{text}");
    assert!(
        text.contains("efs-preflight check --cluster prod --service web --rule NET001"),
        "{text}"
    );
}

#[test]
fn empty_text_is_a_usage_error() {
    Command::cargo_bin("efs-preflight")
        .unwrap()
        .args(["explain", "  "])
        .assert()
        .code(2);
}
