//! What is checked: targets (an ECS service, or a task definition about to be deployed) with their
//! resolved placement: launch type, effective platform version, subnets and security groups.
//!
//! Platform-version and launch-type resolution follow ECS: a running service's PRIMARY deployment
//! carries the resolved platform version that scaled-up tasks get
//! (<https://docs.aws.amazon.com/AmazonECS/latest/developerguide/platform-linux-fargate.html>),
//! and `LATEST` means 1.4.0 on Linux
//! (<https://docs.aws.amazon.com/AmazonECS/latest/developerguide/platform-fargate.html>).

use crate::graph::{Graph, List, Missing};
use crate::snapshot::{AwsVpcConfiguration, Service, Task, TaskDefinition};

/// What a target is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TargetKind {
    /// A deployed ECS service.
    Service,
    /// A task definition checked before it is registered or deployed.
    TaskDefinition,
    /// One ECS task, checked with the placement it actually had.
    Task,
}

impl TargetKind {
    /// `service` / `task-definition` / `task`.
    pub fn as_str(self) -> &'static str {
        match self {
            TargetKind::Service => "service",
            TargetKind::TaskDefinition => "task-definition",
            TargetKind::Task => "task",
        }
    }
}

/// How the target's tasks run.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Launch {
    /// AWS Fargate (launch type `FARGATE`, or capacity providers `FARGATE` / `FARGATE_SPOT`).
    Fargate,
    /// EC2 container instances (launch type `EC2` or an Auto Scaling group capacity provider).
    Ec2,
    /// ECS Anywhere.
    External,
    /// Not known (no launch type and no capacity-provider strategy in the data).
    Unknown,
}

/// Where and how the target's tasks are placed.
#[derive(Debug, Clone)]
pub struct Placement {
    /// Launch type.
    pub launch: Launch,
    /// Platform version as requested (`LATEST`, `1.3.0`, absent).
    pub requested_platform_version: Option<String>,
    /// Platform version tasks actually get, when it differs from the request: the PRIMARY
    /// deployment's resolved version.
    pub deployed_platform_version: Option<String>,
    /// The awsvpc configuration, or why there is none.
    pub network: Result<AwsVpcConfiguration, Missing>,
}

impl Placement {
    /// The effective Linux platform version, and where it came from as a phrase that reads
    /// well in parentheses after the version.
    pub fn effective_platform_version(&self) -> (String, &'static str) {
        if let Some(v) = self
            .deployed_platform_version
            .as_deref()
            .filter(|v| !v.eq_ignore_ascii_case("LATEST"))
        {
            return (v.to_owned(), "resolved on the service's PRIMARY deployment");
        }
        match self.requested_platform_version.as_deref() {
            Some(v) if !v.eq_ignore_ascii_case("LATEST") => {
                (v.to_owned(), "set in platformVersion")
            }
            Some(_) => (
                "1.4.0".to_owned(),
                "platformVersion LATEST, which is 1.4.0 on Linux",
            ),
            None => (
                "1.4.0".to_owned(),
                "platformVersion not set, so LATEST, which is 1.4.0 on Linux",
            ),
        }
    }
}

/// One thing to check.
#[derive(Debug, Clone)]
pub struct Target<'a> {
    /// Service or task definition.
    pub kind: TargetKind,
    /// Cluster name, when known.
    pub cluster: Option<String>,
    /// Service name, or task-definition family.
    pub name: String,
    /// Service ARN, or task-definition ARN.
    pub arn: Option<String>,
    /// The task definition its tasks run, or why it is unknown.
    pub task_definition: Result<&'a TaskDefinition, Missing>,
    /// The task-definition reference as written on the service (for messages and fixes).
    pub task_definition_ref: Option<String>,
    /// Placement.
    pub placement: Placement,
    /// Where the target is declared in an infrastructure-as-code file, if it came from one.
    pub origin: Option<String>,
    /// For a task: the service that started it, if any.
    pub service: Option<String>,
}

impl Target<'_> {
    /// `cluster/name` or `name`, for tables.
    pub fn label(&self) -> String {
        match &self.cluster {
            Some(c) => format!("{c}/{}", self.name),
            None => self.name.clone(),
        }
    }

    /// Whether the task definition has an EFS volume (unknown task definitions count: they
    /// must be reported, not skipped).
    pub fn has_efs_volume(&self) -> bool {
        match &self.task_definition {
            Ok(td) => td
                .volumes
                .iter()
                .any(|v| v.efs_volume_configuration.is_some()),
            Err(_) => true,
        }
    }
}

