//! The command layer: turns the parsed command line into plain requests, runs them, writes
//! the output and returns the exit code. With `main.rs` it is the only place that knows the
//! command line, prints, or chooses exit codes.
//!
//! `check` is one pipeline whatever the way in (`crate::pipeline`): the arguments become a
//! [`source::Request`] and [`OutputOptions`], [`source::open`] picks the source, and the finished
//! report goes to the writer of the chosen format.

use std::io::{IsTerminal, Read, Write};
use std::path::Path;

use anyhow::{bail, Context as _, Result};
use clap::ValueEnum as _;
use serde_json::json;

use crate::cli::{
    AwsArgs, CheckArgs, Cli, Command, EstateArgs, ExplainArgs, ExplainFormat, RulesArgs,
    SnapshotArgs,
};
use crate::config::{self, Config};
use crate::explain;
use crate::picture::{EstateView, PathList, PictureFormat, Pictures};
use crate::pipeline::{self, Checked};
use crate::predeploy::PlacementFlags;
use crate::report::{self, FailOn, Format, OutputOptions, Report};
use crate::rules::{self, Selection, SkipPassMessages};
use crate::snapshot::{self, EstateFilter};
use crate::source::{self, live, Input, LiveOptions, Request, SourceError, State};
use crate::suppress::{self, Baseline};
use crate::target::Scope;

/// Exit code: no finding at or above `--fail-on`.
pub const EXIT_OK: u8 = 0;
/// Exit code: findings at or above `--fail-on`.
pub const EXIT_FINDINGS: u8 = 1;
/// Exit code: usage error or invalid input.
pub const EXIT_USAGE: u8 = 2;
/// Exit code: AWS could not be read at all.
pub const EXIT_AWS: u8 = 3;

/// Runs one command; returns the exit code. Errors are mapped by [`error_exit_code`].
pub fn run(cli: Cli) -> Result<u8> {
    match cli.command {
        Command::Check(mut args) => {
            let config = load_config(&mut args)?;
            check(&args, config.as_ref())
        }
        Command::Snapshot(args) => snapshot_cmd(&args),
        Command::Explain(args) => explain_cmd(&args),
        Command::Rules(args) => rules_cmd(&args),
        Command::Completions(_) | Command::Manpage(_) => generated_cmd(&cli.command),
        #[cfg(feature = "mcp")]
        Command::Mcp => {
            crate::mcp::serve()?;
            Ok(EXIT_OK)
        }
    }
}

/// `completions` and `manpage`: text generated from the command-line definition.
fn generated_cmd(command: &Command) -> Result<u8> {
    use crate::cli::generate;
    match command {
        Command::Completions(args) => {
            let script = generate::completions(args.shell);
            write_output(None, &String::from_utf8_lossy(&script))?;
        }
        Command::Manpage(args) => match &args.dir {
            Some(dir) => {
                let files = generate::manpages_to(dir)
                    .with_context(|| format!("cannot write manual pages to {}", dir.display()))?;
                eprintln!(
                    "efs-preflight: wrote {} manual pages to {}",
                    files.len(),
                    dir.display()
                );
            }
            None => write_output(None, &String::from_utf8_lossy(&generate::manpage()?))?,
        },
        _ => {}
    }
    Ok(EXIT_OK)
}

/// The exit code of a failed command: 3 when AWS could not be read at all, else 2.
pub fn error_exit_code(err: &anyhow::Error) -> u8 {
    if err.chain().any(|e| {
        matches!(
            e.downcast_ref::<SourceError>(),
            Some(SourceError::AwsUnreadable(_))
        )
    }) {
        EXIT_AWS
    } else {
        EXIT_USAGE
    }
}

// --- check ---

