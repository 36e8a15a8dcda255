//! The table as the page reads it (`www/shared/settings-table.js`, written by
//! tests/settings_file.rs): the core's limits, and the page's own where stricter.

use serde_json::{json, Map, Value};

use super::*;

impl Setting {
    /// The entry as the page reads it: the core's limits, and the page's own where stricter.
    pub fn to_json(&self) -> Value {
        let p = &self.page;
        let mut o = Map::new();
        o.insert("key".into(), json!(self.key));
        o.insert("path".into(), json!(self.path));
        o.insert("label".into(), json!(self.label));
        o.insert("help".into(), json!(self.help));
        o.insert("fixed".into(), json!(p.fixed));
        o.insert("only".into(), json!(p.only));
        o.insert("live".into(), json!(p.live));
        o.insert("learn".into(), json!(if p.learn.is_empty() { self.help } else { p.learn }));
        o.insert("basic".into(), json!(p.basic));
        let default = self.default_value();
        let page_default = match p.default {
            Some(Literal::Int(x)) => json!(x),
            Some(Literal::List(xs)) => json!(xs),
            None => default.clone(),
        };
        o.insert("page_default".into(), page_default);
        // The page's limits as numbers of the setting's type; a fixed setting's are its default.
        let whole = matches!(self.kind, Kind::Int { .. } | Kind::List { .. });
        let page_limit = |x: Option<f64>, core: &Value| match x {
            _ if p.fixed => default.clone(),
            Some(x) if whole => json!(x as u64),
            Some(x) => json!(x),
            None => core.clone(),
        };
        let limits = |o: &mut Map<String, Value>, min: Value, max: Value| {
            o.insert("page_min".into(), page_limit(p.min, &min));
            o.insert("page_max".into(), page_limit(p.max, &max));
            o.insert("min".into(), min);
            o.insert("max".into(), max);
        };
        match self.kind {
            Kind::Int { min, max } => {
                o.insert("type".into(), json!("int"));
                limits(&mut o, json!(min), json!(max));
            }
            Kind::Float { min, max } => {
                o.insert("type".into(), json!("float"));
                limits(&mut o, short_float(min), short_float(max));
            }
            Kind::List { min, max, max_len } => {
                o.insert("type".into(), json!("list"));
                limits(&mut o, json!(min), json!(max));
                o.insert("max_len".into(), json!(max_len));
                o.insert("page_max_len".into(), json!(p.max_len.unwrap_or(max_len)));
            }
            Kind::Choice { choices, .. } => {
                let all = choices();
                o.insert("type".into(), json!("choice"));
                let labels: Map<String, Value> = p.labels.iter().map(|(k, v)| (k.to_string(), json!(v))).collect();
                o.insert("choice_labels".into(), Value::Object(labels));
                o.insert("page_choices".into(), json!(all.iter().filter(|c| !p.exclude.contains(c)).collect::<Vec<_>>()));
                o.insert("choices".into(), json!(all));
                if let Some(facts) = p.choice_facts {
                    o.insert("choice_facts".into(), facts());
                }
            }
            Kind::Init { param } => {
                o.insert("type".into(), json!("init"));
                let variants = init_variants();
                o.insert("choices".into(), json!(variants.iter().map(|(name, _)| name).collect::<Vec<_>>()));
                let params: Map<String, Value> = variants.into_iter().map(|(name, field)| (name.to_string(), json!(field))).collect();
                o.insert("params".into(), Value::Object(params));
                limits(&mut o, short_float(param.min), short_float(param.max));
            }
            Kind::Bool => {
                o.insert("type".into(), json!("bool"));
            }
        }
        o.insert("default".into(), default);
        Value::Object(o)
    }
}

/// The whole table as JSON, in order (what `www/shared/settings-table.js` exports).
pub fn table_json() -> Value {
    Value::Array(ALL.iter().map(Setting::to_json).collect())
}

/// An f32 as the JSON number of its shortest decimal (0.3, not 0.30000001192092896).
pub(super) fn short_float(x: f32) -> Value {
    json!(x.to_string().parse::<f64>().expect("a float prints as a number"))
}
