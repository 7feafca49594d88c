//! Where ext4 puts the staged output's folders. A clean build usually follows the removal of
//! the last output, and ext4 without a journal will not reuse an inode freed within the last
//! minute: each file created in a block group full of them walks past every one (a lookup in
//! the buffer cache each) before it finds a free inode, a large share of a clean
//! build's system time. A folder made in a folder marked as a top of a tree (`FS_TOPDIR_FL`,
//! as `chattr +T` marks `/home`) goes to the group with the fewest folders, the search
//! starting at a hash of its name, rather than next to its parent: the staging folder is so
//! marked, and each folder made in it is made under a random name, then renamed, so it does
//! not land where the same name landed in the last build, among the inodes that build freed.

use std::ffi::OsStr;
use std::hash::{BuildHasher, Hasher};
use std::io;
use std::path::Path;

/// Sets (`on`) or clears the top-of-a-tree flag of the folder `dir`. Only a hint to the
/// file system's allocator: a file system without such flags (or that refuses it) places
/// the folders as it always does, and the output's bytes are the same either way, so a
/// failure is no error.
#[cfg(target_os = "linux")]
pub(super) fn spread_folders(dir: &Path, on: bool) {
    use rustix::fs::{ioctl_getflags, ioctl_setflags, IFlags};
    let Ok(folder) = std::fs::File::open(dir) else {
        return;
    };
    let Ok(flags) = ioctl_getflags(&folder) else {
        return;
    };
    let wanted = if on {
        flags | IFlags::TOPDIR
    } else {
        flags - IFlags::TOPDIR
    };
    if wanted != flags {
        let _ = ioctl_setflags(&folder, wanted);
    }
}

#[cfg(not(target_os = "linux"))]
pub(super) fn spread_folders(_: &Path, _: bool) {}

/// Makes the folder `name` in `root` (unless it is there) under a random name first, then
/// renames it to `name` without replacing a folder another thread made meanwhile.
#[cfg(target_os = "linux")]
pub(super) fn make_top_folder(root: &Path, name: &OsStr) -> io::Result<()> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    let dest = root.join(name);
    if dest.is_dir() {
        return Ok(());
    }
    let random = std::collections::hash_map::RandomState::new();
    for attempt in 0u32.. {
        let mut h = random.build_hasher();
        h.write_u32(attempt);
        let made = root.join(format!(".folder-{:016x}", h.finish()));
        match std::fs::create_dir(&made) {
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists && attempt < 8 => continue,
            Err(e) => return Err(e),
            Ok(()) => {}
        }
        return match renameat_with(CWD, &made, CWD, &dest, RenameFlags::NOREPLACE) {
            Ok(()) => Ok(()),
            Err(e) => {
                std::fs::remove_dir(&made)?;
                if dest.is_dir() {
                    Ok(())
                } else if e == rustix::io::Errno::INVAL || e == rustix::io::Errno::NOSYS {
                    // A file system (or kernel) without `RENAME_NOREPLACE`: the folder is
                    // made where it goes, as without the spreading.
                    make_in_place(&dest)
                } else {
                    Err(e.into())
                }
            }
        };
    }
    unreachable!("the loop returns")
}

#[cfg(not(target_os = "linux"))]
pub(super) fn make_top_folder(root: &Path, name: &OsStr) -> io::Result<()> {
    make_in_place(&root.join(name))
}

/// Makes the folder `dest`, which another thread may have made already.
fn make_in_place(dest: &Path) -> io::Result<()> {
    match std::fs::create_dir(dest) {
        Err(e) if e.kind() == io::ErrorKind::AlreadyExists => Ok(()),
        other => other,
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;
    use rustix::fs::{ioctl_getflags, IFlags};
    use std::os::unix::fs::PermissionsExt;

    fn flags(dir: &Path) -> Option<IFlags> {
        ioctl_getflags(std::fs::File::open(dir).ok()?).ok()
    }

    #[test]
    fn a_top_folder_is_made_as_create_dir_makes_one_and_leaves_no_temporary_name() {
        let root = tempfile::tempdir().unwrap();
        std::fs::create_dir(root.path().join("plain")).unwrap();
        make_top_folder(root.path(), OsStr::new("audit")).unwrap();
        // Made already (by this thread or another): nothing changes, no error.
        make_top_folder(root.path(), OsStr::new("audit")).unwrap();
        std::fs::write(root.path().join("audit/a.md"), "a").unwrap();
        make_top_folder(root.path(), OsStr::new("audit")).unwrap();
        let mode = |name: &str| {
            let meta = std::fs::metadata(root.path().join(name)).unwrap();
            (meta.is_dir(), meta.permissions().mode())
        };
        assert_eq!(mode("audit"), mode("plain"));
        let mut names: Vec<_> = std::fs::read_dir(root.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        names.sort();
        assert_eq!(names, ["audit", "plain"]);
        assert_eq!(
            std::fs::read_to_string(root.path().join("audit/a.md")).unwrap(),
            "a"
        );
    }

    #[test]
    fn threads_making_one_top_folder_all_find_it_made() {
        let root = tempfile::tempdir().unwrap();
        std::thread::scope(|s| {
            for _ in 0..8 {
                s.spawn(|| make_top_folder(root.path(), OsStr::new("teams")).unwrap());
            }
        });
        assert_eq!(std::fs::read_dir(root.path()).unwrap().count(), 1);
        assert!(root.path().join("teams").is_dir());
    }

    #[test]
    fn the_flag_is_set_and_cleared_where_the_file_system_keeps_it() {
        let root = tempfile::tempdir().unwrap();
        let Some(before) = flags(root.path()) else {
            return; // no inode flags here (tmpfs): nothing to spread
        };
        spread_folders(root.path(), true);
        let Some(on) = flags(root.path()) else {
            return;
        };
        if !on.contains(IFlags::TOPDIR) {
            return; // a file system that keeps flags but not this one
        }
        spread_folders(root.path(), false);
        assert_eq!(flags(root.path()), Some(before - IFlags::TOPDIR));
    }
}
