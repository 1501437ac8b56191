//! EFS009: the KMS key of an encrypted file system cannot be used.

use super::{Context, Finding, Rule, Severity};
use crate::graph::Missing;

pub(crate) static RULE: Rule = Rule {
    id: "EFS009",
    name: "kms-key-unusable",
    severity: Severity::Error,
    summary: "The KMS key of the encrypted file system is not enabled",
    doc: include_str!("../../rules/EFS009.md"),
    check,
};

/// The AWS managed key for EFS: AWS manages its state; it cannot be disabled or deleted.
const AWS_MANAGED_ALIAS: &str = "alias/aws/elasticfilesystem";

fn check(cx: &Context<'_>) -> Vec<Finding> {
    let volumes = match cx.volumes_or_unknown(&RULE) {
        Ok(v) => v,
        Err(unknown) => return unknown,
    };
    volumes
        .iter()
        .map(|v| {
            let fs_id = v.config.file_system_id.as_str();
            let unknown = |m: &Missing| cx.unknown(&RULE, m).volume(v.name).resource(fs_id);
            let fs = match cx.graph.file_system(fs_id) {
                Ok(fs) => fs,
                Err(m) => return unknown(&m),
            };
            match fs.encrypted {
                Some(false) => {
                    return cx
                        .pass(&RULE)
                        .volume(v.name)
                        .resource(fs_id)
                        .message_with(|| format!(
                            "File system {fs_id} is not encrypted at rest: no KMS key is involved."
                        ))
                }
                None => {
                    return unknown(&Missing::new(format!(
                        "file system {fs_id} has no Encrypted in the snapshot"
                    )))
                }
                Some(true) => {}
            }
            let Some(key_ref) = fs.kms_key_id.as_deref() else {
                return unknown(&Missing::new(format!(
                    "encrypted file system {fs_id} has no KmsKeyId in the snapshot"
                )));
            };
            if key_ref.ends_with(AWS_MANAGED_ALIAS) {
                return cx
                    .pass(&RULE)
                    .volume(v.name)
                    .resource(fs_id)
                    .message_with(|| format!(
                        "File system {fs_id} uses the AWS managed key aws/elasticfilesystem, which cannot be disabled or deleted."
                    ));
            }
            let key = match cx.graph.kms_key(key_ref) {
                Ok(k) => k,
                Err(m) => return unknown(&m).resource(key_ref),
            };
            let key_id = key.arn.as_deref().unwrap_or(&key.key_id);
            let state = key.key_state.as_deref().or(match key.enabled {
                Some(true) => Some("Enabled"),
                _ => None,
            });
            match state {
                Some("Enabled") => cx
                    .pass(&RULE)
                    .volume(v.name)
                    .resource(key_id)
                    .message_with(|| format!(
                        "The KMS key of file system {fs_id} ({}) is Enabled.",
                        key.key_id
                    )),
                Some(s @ ("Disabled" | "PendingDeletion" | "PendingReplicaDeletion" | "PendingImport" | "Unavailable")) => {
                    // https://docs.aws.amazon.com/efs/latest/ug/use-kms-key.html: a file system
                    // whose key is disabled or deleted stops working; KMS refuses every
                    // cryptographic operation with a key in these states
                    // (https://docs.aws.amazon.com/kms/latest/developerguide/key-state.html).
                    let (why, fix) = match s {
                        "Disabled" => (
                            "it is disabled".to_owned(),
                            format!("aws kms enable-key --key-id {}", key.key_id),
                        ),
                        "PendingDeletion" => (
                            format!(
                                "it is scheduled for deletion{}",
                                deletion_date(key.deletion_date.as_ref())
                            ),
                            format!(
                                "aws kms cancel-key-deletion --key-id {id} && aws kms enable-key --key-id {id}",
                                id = key.key_id
                            ),
                        ),
                        "PendingReplicaDeletion" => (
                            "it is a multi-Region key waiting for its replicas to be deleted".to_owned(),
                            format!(
                                "aws kms cancel-key-deletion --key-id {id} && aws kms enable-key --key-id {id}",
                                id = key.key_id
                            ),
                        ),
                        "PendingImport" => (
                            "its key material was deleted or has expired (PendingImport)".to_owned(),
                            format!(
                                "Re-import the same key material into KMS key {} (aws kms get-parameters-for-import, then aws kms import-key-material).",
                                key.key_id
                            ),
                        ),
                        _ => (
                            "its custom key store is disconnected (Unavailable)".to_owned(),
                            format!(
                                "Reconnect the custom key store of KMS key {} (aws kms connect-custom-key-store --custom-key-store-id ...).",
                                key.key_id
                            ),
                        ),
                    };
                    cx.broken(&RULE)
                        .volume(v.name)
                        .resource(key_id)
                        .message_with(|| format!(
                            "File system {fs_id} is encrypted with KMS key {} and {why}: EFS cannot decrypt the file system, so mounts fail or stop working.",
                            key.key_id
                        ))
                        .fix(fix)
                }
                Some(other) => unknown(&Missing::new(format!(
                    "KMS key {} of file system {fs_id} is {other}, a state this rule does not decide",
                    key.key_id
                )))
                .resource(key_id),
                None => unknown(&Missing::new(format!(
                    "KMS key {} has no KeyState in the snapshot",
                    key.key_id
                )))
                .resource(key_id),
            }
        })
        .collect()
}

fn deletion_date(date: Option<&serde_json::Value>) -> String {
    match date {
        Some(serde_json::Value::String(s)) => format!(" on {s}"),
        Some(serde_json::Value::Number(n)) => format!(" (deletion date {n})"),
        _ => String::new(),
    }
}
