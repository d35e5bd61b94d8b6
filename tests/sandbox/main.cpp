// crmsync-sandbox: a local Salesforce org for tests, benchmarks and the demo (README.md).
#include <pthread.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <cstdio>
#include <iostream>
#include <thread>

#include "config_writer.hpp"
#include "http/server.hpp"
#include "salesforce/api.hpp"

#ifndef CRMSYNC_DEFAULT_MAPPINGS_DIR
#define CRMSYNC_DEFAULT_MAPPINGS_DIR "config/mappings"
#endif
#ifndef CRMSYNC_SANDBOX_JWT_CERT
#define CRMSYNC_SANDBOX_JWT_CERT "tests/sandbox/jwt-test.crt"
#endif

namespace {

struct Options {
  std::string listen = "127.0.0.1:0";
  std::string state_dir;
  std::string seed_dir;
  std::string schema_file;
  long token_ttl_seconds = 7200;
  long daily_limit = 100000;
  std::string write_config;
  std::string inbox_dir;
  std::string mappings_dir = CRMSYNC_DEFAULT_MAPPINGS_DIR;
  std::size_t threads = 2;
  std::string faults;
  std::string duplicate_rule = "off";
  std::string jwt_certificate = CRMSYNC_SANDBOX_JWT_CERT;
};

bool split_listen(const std::string& listen, std::string& host, unsigned short& port) {
  const auto colon = listen.rfind(':');
  if (colon == std::string::npos) return false;
  host = listen.substr(0, colon);
  const long value = std::strtol(listen.c_str() + colon + 1, nullptr, 10);
  if (value < 0 || value > 65535) return false;
  port = static_cast<unsigned short>(value);
  return !host.empty();
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  CLI::App app{"crmsync-sandbox: a local emulator of the Salesforce REST and OAuth APIs"};
  app.add_option("--listen", options.listen, "HOST:PORT to bind (port 0: any free port)");
  app.add_option("--state", options.state_dir, "directory for the org's SQLite store")->required();
  app.add_option("--seed", options.seed_dir, "directory with users.csv, accounts.csv, contacts.csv")
      ->check(CLI::ExistingDirectory);
  app.add_option("--schema", options.schema_file, "YAML file with custom objects and fields")
      ->check(CLI::ExistingFile);
  app.add_option("--token-ttl", options.token_ttl_seconds, "access token lifetime in seconds")
      ->check(CLI::PositiveNumber);
  app.add_option("--daily-limit", options.daily_limit, "DailyApiRequests allocation")
      ->check(CLI::PositiveNumber);
  app.add_option("--threads", options.threads, "server threads")->check(CLI::Range(1, 64));
  app.add_option("--faults", options.faults,
                 "fault injection SPEC, e.g. mix=0.1,seed=7 (README.md, Fault injection)");
  app.add_option("--duplicate-rule", options.duplicate_rule,
                 "Contact duplicate rule: off, email, name, email,name (+ ,block)");
  app.add_option("--jwt-cert", options.jwt_certificate,
                 "PEM certificate that verifies JWT bearer assertions");
  auto* write_config = app.add_option("--write-config", options.write_config,
                                      "write a crmsync.yaml for this sandbox to FILE");
  auto* inbox =
      app.add_option("--inbox", options.inbox_dir, "the inbox folder the written config syncs");
  app.add_option("--mappings-dir", options.mappings_dir, "mappings_dir of the written config");
  write_config->needs(inbox);
  inbox->needs(write_config);
  CLI11_PARSE(app, argc, argv);

  sandbox::http::ServerOptions server_options;
  if (!split_listen(options.listen, server_options.host, server_options.port)) {
    std::cerr << "crmsync-sandbox: --listen must be HOST:PORT, got '" << options.listen << "'\n";
    return 64;
  }
  server_options.threads = options.threads;

  // Blocked before any thread starts, so every thread inherits the mask and only sigwait sees them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGUSR2);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  try {
    auto schema = sandbox::salesforce::Schema::standard();
    if (!options.schema_file.empty()) schema.load_yaml_file(options.schema_file);
    sandbox::salesforce::OrgOptions org_options;
    org_options.state_dir = options.state_dir;
    org_options.token_ttl = std::chrono::seconds(options.token_ttl_seconds);
    org_options.daily_limit = options.daily_limit;
    org_options.jwt_certificate_file = options.jwt_certificate;
    const auto fault_spec = sandbox::salesforce::parse_fault_spec(options.faults);
    const auto duplicate_rule = sandbox::salesforce::parse_duplicate_rule(options.duplicate_rule);
    sandbox::salesforce::SalesforceApi salesforce(
        std::move(schema), org_options,
        options.seed_dir.empty() ? std::nullopt : std::optional<std::string>(options.seed_dir));

    salesforce.configure_faults(fault_spec);
    salesforce.configure_duplicate_rule(duplicate_rule);

    sandbox::http::Server server(server_options, [&salesforce](
                                                     const sandbox::http::Request& request) {
      if (sandbox::salesforce::SalesforceApi::owns(request.path)) return salesforce.handle(request);
      return sandbox::http::Response::json(
          404, R"([{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}])");
    });
    const std::string url = "http://" + server_options.host + ":" + std::to_string(server.port());
    salesforce.set_instance_url(url);
    if (!options.write_config.empty()) {
      sandbox::write_crmsync_config(
          {options.write_config, options.inbox_dir, options.mappings_dir, url});
    }
    // Signals are taken by sigwait on a plain thread: stopping the server from a signal handler
    // would call into Asio, which is not async-signal-safe (it deadlocked on SIGTERM).
    std::thread signal_waiter([&server, signals] {
      int received = 0;
      sigwait(&signals, &received);
      if (received != SIGUSR2) server.stop();
    });
    std::cout << "listening on " << url << std::endl;
    server.run();
    pthread_kill(signal_waiter.native_handle(), SIGUSR2);
    signal_waiter.join();
  } catch (const std::exception& error) {
    std::cerr << "crmsync-sandbox: " << error.what() << "\n";
    return 1;
  }
  return 0;
}
