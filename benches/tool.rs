//! `efs-preflight-bench`: the two programs the end-to-end benchmark (`scripts/bench.sh`) needs
//! besides `efs-preflight` itself.
//!
//! - `generate N [--seed S] [-o FILE]` writes a synthetic snapshot in the SPEC §5 format with `N`
//!   ECS services: one VPC per 10 services (6 subnets in 3 AZs, a default and a custom network
//!   ACL, a main and a private route table, DNS attributes), one file system per VPC with 3
//!   mount targets (behind a security group), an access point and a file-system policy, per
//!   service a task security group, a task role (trust policy, inline policy, managed
//!   attachments) and a task definition with 2 EFS volumes. About 2% of the services are broken
//!   in one of three ways (a file system without a mount target in one AZ, a task security
//!   group the mount targets do not admit on 2049, platform version 1.3.0). The snapshot also
//!   records one collection gap per 10 services (a denied `iam:GetRole` on a role no service
//!   uses). The output depends only on `N` and the seed. Objects carry the extra keys the AWS
//!   CLI prints, so the loader skips as much as it would on a real snapshot.
//! - `floor FILE` reads the file and parses it into a `serde_json::Value`: the least any program
//!   must do with the snapshot, against which `check` is measured. Like `check`, it leaves its
//!   data for the OS to free at exit.
//!
//! Built only with the `bench-tools` feature; it uses serde_json and nothing of the library.

use std::io::Write;
use std::process::ExitCode;

use serde_json::{json, Value};

const ACCOUNT: &str = "123456789012";
const REGION: &str = "us-east-1";
const AZS: [(&str, &str); 6] = [
    ("us-east-1a", "use1-az6"),
    ("us-east-1b", "use1-az1"),
    ("us-east-1c", "use1-az2"),
    ("us-east-1d", "use1-az4"),
    ("us-east-1e", "use1-az3"),
    ("us-east-1f", "use1-az5"),
];
/// Collection gaps: one per this many services.
const SERVICES_PER_GAP: usize = 10;
const SERVICES_PER_CLUSTER: usize = 50;
/// One service in this many is broken.
const BROKEN_ONE_IN: u64 = 50;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("generate") => generate_cmd(&args[1..]),
        Some("floor") => floor_cmd(&args[1..]),
        _ => Err(
            "usage: efs-preflight-bench generate N [--seed S] [--shape standard|wide|iam] [-o FILE] | floor FILE".to_owned(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("efs-preflight-bench: {e}");
            ExitCode::from(2)
        }
    }
}

/// Reads a file and parses it into a `serde_json::Value`, as `check` must at least do.
fn floor_cmd(args: &[String]) -> Result<(), String> {
    let [path] = args else {
        return Err("usage: efs-preflight-bench floor FILE".to_owned());
    };
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let value: Value = serde_json::from_str(&text).map_err(|e| format!("{path}: {e}"))?;
    // Left to the OS to free at exit, as `check` leaves its snapshot: freeing is no part of
    // the work being measured.
    std::mem::forget(std::hint::black_box(value));
    Ok(())
}

fn generate_cmd(args: &[String]) -> Result<(), String> {
    let mut services = None;
    let mut seed = 1u64;
    let mut output = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--seed" => {
                seed = it
                    .next()
                    .and_then(|s| s.parse().ok())
                    .ok_or("--seed needs a number")?;
            }
            "-o" | "--output" => output = Some(it.next().ok_or("-o needs a file")?.clone()),
            "--shape" => {
                let name = it.next().ok_or("--shape needs a name")?;
                let chosen = match name.as_str() {
                    "standard" => &STANDARD,
                    "wide" => &WIDE,
                    "iam" => &IAM_HEAVY,
                    other => return Err(format!("unknown shape {other} (standard, wide, iam)")),
                };
                let _ = SHAPE.set(chosen);
            }
            n => {
                services = Some(
                    n.parse::<usize>()
                        .map_err(|_| format!("not a count: {n}"))?,
                );
            }
        }
    }
    let services = services.ok_or("generate needs a service count")?;
    let snapshot = Estate::new(services, seed).snapshot();
    let text = serde_json::to_string_pretty(&snapshot).map_err(|e| e.to_string())?;
    match output {
        Some(path) => std::fs::write(&path, text + "\n").map_err(|e| format!("{path}: {e}")),
        None => {
            let mut out = std::io::stdout().lock();
            writeln!(out, "{text}").map_err(|e| e.to_string())
        }
    }
}

/// splitmix64: a small, fast, fully deterministic generator (no dependency).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// How a service is broken.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Fault {
    None,
    /// Its first volume's file system has no mount target in the third AZ.
    MissingAz,
    /// The mount-target security group does not admit its task security group on 2049.
    NoNfsIngress,
    /// It runs on platform version 1.3.0.
    OldPlatform,
}

struct Svc {
    index: usize,
    vpc: usize,
    fault: Fault,
    desired: u64,
    revision: u64,
    env_vars: u64,
}

struct Estate {
    services: Vec<Svc>,
    vpcs: usize,
}

fn hex(prefix: &str, tag: u64, n: usize) -> String {
    format!("{prefix}-{tag:02x}{n:015x}")
}

fn vpc_id(v: usize) -> String {
    hex("vpc", 0x0a, v)
}
fn subnet_id(v: usize, s: usize) -> String {
    hex("subnet", 0x10 + s as u64, v)
}
fn task_sg(i: usize) -> String {
    hex("sg", 0x21, i)
}
/// The task security group shared by the services of task definition `t` of VPC `v`.
fn shared_task_sg(v: usize, t: usize) -> String {
    hex("sg", 0x24, v * 16 + t)
}
fn default_sg(v: usize) -> String {
    hex("sg", 0x22, v)
}
fn mount_target_sg(v: usize) -> String {
    hex("sg", 0x23, v)
}
/// File system `f` of VPC `v`.
fn fs_id(v: usize, f: usize) -> String {
    hex("fs", 0x31, v * shape().file_systems + f)
}
/// The extra file system of a `MissingAz` service.
fn fs_partial_id(i: usize) -> String {
    hex("fs", 0x32, i)
}
fn fs_arn(id: &str) -> String {
    format!("arn:aws:elasticfilesystem:{REGION}:{ACCOUNT}:file-system/{id}")
}
fn access_point_id(v: usize, f: usize) -> String {
    hex("fsap", 0x33, v * shape().file_systems + f)
}
/// `v`, or `v-f` when VPCs have several file systems.
fn vf(v: usize, f: usize) -> String {
    if shape().file_systems == 1 {
        v.to_string()
    } else {
        format!("{v}-{f}")
    }
}
fn service_name(i: usize) -> String {
    format!("svc-{i:05}")
}
fn cluster_name(i: usize) -> String {
    format!("cluster-{:03}", i / SERVICES_PER_CLUSTER)
}
fn role_name(i: usize) -> String {
    format!("{}-task", service_name(i))
}
fn role_arn(name: &str) -> String {
    format!("arn:aws:iam::{ACCOUNT}:role/{name}")
}
fn managed_policy_arn(name: &str) -> String {
    format!("arn:aws:iam::{ACCOUNT}:policy/{name}")
}
fn vpc_cidr(v: usize) -> String {
    format!("10.{}.{}.0/20", v / 16, (v % 16) * 16)
}
/// The first address of subnet `s` of VPC `v` (VPCs number at most 4,096: `10.0.0.0/8` in /20s).
#[allow(clippy::cast_possible_truncation)]
fn subnet_base(v: usize, s: usize) -> u32 {
    let vpc = (10u32 << 24) | ((v as u32 / 16) << 16) | (((v as u32 % 16) * 16) << 8);
    vpc + s as u32 * (1 << (32 - shape().subnet_prefix))
}
fn ip(addr: u32) -> String {
    std::net::Ipv4Addr::from(addr).to_string()
}
fn subnet_cidr(v: usize, s: usize) -> String {
    format!("{}/{}", ip(subnet_base(v, s)), shape().subnet_prefix)
}

