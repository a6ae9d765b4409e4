//! Turns a checked policy into tokens: a `const` built through the checked
//! constructors of `cors_runtime::__private` (its `contract.rs`), from the
//! tables `cors_rules::check` already sorted and joined, so the runtime only
//! looks things up.

use cors_rules::{Conflict, Expose, Headers, Inherited, Methods, Origins};
use proc_macro2::{Span, TokenStream};
use quote::{format_ident, quote, quote_spanned};

use crate::attr::Args;
use crate::ctxt::Ctxt;
use crate::handler::HandlerFn;
use crate::valid::{self, Loc, Policy};
use cors_rules::Site;

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
    let HandlerFn { vis, sig, .. } = &handler;
    let name = &sig.ident;
    let (policy, checks) = match policy.filter(|_| !cx.has_errors()) {
        Some(policy) => (policy_tokens(&policy), merge_checks(&policy, name)),
        // A placeholder that allows nothing, so that `route!` and other uses
        // of the handler type-check and the user sees only the errors above.
        None => (
            quote!(::cors_runtime::__private::deny_all()),
            TokenStream::new(),
        ),
    };
    let errors = cx.into_compile_errors();
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
            quote!({ #errors ::cors_runtime::__private::deny_all() })
        }
    }
}

fn parse_and_check(cx: &mut Ctxt, args: TokenStream, site: Site) -> Option<Policy> {
    match syn::parse2::<Args>(args) {
        Ok(args) => valid::policy(cx, args, site),
        Err(error) => {
            cx.push(error);
            None
        }
    }
}

