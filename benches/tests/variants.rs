//! The variants really implement the policy being compared (a benchmark of a
//! router that skips the CORS work would be meaningless).

use cors_benches::scenario::{get_with_origin, ALLOWED_ORIGIN};
use cors_benches::{exec, origin_lists, Scenario, Variant};
use http::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN, ACCESS_CONTROL_EXPOSE_HEADERS, ACCESS_CONTROL_MAX_AGE, ALLOW,
    VARY,
};
use http::{HeaderMap, StatusCode};

fn send(variant: Variant, scenario: Scenario) -> (StatusCode, HeaderMap) {
    let res = exec::oneshot(variant.app(), scenario.request());
    (res.status(), res.headers().clone())
}

fn get(h: &HeaderMap, name: http::HeaderName) -> Option<&str> {
    h.get(name).map(|v| v.to_str().unwrap())
}

fn vary_has_origin(h: &HeaderMap) -> bool {
    h.get_all(VARY)
        .iter()
        .any(|v| v.to_str().unwrap().to_ascii_lowercase().contains("origin"))
}

#[test]
fn bare_has_no_cors_and_405s_preflights() {
    for scenario in Scenario::ALL {
        let (status, h) = send(Variant::Bare, scenario);
        assert!(get(&h, ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
        if scenario.is_preflight() {
            assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
            assert!(h.contains_key(ALLOW));
        } else {
            assert_eq!(status, StatusCode::OK);
        }
    }
}

#[test]
fn tower_http_applies_the_policy() {
    let (status, h) = send(Variant::TowerHttp, Scenario::AllowedGet);
    assert_eq!(status, StatusCode::OK);
    assert_eq!(get(&h, ACCESS_CONTROL_ALLOW_ORIGIN), Some(ALLOWED_ORIGIN));
    assert_eq!(get(&h, ACCESS_CONTROL_ALLOW_CREDENTIALS), Some("true"));
    assert_eq!(get(&h, ACCESS_CONTROL_EXPOSE_HEADERS), Some("x-request-id"));

    let (_, h) = send(Variant::TowerHttp, Scenario::DisallowedGet);
    assert!(get(&h, ACCESS_CONTROL_ALLOW_ORIGIN).is_none());

    let (status, h) = send(Variant::TowerHttp, Scenario::AllowedPreflight);
    assert_eq!(status, StatusCode::OK);
    assert_eq!(get(&h, ACCESS_CONTROL_ALLOW_ORIGIN), Some(ALLOWED_ORIGIN));
    assert_eq!(get(&h, ACCESS_CONTROL_MAX_AGE), Some("600"));
}

#[test]
fn this_crate_applies_the_policy() {
    for variant in [
        Variant::Route,
        Variant::Layer,
        Variant::CorsRouter,
        Variant::RouteEnv,
    ] {
        let (status, h) = send(variant, Scenario::AllowedGet);
        assert_eq!(status, StatusCode::OK, "{variant:?}");
        assert_eq!(get(&h, ACCESS_CONTROL_ALLOW_ORIGIN), Some(ALLOWED_ORIGIN));
        assert_eq!(get(&h, ACCESS_CONTROL_ALLOW_CREDENTIALS), Some("true"));
        assert_eq!(get(&h, ACCESS_CONTROL_EXPOSE_HEADERS), Some("x-request-id"));
        assert!(vary_has_origin(&h), "{variant:?}");

        for scenario in [Scenario::DisallowedGet, Scenario::NoOriginGet] {
            let (status, h) = send(variant, scenario);
            assert_eq!(status, StatusCode::OK, "{variant:?} {scenario:?}");
            assert!(get(&h, ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
            assert!(vary_has_origin(&h), "{variant:?} {scenario:?}");
        }

        let (status, h) = send(variant, Scenario::AllowedPreflight);
        assert_eq!(status, StatusCode::NO_CONTENT, "{variant:?}");
        assert_eq!(get(&h, ACCESS_CONTROL_ALLOW_ORIGIN), Some(ALLOWED_ORIGIN));
        assert_eq!(get(&h, ACCESS_CONTROL_ALLOW_METHODS), Some("PUT"));
        assert_eq!(
            get(&h, ACCESS_CONTROL_ALLOW_HEADERS),
            Some("content-type, x-api-key")
        );
        assert_eq!(get(&h, ACCESS_CONTROL_MAX_AGE), Some("600"));

        let (status, h) = send(variant, Scenario::RejectedPreflight);
        assert_eq!(status, StatusCode::FORBIDDEN, "{variant:?}");
        assert!(get(&h, ACCESS_CONTROL_ALLOW_ORIGIN).is_none());
    }
}

#[test]
fn origin_list_policies_match_last_exact_and_pattern() {
    type Build = fn(usize) -> axum::Router;
    let builds: [Build; 3] = [
        origin_lists::route_router,
        origin_lists::layer_router,
        origin_lists::tower_http_router,
    ];
    for build in builds {
        for n in origin_lists::SIZES {
            let router = build(n);
            for (origin, allowed) in [
                (origin_lists::last_exact_origin(n), true),
                (origin_lists::PATTERN_ORIGIN.to_owned(), true),
                (origin_lists::exact_origin(n), false),
                ("https://example.net".to_owned(), false),
            ] {
                let res = exec::oneshot(router.clone(), get_with_origin(&origin));
                assert_eq!(res.status(), StatusCode::OK);
                let acao = res.headers().get(ACCESS_CONTROL_ALLOW_ORIGIN);
                assert_eq!(acao.is_some(), allowed, "n={n} origin={origin}");
                if allowed {
                    assert_eq!(acao.unwrap(), &origin);
                }
            }
        }
    }
}
