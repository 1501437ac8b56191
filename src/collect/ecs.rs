//! Amazon ECS collection: the scope. Which services are checked, their task definitions, and a
//! few recent stopped tasks for diagnosis.
//!
//! Clusters are the ones given, or every cluster (`ListClusters`). Services are the ones given,
//! or every service of each cluster (`ListServices`), described ten at a time
//! (`DescribeServices` takes at most 10). Each distinct task definition of a service and of its
//! PRIMARY deployment is described once. When services were not named, only those whose task
//! definition has an EFS volume are kept (the calls for the others are still recorded).
//! <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeServices.html>

use std::collections::{BTreeMap, BTreeSet};

use aws_sdk_ecs::operation::list_clusters::ListClustersOutput;
use aws_sdk_ecs::operation::list_services::ListServicesOutput;
use aws_sdk_ecs::types::{self as sdk, DesiredStatus};
use aws_smithy_types::date_time::Format;
use futures::stream::{self, StreamExt};

use super::record::{Answer, ListBuilder};
use super::{owned, Ctx};
use crate::snapshot as model;

/// `DescribeServices` accepts up to 10 services per call.
const SERVICES_PER_CALL: usize = 10;
/// Stopped tasks kept per service: enough to show why the latest ones stopped.
const STOPPED_TASKS_PER_SERVICE: i32 = 5;
/// Service events kept per service (ECS returns up to 100, newest first).
const EVENTS_PER_SERVICE: usize = 10;

