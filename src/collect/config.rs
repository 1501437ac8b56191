//! Where to look: one AWS Config advanced query over a configuration aggregator
//! (`config:SelectAggregateResourceConfig`, paginated) that names the estates (account x
//! Region) whose ECS services run task definitions with EFS volumes, so that an
//! organisation-wide run reads only those. Config is an index here, never the source of the
//! state the rules check: the estates it names are still read with the targeted calls of
//! [`CALLS`](super::CALLS).
//!
//! The query reads two resource types, with the property paths of AWS's advanced-query schema
//! (<https://github.com/awslabs/aws-config-resource-schema/tree/master/config/properties/resource-types>):
//! `AWS::ECS::TaskDefinition` rows whose
//! `configuration.Volumes.EfsVolumeConfiguration.FileSystemId` is set, and every
//! `AWS::ECS::Service` row with its `configuration.TaskDefinition`. Advanced queries have no
//! `JOIN` and no `NULL` test
//! (<https://docs.aws.amazon.com/config/latest/developerguide/querying-AWS-resources.html#query-limitations>),
//! so "is set" is `LIKE 'fs-%'` (every file system id starts with `fs-`) and the join of
//! services to task definitions is made here.
//!
//! Nothing here prints or decides exit codes.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use aws_config::SdkConfig;
use aws_smithy_types::error::metadata::ProvideErrorMetadata;

use super::record::error_detail;

/// The one advanced query: ECS task definitions with an EFS volume, and every ECS service.
/// Property names as AWS's advanced-query schema spells them (`EfsVolumeConfiguration`,
/// `FileSystemId`; CloudFormation spells the same fields `EFSVolumeConfiguration` and
/// `FilesystemId`).
pub const DISCOVER_QUERY: &str = "SELECT accountId, awsRegion, resourceType, resourceId, arn, \
configurationItemStatus, configuration.TaskDefinitionArn, configuration.TaskDefinition \
WHERE resourceType = 'AWS::ECS::Service' \
OR (resourceType = 'AWS::ECS::TaskDefinition' \
AND configuration.Volumes.EfsVolumeConfiguration.FileSystemId LIKE 'fs-%')";

/// Rows per page: the most `SelectAggregateResourceConfig` accepts (`Limit`, 0-100).
pub const PAGE_SIZE: i32 = 100;

/// The IAM action [`discover_estates`] needs, in the account and Region of the aggregator.
pub const DISCOVER_CALL: &str = "config:SelectAggregateResourceConfig";

/// An estate Config knows to run ECS services on task definitions with EFS volumes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DiscoveredEstate {
    /// The account id.
    pub account_id: String,
    /// The Region.
    pub region: String,
    /// ECS services whose task definition has an EFS volume.
    pub services: usize,
    /// Task definitions (revisions) with an EFS volume.
    pub task_definitions: usize,
}

/// An estate about which Config's answer is not enough to leave it out, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Undecided {
    /// The account id.
    pub account_id: String,
    /// The Region.
    pub region: String,
    /// What Config did not tell.
    pub why: String,
}

/// The answer of [`discover_estates`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Discovered {
    /// The estates to read, by account then Region.
    pub estates: Vec<DiscoveredEstate>,
    /// Estates Config could not settle (read them too, to be safe), by account then Region.
    pub undecided: Vec<Undecided>,
    /// Rows that could not be used (not JSON, no account or Region), each with why.
    pub unreadable: Vec<String>,
    /// Rows read.
    pub rows: usize,
    /// Calls made (pages).
    pub pages: usize,
}

/// Why the query could not be answered at all. Any failed page fails the whole discovery: a
/// partial answer would leave estates out without saying so.
#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    /// The aggregator does not exist in the account and Region of the credentials.
    #[error("AWS Config aggregator `{aggregator}` does not exist in this account and Region ({message}). Fix: give the aggregator's name and its Region (--region), from `aws configservice describe-configuration-aggregators`")]
    NoSuchAggregator {
        /// The name given.
        aggregator: String,
        /// AWS's message.
        message: String,
    },
    /// Any other failure (access denied, throttled after retries, unreachable ...).
    #[error("config:SelectAggregateResourceConfig on aggregator `{aggregator}` failed on page {page} ({code}: {message})")]
    Call {
        /// The aggregator.
        aggregator: String,
        /// Which page failed, from 1.
        page: usize,
        /// AWS's error code, or what failed.
        code: String,
        /// AWS's message, or the error chain.
        message: String,
    },
}

