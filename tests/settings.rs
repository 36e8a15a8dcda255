//! The settings table against the config it describes: every enum choice is a
//! serde name, every default is `Default`'s, every config field has an entry,
//! and `validate` draws its lines exactly at the table's limits.

use ae_playground::config::{BatchOrder, Decoder, ModelConfig, ModelKind, NoiseKind, TrainConfig};
use ae_playground::layers::{Activation, Init};
use ae_playground::optim::OptimizerKind;
use ae_playground::settings::{self, Kind, Literal, Setting, ALL};
use ae_playground::DatasetName;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::{json, Value};

/// `{model, train, dataset}` as JSON: the shape the table's paths point into.
fn defaults() -> Value {
    json!({ "model": ModelConfig::default(), "train": TrainConfig::default(), "dataset": DatasetName::default() })
}

fn at<'a>(v: &'a mut Value, path: &str) -> &'a mut Value {
    path.split('.').fold(v, |v, part| v.get_mut(part).unwrap_or_else(|| panic!("no field {part} in {path}")))
}

/// Builds both configs from the JSON and validates them; Err carries the message.
fn validate(v: &Value) -> Result<(), String> {
    let m: ModelConfig = serde_json::from_value(v["model"].clone()).map_err(|e| e.to_string())?;
    let t: TrainConfig = serde_json::from_value(v["train"].clone()).map_err(|e| e.to_string())?;
    let _: DatasetName = serde_json::from_value(v["dataset"].clone()).map_err(|e| e.to_string())?;
    m.validate().and_then(|_| t.validate()).map_err(|e| e.to_string())
}

fn with(path: &str, value: Value) -> Value {
    let mut v = defaults();
    // A small model, so that each limit is tested on its own: at the default
    // widths, 65,536 inputs alone pass the parameter cap (model_size::MAX_PARAMS).
    *at(&mut v, "model.hidden") = json!([8]);
    *at(&mut v, "model.latent") = json!(2);
    *at(&mut v, path) = value;
    // Masking caps the noise level below 1; Gaussian noise lets the level reach its own limit.
    if path == "model.noise_level" {
        *at(&mut v, "model.noise") = json!("gaussian");
    }
    // Only VAE-GAN's discriminator reads images through convolutions.
    if path == "model.disc_conv" {
        *at(&mut v, "model.kind") = json!("vaegan");
    }
    v
}

/// The names serde_json's own error message lists for an unknown variant:
/// a route to the enum's names independent of `settings::choices`.
fn names_in_serde_error<T: DeserializeOwned + std::fmt::Debug>() -> Vec<String> {
    quoted_after_expected(&serde_json::from_str::<T>("\"?\"").unwrap_err().to_string())
}

/// "unknown variant `?`, expected one of `a`, `b`" (or "expected `a` or `b`") -> [a, b]
fn quoted_after_expected(err: &str) -> Vec<String> {
    let list = err.split_once("expected").unwrap_or_else(|| panic!("{err}")).1;
    list.split('`').skip(1).step_by(2).map(str::to_string).collect()
}

fn choices_round_trip<T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug>(aliases: &[&str]) {
    let choices = settings::choices::<T>();
    let mut serde_names = names_in_serde_error::<T>();
    serde_names.retain(|n| !aliases.contains(&n.as_str()));
    assert_eq!(choices, serde_names, "{}: the choices are exactly serde's names", std::any::type_name::<T>());
    for c in choices {
        let v: T = serde_json::from_value(json!(c)).unwrap_or_else(|e| panic!("{c}: {e}"));
        assert_eq!(serde_json::to_value(&v).unwrap(), json!(c), "{c} serialises back to itself");
        assert_eq!(settings::parse::<T>(c), Some(v));
    }
}

