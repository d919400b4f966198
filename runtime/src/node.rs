//! A value as the request sees it: what a parameter or a form property serializes to,
//! captured by a `serde::Serializer` of our own into a small tree that keeps object
//! members in the order the type writes them (`serde_json::Value` would sort them). So
//! whatever a generated type serializes to (an enum to its wire value, a date-time to RFC
//! 3339, a uuid to its text) is what goes on the wire, without a trip through JSON text.

use std::fmt;

use serde::ser::{self, Serialize};

/// A serialized value.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Node {
    Null,
    Bool(bool),
    /// A number, as JSON writes it (`1`, `-2`, `1.5`, `1e300`).
    Number(String),
    String(String),
    Array(Vec<Node>),
    /// Members in the order they were written.
    Object(Vec<(String, Node)>),
}

impl Node {
    /// The node `value` serializes to.
    pub(crate) fn of<T: Serialize + ?Sized>(value: &T) -> Result<Node> {
        value.serialize(NodeSerializer)
    }

    /// The text of a string, number or boolean.
    pub(crate) fn into_scalar(self) -> Option<String> {
        match self {
            Node::Bool(value) => Some(value.to_string()),
            Node::Number(text) | Node::String(text) => Some(text),
            Node::Null | Node::Array(_) | Node::Object(_) => None,
        }
    }

    /// The JSON text of the node.
    pub(crate) fn to_json(&self) -> String {
        let mut out = String::new();
        self.write_json(&mut out);
        out
    }

    fn write_json(&self, out: &mut String) {
        match self {
            Node::Null => out.push_str("null"),
            Node::Bool(value) => out.push_str(if *value { "true" } else { "false" }),
            Node::Number(text) => out.push_str(text),
            Node::String(text) => {
                // A string's JSON text, escaped as serde_json escapes it.
                out.push_str(&serde_json::Value::from(text.as_str()).to_string());
            }
            Node::Array(items) => {
                out.push('[');
                for (index, item) in items.iter().enumerate() {
                    if index > 0 {
                        out.push(',');
                    }
                    item.write_json(out);
                }
                out.push(']');
            }
            Node::Object(members) => {
                out.push('{');
                for (index, (key, value)) in members.iter().enumerate() {
                    if index > 0 {
                        out.push(',');
                    }
                    out.push_str(&serde_json::Value::from(key.as_str()).to_string());
                    out.push(':');
                    value.write_json(out);
                }
                out.push('}');
            }
        }
    }
}

/// A value that cannot be serialized (its `Serialize` failed, or a map key is not text).
#[derive(Debug)]
pub struct Unwritable(String);

impl fmt::Display for Unwritable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Unwritable {}

impl From<String> for Unwritable {
    fn from(message: String) -> Self {
        Unwritable(message)
    }
}

impl ser::Error for Unwritable {
    fn custom<T: fmt::Display>(message: T) -> Self {
        Unwritable(message.to_string())
    }
}

/// Writes a float as JSON does; one that is not finite is `null`, as in JSON.
fn float<T: Serialize + Copy + Into<f64>>(value: T) -> Node {
    if value.into().is_finite() {
        Node::Number(serde_json::to_string(&value).unwrap_or_default())
    } else {
        Node::Null
    }
}

struct NodeSerializer;

type Result<T> = std::result::Result<T, Unwritable>;

impl ser::Serializer for NodeSerializer {
    type Ok = Node;
    type Error = Unwritable;
    type SerializeSeq = Items;
    type SerializeTuple = Items;
    type SerializeTupleStruct = Items;
    type SerializeTupleVariant = Items;
    type SerializeMap = Members;
    type SerializeStruct = Members;
    type SerializeStructVariant = Members;

