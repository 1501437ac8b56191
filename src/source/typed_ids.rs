//! The user's own mistakes fail closed. An id typed on the command line (`--subnets`,
//! `--security-groups`, `--cluster`, `--service`) that a snapshot does not hold would otherwise
//! make every rule that needs it `unknown`, and the default gate (`--fail-on error`) would pass
//! on a typo. Offline, such an id is a usage error (exit 2) that names it, says it is missing from
//! the snapshot and how to get it there, and lists the closest ids the snapshot does hold. A list
//! that was not collected at all (or a call that failed on that id) is not the user's mistake:
//! those stay `unknown` with the reason.
//!
//! The same holds for CloudFormation parameters: a `--parameters` key the template does not
//! declare is a usage error; a declared parameter with neither a default nor a value is named so
//! that the command layer can say so.

use std::collections::HashMap;
use std::path::Path;

use super::{SourceError, State};
use crate::graph::{Graph, List};
use crate::target::{self, Scope, ScopeError};

/// How many close ids an error lists.
const CLOSEST: usize = 3;

/// The ids among `have` closest to `want` (edit distance), best first, at most [`CLOSEST`].
pub fn closest<'a>(want: &str, have: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let want = want.to_ascii_lowercase();
    let mut scored: Vec<(usize, &str)> = have
        .into_iter()
        .map(|h| (strsim::levenshtein(&want, &h.to_ascii_lowercase()), h))
        .collect();
    scored.sort_unstable();
    scored.dedup_by(|a, b| a.1 == b.1);
    scored.into_iter().take(CLOSEST).map(|(_, h)| h).collect()
}

fn snapshot_name(state: &State) -> String {
    match state {
        State::File(p) => p.display().to_string(),
        State::Live(_) => "the snapshot".to_owned(),
    }
}

fn list_of(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_owned()
    } else {
        items.join(", ")
    }
}

/// Where a typed id was looked for, for messages: the snapshot file, or the account and Region
/// read live (where the collector asked EC2 for every id the command line names).
fn missing_from(state: &State, graph: &Graph<'_>) -> String {
    match state {
        State::File(p) => format!("missing from the snapshot {}", p.display()),
        State::Live(_) => {
            let snap = graph.snapshot();
            format!(
                "not in account {} in {} (EC2 returned nothing for it)",
                snap.account_id.as_deref().unwrap_or("?"),
                snap.region.as_deref().unwrap_or("?")
            )
        }
    }
}

/// ` (closest subnets in it: a, b)`; live, nothing when nothing else was read.
fn nearest(what: &str, in_it: &str, near: &[String], state: &State) -> String {
    if near.is_empty() && !state.is_offline() {
        return String::new();
    }
    format!(" (closest {what} {in_it}: {})", list_of(near))
}

/// What to do when a typed id is right after all.
fn if_right(state: &State, id: &str, list: &str, command: &str) -> String {
    let what = if list == "Subnets" {
        "subnets"
    } else {
        "groups"
    };
    match state {
        State::File(_) => format!(
            "If the id is right, the snapshot was taken without it: run the check live (without --snapshot), which reads the {what} you name, \
or add it to the snapshot's ec2.{list} from `{command} {id}`"
        ),
        State::Live(_) => format!(
            "Check the id, the account (--profile) and the Region (--region): `{command} {id}` should find it"
        ),
    }
}

/// Every id of `--subnets` and `--security-groups` must be in the state: offline in the
/// snapshot, live in the account (the collector reads every id named). A list that was not
/// collected, or a failed call on the id, leaves the decision to the rules (`unknown`).
pub fn check_placement(
    graph: &Graph<'_>,
    state: &State,
    subnets: &[String],
    security_groups: &[String],
) -> Result<(), SourceError> {
    let snap = graph.snapshot();
    let whence = missing_from(state, graph);
    let in_it = if state.is_offline() { "in it" } else { "read" };
    if graph.require(List::Subnets).is_ok() {
        for id in subnets {
            if graph.subnet(id).is_ok() || !graph.gaps_for(List::Subnets, Some(id)).is_empty() {
                continue;
            }
            let all = snap.ec2.subnets.as_deref().unwrap_or_default();
            let near: Vec<String> = closest(id, all.iter().map(|s| s.subnet_id.as_str()))
                .into_iter()
                .map(|n| {
                    let az = all
                        .iter()
                        .find(|s| s.subnet_id == n)
                        .and_then(|s| s.availability_zone_id.as_deref());
                    match az {
                        Some(az) => format!("{n} ({az})"),
                        None => n.to_owned(),
                    }
                })
                .collect();
            return Err(SourceError::Usage(format!(
                "--subnets names {id}, which is {whence} (closest subnets {in_it}: {}). {}",
                list_of(&near),
                if_right(
                    state,
                    id,
                    "Subnets",
                    "aws ec2 describe-subnets --subnet-ids"
                )
            )));
        }
    }
    if graph.require(List::SecurityGroups).is_ok() {
        for id in security_groups {
            if graph.security_group(id).is_ok()
                || !graph.gaps_for(List::SecurityGroups, Some(id)).is_empty()
            {
                continue;
            }
            let all = snap.ec2.security_groups.as_deref().unwrap_or_default();
            let near: Vec<String> = closest(id, all.iter().map(|g| g.group_id.as_str()))
                .into_iter()
                .map(|n| {
                    let name = all
                        .iter()
                        .find(|g| g.group_id == n)
                        .and_then(|g| g.group_name.as_deref());
                    match name {
                        Some(name) => format!("{n} ({name})"),
                        None => n.to_owned(),
                    }
                })
                .collect();
            return Err(SourceError::Usage(format!(
                "--security-groups names {id}, which is {whence}{}. {}",
                nearest("security groups", in_it, &near, state),
                if_right(
                    state,
                    id,
                    "SecurityGroups",
                    "aws ec2 describe-security-groups --group-ids"
                )
            )));
        }
    }
    Ok(())
}

