// Base64 for `bytes` fields of Mesos JSON.
#include "codec/base64.hpp"

#include <array>
#include <cstdint>

namespace mesos_actor::detail {

namespace {

constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

constexpr int not_base64 = -1;

constexpr std::array<int, 256> make_reverse_table() {
  std::array<int, 256> table{};
  for (auto& v : table)
    v = not_base64;
  for (int i = 0; i < 64; ++i)
    table[static_cast<unsigned char>(alphabet[i])] = i;
  return table;
}

constexpr auto reverse_table = make_reverse_table();

bool is_space(char c) {
  return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

} // namespace

void base64_append(std::string& out, std::string_view bytes) {
  // Written in place into room made once: this runs for every bytes field of every
  // JSON message sent.
  const std::size_t at = out.size();
  out.resize(at + (bytes.size() + 2) / 3 * 4);
  char* p = &out[at];
  std::size_t i = 0;
  auto byte = [&](std::size_t k) { return static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[k])); };
  for (; i + 3 <= bytes.size(); i += 3) {
    const std::uint32_t n = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
    p[0] = alphabet[n >> 18 & 63];
    p[1] = alphabet[n >> 12 & 63];
    p[2] = alphabet[n >> 6 & 63];
    p[3] = alphabet[n & 63];
    p += 4;
  }
  const std::size_t rest = bytes.size() - i;
  if (rest == 1) {
    const std::uint32_t n = byte(i) << 16;
    p[0] = alphabet[n >> 18 & 63];
    p[1] = alphabet[n >> 12 & 63];
    p[2] = '=';
    p[3] = '=';
  } else if (rest == 2) {
    const std::uint32_t n = byte(i) << 16 | byte(i + 1) << 8;
    p[0] = alphabet[n >> 18 & 63];
    p[1] = alphabet[n >> 12 & 63];
    p[2] = alphabet[n >> 6 & 63];
    p[3] = '=';
  }
}

bool base64_decode_lenient(std::string_view text, std::string& out) {
  out.resize(text.size() / 4 * 3 + 3);
  char* const begin = &out[0];
  char* p = begin;
  std::size_t i = 0;
  // Whole groups of four alphabet bytes, three bytes out each: the usual text.
  for (; i + 4 <= text.size(); i += 4) {
    const int a = reverse_table[static_cast<unsigned char>(text[i])];
    const int b = reverse_table[static_cast<unsigned char>(text[i + 1])];
    const int c = reverse_table[static_cast<unsigned char>(text[i + 2])];
    const int d = reverse_table[static_cast<unsigned char>(text[i + 3])];
    if ((a | b | c | d) < 0)
      break; // whitespace, padding or a bad byte: the careful loop below decides
    const auto n = static_cast<std::uint32_t>(a << 18 | b << 12 | c << 6 | d);
    p[0] = static_cast<char>(n >> 16);
    p[1] = static_cast<char>(n >> 8 & 0xff);
    p[2] = static_cast<char>(n & 0xff);
    p += 3;
  }
  // The rest byte by byte, from a group boundary (no bits pending).
  std::uint32_t bits = 0;
  int nbits = 0;
  for (; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '=')
      break;
    if (is_space(c))
      continue;
    const int v = reverse_table[static_cast<unsigned char>(c)];
    if (v == not_base64)
      return false;
    bits = (bits << 6) | static_cast<std::uint32_t>(v);
    nbits += 6;
    if (nbits >= 8) {
      nbits -= 8;
      *p++ = static_cast<char>((bits >> nbits) & 0xff);
    }
  }
  out.resize(static_cast<std::size_t>(p - begin));
  return true;
}

} // namespace mesos_actor::detail
