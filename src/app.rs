//! The application layer: validates the command line, runs the pipeline
//! (load or collect -> graph -> targets -> rules -> report) and returns the exit code.
//! Together with `main.rs` it is the only place that prints or chooses exit codes.

use std::fmt::Write as _;
use std::io::{IsTerminal, Write};
use std::path::Path;

use anyhow::{bail, Context as _, Result};

use crate::cli::{CheckArgs, Cli, Command, FailOn, Format, RulesArgs, SnapshotArgs};
use crate::config::{self, Config};
use crate::graph::{Graph, List};
use crate::iac;
use crate::predeploy::{self, PreDeploy};
use crate::report::{self, Coverage, Report, SourceInfo, TargetInfo};
use crate::rules::{self, Selection};
use crate::snapshot::{self, Snapshot};
use crate::suppress::{self, Baseline};
use crate::target::{self, Scope, Target};

/// Exit code: no finding at or above `--fail-on`.
pub const EXIT_OK: u8 = 0;
/// Exit code: findings at or above `--fail-on`.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: usage error or invalid input.
pub const EXIT_USAGE: u8 = 2;
/// Exit code: AWS could not be read at all.
pub const EXIT_AWS: u8 = 3;

/// An error that maps to exit code 3 (AWS unreadable).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct AwsUnreadable(pub String);

/// Runs one command; returns the exit code. Errors are mapped by `main` (exit 2, or 3 for
/// [`AwsUnreadable`]).
pub fn run(cli: Cli) -> Result<u8> {
    match cli.command {
        Command::Check(mut args) => {
            let config = load_config(&mut args)?;
            check(&args, config.as_ref())
        }
        Command::Snapshot(args) => snapshot_cmd(&args),
        Command::Explain(args) => crate::explain::run(&args),
        Command::Rules(args) => rules_cmd(&args),
        #[cfg(feature = "mcp")]
        Command::Mcp => {
            crate::mcp::serve()?;
            Ok(EXIT_OK)
        }
    }
}

fn rules_cmd(args: &RulesArgs) -> Result<u8> {
    let mut out = String::new();
    match &args.id {
        Some(id) => {
            let Some(rule) = rules::find(id) else {
                bail!("unknown rule `{id}` (run `efs-preflight rules` for the list)");
            };
            out.push_str(rule.doc);
            if !out.ends_with('\n') {
                out.push('\n');
            }
        }
        None => {
            let mut table = comfy_table::Table::new();
            table
                .load_style(comfy_table::presets::NOTHING)
                .set_header(vec!["id", "name", "severity", "summary"]);
            for r in rules::ALL {
                table.add_row(vec![r.id, r.name, r.severity.as_str(), r.summary]);
            }
            out.push_str(&table.to_string());
            out.push_str("\n\nPrint a rule's page with: efs-preflight rules <ID>\n");
        }
    }
    write_output(None, &out)?;
    Ok(EXIT_OK)
}

/// Loads or collects the state a `check` needs.
fn load_state(args: &CheckArgs, pre: Option<&PreDeploy>) -> Result<(Snapshot, SourceInfo)> {
    if let Some(path) = &args.snapshot {
        if args.aws.endpoint_url.is_some() || args.aws.profile.is_some() {
            bail!("--snapshot reads a saved file; --endpoint-url and --profile only apply to live collection");
        }
        let snap = snapshot::load(path)?;
        let source = SourceInfo {
            kind: "snapshot".to_owned(),
            region: snap.region.clone(),
            account_id: snap.account_id.clone(),
            file: Some(path.display().to_string()),
        };
        return Ok((snap, source));
    }
    let snap = crate::live::collect_for_check(args, pre)?;
    let source = SourceInfo {
        kind: "live".to_owned(),
        region: snap.region.clone(),
        account_id: snap.account_id.clone(),
        file: None,
    };
    Ok((snap, source))
}