/// The layout of a generated estate (`--shape`).
struct Shape {
    /// Services per VPC.
    services_per_vpc: usize,
    /// AZs with subnets in each VPC.
    azs: usize,
    /// Private subnets per AZ (each VPC also has one public subnet per AZ).
    private_per_az: usize,
    /// AZs with mount targets (the first ones); services are placed in the private subnets
    /// of these AZs.
    mount_target_azs: usize,
    /// Prefix length of the subnets in the VPC's /20.
    subnet_prefix: u32,
    /// File systems per VPC.
    file_systems: usize,
    /// Volumes per shared task definition (task definition `t` of a VPC mounts its file
    /// systems from `t * volumes` on).
    volumes: usize,
    /// `Some(T)`: T task definitions per VPC shared by its services (with one task role and
    /// one task security group each); `None`: one of each per service.
    shared_task_definitions: Option<usize>,
    /// Containers per shared task definition.
    containers: usize,
    /// Heavy IAM and security groups: many roles, managed policies and policy statements, long
    /// file-system policies, many security-group rules.
    iam_heavy: bool,
}

const STANDARD: Shape = Shape {
    services_per_vpc: 10,
    azs: 3,
    private_per_az: 1,
    mount_target_azs: 3,
    subnet_prefix: 23,
    file_systems: 1,
    volumes: 2,
    shared_task_definitions: None,
    containers: 1,
    iam_heavy: false,
};

/// Few large task definitions; many subnets and file systems per VPC.
const WIDE: Shape = Shape {
    services_per_vpc: 50,
    azs: 6,
    private_per_az: 2,
    mount_target_azs: 5,
    subnet_prefix: 25,
    file_systems: 6,
    volumes: 2,
    shared_task_definitions: Some(2),
    containers: 3,
    iam_heavy: false,
};

const IAM_HEAVY: Shape = Shape {
    iam_heavy: true,
    ..STANDARD
};

static SHAPE: std::sync::OnceLock<&'static Shape> = std::sync::OnceLock::new();

fn shape() -> &'static Shape {
    SHAPE.get().copied().unwrap_or(&STANDARD)
}

impl Shape {
    fn private_subnets(&self) -> usize {
        self.azs * self.private_per_az
    }
    fn subnets(&self) -> usize {
        self.private_subnets() + self.azs
    }
    /// The AZ index of subnet `s`.
    fn az_of(&self, s: usize) -> usize {
        if s < self.private_subnets() {
            s % self.azs
        } else {
            (s - self.private_subnets()) % self.azs
        }
    }
}

/// Managed policies of the IAM-heavy shape, besides [`MANAGED_POLICIES`].
const TEAM_POLICIES: usize = 200;
/// Team policies attached to each task role of the IAM-heavy shape.
const TEAM_POLICIES_PER_ROLE: usize = 8;

const MANAGED_POLICIES: [&str; 4] = [
    "efs-client-read",
    "app-logs-write",
    "app-secrets-read",
    "app-metrics-put",
];

impl Estate {
    fn new(count: usize, seed: u64) -> Self {
        let mut rng = Rng(seed);
        let services = (0..count)
            .map(|index| {
                let fault = if rng.below(BROKEN_ONE_IN) == 0 {
                    match rng.below(3) {
                        0 => Fault::MissingAz,
                        1 => Fault::NoNfsIngress,
                        _ => Fault::OldPlatform,
                    }
                } else {
                    Fault::None
                };
                Svc {
                    index,
                    vpc: index / shape().services_per_vpc,
                    fault,
                    desired: 1 + rng.below(4),
                    revision: 1 + rng.below(60),
                    env_vars: 2 + rng.below(6),
                }
            })
            .collect();
        Self {
            services,
            vpcs: count.div_ceil(shape().services_per_vpc),
        }
    }

    /// The services of VPC `v` (services are numbered VPC by VPC).
    fn in_vpc(&self, v: usize) -> &[Svc] {
        let per = shape().services_per_vpc;
        let start = v * per;
        &self.services[start..(start + per).min(self.services.len())]
    }

