#include "operator/event_reader.hpp"

#include <caf/actor_system.hpp>
#include <caf/blocking_actor.hpp>
#include <caf/send.hpp>

#include "mesos_actor/codec/message_codec.hpp"
#include "mesos_actor/codec/recordio.hpp"

namespace mesos_actor::operator_api {

namespace {

using transport::http_connection;

void read_stream(caf::blocking_actor*, const caf::actor& owner, const reader_job& job) {
  reader_end end;
  end.generation = job.generation;
  http_connection conn{job.http, job.cancel};
  if (!conn.setup_failure().empty()) {
    end.detail = conn.setup_failure();
    caf::anon_send(owner, std::move(end));
    return;
  }
  const auto& http = job.http;
  // A 200's body is the stream (records bounded by the decoder); any other answer's
  // body is an error text, bounded.
  transport::http_response_parser parser{http.limits, http.max_error_body, true};
  recordio_decoder decoder{job.max_record_size};
  content_type encoding = http.encoding;
  std::string problem;
  auto outcome = conn.open();
  if (!outcome) {
    auto request = transport::format_post(http.target, http.encoding, conn.headers(), job.body, false);
    outcome = conn.write(request, http_connection::clock::now() + http.write_timeout);
  }
  if (!outcome)
    outcome = conn.read_response(
      parser, http_connection::clock::time_point::max(), http.read_timeout,
      [&](const transport::http_response_head& head) {
        end.status = head.status;
        end.location = head.get("Location");
        if (head.status != 200)
          return true;
        end.opened = true;
        auto type = parse_content_type(head.get("Content-Type"));
        if (!type) {
          problem = "unsupported Content-Type of the events: '" + head.get("Content-Type") + "'";
          return false;
        }
        encoding = *type;
        return true;
      },
      [&](std::string_view bytes) {
        if (!end.opened) {
          end.detail.append(bytes.substr(0, http.max_error_body - std::min(http.max_error_body, end.detail.size())));
          return true;
        }
        auto err = decoder.feed(bytes, [&](std::string_view record) {
          reader_event e;
          e.generation = job.generation;
          if (auto bad = decode(record, encoding, e.event)) {
            problem = "record " + std::to_string(decoder.records_decoded()) + ": " + bad->message;
            return false;
          }
          caf::anon_send(owner, std::move(e));
          return true;
        });
        if (err)
          problem = err->message();
        return problem.empty();
      });
  conn.close();
  if (!problem.empty()) {
    end.detail = problem;
    end.malformed = true;
  } else if (outcome) {
    end.detail = outcome->text;
    end.timed_out = outcome->timed_out();
  } else if (end.opened) {
    end.detail = "the master closed the stream";
  } // else: a complete non-200 answer, its body in detail
  caf::anon_send(owner, std::move(end));
}

} // namespace

caf::actor spawn_event_reader(caf::actor_system& sys, caf::actor owner, reader_job job) {
  return sys.spawn([](caf::blocking_actor* self, const caf::actor& owner, const reader_job& job) {
    read_stream(self, owner, job);
  }, std::move(owner), std::move(job));
}

} // namespace mesos_actor::operator_api