    fn serialize_bool(self, value: bool) -> Result<Node> {
        Ok(Node::Bool(value))
    }
    fn serialize_i8(self, value: i8) -> Result<Node> {
        Ok(Node::Number(value.to_string()))
    }
    fn serialize_i16(self, value: i16) -> Result<Node> {
        Ok(Node::Number(value.to_string()))
    }
    fn serialize_i32(self, value: i32) -> Result<Node> {
        Ok(Node::Number(value.to_string()))
    }
    fn serialize_i64(self, value: i64) -> Result<Node> {
        Ok(Node::Number(value.to_string()))
    }
    fn serialize_i128(self, value: i128) -> Result<Node> {
        Ok(Node::Number(value.to_string()))
    }
    fn serialize_u8(self, value: u8) -> Result<Node> {
        Ok(Node::Number(value.to_string()))
    }
    fn serialize_u16(self, value: u16) -> Result<Node> {
        Ok(Node::Number(value.to_string()))
    }
    fn serialize_u32(self, value: u32) -> Result<Node> {
        Ok(Node::Number(value.to_string()))
    }
    fn serialize_u64(self, value: u64) -> Result<Node> {
        Ok(Node::Number(value.to_string()))
    }
    fn serialize_u128(self, value: u128) -> Result<Node> {
        Ok(Node::Number(value.to_string()))
    }
    fn serialize_f32(self, value: f32) -> Result<Node> {
        Ok(float(value))
    }
    fn serialize_f64(self, value: f64) -> Result<Node> {
        Ok(float(value))
    }
    fn serialize_char(self, value: char) -> Result<Node> {
        Ok(Node::String(value.to_string()))
    }
    fn serialize_str(self, value: &str) -> Result<Node> {
        Ok(Node::String(value.to_owned()))
    }
    /// Bytes are the numbers of their bytes, as in JSON.
    fn serialize_bytes(self, value: &[u8]) -> Result<Node> {
        Ok(Node::Array(
            value
                .iter()
                .map(|byte| Node::Number(byte.to_string()))
                .collect(),
        ))
    }
    fn serialize_none(self) -> Result<Node> {
        Ok(Node::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Node> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Node> {
        Ok(Node::Null)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<Node> {
        Ok(Node::Null)
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Node> {
        Ok(Node::String(variant.to_owned()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Node> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Node> {
        Ok(Node::Object(vec![(variant.to_owned(), Node::of(value)?)]))
    }
    fn serialize_seq(self, len: Option<usize>) -> Result<Items> {
        Ok(Items {
            items: Vec::with_capacity(len.unwrap_or(0).min(64)),
            variant: None,
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Items> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Items> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Items> {
        Ok(Items {
            items: Vec::with_capacity(len.min(64)),
            variant: Some(variant),
        })
    }
    fn serialize_map(self, len: Option<usize>) -> Result<Members> {
        Ok(Members {
            members: Vec::with_capacity(len.unwrap_or(0).min(64)),
            key: None,
            variant: None,
        })
    }
    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Members> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Members> {
        Ok(Members {
            members: Vec::with_capacity(len.min(64)),
            key: None,
            variant: Some(variant),
        })
    }
}

struct Items {
    items: Vec<Node>,
    variant: Option<&'static str>,
}

impl Items {
    fn finish(self) -> Node {
        let array = Node::Array(self.items);
        match self.variant {
            Some(variant) => Node::Object(vec![(variant.to_owned(), array)]),
            None => array,
        }
    }
}

impl ser::SerializeSeq for Items {
    type Ok = Node;
    type Error = Unwritable;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        self.items.push(Node::of(value)?);
        Ok(())
    }
    fn end(self) -> Result<Node> {
        Ok(self.finish())
    }
}

impl ser::SerializeTuple for Items {
    type Ok = Node;
    type Error = Unwritable;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<Node> {
        Ok(self.finish())
    }
}

impl ser::SerializeTupleStruct for Items {
    type Ok = Node;
    type Error = Unwritable;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<Node> {
        Ok(self.finish())
    }
}

impl ser::SerializeTupleVariant for Items {
    type Ok = Node;
    type Error = Unwritable;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<Node> {
        Ok(self.finish())
    }
}

struct Members {
    members: Vec<(String, Node)>,
    key: Option<String>,
    variant: Option<&'static str>,
}

impl Members {
    fn finish(self) -> Node {
        let object = Node::Object(self.members);
        match self.variant {
            Some(variant) => Node::Object(vec![(variant.to_owned(), object)]),
            None => object,
        }
    }
}

impl ser::SerializeMap for Members {
    type Ok = Node;
    type Error = Unwritable;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<()> {
        let key = Node::of(key)?
            .into_scalar()
            .ok_or_else(|| Unwritable("a map key is not text".to_owned()))?;
        self.key = Some(key);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<()> {
        let key = self
            .key
            .take()
            .ok_or_else(|| Unwritable("a map value without its key".to_owned()))?;
        self.members.push((key, Node::of(value)?));
        Ok(())
    }
    fn end(self) -> Result<Node> {
        Ok(self.finish())
    }
}

impl ser::SerializeStruct for Members {
    type Ok = Node;
    type Error = Unwritable;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        self.members.push((key.to_owned(), Node::of(value)?));
        Ok(())
    }
    fn end(self) -> Result<Node> {
        Ok(self.finish())
    }
}

impl ser::SerializeStructVariant for Members {
    type Ok = Node;
    type Error = Unwritable;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<()> {
        ser::SerializeStruct::serialize_field(self, key, value)
    }
    fn end(self) -> Result<Node> {
        Ok(self.finish())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    #[test]
    fn scalars_read_as_json_writes_them() {
        assert_eq!(Node::of(&5i32).unwrap(), Node::Number("5".into()));
        assert_eq!(Node::of(&1.5f64).unwrap(), Node::Number("1.5".into()));
        assert_eq!(Node::of(&0.1f32).unwrap(), Node::Number("0.1".into()));
        assert_eq!(Node::of(&f64::NAN).unwrap(), Node::Null);
        assert_eq!(Node::of(&Some("a")).unwrap(), Node::String("a".into()));
        assert_eq!(Node::of(&None::<i32>).unwrap(), Node::Null);
    }

    #[test]
    fn lists_and_maps_keep_their_order() {
        let node = Node::of(&vec![Some(1), None]).unwrap();
        assert_eq!(node.to_json(), "[1,null]");
        let map: BTreeMap<&str, &str> = [("b", "2"), ("a", "1")].into_iter().collect();
        assert_eq!(Node::of(&map).unwrap().to_json(), r#"{"a":"1","b":"2"}"#);
    }

    #[test]
    fn json_text_escapes_like_serde_json() {
        let node = Node::Object(vec![("k\"".into(), Node::String("a\nb".into()))]);
        assert_eq!(node.to_json(), r#"{"k\"":"a\nb"}"#);
    }
}
