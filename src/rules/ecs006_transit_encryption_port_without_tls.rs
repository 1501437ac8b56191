//! ECS006: `transitEncryptionPort` only makes sense with transit encryption.

use super::{Context, Finding, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    id: "ECS006",
    name: "transit-encryption-port-without-tls",
    severity: Severity::Error,
    summary: "transitEncryptionPort is set without transit encryption",
    doc: include_str!("../../rules/ECS006.md"),
    check,
};

fn check(cx: &Context<'_>) -> Vec<Finding> {
    let volumes = match cx.volumes_or_unknown(&RULE) {
        Ok(v) => v,
        Err(unknown) => return unknown,
    };
    // The task definition is what has to change, not the file system.
    let task_definition = cx
        .task_definition_ref()
        .map_or_else(|| cx.name().to_owned(), str::to_owned);
    volumes
        .iter()
        .filter_map(|v| v.config.transit_encryption_port.map(|p| (v, p)))
        .map(|(v, port)| {
            if v.config.tls() {
                cx.pass(&RULE).volume(v.name).message_with(|| format!(
                    "Volume '{}' sets transitEncryptionPort {port} with transit encryption enabled.",
                    v.name
                ))
            } else {
                cx.broken(&RULE)
                    .volume(v.name)
                    .resource(task_definition.clone())
                    .message_with(|| format!(
                        "Volume '{}' sets transitEncryptionPort {port} but transitEncryption is {}; ECS rejects it: \"TransitEncryptionPort requires that TransitEncryption is enabled.\" (the port is the local TLS tunnel port, not an NFS port).",
                        v.name,
                        v.config.transit_encryption.as_deref().unwrap_or("not set")
                    ))
                    .fix(format!(
                        "Remove transitEncryptionPort from volume '{}' (leave it unset: the mount helper picks a free local port) or set \"transitEncryption\": \"ENABLED\", then register a new revision.",
                        v.name
                    ))
            }
        })
        .collect()
}
