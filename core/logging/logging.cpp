#include "core/logging/logging.hpp"

#include <fmt/chrono.h>
#include <spdlog/sinks/base_sink.h>
#include <sys/stat.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <mutex>

#include "core/logging/redaction.hpp"
#include "core/logging/sinks.hpp"

namespace crmsync {
namespace logging_detail {
namespace {
thread_local Fields fields;

// "2026-11-23T14:02:11.042Z info  [REP=a@b FILE=x.csv] message"
class ConsoleSink final : public spdlog::sinks::base_sink<std::mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    const auto since_epoch = msg.time.time_since_epoch();
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch);
    const auto millis =
        std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch - seconds);
    std::string line = fmt::format("{:%Y-%m-%dT%H:%M:%S}.{:03}Z {:<5} ",
                                   fmt::gmtime(static_cast<std::time_t>(seconds.count())),
                                   millis.count(), spdlog::level::to_string_view(msg.level));
    if (!current_fields().empty()) {
      line += '[';
      bool first = true;
      for (const auto& [key, value] : current_fields()) {
        line += fmt::format("{}{}={}", first ? "" : " ", key, value);
        first = false;
      }
      line += "] ";
    }
    line.append(msg.payload.data(), msg.payload.size());
    line = redact(line);
    line += '\n';
    std::fwrite(line.data(), 1, line.size(), stderr);
  }
  void flush_() override { std::fflush(stderr); }
};
}  // namespace

Fields& current_fields() {
  return fields;
}

std::shared_ptr<spdlog::sinks::sink> make_console_sink() {
  return std::make_shared<ConsoleSink>();
}

}  // namespace logging_detail

LogScope::LogScope(std::string_view key, std::string value) {
  logging_detail::current_fields().emplace_back(std::string(key), std::move(value));
}

LogScope::~LogScope() {
  logging_detail::current_fields().pop_back();
}

bool stderr_is_journal() {
  // systemd sets JOURNAL_STREAM=<dev>:<ino> of the stream it connected; a redirected stderr no
  // longer matches, which is how sd-journal's docs say to tell.
  const char* stream = std::getenv("JOURNAL_STREAM");
  if (stream == nullptr) return false;
  struct stat st {};
  if (fstat(2, &st) != 0) return false;
  unsigned long long device = 0;
  unsigned long long inode = 0;
  if (std::sscanf(stream, "%llu:%llu", &device, &inode) != 2) return false;
  return static_cast<unsigned long long>(st.st_dev) == device
         && static_cast<unsigned long long>(st.st_ino) == inode;
}

bool parse_log_level(std::string_view name, spdlog::level::level_enum& out) {
  static constexpr std::array<std::pair<std::string_view, spdlog::level::level_enum>, 7> kLevels{
      {{"trace", spdlog::level::trace},
       {"debug", spdlog::level::debug},
       {"info", spdlog::level::info},
       {"warning", spdlog::level::warn},
       {"error", spdlog::level::err},
       {"critical", spdlog::level::critical},
       {"off", spdlog::level::off}}};
  for (const auto& [label, level] : kLevels) {
    if (label == name) {
      out = level;
      return true;
    }
  }
  return false;
}

void init_logging(const LogOptions& options) {
  const bool journal = options.target == LogTarget::journald
                       || (options.target == LogTarget::automatic && stderr_is_journal());
  auto sink = journal ? logging_detail::make_journald_sink() : logging_detail::make_console_sink();
  auto logger = std::make_shared<spdlog::logger>("crmsync", std::move(sink));
  logger->set_level(options.level);
  logger->flush_on(spdlog::level::warn);
  spdlog::set_default_logger(std::move(logger));
}

void set_log_level(spdlog::level::level_enum level) {
  spdlog::default_logger()->set_level(level);
}

}  // namespace crmsync