/// The cluster name at the end of a cluster ARN (or the name itself).
pub fn cluster_name(arn_or_name: &str) -> &str {
    arn_or_name.rsplit('/').next().unwrap_or(arn_or_name)
}

/// The cluster a service belongs to: from `clusterArn`, else from a long-format service ARN.
pub fn service_cluster(svc: &Service) -> Option<String> {
    if let Some(c) = svc.cluster_arn.as_deref() {
        return Some(cluster_name(c).to_owned());
    }
    // arn:aws:ecs:region:account:service/cluster/name
    let arn = svc.service_arn.as_deref()?;
    let resource = arn.splitn(6, ':').nth(5)?;
    let mut parts = resource.split('/');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("service"), Some(cluster), Some(_)) => Some(cluster.to_owned()),
        _ => None,
    }
}

/// Decides the launch type from a launch type field and a capacity-provider strategy.
pub fn launch_of(launch_type: Option<&str>, providers: &[String]) -> Launch {
    match launch_type.map(str::to_ascii_uppercase).as_deref() {
        Some("FARGATE") => return Launch::Fargate,
        Some("EC2") => return Launch::Ec2,
        Some("EXTERNAL") => return Launch::External,
        _ => {}
    }
    if providers.is_empty() {
        return Launch::Unknown;
    }
    // FARGATE and FARGATE_SPOT are the only Fargate capacity providers; any other provider is
    // an Auto Scaling group of EC2 instances.
    if providers
        .iter()
        .all(|p| p == "FARGATE" || p == "FARGATE_SPOT")
    {
        Launch::Fargate
    } else {
        Launch::Ec2
    }
}

/// Builds the target for a deployed service.
pub fn service_target<'s>(graph: &Graph<'s>, svc: &'s Service) -> Target<'s> {
    let primary = svc
        .deployments
        .iter()
        .find(|d| d.status.as_deref() == Some("PRIMARY"));
    let td_ref = svc
        .task_definition
        .clone()
        .or_else(|| primary.and_then(|d| d.task_definition.clone()));
    let task_definition = match td_ref.as_deref() {
        Some(r) => graph.task_definition(r),
        None => Err(Missing::new(format!(
            "service {} names no task definition",
            svc.service_name
        ))),
    };

    let mut launch = launch_of(
        svc.launch_type.as_deref(),
        &svc.capacity_provider_strategy
            .iter()
            .map(|c| c.capacity_provider.clone())
            .collect::<Vec<_>>(),
    );
    if launch == Launch::Unknown {
        if let Some(d) = primary {
            launch = launch_of(
                d.launch_type.as_deref(),
                &d.capacity_provider_strategy
                    .iter()
                    .map(|c| c.capacity_provider.clone())
                    .collect::<Vec<_>>(),
            );
        }
    }
    if launch == Launch::Unknown {
        // A task definition that can only run on Fargate decides it.
        if let Ok(td) = &task_definition {
            if !td.requires_compatibilities.is_empty()
                && td
                    .requires_compatibilities
                    .iter()
                    .all(|c| c.eq_ignore_ascii_case("FARGATE"))
            {
                launch = Launch::Fargate;
            }
        }
    }

    let network = svc
        .network_configuration
        .as_ref()
        .and_then(|n| n.awsvpc_configuration.clone())
        .or_else(|| {
            primary
                .and_then(|d| d.network_configuration.as_ref())
                .and_then(|n| n.awsvpc_configuration.clone())
        })
        .ok_or_else(|| {
            Missing::new(format!(
                "service {} has no awsvpc network configuration",
                svc.service_name
            ))
        });

    Target {
        kind: TargetKind::Service,
        cluster: service_cluster(svc),
        name: svc.service_name.clone(),
        arn: svc.service_arn.clone(),
        task_definition,
        task_definition_ref: td_ref,
        placement: Placement {
            launch,
            requested_platform_version: svc.platform_version.clone(),
            deployed_platform_version: primary.and_then(|d| d.platform_version.clone()),
            network,
        },
        origin: None,
        service: None,
    }
}