fn check(args: &CheckArgs, config: Option<&Config>) -> Result<u8> {
    if let Some(hint) = args
        .output
        .as_deref()
        .and_then(report::terminal::output_looks_like_format)
    {
        bail!(hint);
    }
    let selection = Selection::new(&args.rules, &args.skip_rules)?;
    if let Some(template) = &args.cloudformation {
        let unset = source::typed_ids::check_cloudformation_parameters(template, &args.parameters)?;
        if !unset.is_empty() && !args.aws.quiet {
            eprintln!(
                "efs-preflight: {} declares {} without a default or a value ({}); the checks that need {} are unknown until you pass {}",
                template.display(),
                if unset.len() == 1 { "a parameter" } else { "parameters" },
                unset.join(", "),
                if unset.len() == 1 { "it" } else { "them" },
                unset.iter().map(|p| format!("--parameters {p}=VALUE")).collect::<Vec<_>>().join(" ")
            );
        }
    }
    let request = check_request(args)?;
    let output = output_options(args);
    let mut source = source::open(request)?;
    // A report that prints no passing finding needs no message for one; suppressions, the
    // baseline and the pictures keep every finding as it is.
    let _quiet_passes = (!output.show_passed
        && matches!(
            output.format,
            Format::Table | Format::Sarif | Format::Markdown
        )
        && config.is_none()
        && args.baseline.is_none()
        && args.write_baseline.is_none()
        && args.graph.is_none())
    .then(SkipPassMessages::new);
    pipeline::check(source.as_mut(), &selection, |checked: Checked<'_>| {
        if let Some(path) = &args.graph {
            let pictures =
                Pictures::build(checked.report, &estate_views(&checked), args.show_passed);
            write_output(
                Some(path),
                &pictures.render(PictureFormat::from_path(path)?),
            )?;
        }
        if config.is_none() && args.baseline.is_none() && args.write_baseline.is_none() {
            return finish(&output, &checked);
        }
        let mut report = checked.report.clone();
        suppress_findings(args, &mut report, config)?;
        finish(
            &output,
            &Checked {
                estates: checked.estates,
                report: &report,
            },
        )
    })
}

/// The command line of `check` as a plain request: where the state and the targets come from.
fn check_request(args: &CheckArgs) -> Result<Request> {
    let input = match (
        &args.task_definition,
        &args.terraform_plan,
        &args.cloudformation,
    ) {
        (Some(_), Some(_), _) | (Some(_), _, Some(_)) => {
            bail!("--task-definition cannot be combined with --terraform-plan or --cloudformation: the task definitions come from the plan or template")
        }
        (None, Some(_), Some(_)) => bail!("give one of --terraform-plan and --cloudformation"),
        (None, Some(_), None) | (None, None, Some(_)) if !args.scope.tasks.is_empty() => {
            bail!("--task checks where a task actually ran; it cannot be combined with --terraform-plan or --cloudformation")
        }
        (None, Some(plan), None) => {
            if !args.parameters.is_empty() {
                bail!("--parameters gives the parameters of --cloudformation; a Terraform plan holds its variables");
            }
            Input::TerraformPlan(plan.clone())
        }
        (None, None, Some(template)) => Input::CloudFormation {
            template: template.clone(),
            parameters: args.parameters.clone(),
        },
        (task_definition, None, None) => {
            if !args.parameters.is_empty() {
                bail!(
                    "--parameters gives the parameters of --cloudformation; give the template too"
                );
            }
            match task_definition {
                Some(_) if !args.scope.tasks.is_empty() => {
                    bail!("--task checks where a task actually ran; it cannot be combined with --task-definition")
                }
                Some(path) => Input::TaskDefinition(path.clone()),
                None if !args.scope.tasks.is_empty() => Input::Tasks(args.scope.tasks.clone()),
                None => Input::Services,
            }
        }
    };
    let mut estates = EstateFilter {
        accounts: args
            .estates
            .accounts
            .iter()
            .filter(|a| !a.is_empty() && a.as_str() != "org")
            .cloned()
            .collect(),
        regions: args
            .estates
            .regions
            .iter()
            .filter(|r| !r.is_empty() && r.as_str() != "all")
            .cloned()
            .collect(),
    };
    let state = match &args.snapshot {
        Some(path) => {
            if args.aws.endpoint_url.is_some() || args.aws.profile.is_some() {
                bail!("--snapshot reads a saved file; --endpoint-url and --profile only apply to live collection");
            }
            if args.estates.role_name.is_some()
                || args.estates.concurrency.is_some()
                || args.estates.discover.is_some()
            {
                bail!("--snapshot reads a saved file; --role-name, --concurrency and --discover only apply to live collection (--accounts and --regions select estates of the file)");
            }
            State::File(path.clone())
        }
        None => {
            let mut live = live_options(&args.aws);
            if let Some(fan_out) = fan_out(&args.estates)? {
                if !matches!(input, Input::Services) {
                    bail!("--task, --task-definition, --terraform-plan and --cloudformation are placed in one account and Region; drop --accounts, --role-name, --discover and --regions, or give one --regions value");
                }
                live.fan_out = Some(fan_out);
                estates = EstateFilter::default();
            } else if args.estates.concurrency.is_some() {
                bail!("--concurrency bounds how many accounts x Regions are read at once; give --accounts or several --regions too");
            }
            match estates.regions.as_slice() {
                _ if live.fan_out.is_some() => {}
                [] if args.estates.regions.is_empty() => {}
                [one] if live.region.as_deref().is_none_or(|r| r == one) => {
                    live.region = Some(one.clone());
                    estates.regions.clear();
                }
                _ => bail!("live collection reads one Region per run: give --region REGION (or one --regions value); --regions with several Regions selects estates of a multi-estate --snapshot"),
            }
            State::Live(live)
        }
    };
    Ok(Request {
        state,
        scope: scope(&args.scope),
        input,
        placement: PlacementFlags {
            subnets: args.subnets.clone(),
            security_groups: args.security_groups.clone(),
            platform_version: args.platform_version.clone(),
            launch_type: args.launch_type.clone(),
        },
        estates,
    })
}

