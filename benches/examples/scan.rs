//! Our side of `scan-vs-listplugins.sh`: scans the directories of `LADSPA_PATH` with
//! `SearchPath::scan_in_process` and prints every plugin type as the SDK's `listplugins` does, so that
//! both programs do the same work and can be timed as whole processes.
//!
//! ```sh
//! LADSPA_PATH=/usr/lib/ladspa cargo run --release -p ladspa-benches --example scan
//! cargo run --release -p ladspa-benches --example scan -- --reference-dir   # prints the test plugins' directory
//! ```

use std::io::Write;

use ladspa_host::discovery::SearchPath;

fn main() -> std::io::Result<()> {
    if std::env::args().nth(1).as_deref() == Some("--reference-dir") {
        println!("{}", ladspa_benches::test_plugin_dir().display());
        return Ok(());
    }
    // SAFETY: this example is run on directories of trusted plugin files.
    let scan = unsafe { SearchPath::from_env().scan_in_process() };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for entry in &scan.files {
        match &entry.result {
            Ok(plugin) => {
                writeln!(out, "{}:", entry.path.display())?;
                for descriptor in plugin.descriptors() {
                    writeln!(
                        out,
                        "\t{} ({}/{})",
                        descriptor.name(),
                        descriptor.unique_id(),
                        descriptor.label()
                    )?;
                }
            }
            Err(error) => writeln!(out, "{error}")?,
        }
    }
    out.flush()
}
