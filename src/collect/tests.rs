//! Unit tests of the collector's loops and error handling with `aws-smithy-mocks`: the real SDK
//! clients, paginators and deserializers, with canned answers instead of a server.
//!
//! moto never returns a next token for EC2, ECS or IAM lists, so the multi-page paths are
//! tested here; so are answers moto cannot be made to give on demand (an HTTP 500 on one call,
//! a bare 403 from a JSON service).

use std::collections::BTreeSet;

use aws_config::retry::RetryConfig;
use aws_config::{BehaviorVersion, Region};
use aws_sdk_ec2::operation::describe_security_groups::DescribeSecurityGroupsOutput;
use aws_sdk_ec2::operation::describe_subnets::DescribeSubnetsOutput;
use aws_sdk_ecs::operation::describe_task_definition::DescribeTaskDefinitionOutput;
use aws_sdk_ecs::operation::list_services::ListServicesOutput;
use aws_sdk_ecs::operation::list_tasks::ListTasksOutput;
use aws_sdk_efs::operation::describe_file_systems::DescribeFileSystemsOutput;
use aws_sdk_efs::operation::describe_mount_targets::DescribeMountTargetsOutput;
use aws_sdk_sts::config::Credentials;
use aws_smithy_mocks::{create_mock_http_client, mock, MockResponseInterceptor, Rule, RuleMode};
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::http::StatusCode;
use aws_smithy_types::body::SdkBody;

use super::record::{CallOutcome, Recorder};
use super::{ec2, ecs, efs, kms, Ctx, Progress};

macro_rules! client {
    ($sdk:ident, $rules:expr) => {{
        let mut interceptor = MockResponseInterceptor::new().rule_mode(RuleMode::MatchAny);
        for rule in $rules {
            interceptor = interceptor.with_rule(rule);
        }
        $sdk::Client::from_conf(
            $sdk::Config::builder()
                .behavior_version(BehaviorVersion::latest())
                .region(Region::new("us-east-1"))
                .credentials_provider(Credentials::new("a", "b", None, None, "test"))
                .http_client(create_mock_http_client())
                // Errors are asserted on directly; the SDK's retries would only slow this down.
                .retry_config(RetryConfig::disabled())
                .interceptor(interceptor)
                .build(),
        )
    }};
}

fn ctx(ec2: &[&Rule], ecs: &[&Rule], efs: &[&Rule]) -> Ctx {
    Ctx {
        ec2: client!(aws_sdk_ec2, ec2.iter().copied()),
        ecs: client!(aws_sdk_ecs, ecs.iter().copied()),
        efs: client!(aws_sdk_efs, efs.iter().copied()),
        iam: client!(aws_sdk_iam, std::iter::empty::<&Rule>()),
        kms: client!(aws_sdk_kms, std::iter::empty::<&Rule>()),
        route53: client!(aws_sdk_route53, std::iter::empty::<&Rule>()),
        route53resolver: client!(aws_sdk_route53resolver, std::iter::empty::<&Rule>()),
        rec: Recorder::new(Progress::Quiet, 4),
        concurrency: 4,
    }
}

fn ids(ids: &[&str]) -> BTreeSet<String> {
    ids.iter().map(|s| (*s).to_owned()).collect()
}

fn subnet(id: &str) -> aws_sdk_ec2::types::Subnet {
    aws_sdk_ec2::types::Subnet::builder()
        .subnet_id(id)
        .vpc_id("vpc-1")
        .availability_zone_id("use1-az1")
        .build()
}

fn http(status: u16, error_type: Option<&str>, body: &str) -> HttpResponse {
    let mut response = HttpResponse::new(
        StatusCode::try_from(status).expect("status"),
        SdkBody::from(body.to_owned()),
    );
    if let Some(error_type) = error_type {
        response
            .headers_mut()
            .insert("x-amzn-errortype", error_type.to_owned());
    }
    response
        .headers_mut()
        .insert("content-type", "application/json");
    response
}

