#include "codec/json_paths.hpp"
namespace mesos_actor::detail {
bool append_json_by_wire(std::string&, const google::protobuf::Message&) { return false; }
}