fn check(args: &CheckArgs, config: Option<&Config>) -> Result<u8> {
    let selection = Selection::new(&args.rules, &args.skip_rules)?;
    if args.terraform_plan.is_some() || args.cloudformation.is_some() {
        return check_iac(args, &selection, config);
    }
    if !args.parameters.is_empty() {
        bail!("--parameters gives the parameters of --cloudformation; give the template too");
    }
    let pre = predeploy::from_args(args)?;
    let (snap, mut source) = load_state(args, pre.as_ref())?;
    // The snapshot and the report live until the process exits, which frees them at once;
    // dropping an account's worth of objects one by one costs a sixth of a large check.
    let snap = std::mem::ManuallyDrop::new(snap);
    if let Some(pre) = &pre {
        source.file = Some(pre.file.clone());
        if args.snapshot.is_none() {
            "live".clone_into(&mut source.kind);
        }
    }
    let graph = Graph::build(&snap);
    let scope = Scope {
        clusters: args.scope.clusters.clone(),
        services: args.scope.services.clone(),
    };
    let targets: Vec<Target<'_>> = match &pre {
        Some(pre) => vec![pre.target(&graph, &scope)?],
        None => target::select_services(&graph, &scope)?,
    };
    let findings = rules::run(&graph, &targets, &selection);
    let checked = pre.as_ref().map(|_| {
        format!(
            "task definition {}",
            targets.first().map_or("", |t| t.name.as_str())
        )
    });
    let mut report = std::mem::ManuallyDrop::new(Report {
        tool: report::tool_name(),
        source,
        targets: targets.iter().map(TargetInfo::from_target).collect(),
        findings,
        rules: selection.rules(),
        coverage: coverage(&graph, &targets, &selection, checked),
    });
    finish(args, &mut report, targets.is_empty(), config)
}

/// Renders a report in the chosen format, writes it, and returns the exit code.
fn finish(
    args: &CheckArgs,
    report: &mut Report,
    no_targets: bool,
    config: Option<&Config>,
) -> Result<u8> {
    suppress_findings(args, report, config)?;
    let report = &*report;
    let (format, fail_on) = (
        args.format.unwrap_or_default(),
        args.fail_on.unwrap_or_default(),
    );
    if no_targets && !matches!(format, Format::Json) {
        eprintln!("efs-preflight: no ECS service with an EFS volume in scope");
    }
    let color = args.output.is_none()
        && std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none();
    let rendered = match format {
        Format::Table => report::table::render(
            report,
            report::table::TableOptions {
                show_passed: args.show_passed,
                color,
                width: if args.output.is_none() {
                    stdout_width()
                } else {
                    None
                },
            },
        ),
        Format::Json => {
            // Streamed: an audit's JSON report, every passing check included, runs to hundreds
            // of megabytes.
            write_streamed(args.output.as_deref(), |out| {
                report::json::write(report, out)
            })?;
            return Ok(exit_code(report, fail_on));
        }
        Format::Sarif => report::sarif::render(report, args.show_passed),
        Format::Junit => report::junit::render(report, fail_on)?,
        Format::Markdown => report::markdown::render(report, args.show_passed),
    };
    write_output(args.output.as_deref(), &rendered)?;
    Ok(exit_code(report, fail_on))
}

// --- Infrastructure-as-code input (--terraform-plan / --cloudformation) ---

/// `check` on a Terraform plan or CloudFormation template: the base state (snapshot or live)
/// with the input merged over it, the input's services and lone task definitions as targets.
fn check_iac(args: &CheckArgs, selection: &Selection, config: Option<&Config>) -> Result<u8> {
    if args.task_definition.is_some() {
        bail!("--task-definition cannot be combined with --terraform-plan or --cloudformation: the task definitions come from the plan or template");
    }
    if args.terraform_plan.is_some() && args.cloudformation.is_some() {
        bail!("give one of --terraform-plan and --cloudformation");
    }
    if !args.parameters.is_empty() && args.cloudformation.is_none() {
        bail!("--parameters gives the parameters of --cloudformation; a Terraform plan holds its variables");
    }
    predeploy::check_launch_type(args.launch_type.as_deref())?;
    if args.scope.services.len() > 1 || args.scope.clusters.len() > 1 {
        bail!("with --terraform-plan or --cloudformation, --cluster and --service place the task definitions no service runs: give at most one of each");
    }
    if !args.scope.services.is_empty() && args.scope.clusters.is_empty() {
        bail!("--service needs --cluster");
    }
    let (mut snap, mut source) = load_state(args, None)?;
    let mut input = match (&args.terraform_plan, &args.cloudformation) {
        (Some(plan), _) => iac::load_terraform(plan, &snap)?,
        (None, Some(template)) => iac::load_cloudformation(template, &args.parameters, &snap)?,
        (None, None) => bail!("no --terraform-plan or --cloudformation given"),
    };
    match input.front {
        iac::Front::Terraform => "terraform-plan",
        iac::Front::CloudFormation => "cloudformation",
    }
    .clone_into(&mut source.kind);
    source.file = Some(input.file.clone());
    std::mem::take(&mut input.overlay).apply(&mut snap, input.front);
    let placement = iac::PreDeployPlacement {
        subnets: args.subnets.clone(),
        security_groups: args.security_groups.clone(),
        platform_version: args.platform_version.clone(),
        launch_type: args.launch_type.clone(),
    };
    let lone = input.lone_task_definitions(&snap, &placement);
    let placed_by_flags = !args.subnets.is_empty()
        || !args.security_groups.is_empty()
        || args.platform_version.is_some()
        || args.launch_type.is_some()
        || !args.scope.services.is_empty();
    if placed_by_flags && lone.is_empty() {
        bail!("--subnets, --security-groups, --platform-version, --launch-type, --cluster and --service place task definitions that no service runs; {} has none", input.file);
    }
    let scope = Scope {
        clusters: args.scope.clusters.clone(),
        services: args.scope.services.clone(),
    };
    let graph = Graph::build(&snap);
    let services = input.service_targets(&graph);
    let mut targets: Vec<Target<'_>> = Vec::new();
    for declared in &input.targets {
        if let Some((_, t)) = services.iter().find(|(d, _)| d == declared) {
            targets.push(t.clone());
        } else if let Some((_, pre)) = lone.iter().find(|(d, _)| d == declared) {
            targets.push(pre.target(&graph, &scope)?);
        }
    }
    let mut findings = rules::run(&graph, &targets, selection);
    let origins: Vec<Option<String>> = targets.iter().map(|t| t.origin.clone()).collect();
    iac::fixes::annotate(&input, &origins, &mut findings);
    let mut infos: Vec<TargetInfo> = targets.iter().map(TargetInfo::from_target).collect();
    for info in &mut infos {
        info.origin_line = info.origin.as_deref().and_then(|o| input.line_of_origin(o));
    }
    let services_n = targets
        .iter()
        .filter(|t| t.kind == crate::target::TargetKind::Service)
        .count();
    let lone_n = targets.len() - services_n;
    let checked = format!(
        "{services_n} service{} and {lone_n} task definition{} from {}",
        plural(services_n),
        plural(lone_n),
        input.file
    );
    let mut report = Report {
        tool: report::tool_name(),
        source,
        targets: infos,
        findings,
        rules: selection.rules(),
        coverage: coverage(&graph, &targets, selection, Some(checked)),
    };
    finish(args, &mut report, targets.is_empty(), config)
}