/// Reads the services in scope and what they run. Named tasks are described first; the services
/// that started them are then read as if they had been named.
pub(crate) async fn collect(
    cx: &Ctx,
    clusters: &[String],
    services: &[String],
    tasks: &[String],
) -> model::EcsState {
    cx.rec.phase("reading ECS clusters and services");
    let mut named_tasks = ListBuilder::default();
    let mut services = services.to_vec();
    if !tasks.is_empty() {
        for cluster in clusters {
            let answer = describe_named_tasks(cx, cluster, tasks).await;
            if let Answer::Found(found) = &answer {
                for task in found {
                    let service = task
                        .group
                        .as_deref()
                        .and_then(|g| g.strip_prefix("service:"));
                    if let Some(s) = service.filter(|s| !services.iter().any(|n| n == s)) {
                        services.push(s.to_owned());
                    }
                }
            }
            named_tasks.take(answer);
        }
    }
    let services = services.as_slice();
    let named = !services.is_empty() || !tasks.is_empty();
    let clusters: Vec<String> = if clusters.is_empty() {
        match list_clusters(cx).await {
            Some(clusters) => clusters,
            None => return model::EcsState::default(),
        }
    } else {
        clusters.to_vec()
    };

    // Which services to describe, per cluster.
    let mut service_list = ListBuilder::default();
    let wanted: Vec<(String, Vec<String>)> = if named {
        clusters
            .iter()
            .map(|c| (c.clone(), services.to_vec()))
            .collect()
    } else {
        let listed: Vec<(String, Option<Vec<String>>)> = stream::iter(&clusters)
            .map(|cluster| async move { (cluster.clone(), list_services(cx, cluster).await) })
            .buffered(cx.concurrency)
            .collect()
            .await;
        listed
            .into_iter()
            .filter_map(|(cluster, arns)| {
                if arns.is_none() {
                    service_list.fail();
                }
                Some((cluster, arns?))
            })
            .collect()
    };
    let batches: Vec<(String, Vec<String>)> = wanted
        .iter()
        .flat_map(|(cluster, names)| {
            names
                .chunks(SERVICES_PER_CALL)
                .map(move |chunk| (cluster.clone(), chunk.to_vec()))
        })
        .collect();
    let described: Vec<Answer<Vec<model::Service>>> = stream::iter(batches)
        .map(|(cluster, names)| async move { describe_services(cx, &cluster, &names).await })
        .buffered(cx.concurrency)
        .collect()
        .await;
    for answer in described {
        service_list.take(answer);
    }
    let (mut found, services_failed) = service_list.into_parts();

    let (mut named_tasks, named_tasks_failed) = named_tasks.into_parts();
    interface_groups(cx, &mut named_tasks).await;
    // Task definitions: the service's and its PRIMARY deployment's, each read once, and the
    // revisions the named tasks ran.
    let td_arns: BTreeSet<String> = found
        .iter()
        .flat_map(task_definitions_of)
        .chain(
            named_tasks
                .iter()
                .filter_map(|t| t.task_definition_arn.clone()),
        )
        .collect();
    cx.rec.phase("reading ECS task definitions");
    let tds: Vec<(String, Answer<model::TaskDefinition>)> = stream::iter(&td_arns)
        .map(|arn| async move { (arn.clone(), describe_task_definition(cx, arn).await) })
        .buffered(cx.concurrency)
        .collect()
        .await;
    let mut td_list = ListBuilder::default();
    let mut by_arn: BTreeMap<String, model::TaskDefinition> = BTreeMap::new();
    let mut unreadable: BTreeSet<String> = BTreeSet::new();
    for (arn, answer) in tds {
        match answer {
            Answer::Found(td) => {
                by_arn.insert(arn, td);
            }
            Answer::Absent => {}
            Answer::Failed => {
                unreadable.insert(arn);
                td_list.fail();
            }
        }
    }

    if !named {
        // Keep services that mount EFS, and those whose task definition could not be read
        // (they may mount EFS; the gap says why the rules cannot tell).
        found.retain(|service| {
            task_definitions_of(service).iter().any(|arn| {
                unreadable.contains(arn)
                    || by_arn.get(arn).is_some_and(|td| {
                        td.volumes
                            .iter()
                            .any(|v| v.efs_volume_configuration.is_some())
                    })
            })
        });
    }
    let kept_tds: BTreeSet<String> = found
        .iter()
        .flat_map(task_definitions_of)
        .chain(
            named_tasks
                .iter()
                .filter_map(|t| t.task_definition_arn.clone()),
        )
        .collect();
    td_list.extend(
        by_arn
            .into_iter()
            .filter(|(arn, _)| kept_tds.contains(arn))
            .map(|(_, td)| td),
    );

    cx.rec.phase("reading recent stopped ECS tasks");
    let tasks: Vec<Answer<Vec<model::Task>>> = stream::iter(&found)
        .map(|service| stopped_tasks(cx, service))
        .buffered(cx.concurrency)
        .collect()
        .await;
    let mut task_list = ListBuilder::default();
    if named_tasks_failed {
        task_list.fail();
    }
    for answer in tasks {
        if let Answer::Found(found) = answer {
            // A named task may also be among its service's latest stopped tasks.
            task_list.extend(
                found
                    .into_iter()
                    .filter(|t| !named_tasks.iter().any(|n| n.task_arn == t.task_arn)),
            );
        } else {
            task_list.take(answer);
        }
    }
    task_list.extend(named_tasks);

    let mut services = ListBuilder::default();
    if services_failed {
        services.fail();
    }
    services.extend(found);
    model::EcsState {
        services: services.finish(),
        task_definitions: td_list.finish(),
        tasks: task_list.finish(),
        // Read with the rest of the account's state (`account_settings`).
        account_settings: None,
    }
}

/// The task definition ARNs a service runs or is rolling out: its own and the PRIMARY
/// deployment's (they differ during a deployment).
fn task_definitions_of(service: &model::Service) -> Vec<String> {
    let primary = service
        .deployments
        .iter()
        .filter(|d| d.status.as_deref() == Some("PRIMARY"))
        .filter_map(|d| d.task_definition.clone());
    service
        .task_definition
        .clone()
        .into_iter()
        .chain(primary)
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect()
}

async fn list_clusters(cx: &Ctx) -> Option<Vec<String>> {
    let request = cx.ecs.list_clusters().into_paginator().send();
    cx.rec
        .items(
            "ecs:ListClusters",
            None,
            &[],
            request,
            ListClustersOutput::cluster_arns,
            |arn| Some(arn.clone()),
        )
        .await
        .found()
}

async fn list_services(cx: &Ctx, cluster: &str) -> Option<Vec<String>> {
    let request = cx
        .ecs
        .list_services()
        .cluster(cluster)
        .into_paginator()
        .send();
    cx.rec
        .items(
            "ecs:ListServices",
            Some(cluster.to_owned()),
            &[],
            request,
            ListServicesOutput::service_arns,
            |arn| Some(arn.clone()),
        )
        .await
        .found()
}

