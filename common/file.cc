#include "common/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <utility>

namespace checkin {

Result<InputFile> InputFile::Open(const std::string& path, size_t max_bytes) {
  // O_NONBLOCK so that opening a FIFO with no writer returns at once; it is
  // then refused below as not a regular file.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) return Status::NotFound("cannot open " + path);
  InputFile file(fd, 0, path);
  struct stat st {};
  if (::fstat(fd, &st) != 0) return Status::DeviceError("cannot read " + path);
  if (S_ISDIR(st.st_mode)) {
    return Status::InvalidInput(path + " is a directory, not a file: give the path of the file");
  }
  if (!S_ISREG(st.st_mode)) {
    return Status::InvalidInput(path +
                                " is not a regular file (a device or a pipe?): save it to a file"
                                " first");
  }
  const auto size = static_cast<uint64_t>(st.st_size);
  if (size > max_bytes) {
    return Status::InvalidInput(path + " is larger than " + std::to_string(max_bytes >> 20) +
                                " MB");
  }
  file.size_ = static_cast<size_t>(size);
  return file;
}

InputFile::InputFile(InputFile&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)), size_(other.size_), path_(std::move(other.path_)) {}

InputFile& InputFile::operator=(InputFile&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    size_ = other.size_;
    path_ = std::move(other.path_);
  }
  return *this;
}

InputFile::~InputFile() {
  if (fd_ >= 0) ::close(fd_);
}

Result<size_t> InputFile::ReadAt(uint64_t offset, char* buf, size_t n) const {
  for (;;) {
    const ssize_t got = ::pread(fd_, buf, n, static_cast<off_t>(offset));
    if (got >= 0) return static_cast<size_t>(got);
    if (errno != EINTR) return Status::DeviceError("cannot read " + path_);
  }
}

Result<std::string> ReadWholeFile(const std::string& path, size_t max_bytes) {
  auto file = InputFile::Open(path, max_bytes);
  if (!file.ok()) return file.status();
  // Never more than the cap, even if the file grows while it is read.
  std::string bytes(file->size(), '\0');
  size_t have = 0;
  while (have < bytes.size()) {
    auto got = file->ReadAt(have, bytes.data() + have, bytes.size() - have);
    if (!got.ok()) return got.status();
    if (*got == 0) break;
    have += *got;
  }
  bytes.resize(have);
  return bytes;
}

}  // namespace checkin
