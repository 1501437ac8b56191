//! Live collection: reads the AWS state a scope touches into a [`Snapshot`].
//!
//! This is the only module that talks to AWS (and the only one that imports `aws_sdk_*`). It
//! turns every SDK answer into the snapshot model at once (`ec2`, `ecs`, `efs`, `iam`), so
//! nothing after it sees an SDK type. It reads the scope first (ECS services and their task
//! definitions), then only what that scope references: subnets, security groups and the task
//! VPCs' network, file systems, access points and task roles. Calls run phase by phase, with
//! bounded concurrency, through the SDK's standard retry policy. Only read calls are made: the
//! full list is [`CALLS`].
//!
//! Failure model: if AWS cannot be read at all (no credentials, no region, endpoint unreachable,
//! credentials rejected by the first STS call) [`collect`] returns a [`CollectError`]; so it
//! does, as [`CollectError::Usage`], when the options or the environment name something that
//! cannot work (a profile that does not exist, an endpoint that is not a URL, an unreadable CA
//! bundle: see `connect`). Any
//! other failed call (denied, throttled after retries, server error) becomes a
//! [`Gap`](crate::snapshot::Gap) and collection goes on; the list it would have filled is left
//! partial, or `None` when nothing could be read.

mod config;
mod connect;
mod ec2;
mod ecs;
mod efs;
pub mod fanout;
mod iam;
mod kms;
mod record;
mod resolver;
mod route53;

use std::collections::BTreeSet;
use std::time::{Duration, Instant, SystemTime};

use aws_config::retry::RetryConfig;
use aws_config::timeout::TimeoutConfig;
use aws_config::{BehaviorVersion, Region, SdkConfig};
use aws_sdk_sts::config::{Credentials, ProvideCredentials};
use aws_smithy_runtime_api::client::http::SharedHttpClient;
use aws_smithy_runtime_api::client::result::SdkError;
use aws_smithy_types::date_time::Format;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

pub use config::{
    discover_estates, DiscoverError, Discovered, DiscoveredEstate, Undecided, DISCOVER_CALL,
    DISCOVER_QUERY,
};
use record::{error_code, error_detail, Recorder};
pub use record::{CallOutcome, CallRecord};

use crate::snapshot::{Snapshot, SNAPSHOT_VERSION};

/// Every AWS API call the collector can make, as IAM actions. All are reads.
pub const CALLS: &[&str] = &[
    "sts:GetCallerIdentity",
    "ecs:ListClusters",
    "ecs:ListServices",
    "ecs:DescribeServices",
    "ecs:DescribeTaskDefinition",
    "ecs:ListTasks",
    "ecs:DescribeTasks",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeSubnets",
    "ec2:DescribeVpcs",
    "ec2:DescribeVpcAttribute",
    "ec2:DescribeDhcpOptions",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeNetworkAcls",
    "ec2:DescribeRouteTables",
    "ec2:DescribeManagedPrefixLists",
    "ec2:GetManagedPrefixListEntries",
    "elasticfilesystem:DescribeFileSystems",
    "elasticfilesystem:DescribeMountTargets",
    "elasticfilesystem:DescribeMountTargetSecurityGroups",
    "elasticfilesystem:DescribeAccessPoints",
    "elasticfilesystem:DescribeFileSystemPolicy",
    "iam:GetRole",
    "iam:ListRolePolicies",
    "iam:GetRolePolicy",
    "iam:ListAttachedRolePolicies",
    "iam:GetPolicy",
    "iam:GetPolicyVersion",
    "kms:DescribeKey",
    "route53:ListHostedZonesByVPC",
    "route53:GetHostedZone",
    "route53:ListResourceRecordSets",
    "route53resolver:ListResolverRuleAssociations",
    "route53resolver:GetResolverRule",
    "ecs:ListAccountSettings",
    // Fan-out over accounts and Regions (`--accounts`, `--regions all`, `--role-name`).
    "organizations:ListAccounts",
    "sts:AssumeRole",
    "ec2:DescribeRegions",
    // Where to look (`--discover config:AGGREGATOR`).
    "config:SelectAggregateResourceConfig",
];