    fn snapshot(&self) -> Value {
        let mut ec2 = Ec2Lists::default();
        let mut efs = EfsLists::default();
        for v in 0..self.vpcs {
            self.vpc(v, &mut ec2, &mut efs);
        }
        let mut services = Vec::new();
        let mut task_definitions = Vec::new();
        let mut roles = vec![execution_role()];
        let mut tasks = Vec::new();
        let shared = shape().shared_task_definitions;
        for svc in &self.services {
            if shared.is_none() || svc.fault == Fault::NoNfsIngress {
                ec2.security_groups.push(task_security_group(
                    &task_sg(svc.index),
                    svc.vpc,
                    &service_name(svc.index),
                ));
            }
            if svc.fault == Fault::MissingAz && shared.is_none() {
                partial_file_system(svc, &mut efs);
            }
            services.push(service(svc));
            if shared.is_none() {
                task_definitions.push(task_definition(svc));
                roles.push(task_role(svc));
            }
            if shape().iam_heavy && svc.index % 2 == 0 {
                roles.push(batch_role(svc, 0));
            }
            if svc.fault != Fault::None {
                tasks.push(stopped_task(svc));
            }
        }
        if let Some(per_vpc) = shared {
            for v in 0..self.vpcs {
                for t in 0..per_vpc {
                    ec2.security_groups.push(task_security_group(
                        &shared_task_sg(v, t),
                        v,
                        &shared_family(v, t),
                    ));
                    task_definitions.push(shared_task_definition(v, t));
                    roles.push(shared_task_role(v, t));
                }
            }
        }
        let mut policies = vec![json!({
            "PolicyName": "AmazonECSTaskExecutionRolePolicy",
            "PolicyId": "ANPAJG4NAX3LSYXHKF4FO",
            "Arn": "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy",
            "Path": "/service-role/",
            "DefaultVersionId": "v1",
            "AttachmentCount": 1,
            "IsAttachable": true,
            "PolicyVersionList": [{
                "Document": {"Version": "2012-10-17", "Statement": [{
                    "Effect": "Allow",
                    "Action": ["ecr:GetAuthorizationToken", "ecr:BatchCheckLayerAvailability",
                               "ecr:GetDownloadUrlForLayer", "ecr:BatchGetImage",
                               "logs:CreateLogStream", "logs:PutLogEvents"],
                    "Resource": "*"}]},
                "VersionId": "v1",
                "IsDefaultVersion": true
            }]
        })];
        policies.extend(MANAGED_POLICIES.iter().map(|name| managed_policy(name)));
        if shape().iam_heavy {
            policies.extend((0..TEAM_POLICIES).map(team_policy));
        }
        json!({
            "efs_preflight_snapshot": 1,
            "collected_at": "2026-11-23T10:00:00Z",
            "region": REGION,
            "account_id": ACCOUNT,
            "tool": "efs-preflight-bench generate",
            "gaps": self.gaps(),
            "ec2": {
                "Vpcs": ec2.vpcs,
                "VpcAttributes": ec2.vpc_attributes,
                "DhcpOptions": dhcp_options(),
                "Subnets": ec2.subnets,
                "SecurityGroups": ec2.security_groups,
                "NetworkAcls": ec2.network_acls,
                "RouteTables": ec2.route_tables,
                "ManagedPrefixLists": []
            },
            "efs": {
                "FileSystems": efs.file_systems,
                "MountTargets": efs.mount_targets,
                "AccessPoints": efs.access_points,
                "FileSystemPolicies": efs.policies
            },
            "ecs": {"services": services, "taskDefinitions": task_definitions, "tasks": tasks},
            "iam": {"RoleDetailList": roles, "Policies": policies}
        })
    }

    /// Calls denied during collection, one per 10 services: roles of other teams that the
    /// collector could not read (no service here uses them, so no finding changes).
    fn gaps(&self) -> Vec<Value> {
        (0..self.services.len() / SERVICES_PER_GAP)
            .map(|i| {
                json!({
                    "call": "iam:GetRole",
                    "resource": role_arn(&format!("other-team-{i:05}")),
                    "error": "AccessDenied"
                })
            })
            .collect()
    }

    fn vpc(&self, v: usize, ec2: &mut Ec2Lists, efs: &mut EfsLists) {
        let id = vpc_id(v);
        ec2.vpcs.push(json!({
            "VpcId": id,
            "CidrBlock": vpc_cidr(v),
            "DhcpOptionsId": "dopt-0a00000000000001",
            "State": "available",
            "IsDefault": false,
            "OwnerId": ACCOUNT,
            "InstanceTenancy": "default",
            "CidrBlockAssociationSet": [{
                "AssociationId": format!("vpc-cidr-assoc-{v:017x}"),
                "CidrBlock": vpc_cidr(v),
                "CidrBlockState": {"State": "associated"}
            }],
            "Tags": [{"Key": "Name", "Value": format!("vpc-{v}")}]
        }));
        ec2.vpc_attributes.push(json!({
            "VpcId": id,
            "EnableDnsSupport": {"Value": true},
            "EnableDnsHostnames": {"Value": true}
        }));
        let sh = shape();
        for s in 0..sh.subnets() {
            let (az, az_id) = AZS[sh.az_of(s)];
            let private = s < sh.private_subnets();
            ec2.subnets.push(json!({
                "SubnetId": subnet_id(v, s),
                "SubnetArn": format!("arn:aws:ec2:{REGION}:{ACCOUNT}:subnet/{}", subnet_id(v, s)),
                "VpcId": id,
                "AvailabilityZone": az,
                "AvailabilityZoneId": az_id,
                "CidrBlock": subnet_cidr(v, s),
                "AvailableIpAddressCount": 500,
                "State": "available",
                "OwnerId": ACCOUNT,
                "DefaultForAz": false,
                "MapPublicIpOnLaunch": !private,
                "Ipv6CidrBlockAssociationSet": [],
                "EnableDns64": false,
                "Ipv6Native": false,
                "AssignIpv6AddressOnCreation": false,
                "Tags": [{"Key": "Name", "Value": format!("vpc-{v}-{}-{az}", if private { "private" } else { "public" })}]
            }));
        }
        ec2.security_groups.push(json!({
            "GroupId": default_sg(v),
            "GroupName": "default",
            "Description": "default VPC security group",
            "VpcId": id,
            "OwnerId": ACCOUNT,
            "IpPermissions": [{
                "IpProtocol": "-1", "IpRanges": [], "Ipv6Ranges": [], "PrefixListIds": [],
                "UserIdGroupPairs": [{"GroupId": default_sg(v), "UserId": ACCOUNT}]
            }],
            "IpPermissionsEgress": [all_traffic_egress()]
        }));
        let admitted: Vec<Value> = match sh.shared_task_definitions {
            Some(per_vpc) => (0..per_vpc)
                .map(|t| shared_task_sg(v, t))
                .collect::<Vec<_>>(),
            None => self
                .in_vpc(v)
                .iter()
                .filter(|s| s.fault != Fault::NoNfsIngress)
                .map(|s| task_sg(s.index))
                .collect(),
        }
        .into_iter()
        .map(|g| json!({"GroupId": g, "UserId": ACCOUNT}))
        .collect();
        let nfs = |pairs: Vec<Value>| {
            json!({
                "IpProtocol": "tcp", "FromPort": 2049, "ToPort": 2049,
                "IpRanges": [], "Ipv6Ranges": [], "PrefixListIds": [],
                "UserIdGroupPairs": pairs
            })
        };
        let permissions: Vec<Value> = if sh.iam_heavy {
            // One permission per admitted group, then rules for other ports and networks.
            let mut p: Vec<Value> = admitted.into_iter().map(|g| nfs(vec![g])).collect();
            p.extend(many_cidr_rules(v, 20));
            p
        } else {
            vec![nfs(admitted)]
        };
        ec2.security_groups.push(json!({
            "GroupId": mount_target_sg(v),
            "GroupName": format!("efs-vpc-{v}"),
            "Description": "NFS from the task security groups",
            "VpcId": id,
            "OwnerId": ACCOUNT,
            "IpPermissions": permissions,
            "IpPermissionsEgress": []
        }));
        ec2.network_acls.push(default_acl(v));
        ec2.network_acls.push(private_acl(v));
        ec2.route_tables.push(route_table(v, true));
        ec2.route_tables.push(route_table(v, false));

        let principals: Vec<String> = match sh.shared_task_definitions {
            Some(per_vpc) => (0..per_vpc)
                .map(|t| role_arn(&shared_role_name(v, t)))
                .collect(),
            None => self
                .in_vpc(v)
                .iter()
                .map(|s| role_arn(&role_name(s.index)))
                .collect(),
        };
        for f in 0..sh.file_systems {
            Self::file_system_of_vpc(v, f, &principals, efs);
        }
    }

