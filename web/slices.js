// Reads a File in slices for the workers, asking for the next slice before the
// caller works on this one, so reading from the browser's file storage overlaps
// the parsing instead of alternating with it.

/** 1 MiB: progress stays smooth and memory small. */
export const CHUNK = 1 << 20;

/** Yields the file's bytes as Uint8Arrays of at most `chunk` bytes, in order. */
export async function* slices(file, chunk = CHUNK) {
  const total = file.size;
  const read = (offset) => file.slice(offset, Math.min(offset + chunk, total)).arrayBuffer();
  let next = total > 0 ? read(0) : null;
  for (let offset = 0; offset < total; offset += chunk) {
    const buffer = await next;
    next = offset + chunk < total ? read(offset + chunk) : null;
    yield new Uint8Array(buffer);
  }
}
