#include "conformance/transcript.hpp"

#include <algorithm>
#include <regex>
#include <set>
#include <stdexcept>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

namespace conformance {

namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// Leaf fields whose values mean something (the rest are ids, times, amounts, hosts).
const std::set<std::string> meaningful_leaves = {
  "type", "state", "reason", "source", "message", "heartbeat_interval_seconds", "name", "role",
  "shell", "version", "capabilities", "revocable"};

// Headers a client acts on.
const std::vector<std::string> kept_headers = {"Content-Type", "Mesos-Stream-Id",
                                               "Transfer-Encoding", "Content-Length",
                                               "WWW-Authenticate", "Location"};

std::string leaf_value(const Message& m, const FieldDescriptor* f, int index) {
  const Reflection* r = m.GetReflection();
  bool rep = f->is_repeated();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32: return std::to_string(rep ? r->GetRepeatedInt32(m, f, index) : r->GetInt32(m, f));
    case FieldDescriptor::CPPTYPE_INT64: return std::to_string(rep ? r->GetRepeatedInt64(m, f, index) : r->GetInt64(m, f));
    case FieldDescriptor::CPPTYPE_UINT32: return std::to_string(rep ? r->GetRepeatedUInt32(m, f, index) : r->GetUInt32(m, f));
    case FieldDescriptor::CPPTYPE_UINT64: return std::to_string(rep ? r->GetRepeatedUInt64(m, f, index) : r->GetUInt64(m, f));
    case FieldDescriptor::CPPTYPE_DOUBLE: return std::to_string(rep ? r->GetRepeatedDouble(m, f, index) : r->GetDouble(m, f));
    case FieldDescriptor::CPPTYPE_FLOAT: return std::to_string(rep ? r->GetRepeatedFloat(m, f, index) : r->GetFloat(m, f));
    case FieldDescriptor::CPPTYPE_BOOL: return (rep ? r->GetRepeatedBool(m, f, index) : r->GetBool(m, f)) ? "true" : "false";
    case FieldDescriptor::CPPTYPE_ENUM: return (rep ? r->GetRepeatedEnum(m, f, index) : r->GetEnum(m, f))->name();
    case FieldDescriptor::CPPTYPE_STRING: return rep ? r->GetRepeatedString(m, f, index) : r->GetString(m, f);
    default: return "*";
  }
}

void add_value(std::map<std::string, std::string>& out, const std::string& path, std::string value) {
  auto it = out.find(path);
  if (it == out.end()) {
    out.emplace(path, std::move(value));
    return;
  }
  // Repeated leaves: the set of values, sorted, '|'-joined.
  std::set<std::string> values;
  std::string::size_type start = 0;
  const auto& joined = it->second;
  while (true) {
    auto bar = joined.find('|', start);
    values.insert(joined.substr(start, bar == std::string::npos ? std::string::npos : bar - start));
    if (bar == std::string::npos)
      break;
    start = bar + 1;
  }
  values.insert(value);
  std::string out_value;
  for (auto& v : values)
    out_value += (out_value.empty() ? "" : "|") + v;
  it->second = out_value;
}

void flatten(const Message& m, const std::string& prefix, std::map<std::string, std::string>& out) {
  std::vector<const FieldDescriptor*> fields;
  m.GetReflection()->ListFields(m, &fields);
  for (auto* f : fields) {
    std::string path = prefix.empty() ? f->name() : prefix + "." + f->name();
    int count = f->is_repeated() ? m.GetReflection()->FieldSize(m, f) : 1;
    if (f->is_repeated())
      path += "[]";
    for (int i = 0; i < count; ++i) {
      if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        const Message& sub = f->is_repeated() ? m.GetReflection()->GetRepeatedMessage(m, f, i)
                                              : m.GetReflection()->GetMessage(m, f);
        flatten(sub, path, out);
        if (sub.ByteSizeLong() == 0)
          add_value(out, path, "{}");
        continue;
      }
      bool keep = meaningful_leaves.count(f->name()) > 0
                  || (f->name() == "value" && prefix.size() >= 7
                      && prefix.compare(prefix.size() - 7, 7, "task_id") == 0);
      add_value(out, path, keep ? normalise_text(leaf_value(m, f, i)) : "*");
    }
  }
}

google::protobuf::Value string_value(const std::string& s) {
  google::protobuf::Value v;
  v.set_string_value(s);
  return v;
}

} // namespace

std::string normalise_text(const std::string& text) {
  static const std::regex id{
    "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(-[SO]?[0-9]+)?"};
  static const std::regex addr{"127\\.0\\.0\\.1:[0-9]+"};
  return std::regex_replace(std::regex_replace(text, id, "<id>"), addr, "<addr>");
}

step call_step(const std::string& label, const http_answer& answer) {
  step s;
  s.kind = "call";
  s.what = label;
  s.status = answer.status;
  for (auto& name : kept_headers)
    if (auto v = answer.get(name))
      s.headers[name] = normalise_text(*v);
  s.body = normalise_text(answer.body);
  return s;
}

