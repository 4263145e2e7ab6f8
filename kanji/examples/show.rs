//! Prints the candidates for a reading (development aid).
fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let reading = args.first().map(String::as_str).unwrap_or("さとう");
    let mode = match args.get(1).map(String::as_str) {
        Some("one") => tsudoi_kanji::Mode::OneByOne,
        _ => tsudoi_kanji::Mode::Whole,
    };
    let c = tsudoi_kanji::NameComposer::new(reading);
    let all = c.candidates(mode);
    println!("{} candidates", all.len());
    for (i, x) in all.iter().take(60).enumerate() {
        print!("{}:{}({}) ", i, x.text, x.reading);
    }
    println!();
}