fn policy_tokens(p: &Policy) -> TokenStream {
    let private = quote!(::cors_runtime::__private);
    let c = &p.checked;
    let origins = c
        .origins
        .as_ref()
        .map(|o| origins_tokens(o, c.allow_insecure));
    let origins = match &p.env {
        Some(env) => {
            let name = &env.name;
            let default = match origins {
                Some(origins) => quote!(::core::option::Option::Some(#origins)),
                None => quote!(::core::option::Option::None),
            };
            let allow_insecure = c.allow_insecure;
            // A `const` of its own, so that the reference is `'static`.
            Some(quote!({
                const ENV: &#private::EnvOrigins = &#private::EnvOrigins {
                    name: #name,
                    default: #default,
                    allow_insecure: #allow_insecure,
                };
                #private::Origins::Env(ENV)
            }))
        }
        None => origins,
    };
    let methods = c.methods.as_ref().map(|m| match m {
        Methods::Any => quote!(#private::Methods::Any),
        Methods::List(list) => quote!(#private::Methods::list(&[#(#list),*])),
    });
    let headers = c.headers.as_ref().map(|h| match h {
        Headers::Any { authorization } => {
            quote!(#private::RequestHeaders::Any { authorization: #authorization })
        }
        Headers::List { sorted, joined } => {
            quote!(#private::RequestHeaders::list(&[#(#sorted),*], #joined))
        }
    });
    let expose = c.expose.as_ref().map(|e| match e {
        Expose::Any => quote!(#private::ExposeHeaders::Any),
        Expose::List(joined) => quote!(#private::ExposeHeaders::List(#joined)),
    });
    let credentials = c.credentials;
    let max_age = c.max_age.map(|m| {
        let seconds = m.to_string();
        quote!(::core::option::Option::Some(#seconds))
    });
    let private_network = c.private_network;

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
        let allow_insecure = c.allow_insecure;
        return quote! {
            #private::merge(&#base, #private::Overrides {
                origins: #origins,
                methods: #methods,
                headers: #headers,
                expose: #expose,
                credentials: #credentials,
                max_age: #max_age,
                private_network: #private_network,
                allow_insecure: #allow_insecure,
            })
        };
    }
    let origins = origins.expect("`origins` is required without `policy`");
    let methods = methods.unwrap_or_else(|| quote!(#private::Methods::Routed));
    let headers = headers.unwrap_or_else(|| quote!(#private::RequestHeaders::list(&[], "")));
    let expose = expose.unwrap_or_else(|| quote!(#private::ExposeHeaders::None));
    let max_age = max_age.unwrap_or_else(|| quote!(::core::option::Option::None));
    let (credentials, private_network) = (
        credentials.unwrap_or(false),
        private_network.unwrap_or(false),
    );
    quote! {
        #private::policy(#private::Parts {
            origins: #origins,
            methods: #methods,
            headers: #headers,
            expose: #expose,
            credentials: #credentials,
            max_age: #max_age,
            private_network: #private_network,
        })
    }
}

/// The tables as `cors_rules` sorted them, through the checked constructor.
fn origins_tokens(origins: &Origins<Loc>, allow_insecure: bool) -> TokenStream {
    let private = quote!(::cors_runtime::__private);
    let Origins::List(tables) = origins else {
        return quote!(#private::Origins::Any);
    };
    let patterns = |table: &[cors_rules::HostPattern]| {
        let entries = table.iter().map(|cors_rules::HostPattern { scheme, host, port }| {
            quote!(#private::HostPattern { scheme: #scheme, host: #host, port: #port })
        });
        quote!(&[#(#entries),*])
    };
    let exact = &tables.exact;
    let (any_port, subdomains) = (patterns(&tables.any_port), patterns(&tables.subdomains));
    let insecure = !allow_insecure && !tables.insecure.is_empty();
    quote! {
        #private::Origins::List(#private::OriginList::new(&[#(#exact),*], #any_port, #subdomains, #insecure))
    }
}

/// With `policy = BASE`, each `Conflict` between a key given here and one
/// inherited from `BASE`, checked on the merged policy while its `const` is
/// evaluated. Each check is spanned at the key given here, and its message
/// names `BASE` as the other place.
fn merge_checks(p: &Policy, name: &syn::Ident) -> TokenStream {
    let Some(base) = &p.base else {
        return TokenStream::new();
    };
    let base_text = valid::path_text(base);
    let private = quote!(::cors_runtime::__private);
    let here = p.checked.facts();
    let mut checks = TokenStream::new();
    let mut check = |span: Span, conflict: Conflict, message: String| {
        let message = message.replace('{', "{{").replace('}', "}}");
        let variant = format_ident!("{conflict:?}");
        checks.extend(quote_spanned! {span=>
            const _: () = if #private::Conflict::#variant.holds(&#private::facts(
                <#name as #private::HandlerPolicy>::POLICY
            )) {
                ::core::panic!(#message)
            };
        });
    };
    let insecure: &[cors_rules::Item<Loc>] = match &p.checked.origins {
        Some(Origins::List(tables)) => &tables.insecure,
        _ => &[],
    };
    for conflict in Conflict::ALL {
        let (flag_key, other_key) = conflict.keys();
        let (flag_here, other_here) = conflict.sides(&here);
        match (p.written(flag_key), p.written(other_key)) {
            // `credentials = true` here, a wildcard (or plain-http origins) in BASE.
            (Some(flag), None) if flag_here => check(
                first_span(flag),
                conflict,
                conflict.message(Inherited::Other(&base_text), None),
            ),
            // Plain-http origins here, `credentials = true` in BASE: at each.
            (None, Some(_)) if other_here && conflict == Conflict::CredentialsInsecureOrigin => {
                for item in insecure {
                    let message = conflict.message(Inherited::Flag(&base_text), Some(&item.text));
                    check(first_span(&item.at.tokens), conflict, message);
                }
            }
            // A wildcard here, the flag in BASE.
            (None, Some(other)) if other_here => check(
                first_span(other),
                conflict,
                conflict.message(Inherited::Flag(&base_text), None),
            ),
            _ => {}
        }
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
        assert!(output.contains("deny_all"), "{output}");
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
