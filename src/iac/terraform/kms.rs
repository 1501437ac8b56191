//! AWS KMS keys of a plan (`aws_kms_key`, `aws_kms_external_key`,
//! <https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/kms_key>,
//! <https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/kms_external_key>).

// Every converter has the one signature of the resource table, fallible or not.
#![allow(clippy::unnecessary_wraps)]

use super::{Convert, Plan, Res};
use crate::iac::overlay::Builder;
use crate::iac::shared::kms;
use crate::iac::shared::Targets;
use crate::iac::value::Got;
use crate::iac::IacError;

/// The KMS resource types a plan may hold.
pub(super) const RESOURCES: &[(&str, Convert)] =
    &[("aws_kms_key", key), ("aws_kms_external_key", external_key)];

/// A planned key is `Enabled` unless `is_enabled = false` (the argument defaults to `true`).
/// `deletion_window_in_days` matters only when the key is destroyed, which the plan's
/// `delete` actions show (see [`deleted_key`]).
fn key(plan: &Plan<'_>, r: &Res<'_>, b: &mut Builder, _: &mut Targets) -> Result<(), IacError> {
    let state = match r.values().field("is_enabled").bool() {
        Got::Known(false) => "Disabled",
        Got::Known(true) | Got::Absent => "Enabled",
        Got::Unknown(cause) => {
            kms::unknown_key(b, &r.s.id, &r.s.arn, "is_enabled", r.address(), &cause);
            return Ok(());
        }
    };
    kms::key(b, &r.s.id, &r.s.arn, plan.owner(), state);
    Ok(())
}

/// A key for imported key material: without `key_material_base64` it has none and stays
/// `PendingImport` (the provider: "Keys pending import can only be `false`" for `enabled`);
/// with it, `enabled` (default `true` for imported keys) decides. The material is sensitive, so
/// the configuration setting it counts as much as a value in the plan.
fn external_key(
    plan: &Plan<'_>,
    r: &Res<'_>,
    b: &mut Builder,
    _: &mut Targets,
) -> Result<(), IacError> {
    let v = r.values();
    let material = v
        .field("key_material_base64")
        .str()
        .known()
        .is_some_and(|m| !m.is_empty())
        || plan.has_config(r.inst, "key_material_base64");
    let state = if material {
        match v.field("enabled").bool() {
            Got::Known(false) => "Disabled",
            Got::Unknown(cause) if plan.has_config(r.inst, "enabled") => {
                kms::unknown_key(b, &r.s.id, &r.s.arn, "enabled", r.address(), &cause);
                return Ok(());
            }
            _ => "Enabled",
        }
    } else {
        "PendingImport"
    };
    kms::key(b, &r.s.id, &r.s.arn, plan.owner(), state);
    Ok(())
}

/// A key the plan destroys (alone, or to replace it): Terraform schedules its deletion, so it
/// is `PendingDeletion` for the waiting period
/// (<https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html>).
pub(super) fn deleted_key(b: &mut Builder, before: &serde_json::Value, owner: Option<String>) {
    let field = |k: &str| before.get(k).and_then(serde_json::Value::as_str);
    let Some(id) = field("key_id").or_else(|| field("id")) else {
        return;
    };
    let arn = field("arn").unwrap_or(id);
    kms::key(b, id, arn, owner, "PendingDeletion");
}
