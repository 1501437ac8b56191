//! AWS KMS keys: the state a key the input creates has once it is deployed.

use super::super::overlay::Builder;
use crate::snapshot::KeyMetadata;

/// Adds a customer managed key in `state` (`Enabled`, `Disabled`, `PendingImport`, or
/// `PendingDeletion` for a key the input deletes). Both Terraform and CloudFormation create a
/// key `Enabled` unless told otherwise
/// (<https://docs.aws.amazon.com/kms/latest/developerguide/enabling-keys.html>: "When you
/// create a KMS key, it is enabled by default").
pub fn key(b: &mut Builder, id: &str, arn: &str, owner: Option<String>, state: &str) {
    b.overlay.kms_keys.push(KeyMetadata {
        key_id: id.to_owned(),
        arn: Some(arn.to_owned()),
        key_state: Some(state.to_owned()),
        enabled: Some(state == "Enabled"),
        key_manager: Some("CUSTOMER".to_owned()),
        deletion_date: None,
        aws_account_id: owner,
    });
}

/// Leaves a key out because its state is unknown before deployment: lookups by its id or its
/// ARN say why.
pub fn unknown_key(b: &mut Builder, id: &str, arn: &str, attr: &str, address: &str, cause: &str) {
    b.omit(id, attr, address, cause);
    if arn != id {
        b.omit(arn, attr, address, cause);
    }
}