fn scope(args: &crate::cli::ScopeArgs) -> Scope {
    Scope {
        clusters: args.clusters.clone(),
        services: args.services.clone(),
    }
}

fn live_options(aws: &AwsArgs) -> LiveOptions {
    LiveOptions {
        region: aws.region.clone(),
        profile: aws.profile.clone(),
        endpoint_url: aws.endpoint_url.clone(),
        quiet: aws.quiet,
        verbose: aws.verbose,
        fan_out: None,
    }
}

/// The live run over several estates the flags ask for, if they ask for more than one
/// account and Region: `--accounts` (ids or `org`), `--regions` with several Regions or `all`,
/// `--role-name` or `--discover`. One `--regions` value alone stays `--region`.
fn fan_out(args: &EstateArgs) -> Result<Option<live::FanOut>> {
    let discover = args
        .discover
        .as_deref()
        .map(live::discover_aggregator)
        .transpose()?;
    let accounts: Vec<&str> = args
        .accounts
        .iter()
        .map(|a| a.trim())
        .filter(|a| !a.is_empty())
        .collect();
    let regions: Vec<&str> = args
        .regions
        .iter()
        .map(|r| r.trim())
        .filter(|r| !r.is_empty())
        .collect();
    let accounts = match accounts.as_slice() {
        [] => live::AccountSet::Caller,
        ["org"] => live::AccountSet::Organization,
        ids => {
            if ids.contains(&"org") {
                bail!("--accounts org means every ACTIVE account of the Organization; give either `org` or account ids");
            }
            if let Some(bad) = ids
                .iter()
                .find(|id| id.len() != 12 || !id.bytes().all(|b| b.is_ascii_digit()))
            {
                bail!("--accounts: `{bad}` is not an AWS account id (12 digits)");
            }
            live::AccountSet::Listed(ids.iter().map(|&id| id.to_owned()).collect())
        }
    };
    let regions = match regions.as_slice() {
        [] => live::RegionSet::Home,
        ["all"] => live::RegionSet::Enabled,
        list => {
            if list.contains(&"all") {
                bail!("--regions all means every Region enabled for each account; give either `all` or Region codes");
            }
            live::RegionSet::Listed(list.iter().map(|&r| r.to_owned()).collect())
        }
    };
    let several = accounts != live::AccountSet::Caller
        || args.role_name.is_some()
        || discover.is_some()
        || match &regions {
            live::RegionSet::Home => false,
            live::RegionSet::Listed(list) => list.len() > 1,
            live::RegionSet::Enabled => true,
        };
    if !several {
        return Ok(None);
    }
    Ok(Some(live::FanOut {
        accounts,
        regions,
        role_name: args.role_name.clone(),
        concurrency: args.concurrency.map_or(8, usize::from),
        discover,
    }))
}

fn output_options(args: &CheckArgs) -> OutputOptions {
    OutputOptions {
        format: args.format.unwrap_or_default().into(),
        path: args.output.clone(),
        fail_on: args.fail_on.unwrap_or_default().into(),
        show_passed: args.show_passed,
        color: args.color.into(),
        quiet: args.aws.quiet,
    }
}

