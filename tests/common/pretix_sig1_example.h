// A genuine pretix_sig1 ticket and the event key it verifies under, as
// published in pretixSCAN for iOS's test suite (PretixScanTests/Examples/
// event1.json and PretixScanTests/Dataless Validation/
// TicketSignatureCheckerTests.swift): a known answer made by pretix itself,
// not by our own encoder. Shared by the unit test, the fuzz target and the
// benchmark.
#pragma once

namespace checkin::sig1_example {

// valid_keys.pretix_sig1[0] of that event.
inline constexpr char kPretixKey[] =
    "LS0tLS1CRUdJTiBQVUJMSUMgS0VZLS0tLS0KTUNvd0JRWURLMlZ3QXlFQTdBRDcvdkZBMzNFc1k0ejJQSHI3aVpQc1o4bj"
    "VkaDBhalA4Z3l6Tm1tSXM9Ci0tLS0tRU5EIFBVQkxJQyBLRVktLS0tLQo=";
// The ticket's secret (the QR code's text): seed "CTJqJOl1H", item 1, no
// variation, subevent 14, no validity times.
inline constexpr char kPretixTicket[] =
    "E4BibyTSylQOgeKjuMPiTDxi5HXPuTVsx1qCli3IL0143gj0EZXOB9iQInANxRFJTt4Pf9nXnHdB91Qk/"
    "RN0L5AIBABSxw2T"
    "KFnSUNUCKAEAPAQA";
// Another event's key (made with Python's cryptography for these tests): a
// well-formed key under which the ticket above does not verify.
inline constexpr char kOtherEventKey[] =
    "LS0tLS1CRUdJTiBQVUJMSUMgS0VZLS0tLS0KTUNvd0JRWURLMlZ3QXlFQXJ0Tjc4eTlteWNNZkVYYlFlRkxkTG9teWE0OU"
    "5NOWpFOGoyY20wQ0hKSk09Ci0tLS0tRU5EIFBVQkxJQyBLRVktLS0tLQo=";

}  // namespace checkin::sig1_example