#[test]
fn every_enum_choice_is_a_serde_name_that_round_trips() {
    choices_round_trip::<ModelKind>(&[]);
    choices_round_trip::<Decoder>(&[]);
    choices_round_trip::<NoiseKind>(&[]);
    choices_round_trip::<Activation>(&[]);
    choices_round_trip::<OptimizerKind>(&[]);
    choices_round_trip::<BatchOrder>(&[]);
    choices_round_trip::<DatasetName>(&["fashion-mnist", "fashion_mnist"]);
    // Older model files name Fashion-MNIST by its folder; it is read, never written.
    assert_eq!(DatasetName::parse("fashion-mnist"), Some(DatasetName::FashionMnist));
    assert_eq!(DatasetName::FashionMnist.name(), "fashion");
    assert_eq!(Activation::all().len(), 5);
}

#[test]
fn every_choice_in_the_table_builds_the_config_at_its_path() {
    for s in ALL {
        let Kind::Choice { choices, .. } = s.kind else { continue };
        for c in choices() {
            let v = with(s.path, json!(c));
            // A choice may be invalid in combination (none is today), but it must deserialise into the field.
            validate(&v).unwrap_or_else(|e| panic!("{} = {c}: {e}", s.key));
        }
        for excluded in s.page.exclude.iter().chain(s.page.labels.iter().map(|(k, _)| k)) {
            assert!(choices().contains(excluded), "{}: the page names {excluded}, which is not a choice", s.key);
        }
    }
    for s in ALL {
        for kind in s.page.only {
            assert!(ModelKind::parse(kind).is_some(), "{}: only for {kind}, which is not a model kind", s.key);
        }
    }
}

#[test]
fn init_variants_come_from_serde_and_their_text_round_trips() {
    let names: Vec<_> = settings::init_variants().into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, names_in_serde_error_tagged(), "Init's kinds are its serde tags");
    let params: Vec<_> = settings::init_variants().into_iter().filter_map(|(n, p)| p.map(|p| (n, p))).collect();
    assert_eq!(params, [("uniform", "scale"), ("normal", "std")]);
    for init in [Init::Auto, Init::He, Init::Xavier, Init::LecunUniform, Init::Uniform { scale: 0.05 }, Init::Normal { std: 1e-6 }] {
        let text = settings::init_text(&init);
        assert_eq!(settings::parse_init(&text), Ok(init), "{text}");
    }
    assert_eq!(settings::init_text(&Init::Normal { std: 0.01 }), "normal:0.01");
    for bad in ["lecun", "uniform", "uniform:x", "he:1", "normal:0", "normal:11", "normal:NaN", ""] {
        assert!(settings::parse_init(bad).is_err(), "{bad} is refused");
    }
}

/// Found by `tests/fuzz.rs`: `nan` and `inf` parse as f32 but are no JSON
/// number, and once said "invalid type: null, expected f32".
#[test]
fn an_initialisation_of_nan_or_infinity_is_refused_in_words() {
    for bad in ["uniform:nan", "normal:inf", "normal:-inf", "uniform:NaN"] {
        let message = settings::parse_init(bad).unwrap_err();
        assert!(message.contains("takes a number after the colon"), "{bad}: {message}");
    }
}

