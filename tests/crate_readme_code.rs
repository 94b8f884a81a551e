//! The README's Rust code is not compiled on its own: every ```rust block in
//! README.md must be a copy of a code block of the crate docs (`src/lib.rs`),
//! where it runs as a doc test against a dev server. This test fails when the
//! two drift apart (lines hidden with `# ` in the doc test are ignored).

/// The code blocks of markdown `text` whose fence starts with `fence`
/// (e.g. "```rust" or "```"), each as its lines, hidden doctest lines dropped.
fn code_blocks(text: &str, fence: &str) -> Vec<Vec<String>> {
    let mut blocks = Vec::new();
    let mut current: Option<Vec<String>> = None;
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            match current.take() {
                Some(block) => blocks.push(block),
                None if line.trim_start().starts_with(fence) => current = Some(Vec::new()),
                // Another language: skip to its closing fence.
                None => current = Some(vec!["\u{0}skip".to_owned()]),
            }
            continue;
        }
        if let Some(block) = current.as_mut() {
            let trimmed = line.trim_start();
            if trimmed == "#" || trimmed.starts_with("# ") {
                continue;
            }
            block.push(line.trim_end().to_owned());
        }
    }
    blocks.retain(|b| b.first().map(String::as_str) != Some("\u{0}skip"));
    blocks
}

/// The crate-level doc comment of `src/lib.rs` as markdown.
fn crate_docs(lib_rs: &str) -> String {
    lib_rs
        .lines()
        .filter_map(|line| line.strip_prefix("//!"))
        .map(|line| line.strip_prefix(' ').unwrap_or(line))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn every_readme_rust_block_is_a_doc_tested_block_of_the_crate_docs() {
    let root = env!("CARGO_MANIFEST_DIR");
    let readme = std::fs::read_to_string(format!("{root}/README.md")).expect("README.md");
    let lib_rs = std::fs::read_to_string(format!("{root}/src/lib.rs")).expect("src/lib.rs");

    let readme_blocks = code_blocks(&readme, "```rust");
    assert!(!readme_blocks.is_empty(), "the README has Rust examples");
    // Crate docs: every fence without a language is Rust for rustdoc.
    let doc_blocks = code_blocks(&crate_docs(&lib_rs), "```");
    for block in &readme_blocks {
        assert!(
            doc_blocks.contains(block),
            "this README block is not in src/lib.rs's crate docs (copy it there, \
             with `# ` lines to run it against a dev server):\n{}",
            block.join("\n")
        );
    }
}

#[test]
fn code_blocks_drop_hidden_lines_and_other_languages() {
    let text = "a\n```rust,no_run\nlet x = 1;\n# hidden();\n```\n```sh\nls\n```\n```\ny\n```\n";
    assert_eq!(
        code_blocks(text, "```rust"),
        vec![vec!["let x = 1;".to_owned()]]
    );
    assert_eq!(code_blocks(text, "```").len(), 3);
}
