#include "common/text.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/ucnv.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <cstdio>
#include <iterator>
#include <memory>

namespace checkin {

bool IsValidUtf8(std::string_view s) {
  size_t i = 0;
  const size_t n = s.size();
  while (i < n) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t len;
    uint32_t cp;
    if ((c & 0xE0) == 0xC0) {
      len = 2;
      cp = c & 0x1Fu;
    } else if ((c & 0xF0) == 0xE0) {
      len = 3;
      cp = c & 0x0Fu;
    } else if ((c & 0xF8) == 0xF0) {
      len = 4;
      cp = c & 0x07u;
    } else {
      return false;
    }
    if (i + len > n) return false;
    for (size_t k = 1; k < len; ++k) {
      const auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3Fu);
    }
    // Reject overlong forms, surrogates and values past U+10FFFF.
    if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
        (cp >= 0xD800 && cp <= 0xDFFF) || cp > 0x10FFFF) {
      return false;
    }
    i += len;
  }
  return true;
}

std::string Fold(std::string_view utf8) {
  bool ascii = true;
  for (char ch : utf8) ascii = ascii && static_cast<unsigned char>(ch) < 0x80;
  if (ascii) {  // The common case (headers, ticket types) needs no ICU round trip.
    std::string out(utf8);
    for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return out;
  }
  UErrorCode err = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(err);
  icu::UnicodeString in = icu::UnicodeString::fromUTF8(
      icu::StringPiece(utf8.data(), static_cast<int32_t>(utf8.size())));
  in.foldCase();
  icu::UnicodeString decomposed = U_SUCCESS(err) ? nfd->normalize(in, err) : in;
  if (U_FAILURE(err)) decomposed = in;
  icu::UnicodeString stripped;
  for (int32_t i = 0; i < decomposed.length();) {
    const UChar32 cp = decomposed.char32At(i);
    if (u_charType(cp) != U_NON_SPACING_MARK) stripped.append(cp);
    i += U16_LENGTH(cp);
  }
  std::string out;
  stripped.toUTF8String(out);
  return out;
}

std::string_view Trim(std::string_view s) {
  auto space = [](char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f';
  };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return s;
}

std::string NormalizeSpaces(std::string_view s) {
  s = Trim(s);
  // Most values are already clean: copy them in one go.
  bool clean = true;
  for (size_t i = 0; i < s.size() && clean; ++i) {
    const char c = s[i];
    clean =
        c != '\t' && c != '\r' && c != '\n' && !(c == ' ' && i + 1 < s.size() && s[i + 1] == ' ');
  }
  if (clean) return std::string(s);
  std::string out;
  out.reserve(s.size());
  bool in_space = false;
  for (char c : s) {
    const bool sp = c == ' ' || c == '\t' || c == '\r' || c == '\n';
    if (sp) {
      in_space = true;
      continue;
    }
    if (in_space) out.push_back(' ');
    in_space = false;
    out.push_back(c);
  }
  return out;
}

namespace {

// What may stand between addresses in one field: "a@x.co; b@y.co",
// "Ana <a@x.co>, b@y.co".
bool EndsAddress(char c) {
  return c == ' ' || c == ',' || c == ';' || c == '<' || c == '>' || c == '(' || c == ')' ||
         c == '"' || c == '\t' || c == '\r' || c == '\n' || c == '/' || c == '|';
}

// One word: the part before its last '@' keeps only its first character.
void AppendMaskedWord(std::string_view word, std::string& out) {
  const auto at = word.rfind('@');
  if (at == std::string_view::npos) {
    out.append(word);
    return;
  }
  // Keep the first UTF-8 character whole.
  size_t first = at == 0 ? 0 : 1;
  while (first < at && (static_cast<unsigned char>(word[first]) & 0xC0) == 0x80) ++first;
  out.append(word.substr(0, first));
  out.append("***");
  out.append(word.substr(at));
}

}  // namespace

std::string MaskEmail(std::string_view text) {
  if (text.empty()) return "";
  if (text.find('@') == std::string_view::npos) return "***";
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    if (EndsAddress(text[i])) {
      out.push_back(text[i++]);
      continue;
    }
    size_t end = i;
    while (end < text.size() && !EndsAddress(text[end])) ++end;
    AppendMaskedWord(text.substr(i, end - i), out);
    i = end;
  }
  return out;
}

bool IsTerminalControl(uint32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069) || cp == 0x2028 || cp == 0x2029;
}

std::string ForTerminal(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const auto n = static_cast<int32_t>(std::min<size_t>(text.size(), INT32_MAX));
  char buf[16];
  for (int32_t i = 0; i < n;) {
    const int32_t start = i;
    UChar32 cp;
    U8_NEXT(s, i, n, cp);
    if (cp < 0) {  // invalid UTF-8: show each byte of the bad sequence
      for (int32_t k = start; k < i; ++k) {
        std::snprintf(buf, sizeof buf, "\\x%02X", s[k]);
        out += buf;
      }
    } else if (IsTerminalControl(static_cast<uint32_t>(cp))) {
      if (cp < 0x80) {
        std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned>(cp));
      } else {
        std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned>(cp));
      }
      out += buf;
    } else {
      out.append(text.substr(static_cast<size_t>(start), static_cast<size_t>(i - start)));
    }
  }
  return out;
}

