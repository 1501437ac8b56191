//! Fixes in the words of the input: for a target declared in a Terraform plan or CloudFormation
//! template, the finding's fix also names the argument or property to change.
//!
//! One table, keyed by rule id, holds the Terraform argument and the CloudFormation property
//! (argument names from the AWS provider documentation, property names from the
//! CloudFormation resource reference). The AWS CLI command stays when it acts on resources that
//! exist already; when it names a resource the input has not created yet, it cannot run, and
//! the IaC sentence replaces it.
//!
//! Depends on `rules` (findings) and this module's targets only.

use crate::rules::{Finding, Status};

use super::{Front, IacInput, IacTarget};

/// One rule's fix in Terraform and CloudFormation terms. Placeholders: `{service}`, `{td}`,
/// `{volume}`, `{resource}`.
struct IacFix {
    rule: &'static str,
    terraform: &'static str,
    cloudformation: &'static str,
}

const FIXES: &[IacFix] = &[
    IacFix {
        rule: "ECS001",
        terraform: "set `platform_version` of {service} to \"1.4.0\" (or leave it unset for LATEST)",
        cloudformation: "set `PlatformVersion` of {service} to 1.4.0 (or remove it for LATEST)",
    },
    IacFix {
        rule: "ECS002",
        terraform: "set `runtime_platform.operating_system_family` of {td} to \"LINUX\"",
        cloudformation: "set `RuntimePlatform.OperatingSystemFamily` of {td} to LINUX",
    },
    IacFix {
        rule: "ECS003",
        terraform: "set `transit_encryption = \"ENABLED\"` in `volume.efs_volume_configuration` of {td} (volume {volume})",
        cloudformation: "set `TransitEncryption: ENABLED` in `Volumes[].EFSVolumeConfiguration` of {td} (volume {volume})",
    },
    IacFix {
        rule: "ECS004",
        terraform: "set `transit_encryption = \"ENABLED\"` in `volume.efs_volume_configuration` of {td} (volume {volume})",
        cloudformation: "set `TransitEncryption: ENABLED` in `Volumes[].EFSVolumeConfiguration` of {td} (volume {volume})",
    },
    IacFix {
        rule: "ECS005",
        terraform: "remove `root_directory` from `volume.efs_volume_configuration` of {td} (volume {volume}); the access point's `root_directory.path` sets the directory",
        cloudformation: "remove `RootDirectory` from `Volumes[].EFSVolumeConfiguration` of {td} (volume {volume}); the access point's `RootDirectory.Path` sets the directory",
    },
    IacFix {
        rule: "ECS006",
        terraform: "set `transit_encryption = \"ENABLED\"` or remove `transit_encryption_port` in `volume.efs_volume_configuration` of {td} (volume {volume})",
        cloudformation: "set `TransitEncryption: ENABLED` or remove `TransitEncryptionPort` in `Volumes[].EFSVolumeConfiguration` of {td} (volume {volume})",
    },
    IacFix {
        rule: "ECS007",
        terraform: "set `task_role_arn` of {td} (e.g. `aws_iam_role.task.arn`)",
        cloudformation: "set `TaskRoleArn` of {td} (e.g. `Fn::GetAtt: [TaskRole, Arn]`)",
    },
    IacFix {
        rule: "ECS008",
        terraform: "make every `mountPoints[].sourceVolume` in `container_definitions` of {td} name a `volume` block",
        cloudformation: "make every `ContainerDefinitions[].MountPoints[].SourceVolume` of {td} name one of its `Volumes`",
    },
    IacFix {
        rule: "ECS009",
        terraform: "move `mountPoints[].containerPath` of volume {volume} in `container_definitions` of {td} to a directory that does not hold the container's entry point",
        cloudformation: "move `ContainerDefinitions[].MountPoints[].ContainerPath` of volume {volume} in {td} to a directory that does not hold the container's entry point",
    },
    IacFix {
        rule: "EFS001",
        terraform: "set `file_system_id` in `volume.efs_volume_configuration` of {td} (volume {volume}) to an existing file system or `aws_efs_file_system.NAME.id`",
        cloudformation: "set `FilesystemId` in `Volumes[].EFSVolumeConfiguration` of {td} (volume {volume}) to an existing file system or a `Ref` to an AWS::EFS::FileSystem",
    },
    IacFix {
        rule: "EFS003",
        terraform: "set `authorization_config.access_point_id` of volume {volume} in {td} to an existing access point or `aws_efs_access_point.NAME.id`",
        cloudformation: "set `AuthorizationConfig.AccessPointId` of volume {volume} in {td} to an existing access point or a `Ref` to an AWS::EFS::AccessPoint",
    },
    IacFix {
        rule: "EFS004",
        terraform: "set `authorization_config.access_point_id` of volume {volume} in {td} to an access point of the volume's `file_system_id`",
        cloudformation: "set `AuthorizationConfig.AccessPointId` of volume {volume} in {td} to an access point of the volume's `FilesystemId`",
    },
    IacFix {
        rule: "EFS006",
        terraform: "add `root_directory.creation_info` (owner_uid, owner_gid, permissions) to access point {resource}",
        cloudformation: "add `RootDirectory.CreationInfo` (OwnerUid, OwnerGid, Permissions) to access point {resource}",
    },
    IacFix {
        rule: "EFS007",
        terraform: "remove `root_directory` from volume {volume} of {td}, or mount through an `aws_efs_access_point` whose `root_directory` has `creation_info`",
        cloudformation: "remove `RootDirectory` from volume {volume} of {td}, or mount through an AWS::EFS::AccessPoint whose `RootDirectory` has `CreationInfo`",
    },
    IacFix {
        rule: "EFS008",
        terraform: "set `\"readOnly\": true` on the mountPoints of volume {volume} in `container_definitions` of {td}",
        cloudformation: "set `ReadOnly: true` on the `ContainerDefinitions[].MountPoints` of volume {volume} in {td}",
    },
    IacFix {
        rule: "EFS010",
        terraform: "use an `aws_efs_access_point` whose `posix_user` owns its `root_directory.creation_info` for volume {volume} of {td} (or set the container definition's `user` to one that may write)",
        cloudformation: "use an AWS::EFS::AccessPoint whose `PosixUser` owns its `RootDirectory.CreationInfo` for volume {volume} of {td} (or set `ContainerDefinitions[].User` to one that may write)",
    },
    IacFix {
        rule: "EFS009",
        terraform: "set `is_enabled = true` on the `aws_kms_key` {resource} (and remove any scheduled deletion), or set `kms_key_id` of the `aws_efs_file_system` to an enabled key",
        cloudformation: "set `Enabled: true` on the AWS::KMS::Key {resource}, or set `KmsKeyId` of the AWS::EFS::FileSystem to an enabled key",
    },
    IacFix {
        rule: "NET001",
        terraform: "add an `aws_efs_mount_target` of the file system in {resource} (or in another subnet of its Availability Zone), or remove {resource} from `network_configuration.subnets` of {service}",
        cloudformation: "add an AWS::EFS::MountTarget of the file system in {resource} (or in another subnet of its Availability Zone), or remove {resource} from `NetworkConfiguration.AwsvpcConfiguration.Subnets` of {service}",
    },
    IacFix {
        rule: "NET003",
        terraform: "set `network_configuration.subnets` of {service} to subnets of the VPC that holds the file system's `aws_efs_mount_target`s",
        cloudformation: "set `NetworkConfiguration.AwsvpcConfiguration.Subnets` of {service} to subnets of the VPC that holds the file system's mount targets",
    },
    IacFix {
        rule: "NET004",
        terraform: "set `network_configuration.subnets` of {service} to subnets of the One Zone file system's `availability_zone_name`",
        cloudformation: "set `NetworkConfiguration.AwsvpcConfiguration.Subnets` of {service} to subnets of the One Zone file system's `AvailabilityZoneName`",
    },
    IacFix {
        rule: "NET005",
        terraform: "allow TCP 2049 from the task security group into {resource} (an `aws_vpc_security_group_ingress_rule` with `referenced_security_group_id`, or an `ingress` block of the `aws_security_group`)",
        cloudformation: "allow TCP 2049 from the task security group into {resource} (an AWS::EC2::SecurityGroupIngress with `SourceSecurityGroupId`, or a `SecurityGroupIngress` entry)",
    },
    IacFix {
        rule: "NET006",
        terraform: "allow TCP 2049 out of {resource} to the mount target (an `aws_vpc_security_group_egress_rule`, or an `egress` block of the `aws_security_group`)",
        cloudformation: "allow TCP 2049 out of {resource} to the mount target (an AWS::EC2::SecurityGroupEgress, or a `SecurityGroupEgress` entry)",
    },
    IacFix {
        rule: "NET007",
        terraform: "allow TCP 2049 and the return ports 1024-65535 in network ACL {resource} (`aws_network_acl_rule`, or `ingress` / `egress` blocks of the `aws_network_acl`)",
        cloudformation: "allow TCP 2049 and the return ports 1024-65535 in network ACL {resource} (AWS::EC2::NetworkAclEntry)",
    },
    IacFix {
        rule: "NET008",
        terraform: "remove the `route` / `aws_route` of {resource} that sends VPC-internal traffic away from `local`",
        cloudformation: "remove the AWS::EC2::Route of {resource} that sends VPC-internal traffic away from `local`",
    },
    IacFix {
        rule: "DNS001",
        terraform: "set `enable_dns_support = true` on the `aws_vpc` {resource}",
        cloudformation: "set `EnableDnsSupport: true` on the AWS::EC2::VPC {resource}",
    },
    IacFix {
        rule: "DNS002",
        terraform: "set `enable_dns_hostnames = true` on the `aws_vpc` {resource} (the provider default is false)",
        cloudformation: "set `EnableDnsHostnames: true` on the AWS::EC2::VPC {resource} (the default is false)",
    },
    IacFix {
        rule: "DNS003",
        terraform: "include \"AmazonProvidedDNS\" in `domain_name_servers` of the `aws_vpc_dhcp_options` {resource}",
        cloudformation: "include AmazonProvidedDNS in `DomainNameServers` of the AWS::EC2::DHCPOptions {resource}",
    },
    IacFix {
        rule: "DNS004",
        terraform: "remove the `aws_route53_resolver_rule_association` of rule {resource} with the task VPC, or add a SYSTEM `aws_route53_resolver_rule` for the EFS domain and associate it",
        cloudformation: "remove the AWS::Route53Resolver::ResolverRuleAssociation of rule {resource} with the task VPC, or add a SYSTEM AWS::Route53Resolver::ResolverRule for the EFS domain and associate it",
    },
    IacFix {
        rule: "DNS005",
        terraform: "remove the task VPC from the `vpc` blocks of the `aws_route53_zone` {resource}, or add the file system's record to it",
        cloudformation: "remove the task VPC from `VPCs` of the AWS::Route53::HostedZone {resource}, or add the file system's record to it",
    },
    IacFix {
        rule: "NET009",
        terraform: "set `ip_address_type = \"DUAL_STACK\"` on the `aws_efs_mount_target` in the AZ of {resource} (its subnet needs an `ipv6_cidr_block`), or `enable_dns64 = false` on the `aws_subnet` {resource}",
        cloudformation: "set `IpAddressType: DUAL_STACK` on the AWS::EFS::MountTarget in the AZ of {resource} (its subnet needs an `Ipv6CidrBlock`), or `EnableDns64: false` on the AWS::EC2::Subnet {resource}",
    },
    IacFix {
        rule: "IAM001",
        terraform: "add `elasticfilesystem:ClientMount` to the `policy` of the `aws_efs_file_system_policy` of {resource}, or set `authorization_config.iam = \"ENABLED\"` for volume {volume} in {td} with a task role allowed to mount",
        cloudformation: "add `elasticfilesystem:ClientMount` to the `FileSystemPolicy` of {resource} (CDK: `allowAnonymousAccess: true` or `fileSystem.addToResourcePolicy`), or set `AuthorizationConfig.IAM: ENABLED` for volume {volume} in {td} with a task role allowed to mount",
    },
    IacFix {
        rule: "IAM002",
        terraform: "allow `elasticfilesystem:ClientMount` to the task role of {td} (an `aws_iam_role_policy`) or in the `aws_efs_file_system_policy` of the file system",
        cloudformation: "allow `elasticfilesystem:ClientMount` to the task role of {td} (its `Policies`, or an AWS::IAM::Policy) or in the `FileSystemPolicy` of the file system",
    },
    IacFix {
        rule: "IAM003",
        terraform: "set `transit_encryption = \"ENABLED\"` in `volume.efs_volume_configuration` of {td} (volume {volume})",
        cloudformation: "set `TransitEncryption: ENABLED` in `Volumes[].EFSVolumeConfiguration` of {td} (volume {volume})",
    },
    IacFix {
        rule: "IAM004",
        terraform: "allow `elasticfilesystem:ClientWrite` (in the file system `policy` or the task role's policies), or set `\"readOnly\": true` on the mountPoints of volume {volume}",
        cloudformation: "allow `elasticfilesystem:ClientWrite` (in the `FileSystemPolicy` or the task role's policies), or set `ReadOnly: true` on the MountPoints of volume {volume}",
    },
    IacFix {
        rule: "IAM005",
        terraform: "allow `elasticfilesystem:ClientRootAccess`, or give access point {resource} a non-root `posix_user`",
        cloudformation: "allow `elasticfilesystem:ClientRootAccess`, or give access point {resource} a non-root `PosixUser`",
    },
    IacFix {
        rule: "IAM006",
        terraform: "let `ecs-tasks.amazonaws.com` assume {resource} in its `assume_role_policy`",
        cloudformation: "let `ecs-tasks.amazonaws.com` assume {resource} in its `AssumeRolePolicyDocument`",
    },
    IacFix {
        rule: "IAM007",
        terraform: "set `task_role_arn` of {td} to an existing role or `aws_iam_role.NAME.arn`",
        cloudformation: "set `TaskRoleArn` of {td} to an existing role or `Fn::GetAtt: [Role, Arn]`",
    },
];

