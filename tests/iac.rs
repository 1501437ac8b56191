//! Terraform plans and CloudFormation templates: the converter's overlay (per resource type and
//! intrinsic function), and the binary end to end on `fixtures/iac/*` (healthy variants pass,
//! broken ones are found at their IaC address, unknowns say why, bad files exit 2 located).

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use efs_preflight::iac::{self, IacInput};
use efs_preflight::snapshot::{self, IpPermission, SecurityGroup, Snapshot};
use predicates::prelude::*;
use serde_json::{json, Value};

fn fixture(rel: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures/iac")
        .join(rel)
        .display()
        .to_string()
}

fn base() -> Snapshot {
    snapshot::load(Path::new(&fixture("base.json"))).expect("base snapshot loads")
}

fn bin() -> Command {
    let mut c = Command::cargo_bin("efs-preflight").expect("binary is built");
    c.env_remove("NO_COLOR")
        .env("AWS_EC2_METADATA_DISABLED", "true");
    c
}

/// Runs `check ARGS --snapshot base.json --format json`; returns the report and the exit code.
fn run_json(args: &[&str]) -> (Value, i32) {
    let out = bin()
        .arg("check")
        .args(args)
        .args(["--snapshot", &fixture("base.json"), "--format", "json"])
        .output()
        .expect("runs");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    (v, out.status.code().unwrap_or(-1))
}

fn findings(v: &Value) -> Vec<Value> {
    v["findings"].as_array().cloned().unwrap_or_default()
}

fn non_passing(v: &Value) -> Vec<Value> {
    findings(v)
        .into_iter()
        .filter(|f| f["status"] != "pass")
        .collect()
}

fn merged(input: IacInput) -> Snapshot {
    let mut snap = base();
    input.overlay.apply(&mut snap, input.front);
    snap
}

fn tf(file: &str) -> Snapshot {
    merged(iac::load_terraform(Path::new(&fixture(file)), &base()).expect("plan converts"))
}

fn cfn(file: &str, params: &[&str]) -> Snapshot {
    let params: Vec<String> = params.iter().map(|p| (*p).to_owned()).collect();
    merged(
        iac::load_cloudformation(Path::new(&fixture(file)), &params, &base())
            .expect("template converts"),
    )
}

fn sg<'a>(s: &'a Snapshot, id: &str) -> &'a SecurityGroup {
    s.ec2
        .security_groups
        .iter()
        .flatten()
        .find(|g| g.group_id == id)
        .unwrap_or_else(|| panic!("security group {id} in the overlay"))
}

fn allows_2049(rules: &[IpPermission]) -> bool {
    rules.iter().any(|p| {
        p.ip_protocol == "-1"
            || (p.ip_protocol == "tcp"
                && p.from_port.unwrap_or(0) <= 2049
                && p.to_port.unwrap_or(65535) >= 2049)
    })
}

fn rule_exists(id: &str) -> bool {
    efs_preflight::rules::find(id).is_some()
}

// ---------------------------------------------------------------- Terraform: the overlay

#[test]
fn terraform_plan_resources_join_through_synthetic_ids() {
    let s = tf("terraform/plan.json");
    let fs = "module.efs.aws_efs_file_system.this";
    let fs_obj = s
        .efs
        .file_systems
        .iter()
        .flatten()
        .find(|f| f.file_system_id == fs)
        .expect("planned file system");
    assert_eq!(fs_obj.name.as_deref(), Some("web-data"));
    assert_eq!(
        fs_obj.file_system_arn.as_deref(),
        Some("arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/module.efs.aws_efs_file_system.this")
    );
    // Mount targets: subnets from `var.subnet_ids[count.index]`, the file system and the
    // security group from unknown ids resolved through the configuration.
    let mts: Vec<_> = s
        .efs
        .mount_targets
        .iter()
        .flatten()
        .filter(|m| m.file_system_id == fs)
        .collect();
    assert_eq!(mts.len(), 2);
    assert_eq!(
        mts[0].mount_target_id,
        "module.efs.aws_efs_mount_target.this[0]"
    );
    assert_eq!(mts[0].subnet_id, "subnet-0a1a1a1a1a1a1a1a1");
    assert_eq!(mts[1].subnet_id, "subnet-0b2b2b2b2b2b2b2b2");
    assert_eq!(
        mts[0].security_groups.as_deref(),
        Some(&["module.efs.aws_security_group.efs".to_owned()][..])
    );
    // Access point with POSIX user and creation info.
    let ap = s
        .efs
        .access_points
        .iter()
        .flatten()
        .find(|a| a.access_point_id == "module.efs.aws_efs_access_point.app")
        .expect("access point");
    assert_eq!(ap.file_system_id, fs);
    assert_eq!(
        ap.posix_user.as_ref().map(|p| (p.uid, p.gid)),
        Some((1000, 1000))
    );
    let root = ap.root_directory.as_ref().expect("root directory");
    assert_eq!(root.path.as_deref(), Some("/app"));
    assert_eq!(
        root.creation_info.as_ref().map(|c| c.permissions.as_str()),
        Some("0755")
    );
    // File-system policy, decoded.
    let policy = s
        .efs
        .file_system_policies
        .iter()
        .flatten()
        .find(|p| p.file_system_id == fs)
        .expect("file-system policy");
    assert!(policy
        .policy
        .to_json_string()
        .contains("elasticfilesystem:ClientMount"));
    // EFS security group: inline ingress whose peer is a module input carrying a root
    // resource id (var.client_security_group_id -> aws_security_group.task.id).
    let efs_sg = sg(&s, "module.efs.aws_security_group.efs");
    assert_eq!(efs_sg.vpc_id.as_deref(), Some("vpc-0c1a2b3c4d5e6f708"));
    let ingress = &efs_sg.ip_permissions[0];
    assert_eq!(
        (ingress.from_port, ingress.to_port),
        (Some(2049), Some(2049))
    );
    assert_eq!(
        ingress.user_id_group_pairs[0].group_id.as_deref(),
        Some("aws_security_group.task")
    );
    // Task security group: no inline rules (Terraform removes the default egress rule), two
    // standalone aws_vpc_security_group_egress_rule resources.
    let task_sg = sg(&s, "aws_security_group.task");
    assert!(task_sg.ip_permissions.is_empty());
    assert_eq!(task_sg.ip_permissions_egress.len(), 2);
    assert!(allows_2049(&task_sg.ip_permissions_egress));
    assert_eq!(
        task_sg.ip_permissions_egress[0].ip_ranges[0].cidr_ip,
        "10.20.0.0/16"
    );
    // Role: ARN built from its known name, trust policy, inline policy from
    // aws_iam_role_policy (whose `role` is the unknown id of the role).
    let role = s
        .iam
        .roles
        .iter()
        .flatten()
        .find(|r| r.role_name == "web-task")
        .expect("task role");
    assert_eq!(role.arn, "arn:aws:iam::123456789012:role/web-task");
    assert!(role.assume_role_policy_document.is_some());
    assert_eq!(role.role_policy_list.len(), 1);
    assert_eq!(role.role_policy_list[0].policy_name, "efs-client");
    // Task definition: module outputs resolve to the synthetic ids; revision follows the base.
    let td = s
        .ecs
        .task_definitions
        .iter()
        .flatten()
        .find(|t| t.family == "web")
        .expect("task definition");
    assert_eq!(
        td.task_definition_arn.as_deref(),
        Some("aws_ecs_task_definition.web")
    );
    assert_eq!(td.revision, Some(1));
    assert_eq!(td.task_role_arn.as_deref(), Some(role.arn.as_str()));
    let efs = td.volumes[0]
        .efs_volume_configuration
        .as_ref()
        .expect("efs volume");
    assert_eq!(efs.file_system_id, fs);
    assert_eq!(
        efs.access_point_id(),
        Some("module.efs.aws_efs_access_point.app")
    );
    assert_eq!(td.container_definitions[0].mount_points.len(), 1);
    // Service: cluster ARN from the cluster's name, task definition and security group ids.
    let svc = s
        .ecs
        .services
        .iter()
        .flatten()
        .find(|x| x.service_name == "web")
        .expect("service");
    assert_eq!(
        svc.cluster_arn.as_deref(),
        Some("arn:aws:ecs:us-east-1:123456789012:cluster/prod")
    );
    assert_eq!(
        svc.task_definition.as_deref(),
        Some("aws_ecs_task_definition.web")
    );
    let net = svc
        .network_configuration
        .as_ref()
        .and_then(|n| n.awsvpc_configuration.as_ref())
        .expect("awsvpc");
    assert_eq!(
        net.security_groups,
        vec!["aws_security_group.task".to_owned()]
    );
    assert_eq!(net.assign_public_ip.as_deref(), Some("DISABLED"));
    // Nothing was left unknown.
    assert!(
        s.gaps.is_empty(),
        "no value of the healthy plan is unknown: {:?}",
        s.gaps
    );
}

#[test]
fn terraform_security_group_without_nfs_keeps_its_wrong_port() {
    let s = tf("terraform/plan-sg-without-nfs.json");
    let efs_sg = sg(&s, "module.efs.aws_security_group.efs");
    assert_eq!(efs_sg.ip_permissions.len(), 1);
    assert_eq!(efs_sg.ip_permissions[0].from_port, Some(443));
    assert!(!allows_2049(&efs_sg.ip_permissions));
}

#[test]
fn terraform_unknown_subnet_becomes_a_gap_on_its_placeholder() {
    let s = tf("terraform/plan-mount-target-subnet-unknown.json");
    let mt = s
        .efs
        .mount_targets
        .iter()
        .flatten()
        .find(|m| m.mount_target_id == "aws_efs_mount_target.extra")
        .expect("mount target kept");
    assert_eq!(mt.subnet_id, "aws_efs_mount_target.extra.subnet_id");
    let gap = s
        .gaps
        .iter()
        .find(|g| g.resource.as_deref() == Some(mt.subnet_id.as_str()))
        .expect("gap on the placeholder");
    assert_eq!(gap.call, "terraform:plan");
    assert_eq!(
        gap.error,
        "`subnet_id` of aws_efs_mount_target.extra is known after apply"
    );
}

/// A minimal plan in `terraform show -json` shape from (address, type, after,
/// after_unknown, expressions) rows, all in the root module.
fn plan_of(rows: &[(&str, &str, Value, Value, Value)], deleted: &[(&str, &str, &str)]) -> String {
    let mut planned = Vec::new();
    let mut changes = Vec::new();
    let mut config = Vec::new();
    for (address, rtype, after, unknown, expressions) in rows {
        let (name, index) = match address.split_once('[') {
            Some((a, i)) => (
                a.rsplit('.').next().unwrap_or(a),
                Some(i.trim_end_matches(']').parse::<u64>().unwrap_or(0)),
            ),
            None => (address.rsplit('.').next().unwrap_or(address), None),
        };
        let mut r = json!({"address": address, "mode": "managed", "type": rtype, "name": name,
            "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0,
            "values": after, "sensitive_values": {}});
        if let Some(i) = index {
            r["index"] = json!(i);
        }
        planned.push(r);
        changes.push(json!({"address": address, "mode": "managed", "type": rtype, "name": name,
            "change": {"actions": ["create"], "before": null, "after": after, "after_unknown": unknown}}));
        let cfg_address = address.split('[').next().unwrap_or(address);
        if !config.iter().any(|c: &Value| c["address"] == cfg_address) {
            config.push(
                json!({"address": cfg_address, "mode": "managed", "type": rtype, "name": name,
                "expressions": expressions}),
            );
        }
    }
    for (address, rtype, id) in deleted {
        changes.push(json!({"address": address, "mode": "managed", "type": rtype, "name": "old",
            "change": {"actions": ["delete"], "before": {"id": id}, "after": null, "after_unknown": {}}}));
    }
    json!({"format_version": "1.2", "terraform_version": "1.9.8",
        "planned_values": {"root_module": {"resources": planned}},
        "resource_changes": changes,
        "configuration": {"root_module": {"resources": config}}})
    .to_string()
}

