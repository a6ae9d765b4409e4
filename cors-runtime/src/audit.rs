//! [`Audit`]: every route's effective CORS policy, for a reviewer or a CI check.

use std::fmt;

use crate::engine::Engine;
use crate::policy::{ExposeHeaders, HeaderList, MethodList, Methods, Origins, RequestHeaders};

/// Every route's effective CORS policy, from [`CorsRouter::audit`](crate::CorsRouter::audit):
/// a Markdown table with [`Display`](fmt::Display), JSON with [`to_json`](Self::to_json).
///
/// One row per path and method that a `#[cors]` handler serves, one per path
/// for the methods its [`CorsLayer`](crate::CorsLayer) covers, and one per
/// part of the path space that only a layer covers (unmatched paths: `*`).
///
/// ```
/// use cors_runtime::{cors, route, CorsRouter};
///
/// #[cors(origins = ["https://app.example.com"], credentials = true)]
/// async fn update_user() {}
///
/// let app: CorsRouter = CorsRouter::new().route("/users/{id}", route!(put(update_user)));
/// let audit = app.audit();
/// assert_eq!(audit.rows()[0].origins, ["https://app.example.com"]);
/// println!("{audit}");
/// assert!(audit.to_json().starts_with(r#"[{"path":"/users/{id}","method":"PUT""#));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Audit {
    rows: Vec<AuditRow>,
}

/// One row of an [`Audit`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AuditRow {
    /// The path template as routed (`/users/{id}`), or `*` (`/api/*`) for the
    /// paths no route matches.
    pub path: String,
    /// The method the policy governs: a method name, `*` for an `any(..)`
    /// handler, or `other` for the methods the path's layer covers.
    pub method: String,
    /// Where the policy comes from.
    pub source: PolicySource,
    /// Allowed origins and patterns, or `*`.
    pub origins: Vec<String>,
    /// `Access-Control-Allow-Credentials: true`.
    pub credentials: bool,
    /// The methods a preflight may ask for (`*`: any but the forbidden ones).
    pub methods: Vec<String>,
    /// The request headers a preflight may ask for (`*`: any but `Authorization`).
    pub headers: Vec<String>,
    /// The response headers a page may read (`*`: all).
    pub expose_headers: Vec<String>,
    /// `Access-Control-Max-Age`, in seconds.
    pub max_age: Option<u32>,
    /// Whether private network access is allowed.
    pub private_network: bool,
}

/// Where an [`AuditRow`]'s policy comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PolicySource {
    /// The `#[cors]` attribute of the handler routed for the method.
    Handler,
    /// The innermost [`CorsLayer`](crate::CorsLayer) over the path.
    Layer,
}

impl PolicySource {
    fn as_str(self) -> &'static str {
        match self {
            Self::Handler => "handler",
            Self::Layer => "layer",
        }
    }
}

impl Audit {
    pub(crate) fn new(mut rows: Vec<AuditRow>) -> Self {
        rows.sort_by(|a, b| (&a.path, &a.method).cmp(&(&b.path, &b.method)));
        Self { rows }
    }

    /// The rows, sorted by path and method.
    pub fn rows(&self) -> &[AuditRow] {
        &self.rows
    }

    /// The rows as a JSON array of objects, one key per [`AuditRow`] field.
    pub fn to_json(&self) -> String {
        let mut out = String::from("[");
        for (i, row) in self.rows.iter().enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push('{');
            field(&mut out, "path", &string(&row.path), true);
            field(&mut out, "method", &string(&row.method), false);
            field(&mut out, "source", &string(row.source.as_str()), false);
            field(&mut out, "origins", &strings(&row.origins), false);
            field(&mut out, "credentials", &row.credentials.to_string(), false);
            field(&mut out, "methods", &strings(&row.methods), false);
            field(&mut out, "headers", &strings(&row.headers), false);
            field(
                &mut out,
                "expose_headers",
                &strings(&row.expose_headers),
                false,
            );
            let max_age = row.max_age.map_or("null".to_owned(), |s| s.to_string());
            field(&mut out, "max_age", &max_age, false);
            field(
                &mut out,
                "private_network",
                &row.private_network.to_string(),
                false,
            );
            out.push('}');
        }
        out.push(']');
        out
    }
}