#[tokio::test]
async fn describe_subnets_follows_next_token() {
    let first = mock!(aws_sdk_ec2::Client::describe_subnets)
        .match_requests(|req| req.next_token().is_none())
        .then_output(|| {
            DescribeSubnetsOutput::builder()
                .subnets(subnet("subnet-1"))
                .next_token("page-2")
                .build()
        });
    let second = mock!(aws_sdk_ec2::Client::describe_subnets)
        .match_requests(|req| req.next_token() == Some("page-2"))
        .then_output(|| {
            DescribeSubnetsOutput::builder()
                .subnets(subnet("subnet-2"))
                .build()
        });
    let cx = ctx(&[&first, &second], &[], &[]);
    let subnets = ec2::subnets(&cx, &ids(&["subnet-1", "subnet-2"]))
        .await
        .expect("collected");
    let got: Vec<&str> = subnets.iter().map(|s| s.subnet_id.as_str()).collect();
    assert_eq!(got, ["subnet-1", "subnet-2"]);
    assert_eq!((first.num_calls(), second.num_calls()), (1, 1));
    let (calls, gaps) = cx.rec.finish();
    assert_eq!(calls.len(), 2, "one record per page: {calls:?}");
    assert!(gaps.is_empty());
}

#[tokio::test]
async fn describe_security_groups_follows_next_token() {
    let group = |id: &str| {
        aws_sdk_ec2::types::SecurityGroup::builder()
            .group_id(id)
            .vpc_id("vpc-1")
            .build()
    };
    let first = mock!(aws_sdk_ec2::Client::describe_security_groups)
        .match_requests(|req| req.next_token().is_none())
        .then_output(move || {
            DescribeSecurityGroupsOutput::builder()
                .security_groups(group("sg-1"))
                .next_token("page-2")
                .build()
        });
    let second = mock!(aws_sdk_ec2::Client::describe_security_groups)
        .match_requests(|req| req.next_token() == Some("page-2"))
        .then_output(move || {
            DescribeSecurityGroupsOutput::builder()
                .security_groups(group("sg-2"))
                .build()
        });
    let cx = ctx(&[&first, &second], &[], &[]);
    // No task VPCs known (empty subnet list): only the groups named are read.
    let state = ec2::network(&cx, Some(Vec::new()), &ids(&["sg-1", "sg-2"]), &ids(&[])).await;
    let groups: Vec<String> = state
        .security_groups
        .expect("collected")
        .into_iter()
        .map(|g| g.group_id)
        .collect();
    assert_eq!(groups, ["sg-1", "sg-2"]);
    assert_eq!((first.num_calls(), second.num_calls()), (1, 1));
    // With no VPC there is nothing else to read, and those lists are collected-empty.
    assert_eq!(state.network_acls.map(|l| l.len()), Some(0));
    assert_eq!(state.vpcs.map(|l| l.len()), Some(0));
}

fn efs_task_definition() -> DescribeTaskDefinitionOutput {
    use aws_sdk_ecs::types::{EfsVolumeConfiguration, TaskDefinition, Volume};
    DescribeTaskDefinitionOutput::builder()
        .task_definition(
            TaskDefinition::builder()
                .task_definition_arn("arn:aws:ecs:us-east-1:123456789012:task-definition/app:1")
                .family("app")
                .volumes(
                    Volume::builder()
                        .name("data")
                        .efs_volume_configuration(
                            EfsVolumeConfiguration::builder()
                                .file_system_id("fs-1")
                                .build()
                                .expect("file system id set"),
                        )
                        .build(),
                )
                .build(),
        )
        .build()
}

