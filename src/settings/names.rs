//! Enum names are serde's: these ask the derived `Serialize`/`Deserialize`
//! impls for them rather than keeping a second list.

use std::fmt;

use serde::de::value::{MapDeserializer, StrDeserializer};
use serde::de::{self, DeserializeOwned};
use serde::Serialize;
use serde_json::{json, Map, Value};

use super::*;
use crate::config::{Decoder, ModelKind, NoiseKind, Prior};
use crate::data::DatasetName;
use crate::layers::{Activation, Init};
use crate::optim::OptimizerKind;

/// Records what a derived `Deserialize` asked for, so the enum's own names can be read back.
#[derive(Debug, Default)]
struct Probe {
    variants: Option<&'static [&'static str]>,
    missing: Option<&'static str>,
}

impl fmt::Display for Probe {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for Probe {}

impl de::Error for Probe {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Probe::default()
    }
    fn unknown_variant(_: &str, expected: &'static [&'static str]) -> Self {
        Probe { variants: Some(expected), missing: None }
    }
    fn missing_field(field: &'static str) -> Self {
        Probe { variants: None, missing: Some(field) }
    }
}

// No serde name contains a NUL, so this is never a variant.
const NOT_A_NAME: &str = "\0";

/// Every name serde accepts for a unit enum (aliases included), in declaration order.
fn accepted_names<T: DeserializeOwned>() -> &'static [&'static str] {
    match T::deserialize(StrDeserializer::<Probe>::new(NOT_A_NAME)) {
        Err(Probe { variants: Some(v), .. }) => v,
        _ => panic!("{} is not a unit enum", std::any::type_name::<T>()),
    }
}

/// The serde name of a unit variant.
pub fn name<T: Serialize + DeserializeOwned>(v: &T) -> &'static str {
    let text = serde_json::to_value(v).ok();
    let text = text.as_ref().and_then(Value::as_str).unwrap_or_else(|| panic!("{} is not a unit enum", std::any::type_name::<T>()));
    accepted_names::<T>().iter().find(|n| **n == text).expect("serde serialises to a name it accepts")
}

/// The variant serde calls `s` (or accepts as an alias).
pub fn parse<T: DeserializeOwned>(s: &str) -> Option<T> {
    T::deserialize(StrDeserializer::<de::value::Error>::new(s)).ok()
}

/// The names a unit enum is written with (aliases left out), in declaration order.
pub fn choices<T: Serialize + DeserializeOwned>() -> Vec<&'static str> {
    accepted_names::<T>().iter().copied().filter(|n| parse::<T>(n).is_some_and(|v| name(&v) == *n)).collect()
}

/// Other names serde also accepts for a unit enum (`swiss-roll` for `swiss_roll`).
pub fn aliases<T: Serialize + DeserializeOwned>() -> Vec<&'static str> {
    let canonical = choices::<T>();
    accepted_names::<T>().iter().copied().filter(|n| !canonical.contains(n)).collect()
}

/// `Init`'s variants (its `kind` tag), each with the name of its one parameter, if any.
pub fn init_variants() -> Vec<(&'static str, Option<&'static str>)> {
    let tagged = |kind: &str| Init::deserialize_probe(kind);
    let Err(Probe { variants: Some(names), .. }) = tagged(NOT_A_NAME) else { panic!("Init is an internally tagged enum") };
    names
        .iter()
        .map(|&n| match tagged(n) {
            Ok(_) => (n, None),
            Err(Probe { missing: Some(field), .. }) => (n, Some(field)),
            Err(e) => panic!("Init variant {n}: {e}"),
        })
        .collect()
}

impl Init {
    fn deserialize_probe(kind: &str) -> std::result::Result<Init, Probe> {
        use serde::Deserialize;
        Init::deserialize(MapDeserializer::<_, Probe>::new([("kind", kind)].into_iter()))
    }
}

/// `Init` as a word: its variant's name, then `:VALUE` for the one with a parameter (`he`, `normal:0.01`).
pub fn init_text(init: &Init) -> String {
    let Value::Object(fields) = serde_json::to_value(init).expect("Init serialises") else { unreachable!("Init is a tagged struct") };
    let kind = fields.get("kind").and_then(Value::as_str).expect("Init has a kind").to_string();
    match fields.iter().find(|(k, _)| *k != "kind") {
        Some((_, v)) => format!("{kind}:{}", v.as_f64().expect("a number") as f32),
        None => kind,
    }
}

impl fmt::Display for Init {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&init_text(self))
    }
}

/// The forms `parse_init` takes: "uniform:SCALE, normal:STD, xavier, he, lecun_uniform, auto".
pub fn init_forms() -> String {
    let forms: Vec<String> = init_variants().iter().map(|(n, p)| p.map_or(n.to_string(), |p| format!("{n}:{}", p.to_uppercase()))).collect();
    forms.join(", ")
}

/// Reads `init_text`'s form back, through serde.
pub fn parse_init(s: &str) -> std::result::Result<Init, String> {
    let variants = init_variants();
    let (kind, value) = s.split_once(':').map_or((s, None), |(k, v)| (k, Some(v)));
    let Some(&(_, param)) = variants.iter().find(|(n, _)| *n == kind) else {
        return Err(format!("unknown initialisation '{s}' (expected {})", init_forms()));
    };
    let mut fields = Map::new();
    fields.insert("kind".into(), json!(kind));
    match (param, value) {
        (None, None) => {}
        (Some(p), Some(v)) => {
            // NaN and infinities parse as f32 but are no JSON number: refuse them here, in words.
            let x = v.trim().parse::<f32>().ok().filter(|x| x.is_finite());
            let x = x.ok_or_else(|| format!("initialisation {kind} takes a number after the colon, not '{v}'"))?;
            fields.insert(p.into(), json!(x));
        }
        (Some(p), None) => return Err(format!("initialisation {kind} needs its {p}, e.g. {kind}:0.05")),
        (None, Some(_)) => return Err(format!("initialisation {kind} takes no value")),
    }
    let init: Init = serde_json::from_value(Value::Object(fields)).map_err(|e| e.to_string())?;
    INIT.check_init(&init).map_err(|e| e.to_string())?;
    Ok(init)
}

/// `name`, `parse`, `choices` and `Display` for unit enums, all from serde.
macro_rules! serde_names {
    ($($t:ty),*) => {$(
        impl $t {
            /// The serde name.
            pub fn name(self) -> &'static str {
                name(&self)
            }
            /// The variant with this serde name (or alias).
            pub fn parse(s: &str) -> Option<Self> {
                parse(s)
            }
            /// Every variant, in declaration order.
            pub fn all() -> Vec<Self> {
                choices::<Self>().into_iter().filter_map(parse).collect()
            }
        }
        impl fmt::Display for $t {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.name())
            }
        }
    )*};
}
serde_names!(ModelKind, Decoder, NoiseKind, Activation, OptimizerKind, DatasetName, Prior);
