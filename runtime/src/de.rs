//! Reading generated structs. A struct is an [`Object`]: its `read` keeps one slot per
//! field and matches each member's name, borrowed from the input when it can be, to its
//! field, so each member is read once, straight into its field's type; its
//! `Deserialize` is [`object`], one visitor for every struct. The helpers here are what
//! every `read` shares: reading a key, filling a slot (an error names the member at
//! fault), skipping an unknown member, checking that a required one came. Much less
//! code per struct than serde's derive (no field enum, no visitor, no sequence form), so
//! large crates stay cheap to compile.
//!
//! A string enum reads any string ([`string_enum`]), and a `oneOf` with a discriminator
//! reads the alternative its value names ([`from_value`]).
//!
//! A `oneOf` without a discriminator is a [`Union`]: the kind of JSON value that comes
//! (a string, an object …) picks the alternatives worth trying, and when one alone reads
//! that kind, an object or an array is read straight into it, unbuffered.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;

use serde::de::{
    Deserialize, DeserializeSeed, Deserializer, Error, IgnoredAny, MapAccess, SeqAccess, Visitor,
};
use serde_json::Value;

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

/// The kinds of JSON value, as bits of a set: what each alternative of a [`Union`] reads.
pub mod kind {
    /// `null`.
    pub const NULL: u8 = 1;
    /// `true` or `false`.
    pub const BOOL: u8 = 1 << 1;
    /// A number written without a fraction or an exponent.
    pub const INTEGER: u8 = 1 << 2;
    /// Any other number.
    pub const FLOAT: u8 = 1 << 3;
    /// A string.
    pub const STRING: u8 = 1 << 4;
    /// An array.
    pub const ARRAY: u8 = 1 << 5;
    /// An object.
    pub const OBJECT: u8 = 1 << 6;
    /// Every kind.
    pub const ANY: u8 = NULL | BOOL | INTEGER | FLOAT | STRING | ARRAY | OBJECT;
}

/// One alternative of a [`Union`]: the kinds of value it reads, and how it reads a value
/// (one of those kinds) held in a JSON tree.
pub type Alternative<T> = (u8, fn(&Value) -> Result<T, serde_json::Error>);

/// A generated `oneOf` without a discriminator, read by [`union`]: a value is the first
/// of the alternatives (of its kind) that takes it whole. An object is often taken by
/// several (members they do not list are ignored): then the one that keeps the most of
/// its members wins, so `{"after": "x", "limit": 5}` is the cursor it is, not an offset
/// that drops `after`.
pub trait Union: Sized + serde::Serialize + 'static {
    /// The type's name, for errors.
    const NAME: &'static str;

    /// The alternatives, in the order they are tried.
    const ALTERNATIVES: &'static [Alternative<Self>];

    /// Reads an object. The generated type overrides this when one alternative alone
    /// reads objects, to read the members straight into it; otherwise the object is
    /// held in a tree and tried on each alternative.
    fn object<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
        let value: Value = self::map(map)?;
        held(value, kind::OBJECT)
    }

    /// Reads an array, as [`Union::object`] reads an object.
    fn array<'de, A: SeqAccess<'de>>(seq: A) -> Result<Self, A::Error> {
        let value: Value = self::seq(seq)?;
        held(value, kind::ARRAY)
    }
}

/// Reads `T` from an object whose opening brace was read already: what a [`Union`]'s
/// `object` hands to the one alternative that reads objects. Unlike serde's
/// `MapAccessDeserializer`, an `Option` (a nullable alternative) or a newtype around the
/// type reads the object as its inner value, as it would from the whole input.
pub fn map<'de, A: MapAccess<'de>, T: Deserialize<'de>>(map: A) -> Result<T, A::Error> {
    T::deserialize(Opened::<A, true>(map))
}

/// Reads `T` from an array whose opening bracket was read already, as [`map`] reads an
/// object.
pub fn seq<'de, A: SeqAccess<'de>, T: Deserialize<'de>>(seq: A) -> Result<T, A::Error> {
    T::deserialize(Opened::<A, false>(seq))
}

/// An object (`OBJECT`) or an array already opened, as a deserializer of the value.
struct Opened<A, const OBJECT: bool>(A);

