// `mesos-actor fleet`: the live hosts and the declared refs of a fleet, read from
// ZooKeeper (read_fleet in mesos_actor/fleet.hpp), as a table or as JSON.
#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "commands.hpp"
#include "mesos_actor/errors.hpp"
#include "mesos_actor/fleet.hpp"
#include "tool_support.hpp"

namespace mesos_actor::tool {

namespace {

constexpr const char* usage =
  "usage: mesos-actor fleet --zk zk://[user:password@]HOST:PORT[,...]/any --path /FLEET\n"
  "                         [--json] [--timeout S]\n"
  "\n"
  "Lists a fleet's live hosts (name, capacity, factories) and its declared refs (ref,\n"
  "factory, owner host or (none), framework id, preference list), as read from\n"
  "ZooKeeper at one moment (docs/fleet.md). Nothing is written.\n"
  "  --zk       the fleet's ZooKeeper URL, as in fleet_options::zookeeper (the URL's\n"
  "             path is not used; credentials are never printed)\n"
  "  --path     the fleet's root node, as in fleet_options::path\n"
  "  --json     one JSON object {\"hosts\": [...], \"refs\": [...], \"problems\": [...]}\n"
  "  --timeout  seconds to wait for a ZooKeeper session (default 10)\n"
  "Malformed nodes are reported on stderr (and under \"problems\" with --json).\n"
  "Exit status: 0 printed, 1 ZooKeeper unreachable / no fleet at the path / a read\n"
  "failed, 2 usage error (including a bad URL or path).\n";

int fail(const std::string& text, int status) {
  std::fprintf(stderr, "mesos-actor fleet: %s\n", text.c_str());
  return status;
}

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

std::string json_list(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i)
    out += (i ? "," : "") + json_string(items[i]);
  return out + "]";
}

std::string joined(const std::vector<std::string>& items, const char* empty) {
  if (items.empty())
    return empty;
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i)
    out += (i ? "," : "") + items[i];
  return out;
}

std::string as_json(const fleet_listing& l) {
  std::string out = "{\"hosts\":[";
  for (std::size_t i = 0; i < l.hosts.size(); ++i) {
    auto& h = l.hosts[i];
    out += std::string(i ? "," : "") + "{\"name\":" + json_string(h.name)
           + ",\"capacity\":" + std::to_string(h.capacity)
           + ",\"factories\":" + json_list(h.factories) + "}";
  }
  out += "],\"refs\":[";
  for (std::size_t i = 0; i < l.refs.size(); ++i) {
    auto& r = l.refs[i];
    out += std::string(i ? "," : "") + "{\"ref\":" + json_string(r.ref)
           + ",\"factory\":" + json_string(r.factory) + ",\"owner\":"
           + (r.owner.empty() ? std::string("null") : json_string(r.owner))
           + ",\"framework_id\":"
           + (r.framework_id.empty() ? std::string("null") : json_string(r.framework_id))
           + ",\"preference\":" + json_list(r.preference) + "}";
  }
  return out + "],\"problems\":" + json_list(l.problems) + "}\n";
}

// Columns padded to their widest cell.
std::string as_table(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::size_t> width;
  for (auto& r : rows)
    for (std::size_t c = 0; c < r.size(); ++c) {
      width.resize(std::max(width.size(), r.size()));
      width[c] = std::max(width[c], r[c].size());
    }
  std::string out;
  for (auto& r : rows) {
    std::string line;
    for (std::size_t c = 0; c < r.size(); ++c)
      line += c + 1 < r.size() ? r[c] + std::string(width[c] - r[c].size() + 2, ' ') : r[c];
    out += line + "\n";
  }
  return out;
}

std::string as_text(const fleet_listing& l) {
  std::vector<std::vector<std::string>> hosts{{"HOST", "CAPACITY", "FACTORIES"}};
  for (auto& h : l.hosts)
    hosts.push_back({h.name, std::to_string(h.capacity), joined(h.factories, "-")});
  std::vector<std::vector<std::string>> refs{{"REF", "FACTORY", "OWNER", "FRAMEWORK_ID",
                                              "PREFERENCE"}};
  for (auto& r : l.refs)
    refs.push_back({r.ref, r.factory, r.owner.empty() ? "(none)" : r.owner,
                    r.framework_id.empty() ? "-" : r.framework_id, joined(r.preference, "-")});
  return as_table(hosts) + "\n" + as_table(refs);
}

} // namespace

int fleet_command(int argc, char** argv) {
  std::string zk, path;
  bool json = false;
  long timeout_s = 10;
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a == "--help" || a == "-h") {
      std::fputs(usage, stdout);
      return 0;
    }
    if (a == "--json") {
      json = true;
      continue;
    }
    if (a != "--zk" && a != "--path" && a != "--timeout")
      return fail("unknown option " + std::string(a) + "\n\n" + usage, 2);
    if (i + 1 >= argc)
      return fail("missing value for " + std::string(a), 2);
    std::string v = argv[++i];
    if (a == "--zk") {
      zk = v;
    } else if (a == "--path") {
      path = v;
    } else {
      try {
        timeout_s = std::stol(v);
      } catch (const std::exception&) {
        timeout_s = 0;
      }
      if (timeout_s <= 0 || timeout_s > 3600)
        return fail("--timeout needs a number of seconds between 1 and 3600", 2);
    }
  }
  if (zk.empty() || path.empty())
    return fail(std::string("--zk and --path are required\n\n") + usage, 2);
  auto listing = read_fleet(zk, path, std::chrono::seconds(timeout_s));
  if (!listing) {
    // The error texts carry the redacted URL only (zk_url::redacted).
    bool usage_error = error_code(listing.error()) == errc::bad_option;
    return fail(describe(listing.error()), usage_error ? 2 : 1);
  }
  for (auto& p : listing->problems)
    std::fprintf(stderr, "mesos-actor fleet: warning: %s\n", p.c_str());
  return write_stdout(json ? as_json(*listing) : as_text(*listing)) ? 0 : 1;
}

} // namespace mesos_actor::tool
