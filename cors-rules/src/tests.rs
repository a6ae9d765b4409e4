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
