//! Fan-out: one collection over many estates (accounts x Regions) into one multi-estate
//! snapshot (`Snapshot::estates`).
//!
//! The caller's credentials are checked once (`sts:GetCallerIdentity`: the only failure that
//! stops the run, as for a single estate). The estates come from one place, [`Plan`]: either the
//! product of accounts (listed, or the Organization's ACTIVE accounts from
//! `organizations:ListAccounts`) and Regions (listed, or those enabled for each account from
//! `ec2:DescribeRegions`), or a list of estates given as it is (a resumed snapshot's pending
//! estates, or any other index of where to look). In every account other than the caller's the
//! role `--role-name` is assumed (`sts:AssumeRole`, session name `efs-preflight`); the first
//! credentials are used at once and the SDK's assume-role provider refreshes them when they
//! expire.
//!
//! Failure isolation: a role that cannot be assumed, a Region that is not enabled, a service
//! control policy that denies every call leaves an estate with its gaps and no section ("nothing
//! read"), never an error of the run. Bounds: at most `estates_in_flight` estates are read at
//! once, and the requests of one account share one bound (AWS throttles per account and
//! Region; IAM, a global service, per account). Every request goes through the SDK's standard
//! retries.
//!
//! Progress goes to stderr (one line per estate read, then a total) unless quiet. With
//! `stop_on_signal`, SIGINT or SIGTERM stops the run: estates not finished are dropped and
//! listed in `incomplete.pending` of the snapshot handed to `save`, which the caller writes.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime};

use aws_config::sts::AssumeRoleProvider;
use aws_config::{Region, SdkConfig};
use aws_credential_types::provider::{future, ProvideCredentials, SharedCredentialsProvider};
use aws_credential_types::Credentials;
use aws_smithy_types::date_time::Format;
use futures::stream::{self, StreamExt};
use tokio::sync::Semaphore;

use super::record::{Answer, Recorder};
use super::{
    caller_identity, check_credentials, connect, load_config, read_estate, tool_name, CallOutcome,
    CallRecord, Caller, CollectError, CollectOptions, Progress,
};
use crate::snapshot::{EstateId, Gap, Incomplete, Snapshot, SNAPSHOT_VERSION};

/// The session name of every assumed role: it says in CloudTrail what made the calls.
pub const SESSION_NAME: &str = "efs-preflight";

/// Which accounts to read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Accounts {
    /// The caller's account only.
    Caller,
    /// These account ids.
    Listed(Vec<String>),
    /// Every ACTIVE account of the caller's Organization (`organizations:ListAccounts`).
    Organization,
}

/// Which Regions to read in each account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Regions {
    /// The configured Region (`--region`, the environment or the profile).
    Home,
    /// These Regions.
    Listed(Vec<String>),
    /// The Regions enabled for the account (`ec2:DescribeRegions`).
    Enabled,
}

/// Where the estates to read come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Plan {
    /// Every account x every Region.
    Matrix {
        /// The accounts.
        accounts: Accounts,
        /// The Regions of each account.
        regions: Regions,
    },
    /// These estates, as they are (a resumed snapshot's pending estates, an index).
    Estates(Vec<EstateId>),
    /// The estates an AWS Config aggregator shows with ECS services on task definitions with EFS
    /// volumes, and those it cannot settle ([`super::discover_estates`]), narrowed to `accounts`
    /// and `regions` when given.
    Discover {
        /// The aggregator's name (in the account and Region of the credentials).
        aggregator: String,
        /// Only these accounts (`None`: every account the aggregator shows).
        accounts: Option<Vec<String>>,
        /// Only these Regions (`None`: every Region the aggregator shows).
        regions: Option<Vec<String>>,
    },
}

/// A fan-out collection.
#[derive(Debug, Clone)]
pub struct FanOutOptions {
    /// How to reach AWS, the scope read in every estate, the bound on requests in flight per
    /// account, and the progress wanted.
    pub collect: CollectOptions,
    /// The estates.
    pub plan: Plan,
    /// The role to assume in every account other than the caller's.
    pub role_name: Option<String>,
    /// How many estates may be read at once (at least 1).
    pub estates_in_flight: usize,
    /// A snapshot written by an interrupted run: its estates are kept, not read again, and its
    /// `collected_at` is kept.
    pub resume: Option<Snapshot>,
    /// Stop on SIGINT or SIGTERM (Ctrl-C on Windows) and hand what was read to `save`.
    pub stop_on_signal: bool,
}

