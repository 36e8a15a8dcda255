//! Mutators: byte-level ones for any file (bit flips, inserts, deletes,
//! duplicated ranges, truncation, splices between corpus files, interesting
//! integers written over fixed-width fields, dictionary tokens), and
//! JSON-aware ones that change one node of a parsed document (a number to
//! an extreme, a string to another known name, a key removed or added, an
//! array emptied or grown), descending into JSON held in a string (the
//! model file's config inside its header).

use ae_playground::Rng;
use serde_json::{json, Map, Value};

/// Words for the JSON mutators besides the corpus's own: the safetensors
/// format's keys and dtypes, and strings that have broken parsers before.
#[rustfmt::skip]
const WORDS: &[&str] = &[
    "", "__metadata__", "format", "config", "dtype", "shape", "data_offsets", "F32", "F16", "BF16", "F64", "I64", "U8", "ae-playground",
    "NaN", "Infinity", "-0", "1e999", "-1e999", "18446744073709551615", "18446744073709551616", "0x10", " ", "\u{0}", "\u{feff}", "é", "\u{1F600}",
];

/// Raw tokens for the byte mutators: JSON's punctuation, escapes, deep nesting, big numbers.
#[rustfmt::skip]
const TOKENS: &[&str] = &[
    "{", "}", "[", "]", ",", ":", "\"", "\\", "\\u0000", "\\ud800", "null", "true", "false", "[[[[[[[[[[[[[[[[", "{\"a\":", "1e308", "-1", "0.0",
    "4096", "4294967296", "9007199254740993", "\r\n", "%", "&", "=",
];

/// Tokens worth inserting: the corpus's JSON keys and strings, the enums'
/// names, and strings that have broken parsers before.
pub struct Dict {
    pub tokens: Vec<Vec<u8>>,
    /// The same, as JSON strings for the JSON mutators.
    pub words: Vec<String>,
}

impl Dict {
    pub fn new(words: impl IntoIterator<Item = String>) -> Dict {
        let mut words: Vec<String> = words.into_iter().collect();
        words.extend(WORDS.iter().map(|w| w.to_string()));
        words.sort();
        words.dedup();
        let mut tokens: Vec<Vec<u8>> = words.iter().map(|w| w.as_bytes().to_vec()).collect();
        tokens.extend(TOKENS.iter().map(|t| t.as_bytes().to_vec()));
        Dict { tokens, words }
    }

    /// The keys and strings of JSON documents (and of JSON inside their strings).
    pub fn harvest(docs: &[Value]) -> Vec<String> {
        fn walk(v: &Value, out: &mut Vec<String>) {
            match v {
                Value::String(s) => {
                    if let Ok(inner) = serde_json::from_str::<Value>(s) {
                        if inner.is_object() {
                            walk(&inner, out);
                            return;
                        }
                    }
                    out.push(s.clone());
                }
                Value::Array(a) => a.iter().for_each(|x| walk(x, out)),
                Value::Object(m) => m.iter().for_each(|(k, x)| {
                    out.push(k.clone());
                    walk(x, out);
                }),
                _ => {}
            }
        }
        let mut out = Vec::new();
        docs.iter().for_each(|d| walk(d, &mut out));
        out
    }
}

pub fn chance(rng: &mut Rng, p: f32) -> bool {
    rng.uniform() < p
}

fn pick<'a, T>(rng: &mut Rng, xs: &'a [T]) -> &'a T {
    &xs[rng.below(xs.len())]
}

/// Integers at and around the edges of the types a header field might be read as.
#[rustfmt::skip]
pub const INTERESTING: [u64; 22] = [
    0, 1, 2, 3, 4, 5, 7, 8, 16, 28, 127, 128, 255, 256, 784, 65535, 65536, 0x7fff_ffff, 0x8000_0000, 0xffff_ffff, 1 << 32, u64::MAX,
];

fn interesting(rng: &mut Rng) -> u64 {
    match rng.below(4) {
        0 => rng.next_u64(),
        1 => pick(rng, &INTERESTING).wrapping_sub(1),
        _ => *pick(rng, &INTERESTING),
    }
}

/// Writes `v` over `width` bytes at `at` (big- or little-endian), growing the data if it is too short.
pub fn write_int(data: &mut Vec<u8>, at: usize, width: usize, v: u64, big_endian: bool) {
    if data.len() < at + width {
        data.resize(at + width, 0);
    }
    let le = v.to_le_bytes();
    for k in 0..width {
        data[at + k] = if big_endian { le[width - 1 - k] } else { le[k] };
    }
}

/// An offset biased to the first `head` bytes (headers are where parsers decide things).
fn offset(rng: &mut Rng, len: usize, head: usize) -> usize {
    if len == 0 {
        return 0;
    }
    if head > 0 && chance(rng, 0.7) {
        rng.below(head.min(len))
    } else {
        rng.below(len)
    }
}

