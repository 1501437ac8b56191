//! Command-line types (clap derive). Parsing only: no I/O and no decisions here; `app` turns these
//! into plain requests (`source::Request`, `report::OutputOptions`) and runs the pipeline. No
//! module below the command layer imports this one.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

pub mod generate;

/// Will this ECS task on Fargate be able to mount its Amazon EFS volumes?
///
/// Reads AWS state (live, or a saved snapshot), joins task definitions, services, subnets,
/// security groups, network ACLs, VPC DNS, mount targets, access points and IAM policies, and
/// reports every cause of an EFS mount failure with a fix.
#[derive(Debug, Parser)]
#[command(name = "efs-preflight", version, about, long_about = None)]
#[command(
    after_help = "Exit codes: 0 no finding at or above --fail-on; 1 findings at or above --fail-on; \
2 usage error or invalid input; 3 AWS could not be read."
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Collect (live) or load (--snapshot) state, run the rules, report.
    Check(Box<CheckArgs>),
    /// Collect live state and write it as a snapshot file, nothing else.
    Snapshot(SnapshotArgs),
    /// Map a stoppedReason, service event or mount error text to the rules that explain it.
    Explain(ExplainArgs),
    /// List the rules, or print one rule's page.
    Rules(RulesArgs),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish).
    Completions(CompletionsArgs),
    /// Print the manual page (roff: `efs-preflight manpage | man -l -`), or write one page per
    /// command into a directory.
    Manpage(ManpageArgs),
    /// Serve the Model Context Protocol on stdio (tools: check, explain, rules; read-only).
    #[cfg(feature = "mcp")]
    Mcp,
}

/// Which services to look at.
#[derive(Debug, Args, Clone, Default)]
pub struct ScopeArgs {
    /// ECS cluster name or ARN (repeatable). Alone: every service in it with an EFS volume.
    #[arg(long = "cluster", value_name = "NAME")]
    pub clusters: Vec<String>,
    /// ECS service name or ARN (repeatable; with --cluster).
    #[arg(long = "service", value_name = "NAME")]
    pub services: Vec<String>,
    /// ECS task id or ARN (repeatable; with --cluster): check the placement the task actually
    /// had, typically the stopped task whose reason you are looking at.
    #[arg(long = "task", value_name = "ID|ARN", conflicts_with = "services")]
    pub tasks: Vec<String>,
}

/// Which estates (accounts x Regions).
#[derive(Debug, Args, Clone, Default)]
pub struct EstateArgs {
    /// Accounts to check (comma-separated ids, or `org`: every ACTIVE account of the AWS
    /// Organization). With --snapshot: the estates of a multi-estate snapshot to use.
    #[arg(long, value_name = "ID,ID|org", value_delimiter = ',')]
    pub accounts: Vec<String>,
    /// Regions to check (comma-separated, or `all`: those enabled for each account). With
    /// --snapshot: the estates of a multi-estate snapshot to use.
    #[arg(long, value_name = "REGION,REGION|all", value_delimiter = ',')]
    pub regions: Vec<String>,
    /// Live: the IAM role to assume in every account other than the caller's
    /// (arn:PARTITION:iam::ACCOUNT:role/NAME, session name `efs-preflight`).
    #[arg(long, value_name = "NAME")]
    pub role_name: Option<String>,
    /// Live, several estates: how many accounts x Regions to read at once [default: 8].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: Option<u16>,
    /// Live: read only the accounts x Regions where this AWS Config aggregator shows ECS
    /// services on task definitions with EFS volumes (one advanced query, run with the
    /// credentials and --region that hold the aggregator); --accounts ID,ID and --regions R,R
    /// narrow that list.
    #[arg(long, value_name = "config:AGGREGATOR")]
    pub discover: Option<String>,
}

/// How to reach AWS.
#[derive(Debug, Args, Clone, Default)]
pub struct AwsArgs {
    /// AWS Region (default: from the environment / config files).
    #[arg(long, value_name = "REGION")]
    pub region: Option<String>,
    /// Named profile from the AWS config files.
    #[arg(long, value_name = "NAME")]
    pub profile: Option<String>,
    /// Endpoint URL for every AWS service (moto, LocalStack).
    #[arg(long, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// Print nothing on stderr but errors.
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print each AWS call on stderr.
    #[arg(short, long)]
    pub verbose: bool,
}