/// The calls of [`CALLS`] that only a run over several estates makes (`fanout`): the
/// auditing principal's `organizations:ListAccounts`, `sts:AssumeRole` and
/// `config:SelectAggregateResourceConfig`, and each account's `ec2:DescribeRegions`.
pub const FANOUT_CALLS: &[&str] = &[
    "organizations:ListAccounts",
    "sts:AssumeRole",
    "ec2:DescribeRegions",
    "config:SelectAggregateResourceConfig",
];

/// The calls of [`FANOUT_CALLS`] that only the auditing principal makes, in its own account:
/// member accounts need not grant them.
pub const AUDITOR_CALLS: &[&str] = &[
    "organizations:ListAccounts",
    "sts:AssumeRole",
    "config:SelectAggregateResourceConfig",
];

/// Permissions AWS checks on the caller's behalf although the collector never calls them:
/// `DescribeMountTargetSecurityGroups` also needs `ec2:DescribeNetworkInterfaceAttribute` on the
/// mount target's network interface.
/// <https://docs.aws.amazon.com/efs/latest/ug/API_DescribeMountTargetSecurityGroups.html>
pub const IMPLIED_PERMISSIONS: &[&str] = &["ec2:DescribeNetworkInterfaceAttribute"];

/// What to collect, and how to reach AWS.
#[derive(Debug, Clone)]
pub struct CollectOptions {
    /// AWS Region; `None` uses the standard chain (`AWS_REGION`, the profile, instance metadata).
    pub region: Option<String>,
    /// Named profile from the shared config files; `None` uses `AWS_PROFILE` or `default`.
    pub profile: Option<String>,
    /// One endpoint for every service (moto, `LocalStack`); `None` uses AWS's endpoints.
    pub endpoint_url: Option<String>,
    /// Cluster names or ARNs. Empty means every cluster of the Region, unless `services` is also
    /// empty and `seeds` is not: then ECS is not read at all (a pre-deploy check of a task
    /// definition that is not registered yet needs only the seeded resources).
    pub clusters: Vec<String>,
    /// Service names or ARNs, looked up in every cluster of `clusters` (which must not be
    /// empty). Empty means every service of those clusters that mounts an EFS volume.
    pub services: Vec<String>,
    /// Task ids or ARNs, looked up in `clusters` (which must not be empty): each is described,
    /// and the service that started it read as if it were named.
    pub tasks: Vec<String>,
    /// Extra resources to read whatever the ECS scope references.
    pub seeds: Seeds,
    /// How many calls may be in flight at once (at least 1; 8 by default).
    pub concurrency: usize,
    /// What to print on stderr while collecting.
    pub progress: Progress,
    /// Fixed credentials instead of the standard chain; meant for tests and CI against a local
    /// endpoint, where the environment must not leak in.
    pub credentials: Option<StaticCredentials>,
}

impl Default for CollectOptions {
    fn default() -> Self {
        Self {
            region: None,
            profile: None,
            endpoint_url: None,
            clusters: Vec::new(),
            services: Vec::new(),
            tasks: Vec::new(),
            seeds: Seeds::default(),
            concurrency: 8,
            progress: Progress::Normal,
            credentials: None,
        }
    }
}

/// Resources to read in addition to what the ECS scope references (a pre-deploy check names
/// them from the task definition file and the command line).
#[derive(Debug, Clone, Default)]
pub struct Seeds {
    /// Task subnets (`subnet-...`).
    pub subnets: Vec<String>,
    /// Task security groups (`sg-...`).
    pub security_groups: Vec<String>,
    /// File systems (`fs-...`).
    pub file_systems: Vec<String>,
    /// Access points (`fsap-...`).
    pub access_points: Vec<String>,
    /// Task role ARNs (or role names).
    pub roles: Vec<String>,
}

/// What the collector prints on stderr (never on stdout).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Progress {
    /// Nothing.
    Quiet,
    /// One line per phase, only when stderr is a terminal.
    Normal,
    /// Phases and every call with its outcome and duration, terminal or not (asked for).
    Verbose,
}

