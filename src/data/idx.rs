//! The IDX format of the original MNIST files (LeCun et al.): a big-endian
//! magic `0 0 type ndim`, `ndim` big-endian u32 dimensions, then the data.
//! Plain or gzip-compressed; anything else is refused with a reason.

use std::io::Read;

use crate::error::{Error, Result};

/// An unsigned-byte IDX array (the only element type MNIST uses).
#[derive(Debug, Clone, PartialEq)]
pub struct IdxArray {
    pub dims: Vec<usize>,
    pub data: Vec<u8>,
}

/// IDX type code for unsigned bytes.
const UBYTE: u8 = 0x08;
/// Larger files are surely not MNIST-like and would exhaust a browser tab.
const MAX_ELEMENTS: usize = 1 << 30;

fn err(what: &str, detail: impl Into<String>) -> Error {
    Error::Idx { what: what.to_string(), detail: detail.into() }
}

/// Parses IDX bytes, gunzipping first when they start with gzip's magic.
pub fn parse_idx(what: &str, bytes: &[u8]) -> Result<IdxArray> {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(bytes)
            .take(MAX_ELEMENTS as u64 + 1024)
            .read_to_end(&mut out)
            .map_err(|e| err(what, format!("gzip data is corrupt: {e}")))?;
        return parse_plain(what, &out);
    }
    parse_plain(what, bytes)
}

fn parse_plain(what: &str, bytes: &[u8]) -> Result<IdxArray> {
    if bytes.len() < 4 {
        return Err(err(what, format!("only {} bytes, too short for a header", bytes.len())));
    }
    if bytes[0] != 0 || bytes[1] != 0 {
        return Err(err(what, format!("bad magic number {:02x}{:02x}{:02x}{:02x}, expected 0000 08 nn", bytes[0], bytes[1], bytes[2], bytes[3])));
    }
    if bytes[2] != UBYTE {
        return Err(err(what, format!("element type 0x{:02x} is not unsigned byte (0x08)", bytes[2])));
    }
    let ndim = bytes[3] as usize;
    if ndim == 0 || ndim > 4 {
        return Err(err(what, format!("{ndim} dimensions; expected 1 to 4")));
    }
    let header = 4 + 4 * ndim;
    if bytes.len() < header {
        return Err(err(what, format!("header promises {ndim} dimensions but the file ends after {} bytes", bytes.len())));
    }
    let mut dims = Vec::with_capacity(ndim);
    let mut count: usize = 1;
    for i in 0..ndim {
        let o = 4 + 4 * i;
        let d = u32::from_be_bytes([bytes[o], bytes[o + 1], bytes[o + 2], bytes[o + 3]]) as usize;
        count = count.checked_mul(d).filter(|&c| c <= MAX_ELEMENTS).ok_or_else(|| err(what, format!("dimensions {dims:?}×{d}… are absurdly large")))?;
        dims.push(d);
    }
    let body = &bytes[header..];
    if body.len() != count {
        return Err(err(what, format!("dimensions {dims:?} need {count} bytes of data but the file has {}", body.len())));
    }
    Ok(IdxArray { dims, data: body.to_vec() })
}
