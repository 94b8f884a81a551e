//! HTTP(S) proxy settings: the builder's explicit ones or the environment's
//! (`HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY`, `NO_PROXY`, upper or lower
//! case), resolved once, at build time, for the client's one origin.

use std::fmt;

use hyper_util::client::proxy::matcher::{Intercept, Matcher};

use crate::error::ConfigError;

/// Where the proxy settings come from (the builder's state).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ProxyOptions {
    /// Set by `PubNubBuilder::proxy`; wins over the environment.
    pub(crate) url: Option<Secret>,
    /// Set by `PubNubBuilder::no_proxy`; wins over `NO_PROXY`.
    pub(crate) no_proxy: Option<String>,
    /// Whether to read the environment when `url` is not set.
    pub(crate) from_env: bool,
}

impl Default for ProxyOptions {
    fn default() -> Self {
        ProxyOptions {
            url: None,
            no_proxy: None,
            from_env: true,
        }
    }
}

/// A proxy URL, which may hold credentials: `Debug` hides it.
#[derive(Clone, PartialEq, Eq)]
pub(crate) struct Secret(pub(crate) String);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<proxy url>")
    }
}

/// The proxy settings found in an environment.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct ProxyEnv {
    /// `HTTPS_PROXY`/`https_proxy`, else `ALL_PROXY`/`all_proxy`, with the variable's name.
    pub(crate) https: Option<(&'static str, Secret)>,
    /// `HTTP_PROXY`/`http_proxy`, else `ALL_PROXY`/`all_proxy`, with the variable's name.
    pub(crate) http: Option<(&'static str, Secret)>,
    /// `NO_PROXY`/`no_proxy`.
    pub(crate) no_proxy: Option<String>,
}

impl ProxyEnv {
    /// Reads the variables through `var` (the process environment in
    /// `build()`, a map in tests). Empty values count as unset. Like curl,
    /// `HTTP_PROXY` is ignored when `REQUEST_METHOD` is set (a CGI script
    /// gets it from the request's `Proxy:` header).
    pub(crate) fn from_vars(var: impl Fn(&str) -> Option<String>) -> Self {
        let first = |names: &[&'static str]| {
            names.iter().find_map(|name| {
                var(name)
                    .filter(|v| !v.trim().is_empty())
                    .map(|v| (*name, Secret(v)))
            })
        };
        let cgi = var("REQUEST_METHOD").is_some();
        let all = first(&["ALL_PROXY", "all_proxy"]);
        let http = if cgi {
            first(&["http_proxy"])
        } else {
            first(&["HTTP_PROXY", "http_proxy"])
        };
        ProxyEnv {
            https: first(&["HTTPS_PROXY", "https_proxy"]).or_else(|| all.clone()),
            http: http.or(all),
            no_proxy: first(&["NO_PROXY", "no_proxy"]).map(|(_, v)| v.0),
        }
    }
}

/// The proxy to reach `origin` through, if any: the explicit URL, else (when
/// allowed) the environment's for the origin's scheme, unless `no_proxy`
/// (explicit, else the environment's) lists the origin's host.
///
/// A proxy URL that is not `http://[user[:password]@]host[:port]` is a
/// [`ConfigError::InvalidOption`] naming where it came from (never its
/// value, which may hold a password).
pub(crate) fn resolve(
    options: &ProxyOptions,
    env: impl FnOnce() -> ProxyEnv,
    origin: &str,
    secure: bool,
) -> Result<Option<Intercept>, ConfigError> {
    let (source, url, no_proxy) = match &options.url {
        Some(url) => ("proxy", url.clone(), options.no_proxy.clone()),
        None if options.from_env => {
            let env = env();
            let chosen = if secure { env.https } else { env.http };
            let Some((name, url)) = chosen else {
                return Ok(None);
            };
            (name, url, options.no_proxy.clone().or(env.no_proxy))
        }
        None => return Ok(None),
    };
    validate(source, &url.0)?;
    let scheme = if secure { "https" } else { "http" };
    let destination: http::Uri =
        format!("{scheme}://{origin}/")
            .parse()
            .map_err(|_| ConfigError::InvalidOption {
                option: "origin",
                reason: "not a valid host[:port]",
            })?;
    let matcher = Matcher::builder()
        .http(url.0.clone())
        .https(url.0)
        .no(no_proxy.unwrap_or_default())
        .build();
    Ok(matcher.intercept(&destination))
}

/// Accepts `http://[user[:password]@]host[:port][/]` and `host:port` (read as
/// `http://`); anything else names `source` in the error.
fn validate(source: &'static str, url: &str) -> Result<(), ConfigError> {
    let invalid = |reason| ConfigError::InvalidOption {
        option: source,
        reason,
    };
    let uri: http::Uri = url.trim().parse().map_err(|_| {
        invalid("not a valid proxy URL (expected http://[user:password@]host:port)")
    })?;
    match uri.scheme_str() {
        None | Some("http") => {}
        Some("https") => {
            return Err(invalid(
                "a TLS connection to the proxy itself is not supported; use an http:// proxy (TLS to PubNub still goes through it end to end)",
            ))
        }
        Some(_) => return Err(invalid("only http:// proxies are supported")),
    }
    match uri.host() {
        Some(host) if !host.is_empty() => Ok(()),
        _ => Err(invalid("the proxy URL has no host")),
    }
}

/// The proxy's address for messages: `http://host:port/`, never its credentials.
pub(crate) fn display(intercept: &Intercept) -> String {
    intercept.uri().to_string()
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use super::*;

    fn env(vars: &[(&str, &str)]) -> ProxyEnv {
        let map: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        ProxyEnv::from_vars(|name| map.get(name).cloned())
    }

    fn options(url: Option<&str>, no_proxy: Option<&str>, from_env: bool) -> ProxyOptions {
        ProxyOptions {
            url: url.map(|u| Secret(u.to_owned())),
            no_proxy: no_proxy.map(str::to_owned),
            from_env,
        }
    }

    fn proxy_for(
        options: &ProxyOptions,
        vars: &[(&str, &str)],
        origin: &str,
        secure: bool,
    ) -> Option<String> {
        resolve(options, || env(vars), origin, secure)
            .unwrap()
            .map(|i| display(&i))
    }

    #[test]
    fn env_variables_upper_case_first_then_lower_case_then_all_proxy() {
        let e = env(&[("HTTPS_PROXY", "http://a:1"), ("https_proxy", "http://b:2")]);
        assert_eq!(e.https, Some(("HTTPS_PROXY", Secret("http://a:1".into()))));
        let e = env(&[("https_proxy", "http://b:2"), ("http_proxy", "http://c:3")]);
        assert_eq!(e.https, Some(("https_proxy", Secret("http://b:2".into()))));
        assert_eq!(e.http, Some(("http_proxy", Secret("http://c:3".into()))));
        let e = env(&[("all_proxy", "http://d:4"), ("no_proxy", "x.com")]);
        assert_eq!(e.https, Some(("all_proxy", Secret("http://d:4".into()))));
        assert_eq!(e.http, Some(("all_proxy", Secret("http://d:4".into()))));
        assert_eq!(e.no_proxy.as_deref(), Some("x.com"));
        assert_eq!(env(&[("HTTPS_PROXY", " ")]), ProxyEnv::default());
    }

    #[test]
    fn cgi_ignores_upper_case_http_proxy() {
        let e = env(&[("REQUEST_METHOD", "GET"), ("HTTP_PROXY", "http://evil:1")]);
        assert_eq!(e.http, None);
    }

    #[test]
    fn the_origin_scheme_picks_the_variable() {
        let vars = [
            ("HTTPS_PROXY", "http://tls-proxy:3128"),
            ("HTTP_PROXY", "plain-proxy:8080"),
        ];
        let from_env = ProxyOptions::default();
        assert_eq!(
            proxy_for(&from_env, &vars, "ps.pndsn.com", true).as_deref(),
            Some("http://tls-proxy:3128/")
        );
        assert_eq!(
            proxy_for(&from_env, &vars, "ps.pndsn.com", false).as_deref(),
            Some("http://plain-proxy:8080/")
        );
    }

    #[test]
    fn no_proxy_bypasses_by_domain_suffix_and_ip_range() {
        let vars = [
            ("HTTPS_PROXY", "http://p:1"),
            ("NO_PROXY", "pndsn.com, 10.0.0.0/8"),
        ];
        let from_env = ProxyOptions::default();
        assert_eq!(proxy_for(&from_env, &vars, "ps.pndsn.com", true), None);
        assert_eq!(proxy_for(&from_env, &vars, "10.1.2.3:8090", true), None);
        assert!(proxy_for(&from_env, &vars, "example.com", true).is_some());
        // An explicit no_proxy replaces the environment's.
        let explicit_no = options(None, Some("example.com"), true);
        assert!(proxy_for(&explicit_no, &vars, "ps.pndsn.com", true).is_some());
        assert_eq!(proxy_for(&explicit_no, &vars, "example.com", true), None);
    }

    #[test]
    fn an_explicit_proxy_wins_and_the_environment_can_be_ignored() {
        let vars = [("HTTPS_PROXY", "http://env:1")];
        let explicit = options(Some("http://mine:2"), None, true);
        assert_eq!(
            proxy_for(&explicit, &vars, "ps.pndsn.com", true).as_deref(),
            Some("http://mine:2/")
        );
        let ignore = options(None, None, false);
        assert_eq!(proxy_for(&ignore, &vars, "ps.pndsn.com", true), None);
        assert_eq!(
            proxy_for(&ProxyOptions::default(), &[], "ps.pndsn.com", true),
            None
        );
    }

    #[test]
    fn credentials_become_basic_auth_and_stay_out_of_the_address() {
        let explicit = options(Some("http://alice:s%40cret@proxy:3128"), None, false);
        let intercept = resolve(&explicit, ProxyEnv::default, "ps.pndsn.com", true)
            .unwrap()
            .unwrap();
        assert_eq!(display(&intercept), "http://proxy:3128/");
        // base64("alice:s@cret")
        assert_eq!(intercept.basic_auth().unwrap(), "Basic YWxpY2U6c0BjcmV0");
        assert!(!format!("{explicit:?}").contains("cret"));
    }

    #[test]
    fn a_bad_proxy_url_is_an_error_naming_its_source_not_its_value() {
        for (url, source) in [
            ("socks5://p:1", "proxy"),
            ("https://p:1", "proxy"),
            ("http://", "proxy"),
            ("not a url", "proxy"),
        ] {
            let err = resolve(
                &options(Some(url), None, false),
                ProxyEnv::default,
                "o",
                true,
            )
            .unwrap_err();
            assert!(
                matches!(err, ConfigError::InvalidOption { option, .. } if option == source),
                "{url}: {err}"
            );
        }
        let err = resolve(
            &ProxyOptions::default(),
            || env(&[("https_proxy", "ftp://user:hunter2@p:1")]),
            "o",
            true,
        )
        .unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("https_proxy") && !text.contains("hunter2"),
            "{text}"
        );
    }
}
