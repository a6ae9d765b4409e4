//! The checks through the public API, with `&str` locations.

use crate::{
    check, check_origins, Checked, Conflict, Draft, Expose, Facts, Headers, HostPattern, Inherited,
    Item, Key, List, Methods, Mistake, Origins, Site,
};

fn items(texts: &[&'static str]) -> List<&'static str> {
    List::Items(
        texts
            .iter()
            .map(|&text| Item {
                text: text.to_owned(),
                at: text,
            })
            .collect(),
    )
}

fn key<T>(value: T, at: &'static str) -> Option<Key<&'static str, T>> {
    Some(Key { value, at })
}

fn messages<'a>(mistakes: &'a [Mistake<&'static str>]) -> Vec<(&'static str, &'a str)> {
    mistakes
        .iter()
        .map(|m| (m.at, m.message.as_str()))
        .collect()
}

#[test]
fn holds_is_each_rule_s_truth_table() {
    for bits in 0u8..128 {
        let bit = |i: u8| bits & (1 << i) != 0;
        let facts = Facts {
            credentials: bit(0),
            any_origin: bit(1),
            any_method: bit(2),
            any_header: bit(3),
            any_expose: bit(4),
            insecure_origin: bit(5),
            private_network: bit(6),
        };
        let expected = [
            facts.credentials && facts.any_origin,
            facts.credentials && facts.any_method,
            facts.credentials && facts.any_header,
            facts.credentials && facts.any_expose,
            facts.credentials && facts.insecure_origin,
            facts.private_network && facts.any_origin,
        ];
        for (conflict, expected) in Conflict::ALL.into_iter().zip(expected) {
            assert_eq!(conflict.holds(&facts), expected, "{conflict:?} {facts:?}");
        }
        assert_eq!(
            Conflict::first(&facts),
            Conflict::ALL.into_iter().find(|c| c.holds(&facts))
        );
    }
}

#[test]
fn messages_name_the_side_from_the_base() {
    use Inherited::{Flag, Neither, Other};
    let m = |c: Conflict, i, o| c.message(i, o);
    assert_eq!(
        m(Conflict::CredentialsAnyOrigin, Neither, None),
        "`credentials = true` cannot be combined with `origins = \"*\"`: browsers refuse `Access-Control-Allow-Origin: *` on credentialed requests; list the allowed origins"
    );
    assert_eq!(
        m(Conflict::CredentialsAnyMethod, Other("BASE"), None),
        "`credentials = true` cannot be combined with `methods = \"*\"` from `policy = BASE`: on credentialed requests browsers read `*` as a method literally named `*`; list the methods, or leave `methods` out to allow the methods the handler is routed on"
    );
    assert_eq!(
        m(Conflict::CredentialsAnyHeader, Flag("BASE"), None),
        "`credentials = true` from `policy = BASE` cannot be combined with `headers = \"*\"`: on credentialed requests browsers read `*` as a header literally named `*`; list the request headers"
    );
    assert_eq!(
        m(Conflict::CredentialsAnyExpose, Neither, None),
        "`credentials = true` cannot be combined with `expose_headers = \"*\"`: on credentialed requests browsers read `*` as a header literally named `*`; list the headers to expose"
    );
    assert_eq!(
        m(Conflict::CredentialsInsecureOrigin, Flag("BASE"), Some("http://x.example")),
        "plain-http origin `http://x.example` cannot be combined with `credentials = true` from `policy = BASE`: anyone on the network path can impersonate it and read the credentialed responses; use `https`, or add `dangerously_allow_insecure_origins = true`"
    );
    assert_eq!(
        m(Conflict::CredentialsInsecureOrigin, Other("BASE"), None),
        "`credentials = true` cannot be combined with the plain-http origins of `policy = BASE`: anyone on the network path can impersonate them and read the credentialed responses; use `https` origins, or add `dangerously_allow_insecure_origins = true`"
    );
    assert_eq!(
        m(Conflict::PrivateNetworkAnyOrigin, Other("BASE"), None),
        "`private_network = true` cannot be combined with `origins = \"*\"` from `policy = BASE`: every website could reach into the private network; list the allowed origins"
    );
    assert_eq!(
        m(Conflict::PrivateNetworkAnyOrigin, Flag("BASE"), None),
        "`private_network = true` from `policy = BASE` cannot be combined with `origins = \"*\"`: every website could reach into the private network; list the allowed origins"
    );
    for conflict in Conflict::ALL {
        let (flag, other) = conflict.keys();
        assert!(conflict
            .message(Neither, Some("http://x.example"))
            .contains(flag));
        assert!(conflict.summary().contains(flag), "{conflict:?}");
        let _ = other;
    }
}

#[test]
fn check_sorts_the_tables_as_the_runtime_searches_them() {
    let draft = Draft {
        origins: key(
            items(&[
                "https://b.example",
                "https://a.example",
                "https://*.z.example",
                "http://localhost:*",
                "https://*.b.example:*",
                "http://127.0.0.1:*",
                "http://x.example",
            ]),
            "origins",
        ),
        methods: key(items(&["PUT", "GET"]), "methods"),
        headers: key(items(&["X-B", "content-type", "x-a"]), "headers"),
        expose_headers: key(items(&["X-Request-Id", "x-b"]), "expose_headers"),
        max_age: key(600, "max_age"),
        ..Draft::default()
    };
    let checked = check(draft, Site::Attribute).unwrap();
    let pattern = |scheme: &str, host: &str, port: &str| HostPattern {
        scheme: scheme.into(),
        host: host.into(),
        port: port.into(),
    };
    let Some(Origins::List(tables)) = &checked.origins else {
        panic!("{checked:?}");
    };
    assert_eq!(
        tables.exact,
        ["http://x.example", "https://a.example", "https://b.example"]
    );
    assert_eq!(
        tables.any_port,
        [
            pattern("http", "127.0.0.1", "*"),
            pattern("http", "localhost", "*")
        ]
    );
    assert_eq!(
        tables.subdomains,
        [
            pattern("https", "b.example", "*"),
            pattern("https", "z.example", "")
        ]
    );
    assert_eq!(tables.insecure.len(), 1);
    assert_eq!(
        checked.methods,
        Some(Methods::List(vec!["PUT".into(), "GET".into()]))
    );
    assert_eq!(
        checked.headers,
        Some(Headers::List {
            sorted: vec!["content-type".into(), "x-a".into(), "x-b".into()],
            joined: "x-b, content-type, x-a".into(),
        })
    );
    assert_eq!(
        checked.expose,
        Some(Expose::List("x-request-id, x-b".into()))
    );
    assert_eq!(checked.max_age, Some(600));
    let insecure = Facts {
        insecure_origin: true,
        ..Facts::default()
    };
    assert_eq!(checked.facts(), insecure);
}

#[test]
fn check_collects_every_mistake() {
    let draft = Draft {
        origins: key(
            items(&[
                "https://a.example/",
                "*",
                "null",
                "https://b.example",
                "https://b.example",
            ]),
            "origins",
        ),
        methods: key(items(&["patch", "CONNECT", "GET", "GET"]), "methods"),
        headers: key(items(&["cookie", "x-a", "X-A"]), "headers"),
        expose_headers: key(List::Items(vec![]), "expose_headers = []"),
        credentials: key(true, "credentials"),
        max_age: key(100_000, "max_age"),
        ..Draft::default()
    };
    let mistakes = check(draft, Site::Attribute).unwrap_err();
    let at: Vec<_> = messages(&mistakes).into_iter().map(|(at, _)| at).collect();
    assert_eq!(
        at,
        [
            "https://a.example/",
            "*",
            "null",
            "https://b.example",
            "patch",
            "CONNECT",
            "GET",
            "cookie",
            "X-A",
            "expose_headers = []",
            "max_age"
        ]
    );
    assert!(mistakes.iter().all(|m| !m.between_keys));
    assert_eq!(
        mistakes[3].message,
        "duplicate origin `https://b.example`; remove it"
    );
    assert_eq!(
        mistakes[9].message,
        "`expose_headers = []` is what leaving `expose_headers` out means; remove it"
    );
    assert!(mistakes[8]
        .message
        .contains("header names are case-insensitive"));
}

#[test]
fn the_rules_between_keys_come_last_at_both_keys() {
    let draft = Draft {
        origins: key(List::Any, "origins = \"*\""),
        methods: key(List::Any, "methods = \"*\""),
        credentials: key(true, "credentials = true"),
        private_network: key(true, "private_network = true"),
        allow_insecure: key(true, "insecure = true"),
        ..Draft::default()
    };
    let mistakes = check(draft, Site::Attribute).unwrap_err();
    let at: Vec<_> = messages(&mistakes).into_iter().map(|(at, _)| at).collect();
    assert_eq!(
        at,
        [
            "credentials = true",
            "origins = \"*\"",
            "credentials = true",
            "methods = \"*\"",
            "insecure = true",
            "private_network = true",
            "origins = \"*\"",
        ]
    );
    assert!(mistakes.iter().all(|m| m.between_keys));
    assert!(mistakes[4]
        .message
        .contains("has no effect: no origin here"));
}

#[test]
fn insecure_origins_under_credentials_are_reported_at_each_entry() {
    let draft = |allow| Draft {
        origins: key(
            items(&[
                "http://x.example",
                "http://localhost:3000",
                "http://y.example",
            ]),
            "origins",
        ),
        credentials: key(true, "credentials"),
        allow_insecure: allow,
        ..Draft::default()
    };
    let mistakes = check(draft(None), Site::PolicyMacro).unwrap_err();
    let at: Vec<_> = messages(&mistakes).into_iter().map(|(at, _)| at).collect();
    assert_eq!(at, ["http://x.example", "http://y.example"]);
    let checked: Checked<_> = check(draft(key(true, "allow")), Site::PolicyMacro).unwrap();
    assert!(checked.allow_insecure);
    assert!(!checked.facts().insecure_origin);
}

#[test]
fn a_missing_origins_names_the_front_end() {
    let draft = |at| Draft {
        methods: key(items(&["GET"]), "methods"),
        at,
        ..Draft::default()
    };
    let mistakes = check(draft(Some("policy")), Site::Runtime).unwrap_err();
    assert_eq!(mistakes[0].at, "policy");
    assert!(
        mistakes[0]
            .message
            .starts_with("the policy needs `origins`"),
        "{mistakes:?}"
    );
    let mistakes = check(draft(None), Site::PolicyMacro).unwrap_err();
    assert_eq!(mistakes[0].at, "methods");
    assert!(mistakes[0]
        .message
        .starts_with("policy!(...) needs `origins`"));
    let at_startup = Draft {
        origins_at_startup: true,
        ..draft(None)
    };
    assert!(check(at_startup, Site::Attribute).is_ok());
    let based = Draft {
        base: Some("BASE".into()),
        ..draft(None)
    };
    assert!(check(based, Site::Attribute).is_ok());
}

#[test]
fn check_origins_applies_the_rules_with_the_rest_of_the_policy() {
    let rest = Facts {
        credentials: true,
        ..Facts::default()
    };
    let list = items(&["https://a.example", "http://x.example"]);
    let mistakes = check_origins(list.clone(), "ENV", &rest, false).unwrap_err();
    assert_eq!(
        messages(&mistakes),
        [("http://x.example", "plain-http origin `http://x.example` cannot be combined with `credentials = true`: anyone on the network path can impersonate it and read the credentialed responses; use `https`, or add `dangerously_allow_insecure_origins = true`")]
    );
    let Origins::List(tables) = check_origins(list, "ENV", &rest, true).unwrap() else {
        panic!()
    };
    assert_eq!(tables.exact, ["http://x.example", "https://a.example"]);

    let mistakes = check_origins(List::Any, "ENV", &rest, false).unwrap_err();
    assert_eq!(
        messages(&mistakes),
        [(
            "ENV",
            Conflict::CredentialsAnyOrigin
                .message(Inherited::Neither, None)
                .as_str()
        )]
    );
    let pna = Facts {
        private_network: true,
        ..Facts::default()
    };
    let mistakes = check_origins(List::Any, "ENV", &pna, false).unwrap_err();
    assert_eq!(mistakes.len(), 1);
    assert!(mistakes[0]
        .message
        .starts_with("`private_network = true` cannot"));
    assert_eq!(
        check_origins(List::Any, "ENV", &Facts::default(), false),
        Ok(Origins::Any)
    );
    let mistakes = check_origins(items(&[]), "ENV", &Facts::default(), false).unwrap_err();
    assert!(mistakes[0]
        .message
        .starts_with("`origins = []` allows no origin"));
}

#[test]
fn stray_spaces_and_quotes_are_named_before_the_scheme() {
    for (text, expected) in [
        (
            " https://a.example",
            "origin ` https://a.example` has a leading space; remove it",
        ),
        (
            "https://a.example ",
            "origin `https://a.example ` has a trailing space; remove it",
        ),
        (
            "\"https://a.example\"",
            "origin `\"https://a.example\"` has a quote at each end; remove them",
        ),
    ] {
        let mistakes = check_origins(items(&[text]), "ENV", &Facts::default(), false).unwrap_err();
        assert_eq!(messages(&mistakes), [(text, expected)]);
    }
}

/// The messages of one key's value, each at its entry.
fn mistakes_of(draft: Draft<&'static str>) -> Vec<(&'static str, String)> {
    match check(draft, Site::Attribute) {
        Ok(_) => Vec::new(),
        Err(mistakes) => mistakes.into_iter().map(|m| (m.at, m.message)).collect(),
    }
}

fn with_origins(list: &[&'static str]) -> Draft<&'static str> {
    Draft {
        origins: key(items(list), "origins"),
        ..Draft::default()
    }
}

fn with(which: &str, list: &[&'static str]) -> Draft<&'static str> {
    let value = key(items(list), "key");
    let draft = with_origins(&["https://a.example"]);
    match which {
        "methods" => Draft {
            methods: value,
            ..draft
        },
        "headers" => Draft {
            headers: value,
            ..draft
        },
        _ => Draft {
            expose_headers: value,
            ..draft
        },
    }
}

#[track_caller]
fn says(draft: Draft<&'static str>, expected: &[(&str, &str)]) {
    let got = mistakes_of(draft);
    assert_eq!(got.len(), expected.len(), "{got:?}");
    for ((at, message), (want_at, want)) in got.iter().zip(expected) {
        assert_eq!(at, want_at, "{got:?}");
        assert!(message.contains(want), "{message:?} does not say {want:?}");
    }
}

#[test]
fn a_star_is_placed_alone_without_brackets() {
    says(
        with_origins(&["*"]),
        &[(
            "*",
            "`\"*\"` is written without brackets; write `origins = \"*\"`",
        )],
    );
    says(
        with_origins(&["https://a.example", "*"]),
        &[(
            "*",
            "`*` cannot be mixed with other origins; write `origins = \"*\"` alone",
        )],
    );
    says(
        with("methods", &["*"]),
        &[("*", "without brackets; write `methods = \"*\"`")],
    );
    says(
        with("methods", &["GET", "*"]),
        &[("*", "cannot be mixed with other methods")],
    );
    says(
        with("expose_headers", &["*"]),
        &[("*", "without brackets; write `expose_headers = \"*\"`")],
    );
    says(
        with("expose_headers", &["x-a", "*"]),
        &[("*", "cannot be mixed with other header names")],
    );
}

#[test]
fn a_repeated_or_covered_origin_is_reported_at_the_later_or_narrower_entry() {
    let item = |text: &str, at| Item {
        text: text.to_owned(),
        at,
    };
    let list = vec![
        item("https://a.example", "first"),
        item("https://b.example", "second"),
        item("https://a.example", "third"),
    ];
    says(
        Draft {
            origins: key(List::Items(list), "origins"),
            ..Draft::default()
        },
        &[("third", "duplicate origin `https://a.example`; remove it")],
    );
    for list in [
        ["https://*.example.org", "https://a.example.org"],
        ["https://a.example.org", "https://*.example.org"],
    ] {
        says(
            with_origins(&list),
            &[(
                "https://a.example.org",
                "origin `https://a.example.org` is already allowed by `https://*.example.org`; remove it",
            )],
        );
    }
}

#[test]
fn a_list_written_in_one_string_is_split_in_the_fix() {
    says(
        with("methods", &["PUT, DELETE"]),
        &[(
            "PUT, DELETE",
            "list each method on its own: `[PUT, DELETE]`",
        )],
    );
    says(
        with("methods", &["PURGE Get"]),
        &[(
            "PURGE Get",
            "list each method on its own: `[PURGE, \"Get\"]`",
        )],
    );
    // One part, or a part that is not a token: no split to offer.
    for one in ["PUT,", "PUT, D\u{c9}LETE"] {
        let got = mistakes_of(with("methods", &[one]));
        assert!(
            got[0].1.contains("a method is a token, without spaces"),
            "{got:?}"
        );
    }
    says(
        with("headers", &["X-A, X-B"]),
        &[(
            "X-A, X-B",
            "list each header on its own: `[\"X-A\", \"X-B\"]`",
        )],
    );
}

#[test]
fn invalid_header_names_get_the_fix_that_fits() {
    says(
        with("headers", &["x-a:"]),
        &[("x-a:", "has no spaces or colon; write `\"x-a\"`")],
    );
    for generic in ["x a", " x a"] {
        says(
            with("headers", &[generic]),
            &[(
                generic,
                "a header name is a token, without spaces, commas, colons",
            )],
        );
    }
}

#[test]
fn request_headers_the_browser_owns_are_named() {
    says(
        with("headers", &["origin"]),
        &[(
            "origin",
            "`origin` belongs to the CORS protocol: the browser sets it itself",
        )],
    );
    says(
        with("headers", &["cookie"]),
        &[(
            "cookie",
            "use `credentials = true` for the browser to send cookies",
        )],
    );
    says(
        with("headers", &["*", "x-a"]),
        &[("x-a", "`x-a` is already covered by `*`")],
    );
    let checked = check(with("headers", &["*", "authorization"]), Site::Attribute).unwrap();
    assert_eq!(
        checked.headers,
        Some(Headers::Any {
            authorization: true
        })
    );
    let checked = check(with("headers", &["*"]), Site::Attribute).unwrap();
    assert_eq!(
        checked.headers,
        Some(Headers::Any {
            authorization: false
        })
    );
}

/// `dangerously_allow_insecure_origins = true` is "no effect" only when
/// nothing elsewhere (a base, start-up, an entry already refused) may hold a
/// plain-http origin, and credentials are impossible.
#[test]
fn the_insecure_opt_in_has_no_effect_only_where_nothing_can_need_it() {
    let opt_in = |origins: Option<&[&'static str]>, base: bool, credentials: Option<bool>| Draft {
        origins: origins.and_then(|list| key(items(list), "origins")),
        base: base.then(|| "BASE".to_owned()),
        credentials: credentials.and_then(|c| key(c, "credentials")),
        allow_insecure: key(true, "opt-in"),
        ..Draft::default()
    };
    let no_origin_needs_it = "has no effect: no origin here is plain `http` off loopback";
    let no_credentials = "has no effect without `credentials = true`";
    says(
        opt_in(Some(&["https://a.example"]), true, Some(true)),
        &[("opt-in", no_origin_needs_it)],
    );
    says(opt_in(None, true, Some(true)), &[]);
    says(
        opt_in(Some(&["http://a.example"]), false, None),
        &[("opt-in", no_credentials)],
    );
    says(opt_in(Some(&["http://a.example"]), true, None), &[]);
    let policy_macro = check(
        opt_in(Some(&["http://a.example"]), false, None),
        Site::PolicyMacro,
    );
    assert!(
        policy_macro.is_ok(),
        "a policy! may become credentialed as a base"
    );
    // An entry already refused may be the plain-http origin meant.
    says(
        opt_in(Some(&["http://a.example/"]), false, Some(true)),
        &[("http://a.example/", "without a trailing `/`")],
    );
}
