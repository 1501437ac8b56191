//! Property names of the resource types this front end reads, to catch a misspelt property
//! before CloudFormation rejects it (as cfn-lint's E3002 does): a name that is not a property
//! of the type but is one letter (or only letter case) away from one is reported with the
//! name CloudFormation expects. Names far from every property are left alone, so a property
//! added to a type after this list was written is never refused.
//! Lists follow the resource reference
//! (<https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-template-resource-type-ref.html>).

use serde_json::Value as Json;

/// Properties by resource type.
const PROPERTIES: &[(&str, &[&str])] = &[
    (
        "AWS::EC2::VPC",
        &[
            "CidrBlock",
            "EnableDnsHostnames",
            "EnableDnsSupport",
            "InstanceTenancy",
            "Ipv4IpamPoolId",
            "Ipv4NetmaskLength",
            "Tags",
        ],
    ),
    (
        "AWS::EC2::Subnet",
        &[
            "AssignIpv6AddressOnCreation",
            "AvailabilityZone",
            "AvailabilityZoneId",
            "CidrBlock",
            "EnableDns64",
            "EnableLniAtDeviceIndex",
            "Ipv4IpamPoolId",
            "Ipv4NetmaskLength",
            "Ipv6CidrBlock",
            "Ipv6IpamPoolId",
            "Ipv6Native",
            "Ipv6NetmaskLength",
            "MapPublicIpOnLaunch",
            "OutpostArn",
            "PrivateDnsNameOptionsOnLaunch",
            "Tags",
            "VpcId",
        ],
    ),
    (
        "AWS::EC2::SecurityGroup",
        &[
            "GroupDescription",
            "GroupName",
            "SecurityGroupEgress",
            "SecurityGroupIngress",
            "Tags",
            "VpcId",
        ],
    ),
    (
        "AWS::EC2::SecurityGroupIngress",
        &[
            "CidrIp",
            "CidrIpv6",
            "Description",
            "FromPort",
            "GroupId",
            "GroupName",
            "IpProtocol",
            "SourcePrefixListId",
            "SourceSecurityGroupId",
            "SourceSecurityGroupName",
            "SourceSecurityGroupOwnerId",
            "ToPort",
        ],
    ),
    (
        "AWS::EC2::SecurityGroupEgress",
        &[
            "CidrIp",
            "CidrIpv6",
            "Description",
            "DestinationPrefixListId",
            "DestinationSecurityGroupId",
            "FromPort",
            "GroupId",
            "IpProtocol",
            "ToPort",
        ],
    ),
    ("AWS::EC2::NetworkAcl", &["Tags", "VpcId"]),
    (
        "AWS::EC2::NetworkAclEntry",
        &[
            "CidrBlock",
            "Egress",
            "Icmp",
            "Ipv6CidrBlock",
            "NetworkAclId",
            "PortRange",
            "Protocol",
            "RuleAction",
            "RuleNumber",
        ],
    ),
    (
        "AWS::EC2::SubnetNetworkAclAssociation",
        &["NetworkAclId", "SubnetId"],
    ),
    ("AWS::EC2::RouteTable", &["Tags", "VpcId"]),
    (
        "AWS::EC2::Route",
        &[
            "CarrierGatewayId",
            "CoreNetworkArn",
            "DestinationCidrBlock",
            "DestinationIpv6CidrBlock",
            "DestinationPrefixListId",
            "EgressOnlyInternetGatewayId",
            "GatewayId",
            "InstanceId",
            "LocalGatewayId",
            "NatGatewayId",
            "NetworkInterfaceId",
            "RouteTableId",
            "TransitGatewayId",
            "VpcEndpointId",
            "VpcPeeringConnectionId",
        ],
    ),
    (
        "AWS::EC2::SubnetRouteTableAssociation",
        &["RouteTableId", "SubnetId"],
    ),
    (
        "AWS::EFS::FileSystem",
        &[
            "AvailabilityZoneName",
            "BackupPolicy",
            "BypassPolicyLockoutSafetyCheck",
            "Encrypted",
            "FileSystemPolicy",
            "FileSystemProtection",
            "FileSystemTags",
            "KmsKeyId",
            "LifecyclePolicies",
            "PerformanceMode",
            "ProvisionedThroughputInMibps",
            "ReplicationConfiguration",
            "ThroughputMode",
        ],
    ),
    (
        "AWS::EFS::MountTarget",
        &[
            "FileSystemId",
            "IpAddress",
            "IpAddressType",
            "Ipv6Address",
            "SecurityGroups",
            "SubnetId",
        ],
    ),
    (
        "AWS::EFS::AccessPoint",
        &[
            "AccessPointTags",
            "ClientToken",
            "FileSystemId",
            "PosixUser",
            "RootDirectory",
        ],
    ),
    (
        "AWS::ECS::Cluster",
        &[
            "CapacityProviders",
            "ClusterName",
            "ClusterSettings",
            "Configuration",
            "DefaultCapacityProviderStrategy",
            "ServiceConnectDefaults",
            "Tags",
        ],
    ),
    (
        "AWS::ECS::TaskDefinition",
        &[
            "ContainerDefinitions",
            "Cpu",
            "EnableFaultInjection",
            "EphemeralStorage",
            "ExecutionRoleArn",
            "Family",
            "InferenceAccelerators",
            "IpcMode",
            "Memory",
            "NetworkMode",
            "PidMode",
            "PlacementConstraints",
            "ProxyConfiguration",
            "RequiresCompatibilities",
            "RuntimePlatform",
            "Tags",
            "TaskRoleArn",
            "Volumes",
        ],
    ),
    (
        "AWS::ECS::Service",
        &[
            "AvailabilityZoneRebalancing",
            "CapacityProviderStrategy",
            "Cluster",
            "DeploymentConfiguration",
            "DeploymentController",
            "DesiredCount",
            "EnableECSManagedTags",
            "EnableExecuteCommand",
            "ForceNewDeployment",
            "HealthCheckGracePeriodSeconds",
            "LaunchType",
            "LoadBalancers",
            "NetworkConfiguration",
            "PlacementConstraints",
            "PlacementStrategies",
            "PlatformVersion",
            "PropagateTags",
            "Role",
            "SchedulingStrategy",
            "ServiceConnectConfiguration",
            "ServiceName",
            "ServiceRegistries",
            "Tags",
            "TaskDefinition",
            "VolumeConfigurations",
            "VpcLatticeConfigurations",
        ],
    ),
    (
        "AWS::ECS::TaskSet",
        &[
            "CapacityProviderStrategy",
            "Cluster",
            "ExternalId",
            "LaunchType",
            "LoadBalancers",
            "NetworkConfiguration",
            "PlatformVersion",
            "Scale",
            "Service",
            "ServiceRegistries",
            "Tags",
            "TaskDefinition",
        ],
    ),
    (
        "AWS::IAM::Role",
        &[
            "AssumeRolePolicyDocument",
            "Description",
            "ManagedPolicyArns",
            "MaxSessionDuration",
            "Path",
            "PermissionsBoundary",
            "Policies",
            "RoleName",
            "Tags",
        ],
    ),
    (
        "AWS::IAM::Policy",
        &["Groups", "PolicyDocument", "PolicyName", "Roles", "Users"],
    ),
    (
        "AWS::IAM::ManagedPolicy",
        &[
            "Description",
            "Groups",
            "ManagedPolicyName",
            "Path",
            "PolicyDocument",
            "Roles",
            "Users",
        ],
    ),
    (
        "AWS::KMS::Key",
        &[
            "BypassPolicyLockoutSafetyCheck",
            "Description",
            "EnableKeyRotation",
            "Enabled",
            "KeyPolicy",
            "KeySpec",
            "KeyUsage",
            "MultiRegion",
            "Origin",
            "PendingWindowInDays",
            "RotationPeriodInDays",
            "Tags",
        ],
    ),
    (
        "AWS::Route53::HostedZone",
        &[
            "HostedZoneConfig",
            "HostedZoneFeatures",
            "HostedZoneTags",
            "Name",
            "QueryLoggingConfig",
            "VPCs",
        ],
    ),
    (
        "AWS::Route53::RecordSet",
        &[
            "AliasTarget",
            "CidrRoutingConfig",
            "Comment",
            "Failover",
            "GeoLocation",
            "GeoProximityLocation",
            "HealthCheckId",
            "HostedZoneId",
            "HostedZoneName",
            "MultiValueAnswer",
            "Name",
            "Region",
            "ResourceRecords",
            "SetIdentifier",
            "TTL",
            "Type",
            "Weight",
        ],
    ),
    (
        "AWS::Route53::RecordSetGroup",
        &["Comment", "HostedZoneId", "HostedZoneName", "RecordSets"],
    ),
    (
        "AWS::Route53Resolver::ResolverRule",
        &[
            "DelegationRecord",
            "DomainName",
            "Name",
            "ResolverEndpointId",
            "RuleType",
            "Tags",
            "TargetIps",
        ],
    ),
    (
        "AWS::Route53Resolver::ResolverRuleAssociation",
        &["Name", "ResolverRuleId", "VPCId"],
    ),
];

