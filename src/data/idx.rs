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
/// The most bytes of data a file may declare: 128 MiB, 171,000 images of
/// 28×28 (MNIST's training set is 47 MB). A larger file is surely not an
/// MNIST-like data set, and would exhaust a browser tab.
pub const MAX_ELEMENTS: usize = 1 << 27;

fn err(what: &str, detail: impl Into<String>) -> Error {
    Error::Idx { what: what.to_string(), detail: detail.into() }
}

/// Parses IDX bytes, gunzipping first when they start with gzip's magic.
/// A gzip stream is inflated header first: its dimensions are checked
/// against `MAX_ELEMENTS` before any data is inflated, and inflating stops one
/// byte past the declared size, so a small file cannot inflate gigabytes.
pub fn parse_idx(what: &str, bytes: &[u8]) -> Result<IdxArray> {
    if !is_gzip(bytes) {
        let (dims, header) = plain_header(what, bytes)?;
        return Ok(IdxArray { dims, data: bytes[header..].to_vec() });
    }
    let corrupt = |e: std::io::Error| err(what, format!("gzip data is corrupt or ends early: {e}"));
    let mut gz = flate2::read::GzDecoder::new(bytes);
    let mut head = vec![0u8; 4];
    gz.read_exact(&mut head).map_err(corrupt)?;
    // The magic's checks come first, so a bad type or rank is named before the dimensions are read.
    // A corrupt stream may inflate to a bad header before its checksum is reached: say where it came from.
    let inside = |e: Error| match e {
        Error::Idx { what, detail } => Error::Idx { what, detail: format!("inside the gzip data, {detail}") },
        e => e,
    };
    let ndim = check_magic(what, &head).map_err(inside)?;
    head.resize(4 + 4 * ndim, 0);
    gz.read_exact(&mut head[4..]).map_err(corrupt)?;
    let (dims, count, _) = parse_header(what, &head).map_err(inside)?;
    let mut data = Vec::new();
    gz.take(count as u64 + 1).read_to_end(&mut data).map_err(corrupt)?;
    if data.len() != count {
        let has = if data.len() > count { "more data than that" } else { "less" };
        return Err(err(what, format!("dimensions {dims:?} need {count} bytes of data but the file has {has} ({} bytes read)", data.len())));
    }
    Ok(IdxArray { dims, data })
}

/// `parse_idx` of bytes it may keep: a plain file's data stays where it is
/// (the header moved out of its way), so MNIST's 47 MB of training images
/// are not copied into a second buffer. The page hands the core plain bytes
/// it gunzipped itself; the worker's memory never shrinks, so a copy would
/// stay with it for good.
pub fn parse_idx_owned(what: &str, mut bytes: Vec<u8>) -> Result<IdxArray> {
    if is_gzip(&bytes) {
        return parse_idx(what, &bytes);
    }
    let (dims, header) = plain_header(what, &bytes)?;
    bytes.drain(..header);
    Ok(IdxArray { dims, data: bytes })
}

fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0x1f, 0x8b])
}

/// A plain file's dimensions and header length, once its data is the size they declare.
fn plain_header(what: &str, bytes: &[u8]) -> Result<(Vec<usize>, usize)> {
    let (dims, count, header) = parse_header(what, bytes)?;
    let body = bytes.len() - header;
    if body != count {
        return Err(err(what, format!("dimensions {dims:?} need {count} bytes of data but the file has {body}")));
    }
    Ok((dims, header))
}

/// Checks the magic `0 0 0x08 ndim` and returns `ndim`.
fn check_magic(what: &str, bytes: &[u8]) -> Result<usize> {
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
    Ok(ndim)
}

/// The dimensions, their product (at most `MAX_ELEMENTS`) and the header's length.
fn parse_header(what: &str, bytes: &[u8]) -> Result<(Vec<usize>, usize, usize)> {
    let ndim = check_magic(what, bytes)?;
    let header = 4 + 4 * ndim;
    if bytes.len() < header {
        return Err(err(what, format!("header promises {ndim} dimensions but the file ends after {} bytes", bytes.len())));
    }
    let mut dims = Vec::with_capacity(ndim);
    let mut count: usize = 1;
    for i in 0..ndim {
        let o = 4 + 4 * i;
        let d = u32::from_be_bytes([bytes[o], bytes[o + 1], bytes[o + 2], bytes[o + 3]]) as usize;
        count = count
            .checked_mul(d)
            .filter(|&c| c <= MAX_ELEMENTS)
            .ok_or_else(|| err(what, format!("dimensions {dims:?}×{d}… are absurdly large: more than {MAX_ELEMENTS} bytes, no MNIST-like data set")))?;
        dims.push(d);
    }
    Ok((dims, count, header))
}
