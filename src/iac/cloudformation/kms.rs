//! AWS KMS keys of a template (`AWS::KMS::Key`,
//! <https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-kms-key.html>).

// Every converter has the one signature of the resource table, fallible or not.
#![allow(clippy::unnecessary_wraps)]

use super::{Convert, Res, Template};
use crate::iac::overlay::Builder;
use crate::iac::shared::kms;
use crate::iac::shared::Targets;
use crate::iac::value::Got;
use crate::iac::IacError;

/// The KMS resource types a template may hold.
pub(super) const RESOURCES: &[(&str, Convert)] = &[("AWS::KMS::Key", key)];

/// The ARN the template's key gets (what `Fn::GetAtt KEY.Arn` resolves to).
pub(super) fn key_arn(t: &Template<'_>, lid: &str) -> String {
    t.account.arn("kms", &format!("key/{lid}"))
}

/// `Enabled` (default `true`) gives `Enabled` or `Disabled`; a key whose `Origin` is
/// `EXTERNAL` is created without key material and stays `PendingImport` until material is
/// imported, which a template cannot do
/// (<https://docs.aws.amazon.com/kms/latest/APIReference/API_CreateKey.html>, `Origin`;
/// <https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html>).
/// `PendingWindowInDays` matters only once the key leaves the stack.
fn key(t: &Template<'_>, r: &Res<'_>, b: &mut Builder, _: &mut Targets) -> Result<(), IacError> {
    let (lid, arn) = (r.lid, key_arn(t, r.lid));
    let enabled = match r.p("Enabled").bool() {
        Got::Known(e) => e,
        Got::Absent => true,
        Got::Unknown(cause) => {
            kms::unknown_key(b, lid, &arn, "Enabled", lid, &cause);
            return Ok(());
        }
    };
    let external = match r.p("Origin").str() {
        Got::Known(o) => o.eq_ignore_ascii_case("EXTERNAL"),
        Got::Absent => false,
        Got::Unknown(cause) => {
            kms::unknown_key(b, lid, &arn, "Origin", lid, &cause);
            return Ok(());
        }
    };
    let state = match (external, enabled) {
        (true, _) => "PendingImport",
        (false, true) => "Enabled",
        (false, false) => "Disabled",
    };
    kms::key(b, lid, &arn, t.owner(), state);
    Ok(())
}
