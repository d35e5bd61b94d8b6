// core/logging/sinks.hpp — the two sinks crmsync logs through, both redacting. Internal to
// core/logging; everything else logs through spdlog.
#pragma once

#include <spdlog/sinks/sink.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace crmsync::logging_detail {

using Fields = std::vector<std::pair<std::string, std::string>>;
// The fields of the LogScopes alive on this thread, outermost first.
Fields& current_fields();

std::shared_ptr<spdlog::sinks::sink> make_console_sink();
std::shared_ptr<spdlog::sinks::sink> make_journald_sink();

}  // namespace crmsync::logging_detail
