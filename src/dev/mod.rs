//! Development tools: `tsudoi screenshot` and `tsudoi bench`.
//!
//! Compiled only with the `dev` feature, which is on by default (`cargo
//! build`, `cargo test`, `cargo run`) and off in the device builds
//! (`--no-default-features`: scripts/package-deb.sh, scripts/build-arm64.sh),
//! so the kiosk's binary holds only what runs on the device. With the
//! feature go Slint's headless testing platform and the PNG encoder.
//!
//! - [`screenshots`]: every screen rendered with invented data.
//! - [`bench`](mod@bench): the performance measurements in
//!   docs/dev/benchmarks.md, including the kiosk's (`bench --kiosk`) and a
//!   busy morning in fast-forward (`bench load`).
//!
//! `tsudoi demo` is not here: training mode on the device uses it.

pub mod bench;
mod error;
pub mod screenshots;

pub use self::error::DevError;

/// Installs the headless testing platform with the software renderer, so
/// windows can be rendered to pixels without a display (screenshots,
/// benchmarks, tests). Time is mocked: advance it with
/// `i_slint_backend_testing::mock_elapsed_time`.
pub fn init_headless() -> Result<(), slint::PlatformError> {
    slint::platform::set_platform(Box::new(i_slint_backend_testing::TestingBackend::new(
        i_slint_backend_testing::TestingBackendOptions {
            mock_time: true,
            threading: false,
            renderer_name: Some("software".into()),
        },
    )))
    .map_err(|e| slint::PlatformError::Other(e.to_string()))
}