fn write_temp(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let p = dir.path().join(name);
    std::fs::write(&p, text).expect("temp file");
    p
}

#[test]
fn terraform_network_and_iam_resource_types() {
    let r = |refs: &[&str]| json!({"references": refs});
    let plan = plan_of(
        &[
            (
                "aws_vpc.main",
                "aws_vpc",
                json!({"cidr_block": "10.30.0.0/16", "enable_dns_support": true, "enable_dns_hostnames": false}),
                json!({"id": true, "dhcp_options_id": true, "default_security_group_id": true}),
                json!({}),
            ),
            (
                "aws_subnet.a",
                "aws_subnet",
                json!({"availability_zone": "us-east-1a", "cidr_block": "10.30.0.0/24"}),
                json!({"id": true, "vpc_id": true, "availability_zone_id": true}),
                json!({"vpc_id": r(&["aws_vpc.main.id", "aws_vpc.main"])}),
            ),
            (
                "aws_subnet.z",
                "aws_subnet",
                json!({"availability_zone": "us-east-1f", "cidr_block": "10.30.9.0/24"}),
                json!({"id": true, "vpc_id": true, "availability_zone_id": true}),
                json!({"vpc_id": r(&["aws_vpc.main.id", "aws_vpc.main"])}),
            ),
            (
                "aws_security_group.x",
                "aws_security_group",
                json!({"name": "x"}),
                json!({"id": true, "vpc_id": true, "ingress": true, "egress": true}),
                json!({"vpc_id": r(&["aws_vpc.main.id", "aws_vpc.main"])}),
            ),
            (
                "aws_security_group_rule.self_nfs",
                "aws_security_group_rule",
                json!({"type": "ingress", "protocol": "tcp", "from_port": 2049, "to_port": 2049, "self": true}),
                json!({"security_group_id": true}),
                json!({"security_group_id": r(&["aws_security_group.x.id", "aws_security_group.x"])}),
            ),
            (
                "aws_security_group_rule.pl",
                "aws_security_group_rule",
                json!({"type": "egress", "protocol": "-1", "from_port": 0, "to_port": 0, "prefix_list_ids": ["pl-0123"]}),
                json!({"security_group_id": true}),
                json!({"security_group_id": r(&["aws_security_group.x.id", "aws_security_group.x"])}),
            ),
            (
                "aws_network_acl.a",
                "aws_network_acl",
                json!({
                "ingress": [{"rule_no": 100, "action": "allow", "protocol": "tcp", "from_port": 2049, "to_port": 2049, "cidr_block": "10.30.0.0/16"}],
                "egress": [{"rule_no": 100, "action": "allow", "protocol": "tcp", "from_port": 1024, "to_port": 65535, "cidr_block": "10.30.0.0/16"}]}),
                json!({"id": true, "vpc_id": true, "subnet_ids": true}),
                json!({"vpc_id": r(&["aws_vpc.main.id", "aws_vpc.main"]), "subnet_ids": r(&["aws_subnet.a.id", "aws_subnet.a"])}),
            ),
            (
                "aws_network_acl_rule.deny",
                "aws_network_acl_rule",
                json!({"rule_number": 50, "egress": false, "protocol": "tcp", "rule_action": "deny", "cidr_block": "0.0.0.0/0", "from_port": 22, "to_port": 22}),
                json!({"network_acl_id": true}),
                json!({"network_acl_id": r(&["aws_network_acl.a.id", "aws_network_acl.a"])}),
            ),
            (
                "aws_route_table.a",
                "aws_route_table",
                json!({"route": [{"cidr_block": "0.0.0.0/0", "nat_gateway_id": "nat-0123"}]}),
                json!({"id": true, "vpc_id": true}),
                json!({"vpc_id": r(&["aws_vpc.main.id", "aws_vpc.main"])}),
            ),
            (
                "aws_route.fw",
                "aws_route",
                json!({"destination_cidr_block": "10.30.1.0/24", "vpc_endpoint_id": "vpce-0123"}),
                json!({"route_table_id": true}),
                json!({"route_table_id": r(&["aws_route_table.a.id", "aws_route_table.a"])}),
            ),
            (
                "aws_route_table_association.a",
                "aws_route_table_association",
                json!({}),
                json!({"route_table_id": true, "subnet_id": true}),
                json!({"route_table_id": r(&["aws_route_table.a.id", "aws_route_table.a"]), "subnet_id": r(&["aws_subnet.a.id", "aws_subnet.a"])}),
            ),
            (
                "aws_iam_policy.efs",
                "aws_iam_policy",
                json!({"name": "efs-mount", "path": "/", "policy": "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":\"elasticfilesystem:ClientMount\",\"Resource\":\"*\"}]}"}),
                json!({"arn": true, "id": true}),
                json!({}),
            ),
            (
                "aws_iam_role_policy_attachment.efs",
                "aws_iam_role_policy_attachment",
                json!({"role": "ecsTaskExecutionRole"}),
                json!({"policy_arn": true}),
                json!({"policy_arn": r(&["aws_iam_policy.efs.arn", "aws_iam_policy.efs"])}),
            ),
        ],
        &[
            (
                "aws_efs_mount_target.old",
                "aws_efs_mount_target",
                "fsmt-0gone",
            ),
            (
                "aws_efs_file_system_policy.old",
                "aws_efs_file_system_policy",
                "fs-1",
            ),
        ],
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write_temp(&dir, "plan.json", &plan);
    let mut b = base();
    b.efs.file_systems = Some(vec![efs_preflight::snapshot::FileSystem {
        file_system_id: "fs-1".into(),
        ..Default::default()
    }]);
    b.efs.file_system_policies = Some(vec![efs_preflight::snapshot::FileSystemPolicy {
        file_system_id: "fs-1".into(),
        policy: efs_preflight::snapshot::PolicyDocument(json!({"Statement": []})),
    }]);
    b.efs.mount_targets = Some(vec![efs_preflight::snapshot::MountTarget {
        mount_target_id: "fsmt-0gone".into(),
        file_system_id: "fs-1".into(),
        subnet_id: "subnet-0a1a1a1a1a1a1a1a1".into(),
        ..Default::default()
    }]);
    let input = iac::load_terraform(&path, &b).expect("plan converts");
    input.overlay.apply(&mut b, input.front);
    let s = b;
    // A new VPC brings its default security group, network ACL and main route table, and the
    // provider defaults for its DNS attributes.
    let attrs = s
        .ec2
        .vpc_attributes
        .iter()
        .flatten()
        .find(|a| a.vpc_id == "aws_vpc.main")
        .expect("vpc attributes");
    assert_eq!(
        attrs.enable_dns_hostnames.and_then(|v| v.value),
        Some(false)
    );
    assert!(
        sg(&s, "aws_vpc.main.default_security_group_id")
            .group_name
            .as_deref()
            == Some("default")
    );
    // AZ name mapped to the AZ id through the base state's subnets; an AZ the base state does
    // not know leaves the subnet out, with the reason.
    let subnet = s
        .ec2
        .subnets
        .iter()
        .flatten()
        .find(|x| x.subnet_id == "aws_subnet.a")
        .expect("subnet a");
    assert_eq!(subnet.availability_zone_id.as_deref(), Some("use1-az6"));
    assert_eq!(subnet.vpc_id, "aws_vpc.main");
    assert!(s
        .ec2
        .subnets
        .iter()
        .flatten()
        .all(|x| x.subnet_id != "aws_subnet.z"));
    assert!(s
        .gaps
        .iter()
        .any(|g| g.resource.as_deref() == Some("aws_subnet.z")
            && g.error
                .contains("`availability_zone_id` of aws_subnet.z is known after apply")));
    // Standalone security-group rules: `self` and prefix lists.
    let x = sg(&s, "aws_security_group.x");
    assert_eq!(
        x.ip_permissions[0].user_id_group_pairs[0]
            .group_id
            .as_deref(),
        Some("aws_security_group.x")
    );
    assert_eq!(
        x.ip_permissions_egress[0].prefix_list_ids[0].prefix_list_id,
        "pl-0123"
    );
    assert_eq!(x.ip_permissions_egress[0].from_port, None);
    // Network ACL: inline and standalone entries, the implicit denies, the association.
    let acl = s
        .ec2
        .network_acls
        .iter()
        .flatten()
        .find(|a| a.network_acl_id == "aws_network_acl.a")
        .expect("acl");
    let numbers: Vec<(i64, bool, &str)> = acl
        .entries
        .iter()
        .map(|e| (e.rule_number, e.egress, e.protocol.as_str()))
        .collect();
    assert!(numbers.contains(&(100, false, "6")));
    assert!(numbers.contains(&(50, false, "6")));
    assert!(numbers.contains(&(32767, true, "-1")));
    assert_eq!(
        acl.associations[0].subnet_id.as_deref(),
        Some("aws_subnet.a")
    );
    // Route table: the local route for the VPC CIDR, inline and standalone routes, association.
    let rt = s
        .ec2
        .route_tables
        .iter()
        .flatten()
        .find(|t| t.route_table_id == "aws_route_table.a")
        .expect("route table");
    let targets: Vec<Option<&str>> = rt.routes.iter().map(|r| r.target()).collect();
    assert_eq!(
        targets,
        vec![Some("local"), Some("nat-0123"), Some("vpce-0123")]
    );
    assert_eq!(
        rt.associations[0].subnet_id.as_deref(),
        Some("aws_subnet.a")
    );
    // Managed policy with a computed ARN, attached to an existing role of the base state.
    let arn = "arn:aws:iam::123456789012:policy/efs-mount";
    assert!(s
        .iam
        .policies
        .iter()
        .flatten()
        .any(|p| p.arn == arn && p.default_document().is_some()));
    let exec = s
        .iam
        .roles
        .iter()
        .flatten()
        .find(|r| r.role_name == "ecsTaskExecutionRole")
        .expect("base role");
    assert!(exec
        .attached_managed_policies
        .iter()
        .any(|p| p.policy_arn == arn));
    // The deleted mount target is gone; a deleted file-system policy takes only the policy.
    assert!(s
        .efs
        .mount_targets
        .iter()
        .flatten()
        .all(|m| m.mount_target_id != "fsmt-0gone"));
    assert_eq!(s.efs.file_system_policies.as_ref().map(Vec::len), Some(0));
    assert_eq!(s.efs.file_systems.as_ref().map(Vec::len), Some(1));
}

// ---------------------------------------------------------------- CloudFormation: the overlay

#[test]
fn cdk_template_keeps_the_default_policy_without_client_mount() {
    let s = cfn("cloudformation/cdk-app.template.json", &[]);
    let policy = s
        .efs
        .file_system_policies
        .iter()
        .flatten()
        .find(|p| p.file_system_id == "EfsFileSystem37910666")
        .expect("CDK file-system policy");
    let text = policy.policy.to_json_string();
    assert!(text.contains("elasticfilesystem:ClientRootAccess"));
    assert!(text.contains("elasticfilesystem:ClientWrite"));
    assert!(!text.contains("ClientMount"), "{text}");
    // The standalone ingress rule CDK emits for `connections.allowDefaultPortFrom`.
    let efs_sg = sg(&s, "EfsFileSystemEfsSecurityGroup6F40EA3B");
    assert!(allows_2049(&efs_sg.ip_permissions));
    assert_eq!(
        efs_sg.ip_permissions[0].user_id_group_pairs[0]
            .group_id
            .as_deref(),
        Some("ServiceSecurityGroupC96ED6A7")
    );
    // The role's default policy names the file system's ARN, the same string the file system
    // carries, so policy evaluation can match them.
    let fs_arn = s
        .efs
        .file_systems
        .iter()
        .flatten()
        .find(|f| f.file_system_id == "EfsFileSystem37910666")
        .and_then(|f| f.file_system_arn.clone())
        .expect("fs arn");
    let role = s
        .iam
        .roles
        .iter()
        .flatten()
        .find(|r| r.role_name == "TaskDefTaskRole1EDB4A67")
        .expect("task role");
    assert!(role.role_policy_list[0]
        .policy_document
        .to_json_string()
        .contains(&fs_arn));
    let td = s
        .ecs
        .task_definitions
        .iter()
        .flatten()
        .find(|t| t.family == "EfsAppStackTaskDef3F1B2C4A")
        .expect("task definition");
    assert_eq!(td.task_role_arn.as_deref(), Some(role.arn.as_str()));
    assert_eq!(
        td.volumes[0]
            .efs_volume_configuration
            .as_ref()
            .and_then(|e| e.access_point_id()),
        Some("EfsAccessPointE419FED9")
    );
    // The CDKMetadata condition is decided from the Region: no gap for it.
    assert!(s
        .gaps
        .iter()
        .all(|g| !g.error.contains("CDKMetadataAvailable")));
}

#[test]
fn yaml_template_resolves_short_tags_parameters_conditions_and_mappings() {
    let params = fixture("cloudformation/app-params.json");
    let s = cfn("cloudformation/app.yaml", &[&params]);
    let ap = s
        .efs
        .access_points
        .iter()
        .flatten()
        .find(|a| a.access_point_id == "AppAccessPoint")
        .expect("access point");
    assert_eq!(
        ap.root_directory.as_ref().and_then(|r| r.path.as_deref()),
        Some("/prod/app")
    );
    let mts: Vec<&str> = s
        .efs
        .mount_targets
        .iter()
        .flatten()
        .map(|m| m.subnet_id.as_str())
        .collect();
    assert_eq!(
        mts,
        vec!["subnet-0a1a1a1a1a1a1a1a1", "subnet-0b2b2b2b2b2b2b2b2"]
    );
    let role = s
        .iam
        .roles
        .iter()
        .flatten()
        .find(|r| r.role_name == "prod-web-task")
        .expect("role named by !Sub");
    assert_eq!(role.arn, "arn:aws:iam::123456789012:role/prod-web-task");
    let policy = s
        .efs
        .file_system_policies
        .iter()
        .flatten()
        .find(|p| p.file_system_id == "DataFileSystem")
        .expect("policy");
    assert!(policy.policy.to_json_string().contains(&role.arn));
    let svc = s
        .ecs
        .services
        .iter()
        .flatten()
        .find(|x| x.service_name == "web")
        .expect("service");
    assert_eq!(svc.cluster_arn.as_deref(), Some("prod-web"));
    assert_eq!(svc.platform_version.as_deref(), Some("LATEST"));
    // TaskSecurityGroup: its own 443 egress plus the standalone 2049 egress rule.
    let task_sg = sg(&s, "TaskSecurityGroup");
    assert_eq!(task_sg.ip_permissions_egress.len(), 2);
    // A security group without SecurityGroupEgress keeps EC2's default allow-all egress.
    let efs_sg = sg(&s, "EfsSecurityGroup");
    assert_eq!(efs_sg.ip_permissions_egress[0].ip_protocol, "-1");
    // The IsProd condition holds: the debug task definition exists; the execution role comes
    // through Fn::If.
    let tds: Vec<&str> = s
        .ecs
        .task_definitions
        .iter()
        .flatten()
        .map(|t| t.family.as_str())
        .collect();
    assert_eq!(tds, vec!["prod-web", "prod-web-debug"]);
    // With Env=staging the condition is false and ExecutionRoleArn falls back to NoValue.
    let s = cfn(
        "cloudformation/app.yaml",
        &[&params, "Env=staging", "ExecutionRoleArn="],
    );
    let tds: Vec<_> = s.ecs.task_definitions.iter().flatten().collect();
    assert_eq!(tds.len(), 1);
    assert_eq!(tds[0].family, "staging-web");
    assert!(tds[0].execution_role_arn.is_none());
}

#[test]
fn cloudformation_network_resource_types_and_get_azs() {
    let template = r#"
AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: 10.40.0.0/16
  SubnetA:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: !Select [0, !Cidr [!GetAtt Vpc.CidrBlock, 4, 8]]
      AvailabilityZone: !Select [1, !GetAZs ""]
  SubnetC:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: 10.40.9.0/24
      AvailabilityZone: !Select [3, !GetAZs ""]
  Acl:
    Type: AWS::EC2::NetworkAcl
    Properties:
      VpcId: !Ref Vpc
  AclNfs:
    Type: AWS::EC2::NetworkAclEntry
    Properties:
      NetworkAclId: !Ref Acl
      RuleNumber: 100
      Protocol: 6
      RuleAction: allow
      CidrBlock: 10.40.0.0/16
      PortRange: {From: 2049, To: 2049}
  AclAssoc:
    Type: AWS::EC2::SubnetNetworkAclAssociation
    Properties:
      SubnetId: !Ref SubnetA
      NetworkAclId: !Ref Acl
  Routes:
    Type: AWS::EC2::RouteTable
    Properties:
      VpcId: !Ref Vpc
  Fw:
    Type: AWS::EC2::Route
    Properties:
      RouteTableId: !Ref Routes
      DestinationCidrBlock: 10.40.1.0/24
      VpcEndpointId: vpce-0abc
  RoutesAssoc:
    Type: AWS::EC2::SubnetRouteTableAssociation
    Properties:
      SubnetId: !Ref SubnetA
      RouteTableId: !Ref Routes
  Boundary:
    Type: AWS::IAM::ManagedPolicy
    Properties:
      ManagedPolicyName: efs-mount
      PolicyDocument:
        Version: "2012-10-17"
        Statement: [{Effect: Allow, Action: "elasticfilesystem:*", Resource: "*"}]
      Roles: [ecsTaskExecutionRole]
"#;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write_temp(&dir, "net.yaml", template);
    let mut s = base();
    let input = iac::load_cloudformation(&path, &[], &s).expect("template converts");
    input.overlay.apply(&mut s, input.front);
    let attrs = s
        .ec2
        .vpc_attributes
        .iter()
        .flatten()
        .find(|a| a.vpc_id == "Vpc")
        .expect("vpc attributes");
    assert_eq!(attrs.enable_dns_support.and_then(|v| v.value), Some(true));
    assert_eq!(
        attrs.enable_dns_hostnames.and_then(|v| v.value),
        Some(false)
    );
    let a = s
        .ec2
        .subnets
        .iter()
        .flatten()
        .find(|x| x.subnet_id == "SubnetA")
        .expect("subnet a");
    // !Select [1, !GetAZs ""] = us-east-1b, use1-az1 in this account; the first /24 of the
    // VPC's CIDR by Fn::Cidr.
    assert_eq!(a.availability_zone.as_deref(), Some("us-east-1b"));
    assert_eq!(a.availability_zone_id.as_deref(), Some("use1-az1"));
    assert_eq!(a.cidr_block.as_deref(), Some("10.40.0.0/24"));
    // Index 3 lies beyond the AZs the base state proves (a, b, c): the expression stands for
    // the AZ id (equal only to the same expression), and a gap says it is unresolved.
    let c = s
        .ec2
        .subnets
        .iter()
        .flatten()
        .find(|x| x.subnet_id == "SubnetC")
        .expect("subnet c");
    assert_eq!(
        c.availability_zone_id.as_deref(),
        Some("Fn::Select [3, Fn::GetAZs us-east-1]")
    );
    let gap = s
        .gaps
        .iter()
        .find(|g| g.resource.as_deref() == Some("Fn::Select [3, Fn::GetAZs us-east-1]"))
        .expect("gap");
    assert!(
        gap.error.contains("cannot be resolved from the template"),
        "{}",
        gap.error
    );
    assert!(gap.error.contains("Fn::GetAZs"), "{}", gap.error);
    let acl = s
        .ec2
        .network_acls
        .iter()
        .flatten()
        .find(|x| x.network_acl_id == "Acl")
        .expect("acl");
    assert!(acl.entries.iter().any(|e| e.rule_number == 100
        && e.protocol == "6"
        && e.port_range.and_then(|p| p.from) == Some(2049)));
    assert_eq!(acl.associations[0].subnet_id.as_deref(), Some("SubnetA"));
    let rt = s
        .ec2
        .route_tables
        .iter()
        .flatten()
        .find(|x| x.route_table_id == "Routes")
        .expect("route table");
    assert_eq!(rt.routes.len(), 2);
    assert_eq!(rt.associations[0].subnet_id.as_deref(), Some("SubnetA"));
    let exec = s
        .iam
        .roles
        .iter()
        .flatten()
        .find(|r| r.role_name == "ecsTaskExecutionRole")
        .expect("base role");
    assert!(exec
        .attached_managed_policies
        .iter()
        .any(|p| p.policy_arn == "arn:aws:iam::123456789012:policy/efs-mount"));
    // The new VPC's default security group exists for services that name none.
    assert_eq!(
        sg(&s, "Vpc.DefaultSecurityGroup").group_name.as_deref(),
        Some("default")
    );
}

// ---------------------------------------------------------------- end to end: Terraform

#[test]
fn healthy_plan_passes_with_the_iac_address_as_origin() {
    let plan = fixture("terraform/plan.json");
    let (v, code) = run_json(&["--terraform-plan", &plan, "--fail-on", "unknown"]);
    assert_eq!(code, 0, "{:#}", json!(non_passing(&v)));
    assert_eq!(v["source"]["kind"], "terraform-plan");
    assert_eq!(v["source"]["file"], plan.as_str());
    assert_eq!(v["summary"]["targets"], 1);
    assert!(v["summary"]["pass"].as_u64().unwrap_or(0) >= 20);
    for f in findings(&v) {
        assert_eq!(f["status"], "pass", "{f}");
        assert_eq!(f["target"]["origin"], format!("{plan}#aws_ecs_service.web"));
        assert_eq!(f["target"]["kind"], "service");
        assert_eq!(f["target"]["cluster"], "prod");
    }
}

#[test]
fn broken_plans_are_found_at_their_address() {
    let cases = [
        ("terraform/plan-az-without-mount-target.json", "NET001", "subnet-0c3c3c3c3c3c3c3c3",
         "`network_configuration.subnets` of aws_ecs_service.web"),
        ("terraform/plan-iam-without-tls.json", "ECS003", "aws_ecs_task_definition.web",
         "`transit_encryption = \"ENABLED\"` in `volume.efs_volume_configuration` of aws_ecs_task_definition.web"),
        ("terraform/plan-iam-without-tls.json", "ECS004", "module.efs.aws_efs_access_point.app",
         "of aws_ecs_task_definition.web (volume data)"),
        ("terraform/plan-platform-1.3.0.json", "ECS001", "web",
         "set `platform_version` of aws_ecs_service.web to \"1.4.0\""),
    ];
    for (file, rule, resource, fix) in cases {
        let path = fixture(file);
        let (v, code) = run_json(&["--terraform-plan", &path]);
        assert_eq!(code, 1, "{file}");
        let bad = non_passing(&v);
        let f = bad
            .iter()
            .find(|f| f["rule"] == rule)
            .unwrap_or_else(|| panic!("{rule} in {file}: {:#}", json!(bad)));
        assert_eq!(f["status"], "fail", "{f}");
        assert_eq!(f["resource"], resource, "{f}");
        assert_eq!(f["target"]["origin"], format!("{path}#aws_ecs_service.web"));
        let fix_text = f["fix"].as_str().unwrap_or("");
        assert!(fix_text.contains("Terraform: "), "{fix_text}");
        assert!(fix_text.contains(fix), "{fix_text}");
        // Only the broken rule(s) are broken.
        assert!(
            bad.iter().all(|f| f["status"] == "fail"
                && ["NET001", "ECS003", "ECS004", "ECS001"]
                    .contains(&f["rule"].as_str().unwrap_or(""))),
            "{:#}",
            json!(bad)
        );
    }
    // The mount target is created by the plan, so the AWS CLI command gives way to the
    // Terraform resource; the service does not exist yet, so `update-service` cannot run either.
    let (v, _) = run_json(&[
        "--terraform-plan",
        &fixture("terraform/plan-az-without-mount-target.json"),
    ]);
    let net001 = &non_passing(&v)[0];
    assert!(
        net001["fix"]
            .as_str()
            .unwrap_or("")
            .starts_with("In Terraform: add an `aws_efs_mount_target`"),
        "{net001}"
    );
    let (v, _) = run_json(&[
        "--terraform-plan",
        &fixture("terraform/plan-platform-1.3.0.json"),
    ]);
    assert!(!non_passing(&v)[0]["fix"]
        .as_str()
        .unwrap_or("")
        .contains("aws ecs update-service"));
    // Where the AWS CLI fix stands on its own (it names no new resource), it stays in front.
    let (v, _) = run_json(&[
        "--terraform-plan",
        &fixture("terraform/plan-iam-without-tls.json"),
    ]);
    let ecs003 = non_passing(&v)
        .into_iter()
        .find(|f| f["rule"] == "ECS003")
        .expect("ECS003");
    assert!(
        ecs003["fix"]
            .as_str()
            .unwrap_or("")
            .starts_with("Set \"transitEncryption\": \"ENABLED\""),
        "{ecs003}"
    );
}

#[test]
fn security_group_without_nfs_is_visible_to_the_network_rules() {
    // NET005 judges the security groups; this build may not have it yet, but the overlay must
    // show the group as it will be (see terraform_security_group_without_nfs_keeps_its_wrong_port).
    let (v, code) = run_json(&[
        "--terraform-plan",
        &fixture("terraform/plan-sg-without-nfs.json"),
    ]);
    if rule_exists("NET005") {
        assert_eq!(code, 1);
        assert!(non_passing(&v)
            .iter()
            .any(|f| f["rule"] == "NET005" && f["status"] == "fail"));
    } else {
        assert_eq!(code, 0);
    }
}

#[test]
fn unknown_mount_target_subnet_gives_unknown_known_after_apply() {
    let path = fixture("terraform/plan-mount-target-subnet-unknown.json");
    let (v, code) = run_json(&["--terraform-plan", &path]);
    assert_eq!(code, 0, "unknown is not a failure by default");
    let unknown: Vec<Value> = non_passing(&v);
    assert!(!unknown.is_empty());
    for f in &unknown {
        assert_eq!(f["status"], "unknown", "{f}");
        assert_eq!(
            f["message"],
            "Cannot decide: `subnet_id` of aws_efs_mount_target.extra is known after apply."
        );
    }
    for rule in ["NET001", "NET002", "NET003"] {
        assert!(unknown.iter().any(|f| f["rule"] == rule), "{rule}");
    }
    let (_, code) = run_json(&["--terraform-plan", &path, "--fail-on", "unknown"]);
    assert_eq!(code, 1);
    bin()
        .args([
            "check",
            "--terraform-plan",
            &path,
            "--snapshot",
            &fixture("base.json"),
        ])
        .assert()
        .code(0)
        .stdout(predicate::str::contains(
            "terraform:plan on aws_efs_mount_target.extra.subnet_id",
        ));
}

#[test]
fn lone_task_definition_is_placed_by_the_flags() {
    // The healthy plan without its service: the task definition is the target.
    let mut plan: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("terraform/plan.json")).expect("read"),
    )
    .expect("json");
    let keep = |list: &mut Value| {
        if let Some(a) = list.as_array_mut() {
            a.retain(|r| r["type"] != "aws_ecs_service");
        }
    };
    keep(&mut plan["planned_values"]["root_module"]["resources"]);
    keep(&mut plan["resource_changes"]);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write_temp(
        &dir,
        "td-only.json",
        &serde_json::to_string_pretty(&plan).expect("json"),
    );
    let path = path.display().to_string();
    let (v, code) = run_json(&[
        "--terraform-plan",
        &path,
        "--subnets",
        "subnet-0a1a1a1a1a1a1a1a1,subnet-0c3c3c3c3c3c3c3c3",
        "--security-groups",
        "sg-0d4d4d4d4d4d4d4d4",
    ]);
    assert_eq!(code, 1);
    let f = non_passing(&v)
        .into_iter()
        .find(|f| f["rule"] == "NET001")
        .expect("NET001");
    assert_eq!(f["resource"], "subnet-0c3c3c3c3c3c3c3c3");
    assert_eq!(f["target"]["kind"], "task-definition");
    assert_eq!(f["target"]["name"], "web");
    assert_eq!(
        f["target"]["origin"],
        format!("{path}#aws_ecs_task_definition.web")
    );
    assert!(
        f["fix"]
            .as_str()
            .unwrap_or("")
            .contains("the service that runs it"),
        "{f}"
    );
    // Without placement the network rules cannot decide.
    let (v, _) = run_json(&["--terraform-plan", &path]);
    assert!(non_passing(&v)
        .iter()
        .any(|f| f["rule"] == "NET001" && f["status"] == "unknown"));
    // Placement flags with a plan whose task definitions all run in services are refused.
    bin()
        .args([
            "check",
            "--terraform-plan",
            &fixture("terraform/plan.json"),
            "--subnets",
            "subnet-1",
            "--snapshot",
            &fixture("base.json"),
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no service runs"));
}

// ---------------------------------------------------------------- end to end: CloudFormation

#[test]
fn cdk_template_passes_all_but_the_anonymous_mount_rule() {
    let path = fixture("cloudformation/cdk-app.template.json");
    let (v, code) = run_json(&["--cloudformation", &path]);
    assert_eq!(v["source"]["kind"], "cloudformation");
    let bad = non_passing(&v);
    if rule_exists("IAM001") {
        // H1: the CDK default file-system policy grants no ClientMount to anonymous clients.
        assert_eq!(code, 1);
        let f = bad
            .iter()
            .find(|f| f["rule"] == "IAM001")
            .expect("IAM001 fails");
        assert_eq!(f["status"], "fail");
        assert!(f["fix"].as_str().unwrap_or("").contains("Add `elasticfilesystem:ClientMount` to the FileSystemPolicy of EfsFileSystem37910666")
            || f["fix"].as_str().unwrap_or("").contains("`elasticfilesystem:ClientMount` to the `FileSystemPolicy` of EfsFileSystem37910666"), "{f}");
        assert!(
            bad.iter().all(|f| f["rule"] == "IAM001"),
            "{:#}",
            json!(bad)
        );
    } else {
        assert_eq!(code, 0, "{:#}", json!(bad));
        assert!(bad.is_empty(), "{:#}", json!(bad));
    }
    for f in findings(&v) {
        assert_eq!(f["target"]["origin"], format!("{path}#ServiceD69D759B"));
        assert_eq!(f["target"]["name"], "ServiceD69D759B");
    }
}

#[test]
fn cdk_access_point_without_tls_is_found() {
    let path = fixture("cloudformation/cdk-app-ap-without-tls.template.json");
    let (v, code) = run_json(&["--cloudformation", &path]);
    assert_eq!(code, 1);
    let f = non_passing(&v)
        .into_iter()
        .find(|f| f["rule"] == "ECS004")
        .expect("ECS004");
    assert_eq!(f["status"], "fail");
    assert_eq!(f["resource"], "EfsAccessPointE419FED9");
    assert_eq!(f["target"]["origin"], format!("{path}#ServiceD69D759B"));
    assert!(f["fix"].as_str().unwrap_or("").ends_with(
        "in CloudFormation: set `TransitEncryption: ENABLED` in `Volumes[].EFSVolumeConfiguration` of TaskDef54694570 (volume efs-data)"
    ), "{f}");
}

#[test]
fn yaml_template_with_parameters_healthy_and_broken() {
    let path = fixture("cloudformation/app.yaml");
    let params = fixture("cloudformation/app-params.json");
    let placement = "subnet-0a1a1a1a1a1a1a1a1,subnet-0b2b2b2b2b2b2b2b2";
    let (v, code) = run_json(&[
        "--cloudformation",
        &path,
        "--parameters",
        &params,
        "--subnets",
        placement,
        // The task definition without a service runs in the template's task group; without
        // --security-groups it would get the VPC default group, which the EFS group does not admit.
        "--security-groups",
        "TaskSecurityGroup",
        "--fail-on",
        "unknown",
    ]);
    assert_eq!(code, 0, "{:#}", json!(non_passing(&v)));
    assert_eq!(v["summary"]["targets"], 2);
    let origins: Vec<String> = findings(&v)
        .iter()
        .map(|f| f["target"]["origin"].as_str().unwrap_or("").to_owned())
        .collect();
    assert!(origins.contains(&format!("{path}#Service")));
    assert!(origins.contains(&format!("{path}#DebugTaskDefinition")));
    // Key=Value pairs override the file: an old platform version.
    let (v, code) = run_json(&[
        "--cloudformation",
        &path,
        "--parameters",
        &params,
        "--parameters",
        "PlatformVersion=1.3.0",
        "--subnets",
        placement,
    ]);
    assert_eq!(code, 1);
    let f = non_passing(&v)
        .into_iter()
        .find(|f| f["rule"] == "ECS001")
        .expect("ECS001");
    assert_eq!(
        f["fix"],
        "In CloudFormation: set `PlatformVersion` of Service to 1.4.0 (or remove it for LATEST)"
    );
    // A third task subnet in an AZ without a mount target.
    let (v, code) = run_json(&[
        "--cloudformation",
        &path,
        "--parameters",
        &params,
        "--parameters",
        "Subnets=subnet-0a1a1a1a1a1a1a1a1,subnet-0b2b2b2b2b2b2b2b2,subnet-0c3c3c3c3c3c3c3c3",
        "--subnets",
        placement,
    ]);
    assert_eq!(code, 1);
    let f = non_passing(&v)
        .into_iter()
        .find(|f| f["rule"] == "NET001")
        .expect("NET001");
    assert_eq!(f["resource"], "subnet-0c3c3c3c3c3c3c3c3");
    assert_eq!(f["target"]["origin"], format!("{path}#Service"));
    assert!(f["fix"]
        .as_str()
        .unwrap_or("")
        .contains("AWS::EFS::MountTarget"));
}

#[test]
fn unresolvable_template_values_give_unknown_with_the_cause() {
    // No value for the Subnets parameter.
    let path = fixture("cloudformation/app.yaml");
    let (v, code) = run_json(&[
        "--cloudformation",
        &path,
        "--parameters",
        "VpcId=vpc-0c1a2b3c4d5e6f708",
        "--subnets",
        "subnet-0a1a1a1a1a1a1a1a1",
    ]);
    assert_eq!(code, 0);
    let service: Vec<Value> = non_passing(&v)
        .into_iter()
        .filter(|f| f["target"]["origin"] == format!("{path}#Service"))
        .collect();
    assert!(!service.is_empty());
    for f in &service {
        assert_eq!(f["status"], "unknown", "{f}");
        let m = f["message"].as_str().unwrap_or("");
        assert!(m.contains("cannot be resolved from the template (parameter Subnets has no value; pass --parameters Subnets=VALUE)"), "{m}");
    }
    assert!(service.iter().any(|f| f["message"]
        .as_str()
        .unwrap_or("")
        .contains("`NetworkConfiguration.AwsvpcConfiguration.Subnets` of Service")));
    // Fn::ImportValue.
    let path = fixture("cloudformation/app-importvalue.yaml");
    let (v, code) = run_json(&[
        "--cloudformation",
        &path,
        "--parameters",
        &fixture("cloudformation/app-params.json"),
        "--subnets",
        "subnet-0a1a1a1a1a1a1a1a1",
        "--fail-on",
        "unknown",
    ]);
    assert_eq!(code, 1);
    let f = non_passing(&v)
        .into_iter()
        .find(|f| f["rule"] == "NET001")
        .expect("NET001");
    assert_eq!(f["status"], "unknown");
    assert_eq!(f["message"], "Cannot decide: `NetworkConfiguration.AwsvpcConfiguration.Subnets` of Service cannot be resolved from the template (Fn::ImportValue network-PrivateSubnetIds is another stack's export).");
}

#[test]
fn new_vpc_in_a_template_fails_dns_hostnames_with_the_property_to_set() {
    let template = json!({
        "Resources": {
            "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.50.0.0/16", "EnableDnsSupport": true}},
            "Sub": {"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": {"Ref": "Vpc"}, "CidrBlock": "10.50.0.0/24", "AvailabilityZoneId": "use1-az6"}},
            "Fs": {"Type": "AWS::EFS::FileSystem", "Properties": {}},
            "Mt": {"Type": "AWS::EFS::MountTarget", "Properties": {"FileSystemId": {"Ref": "Fs"}, "SubnetId": {"Ref": "Sub"}, "SecurityGroups": [{"Fn::GetAtt": ["Vpc", "DefaultSecurityGroup"]}]}},
            "Td": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"RequiresCompatibilities": ["FARGATE"], "NetworkMode": "awsvpc",
                "ContainerDefinitions": [{"Name": "app", "Image": "busybox", "User": "root", "MountPoints": [{"SourceVolume": "d", "ContainerPath": "/d"}]}],
                "Volumes": [{"Name": "d", "EFSVolumeConfiguration": {"FilesystemId": {"Ref": "Fs"}}}]}},
            "Svc": {"Type": "AWS::ECS::Service", "Properties": {"LaunchType": "FARGATE", "TaskDefinition": {"Ref": "Td"},
                "NetworkConfiguration": {"AwsvpcConfiguration": {"Subnets": [{"Ref": "Sub"}]}}}}
        }
    });
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write_temp(
        &dir,
        "vpc.template.json",
        &serde_json::to_string_pretty(&template).expect("json"),
    );
    let path = path.display().to_string();
    let (v, code) = run_json(&["--cloudformation", &path]);
    assert_eq!(code, 1);
    let bad = non_passing(&v);
    let f = bad.iter().find(|f| f["rule"] == "DNS002").expect("DNS002");
    assert_eq!(f["status"], "fail");
    assert_eq!(f["resource"], "Vpc");
    assert_eq!(f["fix"], "In CloudFormation: set `EnableDnsHostnames: true` on the AWS::EC2::VPC Vpc (the default is false)");
    assert!(
        bad.iter()
            .all(|f| f["rule"] == "DNS002" || f["rule"] == "DNS003"),
        "{:#}",
        json!(bad)
    );
    // The new VPC's DHCP options are assigned at creation: DNS003 cannot decide.
    assert!(bad
        .iter()
        .any(|f| f["rule"] == "DNS003" && f["status"] == "unknown"));
}