    fn file_system_of_vpc(v: usize, f: usize, principals: &[String], efs: &mut EfsLists) {
        let sh = shape();
        let fs = fs_id(v, f);
        efs.file_systems
            .push(file_system(&fs, sh.mount_target_azs as u64));
        for s in 0..sh.mount_target_azs {
            efs.mount_targets.push(mount_target(
                &fs,
                v,
                s,
                &format!("{f:x}{v:07x}{s:x}"),
                10 + f,
            ));
        }
        let ap = access_point_id(v, f);
        let ap_arn = format!("arn:aws:elasticfilesystem:{REGION}:{ACCOUNT}:access-point/{ap}");
        efs.access_points.push(json!({
            "ClientToken": format!("ap-{}", vf(v, f)),
            "Name": format!("app-data-{}", vf(v, f)),
            "Tags": [{"Key": "Name", "Value": format!("app-data-{}", vf(v, f))}],
            "AccessPointId": ap,
            "AccessPointArn": ap_arn,
            "FileSystemId": fs,
            "PosixUser": {"Uid": 1000, "Gid": 1000},
            "RootDirectory": {"Path": "/app", "CreationInfo": {"OwnerUid": 1000, "OwnerGid": 1000, "Permissions": "0755"}},
            "OwnerId": ACCOUNT,
            "LifeCycleState": "available"
        }));
        let mut statements = vec![
            json!({"Sid": "TaskRolesMount", "Effect": "Allow", "Principal": {"AWS": principals},
             "Action": ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
             "Resource": fs_arn(&fs),
             "Condition": {"Bool": {"elasticfilesystem:AccessedViaMountTarget": "true"}}}),
            json!({"Sid": "EnforceTls", "Effect": "Deny", "Principal": {"AWS": "*"}, "Action": "*",
             "Resource": fs_arn(&fs),
             "Condition": {"Bool": {"aws:SecureTransport": "false"}}}),
        ];
        if sh.iam_heavy {
            // A statement per task role through the access point, and a deny list of
            // other accounts: a long policy, as estates that grew one grant at a time have.
            for (k, principal) in principals.iter().enumerate() {
                statements.push(json!({
                    "Sid": format!("Role{k}ViaAccessPoint"), "Effect": "Allow",
                    "Principal": {"AWS": principal},
                    "Action": ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite",
                               "elasticfilesystem:ClientRootAccess"],
                    "Resource": fs_arn(&fs),
                    "Condition": {
                        "StringEquals": {"elasticfilesystem:AccessPointArn": ap_arn},
                        "Bool": {"elasticfilesystem:AccessedViaMountTarget": "true"}
                    }
                }));
            }
            let foreign: Vec<String> = (0..20)
                .map(|k| format!("arn:aws:iam::{:012}:root", 210_987_654_300_u64 + k))
                .collect();
            statements.push(json!({
                "Sid": "DenyRetiredAccounts", "Effect": "Deny", "Principal": {"AWS": foreign},
                "Action": "elasticfilesystem:*", "Resource": fs_arn(&fs)
            }));
        }
        let policy = json!({
            "Version": "2012-10-17",
            "Id": format!("fs-policy-{}", vf(v, f)),
            "Statement": statements
        });
        efs.policies
            .push(json!({"FileSystemId": fs, "Policy": policy.to_string()}));
    }
}

#[derive(Default)]
struct Ec2Lists {
    vpcs: Vec<Value>,
    vpc_attributes: Vec<Value>,
    subnets: Vec<Value>,
    security_groups: Vec<Value>,
    network_acls: Vec<Value>,
    route_tables: Vec<Value>,
}

#[derive(Default)]
struct EfsLists {
    file_systems: Vec<Value>,
    mount_targets: Vec<Value>,
    access_points: Vec<Value>,
    policies: Vec<Value>,
}

fn all_traffic_egress() -> Value {
    json!({
        "IpProtocol": "-1", "IpRanges": [{"CidrIp": "0.0.0.0/0"}],
        "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": []
    })
}

fn dhcp_options() -> Value {
    json!([
        {"DhcpOptionsId": "dopt-0a00000000000001", "OwnerId": ACCOUNT,
         "DhcpConfigurations": [
            {"Key": "domain-name", "Values": [{"Value": "ec2.internal"}]},
            {"Key": "domain-name-servers", "Values": [{"Value": "AmazonProvidedDNS"}]}],
         "Tags": []},
        {"DhcpOptionsId": "dopt-0a00000000000002", "OwnerId": ACCOUNT,
         "DhcpConfigurations": [
            {"Key": "domain-name", "Values": [{"Value": "corp.example.com"}]},
            {"Key": "domain-name-servers", "Values": [{"Value": "10.0.0.2"}, {"Value": "10.0.0.3"}]}],
         "Tags": []}
    ])
}

fn acl_entry(number: u64, egress: bool, protocol: &str, action: &str, cidr: &str) -> Value {
    json!({
        "RuleNumber": number, "Protocol": protocol, "RuleAction": action,
        "Egress": egress, "CidrBlock": cidr
    })
}

fn acl_ports(mut entry: Value, from: u16, to: u16) -> Value {
    entry["PortRange"] = json!({"From": from, "To": to});
    entry
}

fn acl_associations(acl: &str, v: usize, subnets: std::ops::Range<usize>) -> Vec<Value> {
    subnets
        .map(|s| {
            json!({
                "NetworkAclAssociationId": format!("aclassoc-{v:015x}{s:02x}"),
                "NetworkAclId": acl,
                "SubnetId": subnet_id(v, s)
            })
        })
        .collect()
}

fn default_acl(v: usize) -> Value {
    let id = hex("acl", 0x41, v);
    json!({
        "NetworkAclId": id,
        "VpcId": vpc_id(v),
        "IsDefault": true,
        "OwnerId": ACCOUNT,
        "Entries": [
            acl_entry(100, false, "-1", "allow", "0.0.0.0/0"),
            acl_entry(32767, false, "-1", "deny", "0.0.0.0/0"),
            acl_entry(100, true, "-1", "allow", "0.0.0.0/0"),
            acl_entry(32767, true, "-1", "deny", "0.0.0.0/0")
        ],
        "Associations": acl_associations(&id, v, shape().private_subnets()..shape().subnets()),
        "Tags": []
    })
}

