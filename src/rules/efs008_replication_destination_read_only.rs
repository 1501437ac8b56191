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
                    .unknown(&RULE, &Missing::new(format!("file system {fs_id} has no FileSystemProtection in the snapshot")))
                    .volume(v.name)
                    .resource(fs_id);
            };
            // ENABLED: writeable. DISABLED / REPLICATING: a replication destination, read-only.
            // https://docs.aws.amazon.com/efs/latest/ug/API_FileSystemProtectionDescription.html
            if protection.eq_ignore_ascii_case("ENABLED") {
                return cx.pass(&RULE).volume(v.name).resource(fs_id).message(format!(
                    "File system {fs_id} is writeable (replication overwrite protection ENABLED)."
                ));
            }
            let writers: Vec<String> = td
                .into_iter()
                .flat_map(|td| td.container_definitions.iter())
                .filter(|c| {
                    c.mount_points.iter().any(|m| {
                        m.source_volume.as_deref() == Some(v.name) && m.read_only != Some(true)
                    })
                })
                .map(|c| c.name.clone())
                .collect();
            if writers.is_empty() {
                cx.pass(&RULE).volume(v.name).resource(fs_id).message(format!(
                    "File system {fs_id} is a read-only replication destination ({protection}), and every mount point of volume '{}' is read-only.",
                    v.name
                ))
            } else {
                cx.broken(&RULE)
                    .volume(v.name)
                    .resource(fs_id)
                    .message(format!(
                        "File system {fs_id} is a replication destination (overwrite protection {protection}) and read-only, but container(s) {} mount volume '{}' read-write; writes fail with 'Read-only file system'.",
                        writers.join(", "),
                        v.name
                    ))
                    .fix(format!(
                        "Mount the replication source instead, set \"readOnly\": true on the mount points of volume '{}', or stop replication and run: aws efs update-file-system-protection --file-system-id {fs_id} --replication-overwrite-protection ENABLED",
                        v.name
                    ))
            }
        })
        .collect()
}