// ---------------------------------------------------------------- SARIF

fn sarif(args: &[&str]) -> Value {
    let out = bin()
        .arg("check")
        .args(args)
        .args(["--snapshot", &fixture("base.json"), "--format", "sarif"])
        .output()
        .expect("runs");
    serde_json::from_slice(&out.stdout).expect("SARIF is JSON")
}

fn line_of(path: &str, needle: &str) -> u64 {
    let text = std::fs::read_to_string(path).expect("read");
    let idx = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} in {path}"));
    u64::try_from(text[..idx].matches('\n').count() + 1).expect("line")
}

#[test]
fn sarif_points_at_the_declaring_line_of_the_plan_or_template() {
    let cases = [
        (
            vec!["--terraform-plan", "terraform/plan-platform-1.3.0.json"],
            "\"address\": \"aws_ecs_service.web\"",
        ),
        (
            vec![
                "--cloudformation",
                "cloudformation/cdk-app-ap-without-tls.template.json",
            ],
            "\"ServiceD69D759B\": {",
        ),
        (
            vec![
                "--cloudformation",
                "cloudformation/app.yaml",
                "--parameters",
                "PlatformVersion=1.3.0",
            ],
            "\n  Service:\n",
        ),
    ];
    for (args, needle) in cases {
        let file = fixture(args[1]);
        let mut full: Vec<String> = vec![args[0].to_owned(), file.clone()];
        full.extend(args[2..].iter().map(|s| (*s).to_owned()));
        if args[1].ends_with("app.yaml") {
            full.extend([
                "--parameters".to_owned(),
                fixture("cloudformation/app-params.json"),
                "--parameters".to_owned(),
                "PlatformVersion=1.3.0".to_owned(),
            ]);
        }
        let refs: Vec<&str> = full.iter().map(String::as_str).collect();
        let v = sarif(&refs);
        let result = v["runs"][0]["results"]
            .as_array()
            .and_then(|r| r.iter().find(|r| r["level"] == "error"))
            .cloned()
            .unwrap_or_else(|| panic!("an error result for {file}"));
        let loc = &result["locations"][0]["physicalLocation"];
        // An absolute path is written as a file:// URI (SARIF §3.10).
        assert_eq!(loc["artifactLocation"]["uri"], format!("file://{file}"));
        let expected = line_of(&file, needle) + u64::from(needle.starts_with('\n'));
        assert_eq!(loc["region"]["startLine"], expected, "{file}");
        assert!(expected > 1);
    }
}

