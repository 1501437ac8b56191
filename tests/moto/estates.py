#!/usr/bin/env python3
"""Builds test estates in a moto server through the AWS APIs (boto3).

Usage: estates.py ESTATE [ESTATE ...] --endpoint URL [--count N]

Prints one JSON object with the ids it created. Estates:

  healthy       VPC with DNS support and hostnames on and a DHCP option set with
                AmazonProvidedDNS, 2 subnets in 2 AZs, task and EFS security groups (2049 from
                the task group and from a prefix list), a file system with mount targets in both
                AZs, an access point, a file-system policy, a task role (trust for ecs-tasks,
                inline, attached managed policy with two versions, permissions boundary), cluster
                `app`, task definition `efs-app` and FARGATE service `web` (platform 1.4.0), a
                service `plain` without EFS, and one stopped task of `web`.
  missing-az    healthy + service `web-az` whose subnets include one in an AZ with no mount target.
  stopped-tasks missing-az + two stopped tasks of `web-az`: one in the subnet without a mount
                target with the ResourceInitializationError it gets, one scaled in.
  task-own-sg   healthy + two stopped tasks of `web` that timed out mounting: one whose network
                interface had the `unrelated` security group (which the mount targets' group does
                not admit) instead of the service's, and one whose interface is already deleted
                (started by the service's PRIMARY deployment).
  no-2049       healthy + service `web-no2049` on a second file system whose security group
                allows SSH only.
  platform-130  healthy + service `web-130` on platform version 1.3.0.
  missing-fs    healthy + service `web-nofs` whose task definition names a file system that does
                not exist.
  many-fs       healthy + `--count` extra file systems (default 12) used by one task definition
                and service `web-many`, for EFS pagination (moto pages file systems at 10).
  fleet         healthy + `--count` services (default 50) `svc-NN` sharing the VPC and file system.
  denied        healthy + IAM user `preflight` whose policy allows the read actions but denies
                ec2:DescribeNetworkAcls and iam:GetRole; then turns on moto's IAM enforcement.
                Prints the user's access keys.
  denied-dns    as denied, but the policy denies kms:DescribeKey,
                route53:ListHostedZonesByVPC and route53resolver:ListResolverRuleAssociations.
"""

import argparse
import json
import sys
import urllib.request

import boto3

REGION = "us-east-1"
ACCOUNT = "123456789012"


def clients(endpoint, key="testing", secret="testing"):
    def make(name):
        return boto3.client(
            name,
            region_name=REGION,
            endpoint_url=endpoint,
            aws_access_key_id=key,
            aws_secret_access_key=secret,
        )

    return {
        name: make(name)
        for name in ("ec2", "efs", "ecs", "iam", "sts", "kms", "route53", "route53resolver")
    }


TRUST = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": {"Service": "ecs-tasks.amazonaws.com"},
            "Action": "sts:AssumeRole",
        }
    ],
}


def efs_client_policy(actions):
    return {
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": actions, "Resource": "*"}],
    }


def efs_volume(fs_id, access_point=None):
    config = {"fileSystemId": fs_id, "rootDirectory": "/", "transitEncryption": "ENABLED"}
    if access_point:
        config["authorizationConfig"] = {"accessPointId": access_point, "iam": "ENABLED"}
    return {"name": "shared-data", "efsVolumeConfiguration": config}


def register_task_definition(c, family, role_arn, volumes):
    container = {
        "name": "app",
        "image": "public.ecr.aws/docker/library/busybox:latest",
        # moto's run_task fails with HTTP 500 when a container has no memory.
        "memory": 512,
        "essential": True,
        "environment": [{"name": "DB_PASSWORD", "value": "hunter2"}],
        "mountPoints": [
            {"sourceVolume": v["name"], "containerPath": "/mnt/" + v["name"]} for v in volumes
        ],
    }
    td = c["ecs"].register_task_definition(
        family=family,
        networkMode="awsvpc",
        requiresCompatibilities=["FARGATE"],
        cpu="256",
        memory="512",
        taskRoleArn=role_arn,
        executionRoleArn=role_arn,
        runtimePlatform={"operatingSystemFamily": "LINUX", "cpuArchitecture": "X86_64"},
        containerDefinitions=[container],
        volumes=volumes,
    )
    return td["taskDefinition"]["taskDefinitionArn"]


