//! Model files in the safetensors format (Hugging Face): an 8-byte
//! little-endian header length, a JSON header naming each tensor's dtype,
//! shape and byte range, then the raw little-endian data. The model's
//! `ModelConfig` travels as JSON in the header's `__metadata__`, so a file
//! rebuilds its own model natively, in the browser, or in Python. A file may
//! also carry the optimisers' state as tensors named `optim.…` beside the
//! weights (`checkpoint.rs` names them); other readers see extra tensors.

use std::collections::BTreeMap;

use safetensors::tensor::{Dtype, Metadata, SafeTensorError, SafeTensors};
use serde_json::{json, Map, Value};

use crate::config::{ModelConfig, ModelKind};
use crate::error::{Error, Result};
use crate::model_size::{param_count, MAX_PARAMS};
use crate::models::{build, Model};
use crate::rng::Rng;

/// A header longer than this is refused before it is parsed (ours are a few kilobytes).
const MAX_HEADER: u64 = 16 << 20;
/// Tensors whose names start with this hold an optimiser's state, not weights.
pub const STATE_PREFIX: &str = "optim.";
/// At most this many optimiser numbers per weight: Adam's two moments for
/// every weight, and two more for the adversarial AE's encoder, whose
/// generator steps keep moments of their own (`Trainer`).
pub const MAX_STATE_PER_PARAM: u64 = 4;
/// The largest model file: the largest header, `MAX_PARAMS` f32 weights and
/// their optimiser state, 656 MiB. A larger file is refused unread (the CLI
/// checks its length before reading it, `load` its bytes before parsing
/// them); a file's own tensor table is held to its model's size (`check_table`).
pub const MAX_FILE_BYTES: u64 = 8 + MAX_HEADER + 4 * MAX_PARAMS * (1 + MAX_STATE_PER_PARAM);

fn bad(people: &'static str, detail: impl Into<String>) -> Error {
    Error::ModelFile { people, detail: detail.into() }
}

// What a person is told, by what went wrong with the file.
const NOT_A_MODEL: &str = "This file is not a model file: it is too short to hold one.";
const TOO_BIG: &str = "This file is larger than the largest model file (656 MiB), so it is not a model this playground can open.";
const UNREADABLE: &str = "This file is not a model file: its header cannot be read.";
const NOT_OURS: &str = "This is a safetensors file, but not one saved by AE Playground: it does not say which model it holds.";
const CANNOT_BUILD: &str = "This model file describes a model this playground cannot build.";
const DAMAGED: &str = "This model file is damaged or incomplete: its weights do not match the model it describes.";
const OLD_CAE: &str = "This contractive autoencoder was saved by an earlier version of the playground, whose CAE had a sigmoid code layer; the CAE now has a linear one, like the plain autoencoder, so these weights would not mean the same thing. Train it again.";
const NOT_NUMBERS: &str = "This model file holds weights that are not numbers (NaN or infinity), so the model cannot be used.";

/// Written into every CAE file since its code layer became linear (it was a
/// sigmoid, with no trace of that in the config): a CAE file without it was
/// trained for the sigmoid code and would load into a different model.
pub const CAE_CODE: (&str, &str) = ("cae_code", "linear");

/// A tensor saved beside the model's (an optimiser's state).
pub struct Extra<'a> {
    pub name: String,
    pub shape: Vec<usize>,
    pub values: &'a [f32],
}

/// Serialises a model; `extra` metadata (training settings, step) rides along.
pub fn save(model: &mut dyn Model, extra: &BTreeMap<String, String>) -> Vec<u8> {
    save_with(model, extra, &[])
}

