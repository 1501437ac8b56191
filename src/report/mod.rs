//! Report writers. A [`Report`] is the finished result of a run (targets, findings, coverage);
//! each writer renders it to one format. Writers do no I/O beyond the `Write` they are given and
//! never decide exit codes.

pub mod file;
pub mod group;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod observed;
pub mod sarif;
pub mod table;
pub mod terminal;

use std::collections::BTreeSet;
use std::fmt::Write as _;

use crate::rules::{Finding, Rule, Status};
use crate::target::{Target, TargetKind};

/// Where the state came from.
#[derive(Debug, Clone, Default)]
pub struct SourceInfo {
    /// `snapshot`, `live`, `task-definition`, `terraform-plan`, `cloudformation`.
    pub kind: String,
    /// Region.
    pub region: Option<String>,
    /// Account.
    pub account_id: Option<String>,
    /// Input file, when there is one.
    pub file: Option<String>,
}

/// A target as reports show it.
#[derive(Debug, Clone)]
pub struct TargetInfo {
    /// Service or task definition.
    pub kind: TargetKind,
    /// Cluster name.
    pub cluster: Option<String>,
    /// Service name or family.
    pub name: String,
    /// ARN.
    pub arn: Option<String>,
    /// IaC address / file location, when the target came from a template or plan.
    pub origin: Option<String>,
    /// The line of the origin's address in its file (SARIF `region.startLine`).
    pub origin_line: Option<usize>,
    /// The account of the estate the target is in.
    pub account: Option<String>,
    /// The Region of the estate the target is in.
    pub region: Option<String>,
    /// Recent stopped tasks that failed to start, newest first; `None` when not looked at.
    pub observed: Option<Vec<crate::observed::ObservedFailure>>,
    /// For a task: the service that started it.
    pub service: Option<String>,
}

impl TargetInfo {
    /// Copies what reports need from a target.
    pub fn from_target(t: &Target<'_>) -> Self {
        Self {
            kind: t.kind,
            cluster: t.cluster.clone(),
            name: t.name.clone(),
            arn: t.arn.clone(),
            origin: t.origin.clone(),
            origin_line: None,
            account: None,
            region: None,
            observed: None,
            service: t.service.clone(),
        }
    }

    /// `cluster/name` or `name`.
    pub fn label(&self) -> String {
        match &self.cluster {
            Some(c) => format!("{c}/{}", self.name),
            None => self.name.clone(),
        }
    }
}

/// What was and was not checked.
#[derive(Debug, Clone, Default)]
pub struct Coverage {
    /// Things checked ("3 services in 2 clusters").
    pub checked: Vec<String>,
    /// Things not checked, each with the reason.
    pub not_checked: Vec<String>,
}

impl Coverage {
    /// The one-line form.
    pub fn line(&self) -> String {
        let mut s = format!("checked: {}", self.checked.join(", "));
        if !self.not_checked.is_empty() {
            s.push_str("; not checked: ");
            s.push_str(&self.not_checked.join("; "));
        }
        s
    }
}

/// Counts by status.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Summary {
    /// Targets checked.
    pub targets: usize,
    /// `fail` findings.
    pub fail: usize,
    /// `warn` findings.
    pub warn: usize,
    /// `unknown` findings.
    pub unknown: usize,
    /// `pass` findings.
    pub pass: usize,
    /// Non-passing findings accepted by the config file or the baseline (not counted above).
    pub suppressed: usize,
}

/// The result of one run.
#[derive(Debug, Clone)]
pub struct Report {
    /// Tool name and version.
    pub tool: String,
    /// Where the state came from.
    pub source: SourceInfo,
    /// Targets, indexed by `Finding::target`.
    pub targets: Vec<TargetInfo>,
    /// Findings in target, then rule order.
    pub findings: Vec<Finding>,
    /// The rules that ran.
    pub rules: Vec<&'static Rule>,
    /// Coverage.
    pub coverage: Coverage,
    /// The estates (accounts x Regions) of a run over several, in state order; empty for a run
    /// over one estate (the human formats then show no estate grouping).
    pub estates: Vec<EstateInfo>,
}

/// One estate (account x Region) of a run over several, as reports show it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EstateInfo {
    /// The account id, when recorded.
    pub account: Option<String>,
    /// The Region, when recorded.
    pub region: Option<String>,
    /// Its targets: indices into [`Report::targets`].
    pub targets: std::ops::Range<usize>,
    /// Why nothing of the estate could be read (the calls that failed and their errors), when
    /// nothing could.
    pub nothing_read: Option<String>,
}

impl EstateInfo {
    /// `ACCOUNT / REGION` (`?` where not recorded), the heading of the estate's findings.
    pub fn heading(&self) -> String {
        format!(
            "{} / {}",
            self.account.as_deref().unwrap_or("?"),
            self.region.as_deref().unwrap_or("?")
        )
    }
}

impl Report {
    /// Counts findings by status; suppressed findings are counted apart.
    pub fn summary(&self) -> Summary {
        let mut s = Summary {
            targets: self.targets.len(),
            ..Summary::default()
        };
        for f in &self.findings {
            if f.suppressed.is_some() {
                s.suppressed += 1;
                continue;
            }
            match f.status {
                Status::Fail => s.fail += 1,
                Status::Warn => s.warn += 1,
                Status::Unknown => s.unknown += 1,
                Status::Pass => s.pass += 1,
            }
        }
        s
    }

