// daemon/service/status_routes.hpp — what the status endpoint answers, apart from any socket:
// /healthz (200 while the daemon serves, 503 once it is stopping), /metrics (Prometheus text),
// /status (JSON; ?format=text for the text `crmsync status` prints).
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "daemon/service/service_metrics.hpp"

namespace crmsync::service {

struct HttpReply {
  unsigned status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
};

using StatusRouter = std::function<HttpReply(std::string_view method, std::string_view target)>;

// `stopping` is read on each request.
StatusRouter make_status_router(const ServiceMetrics& metrics, std::function<bool()> stopping);

}  // namespace crmsync::service