/// The private subnets' ACL: NFS and return traffic within the VPC, HTTPS out.
fn private_acl(v: usize) -> Value {
    let id = hex("acl", 0x42, v);
    let cidr = vpc_cidr(v);
    json!({
        "NetworkAclId": id,
        "VpcId": vpc_id(v),
        "IsDefault": false,
        "OwnerId": ACCOUNT,
        "Entries": [
            acl_ports(acl_entry(100, false, "6", "allow", &cidr), 2049, 2049),
            acl_ports(acl_entry(110, false, "6", "allow", &cidr), 1024, 65535),
            acl_ports(acl_entry(120, false, "6", "allow", "0.0.0.0/0"), 1024, 65535),
            acl_ports(acl_entry(130, false, "6", "deny", "0.0.0.0/0"), 22, 22),
            acl_entry(32767, false, "-1", "deny", "0.0.0.0/0"),
            acl_ports(acl_entry(100, true, "6", "allow", &cidr), 2049, 2049),
            acl_ports(acl_entry(110, true, "6", "allow", &cidr), 1024, 65535),
            acl_ports(acl_entry(120, true, "6", "allow", "0.0.0.0/0"), 443, 443),
            acl_entry(32767, true, "-1", "deny", "0.0.0.0/0")
        ],
        "Associations": acl_associations(&id, v, 0..shape().private_subnets()),
        "Tags": [{"Key": "Name", "Value": format!("private-{v}")}]
    })
}

fn route_table(v: usize, main: bool) -> Value {
    let id = hex("rtb", if main { 0x51 } else { 0x52 }, v);
    let associations: Vec<Value> = if main {
        vec![json!({
            "Main": true, "RouteTableId": id,
            "RouteTableAssociationId": format!("rtbassoc-{v:017x}"),
            "AssociationState": {"State": "associated"}
        })]
    } else {
        (0..shape().private_subnets())
            .map(|s| {
                json!({
                    "Main": false, "RouteTableId": id, "SubnetId": subnet_id(v, s),
                    "RouteTableAssociationId": format!("rtbassoc-{v:015x}{s:02x}"),
                    "AssociationState": {"State": "associated"}
                })
            })
            .collect()
    };
    let exit = if main {
        json!({"DestinationCidrBlock": "0.0.0.0/0", "GatewayId": hex("igw", 0x53, v),
               "Origin": "CreateRoute", "State": "active"})
    } else {
        json!({"DestinationCidrBlock": "0.0.0.0/0", "NatGatewayId": hex("nat", 0x54, v),
               "Origin": "CreateRoute", "State": "active"})
    };
    json!({
        "RouteTableId": id,
        "VpcId": vpc_id(v),
        "OwnerId": ACCOUNT,
        "Associations": associations,
        "PropagatingVgws": [],
        "Routes": [
            {"DestinationCidrBlock": vpc_cidr(v), "GatewayId": "local",
             "Origin": "CreateRouteTable", "State": "active"},
            exit
        ],
        "Tags": []
    })
}

