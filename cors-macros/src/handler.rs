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
        let sig: Signature = input.parse().map_err(|e| {
            syn::Error::new(
                e.span(),
                "#[cors] can only be used on a free fn, the handler it applies to",
            )
        })?;
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
                "#[cors] can only be used on a free fn, not a method; move the handler out of the impl block",
            ));
        }
        if !sig.generics.params.is_empty() {
            return Some(syn::Error::new_spanned(
                &sig.generics,
                "#[cors] doesn't support generic handlers; route! needs one concrete fn per policy",
            ));
        }
        None
    }
}