/// `DescribeServices`; a service that does not exist comes back in `failures` (`MISSING`) and
/// is simply not in the list.
async fn describe_services(
    cx: &Ctx,
    cluster: &str,
    names: &[String],
) -> Answer<Vec<model::Service>> {
    let request = cx
        .ecs
        .describe_services()
        .cluster(cluster)
        .set_services(Some(names.to_vec()))
        .send();
    let resource = format!("{cluster}: {}", names.join(","));
    cx.rec
        .call("ecs:DescribeServices", Some(resource), &[], request)
        .await
        .map(|out| out.services().iter().filter_map(service).collect())
}

async fn describe_task_definition(cx: &Ctx, arn: &str) -> Answer<model::TaskDefinition> {
    let request = cx
        .ecs
        .describe_task_definition()
        .task_definition(arn)
        .send();
    let answer = cx
        .rec
        .call(
            "ecs:DescribeTaskDefinition",
            Some(arn.to_owned()),
            &[],
            request,
        )
        .await;
    match answer {
        Answer::Found(out) => match out.task_definition() {
            Some(td) => Answer::Found(task_definition(td)),
            None => Answer::Absent,
        },
        Answer::Absent => Answer::Absent,
        Answer::Failed => Answer::Failed,
    }
}

/// The most recent stopped tasks of a service (one page of `ListTasks`, then `DescribeTasks`).
async fn stopped_tasks(cx: &Ctx, service: &model::Service) -> Answer<Vec<model::Task>> {
    let Some(cluster) = service.cluster_arn.clone() else {
        return Answer::Found(Vec::new());
    };
    let resource = format!("{cluster}: {}", service.service_name);
    // One page on purpose: only the latest few stopped tasks matter for diagnosis.
    let request = cx
        .ecs
        .list_tasks()
        .cluster(&cluster)
        .service_name(&service.service_name)
        .desired_status(DesiredStatus::Stopped)
        .max_results(STOPPED_TASKS_PER_SERVICE)
        .send();
    let arns = match cx
        .rec
        .call("ecs:ListTasks", Some(resource.clone()), &[], request)
        .await
    {
        Answer::Found(out) => out.task_arns().to_vec(),
        Answer::Absent => return Answer::Absent,
        Answer::Failed => return Answer::Failed,
    };
    if arns.is_empty() {
        return Answer::Found(Vec::new());
    }
    let request = cx
        .ecs
        .describe_tasks()
        .cluster(&cluster)
        .set_tasks(Some(arns))
        .send();
    let group = format!("service:{}", service.service_name);
    cx.rec
        .call("ecs:DescribeTasks", Some(resource), &[], request)
        .await
        .map(|out| {
            out.tasks()
                .iter()
                // A service's tasks are in group `service:<name>`; this guards against endpoints
                // that ignore the `serviceName` filter.
                .filter(|t| t.group().is_none_or(|g| g == group))
                .map(task)
                .collect()
        })
}

/// The named tasks of one cluster (`DescribeTasks` takes up to 100); ids that do not exist come
/// back as `failures` and are left out.
pub(super) async fn describe_named_tasks(
    cx: &Ctx,
    cluster: &str,
    tasks: &[String],
) -> Answer<Vec<model::Task>> {
    let request = cx
        .ecs
        .describe_tasks()
        .cluster(cluster)
        .set_tasks(Some(tasks.to_vec()))
        .send();
    cx.rec
        .call(
            "ecs:DescribeTasks",
            Some(format!("{cluster}: {}", tasks.join(", "))),
            &[],
            request,
        )
        .await
        .map(|out| out.tasks().iter().map(task).collect())
}