/// The signal that stopped a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Interrupt {
    /// SIGINT (Ctrl-C).
    Interrupt,
    /// SIGTERM.
    Terminate,
}

impl Interrupt {
    /// The exit code a shell gives a process killed by the signal: 128 + its number (130 for
    /// SIGINT, 143 for SIGTERM).
    pub fn exit_code(self) -> u8 {
        match self {
            Self::Interrupt => 130,
            Self::Terminate => 143,
        }
    }

    /// The signal's name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Interrupt => "SIGINT",
            Self::Terminate => "SIGTERM",
        }
    }
}

/// What a fan-out read.
#[derive(Debug)]
pub struct FannedOut {
    /// The multi-estate snapshot, sorted by account and Region; `incomplete` is set when the
    /// run was interrupted.
    pub snapshot: Snapshot,
    /// Every call of this run (the caller's identity, the Organization, each account, each
    /// estate).
    pub calls: Vec<CallRecord>,
    /// The signal that stopped the run, if one did.
    pub interrupted: Option<Interrupt>,
}

/// Writes a snapshot of the run so far (called after estates finish, at most about once a
/// second, and always at the end).
pub type Save<'a> = dyn FnMut(&Snapshot) -> std::io::Result<()> + 'a;

/// Reads every estate of the plan. Blocking: runs its own Tokio runtime.
pub fn collect_estates(
    opts: &FanOutOptions,
    save: &mut Save<'_>,
) -> Result<FannedOut, CollectError> {
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(CollectError::Usage(
            "collect_estates() blocks and cannot run inside an async runtime; call it from a plain thread"
                .to_owned(),
        ));
    }
    if !opts.collect.tasks.is_empty() {
        return Err(CollectError::Usage(
            "--task names a task of one account and Region; it cannot be read over several estates"
                .to_owned(),
        ));
    }
    if !opts.collect.services.is_empty() && opts.collect.clusters.is_empty() {
        return Err(CollectError::Usage(
            "--service needs --cluster: name the cluster(s) the service runs in".to_owned(),
        ));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| CollectError::Runtime(e.to_string()))?;
    runtime.block_on(run(opts, save))
}

/// One account as the run reaches it.
struct Account {
    /// Its SDK configuration (the caller's, or the assumed role's); `None` when the role could
    /// not be assumed.
    config: Option<SdkConfig>,
    /// Gaps of the account (the role, the Regions), copied into each of its estates.
    gaps: Vec<Gap>,
    /// The Regions enabled for it, when they were asked for and could be read.
    enabled_regions: Option<Vec<String>>,
    /// Its requests in flight.
    in_flight: Arc<Semaphore>,
}