fn file_system(id: &str, mount_targets: u64) -> Value {
    json!({
        "FileSystemId": id,
        "FileSystemArn": fs_arn(id),
        "OwnerId": ACCOUNT,
        "CreationToken": format!("token-{id}"),
        "Name": id,
        "LifeCycleState": "available",
        "NumberOfMountTargets": mount_targets,
        "PerformanceMode": "generalPurpose",
        "ThroughputMode": "elastic",
        "Encrypted": true,
        "KmsKeyId": format!("arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
        "CreationTime": "2025-03-14T09:26:53+00:00",
        "SizeInBytes": {"Value": 6144, "ValueInIA": 0, "ValueInStandard": 6144},
        "FileSystemProtection": {"ReplicationOverwriteProtection": "ENABLED"},
        "Tags": [{"Key": "Name", "Value": id}]
    })
}

#[allow(clippy::cast_possible_truncation)] // a host number within a subnet
fn mount_target(fs: &str, v: usize, s: usize, tag: &str, host: usize) -> Value {
    let (az, az_id) = AZS[shape().az_of(s)];
    json!({
        "MountTargetId": format!("fsmt-{tag}"),
        "FileSystemId": fs,
        "SubnetId": subnet_id(v, s),
        "LifeCycleState": "available",
        "IpAddress": ip(subnet_base(v, s) + host as u32),
        "NetworkInterfaceId": format!("eni-{tag}"),
        "AvailabilityZoneId": az_id,
        "AvailabilityZoneName": az,
        "VpcId": vpc_id(v),
        "OwnerId": ACCOUNT,
        "SecurityGroups": [mount_target_sg(v)]
    })
}

/// A `MissingAz` service's own file system: mount targets in the first two AZs only.
fn partial_file_system(svc: &Svc, efs: &mut EfsLists) {
    let fs = fs_partial_id(svc.index);
    efs.file_systems.push(file_system(&fs, 2));
    for s in 0..2 {
        efs.mount_targets.push(mount_target(
            &fs,
            svc.vpc,
            s,
            &format!("p{:07x}{s:x}", svc.index),
            20 + svc.index % (((1 << (32 - shape().subnet_prefix)) - 40).min(200)),
        ));
    }
}

/// Rules for other ports from other networks (the IAM-heavy shape's long groups).
fn many_cidr_rules(v: usize, n: usize) -> Vec<Value> {
    (0..n)
        .map(|k| {
            let port = 8000 + k as u64;
            json!({
                "IpProtocol": "tcp", "FromPort": port, "ToPort": port,
                "IpRanges": [
                    {"CidrIp": format!("10.{}.{}.0/24", 128 + (v + k) % 100, k), "Description": format!("peer {k}")},
                    {"CidrIp": format!("172.{}.{}.0/24", 16 + k % 16, v % 256)}
                ],
                "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": []
            })
        })
        .collect()
}

fn task_security_group(id: &str, v: usize, label: &str) -> Value {
    let mut ingress = vec![json!({
        "IpProtocol": "tcp", "FromPort": 8080, "ToPort": 8080,
        "IpRanges": [{"CidrIp": vpc_cidr(v), "Description": "load balancer"}],
        "Ipv6Ranges": [], "PrefixListIds": [], "UserIdGroupPairs": []
    })];
    let mut egress = vec![all_traffic_egress()];
    if shape().iam_heavy {
        ingress.extend(many_cidr_rules(v, 8));
        // Narrow egress instead of all traffic: NFS to the mount targets' group and to the
        // VPC, HTTPS anywhere, and ports to peers.
        egress = vec![
            json!({"IpProtocol": "tcp", "FromPort": 2049, "ToPort": 2049, "IpRanges": [],
                   "Ipv6Ranges": [], "PrefixListIds": [],
                   "UserIdGroupPairs": [{"GroupId": mount_target_sg(v), "UserId": ACCOUNT}]}),
            json!({"IpProtocol": "tcp", "FromPort": 2049, "ToPort": 2049,
                   "IpRanges": [{"CidrIp": vpc_cidr(v)}], "Ipv6Ranges": [], "PrefixListIds": [],
                   "UserIdGroupPairs": []}),
            json!({"IpProtocol": "tcp", "FromPort": 443, "ToPort": 443,
                   "IpRanges": [{"CidrIp": "0.0.0.0/0"}], "Ipv6Ranges": [], "PrefixListIds": [],
                   "UserIdGroupPairs": []}),
        ];
        egress.extend(many_cidr_rules(v, 4));
    }
    json!({
        "GroupId": id,
        "GroupName": format!("{label}-task"),
        "Description": "task ENIs",
        "VpcId": vpc_id(v),
        "OwnerId": ACCOUNT,
        "IpPermissions": ingress,
        "IpPermissionsEgress": egress,
        "Tags": [{"Key": "service", "Value": label}]
    })
}

/// The family of shared task definition `t` of VPC `v`.
fn shared_family(v: usize, t: usize) -> String {
    format!("app-{v:04}-{t}")
}
fn shared_role_name(v: usize, t: usize) -> String {
    format!("{}-task", shared_family(v, t))
}
fn shared_task_definition_arn(v: usize, t: usize) -> String {
    format!(
        "arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/{}:{}",
        shared_family(v, t),
        3 + t
    )
}

fn task_definition_arn(svc: &Svc) -> String {
    if let Some(per_vpc) = shape().shared_task_definitions {
        return shared_task_definition_arn(svc.vpc, svc.index % per_vpc);
    }
    format!(
        "arn:aws:ecs:{REGION}:{ACCOUNT}:task-definition/{}:{}",
        service_name(svc.index),
        svc.revision
    )
}

fn service(svc: &Svc) -> Value {
    let name = service_name(svc.index);
    let cluster = cluster_name(svc.index);
    let sh = shape();
    // The first private subnet of each AZ with mount targets; a `MissingAz` service of a shape
    // with shared task definitions also runs in the other AZs'.
    let subnets: Vec<String> = (0..sh.azs)
        .filter(|&s| {
            sh.az_of(s) < sh.mount_target_azs
                || (svc.fault == Fault::MissingAz && sh.shared_task_definitions.is_some())
        })
        .map(|s| subnet_id(svc.vpc, s))
        .collect();
    let group = match sh.shared_task_definitions {
        Some(per_vpc) if svc.fault != Fault::NoNfsIngress => {
            shared_task_sg(svc.vpc, svc.index % per_vpc)
        }
        _ => task_sg(svc.index),
    };
    let network = json!({"awsvpcConfiguration": {
        "subnets": subnets,
        "securityGroups": [group],
        "assignPublicIp": "DISABLED"
    }});
    let (requested, resolved) = if svc.fault == Fault::OldPlatform {
        ("1.3.0", "1.3.0")
    } else {
        ("LATEST", "1.4.0")
    };
    json!({
        "serviceArn": format!("arn:aws:ecs:{REGION}:{ACCOUNT}:service/{cluster}/{name}"),
        "serviceName": name,
        "clusterArn": format!("arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/{cluster}"),
        "loadBalancers": [],
        "serviceRegistries": [],
        "status": "ACTIVE",
        "desiredCount": svc.desired,
        "runningCount": svc.desired,
        "pendingCount": 0,
        "launchType": "FARGATE",
        "platformVersion": requested,
        "platformFamily": "Linux",
        "taskDefinition": task_definition_arn(svc),
        "deploymentConfiguration": {
            "deploymentCircuitBreaker": {"enable": true, "rollback": true},
            "maximumPercent": 200, "minimumHealthyPercent": 100
        },
        "deployments": [{
            "id": format!("ecs-svc/{:019}", svc.index * 7919),
            "status": "PRIMARY",
            "taskDefinition": task_definition_arn(svc),
            "desiredCount": svc.desired,
            "pendingCount": 0,
            "runningCount": svc.desired,
            "failedTasks": 0,
            "createdAt": "2026-11-20T08:12:00+00:00",
            "updatedAt": "2026-11-20T08:14:00+00:00",
            "launchType": "FARGATE",
            "platformVersion": resolved,
            "platformFamily": "Linux",
            "networkConfiguration": network,
            "rolloutState": "COMPLETED",
            "rolloutStateReason": "ECS deployment ecs-svc completed."
        }],
        "roleArn": format!("arn:aws:iam::{ACCOUNT}:role/aws-service-role/ecs.amazonaws.com/AWSServiceRoleForECS"),
        "events": [{
            "id": format!("ev-{:08x}", svc.index),
            "createdAt": "2026-11-23T09:50:00+00:00",
            "message": format!("(service {name}) has reached a steady state.")
        }],
        "createdAt": "2025-03-14T10:00:00+00:00",
        "placementConstraints": [],
        "placementStrategy": [],
        "networkConfiguration": network,
        "healthCheckGracePeriodSeconds": 0,
        "schedulingStrategy": "REPLICA",
        "deploymentController": {"type": "ECS"},
        "createdBy": format!("arn:aws:iam::{ACCOUNT}:role/deployer"),
        "enableECSManagedTags": true,
        "propagateTags": "SERVICE",
        "enableExecuteCommand": false
    })
}

fn task_definition(svc: &Svc) -> Value {
    let name = service_name(svc.index);
    let data_fs = if svc.fault == Fault::MissingAz {
        fs_partial_id(svc.index)
    } else {
        fs_id(svc.vpc, 0)
    };
    let environment: Vec<Value> = (0..svc.env_vars)
        .map(|k| json!({"name": format!("SETTING_{k}"), "value": format!("value-{k}-{name}")}))
        .collect();
    let data_volume = if svc.fault == Fault::MissingAz {
        json!({"fileSystemId": data_fs, "rootDirectory": "/", "transitEncryption": "ENABLED",
               "authorizationConfig": {"iam": "ENABLED"}})
    } else {
        json!({"fileSystemId": data_fs, "rootDirectory": "/", "transitEncryption": "ENABLED",
               "authorizationConfig": {"accessPointId": access_point_id(svc.vpc, 0), "iam": "ENABLED"}})
    };
    json!({
        "taskDefinitionArn": task_definition_arn(svc),
        "containerDefinitions": [{
            "name": "app",
            "image": format!("{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/{name}:1.{}.0", svc.revision),
            "cpu": 0,
            "portMappings": [{"containerPort": 8080, "hostPort": 8080, "protocol": "tcp"}],
            "essential": true,
            "environment": environment,
            "mountPoints": [
                {"sourceVolume": "data", "containerPath": "/data", "readOnly": false},
                {"sourceVolume": "shared", "containerPath": "/shared", "readOnly": true}
            ],
            "volumesFrom": [],
            "logConfiguration": {"logDriver": "awslogs", "options": {
                "awslogs-group": format!("/ecs/{name}"), "awslogs-region": REGION,
                "awslogs-stream-prefix": "ecs"}}
        }],
        "family": name,
        "taskRoleArn": role_arn(&role_name(svc.index)),
        "executionRoleArn": role_arn("ecsTaskExecutionRole"),
        "networkMode": "awsvpc",
        "revision": svc.revision,
        "volumes": [
            {"name": "data", "efsVolumeConfiguration": data_volume},
            {"name": "shared", "efsVolumeConfiguration": {
                "fileSystemId": fs_id(svc.vpc, 0), "rootDirectory": "/shared",
                "transitEncryption": "ENABLED", "authorizationConfig": {"iam": "ENABLED"}}}
        ],
        "status": "ACTIVE",
        "requiresAttributes": [
            {"name": "com.amazonaws.ecs.capability.ecr-auth"},
            {"name": "ecs.capability.efsAuth"},
            {"name": "ecs.capability.efs"},
            {"name": "com.amazonaws.ecs.capability.task-iam-role"},
            {"name": "ecs.capability.task-eni"}
        ],
        "placementConstraints": [],
        "compatibilities": ["EC2", "FARGATE"],
        "runtimePlatform": {"cpuArchitecture": "X86_64", "operatingSystemFamily": "LINUX"},
        "requiresCompatibilities": ["FARGATE"],
        "cpu": "512",
        "memory": "1024",
        "registeredAt": "2026-11-20T08:10:00+00:00",
        "registeredBy": format!("arn:aws:iam::{ACCOUNT}:role/deployer")
    })
}

fn trust_policy() -> Value {
    json!({"Version": "2012-10-17", "Statement": [{
        "Effect": "Allow",
        "Principal": {"Service": "ecs-tasks.amazonaws.com"},
        "Action": "sts:AssumeRole",
        "Condition": {"StringEquals": {"aws:SourceAccount": ACCOUNT}}
    }]})
}

fn task_role(svc: &Svc) -> Value {
    let name = role_name(svc.index);
    let mut file_systems = vec![fs_arn(&fs_id(svc.vpc, 0))];
    if svc.fault == Fault::MissingAz {
        file_systems.push(fs_arn(&fs_partial_id(svc.index)));
    }
    role(&name, svc.index, &service_name(svc.index), &file_systems)
}

/// A task role: trust policy, inline policies (`efs` for `file_systems`, `s3`, and in the
/// IAM-heavy shape three more), managed policies.
fn role(name: &str, index: usize, label: &str, file_systems: &[String]) -> Value {
    let mut attached: Vec<Value> = MANAGED_POLICIES
        .iter()
        .take(1 + index % MANAGED_POLICIES.len())
        .map(|p| json!({"PolicyName": p, "PolicyArn": managed_policy_arn(p)}))
        .collect();
    let mut inline = vec![
        json!({"PolicyName": "efs", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow",
            "Action": ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
            "Resource": file_systems
        }]}}),
        json!({"PolicyName": "s3", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:PutObject"],
            "Resource": format!("arn:aws:s3:::bucket-{index}/*")
        }]}}),
    ];
    if shape().iam_heavy {
        attached.extend((0..TEAM_POLICIES_PER_ROLE).map(|k| {
            let p = team_policy_name((index * 7 + k * 13) % TEAM_POLICIES);
            json!({"PolicyName": p, "PolicyArn": managed_policy_arn(&p)})
        }));
        inline.extend(["kms", "ssm"].iter().map(|service| {
            json!({"PolicyName": service, "PolicyDocument": {"Version": "2012-10-17",
                "Statement": statements(service, index, 3)}})
        }));
    }
    json!({
        "Path": "/",
        "RoleName": name,
        "RoleId": format!("AROA{index:016X}"),
        "Arn": role_arn(name),
        "CreateDate": "2025-03-14T09:00:00+00:00",
        "AssumeRolePolicyDocument": trust_policy(),
        "InstanceProfileList": [],
        "RolePolicyList": inline,
        "AttachedManagedPolicies": attached,
        "Tags": [{"Key": "service", "Value": label}],
        "RoleLastUsed": {"LastUsedDate": "2026-11-22T10:00:00+00:00", "Region": REGION}
    })
}

