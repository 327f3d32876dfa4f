#include "basic_auth.hpp"

#include <cstdint>

namespace mesos_actor::sim {

namespace {
std::optional<std::string> base64_decode(const std::string& in) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string out;
  std::uint32_t acc = 0;
  int bits = 0;
  for (char c : in) {
    if (c == '=')
      break;
    int v = value(c);
    if (v < 0)
      return std::nullopt;
    acc = (acc << 6) | static_cast<std::uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((acc >> bits) & 0xff);
    }
  }
  return out;
}
} // namespace

std::optional<std::string> authenticate_basic(const std::string& authorization,
                                              const std::vector<credential>& credentials) {
  static const std::string prefix = "Basic ";
  if (authorization.compare(0, prefix.size(), prefix) != 0)
    return std::nullopt;
  auto decoded = base64_decode(authorization.substr(prefix.size()));
  if (!decoded)
    return std::nullopt;
  auto colon = decoded->find(':');
  if (colon == std::string::npos)
    return std::nullopt;
  auto principal = decoded->substr(0, colon);
  auto secret = decoded->substr(colon + 1);
  for (const auto& c : credentials)
    if (c.principal == principal && c.secret == secret)
      return principal;
  return std::nullopt;
}

std::optional<std::string> authenticate_bearer(const std::string& authorization,
                                               const std::vector<credential>& tokens) {
  static const std::string prefix = "Bearer ";
  if (authorization.compare(0, prefix.size(), prefix) != 0)
    return std::nullopt;
  auto token = authorization.substr(prefix.size());
  for (const auto& t : tokens)
    if (!t.secret.empty() && t.secret == token)
      return t.principal;
  return std::nullopt;
}

std::string redact_authorization(const std::string& authorization) {
  auto space = authorization.find(' ');
  return (space == std::string::npos ? std::string{} : authorization.substr(0, space + 1)) +
         "<redacted>";
}

} // namespace mesos_actor::sim