#[tokio::test]
async fn list_services_follows_next_token() {
    let first = mock!(aws_sdk_ecs::Client::list_services)
        .match_requests(|req| req.next_token().is_none())
        .then_output(|| {
            ListServicesOutput::builder()
                .service_arns("arn:aws:ecs:us-east-1:123456789012:service/app/a")
                .next_token("page-2")
                .build()
        });
    let second = mock!(aws_sdk_ecs::Client::list_services)
        .match_requests(|req| req.next_token() == Some("page-2"))
        .then_output(|| {
            ListServicesOutput::builder()
                .service_arns("arn:aws:ecs:us-east-1:123456789012:service/app/b")
                .build()
        });
    let describe = mock!(aws_sdk_ecs::Client::describe_services).then_compute_output(|req| {
        let mut out = aws_sdk_ecs::operation::describe_services::DescribeServicesOutput::builder();
        for arn in req.services() {
            let name = arn.rsplit('/').next().unwrap_or_default();
            out = out.services(
                aws_sdk_ecs::types::Service::builder()
                    .service_arn(arn)
                    .service_name(name)
                    .cluster_arn("arn:aws:ecs:us-east-1:123456789012:cluster/app")
                    .task_definition("arn:aws:ecs:us-east-1:123456789012:task-definition/app:1")
                    .build(),
            );
        }
        out.build()
    });
    let task_definition =
        mock!(aws_sdk_ecs::Client::describe_task_definition).then_output(efs_task_definition);
    let tasks =
        mock!(aws_sdk_ecs::Client::list_tasks).then_output(|| ListTasksOutput::builder().build());
    let cx = ctx(
        &[],
        &[&first, &second, &describe, &task_definition, &tasks],
        &[],
    );
    let state = ecs::collect(&cx, &["app".to_owned()], &[], &[]).await;
    let names: Vec<String> = state
        .services
        .expect("collected")
        .into_iter()
        .map(|s| s.service_name)
        .collect();
    assert_eq!(names, ["a", "b"]);
    assert_eq!((first.num_calls(), second.num_calls()), (1, 1));
    // Both services share one task definition: described once.
    assert_eq!(task_definition.num_calls(), 1);
}

fn one_file_system() -> Rule {
    mock!(aws_sdk_efs::Client::describe_file_systems).then_output(|| {
        DescribeFileSystemsOutput::builder()
            .file_systems(
                aws_sdk_efs::types::FileSystemDescription::builder()
                    .file_system_id("fs-1")
                    .owner_id("123456789012")
                    .creation_token("t")
                    .creation_time(aws_smithy_types::DateTime::from_secs(0))
                    .life_cycle_state(aws_sdk_efs::types::LifeCycleState::Available)
                    .number_of_mount_targets(0)
                    .size_in_bytes(
                        aws_sdk_efs::types::FileSystemSize::builder()
                            .value(0)
                            .build(),
                    )
                    .performance_mode(aws_sdk_efs::types::PerformanceMode::GeneralPurpose)
                    .set_tags(Some(Vec::new()))
                    .build()
                    .expect("file system"),
            )
            .build()
    })
}

fn no_mount_targets() -> Rule {
    mock!(aws_sdk_efs::Client::describe_mount_targets)
        .then_output(|| DescribeMountTargetsOutput::builder().build())
}

#[tokio::test]
async fn file_system_policy_server_error_is_a_gap() {
    // moto answers DescribeFileSystemPolicy with an HTML 500 in some cases; AWS may too.
    let policy = mock!(aws_sdk_efs::Client::describe_file_system_policy)
        .then_http_response(|| http(500, None, "<html>Internal Server Error</html>"));
    let (fs, mts) = (one_file_system(), no_mount_targets());
    let cx = ctx(&[], &[], &[&fs, &mts, &policy]);
    let state = efs::collect(&cx, &ids(&["fs-1"]), &ids(&[])).await;
    assert_eq!(state.file_systems.map(|l| l.len()), Some(1));
    assert!(state.file_system_policies.is_none(), "not collected");
    let (_, gaps) = cx.rec.finish();
    assert_eq!(gaps.len(), 1, "{gaps:?}");
    assert_eq!(gaps[0].call, "elasticfilesystem:DescribeFileSystemPolicy");
    assert_eq!(gaps[0].resource.as_deref(), Some("fs-1"));
    assert_eq!(gaps[0].error, "HTTP 500");
}

