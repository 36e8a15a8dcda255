pub mod idx;
pub mod mnist;
pub mod own_set;

pub use idx::{parse_idx, parse_idx_owned, IdxArray};
pub use mnist::{Dataset, DatasetName, Split};