def create_service(c, name, td_arn, subnets, sgs, platform="1.4.0", cluster="app"):
    svc = c["ecs"].create_service(
        cluster=cluster,
        serviceName=name,
        taskDefinition=td_arn,
        desiredCount=1,
        launchType="FARGATE",
        platformVersion=platform,
        networkConfiguration={
            "awsvpcConfiguration": {
                "subnets": subnets,
                "securityGroups": sgs,
                "assignPublicIp": "DISABLED",
            }
        },
    )
    return svc["service"]["serviceArn"]


def healthy(c):
    ec2, efs, ecs, iam = c["ec2"], c["efs"], c["ecs"], c["iam"]
    out = {}
    vpc = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsSupport={"Value": True})
    ec2.modify_vpc_attribute(VpcId=vpc, EnableDnsHostnames={"Value": True})
    # moto creates no DHCP option set for new VPCs (DhcpOptionsId "default"); AWS does.
    dopt = ec2.create_dhcp_options(
        DhcpConfigurations=[
            {"Key": "domain-name-servers", "Values": ["AmazonProvidedDNS"]},
            {"Key": "domain-name", "Values": ["ec2.internal"]},
        ]
    )["DhcpOptions"]["DhcpOptionsId"]
    ec2.associate_dhcp_options(DhcpOptionsId=dopt, VpcId=vpc)
    sub_a = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.0.0/24", AvailabilityZone="us-east-1a")
    sub_b = ec2.create_subnet(VpcId=vpc, CidrBlock="10.0.1.0/24", AvailabilityZone="us-east-1b")
    sub_a, sub_b = sub_a["Subnet"]["SubnetId"], sub_b["Subnet"]["SubnetId"]

    pl = ec2.create_managed_prefix_list(
        PrefixListName="office",
        AddressFamily="IPv4",
        MaxEntries=5,
        Entries=[{"Cidr": "192.168.0.0/24", "Description": "office"}],
    )["PrefixList"]["PrefixListId"]

    task_sg = ec2.create_security_group(GroupName="task", Description="task", VpcId=vpc)["GroupId"]
    efs_sg = ec2.create_security_group(GroupName="efs", Description="efs", VpcId=vpc)["GroupId"]
    ops_sg = ec2.create_security_group(GroupName="ops", Description="ops", VpcId=vpc)["GroupId"]
    unrelated_sg = ec2.create_security_group(
        GroupName="unrelated", Description="unrelated", VpcId=vpc
    )["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=efs_sg,
        IpPermissions=[
            {
                "IpProtocol": "tcp",
                "FromPort": 2049,
                "ToPort": 2049,
                "UserIdGroupPairs": [{"GroupId": task_sg, "Description": "from task"}],
                "PrefixListIds": [{"PrefixListId": pl}],
            },
            {
                "IpProtocol": "tcp",
                "FromPort": 22,
                "ToPort": 22,
                "UserIdGroupPairs": [{"GroupId": ops_sg}],
            },
        ],
    )
    # Route to the prefix list through an internet gateway: a route the collector must follow.
    igw = ec2.create_internet_gateway()["InternetGateway"]["InternetGatewayId"]
    ec2.attach_internet_gateway(InternetGatewayId=igw, VpcId=vpc)
    rtb = ec2.create_route_table(VpcId=vpc)["RouteTable"]["RouteTableId"]
    ec2.create_route(RouteTableId=rtb, DestinationPrefixListId=pl, GatewayId=igw)
    ec2.associate_route_table(RouteTableId=rtb, SubnetId=sub_a)

    # Encrypted with a customer managed key (moto reports KmsKeyId only when one is given).
    key = c["kms"].create_key(Description="efs")["KeyMetadata"]["Arn"]
    fs = efs.create_file_system(
        CreationToken="healthy",
        Encrypted=True,
        KmsKeyId=key,
        Tags=[{"Key": "Name", "Value": "shared"}],
    )
    fs = fs["FileSystemId"]
    # A private hosted zone for the file system's own name with its record (the documented
    # cross-VPC pattern), and a SYSTEM Resolver rule for amazonaws.com: both leave the name
    # resolvable. moto lists only zones of the account (no zone that EFS owns).
    zone_name = f"{fs}.efs.{REGION}.amazonaws.com"
    zone = c["route53"].create_hosted_zone(
        Name=zone_name,
        CallerReference="efs-zone",
        HostedZoneConfig={"Comment": "cross-VPC mount", "PrivateZone": True},
        VPC={"VPCRegion": REGION, "VPCId": vpc},
    )["HostedZone"]["Id"]
    c["route53"].change_resource_record_sets(
        HostedZoneId=zone,
        ChangeBatch={
            "Changes": [
                {
                    "Action": "CREATE",
                    "ResourceRecordSet": {
                        "Name": zone_name,
                        "Type": "A",
                        "TTL": 60,
                        "ResourceRecords": [{"Value": "10.0.0.25"}],
                    },
                }
            ]
        },
    )
    rule = c["route53resolver"].create_resolver_rule(
        CreatorRequestId="efs-system",
        Name="aws-local",
        RuleType="SYSTEM",
        DomainName="amazonaws.com",
    )["ResolverRule"]["Id"]
    c["route53resolver"].associate_resolver_rule(ResolverRuleId=rule, VPCId=vpc, Name="aws-local")
    # moto has no PutAccountSettingDefault; the setting of the caller does the same here.
    ecs.put_account_setting(name="dualStackIPv6", value="disabled")
    mt_a = efs.create_mount_target(FileSystemId=fs, SubnetId=sub_a, SecurityGroups=[efs_sg])
    mt_b = efs.create_mount_target(FileSystemId=fs, SubnetId=sub_b, SecurityGroups=[efs_sg])
    ap = efs.create_access_point(
        FileSystemId=fs,
        PosixUser={"Uid": 1000, "Gid": 1000},
        RootDirectory={
            "Path": "/data",
            "CreationInfo": {"OwnerUid": 1000, "OwnerGid": 1000, "Permissions": "0750"},
        },
    )["AccessPointId"]
    fs_policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"AWS": "*"},
                "Action": ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
                "Condition": {"Bool": {"elasticfilesystem:AccessedViaMountTarget": "true"}},
            }
        ],
    }
    efs.put_file_system_policy(FileSystemId=fs, Policy=json.dumps(fs_policy))

    boundary = iam.create_policy(
        PolicyName="efs-boundary",
        PolicyDocument=json.dumps(efs_client_policy("elasticfilesystem:*")),
    )["Policy"]["Arn"]
    managed = iam.create_policy(
        PolicyName="efs-managed",
        Path="/app/",
        PolicyDocument=json.dumps(efs_client_policy("elasticfilesystem:ClientMount")),
    )["Policy"]["Arn"]
    iam.create_policy_version(
        PolicyArn=managed,
        PolicyDocument=json.dumps(
            efs_client_policy(["elasticfilesystem:ClientMount", "elasticfilesystem:ClientRootAccess"])
        ),
        SetAsDefault=True,
    )
    role = iam.create_role(
        RoleName="efs-task-role",
        Path="/app/",
        AssumeRolePolicyDocument=json.dumps(TRUST),
        PermissionsBoundary=boundary,
    )["Role"]["Arn"]
    iam.put_role_policy(
        RoleName="efs-task-role",
        PolicyName="efs-inline",
        PolicyDocument=json.dumps(
            efs_client_policy(["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"])
        ),
    )
    iam.attach_role_policy(RoleName="efs-task-role", PolicyArn=managed)

    ecs.create_cluster(clusterName="app")
    td = register_task_definition(c, "efs-app", role, [efs_volume(fs, ap)])
    plain_td = register_task_definition(c, "plain", role, [])
    web = create_service(c, "web", td, [sub_a, sub_b], [task_sg])
    plain = create_service(c, "plain", plain_td, [sub_a], [task_sg])

    # A stopped task of `web` for diagnosis (moto's services never start tasks themselves).
    task = ecs.run_task(
        cluster="app",
        taskDefinition=td,
        launchType="FARGATE",
        group="service:web",
        networkConfiguration={"awsvpcConfiguration": {"subnets": [sub_a], "securityGroups": [task_sg]}},
    )["tasks"][0]["taskArn"]
    ecs.stop_task(
        cluster="app",
        task=task,
        reason="ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes",
    )

    out.update(
        vpc=vpc,
        dhcp_options=dopt,
        subnets=[sub_a, sub_b],
        prefix_list=pl,
        route_table=rtb,
        task_sg=task_sg,
        efs_sg=efs_sg,
        ops_sg=ops_sg,
        unrelated_sg=unrelated_sg,
        file_system=fs,
        kms_key=key,
        hosted_zone=zone,
        resolver_rule=rule,
        mount_targets=[mt_a["MountTargetId"], mt_b["MountTargetId"]],
        access_point=ap,
        role=role,
        managed_policy=managed,
        boundary_policy=boundary,
        task_definition=td,
        plain_task_definition=plain_td,
        services={"web": web, "plain": plain},
        stopped_task=task,
    )
    return out