/// Each estate's graph and targets, with the report index of its first target, for the
/// pictures.
fn estate_views<'c>(checked: &'c Checked<'_>) -> Vec<EstateView<'c>> {
    checked
        .estates
        .iter()
        .map(|e| EstateView {
            graph: &e.graph,
            targets: &e.targets,
            first_target: e.first_target,
        })
        .collect()
}

/// Renders a report in the chosen format, writes it, and returns the exit code.
fn finish(output: &OutputOptions, checked: &Checked<'_>) -> Result<u8> {
    let report = checked.report;
    if report.targets.is_empty() && output.format != Format::Json {
        eprintln!("efs-preflight: no ECS service with an EFS volume in scope");
    }
    let path = report::terminal::output_path(output.path.as_deref());
    let color = report::terminal::use_color(output.color, path.is_none());
    let rendered = match output.format {
        Format::Table => report::table::render(
            report,
            report::table::TableOptions {
                show_passed: output.show_passed,
                color,
                width: if path.is_none() { stdout_width() } else { None },
            },
        ),
        Format::Json => {
            // Streamed: an audit's JSON report, every passing check included, runs to hundreds
            // of megabytes.
            write_streamed(path, |out| report::json::write(report, out))?;
            return Ok(after_report(output, report, path));
        }
        Format::Sarif => {
            write_streamed(path, |out| {
                report::sarif::write(report, output.show_passed, out)
            })?;
            return Ok(after_report(output, report, path));
        }
        Format::Junit => {
            // Streamed, as JSON: a test case per rule and target.
            write_streamed(path, |out| {
                report::junit::write(report, output.fail_on, out)
            })?;
            return Ok(after_report(output, report, path));
        }
        Format::Markdown => {
            // Only the flowcharts that fit in the comment are drawn.
            let pictures = PathList::new(report, &estate_views(checked), false);
            report::markdown::render_with_lazy_flowcharts(
                report,
                output.show_passed,
                output.fail_on,
                pictures.len(),
                |i| pictures.path_targets(i),
                |i| pictures.mermaid_of(i),
                |i| pictures.mermaid_len_at_least(i),
            )
        }
    };
    write_output(path, &rendered)?;
    Ok(after_report(output, report, path))
}

