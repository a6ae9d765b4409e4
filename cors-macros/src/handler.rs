//! The item under `#[cors]`: a free fn, kept exactly as written.

use proc_macro2::TokenStream;
use syn::parse::{Parse, ParseStream};
use syn::{Attribute, FnArg, Signature, Visibility};

/// A handler fn. Only the signature is parsed; the body stays an opaque token
/// stream, so expansion costs the same whatever the body's size and a syntax
/// error inside it stays rustc's to report.
pub struct HandlerFn {
    pub attrs: Vec<Attribute>,
    pub vis: Visibility,
    pub sig: Signature,
    pub body: TokenStream,
}

impl Parse for HandlerFn {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let attrs = input.call(Attribute::parse_outer)?;
        let vis: Visibility = input.parse()?;
        if !is_fn(input) {
            return Err(not_a_fn(input));
        }
        // A syntax error in the signature stays syn's, which points at it.
        let sig: Signature = input.parse()?;
        let content;
        syn::braced!(content in input);
        let body: TokenStream = content.parse()?;
        Ok(Self {
            attrs,
            vis,
            sig,
            body,
        })
    }
}

/// Whether the item ahead is a fn: qualifiers (`const async unsafe extern "C"`) then `fn`.
fn is_fn(input: ParseStream<'_>) -> bool {
    let mut cursor = input.cursor();
    loop {
        if let Some((ident, next)) = cursor.ident() {
            match ident.to_string().as_str() {
                "fn" => return true,
                "const" | "async" | "unsafe" | "extern" => cursor = next,
                _ => return false,
            }
        } else if let Some((_, next)) = cursor.literal() {
            cursor = next; // the ABI string of `extern "C"`
        } else {
            return false;
        }
    }
}

/// The error for `#[cors]` on an item that is not a fn, at the item's keyword.
fn not_a_fn(input: ParseStream<'_>) -> syn::Error {
    let (span, kind) = match input.cursor().ident() {
        Some((ident, _)) => {
            let kind = match ident.to_string().as_str() {
                "struct" => Some("a struct"),
                "enum" => Some("an enum"),
                "union" => Some("a union"),
                "impl" => Some("an impl block"),
                "trait" => Some("a trait"),
                "mod" => Some("a module"),
                "const" => Some("a const"),
                "static" => Some("a static"),
                "type" => Some("a type alias"),
                "use" => Some("a `use`"),
                _ => None,
            };
            (ident.span(), kind)
        }
        None => (input.span(), None),
    };
    let message = match kind {
        Some(kind) => format!("#[cors] goes on an axum handler fn, not on {kind}"),
        None => "#[cors] goes on an axum handler fn".to_owned(),
    };
    syn::Error::new(span, message)
}

impl HandlerFn {
    /// The fn as the user wrote it.
    pub fn to_tokens(&self) -> TokenStream {
        let Self {
            attrs,
            vis,
            sig,
            body,
        } = self;
        quote::quote!(#(#attrs)* #vis #sig { #body })
    }

    /// Handlers that the companion struct cannot stand for.
    pub fn unsupported(&self) -> Option<syn::Error> {
        let sig = &self.sig;
        if let Some(FnArg::Receiver(receiver)) = sig.inputs.first() {
            return Some(syn::Error::new_spanned(
                receiver,
                "#[cors] goes on a free fn, not on a method: `route!` finds the policy next to the fn, which a method cannot have; move the handler out of the impl block",
            ));
        }
        if !sig.generics.params.is_empty() {
            return Some(syn::Error::new_spanned(
                &sig.generics,
                "#[cors] does not support generic handlers: `route!` needs one concrete fn to attach the policy to; remove the generic parameters",
            ));
        }
        None
    }
}