// ---------------------------------------------------------------- bad input

fn check_fails_with(args: &[&str], needles: &[&str]) {
    let mut a = bin();
    a.arg("check")
        .args(args)
        .args(["--snapshot", &fixture("base.json")]);
    let mut assert = a.assert().code(2);
    for n in needles {
        assert = assert.stderr(predicate::str::contains(*n));
    }
}

#[test]
fn malformed_plans_and_templates_exit_2_with_file_line_and_column() {
    let dir = tempfile::tempdir().expect("tempdir");
    let truncated = write_temp(
        &dir,
        "truncated.json",
        "{\n  \"format_version\": \"1.2\",\n  \"planned_values\": {\n",
    );
    check_fails_with(
        &["--terraform-plan", &truncated.display().to_string()],
        &[
            &format!("{}:4:", truncated.display()),
            "unexpected end of file",
        ],
    );
    let newer = write_temp(
        &dir,
        "v2.json",
        "{\n  \"format_version\": \"2.0\",\n  \"planned_values\": {}\n}\n",
    );
    check_fails_with(
        &["--terraform-plan", &newer.display().to_string()],
        &[&format!("{}:2:3:", newer.display()), "format 1.x"],
    );
    let state = write_temp(
        &dir,
        "state.json",
        "{\"format_version\": \"1.0\", \"values\": {}}",
    );
    check_fails_with(
        &["--terraform-plan", &state.display().to_string()],
        &["state", "terraform show -json tfplan"],
    );
    let bad_td = {
        let mut plan: Value = serde_json::from_str(
            &std::fs::read_to_string(fixture("terraform/plan.json")).expect("read"),
        )
        .expect("json");
        for pointer in ["/planned_values/root_module/resources", "/resource_changes"] {
            let list = plan
                .pointer_mut(pointer)
                .and_then(Value::as_array_mut)
                .expect("list");
            for r in list.iter_mut() {
                if r["type"] == "aws_ecs_task_definition" {
                    if let Some(v) = r.get_mut("values") {
                        v["container_definitions"] = json!("[{\"name\": ");
                    }
                    if let Some(v) = r.pointer_mut("/change/after") {
                        v["container_definitions"] = json!("[{\"name\": ");
                    }
                }
            }
        }
        write_temp(
            &dir,
            "bad-td.json",
            &serde_json::to_string_pretty(&plan).expect("json"),
        )
    };
    let text = std::fs::read_to_string(&bad_td).expect("read");
    let line = text[..text
        .find("\"address\": \"aws_ecs_task_definition.web\"")
        .expect("address")]
        .matches('\n')
        .count()
        + 1;
    check_fails_with(
        &["--terraform-plan", &bad_td.display().to_string()],
        &[
            &format!("{}:{line}:", bad_td.display()),
            "`container_definitions` of aws_ecs_task_definition.web is not a JSON list",
        ],
    );
    let yaml = write_temp(
        &dir,
        "bad.yaml",
        "Resources:\n  Fs:\n    Type: AWS::EFS::FileSystem\n   Properties: {}\n",
    );
    check_fails_with(
        &["--cloudformation", &yaml.display().to_string()],
        &[&format!("{}:4:", yaml.display()), "not valid YAML"],
    );
    let no_type = write_temp(
        &dir,
        "notype.json",
        "{\n \"Resources\": {\n  \"Fs\": {\n   \"Properties\": {}\n  }\n }\n}\n",
    );
    check_fails_with(
        &["--cloudformation", &no_type.display().to_string()],
        &[
            &format!("{}:3:3:", no_type.display()),
            "resource Fs has no `Type`",
        ],
    );
    let no_resources = write_temp(
        &dir,
        "empty.yaml",
        "AWSTemplateFormatVersion: \"2010-09-09\"\nOutputs: {}\n",
    );
    check_fails_with(
        &["--cloudformation", &no_resources.display().to_string()],
        &["`Resources` is missing"],
    );
    let params = write_temp(&dir, "params.json", "[{\"Key\": 1}]");
    check_fails_with(
        &[
            "--cloudformation",
            &fixture("cloudformation/app.yaml"),
            "--parameters",
            &params.display().to_string(),
        ],
        &["expected CloudFormation parameters"],
    );
    check_fails_with(
        &["--terraform-plan", "no-such-plan.json"],
        &["no-such-plan.json: cannot read the file"],
    );
}