#[allow(clippy::too_many_lines)]
async fn run(opts: &FanOutOptions, save: &mut Save<'_>) -> Result<FannedOut, CollectError> {
    // Signal handlers first, so that a signal during the planning stops the run cleanly too.
    let mut signal = std::pin::pin!(stop_signal(opts.stop_on_signal));
    let copts = opts.collect.clone();
    let http_client = connect::prepare(&copts).await?;
    let mut base = load_config(&copts, http_client).await;
    if base.region().is_none() {
        // Without a configured Region the first Region asked for is the home Region (STS,
        // Organizations, DescribeRegions).
        let first = match &opts.plan {
            Plan::Matrix {
                regions: Regions::Listed(r),
                ..
            } => r.first().cloned(),
            Plan::Estates(e) => e.first().map(|e| e.region.clone()),
            Plan::Matrix { .. } | Plan::Discover { .. } => None,
        };
        if let Some(first) = first {
            base = base.to_builder().region(Region::new(first)).build();
        }
    }
    let home = base
        .region()
        .map(ToString::to_string)
        .ok_or(CollectError::NoRegion)?;
    check_credentials(&base, &copts).await?;

    let started = Instant::now();
    let quiet = copts.progress == Progress::Quiet;
    let estate_progress = if copts.progress == Progress::Verbose {
        Progress::Verbose
    } else {
        Progress::Quiet
    };
    let run_rec = Recorder::new(estate_progress, copts.concurrency);
    let collected_at = opts
        .resume
        .as_ref()
        .and_then(|r| r.collected_at.clone())
        .or_else(|| {
            aws_smithy_types::DateTime::from(SystemTime::now())
                .fmt(Format::DateTime)
                .ok()
        });
    let caller = caller_identity(&base, &run_rec, &copts, &home).await?;

    // The estates given as a list (resumed, or from an index of where to look); `None` for
    // accounts x Regions. Another source of such a list is one more arm here.
    let listed: Option<Vec<EstateId>> = match &opts.plan {
        Plan::Estates(list) => Some(list.clone()),
        Plan::Discover {
            aggregator,
            accounts,
            regions,
        } => Some(
            discovered(
                &base,
                aggregator,
                accounts.as_deref(),
                regions.as_deref(),
                quiet,
            )
            .await?,
        ),
        Plan::Matrix { .. } => None,
    };
    // The accounts.
    let account_ids: Vec<String> = match (&listed, &opts.plan) {
        (Some(list), _) => unique(list.iter().map(|e| e.account_id.clone())),
        (None, Plan::Matrix { accounts, .. }) => match accounts {
            Accounts::Caller => vec![caller.account.clone()],
            Accounts::Listed(ids) => unique(ids.iter().cloned()),
            Accounts::Organization => organization_accounts(&base, &run_rec).await?,
        },
        (None, Plan::Estates(_) | Plan::Discover { .. }) => Vec::new(),
    };
    let others: Vec<&str> = account_ids
        .iter()
        .map(String::as_str)
        .filter(|a| *a != caller.account)
        .collect();
    if opts.role_name.is_none() && !others.is_empty() {
        return Err(CollectError::Usage(format!(
            "reading account{} {} needs a role to assume there (the credentials are of account {}): give --role-name NAME (README: Organisation-wide audit)",
            if others.len() == 1 { "" } else { "s" },
            others.join(", "),
            caller.account
        )));
    }
    let want_regions = listed.is_none()
        && matches!(
            opts.plan,
            Plan::Matrix {
                regions: Regions::Enabled,
                ..
            }
        );
    let opened: Vec<(String, (Account, Vec<CallRecord>))> = stream::iter(&account_ids)
        .map(|account| {
            let caller = &caller;
            let base = &base;
            async move {
                let opened = open_account(
                    base,
                    caller,
                    account,
                    opts.role_name.as_deref(),
                    want_regions,
                    estate_progress,
                    copts.concurrency,
                )
                .await;
                (account.clone(), opened)
            }
        })
        .buffer_unordered(opts.estates_in_flight.max(1))
        .collect()
        .await;
    let mut calls: Vec<CallRecord> = run_rec.finish().0;
    let mut accounts: BTreeMap<String, Account> = BTreeMap::new();
    for (id, (account, account_calls)) in opened {
        calls.extend(account_calls);
        accounts.insert(id, account);
    }

    // The estates.
    let estates: BTreeSet<EstateId> = match (listed, &opts.plan) {
        (Some(list), _) => list.into_iter().collect(),
        (None, Plan::Estates(_) | Plan::Discover { .. }) => BTreeSet::new(),
        (None, Plan::Matrix { regions, .. }) => account_ids
            .iter()
            .flat_map(|account| {
                let regions: Vec<String> = match regions {
                    Regions::Home => vec![home.clone()],
                    Regions::Listed(list) => list.clone(),
                    Regions::Enabled => accounts
                        .get(account)
                        .and_then(|a| a.enabled_regions.clone())
                        .unwrap_or_else(|| vec![home.clone()]),
                };
                regions.into_iter().map(move |region| EstateId {
                    account_id: account.clone(),
                    region,
                })
            })
            .collect(),
    };
    let mut done: BTreeMap<EstateId, Snapshot> = BTreeMap::new();
    if let Some(resumed) = &opts.resume {
        for estate in &resumed.estates {
            if let (Some(account_id), Some(region)) = (&estate.account_id, &estate.region) {
                let id = EstateId {
                    account_id: account_id.clone(),
                    region: region.clone(),
                };
                done.insert(id, estate.clone());
            }
        }
    }
    let mut pending: BTreeSet<EstateId> = estates
        .iter()
        .filter(|e| !done.contains_key(*e))
        .cloned()
        .collect();
    let total = done.len() + pending.len();
    let incomplete = |pending: &BTreeSet<EstateId>| Incomplete {
        pending: pending.iter().cloned().collect(),
        role_name: opts.role_name.clone(),
        clusters: copts.clusters.clone(),
        services: copts.services.clone(),
    };
    let assemble = |done: &BTreeMap<EstateId, Snapshot>, incomplete: Option<Incomplete>| Snapshot {
        efs_preflight_snapshot: Some(SNAPSHOT_VERSION),
        collected_at: collected_at.clone(),
        tool: Some(tool_name()),
        estates: done.values().cloned().collect(),
        incomplete,
        ..Snapshot::default()
    };

    let todo: Vec<EstateId> = pending.iter().cloned().collect();
    let mut reads = stream::iter(todo)
        .map(|id| {
            let account = accounts.get(&id.account_id);
            let copts = &copts;
            async move {
                let (estate, estate_calls) = read_one(&id, account, copts, estate_progress).await;
                (id, estate, estate_calls)
            }
        })
        .buffer_unordered(opts.estates_in_flight.max(1));
    let mut interrupted = None;
    let mut last_save: Option<Instant> = None;
    loop {
        let next = tokio::select! {
            biased;
            sig = &mut signal => {
                interrupted = Some(sig);
                break;
            }
            next = reads.next() => next,
        };
        let Some((id, estate, estate_calls)) = next else {
            break;
        };
        pending.remove(&id);
        if !quiet {
            let failed = estate_calls.iter().filter(|c| !c.outcome.is_ok()).count();
            eprintln!(
                "efs-preflight: [{}/{total}] {id}: {} call{}, {} gap{}{}",
                total - pending.len(),
                estate_calls.len(),
                plural(estate_calls.len()),
                estate.gaps.len(),
                plural(estate.gaps.len()),
                if nothing_read(&estate) {
                    " (nothing read)"
                } else if failed > 0 {
                    " (partly read)"
                } else {
                    ""
                }
            );
        }
        calls.extend(estate_calls);
        done.insert(id, estate);
        let due = last_save.is_none_or(|t| t.elapsed() >= Duration::from_secs(1));
        if !pending.is_empty() && due {
            save(&assemble(&done, Some(incomplete(&pending))))
                .map_err(|e| CollectError::Output(e.to_string()))?;
            last_save = Some(Instant::now());
        }
    }
    drop(reads);
    let snapshot = assemble(&done, (!pending.is_empty()).then(|| incomplete(&pending)));
    save(&snapshot).map_err(|e| CollectError::Output(e.to_string()))?;
    if !quiet {
        let not_read = done.values().filter(|e| nothing_read(e)).count();
        let gaps: usize = done.values().map(|e| e.gaps.len()).sum();
        let line = match interrupted {
            Some(sig) => format!(
                "stopped by {}: {} of {total} estates read, {} left for `snapshot --resume`",
                sig.name(),
                done.len(),
                pending.len()
            ),
            None => format!("{total} estates read"),
        };
        eprintln!(
            "efs-preflight: {line} in {:.1} s ({not_read} with nothing read): {} calls, {gaps} gaps",
            started.elapsed().as_secs_f64(),
            calls.len()
        );
    }
    Ok(FannedOut {
        snapshot,
        calls,
        interrupted,
    })
}