    /// Counts by status of each estate of [`Report::estates`], in the same order.
    pub fn estate_summaries(&self) -> Vec<Summary> {
        let mut out: Vec<Summary> = self
            .estates
            .iter()
            .map(|e| Summary {
                targets: e.targets.len(),
                ..Summary::default()
            })
            .collect();
        // Target index -> estate index; findings are counted in one pass.
        let mut estate_of = vec![usize::MAX; self.targets.len()];
        for (i, e) in self.estates.iter().enumerate() {
            for t in e.targets.clone() {
                if let Some(slot) = estate_of.get_mut(t) {
                    *slot = i;
                }
            }
        }
        for f in &self.findings {
            let Some(s) = estate_of.get(f.target).and_then(|&i| out.get_mut(i)) else {
                continue;
            };
            if f.suppressed.is_some() {
                s.suppressed += 1;
                continue;
            }
            match f.status {
                Status::Fail => s.fail += 1,
                Status::Warn => s.warn += 1,
                Status::Unknown => s.unknown += 1,
                Status::Pass => s.pass += 1,
            }
        }
        out
    }

    /// The part of the report about one estate: its targets (indexed from 0) and their
    /// findings, with the report's tool, source and rules; no coverage and no estates.
    #[must_use]
    pub fn estate_view(&self, estate: &EstateInfo) -> Report {
        let first = estate.targets.start;
        let targets = self
            .targets
            .get(estate.targets.clone())
            .map(<[TargetInfo]>::to_vec)
            .unwrap_or_default();
        let findings = self
            .findings
            .iter()
            .filter(|f| estate.targets.contains(&f.target))
            .map(|f| Finding {
                target: f.target - first,
                ..f.clone()
            })
            .collect();
        Report {
            tool: self.tool.clone(),
            source: self.source.clone(),
            targets,
            findings,
            rules: self.rules.clone(),
            coverage: Coverage::default(),
            estates: Vec::new(),
        }
    }

    /// The target of a finding.
    pub fn target_of(&self, f: &Finding) -> Option<&TargetInfo> {
        self.targets.get(f.target)
    }

    /// The one-line summary: `2 targets: 3 fail, 1 warn, 0 unknown, 40 pass`, then
    /// `, 2 suppressed` when findings were accepted by the config file or the baseline.
    pub fn summary_line(&self) -> String {
        let s = self.summary();
        let mut line = format!(
            "{} target{}: {} fail, {} warn, {} unknown, {} pass",
            s.targets,
            if s.targets == 1 { "" } else { "s" },
            s.fail,
            s.warn,
            s.unknown,
            s.pass
        );
        if s.suppressed > 0 {
            let _ = write!(line, ", {} suppressed", s.suppressed);
        }
        line
    }

    /// Distinct rule ids that have non-passing findings, in registry order.
    pub fn failing_rule_ids(&self) -> BTreeSet<&'static str> {
        self.findings
            .iter()
            .filter(|f| f.status != Status::Pass && f.suppressed.is_none())
            .map(|f| f.rule.id)
            .collect()
    }
}

/// Lowest status that makes a run fail (exit code 1, a failed JUnit case): `--fail-on`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum FailOn {
    /// `fail` findings.
    #[default]
    Error,
    /// `fail` or `warn` findings.
    Warning,
    /// `fail`, `warn` or `unknown` findings.
    Unknown,
}

/// Output format of a check report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
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

/// How a report is rendered and where it goes.
#[derive(Debug, Clone, Default)]
pub struct OutputOptions {
    /// The format.
    pub format: Format,
    /// The file to write, or `None` for stdout.
    pub path: Option<std::path::PathBuf>,
    /// `--fail-on`.
    pub fail_on: FailOn,
    /// `--show-passed`.
    pub show_passed: bool,
    /// `--color`.
    pub color: terminal::ColorChoice,
    /// `--quiet`: nothing on stderr but errors.
    pub quiet: bool,
}

/// Whether a finding of this status is at or above `--fail-on` (makes the exit code 1, and a
/// JUnit case fail).
pub fn trips(status: Status, fail_on: FailOn) -> bool {
    match fail_on {
        FailOn::Error => status == Status::Fail,
        FailOn::Warning => matches!(status, Status::Fail | Status::Warn),
        FailOn::Unknown => status != Status::Pass,
    }
}

/// The tool string, `efs-preflight 0.1.0`.
pub fn tool_name() -> String {
    concat!("efs-preflight ", env!("CARGO_PKG_VERSION")).to_owned()
}

/// The demo scenario's report, read as if from `file`: the writers' byte-for-byte tests compare
/// their output with a serializer's on it.
#[cfg(test)]
pub(crate) fn demo_report(file: &str) -> Report {
    use crate::graph::Graph;
    use crate::rules::Selection;
    use crate::target::{self, Scope};
    let snap = crate::snapshot::from_str(include_str!("../../fixtures/scenarios/demo.json"), file)
        .expect("the demo scenario parses");
    let graph = Graph::build(&snap);
    let targets = target::select_services(&graph, &Scope::default()).expect("demo targets");
    let selection = Selection::default();
    Report {
        tool: tool_name(),
        source: SourceInfo {
            kind: "snapshot".into(),
            region: snap.region.clone(),
            account_id: snap.account_id.clone(),
            file: Some(file.into()),
        },
        targets: targets.iter().map(TargetInfo::from_target).collect(),
        findings: crate::rules::run(&graph, &targets, &selection),
        rules: selection.rules(),
        coverage: Coverage {
            checked: vec!["7 services in 2 clusters".into()],
            not_checked: vec!["KMS key state \"quoted\"\n\ttab é \u{1}".into()],
        },
        estates: Vec::new(),
    }
}