/// An access key pair (and optional session token).
#[derive(Clone)]
pub struct StaticCredentials {
    /// `AKIA...` / `ASIA...`.
    pub access_key_id: String,
    /// The secret key.
    pub secret_access_key: String,
    /// Session token of temporary credentials.
    pub session_token: Option<String>,
}

impl std::fmt::Debug for StaticCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print the secret.
        f.debug_struct("StaticCredentials")
            .field("access_key_id", &self.access_key_id)
            .finish_non_exhaustive()
    }
}

/// Why AWS could not be read at all. Partial failures are gaps in the snapshot instead.
#[derive(Debug, thiserror::Error)]
pub enum CollectError {
    /// No credentials in any source of the standard chain.
    #[error("no AWS credentials found{profile} (tried: the AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY environment variables, the shared config and credentials files, web identity, SSO, ECS container and EC2 instance credentials): {detail}. Fix: run `aws configure` or `aws sso login`, pass --profile NAME, or export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", profile = .profile.as_deref().map(|p| format!(" for profile `{p}`")).unwrap_or_default())]
    NoCredentials {
        /// The profile asked for, if any.
        profile: Option<String>,
        /// What the credential chain said.
        detail: String,
    },
    /// No Region in any source.
    #[error("no AWS Region configured (tried: --region, the AWS_REGION and AWS_DEFAULT_REGION environment variables, the profile's `region`, EC2 instance metadata). Fix: pass --region us-east-1 or export AWS_REGION=us-east-1")]
    NoRegion,
    /// The endpoint could not be reached or did not answer like AWS.
    #[error("cannot reach AWS at {endpoint}: {detail}. Fix: check the network, proxy (HTTPS_PROXY) and --region; with --endpoint-url, check that the server (moto, LocalStack) is running at that address")]
    Unreachable {
        /// The endpoint tried (the STS endpoint, or `--endpoint-url`).
        endpoint: String,
        /// What failed.
        detail: String,
    },
    /// The first call (`sts:GetCallerIdentity`) rejected the credentials.
    #[error("AWS rejected the credentials on sts:GetCallerIdentity ({code}: {message}). Fix: refresh them (`aws sso login`, a new session token), or check the profile and the AWS_* environment variables")]
    InvalidCredentials {
        /// AWS error code (`InvalidClientTokenId`, `ExpiredToken` ...).
        code: String,
        /// AWS error message.
        message: String,
    },
    /// The options or the AWS configuration do not make sense (a profile that does not exist,
    /// an endpoint URL that is not one ...): the user's to fix, not AWS's.
    #[error("{0}")]
    Usage(String),
    /// `--accounts org`: the Organization's accounts could not be listed.
    #[error("cannot list the accounts of the Organization (organizations:ListAccounts: {code}). Fix: run from the management account or a delegated administrator account, or name the accounts with --accounts ID,ID")]
    Organization {
        /// AWS error code.
        code: String,
    },
    /// A snapshot of the run so far could not be written.
    #[error("{0}")]
    Output(String),
    /// The AWS Config query of `--discover` failed: the run does not know where to look.
    #[error("{0}")]
    Discover(String),
    /// The one call a narrow read depends on failed (`explain --task` reads only
    /// `ecs:DescribeTasks`).
    #[error("{call} on {resource} failed: {error}")]
    CallFailed {
        /// The call, as `service:Action`.
        call: String,
        /// What it was about.
        resource: String,
        /// The AWS error code (`AccessDeniedException`, `ClusterNotFoundException` ...).
        error: String,
    },
    /// The async runtime could not start.
    #[error("cannot start the async runtime: {0}")]
    Runtime(String),
}

/// The result of a collection: the snapshot and every call made to build it.
#[derive(Debug)]
pub struct Collected {
    /// The state read, with gaps for failed calls.
    pub snapshot: Snapshot,
    /// Every call, in completion order.
    pub calls: Vec<CallRecord>,
}

