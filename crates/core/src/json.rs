//! Compact JSON for the open-data files (a meeting's Open Civic Data event, the action list):
//! a serde serializer that writes one line, in the order the fields are declared.
//!
//! It exists for speed. Most of what these files hold is the text of the minutes, and strings
//! are escaped here a block of bytes at a time: a block with nothing to escape (the usual case)
//! is copied whole. The output is standard JSON, as `serde_json::to_string` would write it.

use std::fmt::{self, Display, Write};

use serde::ser::{self, Serialize};

/// Why a value could not be written as JSON (a map key that is not a string or a number).
#[derive(Debug)]
pub struct Error(String);

impl Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: Display>(msg: T) -> Self {
        Error(msg.to_string())
    }
}

/// `value` as compact JSON.
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Result<String, Error> {
    // Sized for a meeting's event, so the text is written without growing the buffer.
    let mut out = String::with_capacity(16 * 1024);
    value.serialize(&mut Json { out: &mut out })?;
    Ok(out)
}

/// Appends `text` to `out` as a JSON string, quotes included.
pub fn write_str(out: &mut String, text: &str) {
    out.reserve(text.len() + 2);
    out.push('"');
    let bytes = text.as_bytes();
    let mut clean = 0;
    // Runs with nothing to escape (usually the whole text) are copied whole.
    while let Some(found) = find_special(&bytes[clean..]) {
        let at = clean + found;
        out.push_str(&text[clean..at]);
        match bytes[at] {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x08 => out.push_str("\\b"),
            0x0c => out.push_str("\\f"),
            control => {
                let _ = write!(out, "\\u{control:04x}");
            }
        }
        clean = at + 1;
    }
    out.push_str(&text[clean..]);
    out.push('"');
}

/// Whether a byte must be escaped in a JSON string: a quote, a backslash or a control character.
fn is_special(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

/// Where the first byte to escape is, testing eight bytes at a time: a byte below 0x20, or
/// equal to `"` or `\\`, leaves its top bit set in one of the three masks.
fn find_special(bytes: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let zero_in = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    let mut checked = 0;
    for chunk in bytes.chunks_exact(8) {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        let word = u64::from_le_bytes(word);
        let below_space = word.wrapping_sub(ONES * 0x20) & !word & HIGHS;
        let quote = zero_in(word ^ (ONES * u64::from(b'"')));
        let backslash = zero_in(word ^ (ONES * u64::from(b'\\')));
        if below_space | quote | backslash != 0 {
            break;
        }
        checked += 8;
    }
    bytes[checked..]
        .iter()
        .position(|&b| is_special(b))
        .map(|at| checked + at)
}

/// The serializer: everything goes to `out`.
struct Json<'o> {
    out: &'o mut String,
}

impl Json<'_> {
    fn number(&mut self, n: impl Display) {
        let _ = write!(self.out, "{n}");
    }
}

/// A sequence or a map being written: whether an element has been written yet.
struct Compound<'j, 'o> {
    json: &'j mut Json<'o>,
    first: bool,
    /// The closing bracket, and a `}` more for an enum variant wrapped in an object.
    close: &'static str,
}

impl Compound<'_, '_> {
    fn comma(&mut self) {
        if !self.first {
            self.json.out.push(',');
        }
        self.first = false;
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), Error> {
        self.comma();
        write_str(self.json.out, key);
        self.json.out.push(':');
        value.serialize(&mut *self.json)
    }

    fn element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.comma();
        value.serialize(&mut *self.json)
    }

    fn finish(self) -> Result<(), Error> {
        self.json.out.push_str(self.close);
        Ok(())
    }
}

impl<'j, 'o> Json<'o> {
    fn open(&'j mut self, open: &str, close: &'static str) -> Compound<'j, 'o> {
        self.out.push_str(open);
        Compound {
            json: self,
            first: true,
            close,
        }
    }

    /// `{"variant":` before an enum variant's content.
    fn variant(&mut self, variant: &str) {
        self.out.push('{');
        write_str(self.out, variant);
        self.out.push(':');
    }
}

/// Integers are written as they are.
macro_rules! integers {
    ($($method:ident: $int:ty),*) => {$(
        fn $method(self, v: $int) -> Result<(), Error> {
            self.number(v);
            Ok(())
        }
    )*};
}

