pub mod idx;
pub mod mnist;
pub mod own_set;

pub use idx::{parse_idx, IdxArray};
pub use mnist::{Dataset, DatasetName, Split};