#[tokio::test]
async fn policy_not_found_means_no_policy() {
    let policy = mock!(aws_sdk_efs::Client::describe_file_system_policy).then_http_response(|| {
        http(
            404,
            Some("PolicyNotFound"),
            r#"{"ErrorCode":"PolicyNotFound","Message":"None"}"#,
        )
    });
    let (fs, mts) = (one_file_system(), no_mount_targets());
    let cx = ctx(&[], &[], &[&fs, &mts, &policy]);
    let state = efs::collect(&cx, &ids(&["fs-1"]), &ids(&[])).await;
    assert_eq!(state.file_system_policies.map(|l| l.len()), Some(0));
    let (calls, gaps) = cx.rec.finish();
    assert!(gaps.is_empty(), "{gaps:?}");
    assert!(calls
        .iter()
        .any(|c| c.call == "elasticfilesystem:DescribeFileSystemPolicy"
            && c.outcome == CallOutcome::Absent("PolicyNotFound".to_owned())));
}

async fn ecs_denial_gap(body: &'static str) -> Vec<crate::snapshot::Gap> {
    let describe = mock!(aws_sdk_ecs::Client::describe_services)
        .then_http_response(move || http(403, None, body));
    let cx = ctx(&[], &[&describe], &[]);
    let state = ecs::collect(&cx, &["app".to_owned()], &["web".to_owned()], &[]).await;
    assert!(state.services.is_none(), "nothing could be read");
    let (_, gaps) = cx.rec.finish();
    assert_eq!(gaps.len(), 1, "{gaps:?}");
    assert_eq!(gaps[0].call, "ecs:DescribeServices");
    gaps
}

#[tokio::test]
async fn foreign_403_from_ecs_is_a_gap_with_its_code() {
    // moto (and some proxies) deny a JSON service with an XML body and no error type header.
    let gaps =
        ecs_denial_gap("<ErrorResponse><Error><Code>AccessDenied</Code></Error></ErrorResponse>")
            .await;
    assert_eq!(gaps[0].error, "AccessDenied");
}

#[tokio::test]
async fn bare_403_is_a_gap() {
    let gaps = ecs_denial_gap("").await;
    assert_eq!(gaps[0].error, "HTTP 403");
}

#[tokio::test]
async fn a_denied_kms_key_is_a_gap_and_a_missing_one_is_absent() {
    let denied = mock!(aws_sdk_kms::Client::describe_key)
        .match_requests(|req| req.key_id() == Some("key-denied"))
        .then_http_response(|| {
            http(
                400,
                Some("AccessDeniedException"),
                r#"{"__type":"AccessDeniedException","message":"not allowed"}"#,
            )
        });
    let missing = mock!(aws_sdk_kms::Client::describe_key)
        .match_requests(|req| req.key_id() == Some("key-gone"))
        .then_http_response(|| {
            http(
                400,
                Some("NotFoundException"),
                r#"{"__type":"NotFoundException","message":"no such key"}"#,
            )
        });
    let mut cx = ctx(&[], &[], &[]);
    cx.kms = client!(aws_sdk_kms, [&denied, &missing]);
    let state = kms::collect(&cx, &ids(&["key-denied"])).await;
    assert!(state.keys.is_none(), "every lookup failed: not collected");
    let state = kms::collect(&cx, &ids(&["key-gone"])).await;
    assert_eq!(state.keys.map(|k| k.len()), Some(0), "absent, not a gap");
    let (calls, gaps) = cx.rec.finish();
    assert_eq!(calls.len(), 2);
    assert_eq!(gaps.len(), 1);
    assert_eq!(gaps[0].call, "kms:DescribeKey");
    assert_eq!(gaps[0].resource.as_deref(), Some("key-denied"));
    assert_eq!(gaps[0].error, "AccessDeniedException");
    assert_eq!(
        calls[1].outcome,
        CallOutcome::Absent("NotFoundException".into())
    );
}
