// core/logging/logging.hpp — spdlog set up once for the process. Under systemd (JOURNAL_STREAM
// names our stderr) records go to journald with structured fields; otherwise a readable stderr
// format. Every sink redacts (core/logging/redaction.hpp).
#pragma once

#include <spdlog/spdlog.h>

#include <string>
#include <string_view>

namespace crmsync {

enum class LogTarget { automatic, journald, console };

struct LogOptions {
  spdlog::level::level_enum level = spdlog::level::info;
  LogTarget target = LogTarget::automatic;
};

void init_logging(const LogOptions& options);
void set_log_level(spdlog::level::level_enum level);
// "trace" .. "off"; nullopt-like: returns false when the name is unknown.
bool parse_log_level(std::string_view name, spdlog::level::level_enum& out);
// True when stderr is connected to the journal (JOURNAL_STREAM matches stderr's device:inode).
bool stderr_is_journal();

// Structured fields attached to every log record made on this thread while the scope lives:
// journald gets them as REP=, FILE=, ROW=, RUN=; the console shows them in brackets.
class LogScope {
 public:
  LogScope(std::string_view key, std::string value);
  ~LogScope();
  LogScope(const LogScope&) = delete;
  LogScope& operator=(const LogScope&) = delete;
};

}  // namespace crmsync