/// Runs [`DISCOVER_QUERY`] over the aggregator `aggregator`, page by page (`NextToken`), and
/// returns the estates that run ECS services on task definitions with EFS volumes.
///
/// Contract:
/// - `sdk_config` reaches the account and Region that hold the aggregator (an organisation
///   aggregator lives in the management account or a delegated administrator, in one Region);
///   the caller needs `config:SelectAggregateResourceConfig` there ([`DISCOVER_CALL`]).
/// - One query, [`PAGE_SIZE`] rows a page; any failed page is an error (the caller then reads
///   every estate, or stops), never a shorter list.
/// - A service counts when its `configuration.TaskDefinition` (an ARN, or `family:revision`, or
///   a family) names a task definition of the same account and Region that has an EFS volume.
///   Deleted resources (`ResourceDeleted*`) are ignored.
/// - What Config cannot settle is in [`Discovered::undecided`]: estates with task definitions
///   that have EFS volumes but no recorded service using them (services not recorded there, or
///   the task definitions run as standalone tasks), and estates with services whose
///   task-definition reference is missing. Estates absent from both lists have no recorded
///   service on an EFS task definition: Config only knows what its recorders record, so an
///   account or Region whose recorder skips `AWS::ECS::Service` or `AWS::ECS::TaskDefinition`,
///   or whose data the aggregator does not receive, is invisible here (see the README,
///   "Finding the estates with AWS Config").
pub async fn discover_estates(
    sdk_config: &SdkConfig,
    aggregator: &str,
) -> Result<Discovered, DiscoverError> {
    let client = aws_sdk_config::Client::new(sdk_config);
    let mut rows: Vec<String> = Vec::new();
    let mut next_token: Option<String> = None;
    let mut seen_tokens: HashSet<String> = HashSet::new();
    let mut pages = 0;
    loop {
        pages += 1;
        let answer = client
            .select_aggregate_resource_config()
            .configuration_aggregator_name(aggregator)
            .expression(DISCOVER_QUERY)
            .limit(PAGE_SIZE)
            .set_next_token(next_token.clone())
            .send()
            .await;
        let page = match answer {
            Ok(page) => page,
            Err(e) => {
                let code = super::record::error_code(&e);
                let message = e.message().map_or_else(|| error_detail(&e), str::to_owned);
                if code == "NoSuchConfigurationAggregatorException" {
                    return Err(DiscoverError::NoSuchAggregator {
                        aggregator: aggregator.to_owned(),
                        message,
                    });
                }
                return Err(DiscoverError::Call {
                    aggregator: aggregator.to_owned(),
                    page: pages,
                    code,
                    message,
                });
            }
        };
        rows.extend(page.results.unwrap_or_default());
        match page.next_token.filter(|t| !t.is_empty()) {
            // A token seen before would page forever.
            Some(token) if seen_tokens.insert(token.clone()) => next_token = Some(token),
            _ => break,
        }
    }
    let mut discovered = estates_from_rows(&rows);
    discovered.pages = pages;
    Ok(discovered)
}

/// One row of the query's answer, as far as it is used.
#[derive(Debug, Default)]
struct Row {
    account_id: Option<String>,
    aws_region: Option<String>,
    resource_type: Option<String>,
    resource_id: Option<String>,
    arn: Option<String>,
    configuration_item_status: Option<String>,
    task_definition_arn: Option<String>,
    task_definition: Option<String>,
}

impl Row {
    /// Reads a row: a JSON object whose selected `configuration.X` properties are nested under
    /// `configuration` (also accepted flat, as `"configuration.X"`).
    fn parse(text: &str) -> Result<Self, String> {
        let value: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
        let object = value.as_object().ok_or("not a JSON object")?;
        let top = |key: &str| object.get(key).and_then(|v| v.as_str()).map(str::to_owned);
        let nested = |key: &str| {
            object
                .get("configuration")
                .and_then(|c| c.get(key))
                .or_else(|| object.get(&format!("configuration.{key}")))
                .and_then(|v| v.as_str())
                .map(str::to_owned)
        };
        Ok(Self {
            account_id: top("accountId"),
            aws_region: top("awsRegion"),
            resource_type: top("resourceType"),
            resource_id: top("resourceId"),
            arn: top("arn"),
            configuration_item_status: top("configurationItemStatus"),
            task_definition_arn: nested("TaskDefinitionArn"),
            task_definition: nested("TaskDefinition"),
        })
    }
}

