//! Writing generated structs: a struct's `Serialize` opens an [`Object`] and hands it
//! each field with the method that says whether it is always written or left out when
//! absent. One shared writer instead of serde's derived code per struct keeps large
//! crates cheap to compile; the JSON is the same.

use std::collections::BTreeMap;

use serde::ser::{Serialize, SerializeMap, Serializer};

/// A JSON object being written, member by member, in the struct's order.
pub struct Object<S: Serializer> {
    map: S::SerializeMap,
}

impl<S: Serializer> Object<S> {
    /// Starts the object. Its length is not known ahead: optional members may be left out.
    pub fn new(serializer: S) -> Result<Self, S::Error> {
        Ok(Object {
            map: serializer.serialize_map(None)?,
        })
    }

    /// A member that is always written (a required field, or one with a default;
    /// a required nullable field writes `None` as `null`).
    pub fn required<T: Serialize + ?Sized>(
        &mut self,
        name: &'static str,
        value: &T,
    ) -> Result<(), S::Error> {
        self.map.serialize_entry(name, value)
    }

    /// An optional member: left out when `None`, else written as what it holds, so an
    /// optional nullable field (`Option<Option<T>>`) writes `Some(None)` as `null`.
    pub fn optional<T: Serialize>(
        &mut self,
        name: &'static str,
        value: &Option<T>,
    ) -> Result<(), S::Error> {
        match value {
            Some(value) => self.map.serialize_entry(name, value),
            None => Ok(()),
        }
    }

    /// The members the schema does not list, kept in the struct's map of them.
    pub fn rest<T: Serialize>(&mut self, rest: &BTreeMap<String, T>) -> Result<(), S::Error> {
        rest.iter()
            .try_for_each(|(name, value)| self.map.serialize_entry(name, value))
    }

    /// Ends the object.
    pub fn end(self) -> Result<S::Ok, S::Error> {
        self.map.end()
    }
}