/// Output format of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum Format {
    /// A table for terminals.
    #[default]
    Table,
    /// JSON, schema 1.
    Json,
    /// SARIF 2.1.0 for code scanning.
    Sarif,
    /// JUnit XML for CI test reports.
    Junit,
    /// Markdown for pull-request comments.
    Markdown,
}

/// Lowest status that makes the exit code 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum FailOn {
    /// `fail` findings.
    #[default]
    Error,
    /// `fail` or `warn` findings.
    Warning,
    /// `fail`, `warn` or `unknown` findings.
    Unknown,
}

impl From<Format> for crate::report::Format {
    fn from(f: Format) -> Self {
        match f {
            Format::Table => Self::Table,
            Format::Json => Self::Json,
            Format::Sarif => Self::Sarif,
            Format::Junit => Self::Junit,
            Format::Markdown => Self::Markdown,
        }
    }
}

impl From<FailOn> for crate::report::FailOn {
    fn from(f: FailOn) -> Self {
        match f {
            FailOn::Error => Self::Error,
            FailOn::Warning => Self::Warning,
            FailOn::Unknown => Self::Unknown,
        }
    }
}

/// When to colour the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ColorWhen {
    /// Only on a terminal, and when `NO_COLOR` is unset.
    #[default]
    Auto,
    /// Always, even into a pipe or a file.
    Always,
    /// Never.
    Never,
}

/// `completions` options.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

/// `manpage` options.
#[derive(Debug, Args)]
pub struct ManpageArgs {
    /// Write efs-preflight.1 and one page per command (efs-preflight-check.1 ...) into DIR.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

impl From<ColorWhen> for crate::report::terminal::ColorChoice {
    fn from(c: ColorWhen) -> Self {
        match c {
            ColorWhen::Auto => Self::Auto,
            ColorWhen::Always => Self::Always,
            ColorWhen::Never => Self::Never,
        }
    }
}

/// `check` options.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Check a saved snapshot instead of live AWS (no credentials needed).
    #[arg(long, value_name = "FILE")]
    pub snapshot: Option<PathBuf>,
    /// Which services.
    #[command(flatten)]
    pub scope: ScopeArgs,
    /// Pre-deploy: a task definition JSON not registered yet (register-task-definition input or
    /// describe-task-definition output).
    #[arg(long, value_name = "FILE")]
    pub task_definition: Option<PathBuf>,
    /// Pre-deploy: task subnets (comma-separated).
    #[arg(long, value_name = "ID,ID", value_delimiter = ',')]
    pub subnets: Vec<String>,
    /// Pre-deploy: task security groups (comma-separated; none = the VPC default group).
    #[arg(long, value_name = "ID,ID", value_delimiter = ',')]
    pub security_groups: Vec<String>,
    /// Pre-deploy: Fargate platform version.
    #[arg(long, value_name = "VERSION")]
    pub platform_version: Option<String>,
    /// Pre-deploy: launch type.
    #[arg(long, value_name = "TYPE")]
    pub launch_type: Option<String>,
    /// Pre-deploy: a Terraform plan as JSON (`terraform show -json PLAN`).
    #[arg(long, value_name = "FILE")]
    pub terraform_plan: Option<PathBuf>,
    /// Pre-deploy: a CloudFormation template (JSON or YAML, e.g. `cdk synth` output).
    #[arg(long, value_name = "FILE")]
    pub cloudformation: Option<PathBuf>,
    /// CloudFormation parameters: a JSON file (`[{"ParameterKey":..,"ParameterValue":..}]` or
    /// `{"Key": "Value"}`) or `Key=Value` pairs (repeatable).
    #[arg(long, value_name = "FILE|KEY=VALUE")]
    pub parameters: Vec<String>,
    /// How to reach AWS (live mode).
    #[command(flatten)]
    pub aws: AwsArgs,
    /// Which accounts and Regions.
    #[command(flatten)]
    pub estates: EstateArgs,
    /// Output format [default: table, or `format` of the config file].
    #[arg(long, value_enum)]
    pub format: Option<Format>,
    /// Write the report to FILE instead of stdout (`-` for stdout); the summary line then goes
    /// to stderr.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// When to colour the table.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto)]
    pub color: ColorWhen,
    /// Lowest status that makes the exit code 1 [default: error, or `fail_on` of the config
    /// file].
    #[arg(long, value_enum)]
    pub fail_on: Option<FailOn>,
    /// Also show passing checks in table and markdown output (JSON always has them).
    #[arg(long)]
    pub show_passed: bool,
    /// Also write a picture of each non-passing target's path (every target's with
    /// --show-passed): Graphviz DOT for FILE.dot, a Mermaid flowchart for FILE.mmd.
    #[arg(long, value_name = "FILE", value_parser = graph_file)]
    pub graph: Option<PathBuf>,
    /// Run only this rule (id or name; repeatable or comma-separated).
    #[arg(long = "rule", value_name = "ID")]
    pub rules: Vec<String>,
    /// Skip this rule (id or name; repeatable or comma-separated).
    #[arg(long = "skip-rule", value_name = "ID")]
    pub skip_rules: Vec<String>,
    /// Config file: suppressions with reasons and flag defaults [default: .efs-preflight.toml
    /// in the working directory, when present].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Suppress the findings recorded in this baseline file (written by --write-baseline).
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Write the fingerprints of every current non-passing finding to FILE as a baseline.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
}

