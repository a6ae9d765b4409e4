//! What a scenario gets: the servers, the browser and its tabs, and assertion helpers whose failure
//! messages show both sides (what the page saw, what the server logged).

use std::future::Future;
use std::pin::Pin;

use tokio::sync::OnceCell;

use crate::harness::{Chromium, Entry, Outcome, RequestLog, Seen, Servers, Tab};

pub type ScenarioFn = for<'a> fn(&'a Cx) -> Pin<Box<dyn Future<Output = ()> + 'a>>;

pub struct Scenario {
    pub name: &'static str,
    pub run: ScenarioFn,
}

/// Scenarios that share one browser launch (one fresh profile, one preflight cache, one cookie jar):
/// `(module, scenarios)` pairs; a scenario's full name is `module::name`.
pub struct Group {
    pub name: &'static str,
    pub parts: &'static [(&'static str, &'static [Scenario])],
}

impl Group {
    pub fn scenarios(&self) -> impl Iterator<Item = (String, &'static Scenario)> + '_ {
        self.parts.iter().flat_map(|(module, list)| {
            list.iter()
                .map(move |s| (format!("{module}::{}", s.name), s))
        })
    }
}

/// `scenarios![a, b, c]` declares `pub const SCENARIOS` from `async fn a(cx: &Cx)` etc.
macro_rules! scenarios {
    ($($name:ident),+ $(,)?) => {
        pub const SCENARIOS: &[$crate::cx::Scenario] = &[
            $($crate::cx::Scenario { name: stringify!($name), run: |cx| Box::pin($name(cx)) }),+
        ];
    };
}
pub(crate) use scenarios;

pub struct Cx {
    pub srv: Servers,
    pub chromium: Chromium,
    page: Tab,
    wrong: OnceCell<Tab>,
    localhost: OnceCell<Tab>,
}

impl Cx {
    /// `page` is the probe page at [`Servers::page_origin`].
    pub fn new(srv: Servers, chromium: Chromium, page: Tab) -> Self {
        Self {
            srv,
            chromium,
            page,
            wrong: OnceCell::new(),
            localhost: OnceCell::new(),
        }
    }

    pub async fn close(self) {
        let Self {
            chromium,
            page,
            wrong,
            localhost,
            ..
        } = self;
        drop((page, wrong, localhost));
        chromium.close().await;
    }

    /// The probe page at `http://127.0.0.1:PAGE`, the origin every `policy = PAGE` allows.
    pub fn page(&self) -> &Tab {
        &self.page
    }

    /// The probe page at `http://127.0.0.1:PAGE+1`: same host, wrong port, listed by no policy.
    pub async fn wrong_port(&self) -> &Tab {
        self.wrong
            .get_or_init(|| async {
                self.chromium
                    .open(&format!("{}/", self.srv.wrong_origin()))
                    .await
            })
            .await
    }

    /// The probe page at `http://localhost:PAGE`.
    pub async fn localhost(&self) -> &Tab {
        self.localhost
            .get_or_init(|| async {
                self.chromium
                    .open(&format!("{}/", self.srv.localhost_origin()))
                    .await
            })
            .await
    }

    /// API URL, cross-site (`http://localhost:API`).
    pub fn cross(&self, path: &str) -> String {
        self.srv.cross(path)
    }

    /// API URL, same-site (`http://127.0.0.1:API`).
    pub fn same_site(&self, path: &str) -> String {
        self.srv.same_site(path)
    }

    pub fn log(&self) -> &RequestLog {
        &self.srv.log
    }

    fn context(&self, r: &Outcome, path: &str) -> String {
        format!("{r}\n  {}", self.log().dump(path))
    }

    /// The browser let the page read the response, with this status.
    #[track_caller]
    pub fn allowed(&self, r: &Outcome, path: &str, status: u16) {
        assert!(
            r.ok,
            "expected the browser to ALLOW this request\n  {}",
            self.context(r, path)
        );
        assert_eq!(
            r.status,
            status,
            "status seen by the page\n  {}",
            self.context(r, path)
        );
    }

    /// The browser refused: `fetch` rejected with a TypeError (nothing of the response is visible).
    #[track_caller]
    pub fn blocked(&self, r: &Outcome, path: &str) {
        assert!(
            !r.ok && r.error.starts_with("TypeError"),
            "expected the browser to BLOCK this request (fetch rejects with TypeError)\n  {}",
            self.context(r, path)
        );
    }

    /// A condition about an outcome; the message shows the outcome and the server log.
    #[track_caller]
    pub fn check(&self, cond: bool, r: &Outcome, path: &str, what: &str) {
        assert!(cond, "{what}\n  {}", self.context(r, path));
    }

    /// Exactly these response header names are readable from JS.
    #[track_caller]
    pub fn readable(&self, r: &Outcome, path: &str, expected: &[&str]) {
        let mut want: Vec<&str> = expected.to_vec();
        want.sort_unstable();
        assert_eq!(
            r.readable(),
            want,
            "response headers readable from JS\n  {}",
            self.context(r, path)
        );
    }

    /// Counts from the server log: preflights, other requests, handler runs.
    #[track_caller]
    pub fn seen(&self, path: &str, expected: Seen) {
        assert_eq!(
            self.log().seen(path),
            expected,
            "what the server saw\n  {}",
            self.log().dump(path)
        );
    }

    /// All preflights for `path`.
    pub fn preflights(&self, path: &str) -> Vec<Entry> {
        self.log().preflights(path)
    }

    /// All non-preflight requests for `path`.
    pub fn requests(&self, path: &str) -> Vec<Entry> {
        self.log().requests(path)
    }

    /// A condition about the server log.
    #[track_caller]
    pub fn log_check(&self, cond: bool, path: &str, what: &str) {
        assert!(cond, "{what}\n  {}", self.log().dump(path));
    }
}

/// Shorthand for [`Seen`].
pub const fn seen(preflights: usize, requests: usize, runs: usize) -> Seen {
    Seen {
        preflights,
        requests,
        runs,
    }
}
