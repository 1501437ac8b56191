//! Inputs as others write them: unresolved values compared as expressions, Terraform plan
//! formats 0.x and 1.x, blue/green task sets, inline policies resolved per statement, role
//! names known only at deployment, `Fn::Cidr`, and files saved with a byte-order mark or as
//! UTF-16.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use efs_preflight::iac;
use efs_preflight::snapshot::{self, Snapshot};
use serde_json::{json, Value};

fn fixture(rel: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/iac")
        .join(rel)
        .display()
        .to_string()
}

fn base() -> Snapshot {
    snapshot::load(Path::new(&fixture("base.json"))).expect("base snapshot loads")
}

fn write(dir: &tempfile::TempDir, name: &str, bytes: &[u8]) -> PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, bytes).expect("temp file");
    p
}

/// `check ARGS --snapshot base.json --format json`: the report and the exit code.
fn run(args: &[&str]) -> (Value, i32, String) {
    let out = Command::cargo_bin("efs-preflight")
        .expect("binary")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .arg("check")
        .args(args)
        .args(["--snapshot", &fixture("base.json"), "--format", "json"])
        .output()
        .expect("runs");
    let report = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (
        report,
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn statuses(report: &Value, rule: &str) -> Vec<String> {
    report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["rule"] == rule)
        .map(|f| f["status"].as_str().unwrap_or("").to_owned())
        .collect()
}

/// A task definition whose EFS volume names its file system and access point by `fs_volume`,
/// and an access point on the file system `fs_ap`.
fn template(fs_volume: &Value, fs_ap: &Value) -> String {
    json!({
        "Resources": {
            "Env": {"Type": "Custom::EnvController", "Properties": {"ServiceToken": "arn:aws:lambda:us-east-1:123456789012:function:f"}},
            "AccessPoint": {"Type": "AWS::EFS::AccessPoint", "Properties": {"FileSystemId": fs_ap}},
            "TaskDefinition": {"Type": "AWS::ECS::TaskDefinition", "Properties": {
                "RequiresCompatibilities": ["FARGATE"], "NetworkMode": "awsvpc",
                "ContainerDefinitions": [{"Name": "app", "Image": "app",
                    "MountPoints": [{"SourceVolume": "data", "ContainerPath": "/data"}]}],
                "Volumes": [{"Name": "data", "EFSVolumeConfiguration": {
                    "FilesystemId": fs_volume, "TransitEncryption": "ENABLED",
                    "AuthorizationConfig": {"AccessPointId": {"Ref": "AccessPoint"}}}}]
            }}
        }
    })
    .to_string()
}

#[test]
fn equal_unresolved_expressions_are_equal_and_others_unknown() {
    let dir = tempfile::tempdir().expect("tempdir");
    let managed = json!({"Fn::GetAtt": ["Env", "ManagedFileSystemID"]});
    let same = write(&dir, "same.json", template(&managed, &managed).as_bytes());
    let (v, code, err) = run(&["--cloudformation", same.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(statuses(&v, "EFS004"), ["pass"]);
    // Another stack's export against the custom resource's attribute: nobody can tell.
    let imported = json!({"Fn::ImportValue": "shared-fs"});
    let other = write(&dir, "other.json", template(&imported, &managed).as_bytes());
    let (v, code, err) = run(&["--cloudformation", other.to_str().expect("utf-8")]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(statuses(&v, "EFS004"), ["unknown"]);
}

#[test]
fn plans_of_every_0x_and_1x_format_load_and_others_are_refused() {
    let text = std::fs::read_to_string(fixture("terraform/plan.json")).expect("plan");
    let (reference, code, _) = run(&["--terraform-plan", &fixture("terraform/plan.json")]);
    assert_eq!(code, 0);
    let dir = tempfile::tempdir().expect("tempdir");
    for version in ["0.1", "0.2", "1.0", "1.9"] {
        let mut plan: Value = serde_json::from_str(&text).expect("json");
        plan["format_version"] = json!(version);
        let path = write(&dir, "plan.json", plan.to_string().as_bytes());
        let (v, code, err) = run(&["--terraform-plan", path.to_str().expect("utf-8")]);
        assert_eq!(code, 0, "{version}: {err}");
        assert_eq!(v["summary"], reference["summary"], "{version}");
    }
    let mut plan: Value = serde_json::from_str(&text).expect("json");
    plan["format_version"] = json!("3.0");
    let path = write(&dir, "plan.json", plan.to_string().as_bytes());
    let (_, code, err) = run(&["--terraform-plan", path.to_str().expect("utf-8")]);
    assert_eq!(code, 2);
    assert!(err.contains("`format_version` is \"3.0\""), "{err}");
    assert!(err.contains("format 1.x and its predecessor 0.x"), "{err}");
}

#[test]
fn a_cloudformation_task_set_carries_what_the_external_service_leaves_out() {
    let t = json!({"Resources": {
        "TaskDef": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"RequiresCompatibilities": ["FARGATE"]}},
        "Service": {"Type": "AWS::ECS::Service", "Properties": {
            "Cluster": "app", "DeploymentController": {"Type": "EXTERNAL"}}},
        "TaskSet": {"Type": "AWS::ECS::TaskSet", "Properties": {
            "Cluster": "app", "Service": {"Ref": "Service"}, "TaskDefinition": {"Ref": "TaskDef"},
            "LaunchType": "FARGATE", "PlatformVersion": "1.4.0",
            "NetworkConfiguration": {"AwsVpcConfiguration": {
                "Subnets": ["subnet-0a1a1a1a1a1a1a1a1"], "SecurityGroups": ["sg-0d4d4d4d4d4d4d4d4"]}}}},
        "Orphan": {"Type": "AWS::ECS::TaskSet", "Properties": {
            "Cluster": "app", "Service": "existing-service", "TaskDefinition": {"Ref": "TaskDef"}}}
    }});
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(&dir, "bluegreen.json", t.to_string().as_bytes());
    let input = iac::load_cloudformation(&path, &[], &base()).expect("loads");
    let svc = &input.overlay.services[0];
    assert_eq!(svc.service_name, "Service");
    assert_eq!(svc.task_definition.as_deref(), Some("TaskDef"));
    assert_eq!(svc.platform_version.as_deref(), Some("1.4.0"));
    let net = svc
        .network_configuration
        .as_ref()
        .and_then(|n| n.awsvpc_configuration.as_ref())
        .expect("network configuration");
    assert_eq!(net.subnets, ["subnet-0a1a1a1a1a1a1a1a1"]);
    // A task set of a service outside the template is a target of its own.
    assert_eq!(input.targets.len(), 2);
    assert_eq!(input.overlay.services[1].service_name, "Orphan");
}

#[test]
fn a_terraform_task_set_carries_what_the_external_service_leaves_out() {
    let plan = json!({
        "format_version": "1.2", "terraform_version": "1.9.8",
        "planned_values": {"root_module": {"resources": [
            {"address": "aws_ecs_service.app", "mode": "managed", "type": "aws_ecs_service", "name": "app",
             "values": {"name": "app", "cluster": "arn:aws:ecs:us-east-1:123456789012:cluster/app",
                        "deployment_controller": [{"type": "EXTERNAL"}]}},
            {"address": "aws_ecs_task_set.blue", "mode": "managed", "type": "aws_ecs_task_set", "name": "blue",
             "values": {"service": "app", "cluster": "arn:aws:ecs:us-east-1:123456789012:cluster/app",
                        "task_definition": "arn:aws:ecs:us-east-1:123456789012:task-definition/web:3",
                        "launch_type": "FARGATE", "platform_version": "1.4.0",
                        "network_configuration": [{"subnets": ["subnet-0a1a1a1a1a1a1a1a1"],
                                                   "security_groups": ["sg-0d4d4d4d4d4d4d4d4"],
                                                   "assign_public_ip": false}]}}
        ]}},
        "resource_changes": []
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(&dir, "plan.json", plan.to_string().as_bytes());
    let input = iac::load_terraform(&path, &base()).expect("loads");
    assert_eq!(input.targets.len(), 1);
    let svc = &input.overlay.services[0];
    assert_eq!(
        svc.task_definition.as_deref(),
        Some("arn:aws:ecs:us-east-1:123456789012:task-definition/web:3")
    );
    assert_eq!(svc.platform_version.as_deref(), Some("1.4.0"));
    assert!(svc.network_configuration.is_some());
}

#[test]
fn inline_policies_resolve_per_statement_and_sub_role_names_keep_the_link() {
    let t = r#"
Resources:
  Topic:
    Type: AWS::SNS::Topic
  TaskRole:
    Type: AWS::IAM::Role
    Properties:
      RoleName: !Sub "${AWS::StackName}-task"
      AssumeRolePolicyDocument:
        Statement:
          - Effect: Allow
            Principal: {Service: ecs-tasks.amazonaws.com}
            Action: sts:AssumeRole
      Policies:
        - PolicyName: app
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: sns:Publish
                Resource: !Ref Topic
              - Effect: Allow
                Action: [elasticfilesystem:ClientMount, elasticfilesystem:ClientWrite]
                Resource: "*"
        - PolicyName: unknowable
          PolicyDocument:
            Statement:
              - Effect: Allow
                Action: sns:Publish
                Resource: !ImportValue other-topic
  TaskDefinition:
    Type: AWS::ECS::TaskDefinition
    Properties:
      TaskRoleArn: !GetAtt TaskRole.Arn
"#;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(&dir, "role.yaml", t.as_bytes());
    let input = iac::load_cloudformation(&path, &[], &base()).expect("loads");
    let role = input
        .overlay
        .roles
        .iter()
        .find(|r| r.role_name == "TaskRole")
        .expect("the role is kept");
    assert!(role.assume_role_policy_document.is_some());
    let app = &role.role_policy_list[0];
    let text = app.policy_document.to_json_string();
    assert!(
        text.contains("ClientMount") && !text.contains("sns:Publish"),
        "{text}"
    );
    // The task definition's role is the template's role.
    assert_eq!(
        input.overlay.task_definitions[0].task_role_arn.as_deref(),
        Some(role.arn.as_str())
    );
    // A statement that could grant the EFS actions cannot be dropped.
    let t = t.replace(
        "Action: sns:Publish\n                Resource: !Ref Topic",
        "Action: \"elasticfilesystem:*\"\n                Resource: !Ref Topic",
    );
    let path = write(&dir, "role2.yaml", t.as_bytes());
    let input = iac::load_cloudformation(&path, &[], &base()).expect("loads");
    assert!(input
        .overlay
        .roles
        .iter()
        .all(|r| r.role_name != "TaskRole"));
    assert!(input
        .overlay
        .gaps
        .iter()
        .any(|g| g.error.contains("Statement[0]: Ref Topic")));
}

#[test]
fn files_with_a_byte_order_mark_or_in_utf16_load() {
    let dir = tempfile::tempdir().expect("tempdir");
    let plan = std::fs::read(fixture("terraform/plan.json")).expect("plan");
    let (reference, _, _) = run(&["--terraform-plan", &fixture("terraform/plan.json")]);
    let text = String::from_utf8(plan.clone()).expect("utf-8");
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(&plan);
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(
        text.replace('\n', "\r\n")
            .encode_utf16()
            .flat_map(u16::to_le_bytes),
    );
    for (name, bytes) in [("bom.json", bom), ("utf16.json", utf16)] {
        let path = write(&dir, name, &bytes);
        let (v, code, err) = run(&["--terraform-plan", path.to_str().expect("utf-8")]);
        assert_eq!(code, 0, "{name}: {err}");
        assert_eq!(v["summary"], reference["summary"], "{name}");
    }
    // A YAML template and its parameters file, both with a byte-order mark.
    let mut yaml = vec![0xEF, 0xBB, 0xBF];
    yaml.extend(std::fs::read(fixture("cloudformation/app.yaml")).expect("template"));
    let mut params = vec![0xEF, 0xBB, 0xBF];
    params.extend(std::fs::read(fixture("cloudformation/app-params.json")).expect("params"));
    let t = write(&dir, "app.yaml", &yaml);
    let p = write(&dir, "params.json", &params);
    let args = |t: &str, p: &str| {
        [
            "--cloudformation",
            t,
            "--parameters",
            p,
            "--subnets",
            "subnet-0a1a1a1a1a1a1a1a1",
        ]
        .map(str::to_owned)
    };
    let unmarked = args(
        &fixture("cloudformation/app.yaml"),
        &fixture("cloudformation/app-params.json"),
    );
    let (reference, _, _) = run(&unmarked.each_ref().map(String::as_str));
    let marked = args(t.to_str().expect("utf-8"), p.to_str().expect("utf-8"));
    let (v, code, err) = run(&marked.each_ref().map(String::as_str));
    assert_ne!(code, 2, "{err}");
    assert_eq!(v["summary"], reference["summary"]);
    // Windows-1252 text: the message names the encoding and how to re-save.
    let latin = text.replacen("\"web\"", "\"w\u{e9}b\"", 1);
    let bytes: Vec<u8> = latin
        .chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
        .collect();
    let path = write(&dir, "latin1.json", &bytes);
    let (_, code, err) = run(&["--terraform-plan", path.to_str().expect("utf-8")]);
    assert_eq!(code, 2);
    assert!(err.contains("not valid UTF-8: byte 0xE9"), "{err}");
    assert!(err.contains("re-save it as UTF-8"), "{err}");
}

#[test]
fn two_vpc_attribute_entries_for_one_vpc_are_merged() {
    let s = snapshot::from_str(
        r#"{"efs_preflight_snapshot": 1, "ec2": {"VpcAttributes": [
            {"VpcId": "vpc-1", "EnableDnsSupport": {"Value": true}},
            {"VpcId": "vpc-1", "EnableDnsHostnames": {"Value": false}}]}}"#,
        "attrs.json",
    )
    .expect("loads");
    let attrs = s.ec2.vpc_attributes.expect("attributes");
    assert_eq!(attrs.len(), 1);
    assert_eq!(
        attrs[0].enable_dns_support.and_then(|v| v.value),
        Some(true)
    );
    assert_eq!(
        attrs[0].enable_dns_hostnames.and_then(|v| v.value),
        Some(false)
    );
}

#[test]
fn the_readme_lists_exactly_the_supported_resource_types() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README");
    let start = readme.find("<!-- iac-types").expect("start marker");
    let end = readme.find("<!-- /iac-types -->").expect("end marker");
    let section = &readme[start..end];
    let listed: Vec<&str> = section
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|t| t.starts_with("aws_") || t.starts_with("AWS::"))
        .collect();
    let mut supported: Vec<&str> = iac::terraform::supported()
        .chain(iac::cloudformation::supported())
        .collect();
    let mut listed_sorted = listed.clone();
    supported.sort_unstable();
    listed_sorted.sort_unstable();
    assert_eq!(listed_sorted, supported);
}

