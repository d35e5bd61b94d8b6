// daemon/service/status_client.hpp — `crmsync status` asking the running daemon: one GET to the
// status endpoint on loopback, with a deadline so a hung daemon cannot hang the command.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

#include "core/settings/spec.hpp"

namespace crmsync::service {

// The body of a 200 answer, or nullopt when nothing answers (daemon not running), the answer is
// not 200, or the deadline passes. A wildcard listen address is asked on loopback.
std::optional<std::string> fetch_status(const settings::HostPort& listen, std::string_view target,
                                        std::chrono::milliseconds deadline);

}  // namespace crmsync::service
