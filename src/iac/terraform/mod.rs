//! Terraform plans: the JSON of `terraform show -json PLAN` (formats 0.x and 1.x,
//! <https://developer.hashicorp.com/terraform/internals/json-format>) converted to an overlay
//! and to the ECS targets it declares.
//!
//! Values come from `planned_values` (root and child modules, recursively), with
//! `resource_changes[].change.after_unknown` marking what is known only after apply. An unknown
//! id is resolved through the `configuration` expression that produced it: a reference to a
//! resource the plan creates (`aws_subnet.private[0].id`, `aws_subnet.private[*].id`, a module
//! output or input variable that carries one) becomes that resource's synthetic id (its
//! address), so the graph joins new resources like existing ones. Anything else stays unknown
//! and makes the dependent rules `unknown` ("... is known after apply").
//!
//! Argument names follow the AWS provider
//! (<https://registry.terraform.io/providers/hashicorp/aws/latest/docs>).
//!
//! Depends on the snapshot model, `value`, `overlay` and `common`; never on rules or reports.

mod dns;
mod ecs;
mod efs;
mod iam;
mod kms;
mod network;
mod plan;
mod refs;

use std::collections::HashMap;

use serde_json::Value as Json;

use super::common::{self, Account};
use super::overlay::{Builder, Front, Overlay};
use super::shared::Targets;
use super::value::{Got, Val};
use super::{locate, IacError, IacTarget};
use crate::snapshot::Snapshot;

/// One resource instance of the plan.
#[derive(Debug, Clone)]
struct Instance {
    /// Absolute address: `module.net.aws_subnet.private[0]`.
    address: String,
    /// The module instance part with a trailing dot: `module.net.` (empty in the root).
    module_prefix: String,
    /// Module call names from the root (`["net"]`), to find the configuration.
    config_path: Vec<String>,
    managed: bool,
    rtype: String,
    name: String,
    /// `count` index or `for_each` key.
    index: Option<Json>,
    values: Val,
}

impl Instance {
    /// `aws_subnet.private` (or `data.aws_subnet.x`), the configuration address.
    fn config_address(&self) -> String {
        if self.managed {
            format!("{}.{}", self.rtype, self.name)
        } else {
            format!("data.{}.{}", self.rtype, self.name)
        }
    }

    fn str(&self, path: &[&str]) -> Got<String> {
        self.values.at(path).str()
    }
}

/// Synthetic values of an instance: what references to it resolve to.
#[derive(Debug, Clone)]
struct Synth {
    id: String,
    arn: String,
    name: String,
}

/// A parsed plan, ready to convert.
struct Plan<'a> {
    instances: Vec<Instance>,
    configuration: Json,
    account: Account,
    base: &'a Snapshot,
    synth: HashMap<String, Synth>,
    /// AZ name -> AZ id from the base state.
    az_ids: HashMap<String, String>,
}

/// What a Terraform plan contributes: the overlay and the targets it declares.
#[derive(Debug)]
pub struct Converted {
    /// Resources to merge over the base state.
    pub overlay: Overlay,
    /// Services and lone task definitions, by address.
    pub targets: Vec<IacTarget>,
}