/// The IaC sentence for one finding of a target declared in `input`, if the rule has one.
pub fn iac_sentence(input: &IacInput, target: &IacTarget, finding: &Finding) -> Option<String> {
    let fix = FIXES.iter().find(|f| f.rule == finding.rule.id)?;
    let template = match input.front {
        Front::Terraform => fix.terraform,
        Front::CloudFormation => fix.cloudformation,
    };
    let service = target
        .service_address
        .clone()
        .unwrap_or_else(|| "the service that runs it".to_owned());
    let td = target
        .task_definition_address
        .clone()
        .unwrap_or_else(|| "the task definition".to_owned());
    Some(
        template
            .replace("{service}", &service)
            .replace("{td}", &td)
            .replace("{volume}", finding.volume.as_deref().unwrap_or("?"))
            .replace(
                "{resource}",
                finding.resource.as_deref().unwrap_or("the resource"),
            ),
    )
}

/// Whether `text` names one of the input's addresses as a whole word (a resource that does not
/// exist before deployment, so an AWS CLI command naming it cannot run).
fn names_new_resource(input: &IacInput, text: &str) -> bool {
    input.addresses.iter().any(|a| {
        text.match_indices(a.as_str()).any(|(i, _)| {
            let before = text.get(..i).and_then(|s| s.chars().next_back());
            let after = text.get(i + a.len()..).and_then(|s| s.chars().next());
            let word = |c: Option<char>| {
                c.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '[')
            };
            !word(before) && !word(after)
        })
    })
}

