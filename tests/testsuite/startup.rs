//! What the binary costs before it reads a site: on Linux it is linked at a fixed address,
//! so the loader relocates none of its pointers as it starts (`build.rs`).

/// The ELF type of the binary: 2 (`ET_EXEC`) at a fixed address, 3 (`ET_DYN`) when
/// position-independent.
#[cfg(target_os = "linux")]
#[test]
fn the_binary_is_linked_at_a_fixed_address() {
    let bytes = std::fs::read(env!("CARGO_BIN_EXE_endpaper")).unwrap();
    assert_eq!(&bytes[..4], b"\x7fELF", "not an ELF file");
    // `e_ident[EI_DATA]`: 1 little-endian, 2 big-endian.
    let field = [bytes[16], bytes[17]];
    let e_type = if bytes[5] == 1 {
        u16::from_le_bytes(field)
    } else {
        u16::from_be_bytes(field)
    };
    assert_eq!(
        e_type, 2,
        "ELF type {e_type}: the binary is position-independent again"
    );
    // And it runs: the libraries it links are found, its output is whole.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_endpaper"))
        .arg("--version")
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8(out.stdout).unwrap(),
        format!("endpaper {}\n", env!("CARGO_PKG_VERSION"))
    );
}
