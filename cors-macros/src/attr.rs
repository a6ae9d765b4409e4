//! The syntax of `#[cors(...)]` and `policy!(...)`: `key = value` pairs.
//!
//! Only the shape is checked here, and a malformed shape stops parsing at once
//! (nothing after it can be read reliably). The shape of each value is
//! checked in `valid.rs` and its meaning in `cors_rules`, which together
//! report every problem at once.

use syn::parse::{Parse, ParseStream};
use syn::punctuated::Punctuated;
use syn::{Expr, Ident, Token};

/// One `key = value` entry, with the user's tokens kept for their spans.
pub struct Entry {
    pub key: Ident,
    pub value: Expr,
}

/// The whole argument list.
pub struct Args {
    pub entries: Vec<Entry>,
}

impl Parse for Entry {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let key: Ident = input.call(syn::ext::IdentExt::parse_any)?;
        if !input.peek(Token![=]) {
            let example = match key.to_string().as_str() {
                "credentials" | "private_network" | "dangerously_allow_insecure_origins" => "true",
                _ => "...",
            };
            return Err(syn::Error::new_spanned(
                &key,
                format!("expected `{key} = {example}`: every key takes a value"),
            ));
        }
        input.parse::<Token![=]>()?;
        let value: Expr = input.parse()?;
        Ok(Self { key, value })
    }
}

impl Parse for Args {
    fn parse(input: ParseStream<'_>) -> syn::Result<Self> {
        let entries = Punctuated::<Entry, Token![,]>::parse_terminated(input)?;
        Ok(Self {
            entries: entries.into_iter().collect(),
        })
    }
}
