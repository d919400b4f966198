//! The `rules` module of a crate's server side: the constraints of every schema its
//! operations' requests and responses hold, as one static table of
//! `runtime::server::Rule`s (plain data the compiler evaluates once, not code per
//! schema), and the table of `pattern`s they name.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use crate::model::{Api, Rule, RuleValue};

/// The `rules.rs` file.
pub fn rules_file(api: &Api) -> TokenStream {
    let table = &api.rules;
    let mut used = Used::default();
    let rules: Vec<TokenStream> = table.rules.iter().map(|r| rule(r, &mut used)).collect();
    let imports = used.imports();
    let count = Literal::usize_unsuffixed(table.rules.len());
    let patterns = table.patterns.iter();
    let pattern_count = Literal::usize_unsuffixed(table.patterns.len());
    quote! {
        //! The constraints of the schemas the operations' requests and answers hold, which
        //! the server checks requests against and the mock makes its answers from: one
        //! rule per schema, naming the others by index. `runtime::server::check::check`
        //! checks a value of your own against one of them.

        use crate::runtime::server::{#(#imports),*};

        /// The rules and patterns of this description.
        pub static RULES: Rules = Rules {
            rules: &TABLE,
            patterns: &PATTERNS,
        };

        static TABLE: [Rule; #count] = [#(#rules),*];

        static PATTERNS: [Pattern; #pattern_count] = [#(Pattern::new(#patterns)),*];
    }
}

/// The names of `runtime::server` the table uses, so the file imports those alone.
#[derive(Default)]
struct Used {
    additional: bool,
    bound: bool,
    discriminator: bool,
    format: bool,
    literal: bool,
    types: bool,
}

impl Used {
    fn imports(&self) -> Vec<syn::Ident> {
        let optional = [
            ("Additional", self.additional),
            ("Bound", self.bound),
            ("Discriminator", self.discriminator),
            ("Format", self.format),
            ("Literal", self.literal),
        ];
        let mut names: Vec<&str> = optional
            .into_iter()
            .filter_map(|(name, used)| used.then_some(name))
            .collect();
        names.extend(["Pattern", "Rule", "Rules"]);
        if self.types {
            names.push("Types");
        }
        names.into_iter().map(super::super::tokens::ident).collect()
    }
}

fn index(value: usize) -> Literal {
    Literal::u32_unsuffixed(u32::try_from(value).unwrap_or(0))
}

fn count(value: Option<u64>) -> Option<TokenStream> {
    value.map(|value| {
        let value = Literal::u64_unsuffixed(value);
        quote!(Some(#value))
    })
}

fn float(value: f64) -> Literal {
    if value.is_finite() {
        Literal::f64_unsuffixed(value)
    } else {
        Literal::f64_unsuffixed(0.0)
    }
}

/// `Rule { … ..Rule::ANY }` with the fields that differ from a rule that allows anything.
fn rule(rule: &Rule, used: &mut Used) -> TokenStream {
    let mut fields = Vec::new();
    if rule.types != 127 {
        used.types = true;
        let types = Literal::u8_unsuffixed(rule.types);
        fields.push(quote!(types: Types(#types)));
    }
    if !rule.values.is_empty() {
        used.literal = true;
        let values = rule.values.iter().map(|value| match value {
            RuleValue::Null => quote!(Literal::Null),
            RuleValue::Bool(value) => quote!(Literal::Bool(#value)),
            RuleValue::Number(value) => {
                let value = float(*value);
                quote!(Literal::Number(#value))
            }
            RuleValue::String(text) => quote!(Literal::String(#text)),
            RuleValue::Json(text) => quote!(Literal::Json(#text)),
        });
        fields.push(quote!(values: &[#(#values),*]));
    }
    if let Some(format) = &rule.format {
        used.format = true;
        let variant = super::super::tokens::ident(match format.as_str() {
            "date-time" => "DateTime",
            "date" => "Date",
            "time" => "Time",
            "email" => "Email",
            "uuid" => "Uuid",
            "ipv4" => "Ipv4",
            "ipv6" => "Ipv6",
            "int32" => "Int32",
            "int64" => "Int64",
            "byte" => "Byte",
            "binary" => "Binary",
            "uri" => "Uri",
            _ => "None",
        });
        fields.push(quote!(format: Format::#variant));
    }
    if let Some(min) = count(rule.min_length) {
        fields.push(quote!(min_length: #min));
    }
    if let Some(max) = count(rule.max_length) {
        fields.push(quote!(max_length: #max));
    }
    if let Some(pattern) = rule.pattern {
        let pattern = index(pattern);
        fields.push(quote!(pattern: Some(#pattern)));
    }
    for (name, bound) in [("minimum", rule.minimum), ("maximum", rule.maximum)] {
        if let Some((value, exclusive)) = bound {
            used.bound = true;
            let name = super::super::tokens::ident(name);
            let value = float(value);
            fields.push(quote!(#name: Some(Bound { value: #value, exclusive: #exclusive })));
        }
    }
    if let Some(step) = rule.multiple_of {
        let step = float(step);
        fields.push(quote!(multiple_of: Some(#step)));
    }
    if let Some(items) = rule.items {
        let items = index(items);
        fields.push(quote!(items: Some(#items)));
    }
    if let Some(min) = count(rule.min_items) {
        fields.push(quote!(min_items: #min));
    }
    if let Some(max) = count(rule.max_items) {
        fields.push(quote!(max_items: #max));
    }
    if rule.unique_items {
        fields.push(quote!(unique_items: true));
    }
    if !rule.properties.is_empty() {
        let properties = rule.properties.iter().map(|(name, at)| {
            let at = index(*at);
            quote!((#name, #at))
        });
        fields.push(quote!(properties: &[#(#properties),*]));
    }
    if !rule.required.is_empty() {
        let required = &rule.required;
        fields.push(quote!(required: &[#(#required),*]));
    }
    match rule.additional {
        None => {}
        Some(None) => {
            used.additional = true;
            fields.push(quote!(additional: Additional::Never));
        }
        Some(Some(at)) => {
            used.additional = true;
            let at = index(at);
            fields.push(quote!(additional: Additional::Rule(#at)));
        }
    }
    if let Some(min) = count(rule.min_properties) {
        fields.push(quote!(min_properties: #min));
    }
    if let Some(max) = count(rule.max_properties) {
        fields.push(quote!(max_properties: #max));
    }
    for (name, list) in [
        ("all_of", &rule.all_of),
        ("any_of", &rule.any_of),
        ("one_of", &rule.one_of),
    ] {
        if !list.is_empty() {
            let name = super::super::tokens::ident(name);
            let list = list.iter().map(|at| index(*at));
            fields.push(quote!(#name: &[#(#list),*]));
        }
    }
    if let Some(not) = rule.not {
        let not = index(not);
        fields.push(quote!(not: Some(#not)));
    }
    if let Some((property, mapping)) = &rule.discriminator {
        used.discriminator = true;
        let mapping = mapping.iter().map(|(value, at)| {
            let at = index(*at);
            quote!((#value, #at))
        });
        fields.push(quote!(discriminator: Some(Discriminator { property: #property, mapping: &[#(#mapping),*] })));
    }
    if rule.read_only {
        fields.push(quote!(read_only: true));
    }
    if rule.write_only {
        fields.push(quote!(write_only: true));
    }
    if rule.nullable {
        fields.push(quote!(nullable: true));
    }
    if fields.is_empty() {
        return quote!(Rule::ANY);
    }
    quote!(Rule { #(#fields,)* ..Rule::ANY })
}
