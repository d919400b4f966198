//! Reading generated structs. A struct is an [`Object`]: its `read` keeps one slot per
//! field and matches each member's name, borrowed from the input when it can be, to its
//! field, so each member is read once, straight into its field's type; its
//! `Deserialize` is [`object`], one visitor for every struct. The helpers here are what
//! every `read` shares: reading a key, filling a slot (an error names the member at
//! fault), skipping an unknown member, checking that a required one came. Much less
//! code per struct than serde's derive (no field enum, no visitor, no sequence form), so
//! large crates stay cheap to compile.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use serde::de::{
    Deserialize, DeserializeSeed, Deserializer, Error, IgnoredAny, MapAccess, Visitor,
};

/// A generated struct, read from an object's members.
pub trait Object: Sized {
    /// The struct's name, for errors.
    const NAME: &'static str;

    /// Reads the members of the object `map` into the struct.
    fn read<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error>;
}

/// Reads an [`Object`]: the `Deserialize` of every generated struct.
pub fn object<'de, D: Deserializer<'de>, T: Object>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor(std::marker::PhantomData))
}

struct ObjectVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: Object> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an object ({})", T::NAME)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::read(map)
    }
}

/// A member's name: borrowed from the input unless it had to be unescaped.
pub struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Key<'de>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Key<'de>, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a member name")
    }

    fn visit_borrowed_str<E: Error>(self, name: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(name)))
    }

    fn visit_str<E: Error>(self, name: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(name.to_owned())))
    }

    fn visit_string<E: Error>(self, name: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(name)))
    }
}

/// The next member's name, if there is one.
pub fn key<'de, A: MapAccess<'de>>(map: &mut A) -> Result<Option<Key<'de>>, A::Error> {
    map.next_key_seed(KeySeed)
}

/// Reads the member `name` into its slot; a member given twice is an error, as is a value
/// that is not the field's type (the error names the member).
pub fn slot<'de, A, T>(
    map: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de>,
{
    if slot.is_some() {
        return Err(A::Error::custom(format_args!("duplicate member `{name}`")));
    }
    let value = map
        .next_value()
        .map_err(|error| A::Error::custom(format_args!("`{name}`: {error}")))?;
    *slot = Some(value);
    Ok(())
}

/// Reads a member the struct does not name into its map of them (its
/// `additionalProperties`).
pub fn rest<'de, A, T>(
    map: &mut A,
    rest: &mut BTreeMap<String, T>,
    key: Key<'de>,
) -> Result<(), A::Error>
where
    A: MapAccess<'de>,
    T: Deserialize<'de>,
{
    let key = key.0.into_owned();
    let value = map
        .next_value()
        .map_err(|error| A::Error::custom(format_args!("`{key}`: {error}")))?;
    rest.insert(key, value);
    Ok(())
}

/// Skips a member the struct does not name.
pub fn skip<'de, A: MapAccess<'de>>(map: &mut A) -> Result<(), A::Error> {
    map.next_value::<IgnoredAny>().map(|_| ())
}

/// The value of a required member, or an error naming it when it did not come.
pub fn required<T, E: Error>(slot: Option<T>, name: &'static str) -> Result<T, E> {
    slot.ok_or_else(|| E::custom(format_args!("missing member `{name}`")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a generated struct's `Deserialize` looks like.
    #[derive(Debug, PartialEq)]
    struct Pet {
        id: i64,
        name: Option<String>,
        tag: Option<Option<String>>,
        rest: BTreeMap<String, i64>,
    }

    impl<'de> Deserialize<'de> for Pet {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            object(deserializer)
        }
    }

    impl Object for Pet {
        const NAME: &'static str = "Pet";
        fn read<'de, A: MapAccess<'de>>(mut map: A) -> Result<Self, A::Error> {
            let (mut id, mut name, mut tag, mut others) = (None, None, None, BTreeMap::new());
            while let Some(key) = key(&mut map)? {
                match key.as_str() {
                    "id" => slot(&mut map, &mut id, "id")?,
                    "name" => slot(&mut map, &mut name, "name")?,
                    "tag" => slot(&mut map, &mut tag, "tag")?,
                    _ => rest(&mut map, &mut others, key)?,
                }
            }
            Ok(Pet {
                id: required(id, "id")?,
                name: name.flatten(),
                tag,
                rest: others,
            })
        }
    }

    #[test]
    fn members_are_read_into_their_fields() {
        let pet: Pet = serde_json::from_str(r#"{"tag":null,"id":5,"x":1,"name":"Rex"}"#).unwrap();
        assert_eq!(
            pet,
            Pet {
                id: 5,
                name: Some("Rex".into()),
                tag: Some(None),
                rest: [("x".to_owned(), 1)].into_iter().collect(),
            }
        );
        let absent: Pet = serde_json::from_str(r#"{"id":5,"name":null}"#).unwrap();
        assert_eq!((absent.name, absent.tag), (None, None));
    }

    #[test]
    fn errors_name_the_member() {
        let error = serde_json::from_str::<Pet>(r#"{"id":"five"}"#).unwrap_err();
        assert!(
            error.to_string().starts_with("`id`: invalid type"),
            "{error}"
        );
        let error = serde_json::from_str::<Pet>(r#"{"name":"x"}"#).unwrap_err();
        assert!(
            error.to_string().starts_with("missing member `id`"),
            "{error}"
        );
        let error = serde_json::from_str::<Pet>(r#"{"id":1,"id":2}"#).unwrap_err();
        assert!(
            error.to_string().starts_with("duplicate member `id`"),
            "{error}"
        );
        let escaped: Pet = serde_json::from_str(r#"{"\u0069d":7}"#).unwrap();
        assert_eq!(escaped.id, 7);
    }
}
