//! What every file of the boundary needs to cross it: errors as JS `Error`s,
//! typed arrays checked on the way in, plain objects and copies on the way out.

use ndarray::{Array2, ArrayView2};
use wasm_bindgen::prelude::*;

use super::MAX_IMAGES;
use crate::latent::Neighbour;

pub(super) fn fail(msg: impl AsRef<str>) -> JsError {
    JsError::new(msg.as_ref())
}

/// Number of `width`-sized rows in `values`, refusing ragged or empty input.
pub(super) fn whole_rows(values: &[f32], width: usize, what: &str) -> Result<usize, JsError> {
    if values.is_empty() || !values.len().is_multiple_of(width) {
        return Err(fail(format!("{what}: {} numbers is not a whole number of rows of {width}", values.len())));
    }
    let n = values.len() / width;
    if n > MAX_IMAGES {
        return Err(fail(format!("{what}: {n} rows at once is more than the {MAX_IMAGES} allowed")));
    }
    Ok(n)
}

/// `values` as an (n, width) view, after checking the shape and that every number is finite.
pub(super) fn code_view<'a>(values: &'a [f32], width: usize, what: &str) -> Result<ArrayView2<'a, f32>, JsError> {
    if width == 0 {
        return Err(fail(format!("{what}: a latent space needs at least one dimension")));
    }
    let n = whole_rows(values, width, what)?;
    if !values.iter().all(|v| v.is_finite()) {
        return Err(fail(format!("{what} must be finite numbers")));
    }
    ArrayView2::from_shape((n, width), values).map_err(|e| fail(e.to_string()))
}

pub(super) fn set(o: &JsValue, key: &str, value: JsValue) {
    // Setting a property on a plain object we just made cannot fail.
    let _ = js_sys::Reflect::set(o, &JsValue::from_str(key), &value);
}

/// `{indices: Uint32Array, distances: Float32Array}`, in `found`'s order.
pub(super) fn neighbours_object(found: &[Neighbour]) -> JsValue {
    let indices: Vec<u32> = found.iter().map(|n| n.index as u32).collect();
    let distances: Vec<f32> = found.iter().map(|n| n.distance).collect();
    let o: JsValue = js_sys::Object::new().into();
    set(&o, "indices", js_sys::Uint32Array::from(&indices[..]).into());
    set(&o, "distances", js_sys::Float32Array::from(&distances[..]).into());
    o
}

pub(super) fn into_box(a: Array2<f32>) -> Box<[f32]> {
    // Models return standard (row-major) arrays; the fallback only guards the contract.
    a.as_slice().map(Box::from).unwrap_or_else(|| a.iter().copied().collect())
}