/// Adds the IaC sentence to the fixes of non-passing findings of the input's targets.
/// `origins[i]` is the origin of target `i` of the run.
pub fn annotate(input: &IacInput, origins: &[Option<String>], findings: &mut [Finding]) {
    for f in findings.iter_mut() {
        if !matches!(f.status, Status::Fail | Status::Warn) {
            continue;
        }
        let Some(Some(origin)) = origins.get(f.target) else {
            continue;
        };
        let Some(target) = input.targets.iter().find(|t| input.origin(t) == *origin) else {
            continue;
        };
        let Some(sentence) = iac_sentence(input, target, f) else {
            continue;
        };
        let product = input.front.product();
        // `aws ecs update-service` cannot act on a service the input is still creating.
        let new_service = |cli: &str| !target.service_exists && cli.contains(" --service ");
        f.fix = Some(match f.fix.take() {
            Some(cli) if !names_new_resource(input, &cli) && !new_service(&cli) => {
                format!("{}; in {product}: {sentence}", cli.trim_end_matches('.'))
            }
            _ => format!("In {product}: {sentence}"),
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_rule_in_the_table_exists_and_appears_once() {
        for (i, f) in FIXES.iter().enumerate() {
            assert!(
                FIXES.iter().skip(i + 1).all(|g| g.rule != f.rule),
                "{} twice",
                f.rule
            );
            assert!(
                f.rule.len() == 6 && f.rule.chars().skip(3).all(|c| c.is_ascii_digit()),
                "{}",
                f.rule
            );
        }
        for r in crate::rules::ALL {
            // Rules without an IaC attribute (state-only: EFS002, EFS005, NET002) are the
            // only ones left out.
            let state_only = ["EFS002", "EFS005", "NET002"].contains(&r.id);
            assert_eq!(
                FIXES.iter().any(|f| f.rule == r.id),
                !state_only,
                "{}",
                r.id
            );
        }
    }
}
