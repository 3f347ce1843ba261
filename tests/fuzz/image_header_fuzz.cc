// Fuzz target: any bytes as the start of an image file given to `decode`.
// Must never crash or read past the data; sizes it reports are the header's.
#include <cstddef>
#include <cstdint>
#include <sstream>
#include <string>

#include "scanner/image_header.h"
#include "tests/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::istringstream in(std::string(reinterpret_cast<const char*>(data), size));
  auto h = checkin::scanner::ReadImageHeader(in);
  if (h) FUZZ_CHECK(h->width > 0 && h->height > 0);
  return 0;
}