/// The awsvpc configuration of a service: its own, else its PRIMARY deployment's.
fn awsvpc_of(svc: &Service) -> Option<&AwsVpcConfiguration> {
    svc.network_configuration
        .as_ref()
        .and_then(|n| n.awsvpc_configuration.as_ref())
        .or_else(|| {
            svc.deployments
                .iter()
                .find(|d| d.status.as_deref() == Some("PRIMARY"))
                .and_then(|d| d.network_configuration.as_ref())
                .and_then(|n| n.awsvpc_configuration.as_ref())
        })
}

/// The security groups a task had (and `assignPublicIp`, when known), best source first: its
/// network interface as EC2 still described it; else the network configuration of the service
/// deployment that started it (`startedBy` is the deployment id); else its service's current
/// one. `DescribeTasks` itself returns no security groups.
/// <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Task.html> (`startedBy`),
/// <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Deployment.html>
fn task_awsvpc(task: &Task, service: Option<&Service>) -> Option<(Vec<String>, Option<String>)> {
    let service_awsvpc = service.and_then(awsvpc_of);
    if let Some(groups) = &task.security_groups {
        return Some((
            groups.clone(),
            service_awsvpc.and_then(|a| a.assign_public_ip.clone()),
        ));
    }
    let deployment = task.started_by.as_deref().and_then(|by| {
        service?
            .deployments
            .iter()
            .filter(|d| d.id.as_deref() == Some(by))
            .find_map(|d| {
                d.network_configuration
                    .as_ref()?
                    .awsvpc_configuration
                    .as_ref()
            })
    });
    deployment
        .or(service_awsvpc)
        .map(|a| (a.security_groups.clone(), a.assign_public_ip.clone()))
}

/// The id at the end of a task ARN (`arn:...:task/cluster/ID` or `task/ID`).
pub fn task_id(arn: &str) -> &str {
    arn.rsplit('/').next().unwrap_or(arn)
}

/// The cluster of a task: from `clusterArn`, else from a long-format task ARN
/// (`arn:aws:ecs:region:account:task/cluster/id`).
pub fn task_cluster(task: &Task) -> Option<String> {
    if let Some(c) = task.cluster_arn.as_deref() {
        return Some(cluster_name(c).to_owned());
    }
    let resource = task.task_arn.as_deref()?.splitn(6, ':').nth(5)?;
    let mut parts = resource.split('/');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("task"), Some(cluster), Some(_)) => Some(cluster.to_owned()),
        _ => None,
    }
}

/// Builds the target for one task, placed where it actually ran: the subnet of its network
/// interface attachment, its own platform version and task-definition revision, and the
/// security groups of the service that started it (a stopped task's interface is gone, and
/// `DescribeTasks` does not return security groups;
/// <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_Task.html>).
pub fn task_target<'s>(graph: &Graph<'s>, task: &'s Task) -> Target<'s> {
    let arn = task.task_arn.clone();
    let id = arn
        .as_deref()
        .map_or_else(String::new, |a| task_id(a).to_owned());
    let cluster = task_cluster(task);
    let service_name = task
        .group
        .as_deref()
        .and_then(|g| g.strip_prefix("service:"))
        .map(str::to_owned);
    let service = service_name.as_deref().and_then(|name| {
        graph.services().find(|s| {
            s.service_name == name && (cluster.is_none() || service_cluster(s) == cluster)
        })
    });
    let td_ref = task.task_definition_arn.clone();
    let task_definition = match td_ref.as_deref() {
        Some(r) => graph.task_definition(r),
        None => Err(Missing::new(format!("task {id} names no task definition"))),
    };
    let mut launch = launch_of(
        task.launch_type.as_deref(),
        &task
            .capacity_provider_name
            .iter()
            .cloned()
            .collect::<Vec<_>>(),
    );
    if launch == Launch::Unknown {
        if let Ok(td) = &task_definition {
            if !td.requires_compatibilities.is_empty()
                && td
                    .requires_compatibilities
                    .iter()
                    .all(|c| c.eq_ignore_ascii_case("FARGATE"))
            {
                launch = Launch::Fargate;
            }
        }
    }
    let network = match (task.eni_detail("subnetId"), task_awsvpc(task, service)) {
        (None, _) => Err(Missing::new(format!(
            "task {id} has no network interface attachment with a subnet in the snapshot"
        ))),
        (Some(subnet), Some((security_groups, assign_public_ip))) => Ok(AwsVpcConfiguration {
            subnets: vec![subnet.to_owned()],
            security_groups,
            assign_public_ip,
        }),
        (Some(_), None) => Err(Missing::new(format!(
            "the security groups of task {id} are not known: {}",
            match &service_name {
                Some(s) => format!("its network interface was gone when the snapshot was taken, and its service {s} is not in the snapshot"),
                None => "it was not started by a service, and its network interface was gone when the snapshot was taken (ECS does not return a task's security groups)".to_owned(),
            }
        ))),
    };
    Target {
        kind: TargetKind::Task,
        cluster,
        name: id,
        arn,
        task_definition,
        task_definition_ref: td_ref,
        placement: Placement {
            launch,
            // A task reports the version it ran on (LATEST already resolved).
            requested_platform_version: task.platform_version.clone(),
            deployed_platform_version: None,
            network,
        },
        origin: None,
        service: service_name,
    }
}