/// One byte-level mutation. `head` is the length of the part worth most attention.
pub fn bytes(rng: &mut Rng, data: &mut Vec<u8>, corpus: &[Vec<u8>], dict: &Dict, head: usize) {
    let len = data.len();
    match rng.below(10) {
        // Flip 1–8 bits.
        0 if len > 0 => {
            for _ in 0..1 + rng.below(8) {
                let at = offset(rng, len, head);
                data[at] ^= 1 << rng.below(8);
            }
        }
        // Set a byte to an interesting or random value.
        1 if len > 0 => {
            let at = offset(rng, len, head);
            data[at] = if chance(rng, 0.5) { *pick(rng, &[0u8, 1, 0x7f, 0x80, 0xff, b'"', b'\\', b'{', b'}', b',', b'0', b'9']) } else { rng.next_u64() as u8 };
        }
        // Insert random bytes.
        2 => {
            let at = offset(rng, len + 1, head);
            let n = 1 + rng.below(16);
            let fresh: Vec<u8> = (0..n).map(|_| rng.next_u64() as u8).collect();
            data.splice(at..at, fresh);
        }
        // Delete a range.
        3 if len > 0 => {
            let at = offset(rng, len, head);
            let most = if chance(rng, 0.8) { 8 } else { 256 };
            let n = (1 + rng.below(most)).min(len - at);
            data.drain(at..at + n);
        }
        // Duplicate a range in place.
        4 if len > 0 => {
            let at = offset(rng, len, head);
            let n = (1 + rng.below(64)).min(len - at);
            let copy = data[at..at + n].to_vec();
            let to = rng.below(len + 1);
            data.splice(to..to, copy);
        }
        // Truncate.
        5 if len > 0 => data.truncate(if chance(rng, 0.5) { rng.below(head.max(1).min(len)) } else { rng.below(len) }),
        // Splice: this file's start with another's end.
        6 if !corpus.is_empty() => {
            let other = pick(rng, corpus);
            let cut = rng.below(len + 1);
            let from = rng.below(other.len() + 1);
            data.truncate(cut);
            data.extend_from_slice(&other[from..]);
        }
        // A dictionary token, inserted or written over.
        7 => {
            let t = pick(rng, &dict.tokens).clone();
            let at = offset(rng, len + 1, head);
            if chance(rng, 0.5) || at + t.len() > len {
                data.splice(at..at, t);
            } else {
                data.splice(at..at + t.len(), t);
            }
        }
        // An interesting integer of 1, 2, 4 or 8 bytes, either endianness.
        _ => {
            let width = *pick(rng, &[1usize, 2, 4, 8]);
            let at = offset(rng, len, head);
            write_int(data, at, width, interesting(rng), chance(rng, 0.5));
        }
    }
}

/// `1..=max` byte-level mutations.
pub fn bytes_n(rng: &mut Rng, data: &mut Vec<u8>, corpus: &[Vec<u8>], dict: &Dict, head: usize, max: usize) {
    for _ in 0..1 + rng.below(max) {
        bytes(rng, data, corpus, dict, head);
    }
}

// ------------------------------------------------------------------ JSON

#[derive(Clone, Debug)]
enum Step {
    Key(String),
    Index(usize),
}

fn paths(v: &Value, here: &mut Vec<Step>, out: &mut Vec<Vec<Step>>) {
    out.push(here.clone());
    match v {
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                here.push(Step::Index(i));
                paths(x, here, out);
                here.pop();
            }
        }
        Value::Object(m) => {
            for (k, x) in m {
                here.push(Step::Key(k.clone()));
                paths(x, here, out);
                here.pop();
            }
        }
        _ => {}
    }
}

fn at_path<'a>(mut v: &'a mut Value, path: &[Step]) -> &'a mut Value {
    for step in path {
        v = match step {
            Step::Key(k) => v.get_mut(k.as_str()).expect("a path found by walking"),
            Step::Index(i) => v.get_mut(*i).expect("a path found by walking"),
        };
    }
    v
}

/// A number at an edge: of u32, of f32, of the settings' limits, or plain odd.
fn interesting_number(rng: &mut Rng) -> Value {
    match rng.below(4) {
        0 => json!(interesting(rng)),
        1 => json!(-(rng.below(1 << 20) as i64) - 1),
        2 => json!(*pick(rng, &[0.5f64, -0.0, 1e-45, 1e-7, 0.999_999_9, 1.000_000_1, 3.5e38, 3.5e39, 1e308, -1e308, f64::MIN_POSITIVE])),
        _ => json!(*pick(rng, &[1u64, 2, 3, 9, 10, 11, 64, 100, 1000, 1024, 1025, 4096, 4097, 65536, 65537, 1 << 25, (1 << 25) + 1])),
    }
}

