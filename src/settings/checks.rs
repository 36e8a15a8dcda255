//! Reading a setting from text and checking it against the table's limits,
//! and the configurations that checked values make.

use std::fmt;

use serde_json::{json, Value};

use super::page_json::short_float;
use super::*;
use crate::config::{ModelConfig, TrainConfig};
use crate::data::DatasetName;
use crate::error::{Error, Result};
use crate::layers::Init;

impl Setting {
    fn out_of_range(&self, got: impl fmt::Display, min: impl fmt::Display, max: impl fmt::Display) -> Error {
        Error::Config(format!("{} {got} must be between {min} and {max}", self.label))
    }

    /// Checks a whole number against an `Int` setting's limits.
    pub fn check_int(&self, v: u64) -> Result<()> {
        match self.kind {
            Kind::Int { min, max } if v < min || v > max => Err(self.out_of_range(v, min, max)),
            Kind::Int { .. } => Ok(()),
            _ => unreachable!("{} is not a whole number", self.key),
        }
    }

    /// Checks a float against a `Float` setting's limits (NaN and infinities fail).
    pub fn check_float(&self, v: f32) -> Result<()> {
        match self.kind {
            Kind::Float { min, max } => in_bounds(v, Bounds { min, max }).map_err(|_| self.out_of_range(v, num(min), num(max))),
            _ => unreachable!("{} is not a number", self.key),
        }
    }

    /// Checks a list's length and each entry against a `List` setting's limits.
    pub fn check_list(&self, v: &[usize]) -> Result<()> {
        let Kind::List { min, max, max_len } = self.kind else { unreachable!("{} is not a list", self.key) };
        if v.len() > max_len {
            return Err(Error::Config(format!("{}: at most {max_len} entries, got {}", self.label, v.len())));
        }
        match v.iter().find(|&&w| (w as u64) < min || w as u64 > max) {
            Some(w) => Err(Error::Config(format!("{}: {w} must be between {min} and {max}", self.label))),
            None => Ok(()),
        }
    }

    /// Checks an initialisation's parameter, if it has one.
    pub fn check_init(&self, init: &Init) -> Result<()> {
        let Kind::Init { param } = self.kind else { unreachable!("{} is not an initialisation", self.key) };
        let Value::Object(fields) = serde_json::to_value(init).expect("Init serialises") else { unreachable!("Init is a tagged struct") };
        for (field, v) in fields.iter().filter(|(k, _)| *k != "kind") {
            let x = v.as_f64().unwrap_or(f64::NAN) as f32;
            in_bounds(x, param).map_err(|_| Error::Config(format!("{} {field} {x} must be between {} and {}", self.label, num(param.min), num(param.max))))?;
        }
        Ok(())
    }

    /// Reads the setting from text as a person types it (a CLI flag): the value
    /// in the form the config's serde reads, checked against the core's limits,
    /// or a message that says what is allowed.
    pub fn value_from_text(&self, text: &str) -> std::result::Result<Value, String> {
        let text = text.trim();
        let checked = |r: Result<()>, v: Value| r.map(|_| v).map_err(|e| e.to_string().trim_start_matches("invalid configuration: ").to_string());
        match self.kind {
            Kind::Int { .. } => {
                let v = text.parse::<u64>().map_err(|_| format!("{} takes a whole number, not '{text}'", self.label))?;
                checked(self.check_int(v), json!(v))
            }
            Kind::Float { .. } => {
                let v = text.parse::<f32>().map_err(|_| format!("{} takes a number, not '{text}'", self.label))?;
                checked(self.check_float(v), json!(v))
            }
            Kind::List { .. } => {
                let widths = if text.is_empty() { Ok(Vec::new()) } else { text.split(',').map(|w| w.trim().parse::<usize>()).collect() };
                let widths = widths.map_err(|_| format!("{} takes comma-separated whole numbers like 512,256, not '{text}'", self.label))?;
                checked(self.check_list(&widths), json!(widths))
            }
            Kind::Choice { choices, aliases } => {
                let all = choices();
                all.iter()
                    .chain(&aliases())
                    .find(|&&c| c == text)
                    .map(|c| json!(c))
                    .ok_or_else(|| format!("{} must be one of {}, not '{text}'", self.label, all.join(", ")))
            }
            Kind::Bool => match text {
                "true" | "1" | "yes" | "on" => Ok(json!(true)),
                "false" | "0" | "no" | "off" => Ok(json!(false)),
                _ => Err(format!("{} is true or false, not '{text}'", self.label)),
            },
            Kind::Init { .. } => {
                let init = parse_init(text)?;
                checked(self.check_init(&init), serde_json::to_value(init).expect("Init serialises"))
            }
        }
    }

    /// The default as a person would type it (a CLI flag's default).
    pub fn default_text(&self) -> String {
        match self.default_value() {
            Value::Array(xs) => xs.iter().map(Value::to_string).collect::<Vec<_>>().join(","),
            Value::String(s) => s,
            v => v.to_string(),
        }
    }

    /// The core's default, in the form the page uses (init as text, floats as their f32 value's shortest decimal).
    pub fn default_value(&self) -> Value {
        let defaults = json!({ "model": ModelConfig::default(), "train": TrainConfig::default(), "dataset": DatasetName::default() });
        let v = self.path.split('.').try_fold(&defaults, |v, part| v.get(part)).unwrap_or_else(|| panic!("no config field at {}", self.path)).clone();
        match self.kind {
            Kind::Float { .. } => short_float(v.as_f64().expect("a number") as f32),
            Kind::Init { .. } => Value::String(init_text(&serde_json::from_value(v).expect("an Init"))),
            _ => v,
        }
    }
}

/// The configurations that values set by path make (`model.latent`, `train.lr`,
/// `dataset`; serde's forms, as `value_from_text` gives them), every other
/// setting at its default, validated: what the CLI builds from its flags, as
/// the page's `toInit` does from the link.
pub fn configs_from(values: &[(&Setting, Value)]) -> Result<(ModelConfig, TrainConfig, DatasetName)> {
    let mut all = json!({ "model": ModelConfig::default(), "train": TrainConfig::default(), "dataset": DatasetName::default() });
    for (s, v) in values {
        let (parent, field) = s.path.rsplit_once('.').map_or((None, s.path), |(p, f)| (Some(p), f));
        let target = match parent {
            Some(p) => all.get_mut(p).and_then(Value::as_object_mut),
            None => all.as_object_mut(),
        };
        target.ok_or_else(|| Error::Config(format!("no configuration holds {}", s.path)))?.insert(field.to_string(), v.clone());
    }
    let read = |part: &str| all.get(part).cloned().unwrap_or(Value::Null);
    let model: ModelConfig = serde_json::from_value(read("model")).map_err(|e| Error::Config(e.to_string()))?;
    let train: TrainConfig = serde_json::from_value(read("train")).map_err(|e| Error::Config(e.to_string()))?;
    let dataset: DatasetName = serde_json::from_value(read("dataset")).map_err(|e| Error::Config(e.to_string()))?;
    model.validate()?;
    train.validate()?;
    Ok((model, train, dataset))
}

fn in_bounds(x: f32, b: Bounds) -> std::result::Result<(), ()> {
    if x.is_finite() && x >= b.min && x <= b.max {
        Ok(())
    } else {
        Err(())
    }
}

/// A limit as people write it: 1e-6, 0.95, 1000.
fn num(x: f32) -> String {
    if x != 0.0 && (x.abs() < 1e-3 || x.abs() >= 1e6) {
        format!("{x:e}")
    } else {
        format!("{x}")
    }
}
