//! A saved run continues bit for bit: training after a save and a load gives
//! exactly the weights (and the file) that uninterrupted training gives, for
//! every optimiser and every way a model draws noise. A file of weights only
//! still loads, and shows that the comparison can fail.

use crate::common;

use common::with_header;

use std::collections::BTreeMap;

use ae_playground::checkpoint::RunState;
use ae_playground::config::{BatchOrder, ModelConfig, ModelKind, NoiseKind, TrainConfig};
use ae_playground::optim::OptimizerKind;
use ae_playground::{io, Dataset, DatasetName, Split, Trainer};

/// 200 images in batches of 32 (31 for the VAE): six batches an epoch, so 9
/// steps stop mid-epoch and 9 more cross the next epoch's shuffle.
const BEFORE: usize = 9;
const AFTER: usize = 9;

fn data() -> Dataset {
    common::mnist(Split::Train).take(200)
}

struct Case {
    kind: ModelKind,
    optimizer: OptimizerKind,
    batch: usize,
    latent: usize,
}

const CASES: [Case; 6] = [
    Case { kind: ModelKind::Ae, optimizer: OptimizerKind::Adam, batch: 32, latent: 4 },
    // Gaussian corruption: 32 × 784 normals a batch from the training generator.
    Case { kind: ModelKind::Dae, optimizer: OptimizerKind::Momentum, batch: 32, latent: 4 },
    // 31 × 3 normals a batch, an odd number: Box–Muller's spare waits between steps.
    Case { kind: ModelKind::Vae, optimizer: OptimizerKind::Adam, batch: 31, latent: 3 },
    Case { kind: ModelKind::Cvae, optimizer: OptimizerKind::Sgd, batch: 32, latent: 4 },
    Case { kind: ModelKind::Cae, optimizer: OptimizerKind::Adam, batch: 32, latent: 4 },
    // Three optimisers, prior samples from the generator.
    Case { kind: ModelKind::Aae, optimizer: OptimizerKind::Adam, batch: 32, latent: 2 },
];

fn trainer(c: &Case, data: &Dataset) -> Trainer {
    let cfg = ModelConfig { kind: c.kind, hidden: vec![32], latent: c.latent, noise: NoiseKind::Gaussian, disc_hidden: vec![16], ..ModelConfig::default() };
    let train = TrainConfig { optimizer: c.optimizer, batch: c.batch, seed: 11, gen_steps: 2, ..TrainConfig::default() };
    let mut t = Trainer::new(&cfg, &train).unwrap();
    t.init_output(data);
    t
}

fn steps(t: &mut Trainer, data: &Dataset, n: usize) {
    for _ in 0..n {
        t.step(data).unwrap();
    }
}

fn weight_bits(t: &mut Trainer) -> Vec<u32> {
    let mut bits = Vec::new();
    t.model.visit(&mut |_, _, w, _| bits.extend(w.iter().map(|v| v.to_bits())));
    bits
}

fn run_state(bytes: &[u8]) -> RunState {
    serde_json::from_str(&io::load(bytes).unwrap().metadata["resume"]).unwrap()
}

#[test]
fn training_continued_after_a_save_and_load_is_bit_identical_to_uninterrupted_training() {
    let data = data();
    let mut spares = 0;
    for c in &CASES {
        let mut straight = trainer(c, &data);
        steps(&mut straight, &data, BEFORE);
        let saved = straight.save(Some(DatasetName::Mnist));
        spares += run_state(&saved).spare.is_some() as usize;
        steps(&mut straight, &data, AFTER);

        let (mut resumed, session) = Trainer::restore(io::load(&saved).unwrap()).unwrap();
        assert_eq!(session.steps, BEFORE as u64);
        steps(&mut resumed, &data, AFTER);
        let what = format!("{:?} with {:?}", c.kind, c.optimizer);
        assert!(weight_bits(&mut resumed) == weight_bits(&mut straight), "{what}: the resumed run's weights differ");
        assert_eq!((resumed.step, resumed.epoch, resumed.samples_seen), (straight.step, straight.epoch, straight.samples_seen), "{what}");
        // Everything else too: moments, step counts, generator, shuffle position.
        assert!(resumed.save(None) == straight.save(None), "{what}: the two runs' files differ");
    }
    assert!(spares > 0, "some case saved with a normal waiting, so restoring it is tested");
}