/// The width to wrap tables to: the terminal's (`COLUMNS`, else 160) when stdout is one, else
/// none (lines stay whole).
pub fn stdout_width() -> Option<u16> {
    if !std::io::stdout().is_terminal() {
        return None;
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .or(Some(160))
}

/// Exit 1 when a finding is at or above the threshold.
pub fn exit_code(report: &Report, fail_on: FailOn) -> u8 {
    if report
        .findings
        .iter()
        .any(|f| f.suppressed.is_none() && report::trips(f.status, fail_on))
    {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

fn coverage(
    graph: &Graph<'_>,
    targets: &[Target<'_>],
    selection: &Selection,
    checked: Option<String>,
) -> Coverage {
    let pre = checked.is_some();
    let mut c = Coverage::default();
    let volumes: usize = targets
        .iter()
        .map(|t| match &t.task_definition {
            Ok(td) => td
                .volumes
                .iter()
                .filter(|v| v.efs_volume_configuration.is_some())
                .count(),
            Err(_) => 0,
        })
        .sum();
    let mut clusters: Vec<&str> = targets
        .iter()
        .filter_map(|t| t.cluster.as_deref())
        .collect();
    clusters.sort_unstable();
    clusters.dedup();
    if let Some(checked) = checked {
        c.checked.push(checked);
    } else {
        c.checked.push(format!(
            "{} service{} in {} cluster{}",
            targets.len(),
            plural(targets.len()),
            clusters.len(),
            plural(clusters.len())
        ));
    }
    c.checked
        .push(format!("{volumes} EFS volume{}", plural(volumes)));
    let ran = selection.rules().len();
    c.checked
        .push(format!("{ran} of {} rules", rules::ALL.len()));
    if !pre {
        let checked: std::collections::HashSet<(&str, Option<&str>)> = targets
            .iter()
            .map(|t| (t.name.as_str(), t.arn.as_deref()))
            .collect();
        let skipped = graph
            .services()
            .filter(|s| !checked.contains(&(s.service_name.as_str(), s.service_arn.as_deref())))
            .count();
        if skipped > 0 {
            c.not_checked.push(format!(
                "{skipped} service{} out of scope or without EFS volumes",
                plural(skipped)
            ));
        }
    }
    let mut explained = Vec::new();
    for list in List::ALL {
        if list == List::Services || graph.require(list).is_ok() {
            continue;
        }
        let gaps = graph.gaps_for(list, None);
        explained.extend(gaps.iter().map(|g| std::ptr::from_ref(*g)));
        c.not_checked.push(format!(
            "{} (not collected{})",
            list.path(),
            gaps.iter().fold(String::new(), |mut acc, g| {
                let _ = write!(acc, ": {} {}", g.call, g.error);
                acc
            })
        ));
    }
    for gap in &graph.snapshot().gaps {
        if explained.contains(&std::ptr::from_ref(gap)) {
            continue;
        }
        c.not_checked.push(format!(
            "{}{} ({})",
            gap.call,
            gap.resource
                .as_deref()
                .map(|r| format!(" on {r}"))
                .unwrap_or_default(),
            gap.error
        ));
    }
    c.not_checked.push(
        "service control policies, resource control policies and session policies (not visible from the account)".to_owned(),
    );
    c.not_checked
        .push("whether rootDirectory paths exist (needs a mount)".to_owned());
    c.not_checked
        .push("KMS key state of encrypted file systems".to_owned());
    c
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn snapshot_cmd(args: &SnapshotArgs) -> Result<u8> {
    let snap = crate::live::collect_for_snapshot(args)?;
    let text = snapshot::to_json_redacted(&snap) + "\n";
    let target = if args.output == Path::new("-") {
        None
    } else {
        Some(args.output.as_path())
    };
    write_output(target, &text)?;
    if let Some(p) = target {
        if !args.aws.quiet {
            eprintln!("efs-preflight: wrote {}", p.display());
        }
    }
    Ok(EXIT_OK)
}

/// Streams output to a file or stdout, buffered.
pub fn write_streamed(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    match path {
        Some(p) => {
            let file = std::fs::File::create(p)
                .with_context(|| format!("cannot write {}", p.display()))?;
            let mut out = std::io::BufWriter::new(file);
            write(&mut out)
                .and_then(|()| out.flush())
                .with_context(|| format!("cannot write {}", p.display()))
        }
        None => {
            // stdout alone flushes at every line.
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            write(&mut out)?;
            out.flush()?;
            Ok(())
        }
    }
}

/// Writes text to a file or stdout.
pub fn write_output(path: Option<&Path>, text: &str) -> Result<()> {
    match path {
        Some(p) => std::fs::write(p, text).with_context(|| format!("cannot write {}", p.display())),
        None => {
            let mut stdout = std::io::stdout().lock();
            stdout.write_all(text.as_bytes())?;
            stdout.flush()?;
            Ok(())
        }
    }
}

// --- Config file, suppressions and baselines ---

/// Loads the config file (`--config`, else `.efs-preflight.toml` in the working directory) and
/// fills the flags the command line left unset.
fn load_config(args: &mut CheckArgs) -> Result<Option<Config>> {
    let Some(path) = config::locate(args.config.as_deref(), Path::new(".")) else {
        return Ok(None);
    };
    let config = config::load(&path)?;
    config.defaults.fill(args);
    Ok(Some(config))
}

/// Writes `--write-baseline`, then marks the findings that the config file or `--baseline`
/// accepts; says on stderr which config entries expired and which baseline entries are stale.
fn suppress_findings(args: &CheckArgs, report: &mut Report, config: Option<&Config>) -> Result<()> {
    let quiet = args.aws.quiet;
    if let Some(path) = &args.write_baseline {
        let baseline = Baseline::of(report);
        write_atomically(path, &baseline.to_json())?;
        if !quiet {
            eprintln!(
                "efs-preflight: wrote {} ({} finding{})",
                path.display(),
                baseline.findings.len(),
                plural(baseline.findings.len())
            );
        }
    }
    let baseline = args
        .baseline
        .as_deref()
        .map(suppress::load_baseline)
        .transpose()?;
    let outcome = suppress::apply(report, config, baseline.as_ref(), config::Date::today());
    if quiet {
        return Ok(());
    }
    if let Some(config) = config {
        for entry in &outcome.expired {
            eprintln!(
                "efs-preflight: {}:{}: the suppression of {}{}{} expired on {} and no longer applies ({})",
                config.path,
                entry.line,
                entry.rule.id,
                entry.target.as_deref().map(|t| format!(" on {t}")).unwrap_or_default(),
                entry.resource.as_deref().map(|r| format!(" for {r}")).unwrap_or_default(),
                entry.expires.map(|d| d.to_string()).unwrap_or_default(),
                entry.reason
            );
        }
    }
    if let (Some(path), false) = (&args.baseline, outcome.stale.is_empty()) {
        eprintln!(
            "efs-preflight: {}: {} stale baseline entr{} (no finding of this run matches: fixed, or out of scope):",
            path.display(),
            outcome.stale.len(),
            if outcome.stale.len() == 1 { "y" } else { "ies" }
        );
        for fp in &outcome.stale {
            eprintln!("  {fp}");
        }
    }
    Ok(())
}

/// Writes a file through a temporary file in the same directory, renamed into place.
fn write_atomically(path: &Path, text: &str) -> Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map_or_else(|| "baseline".into(), |n| n.to_string_lossy().into_owned());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    std::fs::write(&tmp, text).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))
}