fn names_in_serde_error_tagged() -> Vec<String> {
    quoted_after_expected(&serde_json::from_str::<Init>(r#"{"kind":"?"}"#).unwrap_err().to_string())
}

#[test]
fn the_tables_defaults_are_the_configs_defaults_and_every_field_has_an_entry() {
    // Rebuild {model, train, dataset} from the table's defaults alone, then compare with Default.
    let mut v = json!({ "model": {}, "train": {} });
    for s in ALL {
        let d = s.default_value();
        let d = if let Kind::Init { .. } = s.kind { json!(settings::parse_init(d.as_str().unwrap()).unwrap()) } else { d };
        let (head, field) = s.path.rsplit_once('.').unwrap_or(("", s.path));
        let parent = if head.is_empty() { &mut v } else { at(&mut v, head) };
        parent.as_object_mut().unwrap().insert(field.to_string(), d);
    }
    assert_eq!(serde_json::from_value::<ModelConfig>(v["model"].clone()).unwrap(), ModelConfig::default());
    assert_eq!(serde_json::from_value::<TrainConfig>(v["train"].clone()).unwrap(), TrainConfig::default());
    assert_eq!(serde_json::from_value::<DatasetName>(v["dataset"].clone()).unwrap(), DatasetName::default());
    // …and with `deny_unknown_fields`, equal objects mean no field lacks an entry: check it directly too.
    let want = defaults();
    for part in ["model", "train"] {
        for key in want[part].as_object().unwrap().keys() {
            let path = format!("{part}.{key}");
            assert!(ALL.iter().any(|s| s.path == path), "{path} has no entry in the settings table");
        }
    }
    let mut keys: Vec<_> = ALL.iter().map(|s| s.key).collect();
    keys.sort();
    keys.dedup();
    assert_eq!(keys.len(), ALL.len(), "keys are unique");
}

/// The next f32 towards ±infinity: "just outside" a float limit.
fn next_up(x: f32) -> f32 {
    if x == 0.0 {
        f32::from_bits(1)
    } else if x > 0.0 {
        f32::from_bits(x.to_bits() + 1)
    } else {
        f32::from_bits(x.to_bits() - 1)
    }
}
fn next_down(x: f32) -> f32 {
    -next_up(-x)
}

fn accepts(s: &Setting, value: Value) {
    validate(&with(s.path, value.clone())).unwrap_or_else(|e| panic!("{} = {value} should pass: {e}", s.key));
}
fn refuses(s: &Setting, value: Value) {
    match validate(&with(s.path, value.clone())) {
        Ok(()) => panic!("{} = {value} should be refused", s.key),
        Err(e) => assert!(e.contains(s.label), "{} = {value}: the message names the setting: {e}", s.key),
    }
}

#[test]
fn validate_accepts_each_limit_and_refuses_just_outside_it() {
    let mut checked = 0;
    let mut capped = 0;
    for s in ALL {
        match s.kind {
            Kind::Int { min, max } => {
                accepts(s, json!(min));
                accepts(s, json!(max));
                if min > 0 {
                    refuses(s, json!(min - 1));
                }
                if max < u64::MAX {
                    refuses(s, json!(max + 1));
                }
            }
            Kind::Float { min, max } => {
                accepts(s, json!(min));
                accepts(s, json!(max));
                refuses(s, json!(next_down(min)));
                refuses(s, json!(next_up(max)));
            }
            Kind::List { min, max, max_len } => {
                accepts(s, json!([min]));
                accepts(s, json!([max]));
                accepts(s, json!(vec![min; max_len]));
                // Each width and the count are within their limits; the product may not be
                // (the hidden layers', not the discriminator's of a model that has none).
                let wide = with(s.path, json!(vec![max; max_len]));
                let cfg: ModelConfig = serde_json::from_value(wide["model"].clone()).expect("a config");
                if ae_playground::model_size::param_count(&cfg) > ae_playground::model_size::MAX_PARAMS {
                    let e = validate(&wide).expect_err("over the parameter cap");
                    assert!(e.contains("parameters, more than the limit"), "{e}");
                    capped += 1;
                } else {
                    validate(&wide).unwrap_or_else(|e| panic!("{}: the widest list is within the cap: {e}", s.key));
                }
                refuses(s, json!([min - 1]));
                refuses(s, json!([max + 1]));
                refuses(s, json!(vec![min; max_len + 1]));
            }
            Kind::Init { param } => {
                for (kind, p) in settings::init_variants().into_iter().filter_map(|(n, p)| Some((n, p?))) {
                    accepts(s, json!({ "kind": kind, p: param.min }));
                    accepts(s, json!({ "kind": kind, p: param.max }));
                    refuses(s, json!({ "kind": kind, p: next_down(param.min) }));
                    refuses(s, json!({ "kind": kind, p: next_up(param.max) }));
                }
            }
            // A word outside the choices cannot reach a config; a bool has no range.
            Kind::Choice { .. } | Kind::Bool => continue,
        }
        checked += 1;
    }
    assert_eq!(checked, ALL.iter().filter(|s| !matches!(s.kind, Kind::Choice { .. } | Kind::Bool)).count());
    assert!(capped >= 1, "the widest hidden layers are refused by the parameter cap");
    // The comparison can fail: a value well inside every limit passes, and the noise rule still bites.
    assert!(validate(&defaults()).is_ok());
    let masked = {
        let mut v = defaults();
        *at(&mut v, "model.noise_level") = json!(1.0);
        v
    };
    assert!(validate(&masked).unwrap_err().contains("masking probability"));
}

#[test]
fn the_pages_limits_and_defaults_lie_inside_the_cores() {
    for s in ALL {
        let j = s.to_json();
        let (min, max, pmin, pmax) = (j["min"].as_f64(), j["max"].as_f64(), j["page_min"].as_f64(), j["page_max"].as_f64());
        if let (Some(min), Some(max), Some(pmin), Some(pmax)) = (min, max, pmin, pmax) {
            assert!(min <= pmin && pmin <= pmax && pmax <= max, "{}: page [{pmin}, {pmax}] within [{min}, {max}]", s.key);
            let d = &j["page_default"];
            let ds: Vec<f64> = d.as_array().map(|a| a.iter().filter_map(Value::as_f64).collect()).unwrap_or(d.as_f64().into_iter().collect());
            assert!(ds.iter().all(|x| (pmin..=pmax).contains(x)), "{}: page default {d} within the page's limits", s.key);
        }
        if let Some(Literal::List(xs)) = s.page.default {
            assert!(xs.len() <= j["page_max_len"].as_u64().unwrap() as usize);
        }
        if s.page.fixed {
            assert_eq!(j["page_min"], j["default"], "{}: a fixed setting allows only its default", s.key);
        }
    }
}

#[test]
fn every_setting_reads_its_default_text_back_into_the_default_configs() {
    let values: Vec<_> = settings::ALL.iter().map(|s| (s, s.value_from_text(&s.default_text()).unwrap_or_else(|e| panic!("{}: {e}", s.key)))).collect();
    let (model, train, dataset) = settings::configs_from(&values).expect("the defaults are valid");
    assert_eq!(model, ModelConfig::default());
    assert_eq!(train, TrainConfig::default());
    assert_eq!(dataset, ae_playground::DatasetName::default());
}

#[test]
fn text_a_person_types_is_checked_against_the_table() {
    let lr = settings::LR.value_from_text("0").unwrap_err();
    assert!(lr.contains("between 1e-6 and 100"), "{lr}");
    assert!(settings::HIDDEN.value_from_text("64,x").unwrap_err().contains("comma-separated"));
    assert!(settings::MODEL.value_from_text("gan").unwrap_err().contains("one of ae, dae"));
    let (model, train, _) = settings::configs_from(&[
        (&settings::HIDDEN, settings::HIDDEN.value_from_text("64, 32").unwrap()),
        (&settings::INIT, settings::INIT.value_from_text("normal:0.5").unwrap()),
        (&settings::LR, settings::LR.value_from_text("0.01").unwrap()),
    ])
    .unwrap();
    assert_eq!(model.hidden, vec![64, 32]);
    assert_eq!(settings::init_text(&model.init), "normal:0.5");
    assert_eq!(train.lr, 0.01);
    // Each value is valid alone; together they must still pass the configs' own checks.
    let clash = settings::configs_from(&[
        (&settings::NOISE, settings::NOISE.value_from_text("mask").unwrap()),
        (&settings::NOISE_LEVEL, settings::NOISE_LEVEL.value_from_text("2").unwrap()),
    ]);
    assert!(clash.is_err(), "masking probability 2 is refused");
}
