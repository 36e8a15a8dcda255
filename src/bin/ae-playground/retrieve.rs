//! `retrieve`: retrieval of training images for test queries, measured as
//! the hashing literature does (src/measures/hashing.rs): for each of the
//! first `--queries` test images, the (first `--database`) training images ranked by distance,
//! relevant when they share its label; mAP over the top `--top` and
//! precision at `--k`. Always raw pixels (Euclidean) and ITQ at `--bits`
//! bits (Gong & Lazebnik 2011); with `--model-file`, the model's codes,
//! cut at ½ for a hash model and at each dimension's median over the
//! training set for any other, and ranked by Hamming distance. One line each:
//!   codes=pixels bytes=3136 map_at_5000=0.634 precision_at_100=…

use std::path::PathBuf;
use std::time::Instant;

use ae_playground::measures::hashing::{average_precision, hamming_ranking, medians, to_bits, Itq, MAX_BITS};
use ae_playground::measures::{k_nearest, Points};
use ae_playground::{Dataset, DatasetName, ModelKind, Split};
use clap::Args;

use crate::args::*;
use crate::input::*;
use crate::CliResult;

#[derive(Args)]
pub(crate) struct RetrieveArgs {
    /// A model whose codes are measured beside pixels and ITQ (at most 64 code dimensions)
    #[arg(long)]
    model_file: Option<PathBuf>,
    /// Test images used as queries, the first of the test set
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..=10_000))]
    queries: u64,
    /// Ranks over which mAP is taken
    #[arg(long, default_value_t = 5000, value_parser = clap::value_parser!(u64).range(1..=60_000))]
    top: u64,
    /// Ranks over which precision is taken
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u64).range(1..=60_000))]
    k: u64,
    /// Training images searched (and ITQ fitted to), the first of the training set
    #[arg(long, default_value_t = 60_000, value_parser = clap::value_parser!(u64).range(1..=60_000))]
    database: u64,
    /// Bits of the ITQ codes
    #[arg(long, default_value_t = 32, value_parser = clap::value_parser!(u64).range(1..=MAX_BITS as u64))]
    bits: u64,
    /// Dataset (default: the model's, else MNIST)
    #[arg(long, value_parser = choice::<DatasetName>())]
    dataset: Option<DatasetName>,
    #[arg(long)]
    data_dir: Option<PathBuf>,
}

pub(crate) fn retrieve(a: RetrieveArgs) -> CliResult {
    let mut loaded = a.model_file.as_ref().map(|f| open_model(f).map(|l| (f, l))).transpose()?;
    let name = match &loaded {
        Some((_, l)) => dataset_for(a.dataset, l)?,
        None => a.dataset.unwrap_or_default(),
    };
    if let Some((file, l)) = &loaded {
        let width = l.model.config().latent;
        if width > MAX_BITS {
            return Err(format!("{}: its codes have {width} dimensions, and a binary code here has at most {MAX_BITS} bits", file.display()));
        }
    }
    let mut train = load(&a.data_dir, name, Split::Train)?;
    let n = (a.database as usize).min(train.len());
    train.pixels = train.pixels.slice(ndarray::s![..n, ..]).to_owned();
    train.labels.truncate(n);
    let test = load(&a.data_dir, name, Split::Test)?;
    let (q, top, k) = (a.queries as usize, a.top as usize, a.k as usize);
    let queries = test.images(0, q.min(test.len()));
    let score = Score { train: &train, test: &test, top, k };

    let started = Instant::now();
    let near = k_nearest(&queries.view(), Points::Bytes(train.pixels.view()), top.max(k), false).map_err(|e| e.to_string())?;
    let ranked: Vec<Vec<usize>> = near.iter().map(|n| n.iter().map(|x| x.index).collect()).collect();
    println!("codes=pixels bytes={} {}", train.pixels.ncols() * 4, score.line(&ranked));
    eprintln!("pixels ranked in {:.1}s", started.elapsed().as_secs_f64());

    let started = Instant::now();
    let bits = a.bits as usize;
    let all = train.images(0, train.len());
    let itq = Itq::fit(&all.view(), bits, 50, 1).map_err(|e| e.to_string())?;
    let db = itq.encode(&all.view()).map_err(|e| e.to_string())?;
    let qs = itq.encode(&queries.view()).map_err(|e| e.to_string())?;
    println!("codes=itq bits={bits} {}", score.line(&rank_bits(&db, &qs, bits, top.max(k))));
    eprintln!("ITQ fitted and ranked in {:.1}s", started.elapsed().as_secs_f64());

    if let Some((file, l)) = loaded.as_mut() {
        let model = l.model.as_mut();
        test.check_model(model.config()).map_err(|e| format!("{}: {e}", file.display()))?;
        let codes = model.encode(&all.view(), &train.labels);
        let width = codes.ncols();
        // A hash model's code is made to be cut at ½; any other's is cut at its medians (one bit each way).
        let cut = if model.config().kind == ModelKind::Hash { vec![0.5; width] } else { medians(&codes.view()).map_err(|e| e.to_string())? };
        let db = to_bits(&codes.view(), &cut);
        // How binary the code already is before the cut: the share of values within 0.1 of 0 or 1.
        let saturated = codes.iter().filter(|&&c| !(0.1..=0.9).contains(&c)).count() as f64 / codes.len().max(1) as f64;
        let qs = to_bits(&model.encode(&queries.view(), &test.labels[..queries.nrows()]).view(), &cut);
        println!("codes=model bits={width} saturated={saturated:.3} {}", score.line(&rank_bits(&db, &qs, width, top.max(k))));
    }
    Ok(())
}

fn rank_bits(database: &[u64], queries: &[u64], bits: usize, n: usize) -> Vec<Vec<usize>> {
    queries.iter().map(|&q| hamming_ranking(database, q, bits, n)).collect()
}

/// The figures of rankings (one per query, best first).
struct Score<'a> {
    train: &'a Dataset,
    test: &'a Dataset,
    top: usize,
    k: usize,
}

impl Score<'_> {
    fn line(&self, ranked: &[Vec<usize>]) -> String {
        let (mut map, mut precision) = (0.0, 0.0);
        for (i, r) in ranked.iter().enumerate() {
            let (ap, p) = average_precision(r, &self.train.labels, self.test.labels[i], self.top, self.k);
            map += ap;
            precision += p;
        }
        let n = ranked.len().max(1) as f64;
        format!("queries={} map_at_{}={:.3} precision_at_{}={:.3}", ranked.len(), self.top, map / n, self.k, precision / n)
    }
}
