//! [`Shots`]: one shown window photographed screen by screen.

use std::path::{Path, PathBuf};
use std::time::Duration;

use slint::ComponentHandle;

use crate::dev::DevError;
use crate::error::{Error, Result};
use crate::kiosk::error::KioskError;
use crate::kiosk::ui::AppWindow;

/// A window shown on the headless platform, the folder its pictures go to
/// (`NAME.png`), their size, and the files written so far, in order.
pub(crate) struct Shots<'a> {
    window: &'a AppWindow,
    out: &'a Path,
    width: u32,
    height: u32,
    files: Vec<PathBuf>,
}

impl<'a> Shots<'a> {
    /// Shows `window` for pictures of `width`×`height` physical pixels into
    /// `out`. The headless platform must be installed
    /// ([`crate::dev::init_headless`]).
    pub(crate) fn show(
        window: &'a AppWindow,
        out: &'a Path,
        width: u32,
        height: u32,
    ) -> Result<Self> {
        window.show().map_err(DevError::ui)?;
        Ok(Shots {
            window,
            out,
            width,
            height,
            files: Vec::new(),
        })
    }

    /// Renders the window as it is now to `NAME.png` and lists the file.
    pub(crate) fn take(&mut self, name: &str) -> Result<()> {
        let path = self.render(name, self.height)?;
        self.files.push(path);
        Ok(())
    }

    /// Renders the window `extra` pixels taller to `NAME.png` without
    /// listing it: the caller lists it with [`Shots::push`] where it
    /// belongs.
    pub(crate) fn take_taller(&self, name: &str, extra: u32) -> Result<PathBuf> {
        self.render(name, self.height + extra)
    }

    /// Lists files written elsewhere (another window's pictures), in order.
    pub(crate) fn push(&mut self, files: impl IntoIterator<Item = PathBuf>) {
        self.files.extend(files);
    }

    /// The files written, in order.
    pub(crate) fn into_files(self) -> Vec<PathBuf> {
        self.files
    }

    fn render(&self, name: &str, height: u32) -> Result<PathBuf> {
        let path = self.out.join(format!("{name}.png"));
        render_png(self.window, self.width, height, &path)?;
        Ok(path)
    }
}

/// Renders the window at `width`×`height` physical pixels and writes a PNG.
fn render_png(window: &AppWindow, width: u32, height: u32, path: &Path) -> Result<()> {
    let w = window.window();
    w.set_size(slint::PhysicalSize::new(width, height));
    // Let layouts, conditionals and repeaters settle.
    i_slint_backend_testing::mock_elapsed_time(Duration::ZERO);
    let shot = w.take_snapshot().map_err(|e| KioskError::Snapshot {
        detail: e.to_string(),
    })?;
    let file = std::fs::File::create(path)?;
    let mut enc = png::Encoder::new(std::io::BufWriter::new(file), shot.width(), shot.height());
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Eight);
    let png_err = |e: png::EncodingError| match e {
        png::EncodingError::IoError(e) => Error::Io(e),
        other => KioskError::Png {
            detail: other.to_string(),
        }
        .into(),
    };
    let mut writer = enc.write_header().map_err(png_err)?;
    writer.write_image_data(shot.as_bytes()).map_err(png_err)?;
    writer.finish().map_err(png_err)?;
    Ok(())
}