/// A `--graph` file: its extension chooses the picture format.
fn graph_file(value: &str) -> Result<PathBuf, String> {
    let path = PathBuf::from(value);
    crate::picture::PictureFormat::from_path(&path).map_err(|e| e.to_string())?;
    Ok(path)
}

/// `snapshot` options.
#[derive(Debug, Args)]
pub struct SnapshotArgs {
    /// Where to write the snapshot (`-` for stdout) [default with --resume: the resumed FILE].
    #[arg(
        short = 'o',
        long = "output",
        value_name = "FILE",
        required_unless_present = "resume"
    )]
    pub output: Option<PathBuf>,
    /// Complete a multi-estate snapshot whose collection was interrupted: read only the estates
    /// it lists as pending, with the role and scope it records.
    #[arg(long, value_name = "FILE")]
    pub resume: Option<PathBuf>,
    /// Which services.
    #[command(flatten)]
    pub scope: ScopeArgs,
    /// How to reach AWS.
    #[command(flatten)]
    pub aws: AwsArgs,
    /// Which accounts and Regions.
    #[command(flatten)]
    pub estates: EstateArgs,
}

/// Output format of `explain`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum, Default)]
pub enum ExplainFormat {
    /// A table.
    #[default]
    Table,
    /// JSON, schema 1.
    Json,
}

/// `explain` options.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The error text (a stoppedReason, service event or mount.nfs4 message), or `-` to read it
    /// from stdin.
    #[arg(value_name = "TEXT|-")]
    pub text: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ExplainFormat::Table)]
    pub format: ExplainFormat,
    /// Cluster to put in the suggested `check` commands.
    #[arg(long, value_name = "NAME")]
    pub cluster: Option<String>,
    /// Service to put in the suggested `check` commands.
    #[arg(long, value_name = "NAME")]
    pub service: Option<String>,
    /// Read the text from this task's stoppedReason (live, with --cluster).
    #[arg(
        long,
        value_name = "ID|ARN",
        requires = "cluster",
        conflicts_with = "text"
    )]
    pub task: Option<String>,
    /// How to reach AWS (with --task).
    #[command(flatten)]
    pub aws: AwsArgs,
}

/// `rules` options.
#[derive(Debug, Args)]
pub struct RulesArgs {
    /// A rule id (e.g. NET001) or name to print its page.
    #[arg(value_name = "ID")]
    pub id: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_consistent() {
        Cli::command().debug_assert();
    }
}