/// The security groups a named task actually had: those of its network interface, while EC2
/// still has it (ECS deletes a stopped task's interface, and `DescribeTasks` returns no security
/// groups). One `DescribeNetworkInterfaces` filtered by id, so interfaces already deleted are
/// simply absent; a task whose interface is gone keeps `security_groups` unset.
/// <https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeNetworkInterfaces.html>
async fn interface_groups(cx: &Ctx, tasks: &mut [model::Task]) {
    let enis: Vec<String> = tasks
        .iter()
        .filter_map(|t| t.eni_detail("networkInterfaceId").map(str::to_owned))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if enis.is_empty() {
        return;
    }
    cx.rec
        .phase("reading the network interfaces of the named tasks");
    let request = cx
        .ec2
        .describe_network_interfaces()
        .filters(
            aws_sdk_ec2::types::Filter::builder()
                .name("network-interface-id")
                .set_values(Some(enis.clone()))
                .build(),
        )
        .send();
    let answer = cx
        .rec
        .call(
            "ec2:DescribeNetworkInterfaces",
            Some(enis.join(", ")),
            &[],
            request,
        )
        .await;
    let Answer::Found(out) = answer else {
        return;
    };
    for task in tasks {
        let Some(eni) = task.eni_detail("networkInterfaceId") else {
            continue;
        };
        let found = out
            .network_interfaces()
            .iter()
            .find(|n| n.network_interface_id() == Some(eni));
        if let Some(n) = found {
            task.security_groups = Some(
                n.groups()
                    .iter()
                    .filter_map(|g| g.group_id().map(str::to_owned))
                    .collect(),
            );
        }
    }
}

// ---- SDK -> snapshot model -------------------------------------------------------------------

fn time(t: Option<&aws_smithy_types::DateTime>) -> Option<serde_json::Value> {
    t.and_then(|t| t.fmt(Format::DateTime).ok())
        .map(serde_json::Value::String)
}

fn capacity(
    items: &[sdk::CapacityProviderStrategyItem],
) -> Vec<model::CapacityProviderStrategyItem> {
    items
        .iter()
        .map(|i| model::CapacityProviderStrategyItem {
            capacity_provider: i.capacity_provider().to_owned(),
            weight: Some(i64::from(i.weight())),
            base: Some(i64::from(i.base())),
        })
        .collect()
}

fn network(n: Option<&sdk::NetworkConfiguration>) -> Option<model::NetworkConfiguration> {
    n.map(|n| model::NetworkConfiguration {
        awsvpc_configuration: n
            .awsvpc_configuration()
            .map(|a| model::AwsVpcConfiguration {
                subnets: a.subnets().to_vec(),
                security_groups: a.security_groups().to_vec(),
                assign_public_ip: a.assign_public_ip().map(|v| v.as_str().to_owned()),
            }),
    })
}

fn service(s: &sdk::Service) -> Option<model::Service> {
    Some(model::Service {
        service_arn: owned(s.service_arn()),
        service_name: s.service_name()?.to_owned(),
        cluster_arn: owned(s.cluster_arn()),
        task_definition: owned(s.task_definition()),
        launch_type: s.launch_type().map(|l| l.as_str().to_owned()),
        capacity_provider_strategy: capacity(s.capacity_provider_strategy()),
        platform_version: owned(s.platform_version()),
        platform_family: owned(s.platform_family()),
        network_configuration: network(s.network_configuration()),
        deployments: s
            .deployments()
            .iter()
            .map(|d| model::Deployment {
                id: owned(d.id()),
                status: owned(d.status()),
                task_definition: owned(d.task_definition()),
                launch_type: d.launch_type().map(|l| l.as_str().to_owned()),
                capacity_provider_strategy: capacity(d.capacity_provider_strategy()),
                platform_version: owned(d.platform_version()),
                platform_family: owned(d.platform_family()),
                network_configuration: network(d.network_configuration()),
                rollout_state: d.rollout_state().map(|r| r.as_str().to_owned()),
            })
            .collect(),
        status: owned(s.status()),
        desired_count: Some(i64::from(s.desired_count())),
        running_count: Some(i64::from(s.running_count())),
        events: s
            .events()
            .iter()
            .take(EVENTS_PER_SERVICE)
            .map(|e| model::ServiceEvent {
                message: e.message().unwrap_or_default().to_owned(),
                created_at: time(e.created_at()),
            })
            .collect(),
    })
}