def missing_az(c, out):
    ec2 = c["ec2"]
    sub_c = ec2.create_subnet(VpcId=out["vpc"], CidrBlock="10.0.2.0/24", AvailabilityZone="us-east-1c")
    sub_c = sub_c["Subnet"]["SubnetId"]
    out["subnet_no_mount_target"] = sub_c
    out["services"]["web-az"] = create_service(
        c, "web-az", out["task_definition"], [out["subnets"][0], sub_c], [out["task_sg"]]
    )


def stopped_tasks(c, out):
    """Two stopped tasks of `web-az` (from `missing-az`): one placed in the subnet whose AZ has no
    mount target, stopped with the reason ECS gives for that, and one stopped for an unrelated
    reason. moto keeps the reason verbatim but sets no stopCode or stoppedAt."""
    ecs = c["ecs"]
    if "subnet_no_mount_target" not in out:
        missing_az(c, out)
    fs = out["file_system"]
    failed = ecs.run_task(
        cluster="app",
        taskDefinition=out["task_definition"],
        launchType="FARGATE",
        group="service:web-az",
        networkConfiguration={
            "awsvpcConfiguration": {"subnets": [out["subnet_no_mount_target"]], "securityGroups": [out["task_sg"]]}
        },
    )["tasks"][0]["taskArn"]
    ecs.stop_task(
        cluster="app",
        task=failed,
        reason=(
            "ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: "
            f'stderr: Failed to resolve "{fs}.efs.us-east-1.amazonaws.com" - check that your file system ID '
            "is correct, and ensure that the VPC has an EFS mount target for this file system ID. See "
            "https://docs.aws.amazon.com/console/efs/mount-dns-name for more detail. Attempting to lookup "
            "mount target ip address using botocore. Failed to import necessary dependency botocore, please "
            "install botocore first. : unsuccessful EFS utils command execution; code: 1"
        ),
    )
    scaled = ecs.run_task(
        cluster="app",
        taskDefinition=out["task_definition"],
        launchType="FARGATE",
        group="service:web-az",
        networkConfiguration={"awsvpcConfiguration": {"subnets": [out["subnets"][0]], "securityGroups": [out["task_sg"]]}},
    )["tasks"][0]["taskArn"]
    ecs.stop_task(cluster="app", task=scaled, reason="Scaling activity initiated by (deployment ecs-svc/1234567890123456789)")
    out["failed_task"] = failed
    out["scaled_in_task"] = scaled


