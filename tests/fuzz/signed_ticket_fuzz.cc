// Fuzz target: any bytes as a scanned code checked against pretix's example
// event key, as a ticket payload and as a published key.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "common/signed_ticket.h"
#include "common/text.h"
#include "tests/common/pretix_sig1_example.h"
#include "tests/fuzz/fuzz_check.h"

namespace {

const std::vector<checkin::Sig1PublicKey>& ExampleKeys() {
  static const std::vector<checkin::Sig1PublicKey> keys = [] {
    auto parsed = checkin::ParseSig1Keys({checkin::sig1_example::kPretixKey});
    FUZZ_CHECK(parsed.ok() && parsed->size() == 1);
    return *parsed;
  }();
  return keys;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace checkin;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto verdict = VerifySignedTicket(bytes, ExampleKeys());
  // Strict decoding leaves a genuine ticket one spelling: nothing else verifies.
  if (verdict.valid()) FUZZ_CHECK(bytes == sig1_example::kPretixTicket);
  if (!verdict.valid()) FUZZ_CHECK(!verdict.reason().empty());

  auto ticket = DecodeSig1Payload(bytes);
  if (ticket.ok()) {
    FUZZ_CHECK(ticket->seed.size() <= size && IsValidUtf8(ticket->seed));
    FUZZ_CHECK(!ticket->valid_from || *ticket->valid_from > 0);
    FUZZ_CHECK(!ticket->valid_until || *ticket->valid_until > 0);
  }

  // A key that parses verifies the example ticket only if it is pretix's.
  auto key = ParseSig1Key(bytes);
  if (key.ok() && VerifySignedTicket(sig1_example::kPretixTicket, {*key}).valid()) {
    FUZZ_CHECK(key->bytes == ExampleKeys()[0].bytes);
  }
  return 0;
}