impl<'j, 'o> ser::Serializer for &'j mut Json<'o> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = Compound<'j, 'o>;
    type SerializeTuple = Compound<'j, 'o>;
    type SerializeTupleStruct = Compound<'j, 'o>;
    type SerializeTupleVariant = Compound<'j, 'o>;
    type SerializeMap = Compound<'j, 'o>;
    type SerializeStruct = Compound<'j, 'o>;
    type SerializeStructVariant = Compound<'j, 'o>;

    fn serialize_bool(self, v: bool) -> Result<(), Error> {
        self.out.push_str(if v { "true" } else { "false" });
        Ok(())
    }
    integers!(serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64);
    integers!(serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64);
    fn serialize_f32(self, v: f32) -> Result<(), Error> {
        self.serialize_f64(f64::from(v))
    }
    fn serialize_f64(self, v: f64) -> Result<(), Error> {
        // As serde_json: the shortest form that reads back the same; no NaN or infinity in JSON.
        if v.is_finite() {
            let _ = write!(self.out, "{v:?}");
        } else {
            self.out.push_str("null");
        }
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        write_str(self.out, v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Error> {
        write_str(self.out, v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Error> {
        let mut seq = self.open("[", "]");
        for b in v {
            seq.element(b)?;
        }
        seq.finish()
    }
    fn serialize_none(self) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Error> {
        self.out.push_str("null");
        Ok(())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.variant(variant);
        value.serialize(&mut *self)?;
        self.out.push('}');
        Ok(())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Compound<'j, 'o>, Error> {
        Ok(self.open("[", "]"))
    }
    fn serialize_tuple(self, _len: usize) -> Result<Compound<'j, 'o>, Error> {
        Ok(self.open("[", "]"))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Compound<'j, 'o>, Error> {
        Ok(self.open("[", "]"))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'j, 'o>, Error> {
        self.variant(variant);
        Ok(self.open("[", "]}"))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Compound<'j, 'o>, Error> {
        Ok(self.open("{", "}"))
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Compound<'j, 'o>, Error> {
        Ok(self.open("{", "}"))
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<Compound<'j, 'o>, Error> {
        self.variant(variant);
        Ok(self.open("{", "}}"))
    }
}

/// The sequence-like compounds: each element written after a comma.
macro_rules! elements {
    ($($kind:ident :: $method:ident),*) => {$(
        impl ser::$kind for Compound<'_, '_> {
            type Ok = ();
            type Error = Error;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
                self.element(value)
            }
            fn end(self) -> Result<(), Error> {
                self.finish()
            }
        }
    )*};
}

elements!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

/// The struct-like compounds: each field written as `"key":value`.
macro_rules! fields {
    ($($kind:ident),*) => {$(
        impl ser::$kind for Compound<'_, '_> {
            type Ok = ();
            type Error = Error;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), Error> {
                self.field(key, value)
            }
            fn end(self) -> Result<(), Error> {
                self.finish()
            }
        }
    )*};
}

fields!(SerializeStruct, SerializeStructVariant);

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = ();
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.comma();
        key.serialize(MapKey { out: self.json.out })?;
        self.json.out.push(':');
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        value.serialize(&mut *self.json)
    }
    fn end(self) -> Result<(), Error> {
        self.finish()
    }
}

/// Writes a map key: JSON keys are strings, so numbers are quoted, as serde_json does.
struct MapKey<'o> {
    out: &'o mut String,
}

impl MapKey<'_> {
    fn quoted(self, n: impl Display) -> Result<(), Error> {
        let _ = write!(self.out, "\"{n}\"");
        Ok(())
    }
}

fn key_error() -> Error {
    Error("a JSON map key must be a string or a number".into())
}

/// Integer keys are written quoted, as serde_json does.
macro_rules! quoted_integers {
    ($($method:ident: $int:ty),*) => {$(
        fn $method(self, v: $int) -> Result<(), Error> {
            self.quoted(v)
        }
    )*};
}

impl ser::Serializer for MapKey<'_> {
    type Ok = ();
    type Error = Error;
    type SerializeSeq = ser::Impossible<(), Error>;
    type SerializeTuple = ser::Impossible<(), Error>;
    type SerializeTupleStruct = ser::Impossible<(), Error>;
    type SerializeTupleVariant = ser::Impossible<(), Error>;
    type SerializeMap = ser::Impossible<(), Error>;
    type SerializeStruct = ser::Impossible<(), Error>;
    type SerializeStructVariant = ser::Impossible<(), Error>;

    fn serialize_str(self, v: &str) -> Result<(), Error> {
        write_str(self.out, v);
        Ok(())
    }
    fn serialize_char(self, v: char) -> Result<(), Error> {
        write_str(self.out, v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Error> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        value.serialize(self)
    }
    quoted_integers!(serialize_i8: i8, serialize_i16: i16, serialize_i32: i32, serialize_i64: i64);
    quoted_integers!(serialize_u8: u8, serialize_u16: u16, serialize_u32: u32, serialize_u64: u64);
    fn serialize_bool(self, _v: bool) -> Result<(), Error> {
        Err(key_error())
    }
    fn serialize_f32(self, _v: f32) -> Result<(), Error> {
        Err(key_error())
    }
    fn serialize_f64(self, _v: f64) -> Result<(), Error> {
        Err(key_error())
    }
    fn serialize_bytes(self, _v: &[u8]) -> Result<(), Error> {
        Err(key_error())
    }
    fn serialize_none(self) -> Result<(), Error> {
        Err(key_error())
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<(), Error> {
        Err(key_error())
    }
    fn serialize_unit(self) -> Result<(), Error> {
        Err(key_error())
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Error> {
        Err(key_error())
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), Error> {
        Err(key_error())
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, Error> {
        Err(key_error())
    }
    fn serialize_tuple(self, _len: usize) -> Result<Self::SerializeTuple, Error> {
        Err(key_error())
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleStruct, Error> {
        Err(key_error())
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, Error> {
        Err(key_error())
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, Error> {
        Err(key_error())
    }
    fn serialize_struct(
        self,
        _name: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStruct, Error> {
        Err(key_error())
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, Error> {
        Err(key_error())
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Serialize;

    use super::*;

    #[derive(Serialize)]
    #[serde(rename_all = "kebab-case")]
    enum Status {
        InProgress,
        Moved(u8),
        Pair(u8, bool),
        Named { to: &'static str },
    }

    #[derive(Serialize)]
    struct Record<'a> {
        text: &'a str,
        count: u32,
        delta: i64,
        share: f64,
        missing: Option<String>,
        #[serde(skip_serializing_if = "Option::is_none")]
        skipped: Option<u8>,
        statuses: Vec<Status>,
        tuple: (u8, char),
        by_year: BTreeMap<u16, bool>,
        empty: Vec<u8>,
        nan: f64,
    }

    #[test]
    fn writes_what_serde_json_writes() {
        let text = "A \"quoted\" word, a back\\slash, a tab\tand a new\nline — and \u{1} at the end of a block of more than sixteen bytes";
        let record = Record {
            text,
            count: 3,
            delta: -12,
            share: 0.1,
            missing: None,
            skipped: None,
            statuses: vec![
                Status::InProgress,
                Status::Moved(2),
                Status::Pair(1, true),
                Status::Named { to: "b" },
            ],
            tuple: (7, 'é'),
            by_year: [(2022, true), (2023, false)].into_iter().collect(),
            empty: vec![],
            nan: f64::NAN,
        };
        let ours = to_string(&record).unwrap();
        assert_eq!(ours, serde_json::to_string(&record).unwrap());
        let back: serde_json::Value = serde_json::from_str(&ours).unwrap();
        assert_eq!(back["text"], text);
    }

    #[test]
    fn escapes_at_every_position_in_a_block() {
        for at in 0..40 {
            let mut text = "x".repeat(40);
            text.replace_range(at..=at, "\"");
            let mut ours = String::new();
            write_str(&mut ours, &text);
            assert_eq!(ours, serde_json::to_string(&text).unwrap(), "quote at {at}");
        }
    }

    #[test]
    fn map_keys_must_be_strings_or_numbers() {
        let map: BTreeMap<bool, u8> = [(true, 1)].into_iter().collect();
        assert!(to_string(&map).is_err());
    }
}