/// Nested property types the rules read: (path below the resource's properties, names).
/// `[]` steps into every element of a list.
const NESTED: &[(&str, &[&str], &[&str])] = &[
    (
        "AWS::ECS::TaskDefinition",
        &["Volumes", "[]", "EFSVolumeConfiguration"],
        &[
            "AuthorizationConfig",
            "FilesystemId",
            "RootDirectory",
            "TransitEncryption",
            "TransitEncryptionPort",
        ],
    ),
    (
        "AWS::ECS::TaskDefinition",
        &[
            "Volumes",
            "[]",
            "EFSVolumeConfiguration",
            "AuthorizationConfig",
        ],
        &["AccessPointId", "IAM"],
    ),
    (
        "AWS::ECS::TaskDefinition",
        &["Volumes", "[]"],
        &[
            "ConfiguredAtLaunch",
            "DockerVolumeConfiguration",
            "EFSVolumeConfiguration",
            "FSxWindowsFileServerVolumeConfiguration",
            "Host",
            "Name",
        ],
    ),
    (
        "AWS::ECS::Service",
        &["NetworkConfiguration", "AwsvpcConfiguration"],
        &["AssignPublicIp", "SecurityGroups", "Subnets"],
    ),
    (
        "AWS::ECS::TaskSet",
        &["NetworkConfiguration", "AwsVpcConfiguration"],
        &["AssignPublicIp", "SecurityGroups", "Subnets"],
    ),
    (
        "AWS::Route53::HostedZone",
        &["VPCs", "[]"],
        &["VPCId", "VPCRegion"],
    ),
];

