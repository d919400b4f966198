//! Reading generated structs: [`object`] reads a JSON object's members once, by name,
//! and a struct's `Deserialize` takes each member out with the method that says whether
//! it is required, nullable or defaulted. One shared reader instead of serde's derived
//! code per struct keeps large crates cheap to compile; an error names the member at
//! fault.
//!
//! This file is written once per generated crate, unchanged, by the generator.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{DeserializeOwned, Error as _, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;

/// The members of the object being read, by their index in the struct's list of names.
#[derive(Debug)]
pub struct Members {
    names: &'static [&'static str],
    values: Vec<Option<Value>>,
    /// Members the struct does not name, kept when it has a map for them.
    rest: Option<serde_json::Map<String, Value>>,
}

/// What a struct's `Deserialize` gives [`object`]: how to build it from the members.
pub type Build<T> = fn(&mut Members) -> Result<T, serde_json::Error>;

/// Reads an object whose members are `names` (those of a struct, in its order) and
/// builds the struct with `build`. Members not named are kept for
/// [`Members::rest`] when `keep_rest`, else ignored. Anything but an object is an error.
pub fn object<'de, D, T>(
    deserializer: D,
    names: &'static [&'static str],
    keep_rest: bool,
    build: Build<T>,
) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
{
    let mut members = deserializer.deserialize_map(ObjectVisitor { names, keep_rest })?;
    build(&mut members).map_err(D::Error::custom)
}

struct ObjectVisitor {
    names: &'static [&'static str],
    keep_rest: bool,
}

impl<'de> Visitor<'de> for ObjectVisitor {
    type Value = Members;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Members, A::Error> {
        let mut members = Members {
            names: self.names,
            values: vec![None; self.names.len()],
            rest: self.keep_rest.then(serde_json::Map::new),
        };
        while let Some(key) = map.next_key::<String>()? {
            match self.names.iter().position(|name| *name == key) {
                Some(index) if members.values[index].is_some() => {
                    return Err(A::Error::custom(format_args!("duplicate member `{key}`")));
                }
                Some(index) => members.values[index] = Some(map.next_value()?),
                None => match &mut members.rest {
                    Some(rest) => {
                        rest.insert(key, map.next_value()?);
                    }
                    None => {
                        map.next_value::<IgnoredAny>()?;
                    }
                },
            }
        }
        Ok(members)
    }
}

impl Members {
    /// The member `index`, read as `T`; its name leads any error.
    fn read<T: DeserializeOwned>(
        &self,
        index: usize,
        value: Value,
    ) -> Result<T, serde_json::Error> {
        serde_json::from_value(value).map_err(|error| {
            serde_json::Error::custom(format_args!("`{}`: {error}", self.names[index]))
        })
    }

    fn missing(&self, index: usize) -> serde_json::Error {
        serde_json::Error::custom(format_args!("missing member `{}`", self.names[index]))
    }

    /// A required member that may not be `null`.
    pub fn required<T: DeserializeOwned>(&mut self, index: usize) -> Result<T, serde_json::Error> {
        match self.values[index].take() {
            Some(value) => self.read(index, value),
            None => Err(self.missing(index)),
        }
    }

    /// A required member that may be `null` (`None`).
    pub fn required_nullable<T: DeserializeOwned>(
        &mut self,
        index: usize,
    ) -> Result<Option<T>, serde_json::Error> {
        match self.values[index].take() {
            Some(value) => self.read(index, value),
            None => Err(self.missing(index)),
        }
    }

    /// An optional member: `None` when absent (or `null`).
    pub fn optional<T: DeserializeOwned>(
        &mut self,
        index: usize,
    ) -> Result<Option<T>, serde_json::Error> {
        match self.values[index].take() {
            Some(value) => self.read(index, value),
            None => Ok(None),
        }
    }

    /// An optional member that may be `null`: absent is `None`, `null` is `Some(None)`.
    pub fn optional_nullable<T: DeserializeOwned>(
        &mut self,
        index: usize,
    ) -> Result<Option<Option<T>>, serde_json::Error> {
        match self.values[index].take() {
            Some(value) => self.read(index, value).map(Some),
            None => Ok(None),
        }
    }

    /// An optional member with a default: `default()` when absent.
    pub fn or_else<T: DeserializeOwned>(
        &mut self,
        index: usize,
        default: fn() -> T,
    ) -> Result<T, serde_json::Error> {
        match self.values[index].take() {
            Some(value) => self.read(index, value),
            None => Ok(default()),
        }
    }

    /// The members the struct does not name (its `additionalProperties`), each read as `T`.
    pub fn rest<T: DeserializeOwned>(&mut self) -> Result<BTreeMap<String, T>, serde_json::Error> {
        let mut read = BTreeMap::new();
        for (key, value) in self.rest.take().unwrap_or_default() {
            let value = serde_json::from_value(value)
                .map_err(|error| serde_json::Error::custom(format_args!("`{key}`: {error}")))?;
            read.insert(key, value);
        }
        Ok(read)
    }
}