/// A scope error (a `--cluster` or `--service` that names nothing) with, offline, where it is
/// missing from, how to re-take the snapshot, and the closest names the snapshot holds.
pub fn explain_scope_error(
    err: ScopeError,
    graph: &Graph<'_>,
    scope: &Scope,
    state: &State,
) -> SourceError {
    if !state.is_offline() || graph.require(List::Services).is_err() {
        return err.into();
    }
    let file = snapshot_name(state);
    let mut clusters: Vec<String> = graph
        .services()
        .filter_map(target::service_cluster)
        .collect();
    clusters.sort_unstable();
    clusters.dedup();
    match &err {
        ScopeError::ServiceNotFound { service, .. } => {
            let names: Vec<&str> = graph
                .services()
                .filter(|s| {
                    scope.clusters.is_empty()
                        || target::service_cluster(s).is_some_and(|c| {
                            scope.clusters.iter().any(|w| target::cluster_name(w) == c)
                        })
                })
                .map(|s| s.service_name.as_str())
                .collect();
            let want = service.rsplit('/').next().unwrap_or(service);
            let near: Vec<String> = closest(want, names)
                .into_iter()
                .map(str::to_owned)
                .collect();
            let cluster_flag = scope
                .clusters
                .first()
                .map(|c| format!("--cluster {} ", target::cluster_name(c)))
                .unwrap_or_default();
            let in_cluster = scope
                .clusters
                .first()
                .map(|c| format!(" in cluster {}", target::cluster_name(c)))
                .unwrap_or_default();
            SourceError::Usage(format!(
                "--service {service}: no such service{in_cluster} in the snapshot {file} (closest services in it: {}). \
If it exists, the snapshot was taken before it or without it: re-take it with `efs-preflight snapshot {cluster_flag}-o {file}`, or check live (without --snapshot)",
                list_of(&near)
            ))
        }
        ScopeError::ClusterNotFound(cluster) => {
            let want = target::cluster_name(cluster);
            let near: Vec<String> = closest(want, clusters.iter().map(String::as_str))
                .into_iter()
                .map(str::to_owned)
                .collect();
            SourceError::Usage(format!(
                "--cluster {cluster}: the snapshot {file} holds no service of such a cluster (closest clusters in it: {}). \
If it exists, the snapshot was taken without it: re-take it with `efs-preflight snapshot -o {file}` (every cluster of the Region), or check live (without --snapshot)",
                list_of(&near)
            ))
        }
    }
}

/// Checks `--parameters` against the template's `Parameters`: a key the template does not
/// declare is a usage error (with the closest declared names). Returns the declared parameters
/// that have neither a `Default` nor a value, which the rules can only report as `unknown`.
pub fn check_cloudformation_parameters(
    template: &Path,
    parameters: &[String],
) -> Result<Vec<String>, SourceError> {
    let name = template.display().to_string();
    let text = crate::snapshot::read_text(template)?;
    let doc = crate::iac::cloudformation::parse_template(&text, &name)?;
    let given: HashMap<String, String> = crate::iac::cloudformation::read_parameters(parameters)?;
    let declared: Vec<(&str, &serde_json::Value)> = doc
        .get("Parameters")
        .and_then(serde_json::Value::as_object)
        .map(|m| m.iter().map(|(k, v)| (k.as_str(), v)).collect())
        .unwrap_or_default();
    let mut keys: Vec<&String> = given.keys().collect();
    keys.sort();
    for key in keys {
        if declared.iter().any(|(d, _)| d == key) {
            continue;
        }
        let near: Vec<String> = closest(key, declared.iter().map(|(d, _)| *d))
            .into_iter()
            .map(str::to_owned)
            .collect();
        return Err(SourceError::Usage(format!(
            "--parameters gives {key}, which {name} does not declare (its parameters: {}{})",
            list_of(
                &declared
                    .iter()
                    .map(|(d, _)| (*d).to_owned())
                    .collect::<Vec<_>>()
            ),
            near.first()
                .map(|n| format!("; did you mean {n}?"))
                .unwrap_or_default()
        )));
    }
    Ok(declared
        .iter()
        .filter(|(d, def)| def.get("Default").is_none() && !given.contains_key(*d))
        .map(|(d, _)| (*d).to_owned())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_ids_by_edit_distance() {
        let have = ["subnet-0aa1", "subnet-0bb2", "subnet-0cc3", "sg-1"];
        assert_eq!(
            closest("subnet-0aa2", have),
            vec!["subnet-0aa1", "subnet-0bb2", "subnet-0cc3"]
        );
        assert_eq!(closest("wbe", ["web", "worker", "api"])[0], "web");
        assert!(closest("x", []).is_empty());
    }

    #[test]
    fn parameters_the_template_does_not_declare_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let t = dir.path().join("t.json");
        std::fs::write(
            &t,
            r#"{"Parameters":{"Env":{"Type":"String","Default":"prod"},"Subnets":{"Type":"CommaDelimitedList"}},"Resources":{}}"#,
        )
        .unwrap();
        let missing = check_cloudformation_parameters(&t, &["Env=dev".to_owned()]).unwrap();
        assert_eq!(missing, vec!["Subnets"]);
        assert!(
            check_cloudformation_parameters(&t, &["Subnets=a,b".to_owned()])
                .unwrap()
                .is_empty()
        );
        let err = check_cloudformation_parameters(&t, &["Subnet=a".to_owned()]).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("Subnet,") || text.contains("gives Subnet"),
            "{text}"
        );
        assert!(text.contains("did you mean Subnets?"), "{text}");
    }
}