/// Collects the state the scope in `opts` touches. Blocking: runs its own Tokio runtime, so it
/// must not be called from inside one.
pub fn collect(opts: &CollectOptions) -> Result<Collected, CollectError> {
    if !opts.tasks.is_empty() && opts.clusters.is_empty() {
        return Err(CollectError::Usage(
            "--task needs --cluster: name the cluster the task ran in".to_owned(),
        ));
    }
    if !opts.services.is_empty() && opts.clusters.is_empty() {
        return Err(CollectError::Usage(
            "--service needs --cluster: name the cluster(s) the service runs in".to_owned(),
        ));
    }
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(CollectError::Usage(
            "collect() blocks and cannot run inside an async runtime; call it from a plain thread"
                .to_owned(),
        ));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| CollectError::Runtime(e.to_string()))?;
    runtime.block_on(run(opts))
}

/// What `ecs:DescribeTasks` says of the tasks in `opts.tasks` of the first cluster in
/// `opts.clusters`, and nothing else: the one call `explain --task` needs (no identity probe, no
/// services, no network). Tasks ECS does not know are left out; a call that fails is an error,
/// since there is nothing else to report. Blocking, like [`collect`].
/// <https://docs.aws.amazon.com/AmazonECS/latest/APIReference/API_DescribeTasks.html>
pub fn describe_tasks(opts: &CollectOptions) -> Result<Vec<crate::snapshot::Task>, CollectError> {
    let Some(cluster) = opts.clusters.first() else {
        return Err(CollectError::Usage(
            "--task needs --cluster: name the cluster the task ran in".to_owned(),
        ));
    };
    if tokio::runtime::Handle::try_current().is_ok() {
        return Err(CollectError::Usage(
            "describe_tasks() blocks and cannot run inside an async runtime; call it from a plain thread"
                .to_owned(),
        ));
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| CollectError::Runtime(e.to_string()))?;
    runtime.block_on(async {
        let http_client = connect::prepare(opts).await?;
        let config = load_config(opts, http_client).await;
        let region = config
            .region()
            .map(ToString::to_string)
            .ok_or(CollectError::NoRegion)?;
        check_credentials(&config, opts).await?;
        let rec = Recorder::new(opts.progress, 1);
        let cx = Ctx::new(&config, rec.clone(), 1);
        match ecs::describe_named_tasks(&cx, cluster, &opts.tasks).await {
            record::Answer::Found(tasks) => Ok(tasks),
            record::Answer::Absent => Ok(Vec::new()),
            record::Answer::Failed => {
                let (_, gaps) = rec.finish();
                let error = gaps
                    .into_iter()
                    .next()
                    .map_or_else(|| "no answer".to_owned(), |g| g.error);
                Err(CollectError::CallFailed {
                    call: "ecs:DescribeTasks".to_owned(),
                    resource: format!("cluster {cluster} ({region})"),
                    error,
                })
            }
        }
    })
}

/// What the KMS, Route 53 and Resolver collection is about, from what was read before.
struct Lookups {
    /// Keys of encrypted file systems.
    kms_keys: BTreeSet<String>,
    /// Task VPCs with their Region.
    vpcs: BTreeSet<(String, String)>,
    /// DNS names of the file systems read.
    dns_names: BTreeSet<String>,
}

impl Lookups {
    fn gather(
        efs: &crate::snapshot::EfsState,
        network: &crate::snapshot::Ec2State,
        region: &str,
    ) -> Self {
        let file_systems = efs.file_systems.iter().flatten();
        let kms_keys = file_systems
            .clone()
            .filter(|fs| fs.encrypted == Some(true))
            .filter_map(|fs| fs.kms_key_id.clone())
            .collect();
        let suffix = if region.starts_with("cn-") {
            "amazonaws.com.cn"
        } else {
            "amazonaws.com"
        };
        let dns_names = file_systems
            .map(|fs| format!("{}.efs.{region}.{suffix}", fs.file_system_id))
            .collect();
        let vpcs = network
            .subnets
            .iter()
            .flatten()
            .map(|s| (s.vpc_id.clone(), region.to_owned()))
            .collect();
        Self {
            kms_keys,
            vpcs,
            dns_names,
        }
    }

    fn vpc_ids(&self) -> BTreeSet<String> {
        self.vpcs.iter().map(|(v, _)| v.clone()).collect()
    }
}