/// `n` statements on `service` with conditions, none about EFS: work for a policy evaluator
/// that changes no decision.
fn statements(service: &str, index: usize, n: usize) -> Vec<Value> {
    (0..n)
        .map(|k| {
            let effect = if k == n - 1 { "Deny" } else { "Allow" };
            json!({
                "Sid": format!("{}{k}", service.to_uppercase()),
                "Effect": effect,
                "Action": [format!("{service}:Get*"), format!("{service}:List*"),
                           format!("{service}:Describe{k}*")],
                "Resource": [format!("arn:aws:{service}:{REGION}:{ACCOUNT}:res-{index}-{k}/*"),
                             format!("arn:aws:{service}:{REGION}:{ACCOUNT}:shared/*")],
                "Condition": {
                    "StringEquals": {"aws:ResourceTag/team": format!("team-{}", index % 40)},
                    "StringLike": {"aws:PrincipalTag/project": ["alpha-*", "beta-*"]}
                }
            })
        })
        .collect()
}

fn team_policy_name(n: usize) -> String {
    format!("team-{n:03}-access")
}

/// A team's managed policy in the IAM-heavy shape: six statements, two versions.
fn team_policy(n: usize) -> Value {
    let name = team_policy_name(n);
    let service = ["dynamodb", "sns", "logs", "secretsmanager"][n % 4];
    json!({
        "PolicyName": name,
        "PolicyId": format!("ANPATEAM{n:013}"),
        "Arn": managed_policy_arn(&name),
        "Path": "/teams/",
        "DefaultVersionId": "v2",
        "AttachmentCount": 30,
        "PermissionsBoundaryUsageCount": 0,
        "IsAttachable": true,
        "CreateDate": "2025-03-14T09:00:00+00:00",
        "UpdateDate": "2025-06-14T09:00:00+00:00",
        "PolicyVersionList": [
            {"Document": {"Version": "2012-10-17", "Statement": statements(service, n, 6)},
             "VersionId": "v2", "IsDefaultVersion": true,
             "CreateDate": "2025-06-14T09:00:00+00:00"},
            {"Document": {"Version": "2012-10-17", "Statement": statements(service, n, 3)},
             "VersionId": "v1", "IsDefaultVersion": false,
             "CreateDate": "2025-03-14T09:00:00+00:00"}
        ]
    })
}

/// A batch role of a service in the IAM-heavy shape (no task uses it).
fn batch_role(svc: &Svc, k: usize) -> Value {
    let name = format!("{}-batch-{k}", service_name(svc.index));
    let mut r = role(
        &name,
        100_000 * (k + 1) + svc.index,
        &service_name(svc.index),
        &[fs_arn(&fs_id(svc.vpc, 0))],
    );
    r["RoleLastUsed"] = json!({});
    r
}

