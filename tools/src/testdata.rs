//! The real descriptions kept in `testdata/` (see its README): the four the conformance
//! tests run on, and the large ones, stored gzip-compressed, that the benchmarks unpack.

use std::io::Read as _;
use std::path::{Path, PathBuf};

/// The real descriptions of `testdata/real/`, by file name.
pub const REAL: &[&str] = &[
    "camunda-orchestration-cluster.json",
    "camunda-orchestration-cluster-8.8.yaml",
    "elastic-cloud-enterprise.json",
    "elastic-cloud.json",
];

/// The large descriptions of `testdata/big/`, by the name they unpack to.
pub const BIG: &[&str] = &["kubernetes.json", "stripe.json", "microsoft-graph.json"];

/// The path of `name` in `testdata/real/`.
pub fn real(root: &Path, name: &str) -> PathBuf {
    root.join("testdata/real").join(name)
}

/// The large description `name` of `testdata/big/`, or, for any other name, the
/// description at that path (a large one kept elsewhere, such as the corpus's GitHub).
pub fn big_or_path(root: &Path, name: &str) -> Result<PathBuf, String> {
    if BIG.contains(&name) {
        return big(root, name);
    }
    let path = PathBuf::from(name);
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!(
            "`{name}` is neither one of {} nor a file",
            BIG.join(", ")
        ))
    }
}

/// The large description `name` (`stripe.json`), unpacked from `testdata/big/NAME.gz`
/// into `target/testdata/` on first use.
pub fn big(root: &Path, name: &str) -> Result<PathBuf, String> {
    let packed = root.join("testdata/big").join(format!("{name}.gz"));
    let unpacked = root.join("target/testdata").join(name);
    let fresh = match (std::fs::metadata(&packed), std::fs::metadata(&unpacked)) {
        (Ok(packed), Ok(unpacked)) => match (packed.modified(), unpacked.modified()) {
            (Ok(packed), Ok(unpacked)) => unpacked >= packed,
            _ => false,
        },
        (Err(error), _) => return Err(format!("cannot read {}: {error}", packed.display())),
        _ => false,
    };
    if fresh {
        return Ok(unpacked);
    }
    let file = std::fs::File::open(&packed)
        .map_err(|error| format!("cannot read {}: {error}", packed.display()))?;
    let mut text = Vec::new();
    flate2::read::GzDecoder::new(file)
        .read_to_end(&mut text)
        .map_err(|error| format!("cannot unpack {}: {error}", packed.display()))?;
    let dir = unpacked.parent().unwrap_or(root);
    std::fs::create_dir_all(dir)
        .map_err(|error| format!("cannot create {}: {error}", dir.display()))?;
    let temporary = unpacked.with_extension("tmp");
    std::fs::write(&temporary, text)
        .and_then(|()| std::fs::rename(&temporary, &unpacked))
        .map_err(|error| format!("cannot write {}: {error}", unpacked.display()))?;
    Ok(unpacked)
}
