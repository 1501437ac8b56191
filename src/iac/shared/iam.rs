//! IAM resources: roles, managed policies and attachments.

use super::super::value::{Got, Val};
use crate::snapshot::{
    AttachedPolicy, ManagedPolicyDetail, PermissionsBoundary, PolicyDocument, PolicyVersion,
};

/// A managed policy attached to a role, by ARN.
pub fn attached(arn: String) -> AttachedPolicy {
    AttachedPolicy {
        policy_name: arn.rsplit('/').next().map(str::to_owned),
        policy_arn: arn,
    }
}

/// A customer managed policy the input creates, with its document as the default version.
pub fn managed_policy(
    name: Option<String>,
    arn: String,
    doc: PolicyDocument,
) -> ManagedPolicyDetail {
    ManagedPolicyDetail {
        policy_name: name,
        arn,
        default_version_id: Some("v1".into()),
        policy_version_list: vec![PolicyVersion {
            document: Some(doc),
            version_id: Some("v1".into()),
            is_default_version: true,
        }],
    }
}

/// A permissions boundary by policy ARN.
pub fn permissions_boundary(arn: String) -> PermissionsBoundary {
    PermissionsBoundary {
        permissions_boundary_type: Some("Policy".into()),
        permissions_boundary_arn: arn,
    }
}

/// The managed policy ARNs of a role, and every element (`attr[i]`, or `attr` for the whole
/// list) that cannot be resolved, with its cause.
pub fn managed_policy_arns(v: &Val, attr: &str) -> (Vec<AttachedPolicy>, Vec<(String, String)>) {
    let mut out = Vec::new();
    let mut unknown = Vec::new();
    match v.strs() {
        Got::Known(items) => {
            for (i, item) in items.into_iter().enumerate() {
                match item {
                    Got::Known(a) => out.push(attached(a)),
                    Got::Unknown(c) => unknown.push((format!("{attr}[{i}]"), c)),
                    Got::Absent => {}
                }
            }
        }
        Got::Unknown(c) => unknown.push((attr.to_owned(), c)),
        Got::Absent => {}
    }
    (out, unknown)
}