/// The SDK clients and the recorder every collection module uses.
pub(crate) struct Ctx {
    pub(crate) ec2: aws_sdk_ec2::Client,
    pub(crate) ecs: aws_sdk_ecs::Client,
    pub(crate) efs: aws_sdk_efs::Client,
    pub(crate) iam: aws_sdk_iam::Client,
    pub(crate) kms: aws_sdk_kms::Client,
    pub(crate) route53: aws_sdk_route53::Client,
    pub(crate) route53resolver: aws_sdk_route53resolver::Client,
    pub(crate) rec: Recorder,
    pub(crate) concurrency: usize,
}

impl Ctx {
    fn new(config: &SdkConfig, rec: Recorder, concurrency: usize) -> Self {
        Self {
            ec2: aws_sdk_ec2::Client::new(config),
            ecs: aws_sdk_ecs::Client::new(config),
            efs: aws_sdk_efs::Client::new(config),
            iam: aws_sdk_iam::Client::new(config),
            kms: aws_sdk_kms::Client::new(config),
            route53: aws_sdk_route53::Client::new(config),
            route53resolver: aws_sdk_route53resolver::Client::new(config),
            rec,
            concurrency: concurrency.max(1),
        }
    }
}

async fn run(opts: &CollectOptions) -> Result<Collected, CollectError> {
    let http_client = connect::prepare(opts).await?;
    let config = load_config(opts, http_client).await;
    let region = config
        .region()
        .map(ToString::to_string)
        .ok_or(CollectError::NoRegion)?;
    check_credentials(&config, opts).await?;

    let rec = Recorder::new(opts.progress, opts.concurrency);
    let collected_at = aws_smithy_types::DateTime::from(SystemTime::now())
        .fmt(Format::DateTime)
        .ok();
    let started = Instant::now();
    let account_id = caller_identity(&config, &rec, opts, &region).await?.account;
    let cx = Ctx::new(&config, rec.clone(), opts.concurrency);
    let mut snapshot = read_estate(&cx, opts, &region).await;

    let (calls, gaps) = rec.finish();
    rec.phase(&format!(
        "{} calls in {:.1} s, {} gaps",
        calls.len(),
        started.elapsed().as_secs_f64(),
        gaps.len()
    ));
    snapshot.efs_preflight_snapshot = Some(SNAPSHOT_VERSION);
    snapshot.collected_at = collected_at;
    snapshot.region = Some(region);
    snapshot.account_id = Some(account_id);
    snapshot.tool = Some(tool_name());
    snapshot.gaps = gaps;
    Ok(Collected { snapshot, calls })
}

/// `efs-preflight VERSION`, as snapshots record it.
pub(crate) fn tool_name() -> String {
    concat!("efs-preflight ", env!("CARGO_PKG_VERSION")).to_owned()
}

/// Reads one estate (the account and Region `cx`'s clients reach): the scope, then what it
/// references. Returns the sections only; the caller sets the account, Region, gaps and times.
pub(crate) async fn read_estate(cx: &Ctx, opts: &CollectOptions, region: &str) -> Snapshot {
    let rec = &cx.rec;
    let read_ecs = !(opts.clusters.is_empty() && opts.services.is_empty() && opts.seeds.any());
    let ecs_state = if read_ecs {
        ecs::collect(cx, &opts.clusters, &opts.services, &opts.tasks).await
    } else {
        crate::snapshot::EcsState::default()
    };
    let refs = References::gather(&ecs_state, &opts.seeds);

    rec.phase("reading subnets, file systems and task roles");
    let (task_subnets, efs, iam) = futures::join!(
        ec2::subnets(cx, &refs.subnets),
        efs::collect(cx, &refs.file_systems, &refs.access_points),
        iam::collect(cx, &refs.roles),
    );
    let mount_target_groups: BTreeSet<String> = efs
        .mount_targets
        .iter()
        .flatten()
        .flat_map(|mt| mt.security_groups.iter().flatten().cloned())
        .collect();
    rec.phase("reading VPCs, security groups, network ACLs and route tables");
    let network = ec2::network(
        cx,
        task_subnets,
        &refs.security_groups,
        &mount_target_groups,
    )
    .await;

    let names = Lookups::gather(&efs, &network, region);
    let vpc_ids = names.vpc_ids();
    let (kms, route53, route53resolver, account_settings) = futures::join!(
        kms::collect(cx, &names.kms_keys),
        route53::collect(cx, &names.vpcs, &names.dns_names),
        resolver::collect(cx, &vpc_ids),
        ecs::account_settings(cx),
    );
    let mut ecs_state = ecs_state;
    ecs_state.account_settings = account_settings;
    Snapshot {
        ec2: network,
        efs,
        ecs: ecs_state,
        iam,
        kms,
        route53,
        route53resolver,
        ..Snapshot::default()
    }
}

