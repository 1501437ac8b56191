//! How the collector reaches AWS, read from the options and the environment as the AWS CLI reads
//! them, and checked before the first request so that a mistake is a usage error naming its
//! cause rather than a failed request:
//!
//! - a profile named with `--profile` or `AWS_PROFILE` must exist in the shared config or
//!   credentials file;
//! - `--endpoint-url` must be an `http://` or `https://` URL with a host;
//! - requests go through the proxy that `HTTPS_PROXY` / `HTTP_PROXY` / `ALL_PROXY` name (upper or
//!   lower case), except to the hosts `NO_PROXY` lists;
//! - `AWS_CA_BUNDLE`, else the profile's `ca_bundle`, names a PEM file whose certificate
//!   authorities are trusted instead of the system's.
//!
//! <https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-envvars.html>
//! <https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-proxy.html>

use std::borrow::Cow;
use std::sync::{Mutex, PoisonError};
use std::time::Duration;

use aws_config::profile::ProfileSet;
use aws_smithy_http_client::proxy::ProxyConfig;
use aws_smithy_http_client::tls::{self, TlsContext, TrustStore};
use aws_smithy_http_client::Connector;
use aws_smithy_runtime_api::client::http::{http_client_fn, SharedHttpClient, SharedHttpConnector};
use aws_types::os_shim_internal::{Env, Fs};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::CertificateDer;

use super::record::error_detail;
use super::{CollectError, CollectOptions};

/// Checks the endpoint URL and the named profile, and builds the HTTP client (proxy and trusted
/// authorities from the environment).
pub(crate) async fn prepare(opts: &CollectOptions) -> Result<SharedHttpClient, CollectError> {
    if let Some(url) = &opts.endpoint_url {
        check_endpoint_url(url)?;
    }
    let profiles = shared_config(opts).await?;
    let tls = trusted_authorities(profiles.as_ref())?;
    Ok(http_client(tls))
}

/// Why `url` cannot be an endpoint URL, if it cannot.
pub(crate) fn check_endpoint_url(url: &str) -> Result<(), CollectError> {
    let why = endpoint_url_problem(url);
    match why {
        None => Ok(()),
        Some(why) => Err(CollectError::Usage(format!(
            "--endpoint-url `{url}` is not a usable URL: {why}. Expected http://HOST[:PORT] or https://HOST[:PORT], for example http://127.0.0.1:5000"
        ))),
    }
}

fn endpoint_url_problem(url: &str) -> Option<String> {
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Some("it contains a space or a control character".to_owned());
    }
    let Some((scheme, rest)) = url.split_once("://") else {
        return Some("it has no scheme (http:// or https://)".to_owned());
    };
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return Some(format!("the scheme `{scheme}` is neither http nor https"));
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host_port = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    // `[::1]:8080`, `host:8080`, `host`
    let (host, port) = if let Some(after) = host_port.strip_prefix('[') {
        match after.split_once(']') {
            Some((host, rest)) => (host, rest.strip_prefix(':')),
            None => return Some("the IPv6 address has no closing `]`".to_owned()),
        }
    } else {
        match host_port.rsplit_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (host_port, None),
        }
    };
    if host.is_empty() {
        return Some("it has no host".to_owned());
    }
    if let Some(port) = port {
        if !port.parse::<u16>().is_ok_and(|p| p > 0) {
            return Some(format!("the port `{port}` is not a number from 1 to 65535"));
        }
    }
    None
}

/// The shared config and credentials files. A profile named with `--profile` (or `AWS_PROFILE`,
/// unless fixed credentials are given) that they do not define is a usage error, as it is for the
/// AWS CLI ("The config profile (NAME) could not be found"); without this check the SDK would
/// go on with no Region and no credentials and the message would name those instead.
// aws-config names the profile-files type only through a deprecated alias: `Default::default()`.
#[allow(clippy::default_trait_access)]
async fn shared_config(opts: &CollectOptions) -> Result<Option<ProfileSet>, CollectError> {
    let from_env = || {
        std::env::var("AWS_PROFILE")
            .ok()
            .filter(|p| !p.is_empty() && opts.credentials.is_none())
            .map(|p| (p, "AWS_PROFILE"))
    };
    let named = opts
        .profile
        .clone()
        .map(|p| (p, "--profile"))
        .or_else(from_env);
    let loaded = aws_config::profile::load(
        &Fs::real(),
        &Env::real(),
        // The default files: AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE or ~/.aws/...
        &Default::default(),
        opts.profile.clone().map(Cow::Owned),
    )
    .await;
    let set = match (loaded, &named) {
        (Ok(set), _) => set,
        // Unreadable files without a named profile: the SDK's own chains decide, as before.
        (Err(_), None) => return Ok(None),
        (Err(e), Some((name, via))) => {
            return Err(CollectError::Usage(format!(
                "cannot read the AWS config files for the profile `{name}` ({via}): {}",
                error_detail(&e)
            )))
        }
    };
    if let Some((name, via)) = named {
        if set.get_profile(&name).is_none() {
            let mut known: Vec<&str> = set.profiles().collect();
            known.sort_unstable();
            let known = if known.is_empty() {
                "they define no profile".to_owned()
            } else {
                format!("profiles there: {}", known.join(", "))
            };
            return Err(CollectError::Usage(format!(
                "the AWS profile `{name}` ({via}) does not exist in {} or {} ({known}). Fix: name an existing profile, or create it with `aws configure --profile {name}`",
                file_shown("AWS_CONFIG_FILE", "~/.aws/config"),
                file_shown("AWS_SHARED_CREDENTIALS_FILE", "~/.aws/credentials"),
            )));
        }
    }
    Ok(Some(set))
}

