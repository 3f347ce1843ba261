#include "common/file.h"

#include <fstream>

namespace checkin {

Result<std::string> ReadWholeFile(const std::string& path, size_t max_bytes) {
  std::ifstream in(path, std::ios::binary | std::ios::ate);
  if (!in) return Status::NotFound("cannot open " + path);
  const auto end = in.tellg();
  if (end < 0) return Status::DeviceError("cannot read " + path);
  const auto size = static_cast<size_t>(end);
  if (size > max_bytes) {
    return Status::InvalidInput(path + " is larger than " + std::to_string(max_bytes >> 20) +
                                " MB");
  }
  std::string bytes(size, '\0');
  in.seekg(0);
  if (!in.read(bytes.data(), static_cast<std::streamsize>(size))) {
    return Status::DeviceError("cannot read " + path);
  }
  return bytes;
}

}  // namespace checkin