#[test]
fn conflicting_flags_exit_2() {
    let plan = fixture("terraform/plan.json");
    let template = fixture("cloudformation/cdk-app.template.json");
    check_fails_with(
        &["--terraform-plan", &plan, "--cloudformation", &template],
        &["give one of"],
    );
    check_fails_with(
        &["--terraform-plan", &plan, "--task-definition", &plan],
        &["cannot be combined"],
    );
    check_fails_with(
        &["--terraform-plan", &plan, "--parameters", "A=b"],
        &["--parameters"],
    );
    check_fails_with(&["--parameters", "A=b"], &["--parameters"]);
}

// ---------------------------------------------------------------- KMS keys, Route 53 zones and
// Resolver rules the input creates (EFS009, DNS004, DNS005)

/// The EFS009 / DNS004 / DNS005 findings of a check: (rule, status, resource, message, fix).
fn kms_dns_findings(args: &[&str]) -> Vec<(String, String, String, String, String)> {
    let (v, _) = run_json(args);
    findings(&v)
        .into_iter()
        .filter(|f| ["EFS009", "DNS004", "DNS005"].contains(&f["rule"].as_str().unwrap_or("")))
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or("").to_owned();
            (
                s("rule"),
                s("status"),
                s("resource"),
                s("message"),
                s("fix"),
            )
        })
        .collect()
}

