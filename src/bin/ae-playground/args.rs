//! The flags shared by several commands: the data folder and dataset, every
//! setting of the table as a flag (`SettingArgs`), and enum choices by their serde names.

use std::path::PathBuf;

use ae_playground::settings;
use ae_playground::DatasetName;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::Args;
use serde::de::DeserializeOwned;
use serde::Serialize;

#[derive(Args)]
pub(crate) struct DataArgs {
    #[arg(long, help = settings::DATASET.help, value_parser = choice::<DatasetName>(), default_value_t = DatasetName::default())]
    pub(crate) dataset: DatasetName,
    /// Folder holding mnist/ and fashion-mnist/ (default: $AE_DATA_DIR or ./data)
    #[arg(long)]
    pub(crate) data_dir: Option<PathBuf>,
}

/// One flag per setting of `settings::ALL`, made from the table alone: name
/// (`noise_level` → `--noise-level`), help, allowed values and default. Adding a
/// setting to the table adds its flag. The dataset is `DataArgs`' (every
/// command reads data); settings the page holds fixed (input size, classes)
/// follow the data, not a flag. `--seed random` asks the OS for a seed.
pub(crate) struct SettingArgs {
    pub(crate) values: Vec<(&'static settings::Setting, serde_json::Value)>,
}

pub(crate) fn is_flag(s: &settings::Setting) -> bool {
    !s.page.fixed && s.key != settings::DATASET.key
}

impl clap::FromArgMatches for SettingArgs {
    fn from_arg_matches(m: &clap::ArgMatches) -> Result<Self, clap::Error> {
        let values = settings::ALL.iter().filter(|s| is_flag(s)).filter_map(|s| m.get_one::<serde_json::Value>(s.key).map(|v| (s, v.clone()))).collect();
        Ok(SettingArgs { values })
    }
    fn update_from_arg_matches(&mut self, m: &clap::ArgMatches) -> Result<(), clap::Error> {
        *self = Self::from_arg_matches(m)?;
        Ok(())
    }
}

impl Args for SettingArgs {
    fn augment_args(mut cmd: clap::Command) -> clap::Command {
        for s in settings::ALL.iter().filter(|s| is_flag(s)) {
            // clap (without its `string` feature) keeps &'static str: the few strings made once per run are leaked.
            let leak = |t: String| -> &'static str { Box::leak(t.into_boxed_str()) };
            let mut arg = clap::Arg::new(s.key).long(leak(s.key.replace('_', "-"))).help(s.help).default_value(leak(s.default_text()));
            arg = match s.kind {
                settings::Kind::Choice { choices, aliases } => {
                    let names = choices().into_iter().map(PossibleValue::new);
                    let hidden = aliases().into_iter().map(|a| PossibleValue::new(a).hide(true));
                    arg.value_parser(PossibleValuesParser::new(names.chain(hidden)).map(serde_json::Value::String))
                }
                // A switch: `--aae-labels` alone turns it on.
                settings::Kind::Bool => arg.num_args(0..=1).default_missing_value("true").value_parser(move |t: &str| s.value_from_text(t)),
                _ if s.key == settings::SEED.key => arg.value_parser(|t: &str| match t {
                    "random" => Ok(serde_json::Value::String("random".into())),
                    _ => settings::SEED.value_from_text(t).map_err(|_| format!("--seed takes a whole number or \"random\", not '{t}'")),
                }),
                _ => arg.value_parser(move |t: &str| s.value_from_text(t)),
            };
            cmd = cmd.arg(arg);
        }
        cmd
    }
    fn augment_args_for_update(cmd: clap::Command) -> clap::Command {
        Self::augment_args(cmd)
    }
}

/// A clap parser for a unit enum that offers (and lists in `--help`) its
/// serde names, and takes serde's aliases too without listing them.
pub(crate) fn choice<T: Serialize + DeserializeOwned + Clone + Send + Sync + 'static>() -> impl TypedValueParser<Value = T> {
    let names = settings::choices::<T>().into_iter().map(PossibleValue::new);
    let aliases = settings::aliases::<T>().into_iter().map(|a| PossibleValue::new(a).hide(true));
    PossibleValuesParser::new(names.chain(aliases)).map(|s| settings::parse::<T>(&s).expect("clap offers only the enum's own names"))
}