macro_rules! opened {
    ($visit:ident) => {
        type Error = A::Error;

        fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, A::Error> {
            visitor.$visit(self.0)
        }

        fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, A::Error> {
            visitor.visit_some(self)
        }

        fn deserialize_newtype_struct<V: Visitor<'de>>(
            self,
            _name: &'static str,
            visitor: V,
        ) -> Result<V::Value, A::Error> {
            visitor.visit_newtype_struct(self)
        }

        serde::forward_to_deserialize_any! {
            bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes
            byte_buf unit unit_struct seq tuple tuple_struct map struct enum identifier
            ignored_any
        }
    };
}

impl<'de, A: MapAccess<'de>> Deserializer<'de> for Opened<A, true> {
    opened!(visit_map);
}

impl<'de, A: SeqAccess<'de>> Deserializer<'de> for Opened<A, false> {
    opened!(visit_seq);
}

/// Reads a [`Union`]: the `Deserialize` of every generated `oneOf` without a
/// discriminator.
pub fn union<'de, D: Deserializer<'de>, T: Union>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_any(UnionVisitor(std::marker::PhantomData))
}

struct UnionVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: Union> Visitor<'de> for UnionVisitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "one of the alternatives of `{}`", T::NAME)
    }

    fn visit_unit<E: Error>(self) -> Result<T, E> {
        held(Value::Null, kind::NULL)
    }

    fn visit_none<E: Error>(self) -> Result<T, E> {
        held(Value::Null, kind::NULL)
    }

    fn visit_bool<E: Error>(self, value: bool) -> Result<T, E> {
        held(Value::Bool(value), kind::BOOL)
    }

    fn visit_i64<E: Error>(self, value: i64) -> Result<T, E> {
        held(Value::from(value), kind::INTEGER)
    }

    fn visit_u64<E: Error>(self, value: u64) -> Result<T, E> {
        held(Value::from(value), kind::INTEGER)
    }

    fn visit_f64<E: Error>(self, value: f64) -> Result<T, E> {
        held(Value::from(value), kind::FLOAT)
    }

    fn visit_str<E: Error>(self, value: &str) -> Result<T, E> {
        held(Value::String(value.to_owned()), kind::STRING)
    }

    fn visit_string<E: Error>(self, value: String) -> Result<T, E> {
        held(Value::String(value), kind::STRING)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<T, A::Error> {
        T::array(seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<T, A::Error> {
        T::object(map)
    }
}

/// Reads `value`, of the kind `of`, as the alternatives of that kind allow: when only one
/// reads that kind, its own error says what is wrong; else the first that reads `value`
/// whole wins, or the one that loses fewest of its members. Whether a read loses members
/// is asked only when another alternative also reads the value.
fn held<T: Union, E: Error>(value: Value, of: u8) -> Result<T, E> {
    let tried: Vec<_> = T::ALTERNATIVES
        .iter()
        .filter(|(kinds, _)| kinds & of != 0)
        .map(|(_, read)| read)
        .collect();
    if let [only] = tried[..] {
        return only(&value).map_err(E::custom);
    }
    let mut read: Vec<T> = tried.iter().filter_map(|read| read(&value).ok()).collect();
    if read.len() > 1 {
        let mut fewest = usize::MAX;
        let mut chosen = 0;
        for (index, candidate) in read.iter().enumerate() {
            let lost = lost_members(&value, candidate);
            if lost < fewest {
                (fewest, chosen) = (lost, index);
            }
            if lost == 0 {
                break;
            }
        }
        return Ok(read.swap_remove(chosen));
    }
    read.pop().ok_or_else(|| {
        E::custom(format_args!(
            "the value matches none of the alternatives of `{}`",
            T::NAME
        ))
    })
}

/// How many members of `value` (an object; `null` ones aside) `read` does not write back,
/// at any depth: an alternative that keeps `arguments` but drops `arguments.values.key1`
/// loses as much as one that drops a member of the top.
fn lost_members<T: serde::Serialize>(value: &Value, read: &T) -> usize {
    if !value.is_object() {
        return 0;
    }
    match serde_json::to_value(read) {
        Ok(kept) => lost(value, &kept),
        Err(_) => lost(value, &Value::Null),
    }
}

/// The members of `value` that `kept` (what was written back of it) lacks, counted
/// through objects and arrays alike.
fn lost(value: &Value, kept: &Value) -> usize {
    match (value, kept) {
        (Value::Object(members), Value::Object(kept)) => members
            .iter()
            .filter(|(_, member)| !member.is_null())
            .map(|(key, member)| kept.get(key).map_or(1, |kept| lost(member, kept)))
            .sum(),
        (Value::Object(members), _) => members.values().filter(|m| !m.is_null()).count(),
        (Value::Array(items), Value::Array(kept)) => {
            let dropped = items.len().saturating_sub(kept.len());
            dropped
                + items
                    .iter()
                    .zip(kept)
                    .map(|(item, kept)| lost(item, kept))
                    .sum::<usize>()
        }
        _ => 0,
    }
}

/// Reads a generated string enum: any string, the values the description lists as their
/// variants and any other as `Unknown`.
pub fn string_enum<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: for<'a> From<&'a str>,
{
    struct StringVisitor<T>(std::marker::PhantomData<T>);
    impl<T: for<'a> From<&'a str>> Visitor<'_> for StringVisitor<T> {
        type Value = T;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a string")
        }

        fn visit_str<E: Error>(self, text: &str) -> Result<T, E> {
            Ok(T::from(text))
        }
    }
    deserializer.deserialize_str(StringVisitor(std::marker::PhantomData))
}