/// Serialises a model and `tensors` after its own, in one allocation of the
/// file's exact size (the page saves every few seconds: a growing buffer
/// would hold twice the largest model for a moment).
pub fn save_with(model: &mut dyn Model, extra: &BTreeMap<String, String>, tensors: &[Extra]) -> Vec<u8> {
    let mut header = Map::new();
    let mut meta = Map::new();
    meta.insert("format".into(), json!("ae-playground"));
    meta.insert("config".into(), json!(serde_json::to_string(model.config()).expect("config serialises")));
    if model.config().kind == ModelKind::Cae {
        meta.insert(CAE_CODE.0.into(), json!(CAE_CODE.1));
    }
    for (k, v) in extra {
        meta.insert(k.clone(), json!(v));
    }
    header.insert("__metadata__".into(), Value::Object(meta));
    let mut end = 0usize;
    let mut entry = |name: &str, shape: &[usize], len: usize| {
        let begin = end;
        end += 4 * len;
        header.insert(name.to_string(), json!({"dtype": "F32", "shape": shape, "data_offsets": [begin, end]}));
    };
    model.visit(&mut |name, shape, values, _| entry(name, shape, values.len()));
    for t in tensors {
        entry(&t.name, &t.shape, t.values.len());
    }
    let mut head = serde_json::to_vec(&Value::Object(header)).expect("header serialises");
    // The format recommends 8-byte alignment of the data; pad with spaces.
    while !head.len().is_multiple_of(8) {
        head.push(b' ');
    }
    let mut out = Vec::with_capacity(8 + head.len() + end);
    out.extend_from_slice(&(head.len() as u64).to_le_bytes());
    out.extend_from_slice(&head);
    let put = |out: &mut Vec<u8>, values: &[f32]| {
        for v in values {
            out.extend_from_slice(&v.to_le_bytes());
        }
    };
    model.visit(&mut |_, _, values, _| put(&mut out, values));
    for t in tensors {
        put(&mut out, t.values);
    }
    out
}

/// A parsed file: its metadata, the model it rebuilds, and the optimiser
/// state it carries (`optim.…` tensors by name: shape and values; empty for
/// a file of weights only).
pub struct Loaded {
    pub model: Box<dyn Model>,
    pub metadata: BTreeMap<String, String>,
    pub state: BTreeMap<String, (Vec<usize>, Vec<f32>)>,
}

/// Rebuilds a model from safetensors bytes. The `safetensors` crate parses the
/// format (header, dtypes, shapes, byte ranges tiling the data to its end);
/// what it cannot know is ours to check: the configuration and its parameter
/// cap, the table against that configuration before the model exists, every
/// tensor's name and shape against the built model, and finite weights.
pub fn load(bytes: &[u8]) -> Result<Loaded> {
    if bytes.len() < 8 {
        return Err(bad(NOT_A_MODEL, format!("only {} bytes; a safetensors file starts with an 8-byte header length", bytes.len())));
    }
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(bad(TOO_BIG, format!("{} bytes; at most {MAX_FILE_BYTES}", bytes.len())));
    }
    // The crate allows a 100 MB header; ours are a few kilobytes, so a hostile
    // one is held to MAX_HEADER before it costs a parse.
    let n = u64::from_le_bytes(bytes[..8].try_into().expect("8 bytes"));
    if n > MAX_HEADER || n > (bytes.len() - 8) as u64 {
        return Err(bad(NOT_A_MODEL, format!("header length {n} does not fit in a file of {} bytes", bytes.len())));
    }
    let (n, table) = SafeTensors::read_metadata(bytes).map_err(|e| refused(e, bytes.len() - 8 - n as usize))?;
    let data = &bytes[8 + n..];
    let metadata: BTreeMap<String, String> = table.metadata().iter().flat_map(|m| m.iter()).map(|(k, v)| (k.clone(), v.clone())).collect();
    let cfg_text = metadata.get("config").ok_or_else(|| bad(NOT_OURS, "no model configuration in the metadata"))?;
    let cfg: ModelConfig = serde_json::from_str(cfg_text).map_err(|e| bad(CANNOT_BUILD, format!("model configuration is invalid: {e}")))?;
    cfg.validate().map_err(|e| bad(CANNOT_BUILD, e.to_string()))?;
    if cfg.kind == ModelKind::Cae && metadata.get(CAE_CODE.0).map(String::as_str) != Some(CAE_CODE.1) {
        return Err(bad(OLD_CAE, format!("no {}={} in the metadata", CAE_CODE.0, CAE_CODE.1)));
    }
    // The table is checked against the config before the model is built, so
    // a tiny file declaring a big model costs a header's parse, not the model.
    let names = table.offset_keys();
    check_table(&table, &names, data.len(), param_count(&cfg))?;
    let mut model = build(&cfg, &mut Rng::new(0))?;
    let mut problem: Option<Error> = None;
    let mut seen = 0usize;
    model.visit(&mut |name, shape, values, _| {
        if problem.is_some() {
            return;
        }
        seen += 1;
        problem = fill(&table, data, name, shape, values).err();
    });
    if let Some(e) = problem {
        return Err(e);
    }
    let in_file = names.iter().filter(|k| !is_state(k)).count();
    if in_file != seen {
        return Err(bad(DAMAGED, format!("the file holds {in_file} tensors but this model has {seen}")));
    }
    let mut state = BTreeMap::new();
    for name in names.into_iter().filter(|k| is_state(k)) {
        // check_table has held the state to MAX_STATE_PER_PARAM per weight.
        let shape = table.info(&name).map(|t| t.shape.clone()).unwrap_or_default();
        let mut values = vec![0.0; shape.iter().product()];
        fill(&table, data, &name, &shape, &mut values)?;
        state.insert(name, (shape, values));
    }
    Ok(Loaded { model, metadata, state })
}