/// Selects the named tasks (ids or ARNs) of the given clusters, in the order named, and the
/// names not found in the snapshot's `ecs.tasks`.
pub fn select_tasks<'s>(
    graph: &Graph<'s>,
    clusters: &[String],
    names: &[String],
) -> (Vec<Target<'s>>, Vec<String>) {
    let tasks = graph.snapshot().ecs.tasks.as_deref().unwrap_or_default();
    let mut found = Vec::new();
    let mut missing = Vec::new();
    for name in names {
        let hit = tasks.iter().find(|t| {
            let arn = t.task_arn.as_deref().unwrap_or_default();
            let in_cluster = clusters.is_empty()
                || task_cluster(t).is_some_and(|c| clusters.iter().any(|w| cluster_name(w) == c));
            in_cluster && (arn == name || task_id(arn) == name)
        });
        match hit {
            Some(t) => found.push(task_target(graph, t)),
            None => missing.push(name.clone()),
        }
    }
    (found, missing)
}

/// How targets are selected from a snapshot.
#[derive(Debug, Clone, Default)]
pub struct Scope {
    /// Cluster names or ARNs; empty = all.
    pub clusters: Vec<String>,
    /// Service names or ARNs; empty = all (with an EFS volume).
    pub services: Vec<String>,
}

/// Why a scope selects nothing that was asked for.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ScopeError {
    /// A named service is not in the snapshot.
    #[error("service {service} not found{}{}", in_clusters(.clusters), .hint)]
    ServiceNotFound {
        /// The name.
        service: String,
        /// The clusters searched.
        clusters: Vec<String>,
        /// Extra advice.
        hint: String,
    },
    /// A named cluster has no service in the snapshot.
    #[error("cluster {0} has no service in the collected state")]
    ClusterNotFound(String),
}

fn in_clusters(c: &[String]) -> String {
    if c.is_empty() {
        String::new()
    } else {
        format!(" in cluster {}", c.join(", "))
    }
}

fn matches_name(want: &str, name: &str, arn: Option<&str>) -> bool {
    want == name || arn == Some(want)
}

