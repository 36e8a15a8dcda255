//! A lesson side's settings as the page builds them: the page's defaults,
//! then the lesson's link, then the overrides (`b.contractive=0`), with
//! `batch_order=seed` so sides of any shape see the same batches (compare.js
//! does the same in `sideState`).

use super::Lesson;
use crate::config::{ModelConfig, TrainConfig};
use crate::data::DatasetName;
use crate::error::{Error, Result};
use crate::settings;

pub struct SideConfigs {
    pub model: ModelConfig,
    pub train: TrainConfig,
    pub dataset: DatasetName,
}

fn pairs(text: &str) -> impl Iterator<Item = (&str, &str)> {
    text.split('&').filter(|p| !p.is_empty()).map(|p| p.split_once('=').unwrap_or((p, "")))
}

/// Side `side` of `lesson` under `overrides` (a link's `a.…&b.…` part) and,
/// when given, another seed for every side.
pub fn side_configs(lesson: &Lesson, side: usize, overrides: &str, seed: Option<u64>) -> Result<SideConfigs> {
    let s = lesson.sides.get(side).ok_or_else(|| Error::Config(format!("the {} lesson has no side {side}", lesson.name)))?;
    let prefix = ["a.", "b.", "c.", "d."][side.min(3)];
    let mut text: Vec<(String, String)> = vec![("batch_order".into(), "seed".into())];
    let mut set = |k: &str, v: &str| match text.iter_mut().find(|(key, _)| key == k) {
        Some(kv) => kv.1 = v.to_string(),
        None => text.push((k.to_string(), v.to_string())),
    };
    pairs(s.link).for_each(|(k, v)| set(k, v));
    pairs(overrides).filter_map(|(k, v)| k.strip_prefix(prefix).map(|k| (k, v))).for_each(|(k, v)| set(k, v));
    if let Some(seed) = seed {
        set("seed", &seed.to_string());
    }
    let mut values = settings::page_defaults();
    for (k, v) in &text {
        let entry =
            values.iter_mut().find(|(s, _)| s.key == k).ok_or_else(|| Error::Config(format!("the {} lesson's link has no setting '{k}'", lesson.name)))?;
        entry.1 = entry.0.value_from_text(v).map_err(Error::Config)?;
    }
    let (model, train, dataset) = settings::configs_from(&values)?;
    Ok(SideConfigs { model, train, dataset })
}