fn file_shown(variable: &str, default: &str) -> String {
    std::env::var(variable)
        .ok()
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| default.to_owned())
}

/// The certificate authorities to trust: those of `AWS_CA_BUNDLE`, else of the selected
/// profile's `ca_bundle`, instead of the system's (as the AWS CLI does); the system's when
/// neither is set. The file is checked here, where a bad one is a usage error naming it.
fn trusted_authorities(profiles: Option<&ProfileSet>) -> Result<TlsContext, CollectError> {
    let from_env = std::env::var("AWS_CA_BUNDLE")
        .ok()
        .filter(|p| !p.is_empty())
        .map(|p| (p, "AWS_CA_BUNDLE".to_owned()));
    let from_profile = || {
        let set = profiles?;
        let path = set.get("ca_bundle").filter(|p| !p.is_empty())?;
        Some((
            path.to_owned(),
            format!("ca_bundle of the AWS profile `{}`", set.selected_profile()),
        ))
    };
    let Some((path, via)) = from_env.or_else(from_profile) else {
        return Ok(TlsContext::default());
    };
    let bad = |why: String| {
        CollectError::Usage(format!(
            "{via} names `{path}`, which {why}. Fix: point it to a PEM file of the certificate authorities to trust, or unset it"
        ))
    };
    let pem = std::fs::read(&path).map_err(|e| bad(format!("cannot be read ({e})")))?;
    // The same checks the TLS client makes when it loads the file (it panics on a bad one).
    let mut roots = rustls::RootCertStore::empty();
    for cert in CertificateDer::pem_slice_iter(&pem) {
        let cert = cert.map_err(|e| bad(format!("is not a valid PEM file ({e})")))?;
        roots
            .add(cert)
            .map_err(|e| bad(format!("holds a certificate that cannot be used ({e})")))?;
    }
    if roots.is_empty() {
        return Err(bad(
            "holds no certificate (no -----BEGIN CERTIFICATE----- block)".to_owned(),
        ));
    }
    TlsContext::builder()
        .with_trust_store(TrustStore::empty().with_pem_certificate(pem))
        .build()
        .map_err(|e| bad(format!("cannot be used ({})", error_detail(&e))))
}

/// One HTTPS client (rustls with ring) for every service, with the proxy from the environment
/// and the trusted authorities `tls`; one connector (one connection pool) per timeout setting.
fn http_client(tls: TlsContext) -> SharedHttpClient {
    type Timeouts = (Option<Duration>, Option<Duration>);
    let connectors: Mutex<Vec<(Timeouts, SharedHttpConnector)>> = Mutex::default();
    http_client_fn(move |settings, components| {
        let timeouts = (settings.connect_timeout(), settings.read_timeout());
        let mut connectors = connectors.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((_, connector)) = connectors.iter().find(|(t, _)| *t == timeouts) {
            return connector.clone();
        }
        let mut builder = Connector::builder()
            .connector_settings(settings.clone())
            // HTTPS_PROXY, HTTP_PROXY, ALL_PROXY and NO_PROXY, upper or lower case.
            .proxy_config(ProxyConfig::from_env());
        builder.set_sleep_impl(components.sleep_impl());
        let connector = builder
            .tls_provider(tls::Provider::Rustls(
                tls::rustls_provider::CryptoMode::Ring,
            ))
            .tls_context(tls.clone())
            .build();
        let connector = SharedHttpConnector::new(connector);
        connectors.push((timeouts, connector.clone()));
        connector
    })
}

#[cfg(test)]
mod tests {
    use super::endpoint_url_problem;

    #[test]
    fn endpoint_urls() {
        for good in [
            "http://127.0.0.1:5000",
            "https://sts.us-east-1.amazonaws.com",
            "HTTP://localhost:4566/",
            "http://[::1]:8080",
            "https://vpce-1.sts.us-east-1.vpce.amazonaws.com/path",
        ] {
            assert_eq!(endpoint_url_problem(good), None, "{good}");
        }
        for (bad, why) in [
            ("not-a-url", "no scheme"),
            ("localhost:5000", "no scheme"),
            ("http://", "no host"),
            ("http://:80", "no host"),
            ("ftp://x", "neither http nor https"),
            ("http://127.0.0.1:99999", "not a number from 1 to 65535"),
            ("http://host:abc", "not a number"),
            ("http://exa mple.com", "space"),
            ("http://[::1", "closing"),
        ] {
            let problem = endpoint_url_problem(bad).unwrap_or_default();
            assert!(problem.contains(why), "{bad}: {problem}");
        }
    }
}