namespace {

// Query and fragment keys whose values are credentials: "password", "pwd",
// "access_token", "apikey", "X-Amz-Signature", "auth"...
bool IsSecretKey(std::string_view key) {
  const std::string k = Fold(key);
  for (const char* word : {"pass", "pwd", "token", "secret", "key", "auth", "sig", "credential",
                           "session", "cookie"}) {
    if (k.find(word) != std::string::npos) return true;
  }
  return false;
}

// "a=1&password=x&b" with the values of secret keys replaced.
void AppendRedactedParams(std::string_view params, std::string& out) {
  size_t i = 0;
  while (i <= params.size()) {
    size_t end = params.find_first_of("&;", i);
    if (end == std::string_view::npos) end = params.size();
    const std::string_view pair = params.substr(i, end - i);
    const auto eq = pair.find('=');
    if (eq != std::string_view::npos && IsSecretKey(pair.substr(0, eq))) {
      out.append(pair.substr(0, eq + 1));
      out.append("***");
    } else {
      out.append(pair);
    }
    if (end < params.size()) out.push_back(params[end]);
    i = end + 1;
  }
}

}  // namespace

std::string RedactUrl(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  const size_t host = scheme + 3;
  const size_t path = std::min(url.find_first_of("/?#", host), url.size());
  std::string out(url.substr(0, host));
  // userinfo: the last '@' before the path ends it; its password is after the first ':'.
  std::string_view authority = url.substr(host, path - host);
  if (const auto at = authority.rfind('@'); at != std::string_view::npos) {
    const std::string_view userinfo = authority.substr(0, at);
    const auto colon = userinfo.find(':');
    out.append(colon == std::string_view::npos ? userinfo : userinfo.substr(0, colon + 1));
    if (colon != std::string_view::npos) out.append("***");
    authority.remove_prefix(at);
  }
  out.append(authority);
  std::string_view rest = url.substr(path);
  const size_t query = std::min(rest.find_first_of("?#"), rest.size());
  out.append(rest.substr(0, query));
  rest.remove_prefix(query);
  while (!rest.empty()) {
    out.push_back(rest.front());  // '?' or '#'
    rest.remove_prefix(1);
    const size_t next = std::min(rest.find('#'), rest.size());
    AppendRedactedParams(rest.substr(0, next), out);
    rest.remove_prefix(next);
  }
  return out;
}

struct Utf8Decoder::State {
  using Conv = std::unique_ptr<UConverter, void (*)(UConverter*)>;
  Conv from{nullptr, ucnv_close};
  Conv to{nullptr, ucnv_close};
  std::string encoding;
  // ucnv_convertEx's pivot: UTF-16 between the two converters, kept between
  // calls with what has not reached the target yet.
  UChar pivot[1024];
  UChar* pivot_source = pivot;
  UChar* pivot_target = pivot;
};

Utf8Decoder::Utf8Decoder(std::unique_ptr<State> st) : st_(std::move(st)) {}
Utf8Decoder::Utf8Decoder(Utf8Decoder&&) noexcept = default;
Utf8Decoder& Utf8Decoder::operator=(Utf8Decoder&&) noexcept = default;
Utf8Decoder::~Utf8Decoder() = default;

Result<Utf8Decoder> Utf8Decoder::Open(const char* encoding) {
  auto st = std::make_unique<State>();
  UErrorCode err = U_ZERO_ERROR;
  st->from.reset(ucnv_open(encoding, &err));
  st->to.reset(ucnv_open("UTF-8", &err));
  if (U_FAILURE(err)) return Status::Internal(std::string("unknown encoding ") + encoding);
  ucnv_setToUCallBack(st->from.get(), UCNV_TO_U_CALLBACK_STOP, nullptr, nullptr, nullptr, &err);
  st->encoding = encoding;
  st->pivot_source = st->pivot_target = st->pivot;
  return Utf8Decoder(std::move(st));
}

Status Utf8Decoder::Decode(std::string_view bytes, bool last, std::string* out) {
  State& st = *st_;
  out->clear();
  const char* source = bytes.data();
  const char* source_end = bytes.data() + bytes.size();
  char buf[16384];
  for (;;) {
    UErrorCode err = U_ZERO_ERROR;
    char* target = buf;
    ucnv_convertEx(st.to.get(), st.from.get(), &target, buf + sizeof buf, &source, source_end,
                   st.pivot, &st.pivot_source, &st.pivot_target, st.pivot + std::size(st.pivot),
                   /*reset=*/false, /*flush=*/last, &err);
    out->append(buf, static_cast<size_t>(target - buf));
    if (err == U_BUFFER_OVERFLOW_ERROR) continue;
    if (U_FAILURE(err)) {
      return Status::InvalidInput("the file is not valid " + st.encoding + " text");
    }
    return Status::Ok();
  }
}

// The whole-string form of the streaming decoder: one conversion path.
Result<std::string> ToUtf8(std::string_view bytes, const char* encoding) {
  auto decoder = Utf8Decoder::Open(encoding);
  if (!decoder.ok()) return decoder.status();
  std::string out;
  if (Status s = decoder->Decode(bytes, /*last=*/true, &out); !s.ok()) return s;
  return out;
}

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string DefuseFormula(std::string_view text) {
  const bool formula =
      !text.empty() && std::string_view("=+-@\t\r").find(text[0]) != std::string_view::npos;
  return (formula ? "'" : "") + std::string(text);
}

}  // namespace checkin
