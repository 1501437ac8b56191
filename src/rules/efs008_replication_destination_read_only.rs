//! EFS008: a replication destination is read-only; read-write mount points cannot write.

use super::{Context, Finding, Rule, Severity};
use crate::graph::Missing;

pub(crate) static RULE: Rule = Rule {
    id: "EFS008",
    name: "replication-destination-read-only",
    severity: Severity::Warning,
    summary: "The file system is a read-only replication destination",
    doc: include_str!("../../rules/EFS008.md"),
    check,
};

fn check(cx: &Context<'_>) -> Vec<Finding> {
    let volumes = match cx.volumes_or_unknown(&RULE) {
        Ok(v) => v,
        Err(unknown) => return unknown,
    };
    let td = cx.task_definition().ok();
    volumes
        .iter()
        .map(|v| {
            let fs_id = v.config.file_system_id.as_str();
            let mounts = || {
                td.into_iter()
                    .flat_map(|td| td.container_definitions.iter())
                    .flat_map(|c| c.mount_points.iter().map(move |m| (c, m)))
                    .filter(|(_, m)| m.source_volume.as_deref() == Some(v.name))
            };
            let mut writers: Vec<&str> = mounts()
                .filter(|(_, m)| m.read_only != Some(true))
                .map(|(c, _)| c.name.as_str())
                .collect();
            writers.dedup();
            // With no read-write mount point, a read-only file system changes nothing: the rule
            // holds whatever the protection state is (or whether it is known).
            if writers.is_empty() {
                let message = if mounts().next().is_some() {
                    format!(
                        "Every mount point of volume '{}' is read-only, so tasks never write to {fs_id}.",
                        v.name
                    )
                } else {
                    format!(
                        "No container mounts volume '{}', so tasks never write to {fs_id}.",
                        v.name
                    )
                };
                return cx.pass(&RULE).volume(v.name).resource(fs_id).message(message);
            }
            let fs = match cx.graph.file_system(fs_id) {
                Ok(fs) => fs,
                Err(m) => return cx.unknown(&RULE, &m).volume(v.name).resource(fs_id),
            };
            let Some(protection) = fs
                .file_system_protection
                .as_ref()
                .and_then(|p| p.replication_overwrite_protection.as_deref())
            else {
                return cx
                    .unknown(
                        &RULE,
                        &Missing::new(format!(
                            "file system {fs_id} has no FileSystemProtection in the collected state"
                        )),
                    )
                    .volume(v.name)
                    .resource(fs_id);
            };
            // ENABLED: writeable. DISABLED / REPLICATING: usable as, or used as, a replication
            // destination, and read-only.
            // https://docs.aws.amazon.com/efs/latest/ug/API_FileSystemProtectionDescription.html
            if protection.eq_ignore_ascii_case("ENABLED") {
                return cx.pass(&RULE).volume(v.name).resource(fs_id).message_with(|| format!(
                    "File system {fs_id} is writeable (replication overwrite protection ENABLED)."
                ));
            }
            let (state, fix) = if protection.eq_ignore_ascii_case("REPLICATING") {
                (
                    "is the destination of a replication configuration (REPLICATING)",
                    format!(
                        "Set \"readOnly\": true on the mount points of volume '{}' or mount the replication source instead; {fs_id} becomes writeable only when its replication configuration is deleted (find it with: aws efs describe-replication-configurations --file-system-id {fs_id}).",
                        v.name
                    ),
                )
            } else {
                (
                    "has replication overwrite protection DISABLED, ready to be a replication destination",
                    format!(
                        "Set \"readOnly\": true on the mount points of volume '{}', or, if {fs_id} is not meant to be a replication destination, make it writeable again: aws efs update-file-system-protection --file-system-id {fs_id} --replication-overwrite-protection ENABLED",
                        v.name
                    ),
                )
            };
            let containers = if writers.len() == 1 {
                format!("container '{}' mounts", writers[0])
            } else {
                format!("containers '{}' mount", writers.join("', '"))
            };
            cx.broken(&RULE)
                .volume(v.name)
                .resource(fs_id)
                .message_with(|| format!(
                    "File system {fs_id} {state}, so it is read-only, but {containers} volume '{}' read-write; writes fail with 'Read-only file system'.",
                    v.name
                ))
                .fix(fix)
        })
        .collect()
}