impl AuditRow {
    /// The row for `engine`'s policy on `path` and `method`.
    pub(crate) fn new(path: &str, method: &str, source: PolicySource, engine: &Engine) -> Self {
        let policy = engine.policy();
        let origins = match policy.origins {
            Origins::Any => vec!["*".to_owned()],
            // Building resolves it; kept readable all the same.
            Origins::Env(env) => vec![format!("env({})", env.name)],
            Origins::List(list) => {
                let mut origins: Vec<String> = list
                    .exact
                    .iter()
                    .map(|origin| (*origin).to_owned())
                    .collect();
                origins.extend(
                    list.any_port
                        .iter()
                        .map(|p| format!("{}://{}:*", p.scheme, p.host)),
                );
                origins.extend(list.subdomains.iter().map(|p| match p.port {
                    "" => format!("{}://*.{}", p.scheme, p.host),
                    port => format!("{}://*.{}:{port}", p.scheme, p.host),
                }));
                origins
            }
        };
        let methods = match engine.methods() {
            Methods::Any => vec!["*".to_owned()],
            Methods::Routed if method == "*" => vec!["*".to_owned()],
            Methods::Routed => vec![method.to_owned()],
            // The safelisted methods pass whatever the list says.
            Methods::List(MethodList(list)) => {
                let mut methods: Vec<String> = ["GET", "HEAD", "POST"]
                    .into_iter()
                    .chain(list.iter().copied())
                    .map(str::to_owned)
                    .collect();
                methods.sort();
                methods.dedup();
                methods
            }
        };
        let headers = match policy.headers {
            RequestHeaders::List(HeaderList { header, .. }) => split(header),
            RequestHeaders::Any { authorization } => {
                let mut headers = vec!["*".to_owned()];
                if authorization {
                    headers.push("authorization".to_owned());
                }
                headers
            }
        };
        let expose_headers = match policy.expose {
            ExposeHeaders::None => Vec::new(),
            ExposeHeaders::Any => vec!["*".to_owned()],
            ExposeHeaders::List(list) => split(list),
        };
        Self {
            path: path.to_owned(),
            method: method.to_owned(),
            source,
            origins,
            credentials: policy.credentials,
            methods,
            headers,
            expose_headers,
            max_age: policy.max_age.and_then(|s| s.parse().ok()),
            private_network: policy.private_network,
        }
    }
}

impl fmt::Display for Audit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "| path | method | source | origins | credentials | methods | headers | expose headers | max age | private network |"
        )?;
        writeln!(f, "|---|---|---|---|---|---|---|---|---|---|")?;
        for row in &self.rows {
            writeln!(
                f,
                "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |",
                row.path,
                row.method,
                row.source.as_str(),
                row.origins.join(" "),
                if row.credentials { "yes" } else { "no" },
                row.methods.join(" "),
                dash(&row.headers),
                dash(&row.expose_headers),
                row.max_age.map_or("-".to_owned(), |s| format!("{s} s")),
                if row.private_network { "yes" } else { "no" },
            )?;
        }
        Ok(())
    }
}

fn dash(list: &[String]) -> String {
    if list.is_empty() {
        "-".to_owned()
    } else {
        list.join(" ")
    }
}

/// The names of a header value joined at compile time (`a, b`).
fn split(value: &str) -> Vec<String> {
    value
        .split(',')
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .map(str::to_owned)
        .collect()
}

fn field(out: &mut String, name: &str, value: &str, first: bool) {
    if !first {
        out.push(',');
    }
    out.push_str(&string(name));
    out.push(':');
    out.push_str(value);
}

fn strings(list: &[String]) -> String {
    let items: Vec<String> = list.iter().map(|s| string(s)).collect();
    format!("[{}]", items.join(","))
}

/// A JSON string; the values here are ASCII tokens and origins, escaped anyway.
fn string(value: &str) -> String {
    let mut out = String::from("\"");
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