#[test]
fn a_file_of_weights_only_still_loads_and_shows_the_comparison_can_fail() {
    let data = data();
    let c = &CASES[0];
    let mut straight = trainer(c, &data);
    steps(&mut straight, &data, BEFORE);
    // What files held before: the weights and the session, no moments, no generator.
    let meta = straight.metadata(Some(DatasetName::Mnist));
    let weights_only = io::save(straight.model.as_mut(), &meta);
    steps(&mut straight, &data, AFTER);
    let (mut resumed, session) = Trainer::restore(io::load(&weights_only).unwrap()).unwrap();
    assert_eq!(session.steps, BEFORE as u64, "the counters still come back");
    steps(&mut resumed, &data, AFTER);
    let (a, b) = (weight_bits(&mut resumed), weight_bits(&mut straight));
    let differing = a.iter().zip(&b).filter(|(x, y)| x != y).count();
    assert!(differing > a.len() / 2, "Adam restarting its moments changed only {differing} of {} weights", a.len());
}

#[test]
fn the_optimiser_state_travels_as_tensors_named_after_their_parameters() {
    let data = data();
    for (c, expect) in CASES.iter().zip([
        &["optim.encoder.0.weight.m", "optim.encoder.0.weight.v"][..],
        &["optim.decoder.1.bias.velocity"],
        &["optim.encoder.1.bias.v"],
        &[],
        &["optim.decoder.0.weight.m"],
        &["optim.encoder.0.weight.m", "optim.disc.discriminator.1.weight.v", "optim.gen.encoder.0.weight.m"],
    ]) {
        let mut t = trainer(c, &data);
        steps(&mut t, &data, 3);
        let loaded = io::load(&t.save(None)).unwrap();
        for name in expect {
            let (shape, values) = loaded.state.get(*name).unwrap_or_else(|| panic!("{:?}: no {name} in {:?}", c.kind, loaded.state.keys()));
            assert_eq!(values.len(), shape.iter().product::<usize>());
            assert!(values.iter().any(|&v| v != 0.0), "{name} holds moments, not zeros");
        }
        if c.optimizer == OptimizerKind::Sgd {
            assert!(loaded.state.is_empty(), "SGD keeps no state");
        }
        let steps_of = run_state(&t.save(None)).optimizer_steps;
        let want: BTreeMap<String, u64> = match (c.kind, c.optimizer) {
            (ModelKind::Aae, _) => [("optim.", 3), ("optim.disc.", 3), ("optim.gen.", 6)].map(|(k, v)| (k.to_string(), v)).into(),
            (_, OptimizerKind::Adam) => [("optim.".to_string(), 3)].into(),
            _ => BTreeMap::new(),
        };
        assert_eq!(steps_of, want, "{:?}: Adam's step counts (the AAE's generator steps twice a batch)", c.kind);
    }
}

fn restore_error(bytes: &[u8]) -> String {
    match io::load(bytes).and_then(Trainer::restore) {
        Err(e) => e.to_string(),
        Ok(_) => panic!("a file with a mismatched training state was accepted"),
    }
}

#[test]
fn a_training_state_that_does_not_fit_its_model_is_refused() {
    let data = data();
    let mut t = trainer(&CASES[0], &data);
    steps(&mut t, &data, 2);
    let good = t.save(None);
    // A moment renamed to a parameter the model does not have.
    let b = with_header(&good, |h| {
        let m = h.as_object_mut().unwrap().remove("optim.encoder.0.bias.m").unwrap();
        h["optim.encoder.9.bias.m"] = m;
    });
    let e = restore_error(&b);
    assert!(e.starts_with("This model file is damaged: the training state it carries"), "{e}");
    assert!(e.contains("optim.encoder.9.bias.m"), "{e}");
    // A moment shaped unlike its parameter (the same number of floats).
    let b = with_header(&good, |h| h["optim.encoder.0.weight.m"]["shape"] = serde_json::json!([32, 784]));
    assert!(restore_error(&b).contains("has shape [32, 784], but encoder.0.weight has [784, 32]"), "{}", restore_error(&b));
    // A generator state that is not one, and an epoch longer than any data set.
    let b =
        with_header(&good, |h| h["__metadata__"]["resume"] = h["__metadata__"]["resume"].as_str().unwrap().replacen("\"rng\":\"", "\"rng\":\"zz", 1).into());
    assert!(restore_error(&b).contains("is not a generator state"), "{}", restore_error(&b));
    let b = with_header(&good, |h| {
        h["__metadata__"]["resume"] = h["__metadata__"]["resume"].as_str().unwrap().replacen("\"order_len\":200", "\"order_len\":4000000000", 1).into()
    });
    assert!(restore_error(&b).contains("in an epoch of 4000000000 images"), "{}", restore_error(&b));
    // More optimiser state than any optimiser keeps is refused from the table
    // alone: two more copies of every moment, each with bytes of its own
    // after the file's (the format's tiling rule refuses copies sharing bytes).
    let n = u64::from_le_bytes(good[..8].try_into().unwrap()) as usize;
    let data = &good[8 + n..];
    let mut appended = Vec::new();
    let mut b = with_header(&good, |h| {
        let table = h.as_object().unwrap().clone();
        for (k, v) in table.iter().filter(|(k, _)| k.starts_with("optim.")) {
            let at = |i: usize| v["data_offsets"][i].as_u64().unwrap() as usize;
            for copy in 0..2 {
                let begin = data.len() + appended.len();
                appended.extend_from_slice(&data[at(0)..at(1)]);
                let mut t = v.clone();
                t["data_offsets"] = serde_json::json!([begin, data.len() + appended.len()]);
                h[format!("{k}.copy{copy}")] = t;
            }
        }
    });
    b.extend_from_slice(&appended);
    let e = io::load(&b).err().expect("refused").to_string();
    assert!(e.contains("numbers of optimiser state for the model's") && e.contains("at most 4 per parameter"), "{e}");
}

