#include "mesos_actor/credentials.hpp"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <ostream>

#include "codec/base64.hpp"
#include "mesos_actor/errors.hpp"

namespace mesos_actor {

namespace {

caf::error bad(const std::string& what) {
  return make_error(errc::bad_option, what);
}

bool has_line_break(const std::string& s) {
  return s.find_first_of("\r\n") != std::string::npos;
}

// The first line of `path` without its line end. Errors name the file and the
// reason, never what the file holds.
caf::expected<std::string> read_first_line(const std::string& path) {
  std::ifstream in{path, std::ios::binary};
  if (!in)
    return bad("secret_file '" + path + "' cannot be read: " + std::strerror(errno));
  std::string line;
  std::getline(in, line);
  if (in.bad())
    return bad("secret_file '" + path + "' cannot be read");
  if (!line.empty() && line.back() == '\r')
    line.pop_back();
  if (line.empty())
    return bad("secret_file '" + path + "' has an empty first line");
  return line;
}

std::optional<std::string> lookup(const std::optional<std::map<std::string, std::string>>& vars,
                                  const char* name) {
  if (vars) {
    auto it = vars->find(name);
    if (it == vars->end())
      return std::nullopt;
    return it->second;
  }
  if (const char* value = std::getenv(name))
    return std::string{value};
  return std::nullopt;
}

} // namespace

credentials credentials::basic(std::string principal, std::string secret) {
  credentials c;
  c.kind_ = kind::basic;
  c.principal_ = std::move(principal);
  c.secret_ = std::move(secret);
  return c;
}

credentials credentials::basic_from_file(std::string principal, std::string secret_file) {
  credentials c;
  c.kind_ = kind::basic;
  c.principal_ = std::move(principal);
  c.secret_file_ = std::move(secret_file);
  return c;
}

credentials credentials::bearer(std::string token) {
  credentials c;
  c.kind_ = kind::bearer;
  c.secret_ = std::move(token);
  return c;
}

credentials credentials::bearer(token_source source) {
  credentials c;
  c.kind_ = kind::bearer;
  c.source_ = std::make_shared<const token_source>(std::move(source));
  return c;
}

caf::expected<credentials>
credentials::from_environment(const std::optional<std::map<std::string, std::string>>& vars) {
  auto principal = lookup(vars, principal_env_var);
  auto secret = lookup(vars, secret_env_var);
  auto secret_file = lookup(vars, secret_file_env_var);
  auto token = lookup(vars, bearer_token_env_var);
  if (principal) {
    if (secret && secret_file)
      return bad(std::string{"both "} + secret_env_var + " and " + secret_file_env_var
                 + " are set; set one");
    if (secret)
      return basic(*principal, *secret);
    if (secret_file)
      return basic_from_file(*principal, *secret_file);
    return bad(std::string{principal_env_var} + " is set without " + secret_env_var + " or "
               + secret_file_env_var);
  }
  if (secret || secret_file)
    return bad(std::string{secret_env_var} + "/" + secret_file_env_var + " is set without "
               + principal_env_var);
  if (token)
    return bearer(*token);
  return credentials{};
}

caf::expected<std::string> credentials::authorization() const {
  switch (kind_) {
    case kind::none:
      return std::string{};
    case kind::basic: {
      std::string secret = secret_;
      if (!secret_file_.empty()) {
        auto line = read_first_line(secret_file_);
        if (!line)
          return line.error();
        secret = std::move(*line);
      }
      std::string out = "Basic ";
      detail::base64_append(out, principal_ + ":" + secret);
      return out;
    }
    case kind::bearer: {
      if (!source_)
        return "Bearer " + secret_;
      std::string token;
      try {
        token = (*source_)();
      } catch (const std::exception& e) {
        return bad(std::string{"the bearer token source threw: "} + e.what());
      } catch (...) {
        return bad("the bearer token source threw an unknown exception");
      }
      if (token.empty())
        return bad("the bearer token source returned an empty token");
      if (has_line_break(token))
        return bad("the bearer token source returned a token with a line break");
      return "Bearer " + token;
    }
  }
  return std::string{};
}

caf::error credentials::check(const std::string& prefix) const {
  switch (kind_) {
    case kind::none:
      return caf::none;
    case kind::basic:
      if (principal_.empty())
        return bad(prefix + ": the Basic principal is empty");
      if (principal_.find(':') != std::string::npos || has_line_break(principal_))
        return bad(prefix + ": the Basic principal '" + principal_
                   + "' contains ':' or a line break");
      if (!secret_file_.empty()) {
        if (auto line = read_first_line(secret_file_); !line)
          return bad(prefix + ": " + error_detail(line.error()));
        return caf::none;
      }
      if (secret_.empty())
        return bad(prefix + ": the Basic secret of '" + principal_ + "' is empty");
      if (has_line_break(secret_))
        return bad(prefix + ": the Basic secret of '" + principal_ + "' contains a line break");
      return caf::none;
    case kind::bearer:
      if (source_)
        return *source_ ? caf::none : bad(prefix + ": the bearer token source is empty");
      if (secret_.empty())
        return bad(prefix + ": the bearer token is empty");
      if (has_line_break(secret_))
        return bad(prefix + ": the bearer token contains a line break");
      return caf::none;
  }
  return caf::none;
}

std::string credentials::describe() const {
  switch (kind_) {
    case kind::none:
      return "none";
    case kind::basic:
      return "basic (principal '" + principal_ + "', "
             + (secret_file_.empty() ? std::string{"secret given"}
                                     : "secret from file " + secret_file_)
             + ")";
    case kind::bearer:
      return source_ ? "bearer (token source)" : "bearer (fixed token)";
  }
  return "none";
}

std::string to_string(const credentials& c) {
  return c.describe();
}

std::ostream& operator<<(std::ostream& out, const credentials& c) {
  return out << c.describe();
}

} // namespace mesos_actor
