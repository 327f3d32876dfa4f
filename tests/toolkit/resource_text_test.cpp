// The text form: Mesos's --resources syntax in, Mesos's notation out.
#include <doctest/doctest.h>

#include "toolkit/resource_helpers.hpp"

using mesos_actor::resources;
using toolkit_test::parse_error;
using toolkit_test::R;

TEST_CASE("resource text: Mesos's --resources syntax") {
  // The examples of Mesos's attributes-resources page.
  auto agent = R("cpus:24;mem:24576;disk:409600;ports:[21000-24000,30000-34000];bugs(debug_role):{a,b,c}");
  CHECK(agent.to_string() == "cpus(*):24; mem(*):24576; disk(*):409600; "
                             "ports(*):[21000-24000, 30000-34000]; bugs(debug_role):{a, b, c}");
  CHECK(R("cpus(*):2; mem(*):1024; ports(*):[31000-32000]").to_string() ==
        "cpus(*):2; mem(*):1024; ports(*):[31000-32000]");
  // Blanks around tokens and separators, empty tokens, repeated names (summed).
  CHECK(R("  cpus : 1 ;; cpus:0.5 ; ports: [ 1 - 2 , 4-5 ] ").to_string() ==
        "cpus(*):1.5; ports(*):[1-2, 4-5]");
  CHECK(R("").empty());
  CHECK(R("{}").empty());
  CHECK(resources{}.to_string() == "{}");
  CHECK(R("cpus:1e1") == R("cpus:10"));
}

TEST_CASE("resource text: a default role reserves what names none") {
  CHECK(R("cpus:1;mem(*):2", "ads").to_string() == "cpus(ads):1; mem(*):2");
  CHECK_FALSE(resources::parse("cpus:1", "bad role"));
}

TEST_CASE("resource text: the extended notation parses back") {
  for (const char* text : {
         "cpus(reservations: [(DYNAMIC,eng,alice),(DYNAMIC,eng/web)])(allocated: eng/web):1",
         "disk(reservations: [(DYNAMIC,db,alice)])[MOUNT:/mnt/d1,vol1:data:RW]<SHARED>:1024",
         "disk(db)[PATH:/var/d,v:/x:RO]:5",
         "disk(*)[BLOCK]:5",
         "disk(*)[RAW]:5",
         "disk(*)[v2]:5",
         "cpus(*){REV}:0.5",
         "cpus(ops)(allocated: ops):0.125",
         "ports(*)(allocated: eng):[1-1, 3-3]",
       }) {
    auto once = R(text);
    CHECK(once.to_string() == std::string(text));
    CHECK(R(once.to_string()) == once);
  }
  // A static reservation with a principal is not the short form.
  CHECK(R("cpus(reservations: [(STATIC,a,p)]):1").to_string() ==
        "cpus(reservations: [(STATIC,a,p)]):1");
  CHECK(R("cpus(reservations: [(STATIC,a)]):1").to_string() == "cpus(a):1");
}

TEST_CASE("resource text: malformed text is refused with where and why") {
  CHECK(parse_error("cpus") == "resource 'cpus': expected ':' before the value at offset 4");
  CHECK(parse_error(":1").find("a resource name") != std::string::npos);
  CHECK(parse_error("cpus:x").find("a scalar") != std::string::npos);
  CHECK(parse_error("cpus:1x").find("the end of the resource") != std::string::npos);
  CHECK(parse_error("cpus:-1").find("negative") != std::string::npos);
  CHECK(parse_error("cpus:nan").find("a scalar") != std::string::npos);
  CHECK(parse_error("cpus:1e400").find("not finite") != std::string::npos);
  CHECK(parse_error("ports:[2-1]").find("begin is after its end") != std::string::npos);
  CHECK(parse_error("ports:[1-]").find("unsigned integer") != std::string::npos);
  CHECK(parse_error("ports:[1-99999999999999999999]").find("below 2^64") != std::string::npos);
  CHECK(parse_error("ports:[1-2").find("']'") != std::string::npos);
  CHECK(parse_error("zones:{a,a}").find("twice") != std::string::npos);
  CHECK(parse_error("zones:{a,}").find("a set item") != std::string::npos);
  CHECK(parse_error("cpus(a)(b):1").find("one role") != std::string::npos);
  CHECK(parse_error("cpus(a b):1").find("')'") != std::string::npos);
  CHECK(parse_error("cpus(-a):1").find("starting with '-'") != std::string::npos);
  CHECK(parse_error("cpus(reservations: [(UNKNOWN,a)]):1").find("STATIC or DYNAMIC") != std::string::npos);
  CHECK(parse_error("cpus(reservations: [(DYNAMIC,a),(DYNAMIC,b)]):1").find("sub-role") != std::string::npos);
  CHECK(parse_error("cpus[v1]:1").find("not 'disk'") != std::string::npos);
  CHECK(parse_error("disk[PATH,MOUNT]:1").find("not a source type") != std::string::npos);
  CHECK(parse_error("disk[v:path]:1").find("volume") != std::string::npos);
  CHECK(parse_error("disk[v:path:RX]:1").find("RW or RO") != std::string::npos);
  CHECK(parse_error("disk<SHARED>:1").find("only those can be shared") != std::string::npos);
  // An error quotes at most the start of a long token.
  auto long_error = parse_error("cpus" + std::string(500, 'x'));
  CHECK(long_error.size() < 200);
}
