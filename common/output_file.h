// Writing the files the product hands to people and printers (badge PDFs, the
// PDF folder's badges): a reader sees the old file or the whole new one, a
// failure leaves nothing behind, and a path that is not a regular file is
// refused rather than replaced. Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace checkin {

// Who may read the file written. Either way the rights are set when the
// temporary file is created, so there is no moment when a key is readable by
// others.
enum class FileAccess {
  kShared,     // 0666 less the umask: what any new file gets
  kOwnerOnly,  // 0600: private keys, tokens
};

// Writes `bytes` to `path`: into a new temporary file beside it (created
// exclusively under an unpredictable hidden name, so nothing can be planted
// there in advance), flushed to disk, renamed over `path`, and the folder
// flushed. Blocks on the disk.
// - InvalidInput, touching nothing, when `path` exists and is not a regular
//   file: a folder, a device, a FIFO, a socket, or a symbolic link (refused,
//   not followed: renaming would replace the link itself, and following it
//   would let whoever made it choose what we overwrite).
// - NotFound when the folder does not exist.
// - DeviceError when creating, writing or flushing fails (disk full, read-only,
//   file size limit); the temporary file is removed first.
// `access` applies to the new file; a file it replaces keeps nothing of its own.
Status WriteFileAtomically(const std::string& path, std::string_view bytes,
                           FileAccess access = FileAccess::kShared);

}  // namespace checkin