#[test]
fn a_run_with_its_own_batch_order_continues_bit_identically_across_epochs() {
    // batch_order=seed shuffles from a generator of its own: a saved run must
    // carry where that generator is, or the next epoch's order would differ.
    let data = common::mnist(Split::Train).take(300);
    let cfg = ModelConfig { kind: ModelKind::Vae, hidden: vec![16], latent: 2, ..ModelConfig::default() };
    let train = TrainConfig { batch: 50, seed: 4, batch_order: BatchOrder::Seed, ..TrainConfig::default() };
    let steps = |t: &mut Trainer, n: usize| {
        for _ in 0..n {
            t.step(&data).unwrap();
        }
    };
    let straight = |n: usize| {
        let mut t = Trainer::new(&cfg, &train).unwrap();
        steps(&mut t, n);
        t.save(None)
    };
    // Saved after `stop` steps, loaded, then on to 27: three more reshuffles of 6 batches.
    let resumed = |stop: usize| {
        let mut t = Trainer::new(&cfg, &train).unwrap();
        steps(&mut t, stop);
        let (mut t, _) = Trainer::restore(io::load(&t.save(None)).unwrap()).unwrap();
        steps(&mut t, 27 - stop);
        t.save(None)
    };
    let goal = straight(27);
    for stop in [0, 6, 7] {
        assert!(resumed(stop) == goal, "saved after {stop} steps, the run went another way");
    }
}

#[test]
fn the_aaes_learning_rates_decay_at_each_epochs_end_and_nowhere_else() {
    let data = data();
    let aae = &CASES[5];
    let with = |lr_decay: f32| {
        let cfg = ModelConfig { kind: aae.kind, hidden: vec![32], latent: 2, disc_hidden: vec![16], ..ModelConfig::default() };
        let mut t = Trainer::new(&cfg, &TrainConfig { batch: 32, seed: 11, lr_decay, ..TrainConfig::default() }).unwrap();
        t.init_output(&data);
        t
    };
    let (mut decaying, mut constant) = (with(0.8), with(1.0));
    // Six batches an epoch: the seventh step starts the second, at rates 0.8 of the first's.
    steps(&mut decaying, &data, 6);
    steps(&mut constant, &data, 6);
    assert_eq!(weight_bits(&mut decaying), weight_bits(&mut constant), "the first epoch runs at the base rates");
    steps(&mut decaying, &data, 1);
    steps(&mut constant, &data, 1);
    assert_ne!(weight_bits(&mut decaying), weight_bits(&mut constant), "the second epoch's first step is smaller");
    // Any other kind (here the default, a VAE) is untouched by the setting.
    let vae = |lr_decay: f32| {
        let mut t = Trainer::new(&ModelConfig { hidden: vec![32], latent: 4, ..ModelConfig::default() }, &TrainConfig { batch: 32, seed: 11, lr_decay, ..TrainConfig::default() }).unwrap();
        t.init_output(&data);
        steps(&mut t, &data, 8);
        weight_bits(&mut t)
    };
    assert_eq!(vae(0.5), vae(1.0));
}