/// Every finding of the check passes except the listed (rule, status) pairs.
fn only_these_do_not_pass(args: &[&str], expected: &[(&str, &str)]) -> Value {
    let (v, _) = run_json(args);
    let mut got: Vec<(String, String)> = non_passing(&v)
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or("").to_owned(),
                f["status"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect();
    got.sort();
    let mut want: Vec<(String, String)> = expected
        .iter()
        .map(|(r, s)| ((*r).to_owned(), (*s).to_owned()))
        .collect();
    want.sort();
    assert_eq!(got, want, "{args:?}: {:#}", json!(non_passing(&v)));
    v
}

fn tf_args(file: &str) -> Vec<String> {
    vec![
        "--terraform-plan".into(),
        fixture(&format!("terraform/{file}")),
    ]
}

fn cfn_args(file: &str) -> Vec<String> {
    vec![
        "--cloudformation".into(),
        fixture(&format!("cloudformation/{file}")),
        "--parameters".into(),
        fixture("cloudformation/app-params.json"),
        // Without the lone debug task definition (it exists only in prod).
        "--parameters".into(),
        "Env=staging".into(),
    ]
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

#[test]
fn a_planned_kms_key_that_is_disabled_fails_efs009_at_its_address() {
    let args = tf_args("plan-kms-key-disabled.json");
    only_these_do_not_pass(&strs(&args), &[("EFS009", "fail")]);
    let f = kms_dns_findings(&strs(&args));
    let efs009 = f.iter().find(|f| f.0 == "EFS009").expect("EFS009");
    // The file system takes the key through a module input (`kms_key_id = var.kms_key_arn`).
    assert_eq!(efs009.2, "aws_kms_key.efs");
    assert!(
        efs009
            .3
            .contains("encrypted with KMS key aws_kms_key.efs and it is disabled"),
        "{efs009:?}"
    );
    // The key does not exist yet: only the Terraform argument is offered.
    assert!(
        efs009.4.starts_with(
            "In Terraform: set `is_enabled = true` on the `aws_kms_key` aws_kms_key.efs"
        ),
        "{efs009:?}"
    );
    let args = cfn_args("app-kms-key-disabled.yaml");
    only_these_do_not_pass(&strs(&args), &[("EFS009", "fail")]);
    let f = kms_dns_findings(&strs(&args));
    let efs009 = f.iter().find(|f| f.0 == "EFS009").expect("EFS009");
    assert_eq!(efs009.2, "arn:aws:kms:us-east-1:123456789012:key/DataKey");
    assert!(
        efs009.3.contains("KMS key DataKey and it is disabled"),
        "{efs009:?}"
    );
    assert!(
        efs009
            .4
            .starts_with("In CloudFormation: set `Enabled: true` on the AWS::KMS::Key"),
        "{efs009:?}"
    );
}

#[test]
fn a_planned_forward_rule_for_the_efs_domain_fails_dns004() {
    for (args, rule, fix) in [
        (
            tf_args("plan-resolver-rule-forwards-efs.json"),
            "aws_route53_resolver_rule.efs",
            "In Terraform: remove the `aws_route53_resolver_rule_association` of rule aws_route53_resolver_rule.efs",
        ),
        (
            cfn_args("app-resolver-rule-forwards-efs.yaml"),
            "EfsRule",
            "In CloudFormation: remove the AWS::Route53Resolver::ResolverRuleAssociation of rule EfsRule",
        ),
    ] {
        only_these_do_not_pass(&strs(&args), &[("DNS004", "fail")]);
        let f = kms_dns_findings(&strs(&args));
        let dns004 = f.iter().find(|f| f.0 == "DNS004").expect("DNS004");
        assert_eq!(dns004.2, rule);
        assert!(
            dns004.3.contains(&format!(
                "FORWARD rule {rule} for `efs.us-east-1.amazonaws.com` is associated with vpc-0c1a2b3c4d5e6f708"
            )),
            "{dns004:?}"
        );
        assert!(dns004.4.starts_with(fix), "{dns004:?}");
        // The rule wins over any zone: DNS005 defers to DNS004.
        let dns005 = f.iter().find(|f| f.0 == "DNS005").expect("DNS005");
        assert_eq!(dns005.1, "pass");
    }
}

#[test]
fn a_planned_private_zone_named_like_the_efs_domain_fails_dns005() {
    for (args, zone, fix) in [
        (
            tf_args("plan-private-zone-shadows-efs.json"),
            "aws_route53_zone.efs",
            "In Terraform: remove the task VPC from the `vpc` blocks of the `aws_route53_zone` aws_route53_zone.efs",
        ),
        (
            cfn_args("app-private-zone-shadows-efs.yaml"),
            "EfsZone",
            "In CloudFormation: remove the task VPC from `VPCs` of the AWS::Route53::HostedZone EfsZone",
        ),
    ] {
        only_these_do_not_pass(&strs(&args), &[("DNS005", "fail")]);
        let f = kms_dns_findings(&strs(&args));
        let dns005 = f.iter().find(|f| f.0 == "DNS005").expect("DNS005");
        assert_eq!(dns005.2, zone);
        // A zone the input creates holds only SOA and NS records.
        assert!(
            dns005.3.contains(&format!(
                "Private hosted zone {zone} (`efs.us-east-1.amazonaws.com`) is associated with vpc-0c1a2b3c4d5e6f708"
            )) && dns005.3.contains("has no record for it"),
            "{dns005:?}"
        );
        assert!(dns005.4.starts_with(fix), "{dns005:?}");
    }
}

#[test]
fn enabled_key_system_rule_and_unrelated_zone_pass() {
    for args in [
        tf_args("plan-kms-dns-ok.json"),
        cfn_args("app-kms-dns-ok.yaml"),
    ] {
        let mut args = args;
        args.extend(["--fail-on".to_owned(), "unknown".to_owned()]);
        let (v, code) = run_json(&strs(&args));
        assert_eq!(code, 0, "{:#}", json!(non_passing(&v)));
        let f = kms_dns_findings(&strs(&args));
        assert_eq!(f.len(), 3, "{f:?}");
        let efs009 = f.iter().find(|f| f.0 == "EFS009").expect("EFS009");
        assert!(efs009.3.contains("is Enabled"), "{efs009:?}");
        let dns004 = f.iter().find(|f| f.0 == "DNS004").expect("DNS004");
        assert!(dns004.3.contains("SYSTEM rule"), "{dns004:?}");
    }
}

#[test]
fn values_known_only_after_deployment_make_efs009_dns004_dns005_unknown() {
    for (args, key_cause, vpc_cause) in [
        (
            tf_args("plan-kms-dns-unknown.json"),
            "Cannot decide: `is_enabled` of aws_kms_key.efs is known after apply.",
            "Cannot decide: `vpc_id` of aws_route53_resolver_rule_association.efs is known after apply.",
        ),
        (
            cfn_args("app-kms-dns-unknown.yaml"),
            "Cannot decide: `Enabled` of DataKey cannot be resolved from the template (Fn::ImportValue shared-key-enabled is another stack's export).",
            "Cannot decide: `VPCId` of EfsRuleAssociation cannot be resolved from the template (Fn::ImportValue shared-vpc-id is another stack's export).",
        ),
    ] {
        only_these_do_not_pass(
            &strs(&args),
            &[("EFS009", "unknown"), ("DNS004", "unknown"), ("DNS005", "unknown")],
        );
        let f = kms_dns_findings(&strs(&args));
        let by = |rule: &str| f.iter().find(|f| f.0 == rule).expect("finding");
        assert_eq!(by("EFS009").3, key_cause);
        assert_eq!(by("DNS004").3, vpc_cause);
        assert_eq!(by("DNS005").3, vpc_cause);
    }
}

/// A plan of the healthy fixture's service plus `rows` (in the root module), run end to end.
fn healthy_plus(rows: &[(&str, &str, Value, Value, Value)]) -> (tempfile::TempDir, PathBuf) {
    let mut d: Value = serde_json::from_str(
        &std::fs::read_to_string(fixture("terraform/plan.json")).expect("read"),
    )
    .expect("plan JSON");
    for (address, rtype, after, unknown, expressions) in rows {
        let name = address.rsplit('.').next().unwrap_or(address);
        let head = json!({"address": address, "mode": "managed", "type": rtype, "name": name,
            "provider_name": "registry.terraform.io/hashicorp/aws"});
        let mut planned = head.clone();
        planned["values"] = after.clone();
        d["planned_values"]["root_module"]["resources"]
            .as_array_mut()
            .expect("resources")
            .push(planned);
        let mut change = head.clone();
        change["change"] = json!({"actions": ["create"], "before": null, "after": after,
            "after_unknown": unknown});
        d["resource_changes"]
            .as_array_mut()
            .expect("changes")
            .push(change);
        let mut cfg = head;
        cfg["expressions"] = expressions.clone();
        d["configuration"]["root_module"]["resources"]
            .as_array_mut()
            .expect("configuration")
            .push(cfg);
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write_temp(&dir, "plan.json", &d.to_string());
    (dir, path)
}

#[test]
fn unknown_zone_names_rule_domains_and_rule_ids_are_unknown_never_pass() {
    let vpc = "vpc-0c1a2b3c4d5e6f708";
    let unresolved =
        json!({"references": ["data.aws_ssm_parameter.x.value", "data.aws_ssm_parameter.x"]});
    let cases = [
        (
            // A private zone whose name is known only after apply.
            vec![(
                "aws_route53_zone.z",
                "aws_route53_zone",
                json!({"vpc": [{"vpc_id": vpc}]}),
                json!({"name": true, "zone_id": true, "id": true}),
                json!({"name": unresolved.clone()}),
            )],
            "`name` of aws_route53_zone.z is known after apply",
        ),
        (
            // A rule whose domain is known only after apply, associated with the task VPC.
            vec![
                (
                    "aws_route53_resolver_rule.r",
                    "aws_route53_resolver_rule",
                    json!({"rule_type": "FORWARD"}),
                    json!({"domain_name": true, "id": true}),
                    json!({"domain_name": unresolved.clone()}),
                ),
                (
                    "aws_route53_resolver_rule_association.a",
                    "aws_route53_resolver_rule_association",
                    json!({"vpc_id": vpc}),
                    json!({"resolver_rule_id": true, "id": true}),
                    json!({"resolver_rule_id": {"references": ["aws_route53_resolver_rule.r.id", "aws_route53_resolver_rule.r"]}}),
                ),
            ],
            "`domain_name` of aws_route53_resolver_rule.r is known after apply",
        ),
        (
            // An association of a rule the plan cannot name.
            vec![(
                "aws_route53_resolver_rule_association.a",
                "aws_route53_resolver_rule_association",
                json!({"vpc_id": vpc}),
                json!({"resolver_rule_id": true, "id": true}),
                json!({"resolver_rule_id": unresolved.clone()}),
            )],
            "`resolver_rule_id` of aws_route53_resolver_rule_association.a is known after apply",
        ),
        (
            // A zone of an unrelated name in a VPC known only after apply cannot matter.
            vec![(
                "aws_route53_zone.z",
                "aws_route53_zone",
                json!({"name": "internal.example.com", "vpc": [{}]}),
                json!({"zone_id": true, "id": true, "vpc": [{"vpc_id": true}]}),
                json!({"vpc": [{"vpc_id": unresolved.clone()}]}),
            )],
            "",
        ),
        (
            // The same zone named like the EFS domain may be the task VPC's.
            vec![(
                "aws_route53_zone.z",
                "aws_route53_zone",
                json!({"name": "efs.us-east-1.amazonaws.com", "vpc": [{}]}),
                json!({"zone_id": true, "id": true, "vpc": [{"vpc_id": true}]}),
                json!({"vpc": [{"vpc_id": unresolved.clone()}]}),
            )],
            "`vpc[0].vpc_id` of aws_route53_zone.z is known after apply",
        ),
    ];
    for (rows, cause) in cases {
        let (_dir, path) = healthy_plus(&rows);
        let path = path.display().to_string();
        let f = kms_dns_findings(&["--terraform-plan", &path]);
        for rule in ["DNS004", "DNS005"] {
            let x = f.iter().find(|f| f.0 == rule).expect("finding");
            if cause.is_empty() {
                assert_eq!(x.1, "pass", "{x:?}");
            } else {
                assert_eq!(x.1, "unknown", "{x:?}");
                assert_eq!(x.3, format!("Cannot decide: {cause}."), "{x:?}");
            }
        }
    }
}

#[test]
fn kms_key_states_from_the_plan_and_template() {
    // A key reference that cannot be resolved is unknown, not the AWS managed key.
    let (_dir, path) = healthy_plus(&[]);
    let mut plan: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("JSON");
    let cfg = plan["configuration"]["root_module"]["module_calls"]["efs"]["module"]["resources"]
        .as_array_mut()
        .expect("module resources");
    for r in cfg.iter_mut() {
        if r["address"] == "aws_efs_file_system.this" {
            r["expressions"]["kms_key_id"] =
                json!({"references": ["data.aws_kms_key.shared.arn", "data.aws_kms_key.shared"]});
        }
    }
    std::fs::write(&path, plan.to_string()).expect("write");
    let p = path.display().to_string();
    let f = kms_dns_findings(&["--terraform-plan", &p]);
    let efs009 = f.iter().find(|f| f.0 == "EFS009").expect("EFS009");
    assert_eq!(efs009.1, "unknown");
    assert_eq!(
        efs009.3,
        "Cannot decide: `kms_key_id` of module.efs.aws_efs_file_system.this is known after apply."
    );

    // A key the plan destroys is scheduled for deletion; a file system that keeps using it fails.
    let plan = plan_of(
        &[(
            "aws_efs_file_system.fs",
            "aws_efs_file_system",
            json!({"id": "fs-0123456789abcdef0", "arn": "arn:aws:elasticfilesystem:us-east-1:123456789012:file-system/fs-0123456789abcdef0",
                   "encrypted": true, "kms_key_id": "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"}),
            json!({}),
            json!({}),
        )],
        &[],
    );
    let mut plan: Value = serde_json::from_str(&plan).expect("JSON");
    plan["resource_changes"].as_array_mut().expect("changes").push(json!({
        "address": "aws_kms_key.old", "mode": "managed", "type": "aws_kms_key", "name": "old",
        "change": {"actions": ["delete"], "before": {"id": "1234abcd-12ab-34cd-56ef-1234567890ab",
            "key_id": "1234abcd-12ab-34cd-56ef-1234567890ab",
            "arn": "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
            "is_enabled": true, "deletion_window_in_days": 7}, "after": null, "after_unknown": {}}}));
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write_temp(&dir, "plan.json", &plan.to_string());
    let s = merged(iac::load_terraform(&path, &base()).expect("plan converts"));
    let keys = s.kms.keys.expect("kms.Keys");
    assert_eq!(keys.len(), 1);
    assert_eq!(keys[0].key_id, "1234abcd-12ab-34cd-56ef-1234567890ab");
    assert_eq!(keys[0].key_state.as_deref(), Some("PendingDeletion"));

    // CloudFormation: a key with Origin EXTERNAL has no key material until one is imported.
    let template = json!({"Resources": {
        "Key": {"Type": "AWS::KMS::Key", "Properties": {"Origin": "EXTERNAL", "KeyPolicy": {}}},
        "Other": {"Type": "AWS::KMS::Key", "Properties": {"Enabled": false, "KeyPolicy": {}}},
        "Default": {"Type": "AWS::KMS::Key", "Properties": {"KeyPolicy": {}}},
        "Public": {"Type": "AWS::Route53::HostedZone", "Properties": {"Name": "example.com"}}
    }});
    let path = write_temp(&dir, "keys.json", &template.to_string());
    let s = merged(iac::load_cloudformation(&path, &[], &base()).expect("template converts"));
    let state = |id: &str| {
        s.kms
            .keys
            .iter()
            .flatten()
            .find(|k| k.key_id == id)
            .and_then(|k| k.key_state.clone())
    };
    assert_eq!(state("Key").as_deref(), Some("PendingImport"));
    assert_eq!(state("Other").as_deref(), Some("Disabled"));
    assert_eq!(state("Default").as_deref(), Some("Enabled"));
    assert_eq!(
        s.kms
            .keys
            .iter()
            .flatten()
            .find(|k| k.key_id == "Default")
            .and_then(|k| k.arn.clone())
            .as_deref(),
        Some("arn:aws:kms:us-east-1:123456789012:key/Default")
    );
    // A public zone cannot shadow a name in a VPC: it is not read.
    assert_eq!(s.route53.hosted_zones.as_ref().map(Vec::len), Some(0));
}

#[test]
fn records_the_input_adds_answer_in_their_zone() {
    let zone = |name: &str| {
        (
            "aws_route53_zone.z",
            "aws_route53_zone",
            json!({"name": name, "vpc": [{"vpc_id": "vpc-0c1a2b3c4d5e6f708"}]}),
            json!({"zone_id": true, "id": true}),
            json!({}),
        )
    };
    let record = |after: Value, unknown: Value| {
        (
            "aws_route53_record.fs",
            "aws_route53_record",
            after,
            unknown,
            json!({"zone_id": {"references": ["aws_route53_zone.z.zone_id", "aws_route53_zone.z"]}}),
        )
    };
    let cases = [
        // A wildcard record, named relative to its zone as the provider allows, answers the
        // file system's name.
        (
            record(json!({"name": "*", "type": "CNAME", "records": ["mt.example.internal"]}), json!({"zone_id": true})),
            "pass",
            "answers module.efs.aws_efs_file_system.this.efs.us-east-1.amazonaws.com with a record of its own",
        ),
        // A record of another type does not.
        (
            record(json!({"name": "*.efs.us-east-1.amazonaws.com", "type": "TXT", "records": ["x"]}), json!({"zone_id": true})),
            "fail",
            "has no record for it",
        ),
        // A record whose name is known only after apply (built from the new file system's id)
        // may be the one.
        (
            record(json!({"type": "A", "records": ["10.0.0.5"]}), json!({"zone_id": true, "name": true})),
            "unknown",
            "its records were not collected",
        ),
    ];
    for (row, status, message) in cases {
        let (_dir, path) = healthy_plus(&[zone("efs.us-east-1.amazonaws.com"), row]);
        let p = path.display().to_string();
        let f = kms_dns_findings(&["--terraform-plan", &p]);
        let dns005 = f.iter().find(|f| f.0 == "DNS005").expect("DNS005");
        assert_eq!(dns005.1, status, "{dns005:?}");
        assert!(dns005.3.contains(message), "{dns005:?}");
    }
    // CloudFormation: a record set group naming its zone by `HostedZoneName`.
    let path = fixture("cloudformation/app-private-zone-shadows-efs.yaml");
    let text = std::fs::read_to_string(&path).expect("read").replace(
        "\nOutputs:",
        "\n  EfsRecords:\n    Type: AWS::Route53::RecordSetGroup\n    Properties:\n      HostedZoneName: efs.us-east-1.amazonaws.com.\n      RecordSets:\n        - Name: \"*.efs.us-east-1.amazonaws.com\"\n          Type: A\n          TTL: \"60\"\n          ResourceRecords: [10.0.0.5]\n\nOutputs:",
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let template = write_temp(&dir, "app.yaml", &text);
    let mut args = cfn_args("app.yaml");
    args[1] = template.display().to_string();
    let f = kms_dns_findings(&strs(&args));
    let dns005 = f.iter().find(|f| f.0 == "DNS005").expect("DNS005");
    assert_eq!(dns005.1, "pass", "{dns005:?}");
}

#[test]
fn external_keys_and_zone_associations_of_a_plan() {
    let vpc = "vpc-0c1a2b3c4d5e6f708";
    // The plan's file system named by ARN through the module input, as in the key fixtures.
    let with_key = |rows: Vec<(&str, &str, Value, Value, Value)>, key_ref: &str| {
        let (dir, path) = healthy_plus(&rows);
        let mut plan: Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("JSON");
        let call = &mut plan["configuration"]["root_module"]["module_calls"]["efs"];
        call["expressions"]["kms_key_arn"] =
            json!({"references": [format!("{key_ref}.arn"), key_ref]});
        for r in call["module"]["resources"]
            .as_array_mut()
            .expect("resources")
        {
            if r["address"] == "aws_efs_file_system.this" {
                r["expressions"]["kms_key_id"] = json!({"references": ["var.kms_key_arn"]});
            }
        }
        std::fs::write(&path, plan.to_string()).expect("write");
        (dir, path)
    };
    // An external key without key material stays PendingImport.
    let (_dir, path) = with_key(
        vec![(
            "aws_kms_external_key.ext",
            "aws_kms_external_key",
            json!({"description": "byok", "multi_region": false}),
            json!({"id": true, "arn": true, "enabled": true, "key_state": true}),
            json!({"description": {"constant_value": "byok"}}),
        )],
        "aws_kms_external_key.ext",
    );
    let p = path.display().to_string();
    let f = kms_dns_findings(&["--terraform-plan", &p]);
    let efs009 = f.iter().find(|f| f.0 == "EFS009").expect("EFS009");
    assert_eq!(efs009.1, "fail", "{efs009:?}");
    assert_eq!(efs009.2, "aws_kms_external_key.ext");
    assert!(efs009.3.contains("(PendingImport)"), "{efs009:?}");
    // With key material (sensitive: set in the configuration) it is Enabled.
    let (_dir, path) = with_key(
        vec![(
            "aws_kms_external_key.ext",
            "aws_kms_external_key",
            json!({"description": "byok"}),
            json!({"id": true, "arn": true, "enabled": true, "key_state": true}),
            json!({"key_material_base64": {"references": ["var.key_material"]}}),
        )],
        "aws_kms_external_key.ext",
    );
    let p = path.display().to_string();
    let f = kms_dns_findings(&["--terraform-plan", &p]);
    assert_eq!(
        f.iter().find(|f| f.0 == "EFS009").expect("EFS009").1,
        "pass"
    );

    // A zone of the plan, created for another VPC, associated with the task VPC by a separate
    // resource, shadows the EFS domain there.
    let (_dir, path) = healthy_plus(&[
        (
            "aws_route53_zone.z",
            "aws_route53_zone",
            json!({"name": "efs.us-east-1.amazonaws.com", "vpc": [{"vpc_id": "vpc-0aaaaaaaaaaaaaaaa"}]}),
            json!({"zone_id": true, "id": true}),
            json!({}),
        ),
        (
            "aws_route53_zone_association.task",
            "aws_route53_zone_association",
            json!({"vpc_id": vpc}),
            json!({"zone_id": true, "id": true}),
            json!({"zone_id": {"references": ["aws_route53_zone.z.zone_id", "aws_route53_zone.z"]}}),
        ),
    ]);
    let p = path.display().to_string();
    let f = kms_dns_findings(&["--terraform-plan", &p]);
    let dns005 = f.iter().find(|f| f.0 == "DNS005").expect("DNS005");
    assert_eq!(
        (dns005.1.as_str(), dns005.2.as_str()),
        ("fail", "aws_route53_zone.z")
    );
    // A zone the base state does not hold: its name is unknown.
    let (_dir, path) = healthy_plus(&[(
        "aws_route53_zone_association.shared",
        "aws_route53_zone_association",
        json!({"zone_id": "Z0123456789ABCDEFGHIJ", "vpc_id": vpc}),
        json!({"id": true}),
        json!({}),
    )]);
    let p = path.display().to_string();
    for f in kms_dns_findings(&["--terraform-plan", &p])
        .iter()
        .filter(|f| f.0 != "EFS009")
    {
        assert_eq!(f.1, "unknown", "{f:?}");
        assert_eq!(
            f.3,
            "Cannot decide: aws_route53_zone_association.shared associates hosted zone Z0123456789ABCDEFGHIJ with vpc-0c1a2b3c4d5e6f708, and route53.HostedZones does not hold that zone, so its name is unknown."
        );
    }
}

// ---------------------------------------------------------------- VPCs whose DNS lists were read

/// base.json plus a second VPC, with the hosted zones and Resolver rule associations read for
/// that VPC only (`VpcsRead`), not for the VPC the inputs place their tasks in.
fn base_read_for_other_vpc(dir: &tempfile::TempDir) -> String {
    let mut d: Value =
        serde_json::from_str(&std::fs::read_to_string(fixture("base.json")).expect("read base"))
            .expect("base JSON");
    let other = "vpc-0ffffffffffffff01";
    d["ec2"]["Vpcs"]
        .as_array_mut()
        .expect("Vpcs")
        .push(json!({"VpcId": other, "CidrBlock": "10.99.0.0/16", "OwnerId": "123456789012"}));
    d["route53"]["VpcsRead"] = json!([other]);
    d["route53resolver"]["VpcsRead"] = json!([other]);
    write_temp(dir, "base-other-vpc.json", &d.to_string())
        .display()
        .to_string()
}

/// DNS004 and DNS005 findings of `check ARGS --snapshot SNAPSHOT`: (rule, status, message).
fn dns_findings_on(snapshot: &str, args: &[&str]) -> Vec<(String, String, String)> {
    let out = bin()
        .arg("check")
        .args(args)
        .args(["--snapshot", snapshot, "--format", "json"])
        .output()
        .expect("runs");
    let v: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}); stderr: {}",
            String::from_utf8_lossy(&out.stderr)
        )
    });
    findings(&v)
        .into_iter()
        .filter(|f| ["DNS004", "DNS005"].contains(&f["rule"].as_str().unwrap_or("")))
        .map(|f| {
            let s = |k: &str| f[k].as_str().unwrap_or("").to_owned();
            (s("rule"), s("status"), s("message"))
        })
        .collect()
}