/// Whether an estate holds nothing but gaps (no section was read).
fn nothing_read(estate: &Snapshot) -> bool {
    estate.ec2.vpcs.is_none()
        && estate.ec2.subnets.is_none()
        && estate.ecs.services.is_none()
        && estate.ecs.account_settings.is_none()
        && estate.efs.file_systems.is_none()
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn unique(items: impl Iterator<Item = String>) -> Vec<String> {
    let mut seen = BTreeSet::new();
    items
        .filter(|i| !i.is_empty() && seen.insert(i.clone()))
        .collect()
}

/// Resolves on SIGINT or SIGTERM when asked to, else never. The handlers are installed at
/// once, not when the future is first polled: a signal that arrives meanwhile is kept.
fn stop_signal(enabled: bool) -> impl std::future::Future<Output = Interrupt> {
    #[cfg(unix)]
    let handlers = {
        use tokio::signal::unix::{signal, SignalKind};
        if enabled {
            signal(SignalKind::interrupt())
                .and_then(|int| Ok((int, signal(SignalKind::terminate())?)))
                .ok()
        } else {
            None
        }
    };
    async move {
        #[cfg(unix)]
        {
            match handlers {
                Some((mut int, mut term)) => tokio::select! {
                    _ = int.recv() => Interrupt::Interrupt,
                    _ = term.recv() => Interrupt::Terminate,
                },
                // Not asked for, or no handler could be installed: the default action (end
                // the process) stays.
                None => std::future::pending().await,
            }
        }
        #[cfg(not(unix))]
        {
            if enabled && tokio::signal::ctrl_c().await.is_ok() {
                Interrupt::Interrupt
            } else {
                std::future::pending().await
            }
        }
    }
}

/// The Organization's ACTIVE accounts, in the order AWS lists them.
async fn organizations_list(config: &SdkConfig, rec: &Recorder) -> Answer<Vec<(String, bool)>> {
    let org = aws_sdk_organizations::Client::new(config);
    rec.items(
        "organizations:ListAccounts",
        None,
        &[],
        org.list_accounts().into_paginator().send(),
        |page| page.accounts(),
        |account| {
            // `State` replaces `Status`, which AWS retires on 9 September 2026; an answer
            // with only `Status` is read too.
            // <https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_accounts_account_state.html>
            #[allow(deprecated)]
            let active = match (account.state(), account.status()) {
                (Some(state), _) => state.as_str() == "ACTIVE",
                (None, Some(status)) => status.as_str() == "ACTIVE",
                (None, None) => false,
            };
            Some((account.id()?.to_owned(), active))
        },
    )
    .await
}

/// The estates an AWS Config aggregator points at (those with ECS services on EFS task
/// definitions, and those it cannot settle), narrowed to `accounts` and `regions`. A query that
/// fails stops the run: without it the run does not know where to look.
async fn discovered(
    base: &SdkConfig,
    aggregator: &str,
    accounts: Option<&[String]>,
    regions: Option<&[String]>,
    quiet: bool,
) -> Result<Vec<EstateId>, CollectError> {
    let found = super::discover_estates(base, aggregator)
        .await
        .map_err(|e| CollectError::Discover(e.to_string()))?;
    let wanted = |id: &EstateId| {
        accounts.is_none_or(|a| a.contains(&id.account_id))
            && regions.is_none_or(|r| r.contains(&id.region))
    };
    let estates: BTreeSet<EstateId> = found
        .estates
        .iter()
        .map(|e| (&e.account_id, &e.region))
        .chain(found.undecided.iter().map(|u| (&u.account_id, &u.region)))
        .map(|(account_id, region)| EstateId {
            account_id: account_id.clone(),
            region: region.clone(),
        })
        .filter(wanted)
        .collect();
    if !quiet {
        eprintln!(
            "AWS Config aggregator {aggregator}: {} estate{} with ECS services on EFS task definitions, {} Config cannot settle (read too), {} row{} in {} page{}{}; reading {} estate{}",
            found.estates.len(),
            plural(found.estates.len()),
            found.undecided.len(),
            found.rows,
            plural(found.rows),
            found.pages,
            plural(found.pages),
            if found.unreadable.is_empty() {
                String::new()
            } else {
                format!(", {} unreadable", found.unreadable.len())
            },
            estates.len(),
            plural(estates.len()),
        );
    }
    Ok(estates.into_iter().collect())
}

async fn organization_accounts(
    config: &SdkConfig,
    rec: &Recorder,
) -> Result<Vec<String>, CollectError> {
    match organizations_list(config, rec).await {
        Answer::Found(accounts) => Ok(unique(
            accounts
                .into_iter()
                .filter(|(_, active)| *active)
                .map(|(id, _)| id),
        )),
        Answer::Absent | Answer::Failed => {
            let (calls, _) = rec.finish();
            let code = calls
                .iter()
                .rev()
                .find_map(|c| match &c.outcome {
                    CallOutcome::Failed(code) => Some(code.clone()),
                    _ => None,
                })
                .unwrap_or_else(|| "no answer".to_owned());
            Err(CollectError::Organization { code })
        }
    }
}

/// Reaches one account: the caller's own configuration, or the role assumed there; and, when
/// asked, the Regions enabled for it.
async fn open_account(
    base: &SdkConfig,
    caller: &Caller,
    account: &str,
    role_name: Option<&str>,
    want_regions: bool,
    progress: Progress,
    concurrency: usize,
) -> (Account, Vec<CallRecord>) {
    let in_flight = Arc::new(Semaphore::new(concurrency.max(1)));
    let rec = Recorder::sharing(progress, in_flight.clone());
    let config = if account == caller.account {
        Some(base.clone())
    } else if let Some(role_name) = role_name {
        assume_role(base, &rec, &caller.partition, account, role_name).await
    } else {
        None
    };
    let enabled_regions = match (&config, want_regions) {
        (Some(config), true) => enabled_regions(config, &rec).await,
        _ => None,
    };
    let (calls, gaps) = rec.finish();
    (
        Account {
            config,
            gaps,
            enabled_regions,
            in_flight,
        },
        calls,
    )
}

/// `sts:AssumeRole` into `account`; the configuration that uses the role's credentials (the
/// first ones at once, fresh ones from the SDK's assume-role provider when they expire).
async fn assume_role(
    base: &SdkConfig,
    rec: &Recorder,
    partition: &str,
    account: &str,
    role_name: &str,
) -> Option<SdkConfig> {
    let role_arn = format!("arn:{partition}:iam::{account}:role/{role_name}");
    let sts = aws_sdk_sts::Client::new(base);
    let answer = rec
        .call(
            "sts:AssumeRole",
            Some(role_arn.clone()),
            &[],
            sts.assume_role()
                .role_arn(&role_arn)
                .role_session_name(SESSION_NAME)
                .send(),
        )
        .await;
    let first = answer.found()?.credentials().map(|c| {
        Credentials::new(
            c.access_key_id(),
            c.secret_access_key(),
            Some(c.session_token().to_owned()),
            SystemTime::try_from(*c.expiration()).ok(),
            "efs-preflight-assume-role",
        )
    })?;
    let refresh = AssumeRoleProvider::builder(role_arn)
        .session_name(SESSION_NAME)
        .configure(base)
        .build()
        .await;
    let provider = AssumedRole {
        first: Mutex::new(Some(first)),
        refresh,
    };
    Some(
        base.to_builder()
            .credentials_provider(SharedCredentialsProvider::new(provider))
            .build(),
    )
}

/// The credentials of an assumed role: those of the first `AssumeRole`, then the assume-role
/// provider's (the SDK's identity cache asks again only when they are about to expire).
#[derive(Debug)]
struct AssumedRole {
    first: Mutex<Option<Credentials>>,
    refresh: AssumeRoleProvider,
}

impl ProvideCredentials for AssumedRole {
    fn provide_credentials<'a>(&'a self) -> future::ProvideCredentials<'a>
    where
        Self: 'a,
    {
        let first = self
            .first
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        match first {
            Some(credentials) => future::ProvideCredentials::ready(Ok(credentials)),
            None => self.refresh.provide_credentials(),
        }
    }
}

