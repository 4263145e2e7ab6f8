//! Compiles the kiosk's Slint screens (`ui/`).

fn main() {
    // Element ids and accessible properties are kept in debug builds so the
    // tests can find every control; release builds for the Pi drop them.
    let debug_info = std::env::var("PROFILE")
        .map(|p| p != "release")
        .unwrap_or(true);
    let config = slint_build::CompilerConfiguration::new()
        .with_style("fluent".into())
        .with_debug_info(debug_info);
    if let Err(e) = slint_build::compile_with_config("ui/app.slint", config) {
        println!("cargo:warning=slint: {e}");
        std::process::exit(1);
    }
}
