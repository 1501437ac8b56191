//! ECS009: an EFS volume is mounted over the directory that holds the container's entry point.
//!
//! A volume mounted at a container path hides whatever the image has there; ECS does not copy
//! image content into an EFS volume the way Docker populates a new named volume
//! (<https://github.com/aws/containers-roadmap/issues/1090>). An entry point or command under that
//! path is then missing when the container starts.

use super::{Context, Finding, Rule, Severity};

pub(crate) static RULE: Rule = Rule {
    id: "ECS009",
    name: "mount-hides-entrypoint",
    severity: Severity::Warning,
    summary: "An EFS volume is mounted over the directory of the container's entry point",
    doc: include_str!("../../rules/ECS009.md"),
    check,
};

/// Absolute paths the container executes: `entryPoint`/`command` elements that are absolute
/// paths, and absolute paths inside a `sh -c` / `bash -c` script.
fn executed_paths<'a>(entry_point: &'a [String], command: &'a [String]) -> Vec<&'a str> {
    let mut out = Vec::new();
    let argv: Vec<&String> = entry_point.iter().chain(command).collect();
    let shell = argv.first().is_some_and(|a| {
        ["sh", "bash", "/bin/sh", "/bin/bash", "/usr/bin/env"].contains(&a.as_str())
    });
    for (i, arg) in argv.iter().enumerate() {
        let script = shell
            && i > 0
            && argv
                .get(i.wrapping_sub(1))
                .is_some_and(|p| p.as_str() == "-c");
        if script {
            out.extend(script_programs(arg));
        } else if (i == 0 || (shell && i == 1))
            && arg.starts_with('/')
            && !arg.contains(char::is_whitespace)
        {
            out.push(arg.as_str());
        }
    }
    out
}

/// The program of each simple command in a shell script (`a; b && c | d`), when it is an absolute
/// path: the first word after variable assignments and `exec`.
fn script_programs(script: &str) -> impl Iterator<Item = &str> {
    script
        .split([';', '&', '|', '\n'])
        .filter_map(|command| {
            command
                .split_whitespace()
                .find(|w| *w != "exec" && !w.contains('='))
        })
        .filter(|w| w.starts_with('/') && w.len() > 1)
}

/// Whether `path` is `dir` or lies below it.
fn is_under(path: &str, dir: &str) -> bool {
    let dir = dir.trim_end_matches('/');
    if dir.is_empty() {
        return true;
    }
    path == dir
        || path
            .strip_prefix(dir)
            .is_some_and(|rest| rest.starts_with('/'))
}

fn check(cx: &Context<'_>) -> Vec<Finding> {
    let td = match cx.task_definition() {
        Ok(td) => td,
        Err(m) => return vec![cx.unknown(&RULE, &m)],
    };
    let efs_volumes: Vec<&str> = cx.efs_volumes().iter().map(|v| v.name).collect();
    let mut out = Vec::new();
    for container in &td.container_definitions {
        let paths = executed_paths(&container.entry_point, &container.command);
        if paths.is_empty() {
            // The image's own ENTRYPOINT/CMD is not in the task definition: nothing to compare.
            continue;
        }
        for mp in &container.mount_points {
            let (Some(volume), Some(dir)) =
                (mp.source_volume.as_deref(), mp.container_path.as_deref())
            else {
                continue;
            };
            if !efs_volumes.contains(&volume) {
                continue;
            }
            match paths.iter().find(|p| is_under(p, dir)) {
                Some(hidden) => out.push(
                    cx.broken(&RULE)
                        .volume(volume)
                        .resource(container.name.clone())
                        .message_with(|| format!(
                            "Container '{}' mounts EFS volume '{volume}' at {dir}, which hides the image's files there, but it runs {hidden}; unless the file system holds that file, the container fails to start with 'no such file or directory'.",
                            container.name
                        ))
                        .fix(format!(
                            "Mount volume '{volume}' of container '{}' at a path that does not contain {hidden} (for example a data directory below it), or put the program on the file system first.",
                            container.name
                        )),
                ),
                None => out.push(cx.pass(&RULE).volume(volume).resource(container.name.clone()).message_with(|| format!(
                    "Container '{}' mounts EFS volume '{volume}' at {dir}, apart from what it runs ({}).",
                    container.name,
                    paths.join(", ")
                ))),
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{executed_paths, is_under};

    fn v(items: &[&str]) -> Vec<String> {
        items.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn paths_from_argv_and_shell_scripts() {
        assert_eq!(
            executed_paths(&v(&["/opt/app/run.sh"]), &v(&["--flag"])),
            vec!["/opt/app/run.sh"]
        );
        assert_eq!(
            executed_paths(&[], &v(&["/usr/bin/app", "/data"])),
            vec!["/usr/bin/app"]
        );
        assert_eq!(
            executed_paths(
                &v(&["sh", "-c"]),
                &v(&["cd /srv && /opt/app/bin/start --port 80"])
            ),
            vec!["/opt/app/bin/start"]
        );
        assert_eq!(
            executed_paths(
                &v(&["sh", "-c"]),
                &v(&["A=1 exec /bin/app; /opt/x/y | /usr/bin/tee /log"])
            ),
            vec!["/bin/app", "/opt/x/y", "/usr/bin/tee"]
        );
        assert!(executed_paths(&v(&["python", "app.py"]), &[]).is_empty());
    }

    #[test]
    fn under() {
        assert!(is_under("/opt/app/run.sh", "/opt/app"));
        assert!(is_under("/opt/app/run.sh", "/opt/app/"));
        assert!(!is_under("/opt/application/run.sh", "/opt/app"));
        assert!(is_under("/anything", "/"));
    }
}
