//! What a page is rendered from, hashed: its render key. A template sees nothing but its
//! context (tera's templates can read no file, clock or environment), so two renderings of the
//! same template set with equal contexts give the same bytes, and a page whose key the output's
//! manifest records already need not be rendered again ([`crate::output::Sink::keep_made`]).

use tera::Value;
use tera::value::{Key, ValueKind};

use crate::cache::{Digest, Hasher};

/// A context's values by name, in the order they are hashed.
pub(super) type Values = Vec<(&'static str, Value)>;

/// The key of what every page shares: the theme's templates (`theme`), the values every
/// context holds (`shared`) and whatever else changes every page's bytes alike (`also`: the
/// glossary that marks acronyms). `None` when a value is of a kind this does not know how to
/// hash: then no page has a key, and every page is rendered.
pub(super) fn shared(theme: &Digest, shared: &Values, also: &[u8]) -> Option<Digest> {
    let mut hasher = Hasher::new("page render key: shared");
    hasher.part(theme.to_string().as_bytes()).part(also);
    values(&mut hasher, shared)?;
    Some(hasher.finish())
}

/// The render key of one page: `template` rendered with the shared values of `shared` and the
/// page's own `values`; `None` (the page is rendered) when one is of a kind this does not know.
pub(super) fn page(shared: &Digest, template: &str, own: &Values) -> Option<Digest> {
    let mut hasher = Hasher::new("page render key");
    hasher
        .part(shared.to_string().as_bytes())
        .part(template.as_bytes());
    values(&mut hasher, own)?;
    Some(hasher.finish())
}

/// Adds named values, each name then its value.
fn values(hasher: &mut Hasher, values: &Values) -> Option<()> {
    hasher.part(&(values.len() as u64).to_le_bytes());
    for (name, value) in values {
        hasher.part(name.as_bytes());
        add(hasher, value)?;
    }
    Some(())
}

/// Adds one value: its kind, then what it holds (a string's safety too, which decides whether a
/// template escapes it). A map's entries go in the order of their keys: tera's maps keep none.
/// `None` for a kind of value this tera has that this does not know.
fn add(hasher: &mut Hasher, value: &Value) -> Option<()> {
    let kind = value.kind();
    hasher.part(&[kind_tag(kind), u8::from(value.is_safe())]);
    match kind {
        ValueKind::Undefined | ValueKind::None => {}
        ValueKind::Bool => {
            hasher.part(&[u8::from(value.as_bool().unwrap_or_default())]);
        }
        ValueKind::U64 | ValueKind::I64 | ValueKind::U128 | ValueKind::I128 => {
            let number = value
                .as_i128()
                .map(i128::to_le_bytes)
                .or_else(|| value.as_u128().map(u128::to_le_bytes))
                .unwrap_or_default();
            hasher.part(&number);
        }
        ValueKind::F64 => {
            let bits = value.as_f64().unwrap_or_default().to_bits();
            hasher.part(&bits.to_le_bytes());
        }
        ValueKind::String => {
            hasher.part(value.as_str().unwrap_or_default().as_bytes());
        }
        ValueKind::Bytes => {
            hasher.part(value.as_bytes().unwrap_or_default());
        }
        ValueKind::Array => {
            let items = value.as_array().unwrap_or_default();
            hasher.part(&(items.len() as u64).to_le_bytes());
            items.iter().try_for_each(|item| add(hasher, item))?;
        }
        ValueKind::Map => {
            let mut entries: Vec<(&Key<'_>, &Value)> =
                value.as_map().into_iter().flatten().collect();
            entries.sort_unstable_by(|a, b| a.0.cmp(b.0));
            hasher.part(&(entries.len() as u64).to_le_bytes());
            for (key, value) in entries {
                add_key(hasher, key);
                add(hasher, value)?;
            }
        }
        _ => return None,
    }
    Some(())
}

/// Adds a map's key: a string as it is, any other key by what it shows as, told apart.
fn add_key(hasher: &mut Hasher, key: &Key<'_>) {
    match key.as_str() {
        Some(text) => hasher.part(&[0]).part(text.as_bytes()),
        None => hasher.part(&[1]).part(key.to_string().as_bytes()),
    };
}

/// A distinct number for each kind of value.
fn kind_tag(kind: ValueKind) -> u8 {
    match kind {
        ValueKind::Undefined => 0,
        ValueKind::None => 1,
        ValueKind::Bool => 2,
        ValueKind::U64 => 3,
        ValueKind::I64 => 4,
        ValueKind::U128 => 5,
        ValueKind::I128 => 6,
        ValueKind::F64 => 7,
        ValueKind::String => 8,
        ValueKind::Array => 9,
        ValueKind::Map => 10,
        ValueKind::Bytes => 11,
        _ => 255,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key_of(value: Value) -> Option<Digest> {
        page(&Digest::of(b"shared"), "page.html", &vec![("page", value)])
    }

    #[test]
    fn equal_contexts_have_one_key_and_any_difference_another() {
        let map = |pairs: &[(&str, Value)]| {
            let mut map = tera::value::Map::default();
            for (k, v) in pairs {
                map.insert(Key::String((*k).into()), v.clone());
            }
            Value::from(map)
        };
        let a = map(&[("title", Value::from("A")), ("n", Value::from(1))]);
        let same = map(&[("n", Value::from(1)), ("title", Value::from("A"))]);
        assert_eq!(key_of(a.clone()), key_of(same), "maps keep no order");
        let differ = [
            map(&[("title", Value::from("B")), ("n", Value::from(1))]),
            map(&[("title", Value::from("A")), ("n", Value::from(2))]),
            map(&[("title", Value::from("A")), ("n", Value::from("1"))]),
            map(&[("title", Value::safe_string("A")), ("n", Value::from(1))]),
            map(&[("title", Value::from("A"))]),
            map(&[("title", Value::from("A")), ("m", Value::from(1))]),
            Value::from(vec![Value::from("A"), Value::from(1)]),
            Value::from(1.0),
            Value::none(),
        ];
        for other in differ {
            assert_ne!(key_of(a.clone()), key_of(other.clone()), "{other:?}");
        }
        let strings =
            |parts: &[&str]| Value::from(parts.iter().map(|p| Value::from(*p)).collect::<Vec<_>>());
        assert_ne!(key_of(strings(&["ab", "c"])), key_of(strings(&["a", "bc"])));
        let base = key_of(Value::from("x"));
        assert!(base.is_some());
        let others: [(&[u8], &str, &str); 3] = [
            (b"other", "page.html", "page"),
            (b"shared", "other.html", "page"),
            (b"shared", "page.html", "title"),
        ];
        for (shared, template, name) in others {
            let values = vec![(name, Value::from("x"))];
            assert_ne!(
                base,
                page(&Digest::of(shared), template, &values),
                "{template} {name}"
            );
        }
    }
}