/// The SDK configuration: `http_client` (one rustls (ring) HTTPS client for every service; the
/// SDK's default client features are off to keep a single TLS stack in the build), standard
/// retries, timeouts, and what the options fix.
async fn load_config(opts: &CollectOptions, http_client: SharedHttpClient) -> SdkConfig {
    let mut loader = aws_config::defaults(BehaviorVersion::latest())
        .http_client(http_client)
        // Standard mode retries throttling and transient errors with backoff (3 attempts).
        // <https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html>
        .retry_config(RetryConfig::standard())
        .timeout_config(
            TimeoutConfig::builder()
                .connect_timeout(Duration::from_secs(5))
                .operation_attempt_timeout(Duration::from_secs(30))
                .build(),
        );
    if let Some(region) = &opts.region {
        loader = loader.region(Region::new(region.clone()));
    }
    if let Some(profile) = &opts.profile {
        loader = loader.profile_name(profile);
    }
    if let Some(url) = &opts.endpoint_url {
        loader = loader.endpoint_url(url);
    }
    if let Some(creds) = &opts.credentials {
        loader = loader.credentials_provider(Credentials::new(
            creds.access_key_id.clone(),
            creds.secret_access_key.clone(),
            creds.session_token.clone(),
            None,
            "efs-preflight-static",
        ));
    }
    loader.load().await
}

/// Resolves credentials once up front, so "none anywhere" is a clear error rather than a
/// failure inside the first request.
async fn check_credentials(config: &SdkConfig, opts: &CollectOptions) -> Result<(), CollectError> {
    let no_credentials = |detail: String| CollectError::NoCredentials {
        profile: opts.profile.clone(),
        detail,
    };
    let Some(provider) = config.credentials_provider() else {
        return Err(no_credentials("no credential provider".to_owned()));
    };
    provider
        .provide_credentials()
        .await
        .map(|_| ())
        .map_err(|e| no_credentials(error_detail(&e)))
}

/// The caller's account and partition.
pub(crate) struct Caller {
    /// The account id.
    pub(crate) account: String,
    /// The partition (`aws`, `aws-cn`, `aws-us-gov` ...).
    pub(crate) partition: String,
}

/// `sts:GetCallerIdentity`: the caller's account and partition, and the proof that AWS can be
/// read at all.
pub(crate) async fn caller_identity(
    config: &SdkConfig,
    rec: &Recorder,
    opts: &CollectOptions,
    region: &str,
) -> Result<Caller, CollectError> {
    const CALL: &str = "sts:GetCallerIdentity";
    let endpoint = opts
        .endpoint_url
        .clone()
        .unwrap_or_else(|| format!("https://sts.{region}.amazonaws.com"));
    let sts = aws_sdk_sts::Client::new(config);
    let started = Instant::now();
    let result = sts.get_caller_identity().send().await;
    let duration = started.elapsed();
    match result {
        Ok(out) => {
            rec.record(CALL, None, CallOutcome::Ok, duration);
            let account =
                out.account()
                    .map(str::to_owned)
                    .ok_or_else(|| CollectError::Unreachable {
                        endpoint,
                        detail: "sts:GetCallerIdentity returned no account id".to_owned(),
                    })?;
            // arn:PARTITION:sts::ACCOUNT:assumed-role/...
            let partition = out
                .arn()
                .and_then(|arn| arn.split(':').nth(1))
                .filter(|p| !p.is_empty())
                .unwrap_or("aws")
                .to_owned();
            Ok(Caller { account, partition })
        }
        Err(err) => {
            rec.record(CALL, None, CallOutcome::Failed(error_code(&err)), duration);
            Err(identity_error(&err, endpoint))
        }
    }
}