fn some_value(rng: &mut Rng, dict: &Dict, like: Option<&Value>) -> Value {
    match rng.below(8) {
        0 | 1 => interesting_number(rng),
        2 | 3 => json!(pick(rng, &dict.words)),
        4 => pick(rng, &[Value::Null, json!(true), json!(false), json!({}), json!([])]).clone(),
        5 => Value::Array((0..rng.below(10)).map(|_| interesting_number(rng)).collect()),
        _ => like.cloned().unwrap_or(Value::Null),
    }
}

/// One mutation of one node of `doc`.
pub fn json(rng: &mut Rng, doc: &mut Value, dict: &Dict) {
    let mut all = Vec::new();
    paths(doc, &mut Vec::new(), &mut all);
    let path = pick(rng, &all).clone();
    // Another node's value, to copy in (a shape where an offset was, say).
    let donor = at_path(doc, &pick(rng, &all).clone()).clone();
    let node = at_path(doc, &path);
    match node {
        Value::Number(n) if chance(rng, 0.5) => {
            let x = n.as_f64().unwrap_or(0.0);
            *node = match rng.below(4) {
                0 => json!(x + 1.0),
                1 => json!(x - 1.0),
                2 => json!(x * 2f64.powi(rng.below(40) as i32)),
                _ => json!(-x),
            };
        }
        Value::String(s) if chance(rng, 0.6) => {
            // JSON inside a string (the config in a model file's metadata): mutate it as JSON.
            match serde_json::from_str::<Value>(s) {
                Ok(mut inner) if inner.is_object() => {
                    for _ in 0..1 + rng.below(3) {
                        json(rng, &mut inner, dict);
                    }
                    let mut text = inner.to_string();
                    if chance(rng, 0.2) {
                        let mut b = text.into_bytes();
                        bytes(rng, &mut b, &[], dict, 0);
                        text = String::from_utf8_lossy(&b).into_owned();
                    }
                    *node = json!(text);
                }
                _ => *node = json!(if chance(rng, 0.7) { pick(rng, &dict.words).clone() } else { format!("{s}{}", pick(rng, &dict.words)) }),
            }
        }
        Value::Array(a) if chance(rng, 0.7) => match rng.below(5) {
            0 if !a.is_empty() => {
                a.remove(rng.below(a.len()));
            }
            1 if !a.is_empty() => {
                let x = a[rng.below(a.len())].clone();
                let at = rng.below(a.len() + 1);
                a.insert(at, x);
            }
            2 => a.clear(),
            3 => {
                let x = some_value(rng, dict, None);
                for _ in 0..1 + rng.below(9) {
                    a.push(x.clone());
                }
            }
            _ => {
                let x = interesting_number(rng);
                let at = rng.below(a.len() + 1);
                a.insert(at, x);
            }
        },
        Value::Object(m) if chance(rng, 0.7) => match rng.below(3) {
            0 if !m.is_empty() => {
                let k = m.keys().nth(rng.below(m.len())).expect("in range").clone();
                m.remove(&k);
            }
            1 if !m.is_empty() => {
                // Rename a key.
                let k = m.keys().nth(rng.below(m.len())).expect("in range").clone();
                let v = m.remove(&k).expect("present");
                m.insert(pick(rng, &dict.words).clone(), v);
            }
            _ => {
                let v = some_value(rng, dict, Some(&donor));
                m.insert(pick(rng, &dict.words).clone(), v);
            }
        },
        _ => {
            *node = match rng.below(3) {
                0 => json!([node.clone()]),
                1 => Value::Object(Map::from_iter([(pick(rng, &dict.words).clone(), node.clone())])),
                _ => some_value(rng, dict, Some(&donor)),
            }
        }
    }
}

/// A JSON document as text, mutated: 1–3 node mutations, then sometimes bytes.
pub fn json_text(rng: &mut Rng, text: &[u8], corpus: &[Vec<u8>], dict: &Dict) -> Vec<u8> {
    let mut out = match serde_json::from_slice::<Value>(text) {
        Ok(mut doc) if chance(rng, 0.8) => {
            for _ in 0..1 + rng.below(3) {
                json(rng, &mut doc, dict);
            }
            if chance(rng, 0.2) {
                serde_json::to_vec_pretty(&doc).expect("a Value serialises")
            } else {
                serde_json::to_vec(&doc).expect("a Value serialises")
            }
        }
        _ => text.to_vec(),
    };
    if out == text || chance(rng, 0.3) {
        bytes_n(rng, &mut out, corpus, dict, 0, 3);
    }
    out
}