def no_2049(c, out):
    ec2, efs = c["ec2"], c["efs"]
    ssh_sg = ec2.create_security_group(GroupName="efs-ssh", Description="ssh only", VpcId=out["vpc"])
    ssh_sg = ssh_sg["GroupId"]
    ec2.authorize_security_group_ingress(
        GroupId=ssh_sg,
        IpPermissions=[
            {"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "10.0.0.0/16"}]}
        ],
    )
    fs = efs.create_file_system(CreationToken="no-2049")["FileSystemId"]
    for subnet in out["subnets"]:
        efs.create_mount_target(FileSystemId=fs, SubnetId=subnet, SecurityGroups=[ssh_sg])
    td = register_task_definition(c, "efs-no2049", out["role"], [efs_volume(fs)])
    out.update(no_2049_sg=ssh_sg, no_2049_file_system=fs)
    out["services"]["web-no2049"] = create_service(c, "web-no2049", td, out["subnets"], [out["task_sg"]])


def platform_130(c, out):
    out["services"]["web-130"] = create_service(
        c, "web-130", out["task_definition"], out["subnets"], [out["task_sg"]], platform="1.3.0"
    )


def missing_fs(c, out):
    missing = "fs-0123456789abcdef0"
    td = register_task_definition(c, "efs-missing", out["role"], [efs_volume(missing)])
    out["missing_file_system"] = missing
    out["services"]["web-nofs"] = create_service(c, "web-nofs", td, out["subnets"], [out["task_sg"]])


def many_fs(c, out, count):
    efs = c["efs"]
    ids = []
    volumes = []
    for i in range(count):
        fs = efs.create_file_system(CreationToken=f"many-{i}")["FileSystemId"]
        ids.append(fs)
        volumes.append({"name": f"vol{i}", "efsVolumeConfiguration": {"fileSystemId": fs}})
    td = register_task_definition(c, "efs-many", out["role"], volumes)
    out["many_file_systems"] = ids
    out["services"]["web-many"] = create_service(c, "web-many", td, out["subnets"], [out["task_sg"]])


def fleet(c, out, count):
    for i in range(count):
        name = f"svc-{i:02d}"
        out["services"][name] = create_service(
            c, name, out["task_definition"], out["subnets"], [out["task_sg"]]
        )


def denied(c, out, endpoint, deny):
    iam = c["iam"]
    iam.create_user(UserName="preflight")
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": [
                    "ec2:Describe*",
                    "ec2:GetManagedPrefixListEntries",
                    "elasticfilesystem:Describe*",
                    "ecs:Describe*",
                    "ecs:List*",
                    "iam:Get*",
                    "iam:List*",
                    "kms:DescribeKey",
                    "route53:Get*",
                    "route53:List*",
                    "route53resolver:Get*",
                    "route53resolver:List*",
                    "sts:GetCallerIdentity",
                ],
                "Resource": "*",
            },
            {
                "Effect": "Deny",
                "Action": deny,
                "Resource": "*",
            },
        ],
    }
    iam.put_user_policy(UserName="preflight", PolicyName="read", PolicyDocument=json.dumps(policy))
    key = iam.create_access_key(UserName="preflight")["AccessKey"]
    # Turn on moto's IAM enforcement now (body "0"); it must not be form-encoded.
    request = urllib.request.Request(
        endpoint.rstrip("/") + "/moto-api/reset-auth",
        data=b"0",
        method="POST",
        headers={"Content-Type": "text/plain"},
    )
    with urllib.request.urlopen(request) as response:
        response.read()
    out["access_key_id"] = key["AccessKeyId"]
    out["secret_access_key"] = key["SecretAccessKey"]