fn identity_error<E>(
    err: &SdkError<E, aws_smithy_runtime_api::client::orchestrator::HttpResponse>,
    endpoint: String,
) -> CollectError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
{
    // Codes AWS uses for unknown, malformed, expired or badly signed credentials.
    // <https://docs.aws.amazon.com/STS/latest/APIReference/CommonErrors.html>
    const CREDENTIAL_CODES: &[&str] = &[
        "InvalidClientTokenId",
        "SignatureDoesNotMatch",
        "ExpiredToken",
        "ExpiredTokenException",
        "IncompleteSignature",
        "InvalidAccessKeyId",
        "UnrecognizedClientException",
        "AuthFailure",
        "AccessDenied",
    ];
    let code = error_code(err);
    if CREDENTIAL_CODES.contains(&code.as_str()) {
        return CollectError::InvalidCredentials {
            message: err.message().unwrap_or_default().to_owned(),
            code,
        };
    }
    let detail = match err {
        SdkError::DispatchFailure(_) | SdkError::TimeoutError(_) => error_detail(err),
        _ => format!(
            "sts:GetCallerIdentity failed with {code}: {}",
            error_detail(err)
        ),
    };
    CollectError::Unreachable { endpoint, detail }
}

impl Seeds {
    fn any(&self) -> bool {
        !(self.subnets.is_empty()
            && self.security_groups.is_empty()
            && self.file_systems.is_empty()
            && self.access_points.is_empty()
            && self.roles.is_empty())
    }
}

/// The resources the scope references, deduplicated and sorted (stable call order and output).
#[derive(Debug, Default)]
struct References {
    subnets: BTreeSet<String>,
    security_groups: BTreeSet<String>,
    file_systems: BTreeSet<String>,
    access_points: BTreeSet<String>,
    roles: BTreeSet<String>,
}

impl References {
    fn gather(ecs: &crate::snapshot::EcsState, seeds: &Seeds) -> Self {
        let mut refs = Self::default();
        for service in ecs.services.iter().flatten() {
            let configs = service
                .network_configuration
                .iter()
                .chain(
                    service
                        .deployments
                        .iter()
                        .filter_map(|d| d.network_configuration.as_ref()),
                )
                .filter_map(|n| n.awsvpc_configuration.as_ref());
            for awsvpc in configs {
                refs.subnets.extend(awsvpc.subnets.iter().cloned());
                refs.security_groups
                    .extend(awsvpc.security_groups.iter().cloned());
            }
        }
        // A task's own subnet (it may have left the service's subnets since), and the security
        // groups of its network interface when they were read.
        for task in ecs.tasks.iter().flatten() {
            refs.subnets
                .extend(task.eni_detail("subnetId").map(str::to_owned));
            refs.security_groups
                .extend(task.security_groups.iter().flatten().cloned());
        }
        for td in ecs.task_definitions.iter().flatten() {
            for volume in &td.volumes {
                if let Some(efs) = &volume.efs_volume_configuration {
                    if !efs.file_system_id.is_empty() {
                        refs.file_systems.insert(efs.file_system_id.clone());
                    }
                    if let Some(ap) = efs.access_point_id() {
                        refs.access_points.insert(ap.to_owned());
                    }
                }
            }
            // Every task role in scope, EFS volume or not: a service named on the command line
            // is checked (IAM007 among others) whatever it mounts, and an unread role would be
            // taken for a missing one. Unnamed services without EFS are not in scope at all.
            refs.roles.extend(td.task_role_arn.iter().cloned());
        }
        refs.subnets.extend(seeds.subnets.iter().cloned());
        refs.security_groups
            .extend(seeds.security_groups.iter().cloned());
        refs.file_systems.extend(seeds.file_systems.iter().cloned());
        refs.access_points
            .extend(seeds.access_points.iter().cloned());
        refs.roles.extend(seeds.roles.iter().cloned());
        refs
    }
}

/// `Option<&str>` to `Option<String>`, for the SDK-to-model conversions.
pub(crate) fn owned(s: Option<&str>) -> Option<String> {
    s.map(str::to_owned)
}

#[cfg(test)]
mod tests;
