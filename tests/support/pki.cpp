#include "support/pki.hpp"

#include <cstdlib>
#include <fstream>
#include <random>
#include <stdexcept>

namespace authtest {

namespace {
const std::string ec_key = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
}

test_pki::test_pki() {
  std::random_device rd;
  dir_ = std::filesystem::temp_directory_path()
         / ("mesos-actor-pki-" + std::to_string(rd()) + std::to_string(rd()));
  std::filesystem::create_directories(dir_);
  try {
    run("CA", "req -x509 " + ec_key + " -days 2 -subj /CN=mesos-actor-test-ca -keyout "
                + path("ca.key") + " -out " + ca_cert());
    run("server CSR", "req " + ec_key + " -subj /CN=127.0.0.1 -keyout " + server_key()
                        + " -out " + path("server.csr"));
    sign(path("server.csr"), server_cert(), "IP:127.0.0.1,DNS:localhost", 2);
    sign(path("server.csr"), wrong_host_cert(), "DNS:wrong.example", 2);
    sign(path("server.csr"), expired_cert(), "IP:127.0.0.1,DNS:localhost", -1);
    run("client CSR", "req " + ec_key + " -subj /CN=framework-client -keyout " + client_key()
                        + " -out " + path("client.csr"));
    sign(path("client.csr"), client_cert(), "DNS:framework-client", 2);
    run("self-signed", "req -x509 " + ec_key + " -days 2 -subj /CN=127.0.0.1 -addext "
                         "subjectAltName=IP:127.0.0.1,DNS:localhost -keyout "
                         + untrusted_key() + " -out " + untrusted_cert());
  } catch (...) {
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
    throw;
  }
}

test_pki::~test_pki() {
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

void test_pki::run(const std::string& what, const std::string& args) {
  auto cmd = "timeout 30 openssl " + args + " >" + path("openssl.log") + " 2>&1";
  if (std::system(cmd.c_str()) != 0)
    throw std::runtime_error("openssl failed making the " + what + ": " + cmd);
}

void test_pki::sign(const std::string& csr, const std::string& out, const std::string& san,
                    int days) {
  auto ext = out + ".ext";
  std::ofstream{ext} << "subjectAltName=" << san << "\n";
  // A negative -days makes notAfter lie before now: an expired certificate.
  run(out, "x509 -req -in " + csr + " -CA " + ca_cert() + " -CAkey " + path("ca.key")
             + " -CAcreateserial -days " + std::to_string(days) + " -extfile " + ext + " -out " + out);
}

} // namespace authtest
