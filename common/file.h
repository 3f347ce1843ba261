// Reading files that come from outside (configs, layouts, exports), with a
// size cap so a wrong path to a disk image fails fast, and a clear refusal for
// what is not a regular file (a directory, a FIFO, a device). Thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "common/result.h"

namespace checkin {

// A regular file opened for reading, in pieces, at most `max_bytes` long.
// Move-only; closes on destruction.
class InputFile {
 public:
  // NotFound if it cannot be opened; InvalidInput for a directory, anything
  // that is not a regular file (never blocks on a FIFO), or a file larger than
  // `max_bytes`.
  static Result<InputFile> Open(const std::string& path, size_t max_bytes);
  InputFile(InputFile&& other) noexcept;
  InputFile& operator=(InputFile&& other) noexcept;
  InputFile(const InputFile&) = delete;
  InputFile& operator=(const InputFile&) = delete;
  ~InputFile();

  size_t size() const { return size_; }  // as opened
  // Up to `n` bytes at `offset` into `buf`; 0 at the end. DeviceError if reading fails.
  Result<size_t> ReadAt(uint64_t offset, char* buf, size_t n) const;

 private:
  InputFile(int fd, size_t size, std::string path) : fd_(fd), size_(size), path_(std::move(path)) {}
  int fd_ = -1;
  size_t size_ = 0;
  std::string path_;
};

// The whole of a file opened as above.
Result<std::string> ReadWholeFile(const std::string& path, size_t max_bytes);

}  // namespace checkin
