pub mod idx;
pub mod mnist;

pub use idx::{parse_idx, IdxArray};
pub use mnist::{Dataset, DatasetName, Split};
