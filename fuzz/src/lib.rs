//! Helpers shared by the fuzz targets in `fuzz_targets/`.

/// Splits `data` into a chunk size chosen by its first byte (1 to 256 bytes)
/// and the rest, so the fuzzer explores records split at every place.
pub fn chunk_size_and_rest(data: &[u8]) -> (usize, &[u8]) {
    match data.split_first() {
        Some((&b, rest)) => (usize::from(b) + 1, rest),
        None => (1, data),
    }
}

/// Feeds `bytes` to `push` in chunks of `size` bytes, stopping at the first error.
pub fn push_chunks<E>(
    bytes: &[u8],
    size: usize,
    mut push: impl FnMut(&[u8]) -> Result<(), E>,
) -> Result<(), E> {
    for chunk in bytes.chunks(size.max(1)) {
        push(chunk)?;
    }
    Ok(())
}