def task_own_sg(c, out):
    """Tasks of `web` checked with the groups they had: one ran with `unrelated` (its ENI says
    so); one's ENI is gone, so its groups come from the deployment that started it."""
    ecs, ec2 = c["ecs"], c["ec2"]
    reason = (
        "ResourceInitializationError: failed to invoke EFS utils commands to set up EFS volumes: "
        "stderr: b'mount.nfs4: Connection timed out' : unsuccessful EFS utils command execution; code: 32"
    )
    deployment = ecs.describe_services(cluster="app", services=["web"])["services"][0]["deployments"][0]["id"]
    tasks = {}
    for key, sg in (("own_sg_task", out["unrelated_sg"]), ("eni_gone_task", out["task_sg"])):
        task = ecs.run_task(
            cluster="app",
            taskDefinition=out["task_definition"],
            launchType="FARGATE",
            group="service:web",
            startedBy=deployment,
            networkConfiguration={"awsvpcConfiguration": {"subnets": [out["subnets"][0]], "securityGroups": [sg]}},
        )["tasks"][0]
        ecs.stop_task(cluster="app", task=task["taskArn"], reason=reason)
        tasks[key] = task
    eni = next(
        d["value"]
        for d in tasks["eni_gone_task"]["attachments"][0]["details"]
        if d["name"] == "networkInterfaceId"
    )
    ec2.delete_network_interface(NetworkInterfaceId=eni)
    out["own_sg_task"] = tasks["own_sg_task"]["taskArn"]
    out["eni_gone_task"] = tasks["eni_gone_task"]["taskArn"]
    out["web_deployment"] = deployment


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("estates", nargs="+")
    parser.add_argument("--endpoint", required=True)
    parser.add_argument("--count", type=int)
    args = parser.parse_args()
    known = {
        "healthy",
        "missing-az",
        "stopped-tasks",
        "task-own-sg",
        "no-2049",
        "platform-130",
        "missing-fs",
        "many-fs",
        "fleet",
        "denied",
        "denied-dns",
    }
    unknown = [e for e in args.estates if e not in known]
    if unknown:
        parser.error(f"unknown estate(s) {unknown}; choose from {sorted(known)}")
    c = clients(args.endpoint)
    out = healthy(c)
    for estate in args.estates:
        if estate == "missing-az":
            missing_az(c, out)
        elif estate == "stopped-tasks":
            stopped_tasks(c, out)
        elif estate == "task-own-sg":
            task_own_sg(c, out)
        elif estate == "no-2049":
            no_2049(c, out)
        elif estate == "platform-130":
            platform_130(c, out)
        elif estate == "missing-fs":
            missing_fs(c, out)
        elif estate == "many-fs":
            many_fs(c, out, args.count or 12)
        elif estate == "fleet":
            fleet(c, out, args.count or 50)
    # Enforcement last: every call after it needs a signed request from a moto user.
    if "denied" in args.estates:
        denied(c, out, args.endpoint, ["ec2:DescribeNetworkAcls", "iam:GetRole"])
    elif "denied-dns" in args.estates:
        denied(
            c,
            out,
            args.endpoint,
            [
                "kms:DescribeKey",
                "route53:ListHostedZonesByVPC",
                "route53resolver:ListResolverRuleAssociations",
            ],
        )
    json.dump(out, sys.stdout, indent=2)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