/// `family:revision` (or `family`) of a task-definition ARN or reference.
fn task_definition_key(reference: &str) -> &str {
    reference
        .rsplit_once(":task-definition/")
        .map_or(reference, |(_, key)| key)
}

/// What one estate holds, while the rows are read.
#[derive(Default)]
struct EstateRows {
    /// `family:revision` of task definitions with EFS volumes.
    efs_task_definitions: BTreeSet<String>,
    /// Each service's task-definition reference (`None` when Config has none).
    services: Vec<Option<String>>,
}

/// The estates the query's rows name (the join of services to task definitions).
fn estates_from_rows(rows: &[String]) -> Discovered {
    let mut by_estate: BTreeMap<(String, String), EstateRows> = BTreeMap::new();
    let mut unreadable = Vec::new();
    for (i, text) in rows.iter().enumerate() {
        let row = match Row::parse(text) {
            Ok(row) => row,
            Err(e) => {
                unreadable.push(format!("row {}: {e}", i + 1));
                continue;
            }
        };
        if row
            .configuration_item_status
            .as_deref()
            .is_some_and(|s| s.starts_with("ResourceDeleted"))
        {
            continue;
        }
        let (Some(account), Some(region)) = (row.account_id.clone(), row.aws_region.clone()) else {
            unreadable.push(format!(
                "row {}: no accountId or awsRegion ({})",
                i + 1,
                row.resource_id.as_deref().unwrap_or("no resourceId")
            ));
            continue;
        };
        let estate = by_estate.entry((account, region)).or_default();
        match row.resource_type.as_deref() {
            Some("AWS::ECS::TaskDefinition") => {
                let arn = row.task_definition_arn.or(row.arn).or(row.resource_id);
                if let Some(arn) = arn {
                    estate
                        .efs_task_definitions
                        .insert(task_definition_key(&arn).to_owned());
                }
            }
            Some("AWS::ECS::Service") => estate.services.push(row.task_definition),
            other => unreadable.push(format!(
                "row {}: resource type {} was not asked for",
                i + 1,
                other.unwrap_or("(none)")
            )),
        }
    }
    let mut out = Discovered {
        rows: rows.len(),
        unreadable,
        ..Discovered::default()
    };
    for ((account_id, region), estate) in by_estate {
        let families: BTreeSet<&str> = estate
            .efs_task_definitions
            .iter()
            .map(|k| k.split_once(':').map_or(k.as_str(), |(family, _)| family))
            .collect();
        let mut services = 0;
        let mut unreferenced = 0;
        for reference in &estate.services {
            let Some(reference) = reference else {
                unreferenced += 1;
                continue;
            };
            let key = task_definition_key(reference);
            // `family` alone means its latest ACTIVE revision: counted when any revision of the
            // family has an EFS volume.
            let uses_efs = if key.contains(':') {
                estate.efs_task_definitions.contains(key)
            } else {
                families.contains(key)
            };
            if uses_efs {
                services += 1;
            }
        }
        let task_definitions = estate.efs_task_definitions.len();
        if services > 0 {
            out.estates.push(DiscoveredEstate {
                account_id,
                region,
                services,
                task_definitions,
            });
            continue;
        }
        if task_definitions > 0 {
            out.undecided.push(Undecided {
                account_id: account_id.clone(),
                region: region.clone(),
                why: format!(
                    "{task_definitions} task definition{} with EFS volumes and no recorded ECS service using {} (services not recorded by AWS Config there, or standalone tasks)",
                    if task_definitions == 1 { "" } else { "s" },
                    if task_definitions == 1 { "it" } else { "them" },
                ),
            });
            continue;
        }
        if unreferenced > 0 {
            out.undecided.push(Undecided {
                account_id,
                region,
                why: format!(
                    "{unreferenced} ECS service{} without a task definition in AWS Config",
                    if unreferenced == 1 { "" } else { "s" }
                ),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    //! The join on rows shaped as Config returns them, and the whole call against a local HTTP
    //! server that replays answers in the shape of AWS's JSON 1.1 protocol: moto 5.2.5 has no
    //! `SelectAggregateResourceConfig` (its `SelectResourceConfig` only replays canned results,
    //! without pagination). The shapes come from the Config API reference
    //! (<https://docs.aws.amazon.com/config/latest/APIReference/API_SelectAggregateResourceConfig.html>:
    //! `Results` is a list of JSON strings, `QueryInfo.SelectFields`, `NextToken`) and its
    //! service model (`awsJson1_1`, target `StarlingDoveService.SelectAggregateResourceConfig`;
    //! errors as `{"__type": ..., "message": ...}` with HTTP 400).

    use std::io::{BufRead, BufReader, Read, Write};
    use std::net::TcpListener;
    use std::sync::{Arc, Mutex};

    use aws_config::retry::RetryConfig;
    use aws_config::{BehaviorVersion, Region};
    use aws_sdk_sts::config::Credentials;
    use aws_smithy_http_client::tls;
    use serde_json::{json, Value};

    use super::*;

    fn service(account: &str, region: &str, name: &str, task_definition: &str) -> String {
        json!({
            "accountId": account,
            "awsRegion": region,
            "resourceType": "AWS::ECS::Service",
            "resourceId": format!("arn:aws:ecs:{region}:{account}:service/prod/{name}"),
            "arn": format!("arn:aws:ecs:{region}:{account}:service/prod/{name}"),
            "configurationItemStatus": "OK",
            "configuration": {"TaskDefinition": task_definition},
        })
        .to_string()
    }

    fn task_definition(account: &str, region: &str, family_revision: &str) -> String {
        let arn = format!("arn:aws:ecs:{region}:{account}:task-definition/{family_revision}");
        json!({
            "accountId": account,
            "awsRegion": region,
            "resourceType": "AWS::ECS::TaskDefinition",
            "resourceId": arn,
            "arn": arn,
            "configurationItemStatus": "OK",
            "configuration": {"TaskDefinitionArn": arn},
        })
        .to_string()
    }

    fn td_arn(account: &str, region: &str, family_revision: &str) -> String {
        format!("arn:aws:ecs:{region}:{account}:task-definition/{family_revision}")
    }

    /// The rows of an organisation: two estates with services on EFS task definitions, one
    /// whose services mount nothing, one with an EFS task definition and no service, one
    /// service deleted since.
    fn organisation() -> Vec<String> {
        let (a, b, c, d) = (
            "111111111111",
            "222222222222",
            "333333333333",
            "444444444444",
        );
        vec![
            task_definition(a, "us-east-1", "web:12"),
            task_definition(a, "us-east-1", "web:11"),
            service(a, "us-east-1", "web", &td_arn(a, "us-east-1", "web:12")),
            // Its task definition has no EFS volume, so the query did not return it.
            service(a, "us-east-1", "cache", &td_arn(a, "us-east-1", "cache:3")),
            // The same family in another Region of the same account.
            task_definition(a, "eu-west-1", "web:2"),
            service(a, "eu-west-1", "web", "web"),
            service(b, "us-east-1", "api", &td_arn(b, "us-east-1", "api:1")),
            task_definition(c, "us-east-1", "batch:4"),
            json!({
                "accountId": d, "awsRegion": "us-east-1", "resourceType": "AWS::ECS::Service",
                "configurationItemStatus": "ResourceDeleted",
                "configuration": {"TaskDefinition": td_arn(d, "us-east-1", "gone:1")},
            })
            .to_string(),
            task_definition(d, "us-east-1", "gone:1").replace("\"OK\"", "\"ResourceDeleted\""),
        ]
    }

    #[test]
    fn services_are_joined_to_task_definitions_with_efs_volumes() {
        let found = estates_from_rows(&organisation());
        assert_eq!(
            found.estates,
            vec![
                DiscoveredEstate {
                    account_id: "111111111111".into(),
                    region: "eu-west-1".into(),
                    services: 1,
                    task_definitions: 1,
                },
                DiscoveredEstate {
                    account_id: "111111111111".into(),
                    region: "us-east-1".into(),
                    services: 1,
                    task_definitions: 2,
                },
            ]
        );
        assert_eq!(found.undecided.len(), 1, "{:?}", found.undecided);
        assert_eq!(found.undecided[0].account_id, "333333333333");
        assert!(found.undecided[0].why.starts_with(
            "1 task definition with EFS volumes and no recorded ECS service using it"
        ));
        assert!(found.unreadable.is_empty());
        assert_eq!(found.rows, 10);
    }

    #[test]
    fn rows_config_cannot_place_are_reported() {
        let rows = vec![
            "not json".to_owned(),
            json!({"resourceType": "AWS::ECS::Service", "resourceId": "x"}).to_string(),
            json!({"accountId": "1", "awsRegion": "r", "resourceType": "AWS::EC2::VPC"})
                .to_string(),
            // A service whose task definition Config does not have.
            json!({"accountId": "5", "awsRegion": "us-east-1", "resourceType": "AWS::ECS::Service",
                   "configuration": {}})
            .to_string(),
            // Selected properties given flat are read too.
            json!({"accountId": "6", "awsRegion": "us-east-1", "resourceType": "AWS::ECS::Service",
                   "configuration.TaskDefinition": td_arn("6", "us-east-1", "a:1")})
            .to_string(),
            task_definition("6", "us-east-1", "a:1"),
        ];
        let found = estates_from_rows(&rows);
        assert_eq!(found.unreadable.len(), 3, "{:?}", found.unreadable);
        assert!(found.unreadable[1].contains("no accountId or awsRegion"));
        assert!(found.unreadable[2].contains("AWS::EC2::VPC"));
        assert_eq!(found.undecided.len(), 1);
        assert_eq!(
            found.undecided[0].why,
            "1 ECS service without a task definition in AWS Config"
        );
        assert_eq!(found.estates.len(), 1);
        assert_eq!(found.estates[0].account_id, "6");
    }

    /// One recorded answer: HTTP status and body.
    type Answer = (u16, String);

    /// A local server that answers each `SelectAggregateResourceConfig` request with the next
    /// answer, and keeps every request body.
    fn replay(answers: Vec<Answer>) -> (String, Arc<Mutex<Vec<Value>>>) {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        let answers = Arc::new(Mutex::new(answers.into_iter()));
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                let seen = Arc::clone(&seen);
                let answers = Arc::clone(&answers);
                std::thread::spawn(move || {
                    let mut reader = BufReader::new(stream.try_clone().expect("clone"));
                    let mut writer = stream;
                    loop {
                        // Headers, then a body of Content-Length bytes (keep-alive).
                        let mut length = 0;
                        let mut target = String::new();
                        let mut line = String::new();
                        loop {
                            line.clear();
                            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                                return;
                            }
                            let header = line.trim_end();
                            if header.is_empty() {
                                break;
                            }
                            let lower = header.to_ascii_lowercase();
                            if let Some(v) = lower.strip_prefix("content-length:") {
                                length = v.trim().parse().unwrap_or(0);
                            }
                            if lower.starts_with("x-amz-target:") {
                                header["x-amz-target:".len()..]
                                    .trim()
                                    .clone_into(&mut target);
                            }
                        }
                        let mut body = vec![0; length];
                        if reader.read_exact(&mut body).is_err() {
                            return;
                        }
                        let mut request: Value =
                            serde_json::from_slice(&body).unwrap_or(Value::Null);
                        request["X-Amz-Target"] = Value::String(target);
                        seen.lock().expect("lock").push(request);
                        let (status, answer) = answers
                            .lock()
                            .expect("lock")
                            .next()
                            .unwrap_or((500, "{}".to_owned()));
                        let reason = if status == 200 { "OK" } else { "Bad Request" };
                        let error_type = serde_json::from_str::<Value>(&answer)
                            .ok()
                            .and_then(|v| v["__type"].as_str().map(str::to_owned));
                        let error_header = error_type
                            .map(|t| format!("x-amzn-ErrorType: {t}\r\n"))
                            .unwrap_or_default();
                        let head = format!(
                            "HTTP/1.1 {status} {reason}\r\nContent-Type: application/x-amz-json-1.1\r\nx-amzn-RequestId: 00000000-0000-0000-0000-000000000000\r\nContent-Length: {}\r\n{error_header}\r\n",
                            answer.len()
                        );
                        if writer.write_all(head.as_bytes()).is_err()
                            || writer.write_all(answer.as_bytes()).is_err()
                        {
                            return;
                        }
                    }
                });
            }
        });
        (url, requests)
    }

    fn page(rows: &[String], next_token: Option<&str>) -> Answer {
        let mut body = json!({
            "Results": rows,
            "QueryInfo": {"SelectFields": [
                {"Name": "accountId"}, {"Name": "awsRegion"}, {"Name": "resourceType"},
                {"Name": "resourceId"}, {"Name": "arn"}, {"Name": "configurationItemStatus"},
                {"Name": "configuration.TaskDefinitionArn"}, {"Name": "configuration.TaskDefinition"}
            ]},
        });
        if let Some(token) = next_token {
            body["NextToken"] = Value::String(token.to_owned());
        }
        (200, body.to_string())
    }

    fn discover(url: &str, aggregator: &str) -> Result<Discovered, DiscoverError> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async {
            let config = aws_config::defaults(BehaviorVersion::latest())
                .region(Region::new("us-east-1"))
                .endpoint_url(url)
                .credentials_provider(Credentials::new(
                    "AKIDEXAMPLE",
                    "secret",
                    None,
                    None,
                    "test",
                ))
                .http_client(
                    aws_smithy_http_client::Builder::new()
                        .tls_provider(tls::Provider::Rustls(
                            tls::rustls_provider::CryptoMode::Ring,
                        ))
                        .build_https(),
                )
                .retry_config(RetryConfig::disabled())
                .load()
                .await;
            discover_estates(&config, aggregator).await
        })
    }

    #[test]
    fn one_query_is_paged_through_next_token() {
        let rows = organisation();
        let (url, requests) = replay(vec![
            page(&rows[..4], Some("page-2")),
            page(&rows[4..8], Some("page-3")),
            page(&rows[8..], None),
        ]);
        let found = discover(&url, "org-aggregator").expect("discovered");
        assert_eq!(found.pages, 3);
        assert_eq!(
            found,
            Discovered {
                pages: 3,
                ..estates_from_rows(&rows)
            }
        );
        let requests = requests.lock().expect("lock");
        assert_eq!(requests.len(), 3);
        for (i, r) in requests.iter().enumerate() {
            assert_eq!(
                r["X-Amz-Target"],
                "StarlingDoveService.SelectAggregateResourceConfig"
            );
            assert_eq!(r["ConfigurationAggregatorName"], "org-aggregator");
            assert_eq!(r["Expression"], DISCOVER_QUERY);
            assert_eq!(r["Limit"], PAGE_SIZE);
            let token = [Value::Null, json!("page-2"), json!("page-3")];
            assert_eq!(r.get("NextToken").unwrap_or(&Value::Null), &token[i]);
        }
    }

    #[test]
    fn a_missing_aggregator_or_a_failed_page_is_an_error() {
        let (url, _) = replay(vec![(
            400,
            json!({"__type": "NoSuchConfigurationAggregatorException",
                   "message": "The configuration aggregator does not exist."})
            .to_string(),
        )]);
        let err = discover(&url, "nope").expect_err("no aggregator");
        assert!(
            matches!(err, DiscoverError::NoSuchAggregator { .. }),
            "{err}"
        );
        assert!(err.to_string().contains("`nope` does not exist"), "{err}");

        let rows = organisation();
        let (url, _) = replay(vec![
            page(&rows[..4], Some("page-2")),
            (
                400,
                json!({"__type": "AccessDeniedException",
                       "message": "User is not authorized to perform: config:SelectAggregateResourceConfig"})
                .to_string(),
            ),
        ]);
        let err = discover(&url, "org").expect_err("denied on page 2");
        match &err {
            DiscoverError::Call { page, code, .. } => {
                assert_eq!(*page, 2);
                assert_eq!(code, "AccessDeniedException");
            }
            other @ DiscoverError::NoSuchAggregator { .. } => panic!("{other}"),
        }
        assert!(
            err.to_string()
                .contains("failed on page 2 (AccessDeniedException: User is not authorized"),
            "{err}"
        );
    }

    #[test]
    fn the_query_uses_the_advanced_query_schema_paths() {
        // The property paths AWS publishes for advanced queries
        // (aws-config-resource-schema, AWS::ECS::TaskDefinition and AWS::ECS::Service).
        for path in [
            "configuration.Volumes.EfsVolumeConfiguration.FileSystemId",
            "configuration.TaskDefinitionArn",
            "configuration.TaskDefinition",
            "configurationItemStatus",
        ] {
            assert!(DISCOVER_QUERY.contains(path), "{path}");
        }
        // Suffix wildcards of at least three characters only; no NULL tests.
        assert!(DISCOVER_QUERY.contains("LIKE 'fs-%'"));
        assert!(!DISCOVER_QUERY.contains("NULL"));
        assert!(DISCOVER_QUERY.len() <= 4096);
    }
}
