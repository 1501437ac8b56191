//! Amazon ECS resources: task definitions, services, and the targets they make.

use super::super::overlay::Builder;
use super::super::value::{Got, Val};
use super::super::{IacTarget, IacTargetKind};
use crate::snapshot::{
    AwsVpcConfiguration, CapacityProviderStrategyItem, EfsAuthorizationConfig,
    EfsVolumeConfiguration, NetworkConfiguration, RuntimePlatform, Service,
};

/// What an input declares to check: its services, then the task definitions no service of
/// the input runs.
#[derive(Debug, Default)]
pub struct Targets {
    /// Targets so far, in input order.
    pub targets: Vec<IacTarget>,
    /// Task-definition references of the services.
    pub used_task_definitions: Vec<String>,
}

impl Targets {
    /// A service of the input: a target, and its task definition is not checked alone.
    pub fn service(
        &mut self,
        svc: &Service,
        address: &str,
        task_definition_address: Option<String>,
        service_exists: bool,
    ) {
        if let Some(td) = &svc.task_definition {
            self.used_task_definitions.push(td.clone());
        }
        self.targets.push(IacTarget {
            kind: IacTargetKind::Service {
                name: svc.service_name.clone(),
                cluster: crate::target::service_cluster(svc),
            },
            address: address.to_owned(),
            task_definition_address,
            service_address: Some(address.to_owned()),
            service_exists,
        });
    }

    /// Whether a service of the input runs the task definition known by any of `names`.
    pub fn is_used(&self, names: &[&str]) -> bool {
        self.used_task_definitions
            .iter()
            .any(|r| names.iter().any(|n| !n.is_empty() && r == n))
    }

    /// A task definition no service of the input runs: checked on its own.
    pub fn lone_task_definition(&mut self, reference: String, address: &str) {
        self.targets.push(IacTarget {
            kind: IacTargetKind::TaskDefinition { reference },
            address: address.to_owned(),
            task_definition_address: Some(address.to_owned()),
            service_address: None,
            service_exists: false,
        });
    }
}

/// The runtime platform, when either field is set.
pub fn runtime_platform(os: Option<String>, cpu: Option<String>) -> Option<RuntimePlatform> {
    (os.is_some() || cpu.is_some()).then_some(RuntimePlatform {
        operating_system_family: os,
        cpu_architecture: cpu,
    })
}

/// The capacity provider strategy; `names` spells provider, weight and base.
pub fn capacity_provider_strategy(
    items: &Val,
    names: [&str; 3],
) -> Vec<CapacityProviderStrategyItem> {
    let [provider, weight, base] = names;
    items
        .items()
        .known()
        .unwrap_or_default()
        .iter()
        .filter_map(|c| {
            Some(CapacityProviderStrategyItem {
                capacity_provider: c.field(provider).str().known()?,
                weight: c.field(weight).int().known(),
                base: c.field(base).int().known(),
            })
        })
        .collect()
}

/// An `awsvpc` network configuration from its input block: `keys` spells the subnets and
/// security groups, `prefix` is the block's path for messages.
pub fn network_configuration(
    b: &mut Builder,
    net: &Val,
    keys: [&str; 2],
    prefix: &str,
    address: &str,
    assign_public_ip: Option<String>,
) -> NetworkConfiguration {
    let [subnets, security_groups] =
        keys.map(|key| b.ids(net.field(key).strs(), &format!("{prefix}.{key}"), address));
    NetworkConfiguration {
        awsvpc_configuration: Some(AwsVpcConfiguration {
            subnets,
            security_groups,
            assign_public_ip,
        }),
    }
}

/// How an input spells the fields of an EFS volume configuration.
#[derive(Debug)]
pub struct EfsVolumeNames {
    /// File system id, root directory, transit encryption, transit encryption port.
    pub volume: [&'static str; 4],
    /// The authorization block, its access point id and its IAM setting.
    pub auth: [&'static str; 3],
}

/// An EFS volume configuration from its input block; `at` names a field for messages,
/// `empty_auth` tells whether the authorization block counts as absent.
pub fn efs_volume(
    b: &mut Builder,
    efs: &Val,
    names: &EfsVolumeNames,
    address: &str,
    at: impl Fn(&str) -> String,
    transit_port: Option<i64>,
    empty_auth: impl Fn(&Val) -> bool,
) -> EfsVolumeConfiguration {
    let [fs, root, transit, _port] = names.volume;
    let [auth_key, ap, iam] = names.auth;
    let auth = efs.field(auth_key);
    EfsVolumeConfiguration {
        file_system_id: b
            .id(efs.field(fs).str(), &at(fs), address)
            .unwrap_or_default(),
        root_directory: efs.field(root).str().known(),
        transit_encryption: efs.field(transit).str().known(),
        transit_encryption_port: transit_port,
        authorization_config: if empty_auth(&auth) {
            None
        } else {
            Some(EfsAuthorizationConfig {
                access_point_id: b.id(
                    auth.field(ap).str(),
                    &at(&format!("{auth_key}.{ap}")),
                    address,
                ),
                iam: auth.field(iam).str().known(),
            })
        },
    }
}

/// The strings of a list value that are known.
pub fn known_strs(v: &Val) -> Vec<String> {
    v.strs()
        .known()
        .unwrap_or_default()
        .into_iter()
        .filter_map(Got::known)
        .collect()
}
