#include "common/output_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <system_error>

#include "common/random.h"

namespace checkin {
namespace {

std::string ErrnoWords(int err) { return std::generic_category().message(err); }

const char* KindOf(mode_t mode) {
  if (S_ISDIR(mode)) return "a folder";
  if (S_ISLNK(mode)) return "a symbolic link";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

// The temporary file: closed and removed on every path but a completed rename.
class TempFile {
 public:
  ~TempFile() {
    if (fd_ >= 0) ::close(fd_);
    if (!path_.empty()) ::unlink(path_.c_str());
  }
  // Creates it next to `target`, hidden and not ending in the target's
  // extension, so a folder watched for new PDFs never sees it.
  Status Create(const std::filesystem::path& dir, const std::string& base, FileAccess access) {
    const mode_t mode = access == FileAccess::kOwnerOnly ? 0600 : 0666;
    for (int attempt = 0; attempt < 8; ++attempt) {
      const std::string name = (dir / ("." + base + "." + RandomBase32(10) + ".tmp")).string();
      // Less the umask: the same rights a plain new file would get, or fewer.
      fd_ = ::open(name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
      if (fd_ >= 0) {
        path_ = name;
        return Status::Ok();
      }
      if (errno == EEXIST) continue;
      const int err = errno;
      if (err == ENOENT || err == ENOTDIR)
        return Status::NotFound("folder " + dir.string() + " does not exist");
      return Status::DeviceError("cannot create a file in " + dir.string() + ": " +
                                 ErrnoWords(err));
    }
    return Status::DeviceError("cannot create a unique temporary file in " + dir.string());
  }
  Status Write(std::string_view bytes) {
    while (!bytes.empty()) {
      const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) return Failed("writing", n < 0 ? errno : ENOSPC);
      bytes.remove_prefix(static_cast<size_t>(n));
    }
    return Status::Ok();
  }
  // Flushed and closed: close() can report a delayed write error too (NFS).
  Status Finish() {
    if (::fsync(fd_) != 0) return Failed("flushing", errno);
    const int fd = fd_;
    fd_ = -1;
    if (::close(fd) != 0) return Failed("closing", errno);
    return Status::Ok();
  }
  Status RenameTo(const std::string& target) {
    if (::rename(path_.c_str(), target.c_str()) != 0) {
      const int err = errno;
      return Status::DeviceError("cannot put " + target + " in place: " + ErrnoWords(err));
    }
    path_.clear();
    return Status::Ok();
  }

 private:
  Status Failed(const char* what, int err) const {
    return Status::DeviceError(std::string(what) + " " + path_ + " failed: " + ErrnoWords(err) +
                               (err == ENOSPC ? " (free some space and try again)" : ""));
  }
  int fd_ = -1;
  std::string path_;
};

// Without this the rename may be lost with the power even though the file's
// bytes are safe. Filesystems that cannot flush a folder say EINVAL: nothing
// more to do there.
Status SyncFolder(const std::filesystem::path& dir) {
  const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Status::DeviceError("cannot open folder " + dir.string());
  const int rc = ::fsync(fd);
  const int err = errno;
  ::close(fd);
  if (rc != 0 && err != EINVAL)
    return Status::DeviceError("flushing folder " + dir.string() + " failed: " + ErrnoWords(err));
  return Status::Ok();
}

}  // namespace

Status WriteFileAtomically(const std::string& path, std::string_view bytes, FileAccess access) {
  const std::filesystem::path target(path);
  const std::string base = target.filename().string();
  if (base.empty() || base == "." || base == "..")
    return Status::InvalidInput("'" + path + "' names a folder; name the file to write");
  struct stat st {};
  if (::lstat(path.c_str(), &st) == 0) {
    // rename() would replace a device node or FIFO with our file (as root,
    // /dev/null itself), and a link with a file; refuse before writing a byte.
    if (!S_ISREG(st.st_mode))
      return Status::InvalidInput(path + " is " + KindOf(st.st_mode) +
                                  ", not a regular file; name a new or regular file to write");
  } else if (errno != ENOENT && errno != ENOTDIR) {
    const int err = errno;
    return Status::DeviceError("cannot look at " + path + ": " + ErrnoWords(err));
  }
  const std::filesystem::path dir = target.has_parent_path() ? target.parent_path() : ".";
  TempFile tmp;
  if (Status s = tmp.Create(dir, base, access); !s.ok()) return s;
  if (Status s = tmp.Write(bytes); !s.ok()) return s;
  if (Status s = tmp.Finish(); !s.ok()) return s;
  if (Status s = tmp.RenameTo(path); !s.ok()) return s;
  return SyncFolder(dir);
}

}  // namespace checkin
