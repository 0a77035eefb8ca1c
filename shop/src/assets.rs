//! Where the build put the stylesheet and the islands' bundle.
//!
//! `scripts/build.sh` names each file after a hash of its content
//! (`shop.3f9a….wasm`), so the server can let browsers keep them for a year,
//! and writes their paths to `assets.txt` at the site root, one `kind path` a line. The
//! server reads that file once at start-up and provides an `Assets` to every
//! page; without it (tests, `cargo leptos`) the plain names are used.

pub const MANIFEST: &str = "assets.txt";

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assets {
    pub css: String,
    pub js: String,
    pub wasm: String,
}

/// The bundle's name: one setting, `LEPTOS_OUTPUT_NAME` in `.cargo/config.toml`
/// (Leptos reads it at compile time; the build scripts read the same line).
pub const BUNDLE: &str = env!("LEPTOS_OUTPUT_NAME");

impl Default for Assets {
    fn default() -> Self {
        Self {
            css: format!("/pkg/{BUNDLE}.css"),
            js: format!("/pkg/{BUNDLE}.js"),
            wasm: format!("/pkg/{BUNDLE}.wasm"),
        }
    }
}

impl Assets {
    /// Reads a manifest (`css /pkg/shop.….css` lines); kinds it does not
    /// name keep their plain path, and unknown lines are ignored.
    pub fn from_manifest(text: &str) -> Self {
        let mut assets = Assets::default();
        for line in text.lines() {
            let Some((kind, path)) = line.trim().split_once(' ') else {
                continue;
            };
            let slot = match kind {
                "css" => &mut assets.css,
                "js" => &mut assets.js,
                "wasm" => &mut assets.wasm,
                _ => continue,
            };
            *slot = path.trim().to_owned();
        }
        assets
    }
}

#[cfg(test)]
mod tests {
    use super::Assets;

    #[test]
    fn reads_the_manifest_and_keeps_defaults_for_the_rest() {
        let assets =
            Assets::from_manifest("css /pkg/shop.abc.css\nwasm /pkg/shop.def.wasm\nnoise\n");
        assert_eq!(assets.css, "/pkg/shop.abc.css");
        assert_eq!(assets.wasm, "/pkg/shop.def.wasm");
        assert_eq!(assets.js, "/pkg/shop.js");
        assert_eq!(Assets::from_manifest(""), Assets::default());
    }
}
