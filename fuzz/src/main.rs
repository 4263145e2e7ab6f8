//! One AFL++ binary for every target (one instrumented link of the whole
//! project instead of twelve): `tsudoi-fuzz TARGET`, input on stdin, in
//! AFL's persistent mode. Run it with `scripts/fuzz.sh TARGET EXECUTIONS`.

// `corpus_files` is for the replay test only.
#[allow(dead_code)]
#[path = "targets.rs"]
mod targets;

fn main() {
    let target = std::env::args().nth(1).unwrap_or_default();
    if !targets::TARGETS.contains(&target.as_str()) {
        eprintln!(
            "usage: tsudoi-fuzz TARGET (one of {})",
            targets::TARGETS.join(", ")
        );
        std::process::exit(2);
    }
    let ctx = targets::Ctx::new();
    afl::fuzz!(|data: &[u8]| {
        targets::run(&ctx, &target, data);
    });
}
