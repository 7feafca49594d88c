//! The one way a key is made of fields: each framed by its length, so no two lists of
//! fields give the same bytes. `build.rs` takes it too, for the salt it names the source by.

/// A content key: a blake3 of fields.
pub type Key = [u8; 32];

/// The bytes a key is made of, hashed at once when the key is taken (blake3 hashes a long
/// input many chunks at a time, and a field at a time went one 1 KiB chunk at a time).
#[derive(Default)]
pub struct Fields(Vec<u8>);

impl Fields {
    pub fn put(&mut self, bytes: &[u8]) {
        self.0
            .extend_from_slice(&(bytes.len() as u64).to_le_bytes());
        self.0.extend_from_slice(bytes);
    }

    pub fn key(&self) -> Key {
        *blake3::hash(&self.0).as_bytes()
    }
}
