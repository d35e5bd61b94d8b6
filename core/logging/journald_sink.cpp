// Journald sink with structured fields. spdlog's own systemd_sink sends MESSAGE and PRIORITY only;
// IT filters by rep or file (journalctl -u crmsync REP=alice@acme.com), so fields are sent too.
#define SD_JOURNAL_SUPPRESS_LOCATION
#include <spdlog/sinks/base_sink.h>
#include <sys/uio.h>
#include <systemd/sd-journal.h>

#include <algorithm>
#include <cctype>
#include <mutex>

#include "core/logging/redaction.hpp"
#include "core/logging/sinks.hpp"

namespace crmsync::logging_detail {
namespace {

int syslog_priority(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
    case spdlog::level::debug:
      return 7;
    case spdlog::level::info:
      return 6;
    case spdlog::level::warn:
      return 4;
    case spdlog::level::err:
      return 3;
    case spdlog::level::critical:
      return 2;
    default:
      return 6;
  }
}

// Journal field names are upper-case letters, digits and '_'.
std::string field_name(const std::string& key) {
  std::string name;
  for (const char c : key)
    name += std::isalnum(static_cast<unsigned char>(c))
                ? static_cast<char>(std::toupper(static_cast<unsigned char>(c)))
                : '_';
  return name;
}

class JournaldSink final : public spdlog::sinks::base_sink<std::mutex> {
 protected:
  void sink_it_(const spdlog::details::log_msg& msg) override {
    std::vector<std::string> entries;
    entries.push_back("MESSAGE="
                      + redact(std::string_view(msg.payload.data(), msg.payload.size())));
    entries.push_back("PRIORITY=" + std::to_string(syslog_priority(msg.level)));
    entries.push_back("SYSLOG_IDENTIFIER=crmsync");
    for (const auto& [key, value] : current_fields())
      entries.push_back(field_name(key) + "=" + redact(value));
    std::vector<iovec> vectors;
    vectors.reserve(entries.size());
    for (auto& entry : entries)
      vectors.push_back({entry.data(), entry.size()});
    sd_journal_sendv(vectors.data(), static_cast<int>(vectors.size()));
  }
  void flush_() override {}
};

}  // namespace

std::shared_ptr<spdlog::sinks::sink> make_journald_sink() {
  return std::make_shared<JournaldSink>();
}

}  // namespace crmsync::logging_detail