/// Parses plan JSON text (`name` for messages) and converts it against the base state.
pub fn convert(text: &str, name: &str, base: &Snapshot) -> Result<Converted, IacError> {
    crate::snapshot::expect_object(text, name, "the output of `terraform show -json PLAN`")
        .map_err(IacError::from)?;
    let doc: Json = crate::snapshot::parse_typed(text, name).map_err(IacError::from)?;
    let invalid = |needle: &str, message: String| {
        let (line, column) = locate(text, needle);
        IacError::Invalid {
            path: name.to_owned(),
            line,
            column,
            message,
        }
    };
    let Some(version) = doc.get("format_version") else {
        return Err(invalid(
            "{",
            "not a Terraform plan: no `format_version` (expected the output of `terraform show -json PLAN`)".to_owned(),
        ));
    };
    let major = version
        .as_str()
        .and_then(|v| v.split('.').next())
        .and_then(|m| m.parse::<u64>().ok());
    // The format is additive within a major version, and 0.x (Terraform 0.12 to 1.0) has
    // every field read here: only an unknown major version cannot be read
    // (https://developer.hashicorp.com/terraform/internals/json-format).
    if !matches!(major, Some(0 | 1)) {
        return Err(invalid(
            "\"format_version\"",
            format!("`format_version` is {version}; this efs-preflight reads Terraform plan JSON format 1.x and its predecessor 0.x (Terraform 0.12 and later); a newer major version changed the format incompatibly: please report it"),
        ));
    }
    let Some(planned) = doc.get("planned_values") else {
        let hint = if doc.get("values").is_some() {
            " (this is `terraform show -json` of a state; pass the plan: `terraform plan -out tfplan && terraform show -json tfplan`)"
        } else {
            ""
        };
        return Err(invalid(
            "{",
            format!("not a Terraform plan: no `planned_values`{hint}"),
        ));
    };
    let changes = plan::index_changes(&doc);
    let mut instances = Vec::new();
    if let Some(root) = planned.get("root_module") {
        plan::collect_module(root, "", &[], &changes, &mut instances);
    }
    let mut builder = Builder::new(Front::Terraform);
    // Objects the plan deletes (alone or to replace them) are gone after apply.
    for change in doc
        .get("resource_changes")
        .and_then(Json::as_array)
        .into_iter()
        .flatten()
    {
        let actions: Vec<&str> = change
            .pointer("/change/actions")
            .and_then(Json::as_array)
            .into_iter()
            .flatten()
            .filter_map(Json::as_str)
            .collect();
        if !actions.iter().any(|a| *a == "delete" || *a == "forget") {
            continue;
        }
        let before = |k: &str| {
            change
                .pointer(&format!("/change/before/{k}"))
                .and_then(Json::as_str)
        };
        match change.get("type").and_then(Json::as_str) {
            // Its id is the file system's: only the policy goes.
            Some("aws_efs_file_system_policy") => {
                if let Some(fs) = before("file_system_id").or_else(|| before("id")) {
                    builder.overlay.removed.push(format!("policy:{fs}"));
                }
            }
            // A destroyed key is scheduled for deletion, not gone.
            Some("aws_kms_key" | "aws_kms_external_key") if actions.contains(&"delete") => {
                if let Some(b) = change.pointer("/change/before") {
                    kms::deleted_key(&mut builder, b, base.account_id.clone());
                }
            }
            // Roles and policies are keyed by ARN in the state.
            _ => {
                for id in [before("id"), before("arn")].into_iter().flatten() {
                    builder.overlay.removed.push(id.to_owned());
                }
            }
        }
    }
    let mut plan = Plan {
        instances,
        configuration: doc.get("configuration").cloned().unwrap_or(Json::Null),
        account: Account::of(base),
        base,
        synth: HashMap::new(),
        az_ids: common::az_ids_by_name(base),
    };
    plan.synthesize();
    plan.resolve_references();
    let targets = plan.build(&mut builder, text, name)?;
    Ok(Converted {
        overlay: builder.overlay,
        targets,
    })
}

/// Converts one resource instance of a type the plan may hold.
type Convert = fn(&Plan<'_>, &Res<'_>, &mut Builder, &mut Targets) -> Result<(), IacError>;

/// The resource tables, by family.
const FAMILIES: &super::shared::Families<Convert> = &[
    network::RESOURCES,
    efs::RESOURCES,
    ecs::RESOURCES,
    iam::RESOURCES,
    kms::RESOURCES,
    dns::RESOURCES,
];

/// The converter of a resource type.
fn converter(rtype: &str) -> Option<Convert> {
    super::shared::converter(FAMILIES, rtype)
}

/// The resource types this module reads.
pub fn supported() -> impl Iterator<Item = &'static str> {
    super::shared::resource_types(FAMILIES)
}

/// One managed resource instance being converted.
struct Res<'a> {
    inst: &'a Instance,
    /// Its synthetic id, ARN and name.
    s: Synth,
    /// The plan's text and file name, for messages.
    text: &'a str,
    file: &'a str,
}

impl Res<'_> {
    fn address(&self) -> &str {
        &self.inst.address
    }

    fn values(&self) -> &Val {
        &self.inst.values
    }
}

impl Plan<'_> {
    /// The account that owns what the plan creates.
    fn owner(&self) -> Option<String> {
        self.base.account_id.clone()
    }

    fn build(&self, b: &mut Builder, text: &str, file: &str) -> Result<Vec<IacTarget>, IacError> {
        let mut out = Targets::default();
        for inst in self.instances.iter().filter(|i| i.managed) {
            let Some(convert) = converter(&inst.rtype) else {
                continue;
            };
            let r = Res {
                inst,
                s: self.synth_of(inst),
                text,
                file,
            };
            convert(self, &r, b, &mut out)?;
        }
        ecs::lone_task_definitions(self, &mut out);
        Ok(out.targets)
    }
}

/// A value the provider would reject, located at the resource's entry in the plan.
fn bad_value(r: &Res<'_>, attr: &str, what: &str) -> IacError {
    let address = r.address();
    let (line, column) = locate(r.text, &format!("\"address\": \"{address}\""));
    IacError::Invalid {
        path: r.file.to_owned(),
        line,
        column,
        message: format!("`{attr}` of {address} {what}"),
    }
}