fn task_definition(td: &sdk::TaskDefinition) -> model::TaskDefinition {
    model::TaskDefinition {
        wrapped: None,
        task_definition_arn: owned(td.task_definition_arn()),
        family: td.family().unwrap_or_default().to_owned(),
        revision: Some(i64::from(td.revision())),
        task_role_arn: owned(td.task_role_arn()),
        execution_role_arn: owned(td.execution_role_arn()),
        network_mode: td.network_mode().map(|m| m.as_str().to_owned()),
        requires_compatibilities: td
            .requires_compatibilities()
            .iter()
            .map(|c| c.as_str().to_owned())
            .collect(),
        runtime_platform: td.runtime_platform().map(|p| model::RuntimePlatform {
            operating_system_family: p.operating_system_family().map(|o| o.as_str().to_owned()),
            cpu_architecture: p.cpu_architecture().map(|c| c.as_str().to_owned()),
        }),
        volumes: td
            .volumes()
            .iter()
            .map(|v| model::Volume {
                name: v.name().unwrap_or_default().to_owned(),
                efs_volume_configuration: v.efs_volume_configuration().map(|e| {
                    model::EfsVolumeConfiguration {
                        file_system_id: e.file_system_id().to_owned(),
                        root_directory: owned(e.root_directory()),
                        transit_encryption: e.transit_encryption().map(|t| t.as_str().to_owned()),
                        transit_encryption_port: e.transit_encryption_port().map(i64::from),
                        authorization_config: e.authorization_config().map(|a| {
                            model::EfsAuthorizationConfig {
                                access_point_id: owned(a.access_point_id()),
                                iam: a.iam().map(|i| i.as_str().to_owned()),
                            }
                        }),
                    }
                }),
            })
            .collect(),
        container_definitions: td
            .container_definitions()
            .iter()
            .map(|c| model::ContainerDefinition {
                name: c.name().unwrap_or_default().to_owned(),
                image: owned(c.image()),
                user: owned(c.user()),
                mount_points: c
                    .mount_points()
                    .iter()
                    .map(|m| model::MountPoint {
                        source_volume: owned(m.source_volume()),
                        container_path: owned(m.container_path()),
                        read_only: m.read_only(),
                    })
                    .collect(),
                environment: c
                    .environment()
                    .iter()
                    .map(|kv| model::KeyValuePair {
                        name: owned(kv.name()),
                        value: owned(kv.value()),
                    })
                    .collect(),
                entry_point: c.entry_point().to_vec(),
                command: c.command().to_vec(),
            })
            .collect(),
        status: td.status().map(|s| s.as_str().to_owned()),
    }
}

fn task(t: &sdk::Task) -> model::Task {
    model::Task {
        task_arn: owned(t.task_arn()),
        cluster_arn: owned(t.cluster_arn()),
        task_definition_arn: owned(t.task_definition_arn()),
        group: owned(t.group()),
        last_status: owned(t.last_status()),
        stopped_reason: owned(t.stopped_reason()),
        stop_code: t.stop_code().map(|c| c.as_str().to_owned()),
        platform_version: owned(t.platform_version()),
        availability_zone: owned(t.availability_zone()),
        stopped_at: time(t.stopped_at()),
        launch_type: t.launch_type().map(|l| l.as_str().to_owned()),
        capacity_provider_name: owned(t.capacity_provider_name()),
        started_by: owned(t.started_by()),
        security_groups: None,
        attachments: t
            .attachments()
            .iter()
            .map(|a| model::TaskAttachment {
                id: owned(a.id()),
                kind: owned(a.r#type()),
                status: owned(a.status()),
                details: a
                    .details()
                    .iter()
                    .map(|d| model::KeyValuePair {
                        name: owned(d.name()),
                        value: owned(d.value()),
                    })
                    .collect(),
            })
            .collect(),
    }
}

/// `ListAccountSettings --effective-settings`: the settings in effect for the caller (its own,
/// else the account default, else AWS's), among them `dualStackIPv6` for NET009.
/// <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_ListAccountSettings.html>
pub(crate) async fn account_settings(cx: &Ctx) -> Option<Vec<model::AccountSetting>> {
    let request = cx
        .ecs
        .list_account_settings()
        .effective_settings(true)
        .into_paginator()
        .send();
    cx.rec
        .pages("ecs:ListAccountSettings", None, &[], request)
        .await
        .found()
        .map(|pages| {
            pages
                .iter()
                .flat_map(aws_sdk_ecs::operation::list_account_settings::ListAccountSettingsOutput::settings)
                .filter_map(|s| {
                    Some(model::AccountSetting {
                        name: s.name()?.as_str().to_owned(),
                        value: owned(s.value()),
                        principal_arn: owned(s.principal_arn()),
                        setting_type: s.r#type().map(|t| t.as_str().to_owned()),
                    })
                })
                .collect()
        })
}
