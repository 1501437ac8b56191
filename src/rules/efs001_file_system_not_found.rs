//! EFS001: the volume's file system does not exist in the account and Region.

use super::{Context, Finding, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    id: "EFS001",
    name: "file-system-not-found",
    severity: Severity::Error,
    summary: "The file system does not exist in this account and Region",
    doc: include_str!("../../rules/EFS001.md"),
    check,
};

fn check(cx: &Context<'_>) -> Vec<Finding> {
    let volumes = match cx.volumes_or_unknown(&RULE) {
        Ok(v) => v,
        Err(unknown) => return unknown,
    };
    let snap = cx.graph.snapshot();
    let region = snap.region.as_deref().unwrap_or("this Region");
    volumes
        .iter()
        .map(|v| {
            let fs_id = v.config.file_system_id.as_str();
            if fs_id.is_empty() {
                return cx
                    .broken(&RULE)
                    .volume(v.name)
                    .message(format!("Volume '{}' has an empty fileSystemId.", v.name))
                    .fix(format!("Set fileSystemId of volume '{}' to an existing file system.", v.name));
            }
            match cx.graph.file_system(fs_id) {
                Ok(fs) => cx.pass(&RULE).volume(v.name).resource(fs_id).message(format!(
                    "File system {fs_id}{} exists.",
                    fs.name.as_deref().map(|n| format!(" ({n})")).unwrap_or_default()
                )),
                Err(_) if cx.graph.file_system_known_absent(fs_id) => cx
                    .broken(&RULE)
                    .volume(v.name)
                    .resource(fs_id)
                    .message(format!(
                        "File system {fs_id} does not exist in {region} (a typo, a deleted file system, or one in another Region or account); tasks fail with 'Failed to resolve \"{fs_id}.efs.{region}.amazonaws.com\"'."
                    ))
                    .fix(format!(
                        "Point fileSystemId of volume '{}' at an existing file system in {region} (list them with: aws efs describe-file-systems --region {region} --query 'FileSystems[].[FileSystemId,Name]').",
                        v.name
                    )),
                Err(m) => cx.unknown(&RULE, &m).volume(v.name).resource(fs_id),
            }
        })
        .collect()
}