/// The Regions enabled for the account (`ec2:DescribeRegions` without `AllRegions` lists those
/// that need no opt-in and those opted in), sorted.
/// <https://docs.aws.amazon.com/AWSEC2/latest/APIReference/API_DescribeRegions.html>
async fn enabled_regions(config: &SdkConfig, rec: &Recorder) -> Option<Vec<String>> {
    let ec2 = aws_sdk_ec2::Client::new(config);
    let answer = rec
        .call(
            "ec2:DescribeRegions",
            None,
            &[],
            ec2.describe_regions().send(),
        )
        .await;
    let out = answer.found()?;
    let mut regions: Vec<String> = out
        .regions()
        .iter()
        .filter(|r| {
            r.opt_in_status()
                .is_none_or(|s| s == "opt-in-not-required" || s == "opted-in")
        })
        .filter_map(|r| r.region_name().map(str::to_owned))
        .collect();
    regions.sort();
    regions.dedup();
    Some(regions)
}

/// Reads one estate. An account that could not be reached gives the estate its gaps and no
/// section; so does an estate where every call failed (a Region not enabled, every call
/// denied).
async fn read_one(
    id: &EstateId,
    account: Option<&Account>,
    opts: &CollectOptions,
    progress: Progress,
) -> (Snapshot, Vec<CallRecord>) {
    let bare = |gaps: Vec<Gap>| Snapshot {
        account_id: Some(id.account_id.clone()),
        region: Some(id.region.clone()),
        gaps,
        ..Snapshot::default()
    };
    let Some(account) = account else {
        return (bare(Vec::new()), Vec::new());
    };
    let mut gaps = account.gaps.clone();
    let Some(config) = &account.config else {
        return (bare(gaps), Vec::new());
    };
    let config = config
        .to_builder()
        .region(Region::new(id.region.clone()))
        .build();
    let rec = Recorder::sharing(progress, account.in_flight.clone());
    let cx = super::Ctx::new(&config, rec.clone(), opts.concurrency);
    let mut estate = read_estate(&cx, opts, &id.region).await;
    let (calls, mut estate_gaps) = rec.finish();
    // Calls finish in any order; a stable order makes equal runs write equal files.
    estate_gaps
        .sort_by(|a, b| (&a.call, &a.resource, &a.error).cmp(&(&b.call, &b.resource, &b.error)));
    gaps.extend(estate_gaps);
    if !calls.is_empty() && calls.iter().all(|c| !c.outcome.is_ok()) {
        return (bare(gaps), calls);
    }
    estate.account_id = Some(id.account_id.clone());
    estate.region = Some(id.region.clone());
    estate.gaps = gaps;
    (estate, calls)
}