/// The task role of shared task definition `t` of VPC `v`: every file system of the VPC.
fn shared_task_role(v: usize, t: usize) -> Value {
    let sh = shape();
    let file_systems: Vec<String> = (t * sh.volumes..(t + 1) * sh.volumes)
        .map(|f| fs_arn(&fs_id(v, f % sh.file_systems)))
        .collect();
    role(
        &shared_role_name(v, t),
        v * 16 + t,
        &shared_family(v, t),
        &file_systems,
    )
}

/// Shared task definition `t` of VPC `v`: a volume per file system of the VPC (every other
/// one through its access point), several containers that mount them all.
fn shared_task_definition(v: usize, t: usize) -> Value {
    let family = shared_family(v, t);
    let sh = shape();
    let mounted = || (t * sh.volumes..(t + 1) * sh.volumes).map(|f| f % sh.file_systems);
    let volumes: Vec<Value> = mounted()
        .map(|f| {
            let config = if f % 2 == 0 {
                json!({"fileSystemId": fs_id(v, f), "rootDirectory": "/",
                       "transitEncryption": "ENABLED",
                       "authorizationConfig": {"accessPointId": access_point_id(v, f), "iam": "ENABLED"}})
            } else {
                json!({"fileSystemId": fs_id(v, f), "rootDirectory": "/",
                       "transitEncryption": "ENABLED", "authorizationConfig": {"iam": "ENABLED"}})
            };
            json!({"name": format!("vol-{f}"), "efsVolumeConfiguration": config})
        })
        .collect();
    let containers: Vec<Value> = (0..sh.containers)
        .map(|c| {
            let environment: Vec<Value> = (0..20)
                .map(|k| json!({"name": format!("SETTING_{k}"), "value": format!("value-{k}-{family}-{c}")}))
                .collect();
            let mounts: Vec<Value> = mounted()
                .map(|f| json!({"sourceVolume": format!("vol-{f}"),
                                "containerPath": format!("/mnt/vol-{f}"), "readOnly": f % 2 == 1}))
                .collect();
            json!({
                "name": format!("container-{c}"),
                "image": format!("{ACCOUNT}.dkr.ecr.{REGION}.amazonaws.com/{family}-{c}:2.{t}.0"),
                "cpu": 0,
                "portMappings": [{"containerPort": 8080 + c, "hostPort": 8080 + c, "protocol": "tcp"}],
                "essential": c == 0,
                "environment": environment,
                "mountPoints": mounts,
                "volumesFrom": [],
                "logConfiguration": {"logDriver": "awslogs", "options": {
                    "awslogs-group": format!("/ecs/{family}"), "awslogs-region": REGION,
                    "awslogs-stream-prefix": format!("c{c}")}}
            })
        })
        .collect();
    json!({
        "taskDefinitionArn": shared_task_definition_arn(v, t),
        "containerDefinitions": containers,
        "family": family,
        "taskRoleArn": role_arn(&shared_role_name(v, t)),
        "executionRoleArn": role_arn("ecsTaskExecutionRole"),
        "networkMode": "awsvpc",
        "revision": 3 + t,
        "volumes": volumes,
        "status": "ACTIVE",
        "requiresAttributes": [
            {"name": "com.amazonaws.ecs.capability.ecr-auth"},
            {"name": "ecs.capability.efsAuth"},
            {"name": "ecs.capability.efs"},
            {"name": "com.amazonaws.ecs.capability.task-iam-role"},
            {"name": "ecs.capability.task-eni"}
        ],
        "placementConstraints": [],
        "compatibilities": ["EC2", "FARGATE"],
        "runtimePlatform": {"cpuArchitecture": "X86_64", "operatingSystemFamily": "LINUX"},
        "requiresCompatibilities": ["FARGATE"],
        "cpu": "4096",
        "memory": "8192",
        "registeredAt": "2026-11-20T08:10:00+00:00",
        "registeredBy": format!("arn:aws:iam::{ACCOUNT}:role/deployer")
    })
}

fn execution_role() -> Value {
    json!({
        "Path": "/",
        "RoleName": "ecsTaskExecutionRole",
        "RoleId": "AROAECSTASKEXECUXXXXX",
        "Arn": role_arn("ecsTaskExecutionRole"),
        "CreateDate": "2025-03-14T09:00:00+00:00",
        "AssumeRolePolicyDocument": trust_policy(),
        "InstanceProfileList": [],
        "RolePolicyList": [],
        "AttachedManagedPolicies": [{
            "PolicyName": "AmazonECSTaskExecutionRolePolicy",
            "PolicyArn": "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
        }],
        "Tags": [],
        "RoleLastUsed": {}
    })
}

fn managed_policy(name: &str) -> Value {
    let statement = if name == "efs-client-read" {
        json!({"Effect": "Allow", "Action": "elasticfilesystem:ClientMount",
               "Resource": format!("arn:aws:elasticfilesystem:{REGION}:{ACCOUNT}:file-system/*"),
               "Condition": {"Bool": {"elasticfilesystem:AccessedViaMountTarget": "true"}}})
    } else {
        json!({"Effect": "Allow", "Action": [format!("{name}:Get*"), format!("{name}:Put*")],
               "Resource": "*"})
    };
    json!({
        "PolicyName": name,
        "PolicyId": format!("ANPA{:0>17}", name.len()),
        "Arn": managed_policy_arn(name),
        "Path": "/",
        "DefaultVersionId": "v2",
        "AttachmentCount": 1,
        "PermissionsBoundaryUsageCount": 0,
        "IsAttachable": true,
        "CreateDate": "2025-03-14T09:00:00+00:00",
        "UpdateDate": "2025-06-14T09:00:00+00:00",
        "PolicyVersionList": [
            {"Document": {"Version": "2012-10-17", "Statement": [statement]},
             "VersionId": "v2", "IsDefaultVersion": true,
             "CreateDate": "2025-06-14T09:00:00+00:00"},
            {"Document": {"Version": "2012-10-17", "Statement": []},
             "VersionId": "v1", "IsDefaultVersion": false,
             "CreateDate": "2025-03-14T09:00:00+00:00"}
        ]
    })
}

fn stopped_task(svc: &Svc) -> Value {
    let cluster = cluster_name(svc.index);
    json!({
        "taskArn": format!("arn:aws:ecs:{REGION}:{ACCOUNT}:task/{cluster}/{:032x}", svc.index),
        "clusterArn": format!("arn:aws:ecs:{REGION}:{ACCOUNT}:cluster/{cluster}"),
        "taskDefinitionArn": task_definition_arn(svc),
        "group": format!("service:{}", service_name(svc.index)),
        "lastStatus": "STOPPED",
        "desiredStatus": "STOPPED",
        "launchType": "FARGATE",
        "platformVersion": if svc.fault == Fault::OldPlatform { "1.3.0" } else { "1.4.0" },
        "availabilityZone": "us-east-1c",
        "stopCode": "TaskFailedToStart",
        "stoppedAt": "2026-11-23T09:58:12+00:00",
        "stoppedReason": "ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes"
    })
}
