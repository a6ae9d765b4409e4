//! Turns a validated policy into tokens: a `const` table of `'static` data
//! sorted and joined here, so the runtime only looks things up.

use proc_macro2::{Span, TokenStream};
use quote::{quote, quote_spanned};
use syn::Path;

use crate::attr::Args;
use crate::ctxt::Ctxt;
use crate::handler::HandlerFn;
use crate::origin::OriginPattern;
use crate::valid::{self, Expose, Given, Headers, Inherited, Methods, Origins, Policy, Site};

/// `#[cors(...)]`: the fn as written, plus a same-named braced struct (type
/// namespace only) that carries the policy for `route!`.
pub fn cors(args: TokenStream, input: TokenStream) -> TokenStream {
    let mut cx = Ctxt::default();
    let handler = match syn::parse2::<HandlerFn>(input.clone()) {
        Ok(handler) => handler,
        // Keep the item so that the rest of the crate still resolves it, and
        // check the attribute all the same.
        Err(error) => {
            cx.push(error);
            parse_and_check(&mut cx, args, Site::Attribute);
            let errors = cx.into_compile_errors();
            return quote!(#errors #input);
        }
    };
    let item = handler.to_tokens();
    // A method or a generic fn cannot get a companion struct, but its
    // attribute is still checked so that every mistake shows at once.
    let unsupported = handler.unsupported();
    let supported = unsupported.is_none();
    cx.extend(unsupported);
    let policy = parse_and_check(&mut cx, args, Site::Attribute);
    if !supported {
        let errors = cx.into_compile_errors();
        return quote!(#errors #item);
    }
    let (policy, checks) = match policy.filter(|_| !cx.has_errors()) {
        Some(policy) => (policy_tokens(&policy), merge_checks(&policy)),
        // A placeholder that allows nothing, so that `route!` and other uses
        // of the handler type-check and the user sees only the errors above.
        None => (
            quote!(::cors_runtime::CorsPolicy::__deny_all()),
            TokenStream::new(),
        ),
    };
    let errors = cx.into_compile_errors();
    let HandlerFn { vis, sig, .. } = &handler;
    let name = &sig.ident;
    quote! {
        #item
        #errors

        #[doc(hidden)]
        #[allow(non_camel_case_types)]
        #vis struct #name {}

        #[allow(deprecated)]
        impl ::cors_runtime::__private::HandlerPolicy for #name {
            const POLICY: &'static ::cors_runtime::CorsPolicy = &#policy;
        }

        #checks
    }
}

/// `policy!(...)`: a `CorsPolicy` expression for a `const`.
pub fn policy(args: TokenStream) -> TokenStream {
    let mut cx = Ctxt::default();
    let policy = parse_and_check(&mut cx, args, Site::PolicyMacro);
    match policy.filter(|_| !cx.has_errors()) {
        Some(policy) => policy_tokens(&policy),
        None => {
            let errors = cx.into_compile_errors();
            quote!({ #errors ::cors_runtime::CorsPolicy::__deny_all() })
        }
    }
}

fn parse_and_check(cx: &mut Ctxt, args: TokenStream, site: Site) -> Option<Policy> {
    match syn::parse2::<Args>(args) {
        Ok(args) => Some(valid::policy(cx, args, site)),
        Err(error) => {
            cx.push(error);
            None
        }
    }
}

fn policy_tokens(p: &Policy) -> TokenStream {
    let private = quote!(::cors_runtime::__private);
    let origins = p
        .origins
        .as_ref()
        .map(|o| origins_tokens(&o.value, p.allows_insecure()));
    let methods = p.methods.as_ref().map(|m| match &m.value {
        Methods::Any => quote!(#private::Methods::Any),
        Methods::List(list) => quote!(#private::Methods::List(&[#(#list),*])),
    });
    let headers = p.headers.as_ref().map(|h| match &h.value {
        Headers::Any { authorization } => {
            quote!(#private::RequestHeaders::Any { authorization: #authorization })
        }
        Headers::List(list) => header_list(list),
    });
    let expose = p.expose.as_ref().map(|e| match &e.value {
        Expose::Any => quote!(#private::ExposeHeaders::Any),
        Expose::List(list) => {
            let joined = list.join(", ");
            quote!(#private::ExposeHeaders::List(#joined))
        }
    });
    let credentials = p.credentials.as_ref().map(|c| c.value);
    let max_age = p.max_age.as_ref().map(|m| {
        let seconds = m.value.to_string();
        quote!(::core::option::Option::Some(#seconds))
    });
    let private_network = p.private_network.as_ref().map(|p| p.value);

    if let Some(base) = &p.base {
        let some = |t: Option<TokenStream>| match t {
            Some(t) => quote!(::core::option::Option::Some(#t)),
            None => quote!(::core::option::Option::None),
        };
        let (origins, methods, headers, expose) =
            (some(origins), some(methods), some(headers), some(expose));
        let credentials = some(credentials.map(|c| quote!(#c)));
        let max_age = some(max_age);
        let private_network = some(private_network.map(|p| quote!(#p)));
        return quote! {
            ::cors_runtime::CorsPolicy::__merge(&#base, #private::Overrides {
                origins: #origins,
                methods: #methods,
                headers: #headers,
                expose: #expose,
                credentials: #credentials,
                max_age: #max_age,
                private_network: #private_network,
            })
        };
    }
    let origins = origins.expect("`origins` is required without `policy`");
    let methods = methods.unwrap_or_else(|| quote!(#private::Methods::Routed));
    let headers = headers.unwrap_or_else(|| header_list(&[]));
    let expose = expose.unwrap_or_else(|| quote!(#private::ExposeHeaders::None));
    let max_age = max_age.unwrap_or_else(|| quote!(::core::option::Option::None));
    let (credentials, private_network) = (
        credentials.unwrap_or(false),
        private_network.unwrap_or(false),
    );
    quote! {
        ::cors_runtime::CorsPolicy::__new(#origins, #methods, #headers, #expose, #credentials, #max_age, #private_network)
    }
}

fn origins_tokens(origins: &Origins, allow_insecure: bool) -> TokenStream {
    let private = quote!(::cors_runtime::__private);
    let Origins::List(list) = origins else {
        return quote!(#private::Origins::Any);
    };
    // Sorted here so that the runtime can binary-search; the order must be the
    // byte order `HostPattern`'s derived `Ord` and `str::cmp` use.
    let mut exact: Vec<&str> = Vec::new();
    let mut any_port: Vec<(&str, &str, &str)> = Vec::new();
    let mut subdomains: Vec<(&str, &str, &str)> = Vec::new();
    for (pattern, _) in list {
        match pattern {
            OriginPattern::Exact(origin) => exact.push(origin),
            OriginPattern::AnyPort { scheme, host } => any_port.push((scheme, host, "*")),
            OriginPattern::Subdomains { scheme, apex, port } => {
                subdomains.push((scheme, apex, port))
            }
        }
    }
    exact.sort_unstable();
    any_port.sort_unstable();
    subdomains.sort_unstable();
    let patterns = |table: Vec<(&str, &str, &str)>| {
        let entries = table
            .into_iter()
            .map(|(scheme, host, port)| quote!(#private::HostPattern { scheme: #scheme, host: #host, port: #port }));
        quote!(&[#(#entries),*])
    };
    let (any_port, subdomains) = (patterns(any_port), patterns(subdomains));
    let insecure = !allow_insecure && list.iter().any(|(o, _)| o.is_insecure());
    quote! {
        #private::Origins::List(#private::OriginList {
            exact: &[#(#exact),*],
            any_port: #any_port,
            subdomains: #subdomains,
            insecure: #insecure,
        })
    }
}

fn header_list(list: &[String]) -> TokenStream {
    let mut sorted: Vec<&String> = list.iter().collect();
    sorted.sort_unstable();
    let header = list.join(", ");
    quote!(::cors_runtime::__private::RequestHeaders::List { sorted: &[#(#sorted),*], header: #header })
}

/// With `policy = BASE`, the combinations of a key given here with a key
/// inherited from `BASE`, checked while the `const` is evaluated. Each check
/// is spanned at the key given here, and its message names `BASE` as the other
/// place.
fn merge_checks(p: &Policy) -> TokenStream {
    let Some(base) = &p.base else {
        return TokenStream::new();
    };
    let base_text = path_text(base);
    let base_text = base_text.as_str();
    let mut checks = TokenStream::new();
    let mut check = |span: Span, condition: TokenStream, message: String| {
        let message = message.replace('{', "{{").replace('}', "}}");
        checks.extend(quote_spanned! {span=>
            const _: () = if #condition { ::core::panic!(#message) };
        });
    };

    // `credentials = true` here, a wildcard in BASE.
    if let Some(credentials) = p.credentials.as_ref().filter(|c| c.value) {
        let span = first_span(&credentials.tokens);
        for (key, absent, probe) in [
            ("origins", p.origins.is_none(), quote!(allows_any_origin)),
            ("methods", p.methods.is_none(), quote!(__allows_any_method)),
            ("headers", p.headers.is_none(), quote!(__allows_any_header)),
            (
                "expose_headers",
                p.expose.is_none(),
                quote!(__exposes_any_header),
            ),
        ] {
            if absent {
                let message = valid::credentialed_wildcard(key, Inherited::Other(base_text));
                check(span, quote!(#base.#probe()), message);
            }
        }
        if p.origins.is_none() && !p.allows_insecure() {
            let message = format!(
                "`credentials = true` cannot be combined with the plain-http origins of `policy = {base_text}`: anyone on the network path can impersonate them and read the credentialed responses; use `https` origins, or add `{} = true`",
                valid::INSECURE_KEY
            );
            check(span, quote!(#base.__has_insecure_origin()), message);
        }
    }

    // A wildcard or a plain-http origin here, `credentials = true` in BASE.
    if p.credentials.is_none() {
        let mut wildcards = Vec::new();
        if let Some(Given {
            value: Origins::Any,
            tokens,
        }) = &p.origins
        {
            wildcards.push((tokens, "origins"));
        }
        if let Some(Given {
            value: Methods::Any,
            tokens,
        }) = &p.methods
        {
            wildcards.push((tokens, "methods"));
        }
        if let Some(Given {
            value: Headers::Any { .. },
            tokens,
        }) = &p.headers
        {
            wildcards.push((tokens, "headers"));
        }
        if let Some(Given {
            value: Expose::Any,
            tokens,
        }) = &p.expose
        {
            wildcards.push((tokens, "expose_headers"));
        }
        for (tokens, key) in wildcards {
            let message = valid::credentialed_wildcard(key, Inherited::Flag(base_text));
            check(
                first_span(tokens),
                quote!(#base.allows_credentials()),
                message,
            );
        }
        if !p.allows_insecure() {
            for lit in p.insecure_origins() {
                let message =
                    valid::insecure_with_credentials(&lit.value(), Inherited::Flag(base_text));
                check(lit.span(), quote!(#base.allows_credentials()), message);
            }
        }
    }

    // `private_network = true` on one side, `origins = "*"` on the other.
    if let Some(pna) = p.private_network.as_ref().filter(|p| p.value) {
        if p.origins.is_none() {
            check(
                first_span(&pna.tokens),
                quote!(#base.allows_any_origin()),
                valid::private_network_any_origin(Inherited::Other(base_text)),
            );
        }
    }
    if let (
        Some(Given {
            value: Origins::Any,
            tokens,
        }),
        None,
    ) = (&p.origins, &p.private_network)
    {
        check(
            first_span(tokens),
            quote!(#base.__allows_private_network()),
            valid::private_network_any_origin(Inherited::Flag(base_text)),
        );
    }
    checks
}

fn first_span(tokens: &TokenStream) -> Span {
    tokens
        .clone()
        .into_iter()
        .next()
        .map_or_else(Span::call_site, |t| t.span())
}

fn path_text(path: &Path) -> String {
    quote!(#path).to_string().replace(' ', "")
}

#[cfg(test)]
mod tests {
    use quote::quote;

    fn errors(output: &proc_macro2::TokenStream) -> usize {
        output.to_string().matches("compile_error").count()
    }

    #[test]
    fn reports_every_semantic_error_of_an_attribute() {
        let output = super::cors(
            quote!(
                origins = ["https://a.example/", "null"],
                methods = [patch],
                colour = 1
            ),
            quote!(
                async fn handler() {}
            ),
        );
        assert_eq!(errors(&output), 4, "{output}");
    }

    #[test]
    fn an_invalid_policy_still_emits_the_fn_and_its_companion() {
        let output = super::cors(
            quote!(origins = "*", credentials = true),
            quote!(
                async fn handler() {}
            ),
        )
        .to_string();
        assert!(output.contains("async fn handler"), "{output}");
        assert!(output.contains("struct handler"), "{output}");
        assert!(output.contains("__deny_all"), "{output}");
    }

    #[test]
    fn an_unsupported_item_still_has_its_attribute_checked() {
        let output = super::cors(
            quote!(origins = ["https://a.example/"]),
            quote!(
                async fn handler<T>() {}
            ),
        );
        assert_eq!(errors(&output), 2, "{output}");
    }
}