/// The first misspelt property of a resource: (its path, the name CloudFormation expects).
pub(super) fn misspelt(rtype: &str, props: &Json) -> Option<(String, &'static str)> {
    if let Some((_, names)) = PROPERTIES.iter().find(|(t, _)| *t == rtype) {
        if let Some(found) = check(props, names, "") {
            return Some(found);
        }
    }
    for (t, path, names) in NESTED {
        if *t != rtype {
            continue;
        }
        for (at, node) in descend(props, path, String::new()) {
            if let Some(found) = check(node, names, &at) {
                return Some(found);
            }
        }
    }
    None
}

fn descend<'a>(v: &'a Json, path: &[&str], at: String) -> Vec<(String, &'a Json)> {
    let Some((step, rest)) = path.split_first() else {
        return vec![(at, v)];
    };
    if *step == "[]" {
        return v
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
            .flat_map(|(i, item)| descend(item, rest, format!("{at}[{i}]")))
            .collect();
    }
    match v.get(step) {
        Some(child) => {
            let at = if at.is_empty() {
                (*step).to_owned()
            } else {
                format!("{at}.{step}")
            };
            descend(child, rest, at)
        }
        None => Vec::new(),
    }
}

fn check(node: &Json, names: &[&'static str], at: &str) -> Option<(String, &'static str)> {
    let map = node.as_object()?;
    for key in map.keys() {
        if names.contains(&key.as_str()) || key == "Ref" || key.starts_with("Fn::") {
            continue;
        }
        if let Some(expected) = names.iter().find(|n| close(key, n)) {
            let path = if at.is_empty() {
                key.clone()
            } else {
                format!("{at}.{key}")
            };
            return Some((path, expected));
        }
    }
    None
}

/// The same name but for letter case, or one letter added, dropped, changed or two swapped.
fn close(a: &str, b: &str) -> bool {
    if a.eq_ignore_ascii_case(b) {
        return true;
    }
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    if a.len().min(b.len()) < 6 {
        return false;
    }
    let prefix = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suffix = a
        .iter()
        .rev()
        .zip(b.iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    match a.len().abs_diff(b.len()) {
        0 => {
            prefix + suffix + 1 >= a.len()
                || (prefix + 2 + suffix == a.len()
                    && a.get(prefix) == b.get(prefix + 1)
                    && a.get(prefix + 1) == b.get(prefix))
        }
        1 => prefix + suffix >= a.len().min(b.len()),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn near_names_are_reported_and_far_ones_left_alone() {
        let td = serde_json::json!({"Volumes": [{"Name": "d", "EFSVolumeConfiguration": {"FileSystemId": "fs-1"}}]});
        assert_eq!(
            misspelt("AWS::ECS::TaskDefinition", &td),
            Some((
                "Volumes[0].EFSVolumeConfiguration.FileSystemId".to_owned(),
                "FilesystemId"
            ))
        );
        let sg = serde_json::json!({"SecurityGroupIngres": [], "BrandNewProperty": 1});
        assert_eq!(
            misspelt("AWS::EC2::SecurityGroup", &sg),
            Some(("SecurityGroupIngres".to_owned(), "SecurityGroupIngress"))
        );
        assert_eq!(
            misspelt(
                "AWS::EC2::SecurityGroup",
                &serde_json::json!({"BrandNewProperty": 1})
            ),
            None
        );
        assert!(
            close("SubnetsId", "SubnetId") && !close("VpcdI", "VpcId") && !close("Tag", "Tags")
        );
        assert!(close("TaskRoleAnr", "TaskRoleArn"));
        assert!(!close("IpAddress", "Ipv6Address"));
    }
}
