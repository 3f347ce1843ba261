#include "common/random.h"

#include <sys/random.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <vector>

namespace checkin {
namespace {

void Fill(unsigned char* buf, size_t n) {
  size_t got = 0;
  while (got < n) {
    const ssize_t r = getrandom(buf + got, n - got, 0);
    if (r < 0) {
      // getrandom only fails before the pool is seeded or on a bad pointer;
      // a badge code from a weak source would be worse than stopping.
      std::perror("getrandom");
      std::abort();
    }
    got += static_cast<size_t>(r);
  }
}

}  // namespace

std::string RandomBase32(size_t n) { return RandomBase32Batch(1, n).front(); }

std::vector<std::string> RandomBase32Batch(size_t count, size_t n) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
  std::vector<unsigned char> bytes(count * n);
  Fill(bytes.data(), bytes.size());
  std::vector<std::string> out(count, std::string(n, 'A'));
  for (size_t c = 0; c < count; ++c) {
    for (size_t i = 0; i < n; ++i) out[c][i] = kAlphabet[bytes[c * n + i] & 31u];
  }
  return out;
}

std::string RandomUuid() {
  std::array<unsigned char, 16> b{};
  Fill(b.data(), b.size());
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);
  char out[37];
  std::snprintf(out, sizeof out,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x", b[0], b[1],
                b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13], b[14],
                b[15]);
  return out;
}

}  // namespace checkin
