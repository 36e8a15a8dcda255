//! The command-line face of the core: train, eval, sample, reconstruct,
//! judge, lesson, starter, retrieve. One file per command; args.rs, input.rs and output.rs hold what they share.

mod args;
mod eval;
mod input;
mod judge;
mod lesson;
mod output;
mod reconstruct;
mod retrieve;
mod sample;
mod starter;
mod train;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "ae-playground", version, about = "Train and inspect autoencoders (AE, DAE, CAE, VAE, CVAE, AAE) on MNIST")]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Threads each matrix product is split over, 1 to 4 (default: half the cores, at most 4).
    /// The results are the same bits for every count; not a setting of the run, so not in the model file.
    #[arg(long, global = true, value_parser = clap::value_parser!(u64).range(1..=ae_playground::threads::MAX_THREADS as u64))]
    threads: Option<u64>,
}

#[derive(Subcommand)]
#[allow(clippy::large_enum_variant)] // parsed once per run; boxing would only add noise
enum Command {
    /// Train a model and write it as .safetensors
    Train(train::TrainArgs),
    /// Test-set loss of a model file (for VAEs the negative ELBO and its two terms; with a prior, how the codes fit it)
    Eval(eval::EvalArgs),
    /// Write a PNG grid of samples from the prior (the manifold for 2-D latents)
    Sample(sample::SampleArgs),
    /// Write a PNG of test images (odd rows) above their reconstructions (even rows)
    Reconstruct(reconstruct::ReconstructArgs),
    /// Judge a VAE's, CVAE's or AAE's samples with a trained classifier
    Judge(judge::JudgeArgs),
    /// Run a lesson's experiment as the page does, at one or more seeds, and print its verdict
    Lesson(lesson::LessonArgs),
    /// Write the page's starter model: its default model, trained on MNIST from its seed
    Starter(starter::StarterArgs),
    /// Retrieval of training images by test queries: mAP and precision for pixels, ITQ codes and a model's codes as bits
    Retrieve(retrieve::RetrieveArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let cores = ae_playground::threads::cores();
    ae_playground::threads::set_threads(cli.threads.map_or_else(|| ae_playground::threads::default_threads(cores), |n| n as usize));
    let result = match cli.command {
        Command::Train(a) => train::train(a),
        Command::Eval(a) => eval::eval(a),
        Command::Sample(a) => sample::sample(a),
        Command::Reconstruct(a) => reconstruct::reconstruct(a),
        Command::Judge(a) => judge::judge(a),
        Command::Lesson(a) => lesson::lesson(a),
        Command::Starter(a) => starter::starter(a),
        Command::Retrieve(a) => retrieve::retrieve(a),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

pub(crate) type CliResult = Result<(), String>;
