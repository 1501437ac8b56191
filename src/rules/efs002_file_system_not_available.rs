//! EFS002: the file system exists but is not `available`.

use super::{Context, Finding, Rule, Severity};
use crate::graph::Missing;

pub(crate) static RULE: Rule = Rule {
    id: "EFS002",
    name: "file-system-not-available",
    severity: Severity::Error,
    summary: "The file system is not in the available state",
    doc: include_str!("../../rules/EFS002.md"),
    check,
};

fn check(cx: &Context<'_>) -> Vec<Finding> {
    let volumes = match cx.volumes_or_unknown(&RULE) {
        Ok(v) => v,
        Err(unknown) => return unknown,
    };
    volumes
        .iter()
        .map(|v| {
            let fs_id = v.config.file_system_id.as_str();
            let fs = match cx.graph.file_system(fs_id) {
                Ok(fs) => fs,
                Err(m) => return cx.unknown(&RULE, &m).volume(v.name).resource(fs_id),
            };
            match fs.life_cycle_state.as_deref() {
                Some("available") => cx
                    .pass(&RULE)
                    .volume(v.name)
                    .resource(fs_id)
                    .message_with(|| format!("File system {fs_id} is available.")),
                // "The file system is undergoing an update in response to a user-initiated
                // update request": a change to a file system in use, not an outage
                // (https://docs.aws.amazon.com/efs/latest/ug/file-system-state.html).
                Some("updating") => cx
                    .pass(&RULE)
                    .volume(v.name)
                    .resource(fs_id)
                    .message_with(|| format!(
                        "File system {fs_id} is updating: AWS describes that as a user-initiated update in progress, not as unavailable."
                    )),
                Some(state) => {
                    // Only `available` is documented as "reachable and available for use"
                    // (https://docs.aws.amazon.com/efs/latest/ug/file-system-state.html).
                    let (why, fix) = match state {
                        "creating" => (
                            format!("it is {state}, and AWS documents only an available file system as reachable, so tasks may fail to mount it until it is"),
                            format!(
                                "Wait until file system {fs_id} is available (aws efs describe-file-systems --file-system-id {fs_id} --query 'FileSystems[0].LifeCycleState'), then start the tasks."
                            ),
                        ),
                        "error" => (
                            "it is in the error state, a failed state whose data AWS reaches only by restoring a backup to a new file system, so tasks cannot mount it".to_owned(),
                            format!(
                                "Restore a backup of {fs_id} to a new file system and point volume '{}' at it.",
                                v.name
                            ),
                        ),
                        _ => (
                            format!("it is {state}, so tasks cannot mount it"),
                            format!(
                                "Point volume '{}' at a file system that is available.",
                                v.name
                            ),
                        ),
                    };
                    cx.broken(&RULE)
                        .volume(v.name)
                        .resource(fs_id)
                        .message_with(|| format!(
                            "File system {fs_id} is not available: {why}."
                        ))
                        .fix(fix)
                }
                None => cx
                    .unknown(&RULE, &Missing::new(format!("file system {fs_id} has no LifeCycleState in the collected state")))
                    .volume(v.name)
                    .resource(fs_id),
            }
        })
        .collect()
}
