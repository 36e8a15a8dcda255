//! The trainer's learning rates after it is built: the page's live change
//! (`set_learning_rate`), and the AAE's decay at each epoch's end
//! (`TrainConfig::lr_decay`), which the trainer applies as epochs end and
//! a restored run applies to the epoch it resumes in.

use crate::config::{ModelKind, TrainConfig};
use crate::error::Result;
use crate::trainer::Trainer;

impl Trainer {
    /// Changes the learning rate without rebuilding: the optimiser keeps its
    /// moments and the run its weights. Checked like the config's own value.
    pub fn set_learning_rate(&mut self, lr: f32) -> Result<()> {
        let cfg = TrainConfig { lr, ..self.train_cfg.clone() };
        cfg.validate()?;
        self.train_cfg = cfg;
        self.opt.set_learning_rate(lr);
        self.dec_opt.set_learning_rate(lr);
        if self.model.config().kind == ModelKind::Vaegan {
            self.gen_opt.set_learning_rate(lr);
        }
        self.apply_lr_decay();
        Ok(())
    }

    /// The AAE's learning rates after `epoch` epochs: each base rate times
    /// `lr_decay`^epoch (a function of the epoch alone, so a resumed run
    /// goes on with the rates it had).
    pub(crate) fn apply_lr_decay(&mut self) {
        if self.model.config().kind != ModelKind::Aae {
            return;
        }
        let k = self.train_cfg.lr_decay.powi(self.epoch.min(i32::MAX as usize) as i32);
        self.opt.set_learning_rate(self.train_cfg.lr * k);
        self.disc_opt.set_learning_rate(self.train_cfg.disc_lr * k);
        self.gen_opt.set_learning_rate(self.train_cfg.disc_lr * k);
    }
}