#[test]
fn a_misspelt_property_is_reported_with_the_expected_name() {
    let t = json!({"Resources": {"TaskDefinition": {"Type": "AWS::ECS::TaskDefinition", "Properties": {
        "Volumes": [{"Name": "data", "EFSVolumeConfiguration": {"FileSystemId": "fs-0123456789abcdef0"}}]}}}});
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(&dir, "typo.json", t.to_string().as_bytes());
    let (_, code, err) = run(&["--cloudformation", path.to_str().expect("utf-8")]);
    assert_eq!(code, 2);
    assert!(
        err.contains("`Volumes[0].EFSVolumeConfiguration.FileSystemId` is not a property CloudFormation knows; did you mean `FilesystemId`?"),
        "{err}"
    );
    assert!(err.contains("typo.json:1:"), "{err}");
}

#[test]
fn an_empty_policy_in_a_plan_is_no_document() {
    let plan = json!({
        "format_version": "0.1", "terraform_version": "1.0.0",
        "planned_values": {"root_module": {"resources": [
            {"address": "aws_iam_role_policy.p", "mode": "managed", "type": "aws_iam_role_policy", "name": "p",
             "values": {"name": "p", "policy": "", "role": "app"}}
        ]}},
        "resource_changes": []
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(&dir, "plan.json", plan.to_string().as_bytes());
    let input = iac::load_terraform(&path, &base()).expect("an empty policy loads");
    assert!(input.overlay.role_inline_policies.is_empty());
}

#[test]
fn a_secure_transport_denial_is_reported_once_with_the_fix_that_works() {
    use efs_preflight::graph::Graph;
    use efs_preflight::rules::{self, Selection, Status};
    use efs_preflight::target::{self, Scope};
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/rules/IAM001.json");
    let snap = snapshot::load(&path).expect("fixture loads");
    let graph = Graph::build(&snap);
    let scope = Scope {
        clusters: vec![],
        services: vec!["ok-deny-insecure-transport-iam003".to_owned()],
    };
    let targets = target::select_services(&graph, &scope).expect("service");
    let all = Selection {
        only: vec![],
        skip: vec![],
    };
    let findings = rules::run(&graph, &targets, &all);
    let broken: Vec<&str> = findings
        .iter()
        .filter(|f| matches!(f.status, Status::Fail | Status::Warn))
        .map(|f| f.rule.id)
        .collect();
    assert_eq!(broken, ["IAM003"]);
    let iam003 = findings
        .iter()
        .find(|f| f.rule.id == "IAM003")
        .expect("IAM003");
    assert!(iam003
        .fix
        .as_deref()
        .is_some_and(|f| f.contains("\"transitEncryption\": \"ENABLED\"")));
    let iam001 = findings
        .iter()
        .find(|f| f.rule.id == "IAM001")
        .expect("IAM001");
    assert_eq!(iam001.status, Status::Pass);
    assert!(iam001.message.contains("IAM003"), "{}", iam001.message);
}

/// A template that creates a file system with one mount target, a task definition that mounts
/// it and a service, in the subnet `subnet` (a resource of the template).
fn own_file_system(subnet: &Value) -> Value {
    json!({"Resources": {
        "Subnet": {"Type": "AWS::EC2::Subnet", "Properties": subnet},
        "FileSystem": {"Type": "AWS::EFS::FileSystem", "Properties": {}},
        "MountTarget": {"Type": "AWS::EFS::MountTarget", "Properties": {
            "FileSystemId": {"Ref": "FileSystem"}, "SubnetId": {"Ref": "Subnet"},
            "SecurityGroups": ["sg-0d4d4d4d4d4d4d4d4"]}},
        "TaskDefinition": {"Type": "AWS::ECS::TaskDefinition", "Properties": {
            "RequiresCompatibilities": ["FARGATE"], "NetworkMode": "awsvpc",
            "ContainerDefinitions": [{"Name": "app", "Image": "app",
                "MountPoints": [{"SourceVolume": "data", "ContainerPath": "/data"}]}],
            "Volumes": [{"Name": "data", "EFSVolumeConfiguration": {
                "FilesystemId": {"Ref": "FileSystem"}, "TransitEncryption": "ENABLED"}}]}},
        "Service": {"Type": "AWS::ECS::Service", "Properties": {
            "Cluster": "app", "LaunchType": "FARGATE", "PlatformVersion": "1.4.0",
            "TaskDefinition": {"Ref": "TaskDefinition"},
            "NetworkConfiguration": {"AwsvpcConfiguration": {
                "Subnets": [{"Ref": "Subnet"}], "SecurityGroups": ["sg-0d4d4d4d4d4d4d4d4"]}}}}
    }})
}

fn messages(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| format!("{} {} {}", f["rule"], f["status"], f["message"]))
        .collect()
}

#[test]
fn an_unresolved_cidr_is_named_where_the_address_is_missing() {
    let t = own_file_system(&json!({
        "VpcId": "vpc-0c1a2b3c4d5e6f708", "AvailabilityZoneId": "use1-az6",
        "CidrBlock": {"Fn::Select": [0, {"Fn::Cidr": [{"Fn::ImportValue": "vpc-cidr"}, 3, 8]}]}}));
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(&dir, "cidr.json", t.to_string().as_bytes());
    let (v, code, err) = run(&["--cloudformation", path.to_str().expect("utf-8")]);
    assert_ne!(code, 2, "{err}");
    let all = messages(&v);
    assert!(
        all.iter().all(|m| !m.contains("neither IpAddress")),
        "{all:#?}"
    );
    let net005 = all
        .iter()
        .find(|m| m.starts_with("\"NET005\""))
        .expect("NET005");
    assert!(
        net005.contains("\"unknown\"")
            && net005.contains("`CidrBlock` of Subnet")
            && net005.contains("Fn::ImportValue vpc-cidr"),
        "{net005}"
    );
}

/// `check --cloudformation TEMPLATE --snapshot SNAPSHOT --format json`: the report and the exit code.
fn run_on(template: &Path, snapshot: &Path) -> (Value, i32, String) {
    let out = Command::cargo_bin("efs-preflight")
        .expect("binary")
        .env("AWS_EC2_METADATA_DISABLED", "true")
        .arg("check")
        .arg("--cloudformation")
        .arg(template)
        .arg("--snapshot")
        .arg(snapshot)
        .args(["--format", "json"])
        .output()
        .expect("runs");
    let report = serde_json::from_slice(&out.stdout).unwrap_or(Value::Null);
    (
        report,
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn no_message_prints_an_empty_id() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A volume without FilesystemId: EFS001 says so; the others say what is missing.
    let mut t = own_file_system(&json!({
        "VpcId": "vpc-0c1a2b3c4d5e6f708", "AvailabilityZoneId": "use1-az6", "CidrBlock": "10.20.48.0/24"}));
    let config =
        &mut t["Resources"]["TaskDefinition"]["Properties"]["Volumes"][0]["EFSVolumeConfiguration"];
    config
        .as_object_mut()
        .expect("object")
        .remove("FilesystemId");
    let path = write(&dir, "nofs.json", t.to_string().as_bytes());
    let (v, code, err) = run(&["--cloudformation", path.to_str().expect("utf-8")]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(statuses(&v, "EFS001"), ["fail"]);
    for f in v["findings"].as_array().expect("findings") {
        assert_ne!(f["resource"], "", "{f}");
    }
    let unknowns: Vec<String> = messages(&v)
        .into_iter()
        .filter(|m| m.contains("\"unknown\""))
        .collect();
    assert!(!unknowns.is_empty());
    assert!(
        unknowns
            .iter()
            .all(|m| m.contains("volume 'data' names no file system: its fileSystemId is empty")),
        "{unknowns:#?}"
    );
    // A mount target without an id in the snapshot.
    let mut snap: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("base.json")).expect("base"))
            .expect("json");
    snap["efs"]["FileSystems"] = json!([{"FileSystemId": "fs-0123456789abcdef0",
        "LifeCycleState": "available", "NumberOfMountTargets": 1}]);
    snap["efs"]["MountTargets"] = json!([{"MountTargetId": "", "FileSystemId": "fs-0123456789abcdef0",
        "SubnetId": "subnet-0a1a1a1a1a1a1a1a1", "LifeCycleState": "creating",
        "IpAddress": "10.20.0.10"}]);
    let snap_path = write(&dir, "snapshot.json", snap.to_string().as_bytes());
    let mut t = own_file_system(&json!({}));
    let res = t["Resources"].as_object_mut().expect("resources");
    res.remove("Subnet");
    res.remove("FileSystem");
    res.remove("MountTarget");
    t["Resources"]["TaskDefinition"]["Properties"]["Volumes"][0]["EFSVolumeConfiguration"]
        ["FilesystemId"] = json!("fs-0123456789abcdef0");
    t["Resources"]["Service"]["Properties"]["NetworkConfiguration"]["AwsvpcConfiguration"]
        ["Subnets"] = json!(["subnet-0a1a1a1a1a1a1a1a1"]);
    let path = write(&dir, "mt.json", t.to_string().as_bytes());
    let (v, code, err) = run_on(&path, &snap_path);
    assert_ne!(code, 2, "{err}");
    let all = messages(&v);
    let net002 = all
        .iter()
        .find(|m| m.starts_with("\"NET002\""))
        .expect("NET002");
    assert!(
        net002.contains("(no MountTargetId) in subnet-0a1a1a1a1a1a1a1a1 of fs-0123456789abcdef0"),
        "{net002}"
    );
    for f in v["findings"].as_array().expect("findings") {
        assert_ne!(f["resource"], "", "{f}");
    }
    assert!(
        all.iter()
            .all(|m| !m.contains("mount target  ") && !m.contains("mount target ,")),
        "{all:#?}"
    );
}

#[test]
fn a_template_with_its_own_vpc_and_file_system_needs_no_base_state() {
    let dir = tempfile::tempdir().expect("tempdir");
    let empty = write(
        &dir,
        "empty.json",
        br#"{"efs_preflight_snapshot": 1, "region": "us-east-1", "account_id": "123456789012"}"#,
    );
    let text = std::fs::read_to_string(fixture("cloudformation/own-vpc.yaml")).expect("template");
    let check = |name: &str, text: &str| {
        let path = write(&dir, name, text.as_bytes());
        let (v, code, err) = run_on(&path, &empty);
        assert_ne!(code, 2, "{err}");
        v
    };
    let v = check("own.yaml", &text);
    // Mount targets and policy are the template's; `!Select [i, !GetAZs ""]` on both sides
    // compares equal; the template's DNS attributes decide.
    assert_eq!(
        statuses(&v, "NET001"),
        ["pass", "pass"],
        "{:#?}",
        messages(&v)
    );
    assert_eq!(statuses(&v, "NET005"), ["pass", "pass"]);
    assert_eq!(statuses(&v, "IAM001"), ["pass"]);
    assert_eq!(statuses(&v, "DNS001"), ["pass"]);
    assert_eq!(statuses(&v, "DNS002"), ["pass"]);
    assert_eq!(v["summary"]["fail"], 0);
    // Only what no template states stays unknown: the DHCP options a new VPC gets (the
    // account's default set), the account's hosted zones, the user the image runs as.
    let unknown: Vec<&str> = v["findings"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|f| f["status"] == "unknown")
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert!(
        unknown
            .iter()
            .all(|r| ["DNS003", "DNS004", "DNS005", "EFS010"].contains(r)),
        "{:#?}",
        messages(&v)
    );
    assert_eq!(statuses(&v, "DNS003"), ["unknown"]);

    // Hostnames off in the template: DNS002 fails; no policy: the default lets clients mount.
    let without = |text: &str, from: &str, to: &str| {
        let (start, end) = (text.find(from).expect("from"), text.find(to).expect("to"));
        format!("{}{}", &text[..start], &text[end..])
    };
    let v = check(
        "nodns.yaml",
        &without(
            &text.replace("EnableDnsHostnames: true", "EnableDnsHostnames: false"),
            "      FileSystemPolicy:",
            "  MountTargetA:",
        ),
    );
    assert_eq!(statuses(&v, "DNS001"), ["pass"]);
    assert_eq!(statuses(&v, "DNS002"), ["fail"]);
    assert_eq!(statuses(&v, "IAM001"), ["pass"], "{:#?}", messages(&v));

    // Tasks only in the second AZ, the only mount target in the first: another index of the
    // same list is another AZ.
    let v = check(
        "oneaz.yaml",
        &without(&text, "  MountTargetB:", "  TaskDefinition:").replace(
            "Subnets: [!Ref SubnetA, !Ref SubnetB]",
            "Subnets: [!Ref SubnetB]",
        ),
    );
    assert_eq!(statuses(&v, "NET001"), ["fail"], "{:#?}", messages(&v));
}

#[test]
fn a_file_system_a_plan_creates_has_only_the_plan_s_mount_targets_and_policy() {
    let plan = json!({
        "format_version": "1.2", "terraform_version": "1.9.8",
        "planned_values": {"root_module": {"resources": [
            {"address": "aws_efs_file_system.new", "mode": "managed", "type": "aws_efs_file_system", "name": "new",
             "values": {"encrypted": true}},
            {"address": "aws_efs_file_system.old", "mode": "managed", "type": "aws_efs_file_system", "name": "old",
             "values": {"id": "fs-0123456789abcdef0", "encrypted": true}}
        ]}},
        "resource_changes": []
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(&dir, "plan.json", plan.to_string().as_bytes());
    let mut s = snapshot::from_str(
        r#"{"efs_preflight_snapshot": 1, "region": "us-east-1", "account_id": "123456789012"}"#,
        "empty.json",
    )
    .expect("loads");
    let input = iac::load_terraform(&path, &s).expect("loads");
    assert_eq!(
        input.overlay.created_file_systems,
        ["aws_efs_file_system.new"]
    );
    input.overlay.apply(&mut s, input.front);
    let graph = efs_preflight::graph::Graph::build(&s);
    assert_eq!(
        graph.file_system_policy("aws_efs_file_system.new"),
        Ok(None)
    );
    assert!(graph
        .mount_targets_of("aws_efs_file_system.new")
        .is_ok_and(|m| m.is_empty()));
    // An existing file system: its policy and mount targets are not in the plan.
    assert!(graph.file_system_policy("fs-0123456789abcdef0").is_err());
    assert!(graph.mount_targets_of("fs-0123456789abcdef0").is_err());
}