/// What a run says on stderr once the report is written (the summary when the report went to a
/// file, so that a CI log shows the outcome; how many checks were unknown), and the exit code.
fn after_report(output: &OutputOptions, report: &Report, path: Option<&Path>) -> u8 {
    if !output.quiet {
        if let Some(path) = path {
            eprintln!(
                "efs-preflight: {} (report in {})",
                report.summary_line(),
                path.display()
            );
        }
        if let Some(note) = report::terminal::unknown_note(report, output.fail_on) {
            eprintln!("efs-preflight: {note}");
        }
    }
    exit_code(report, output.fail_on)
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

/// The width to lay tables out for: `COLUMNS`, else the terminal's real width when stdout is
/// one, else none (a pipe or a file).
pub fn stdout_width() -> Option<u16> {
    report::terminal::stdout_width()
}

// --- snapshot ---

fn snapshot_cmd(args: &SnapshotArgs) -> Result<u8> {
    let Some(output) = args.output.as_ref().or(args.resume.as_ref()) else {
        bail!("give -o FILE: where to write the snapshot");
    };
    if let Some(hint) = report::terminal::output_looks_like_format(output) {
        bail!(hint);
    }
    let target = if output == Path::new("-") {
        None
    } else {
        Some(output.as_path())
    };
    let fan_out = fan_out(&args.estates)?;
    if fan_out.is_some() || args.resume.is_some() {
        return snapshot_estates(args, fan_out, target);
    }
    if args.estates.concurrency.is_some() {
        bail!("--concurrency bounds how many accounts x Regions are read at once; give --accounts or several --regions too");
    }
    let mut live = live_options(&args.aws);
    if let [one] = args.estates.regions.as_slice() {
        if live.region.as_deref().is_some_and(|r| r != one) {
            bail!(
                "--region {} and --regions {one} name different Regions; give one",
                live.region.as_deref().unwrap_or_default()
            );
        }
        live.region = Some(one.clone());
    }
    let seeds = live::Seeds {
        tasks: args.scope.tasks.clone(),
        ..live::Seeds::default()
    };
    let snap = live::collect(&live, &scope(&args.scope), &seeds)?;
    let text = snapshot::to_json_redacted(&snap) + "\n";
    write_output(target, &text)?;
    if let Some(p) = target {
        if !args.aws.quiet {
            eprintln!("efs-preflight: wrote {}", p.display());
        }
    }
    Ok(EXIT_OK)
}

/// `snapshot` over several estates, or `snapshot --resume`: the file is rewritten (atomically)
/// as estates finish, marked incomplete until the last one; SIGINT or SIGTERM leave it
/// resumable and exit 130 or 143.
fn snapshot_estates(
    args: &SnapshotArgs,
    fan_out: Option<live::FanOut>,
    target: Option<&Path>,
) -> Result<u8> {
    let resume = match &args.resume {
        Some(path) => {
            if fan_out.is_some()
                || !args.scope.clusters.is_empty()
                || !args.scope.services.is_empty()
                || !args.scope.tasks.is_empty()
            {
                bail!("--resume reads the estates, the role and the scope from {}; drop --accounts, --regions, --role-name, --discover, --cluster, --service and --task", path.display());
            }
            let snap = snapshot::load(path)?;
            if snap.incomplete.is_none() {
                if !args.aws.quiet {
                    eprintln!(
                        "efs-preflight: {} is complete: nothing to resume",
                        path.display()
                    );
                }
                return Ok(EXIT_OK);
            }
            Some(snap)
        }
        None => None,
    };
    let mut live = live_options(&args.aws);
    live.fan_out = fan_out.or_else(|| {
        args.estates.concurrency.map(|n| live::FanOut {
            accounts: live::AccountSet::Caller,
            regions: live::RegionSet::Home,
            role_name: None,
            concurrency: usize::from(n),
            discover: None,
        })
    });
    let mut save = |snap: &crate::snapshot::Snapshot| -> std::io::Result<()> {
        match target {
            Some(path) => report::file::write_atomically(path, |out| {
                out.write_all(snapshot::to_json_redacted(snap).as_bytes())?;
                out.write_all(b"\n")
            })
            .map_err(|e| {
                std::io::Error::new(e.kind(), format!("cannot write {}: {e}", path.display()))
            }),
            // stdout takes the final snapshot only.
            None => Ok(()),
        }
    };
    let done = live::collect_estates(&live, &scope(&args.scope), resume, &mut save)?;
    if target.is_none() {
        write_output(None, &(snapshot::to_json_redacted(&done.snapshot) + "\n"))?;
    }
    let shown = target.map_or_else(|| "-".to_owned(), |p| p.display().to_string());
    if let Some(code) = done.interrupted {
        eprintln!(
            "efs-preflight: interrupted; {} of the estates read are in {shown}; complete it with: efs-preflight snapshot --resume {shown}",
            done.snapshot.estates.len()
        );
        return Ok(code);
    }
    if let Some(p) = target {
        if !args.aws.quiet {
            eprintln!("efs-preflight: wrote {}", p.display());
        }
    }
    Ok(EXIT_OK)
}

// --- explain ---

fn explain_cmd(args: &ExplainArgs) -> Result<u8> {
    let stopped = match args.task.as_deref() {
        Some(task) => Some(source::tasks::stopped(
            &live_options(&args.aws),
            args.cluster.as_deref().unwrap_or_default(),
            task,
        )?),
        None => None,
    };
    let text = match args.text.as_deref() {
        _ if stopped.is_some() => stopped
            .as_ref()
            .map(|s| s.stopped_reason.clone())
            .unwrap_or_default(),
        Some("-") => read_stdin()?,
        Some(t) => t.to_owned(),
        None if !std::io::stdin().is_terminal() => read_stdin()?,
        None => bail!("give the error text as an argument, or `-` to read it from stdin"),
    };
    if text.trim().is_empty() {
        bail!("the error text is empty");
    }
    let patterns = explain::all_patterns();
    let found = explain::candidates(&patterns, &text);
    if found.is_empty() {
        eprintln!(
            "efs-preflight: no rule matches this text; paste the whole stoppedReason (aws ecs describe-tasks --cluster C --tasks ID --query 'tasks[0].stoppedReason'), or run `efs-preflight check` on the service"
        );
    }
    let check_command = |rule: &str| match args.task.as_deref() {
        Some(task) => format!(
            "efs-preflight check --cluster {} --task {task} --rule {rule}",
            args.cluster.as_deref().unwrap_or("CLUSTER"),
        ),
        None => format!(
            "efs-preflight check --cluster {} --service {} --rule {rule}",
            args.cluster.as_deref().unwrap_or("CLUSTER"),
            args.service.as_deref().unwrap_or("SERVICE")
        ),
    };
    let out = match args.format {
        ExplainFormat::Json => {
            let cands: Vec<_> = found
                .iter()
                .map(|c| {
                    json!({
                        "rule": c.pattern.rule.id,
                        "name": c.pattern.rule.name,
                        "why": c.pattern.why,
                        "pattern": c.pattern.source,
                        "weight": c.pattern.weight,
                        "check": check_command(c.pattern.rule.id),
                    })
                })
                .collect();
            let mut doc = json!({
                "schema": 1,
                "matched": found.first().map(|c| c.pattern.source.clone()),
                "candidates": cands,
            });
            if let Some(s) = &stopped {
                doc["task"] = json!({
                    "arn": s.arn,
                    "stop_code": s.stop_code,
                    "stopped_reason": s.stopped_reason,
                });
            }
            serde_json::to_string_pretty(&doc)? + "\n"
        }
        ExplainFormat::Table => {
            let head = stopped.as_ref().map_or_else(String::new, |s| {
                format!(
                    "Task {} stopped{}:\n  {}\n\n",
                    s.arn,
                    s.stop_code
                        .as_deref()
                        .map_or_else(String::new, |c| format!(" ({c})")),
                    s.stopped_reason
                )
            });
            head + &if found.is_empty() {
                "No matching rule.\n".to_owned()
            } else {
                let mut table =
                    report::table::new_table(&["#", "rule", "why", "check with"], stdout_width());
                for (i, c) in found.iter().enumerate() {
                    table.add_row(vec![
                        (i + 1).to_string(),
                        format!("{}\n{}", c.pattern.rule.id, c.pattern.rule.name),
                        c.pattern.why.clone(),
                        check_command(c.pattern.rule.id),
                    ]);
                }
                format!("{table}\n")
            }
        }
    };
    write_output(None, &out)?;
    Ok(EXIT_OK)
}

fn read_stdin() -> Result<String> {
    let mut s = String::new();
    std::io::stdin().read_to_string(&mut s)?;
    Ok(s)
}

// --- rules ---

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

// --- output ---

/// Streams output to a file or stdout, buffered.
pub fn write_streamed(
    path: Option<&Path>,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> Result<()> {
    match path {
        // Whole or not at all: an interrupted run leaves an earlier file intact.
        Some(p) => report::file::write_atomically(p, write)
            .with_context(|| format!("cannot write {}", p.display())),
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
        Some(p) => report::file::write_atomically(p, |out| out.write_all(text.as_bytes()))
            .with_context(|| format!("cannot write {}", p.display())),
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
/// fills the flags the command line left unset; an explicit live option (`--profile`,
/// `--endpoint-url`) keeps a configured `snapshot` from applying.
fn load_config(args: &mut CheckArgs) -> Result<Option<Config>> {
    let Some(path) = config::locate(args.config.as_deref(), Path::new(".")) else {
        return Ok(None);
    };
    let config = config::load(&path)?;
    let defaults = &config.defaults;
    if args.format.is_none() {
        args.format = defaults
            .format
            .as_deref()
            .and_then(|f| crate::cli::Format::from_str(f, true).ok());
    }
    if args.fail_on.is_none() {
        args.fail_on = defaults
            .fail_on
            .as_deref()
            .and_then(|f| crate::cli::FailOn::from_str(f, true).ok());
    }
    if args.rules.is_empty() {
        args.rules.clone_from(&defaults.rules);
    }
    if args.skip_rules.is_empty() {
        args.skip_rules.clone_from(&defaults.skip_rules);
    }
    let live_flags = args.aws.profile.is_some() || args.aws.endpoint_url.is_some();
    if args.snapshot.is_none() && !live_flags {
        args.snapshot.clone_from(&defaults.snapshot);
    }
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
            let n = baseline.findings.len();
            eprintln!(
                "efs-preflight: wrote {} ({n} finding{})",
                path.display(),
                if n == 1 { "" } else { "s" }
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
