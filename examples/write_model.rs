//! Writes an untrained model file for any valid configuration, including
//! ones the CLI's flags do not reach (another input size, fewer classes):
//! the browser tests open such files to check what the page refuses.
//!
//! cargo run --release --example write_model -- '{"kind":"classifier","classes":2}' out.safetensors

use std::process::ExitCode;

use ae_playground::{build, io, ModelConfig, Rng};

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().collect();
    let [_, config, out] = &args[..] else {
        eprintln!("usage: write_model CONFIG_JSON OUT.safetensors");
        return ExitCode::FAILURE;
    };
    let written = serde_json::from_str::<ModelConfig>(config)
        .map_err(|e| format!("the configuration is not valid JSON for a model: {e}"))
        .and_then(|cfg| build(&cfg, &mut Rng::new(1)).map_err(|e| e.to_string()))
        .and_then(|mut m| std::fs::write(out, io::save(m.as_mut(), &Default::default())).map_err(|e| format!("cannot write {out}: {e}")));
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