fn is_state(name: &str) -> bool {
    name.starts_with(STATE_PREFIX)
}

/// The crate's refusal, told to people: what is wrong with the file first,
/// the crate's words after. `data_len`: the bytes after the header.
fn refused(e: SafeTensorError, data_len: usize) -> Error {
    use SafeTensorError as E;
    match e {
        E::HeaderTooSmall | E::HeaderTooLarge | E::InvalidHeaderLength => bad(NOT_A_MODEL, e.to_string()),
        E::InvalidHeader(e) => bad(UNREADABLE, format!("header is not UTF-8 text: {e}")),
        // Text that is not JSON at all is not a model file; JSON of the wrong
        // shape (a tensor without a dtype, an unknown dtype) is a damaged one.
        E::InvalidHeaderDeserialization(e) if e.is_syntax() || e.is_eof() => bad(UNREADABLE, format!("header is not valid JSON: {e}")),
        E::InvalidHeaderDeserialization(e) => bad(DAMAGED, format!("the header's tensor table is malformed: {e}")),
        // The crate checks the ranges in its hash map's order, which changes
        // from run to run, so a file with two faults could be refused now for
        // one, now for the other: one sentence, the same every time.
        E::InvalidOffset(_) | E::TensorInvalidInfo => bad(
            DAMAGED,
            "the tensors' byte ranges are inconsistent: each tensor must hold exactly the bytes its dtype and shape need, starting where the one before it ends",
        ),
        E::MetadataIncompleteBuffer => {
            bad(DAMAGED, format!("tensor data: the tensors' byte ranges do not end where the file's {data_len} bytes of data end (truncated?)"))
        }
        other => bad(DAMAGED, other.to_string()),
    }
}

/// Checks the tensor table before any tensor exists (the crate has checked
/// that each byte range holds its tensor's shape and that the ranges tile the
/// data): every entry an F32 tensor, the floats of the weights exactly the
/// `params` the configuration implies, and those of the optimiser state at
/// most `MAX_STATE_PER_PARAM` per weight. Names and shapes are matched to the
/// built model afterwards, in `fill` (the state's in `checkpoint.rs`).
fn check_table(table: &Metadata, names: &[String], data_len: usize, params: u64) -> Result<()> {
    let (mut floats, mut state) = (0u64, 0u64);
    for name in names {
        let Some(t) = table.info(name) else { continue };
        if t.dtype != Dtype::F32 {
            return Err(bad(DAMAGED, format!("tensor {name} has dtype {}, expected F32", t.dtype)));
        }
        let count = t.shape.iter().map(|&d| d as u64).product::<u64>();
        if is_state(name) {
            state += count;
        } else {
            floats += count;
        }
    }
    if floats != params {
        return Err(bad(
            DAMAGED,
            format!("the model described has {params} parameters, but the file's tensors hold {floats} floats in {data_len} bytes of data"),
        ));
    }
    if state > MAX_STATE_PER_PARAM * params {
        return Err(bad(
            DAMAGED,
            format!("the file holds {state} numbers of optimiser state for the model's {params} parameters (at most {MAX_STATE_PER_PARAM} per parameter)"),
        ));
    }
    Ok(())
}

fn fill(table: &Metadata, data: &[u8], name: &str, shape: &[usize], values: &mut [f32]) -> Result<()> {
    let t = table.info(name).ok_or_else(|| bad(DAMAGED, format!("tensor {name} is missing")))?;
    if t.dtype != Dtype::F32 {
        return Err(bad(DAMAGED, format!("tensor {name} has dtype {}, expected F32", t.dtype)));
    }
    if t.shape != shape {
        return Err(bad(DAMAGED, format!("tensor {name} has shape {:?}, expected {shape:?}", t.shape)));
    }
    // The crate has checked the range against the shape and the data's length.
    let (begin, end) = t.data_offsets;
    for (v, chunk) in values.iter_mut().zip(data[begin..end].chunks_exact(4)) {
        *v = f32::from_le_bytes(chunk.try_into().expect("4 bytes"));
        if !v.is_finite() {
            return Err(bad(NOT_NUMBERS, format!("tensor {name} contains NaN or infinity")));
        }
    }
    Ok(())
}