/// Selects the service targets of a scope, in snapshot order. Without a named service, only
/// services whose task definition has an EFS volume (or is unknown) are kept.
pub fn select_services<'s>(
    graph: &Graph<'s>,
    scope: &Scope,
) -> Result<Vec<Target<'s>>, ScopeError> {
    let mut out = Vec::new();
    let mut seen_clusters = vec![false; scope.clusters.len()];
    let mut seen_services = vec![false; scope.services.len()];
    for svc in graph.services() {
        let cluster = service_cluster(svc);
        if !scope.clusters.is_empty() {
            let hit = scope.clusters.iter().position(|c| {
                cluster.as_deref() == Some(cluster_name(c)) || svc.cluster_arn.as_deref() == Some(c)
            });
            match hit {
                Some(i) => seen_clusters[i] = true,
                None => continue,
            }
        }
        if !scope.services.is_empty() {
            let hit = scope
                .services
                .iter()
                .position(|s| matches_name(s, &svc.service_name, svc.service_arn.as_deref()));
            match hit {
                Some(i) => seen_services[i] = true,
                None => continue,
            }
        }
        // A deleted service (INACTIVE) runs no tasks; it is checked only when named.
        if scope.services.is_empty()
            && svc
                .status
                .as_deref()
                .is_some_and(|s| s.eq_ignore_ascii_case("INACTIVE"))
        {
            continue;
        }
        let target = service_target(graph, svc);
        if scope.services.is_empty() && !target.has_efs_volume() {
            continue;
        }
        out.push(target);
    }
    if let Some(i) = seen_services.iter().position(|s| !s) {
        let hint = if graph.require(List::Services).is_err() {
            format!(" ({})", graph.not_collected(List::Services))
        } else {
            String::new()
        };
        return Err(ScopeError::ServiceNotFound {
            service: scope.services[i].clone(),
            clusters: scope.clusters.clone(),
            hint,
        });
    }
    if scope.services.is_empty() {
        if let Some(i) = seen_clusters.iter().position(|s| !s) {
            return Err(ScopeError::ClusterNotFound(scope.clusters[i].clone()));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot;

    #[test]
    fn primary_deployment_platform_version_wins() {
        let s = snapshot::from_str(
            r#"{"efs_preflight_snapshot":1,"ecs":{"services":[
              {"serviceName":"web","clusterArn":"arn:aws:ecs:us-east-1:1:cluster/prod","launchType":"FARGATE",
               "platformVersion":"LATEST","deployments":[{"status":"PRIMARY","platformVersion":"1.3.0"}]}]}}"#,
            "t",
        )
        .unwrap();
        let g = Graph::build(&s);
        let t = service_target(&g, g.services().next().unwrap());
        assert_eq!(t.cluster.as_deref(), Some("prod"));
        assert_eq!(t.placement.launch, Launch::Fargate);
        assert_eq!(t.placement.effective_platform_version().0, "1.3.0");
    }

    #[test]
    fn latest_is_140() {
        let p = Placement {
            launch: Launch::Fargate,
            requested_platform_version: Some("LATEST".into()),
            deployed_platform_version: None,
            network: Err(Missing::new("x")),
        };
        assert_eq!(p.effective_platform_version().0, "1.4.0");
    }

    #[test]
    fn capacity_providers_decide_launch() {
        assert_eq!(launch_of(None, &["FARGATE_SPOT".into()]), Launch::Fargate);
        assert_eq!(launch_of(None, &["my-asg".into()]), Launch::Ec2);
        assert_eq!(launch_of(None, &[]), Launch::Unknown);
        assert_eq!(launch_of(Some("EXTERNAL"), &[]), Launch::External);
    }

    #[test]
    fn inactive_services_are_checked_only_when_named() {
        let s = snapshot::from_str(
            r#"{"efs_preflight_snapshot":1,"ecs":{"services":[
              {"serviceName":"old","clusterArn":"arn:aws:ecs:us-east-1:1:cluster/prod","status":"INACTIVE"},
              {"serviceName":"web","clusterArn":"arn:aws:ecs:us-east-1:1:cluster/prod","status":"ACTIVE"}]}}"#,
            "t",
        )
        .unwrap();
        let g = Graph::build(&s);
        let all = select_services(&g, &Scope::default()).unwrap();
        assert_eq!(
            all.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
            ["web"]
        );
        let named = select_services(
            &g,
            &Scope {
                clusters: vec!["prod".into()],
                services: vec!["old".into()],
            },
        )
        .unwrap();
        assert_eq!(named.len(), 1);
    }

    #[test]
    fn task_is_placed_in_its_own_subnet_with_its_services_groups() {
        let s = snapshot::from_str(
            r#"{"efs_preflight_snapshot":1,"ecs":{
              "services":[{"serviceName":"web","clusterArn":"arn:aws:ecs:us-east-1:1:cluster/prod","launchType":"FARGATE",
                "networkConfiguration":{"awsvpcConfiguration":{"subnets":["subnet-a","subnet-b"],"securityGroups":["sg-web"]}}}],
              "tasks":[
                {"taskArn":"arn:aws:ecs:us-east-1:1:task/prod/t1","group":"service:web","launchType":"FARGATE",
                 "platformVersion":"1.3.0","taskDefinitionArn":"arn:aws:ecs:us-east-1:1:task-definition/web:7",
                 "attachments":[{"type":"ElasticNetworkInterface","details":[{"name":"subnetId","value":"subnet-b"}]}]},
                {"taskArn":"arn:aws:ecs:us-east-1:1:task/prod/t2","group":"family:batch",
                 "attachments":[{"type":"ElasticNetworkInterface","details":[{"name":"subnetId","value":"subnet-a"}]}]}]}}"#,
            "t",
        )
        .unwrap();
        let g = Graph::build(&s);
        let (found, missing) = select_tasks(
            &g,
            &["prod".to_owned()],
            &[
                "t1".to_owned(),
                "arn:aws:ecs:us-east-1:1:task/prod/t2".to_owned(),
                "t3".to_owned(),
            ],
        );
        assert_eq!(missing, ["t3"]);
        let t1 = &found[0];
        assert_eq!(t1.kind, TargetKind::Task);
        assert_eq!(
            (t1.cluster.as_deref(), t1.name.as_str()),
            (Some("prod"), "t1")
        );
        assert_eq!(t1.service.as_deref(), Some("web"));
        assert_eq!(
            t1.task_definition_ref.as_deref(),
            Some("arn:aws:ecs:us-east-1:1:task-definition/web:7")
        );
        assert_eq!(t1.placement.effective_platform_version().0, "1.3.0");
        let net = t1.placement.network.as_ref().unwrap();
        assert_eq!(
            (net.subnets.as_slice(), net.security_groups.as_slice()),
            (&["subnet-b".to_owned()][..], &["sg-web".to_owned()][..])
        );
        // A task no service started: its groups are not known, so network rules cannot decide.
        assert!(found[1]
            .placement
            .network
            .as_ref()
            .unwrap_err()
            .to_string()
            .contains("not started by a service"));
    }

    #[test]
    fn task_groups_come_from_its_interface_then_its_deployment_then_its_service() {
        let s = snapshot::from_str(
            r#"{"efs_preflight_snapshot":1,"ecs":{
              "services":[{"serviceName":"web","clusterArn":"arn:aws:ecs:us-east-1:1:cluster/prod","launchType":"FARGATE",
                "networkConfiguration":{"awsvpcConfiguration":{"subnets":["subnet-a"],"securityGroups":["sg-now"],"assignPublicIp":"DISABLED"}},
                "deployments":[
                  {"id":"ecs-svc/1","status":"PRIMARY","networkConfiguration":{"awsvpcConfiguration":{"subnets":["subnet-a"],"securityGroups":["sg-now"]}}},
                  {"id":"ecs-svc/0","status":"ACTIVE","networkConfiguration":{"awsvpcConfiguration":{"subnets":["subnet-a"],"securityGroups":["sg-before"]}}}]}],
              "tasks":[
                {"taskArn":"arn:aws:ecs:us-east-1:1:task/prod/eni","group":"service:web","startedBy":"ecs-svc/0",
                 "securityGroups":["sg-eni"],
                 "attachments":[{"type":"ElasticNetworkInterface","details":[{"name":"subnetId","value":"subnet-a"}]}]},
                {"taskArn":"arn:aws:ecs:us-east-1:1:task/prod/old","group":"service:web","startedBy":"ecs-svc/0",
                 "attachments":[{"type":"ElasticNetworkInterface","details":[{"name":"subnetId","value":"subnet-a"}]}]},
                {"taskArn":"arn:aws:ecs:us-east-1:1:task/prod/gone","group":"service:web","startedBy":"ecs-svc/deleted",
                 "attachments":[{"type":"ElasticNetworkInterface","details":[{"name":"subnetId","value":"subnet-a"}]}]},
                {"taskArn":"arn:aws:ecs:us-east-1:1:task/prod/solo","group":"family:batch","securityGroups":["sg-solo"],
                 "attachments":[{"type":"ElasticNetworkInterface","details":[{"name":"subnetId","value":"subnet-a"}]}]}]}}"#,
            "t",
        )
        .unwrap();
        let g = Graph::build(&s);
        let names = ["eni", "old", "gone", "solo"].map(str::to_owned);
        let (found, missing) = select_tasks(&g, &["prod".to_owned()], &names);
        assert!(missing.is_empty());
        let groups: Vec<Vec<String>> = found
            .iter()
            .map(|t| {
                t.placement
                    .network
                    .as_ref()
                    .unwrap()
                    .security_groups
                    .clone()
            })
            .collect();
        assert_eq!(
            groups,
            [
                vec!["sg-eni".to_owned()],
                vec!["sg-before".to_owned()],
                vec!["sg-now".to_owned()],
                vec!["sg-solo".to_owned()],
            ]
        );
        let public = found[0].placement.network.as_ref().unwrap();
        assert_eq!(public.assign_public_ip.as_deref(), Some("DISABLED"));
    }

    #[test]
    fn cluster_from_long_service_arn() {
        let svc = Service {
            service_name: "web".into(),
            service_arn: Some("arn:aws:ecs:us-east-1:1:service/prod/web".into()),
            ..Default::default()
        };
        assert_eq!(service_cluster(&svc).as_deref(), Some("prod"));
    }
}