#[test]
fn an_existing_vpc_whose_zones_and_rules_were_not_read_is_unknown_for_dns004_dns005() {
    let dir = tempfile::tempdir().expect("tempdir");
    let snap = base_read_for_other_vpc(&dir);
    let vpc = "vpc-0c1a2b3c4d5e6f708";
    for args in [
        tf_args("plan.json"),
        tf_args("plan-kms-dns-ok.json"),
        cfn_args("app-kms-dns-ok.yaml"),
    ] {
        // On base.json (no VpcsRead: the lists are complete) both pass.
        let f = kms_dns_findings(&strs(&args));
        assert!(
            f.iter()
                .filter(|f| f.0 == "DNS004" || f.0 == "DNS005")
                .all(|f| f.1 == "pass"),
            "{args:?}: {f:?}"
        );
        let f = dns_findings_on(&snap, &strs(&args));
        assert_eq!(f.len(), 2, "{args:?}: {f:?}");
        for (rule, status, message) in &f {
            assert_eq!(status, "unknown", "{args:?}: {rule} {message}");
            // Both rules look at the zones first: the first list not read is the reason.
            assert_eq!(
                message,
                &format!("Cannot decide: the private hosted zones of {vpc} were not read: the snapshot read them for vpc-0ffffffffffffff01."),
                "{args:?}"
            );
        }
    }
}