step event_step(const Message& event, const std::string& type_name) {
  step s;
  s.kind = "event";
  s.what = type_name;
  flatten(event, "", s.fields);
  return s;
}

std::string to_json(const transcript& t) {
  std::string out = "{\n  \"scenario\": \"" + t.scenario + "\",\n  \"steps\": [\n";
  for (std::size_t i = 0; i < t.steps.size(); ++i) {
    const auto& s = t.steps[i];
    google::protobuf::Struct st;
    auto& f = *st.mutable_fields();
    f["kind"] = string_value(s.kind);
    f["what"] = string_value(s.what);
    if (s.kind == "call") {
      f["status"].set_number_value(s.status);
      auto& h = *f["headers"].mutable_struct_value()->mutable_fields();
      for (auto& [k, v] : s.headers)
        h[k] = string_value(v);
      f["body"] = string_value(s.body);
    }
    if (s.kind == "event") {
      auto& fs = *f["fields"].mutable_struct_value()->mutable_fields();
      for (auto& [k, v] : s.fields)
        fs[k] = string_value(v);
    }
    std::string line;
    google::protobuf::util::JsonPrintOptions opts;
    opts.preserve_proto_field_names = true;
    (void)google::protobuf::util::MessageToJsonString(st, &line, opts);
    out += "    " + line + (i + 1 < t.steps.size() ? ",\n" : "\n");
  }
  return out + "  ]\n}\n";
}

transcript from_json(const std::string& json) {
  google::protobuf::Struct doc;
  if (!google::protobuf::util::JsonStringToMessage(json, &doc).ok())
    throw std::runtime_error("transcript: not JSON");
  transcript t;
  auto& top = doc.fields();
  if (!top.count("scenario") || !top.count("steps"))
    throw std::runtime_error("transcript: no scenario or steps");
  t.scenario = top.at("scenario").string_value();
  for (auto& v : top.at("steps").list_value().values()) {
    auto& f = v.struct_value().fields();
    step s;
    s.kind = f.count("kind") ? f.at("kind").string_value() : "";
    s.what = f.count("what") ? f.at("what").string_value() : "";
    if (f.count("status"))
      s.status = static_cast<int>(f.at("status").number_value());
    if (f.count("headers"))
      for (auto& [k, hv] : f.at("headers").struct_value().fields())
        s.headers[k] = hv.string_value();
    if (f.count("body"))
      s.body = f.at("body").string_value();
    if (f.count("fields"))
      for (auto& [k, fv] : f.at("fields").struct_value().fields())
        s.fields[k] = fv.string_value();
    t.steps.push_back(std::move(s));
  }
  return t;
}

std::vector<difference> compare(const transcript& expected, const transcript& actual) {
  std::vector<difference> out;
  auto n = std::max(expected.steps.size(), actual.steps.size());
  for (std::size_t i = 0; i < n; ++i) {
    if (i >= expected.steps.size()) {
      out.push_back({i, "extra step", "", actual.steps[i].kind + " " + actual.steps[i].what});
      continue;
    }
    if (i >= actual.steps.size()) {
      out.push_back({i, "missing step", expected.steps[i].kind + " " + expected.steps[i].what, ""});
      continue;
    }
    const auto& e = expected.steps[i];
    const auto& a = actual.steps[i];
    if (e.kind != a.kind || e.what != a.what) {
      // Out of step: later comparisons would only repeat it.
      out.push_back({i, "step", e.kind + " " + e.what, a.kind + " " + a.what});
      break;
    }
    if (e.status != a.status)
      out.push_back({i, "status", std::to_string(e.status), std::to_string(a.status)});
    std::set<std::string> names;
    for (auto& [k, v] : e.headers)
      names.insert(k);
    for (auto& [k, v] : a.headers)
      names.insert(k);
    for (auto& k : names) {
      auto ev = e.headers.count(k) ? e.headers.at(k) : "(absent)";
      auto av = a.headers.count(k) ? a.headers.at(k) : "(absent)";
      if (ev != av)
        out.push_back({i, "header " + k, ev, av});
    }
    if (e.body != a.body)
      out.push_back({i, "body", e.body, a.body});
    std::set<std::string> paths;
    for (auto& [k, v] : e.fields)
      paths.insert(k);
    for (auto& [k, v] : a.fields)
      paths.insert(k);
    for (auto& k : paths) {
      auto ev = e.fields.count(k) ? e.fields.at(k) : "(absent)";
      auto av = a.fields.count(k) ? a.fields.at(k) : "(absent)";
      if (ev != av)
        out.push_back({i, "field " + k, ev, av});
    }
  }
  return out;
}

std::string describe(const transcript& expected, const difference& d) {
  std::string at = "step " + std::to_string(d.step);
  if (d.step < expected.steps.size())
    at += " (" + expected.steps[d.step].kind + " " + expected.steps[d.step].what + ")";
  return expected.scenario + " " + at + ": " + d.where + ": expected '" + d.expected + "', got '"
         + d.actual + "'";
}

} // namespace conformance