/// Converts a JSON value into the variant type its discriminator selected.
pub fn from_value<T: serde::de::DeserializeOwned, E: Error>(value: Value) -> Result<T, E> {
    serde_json::from_value(value).map_err(E::custom)
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

    /// Two objects and a string, as a generated `oneOf` without a discriminator.
    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Offset {
        limit: i64,
    }

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Cursor {
        after: String,
        limit: Option<i64>,
    }

    #[derive(Debug, PartialEq, serde::Serialize)]
    #[serde(untagged)]
    enum Page {
        Id(String),
        Offset(Offset),
        Cursor(Cursor),
        Ids(Vec<String>),
    }

    impl<'de> Deserialize<'de> for Page {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            union(deserializer)
        }
    }

    impl Union for Page {
        const NAME: &'static str = "Page";
        const ALTERNATIVES: &'static [Alternative<Self>] = &[
            (kind::ARRAY, |value| Vec::deserialize(value).map(Self::Ids)),
            (kind::STRING, |value| {
                String::deserialize(value).map(Self::Id)
            }),
            (kind::OBJECT, |value| {
                Offset::deserialize(value).map(Self::Offset)
            }),
            (kind::OBJECT, |value| {
                Cursor::deserialize(value).map(Self::Cursor)
            }),
        ];
        fn array<'de, A: SeqAccess<'de>>(seq: A) -> Result<Self, A::Error> {
            self::seq(seq).map(Self::Ids)
        }
    }

    /// Nullable alternatives, as a `oneOf` of `nullable: true` branches is generated: the
    /// one that alone reads arrays (or objects) is an `Option`.
    #[derive(Debug, PartialEq, serde::Serialize)]
    #[serde(untagged)]
    enum Nullable {
        List(Option<Vec<String>>),
        Map(Option<BTreeMap<String, i64>>),
        Text(Option<String>),
    }

    impl<'de> Deserialize<'de> for Nullable {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            union(deserializer)
        }
    }

    impl Union for Nullable {
        const NAME: &'static str = "Nullable";
        const ALTERNATIVES: &'static [Alternative<Self>] = &[
            (kind::NULL | kind::ARRAY, |value| {
                Option::deserialize(value).map(Self::List)
            }),
            (kind::NULL | kind::OBJECT, |value| {
                Option::deserialize(value).map(Self::Map)
            }),
            (kind::NULL | kind::STRING, |value| {
                Option::deserialize(value).map(Self::Text)
            }),
        ];
        fn object<'de, A: MapAccess<'de>>(map: A) -> Result<Self, A::Error> {
            self::map(map).map(Self::Map)
        }
        fn array<'de, A: SeqAccess<'de>>(seq: A) -> Result<Self, A::Error> {
            self::seq(seq).map(Self::List)
        }
    }

    #[test]
    fn a_nullable_alternative_reads_an_array_or_object_straight() {
        let read = |text: &str| serde_json::from_str::<Nullable>(text).unwrap();
        assert_eq!(
            read(r#"["a","b"]"#),
            Nullable::List(Some(vec!["a".into(), "b".into()]))
        );
        assert_eq!(
            read(r#"{"a":1}"#),
            Nullable::Map(Some([("a".to_owned(), 1)].into_iter().collect()))
        );
        assert_eq!(read(r#""x""#), Nullable::Text(Some("x".into())));
        // `null` is read by the first nullable alternative, as before.
        assert_eq!(read("null"), Nullable::List(None));
    }

    /// Opens an array or object of the input and reads it through [`seq`] or [`map`].
    struct Opening<T>(std::marker::PhantomData<T>);

    impl<'de, T: Deserialize<'de>> Visitor<'de> for Opening<T> {
        type Value = T;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("an array or an object")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, access: A) -> Result<T, A::Error> {
            seq(access)
        }
        fn visit_map<A: MapAccess<'de>>(self, access: A) -> Result<T, A::Error> {
            map(access)
        }
    }

    fn opened<T: for<'de> Deserialize<'de>>(text: &str) -> T {
        let mut input = serde_json::Deserializer::from_str(text);
        input
            .deserialize_any(Opening(std::marker::PhantomData))
            .unwrap()
    }

    #[test]
    fn an_opened_value_reads_as_the_whole_input_would() {
        #[derive(Debug, PartialEq, serde::Deserialize)]
        struct Names(Option<Vec<String>>);
        let names = || Some(vec!["a".to_owned()]);
        assert_eq!(opened::<Vec<String>>(r#"["a"]"#), names().unwrap());
        assert_eq!(opened::<Option<Vec<String>>>(r#"["a"]"#), names());
        assert_eq!(
            opened::<Option<Option<Vec<String>>>>(r#"["a"]"#),
            Some(names())
        );
        assert_eq!(opened::<Names>(r#"["a"]"#), Names(names()));
        assert_eq!(
            opened::<Option<Pet>>(r#"{"id":1}"#).map(|pet| pet.id),
            Some(1)
        );
    }

    #[test]
    fn a_union_reads_by_kind_then_by_members_kept() {
        let read = |text: &str| serde_json::from_str::<Page>(text);
        assert_eq!(read(r#""p1""#).unwrap(), Page::Id("p1".into()));
        assert_eq!(
            read(r#"["a","b"]"#).unwrap(),
            Page::Ids(vec!["a".into(), "b".into()])
        );
        assert_eq!(
            read(r#"{"limit":5}"#).unwrap(),
            Page::Offset(Offset { limit: 5 })
        );
        // Both objects read it; the offset would drop `after`.
        assert_eq!(
            read(r#"{"after":"x","limit":5}"#).unwrap(),
            Page::Cursor(Cursor {
                after: "x".into(),
                limit: Some(5)
            })
        );
        // A kind no alternative reads, and an object none takes.
        assert!(read("5")
            .unwrap_err()
            .to_string()
            .contains("none of the alternatives of `Page`"));
        assert!(read(r#"{"x":1}"#).is_err());
        // One alternative alone reads arrays: its own error says what is wrong.
        assert!(read("[1]")
            .unwrap_err()
            .to_string()
            .contains("invalid type: integer"));
    }

    /// Two objects both keep `values`; the first drops what is inside it.
    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Positional {
        values: Option<First>,
    }

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct First {
        first: Option<String>,
    }

    #[derive(Debug, PartialEq, serde::Serialize, serde::Deserialize)]
    struct Named {
        values: BTreeMap<String, String>,
    }

    #[derive(Debug, PartialEq, serde::Serialize)]
    #[serde(untagged)]
    enum Arguments {
        Positional(Positional),
        Named(Named),
    }

    impl<'de> Deserialize<'de> for Arguments {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            union(deserializer)
        }
    }

    impl Union for Arguments {
        const NAME: &'static str = "Arguments";
        const ALTERNATIVES: &'static [Alternative<Self>] = &[
            (kind::OBJECT, |value| {
                Positional::deserialize(value).map(Self::Positional)
            }),
            (kind::OBJECT, |value| {
                Named::deserialize(value).map(Self::Named)
            }),
        ];
    }

    /// Issue 23: `/arguments/values/key1` was lost on the way back, the first
    /// alternative kept `values` and dropped what was in it.
    #[test]
    fn a_union_counts_the_members_lost_at_any_depth() {
        let read = |text: &str| serde_json::from_str::<Arguments>(text).unwrap();
        assert_eq!(
            read(r#"{"values":{"key1":"x"}}"#),
            Arguments::Named(Named {
                values: [("key1".to_owned(), "x".to_owned())].into_iter().collect()
            })
        );
        assert_eq!(
            read(r#"{"values":{"first":"x"}}"#),
            Arguments::Positional(Positional {
                values: Some(First {
                    first: Some("x".into())
                })
            })
        );
        let lists = serde_json::json!({"a": [{"b": 1, "c": 2}, {"d": 3}]});
        assert_eq!(lost(&lists, &serde_json::json!({"a": [{"b": 1}]})), 2);
        assert_eq!(lost(&lists, &lists), 0);
    }
}