#[test]
fn a_vpc_the_input_creates_counts_as_read_for_dns004_dns005() {
    let dir = tempfile::tempdir().expect("tempdir");
    let snap = base_read_for_other_vpc(&dir);
    let template = json!({
        "Resources": {
            "Vpc": {"Type": "AWS::EC2::VPC", "Properties": {"CidrBlock": "10.50.0.0/16", "EnableDnsSupport": true, "EnableDnsHostnames": true}},
            "Sub": {"Type": "AWS::EC2::Subnet", "Properties": {"VpcId": {"Ref": "Vpc"}, "CidrBlock": "10.50.0.0/24", "AvailabilityZoneId": "use1-az6"}},
            "Fs": {"Type": "AWS::EFS::FileSystem", "Properties": {}},
            "Mt": {"Type": "AWS::EFS::MountTarget", "Properties": {"FileSystemId": {"Ref": "Fs"}, "SubnetId": {"Ref": "Sub"}, "SecurityGroups": [{"Fn::GetAtt": ["Vpc", "DefaultSecurityGroup"]}]}},
            "Td": {"Type": "AWS::ECS::TaskDefinition", "Properties": {"RequiresCompatibilities": ["FARGATE"], "NetworkMode": "awsvpc",
                "ContainerDefinitions": [{"Name": "app", "Image": "busybox", "User": "root", "MountPoints": [{"SourceVolume": "d", "ContainerPath": "/d"}]}],
                "Volumes": [{"Name": "d", "EFSVolumeConfiguration": {"FilesystemId": {"Ref": "Fs"}}}]}},
            "Svc": {"Type": "AWS::ECS::Service", "Properties": {"LaunchType": "FARGATE", "TaskDefinition": {"Ref": "Td"},
                "NetworkConfiguration": {"AwsvpcConfiguration": {"Subnets": [{"Ref": "Sub"}]}}}}
        }
    });
    let path = write_temp(
        &dir,
        "vpc.template.json",
        &serde_json::to_string_pretty(&template).expect("json"),
    );
    let path = path.display().to_string();
    let f = dns_findings_on(&snap, &["--cloudformation", &path]);
    assert_eq!(f.len(), 2, "{f:?}");
    for (rule, status, message) in &f {
        assert_eq!(status, "pass", "{rule} {message}");
    }
    // The merged state lists the new VPC as read, after the VPCs of the snapshot.
    let base = snapshot::load(Path::new(&snap)).expect("base");
    let input = iac::load_cloudformation(Path::new(&path), &[], &base).expect("template converts");
    let mut merged = base;
    input.overlay.apply(&mut merged, input.front);
    for read in [
        merged.route53.vpcs_read.as_ref(),
        merged.route53resolver.vpcs_read.as_ref(),
    ] {
        assert_eq!(
            read.map(|r| r.iter().map(String::as_str).collect::<Vec<_>>()),
            Some(vec!["vpc-0ffffffffffffff01", "Vpc"])
        );
    }
}

#[test]
fn a_vpc_a_plan_creates_is_added_to_vpcs_read_and_an_updated_one_is_not() {
    let dir = tempfile::tempdir().expect("tempdir");
    let snap = base_read_for_other_vpc(&dir);
    let plan = plan_of(
        &[
            (
                "aws_vpc.main",
                "aws_vpc",
                json!({"cidr_block": "10.30.0.0/16", "enable_dns_support": true, "enable_dns_hostnames": true}),
                json!({"id": true, "dhcp_options_id": true, "default_security_group_id": true}),
                json!({}),
            ),
            (
                // An existing VPC the plan changes (its id is known): not created, not read.
                "aws_vpc.existing",
                "aws_vpc",
                json!({"id": "vpc-0c1a2b3c4d5e6f708", "cidr_block": "10.0.0.0/16", "enable_dns_support": true, "enable_dns_hostnames": true}),
                json!({}),
                json!({}),
            ),
        ],
        &[],
    );
    let path = write_temp(&dir, "plan.json", &plan);
    let read_base = snapshot::load(Path::new(&snap)).expect("base");
    let input = iac::load_terraform(&path, &read_base).expect("plan converts");
    let mut merged = read_base;
    input.overlay.apply(&mut merged, input.front);
    for read in [
        merged.route53.vpcs_read.as_ref(),
        merged.route53resolver.vpcs_read.as_ref(),
    ] {
        assert_eq!(
            read.map(|r| r.iter().map(String::as_str).collect::<Vec<_>>()),
            Some(vec!["vpc-0ffffffffffffff01", "aws_vpc.main"])
        );
    }
    // Without VpcsRead in the base state the lists stay complete for every VPC.
    let complete = base();
    let input = iac::load_terraform(&path, &complete).expect("plan converts");
    let mut merged = complete;
    input.overlay.apply(&mut merged, input.front);
    assert!(merged.route53.vpcs_read.is_none() && merged.route53resolver.vpcs_read.is_none());
}
