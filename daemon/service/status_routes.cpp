#include "daemon/service/status_routes.hpp"

#include "daemon/service/prometheus_text.hpp"

namespace crmsync::service {

StatusRouter make_status_router(const ServiceMetrics& metrics, std::function<bool()> stopping) {
  return [&metrics, stopping = std::move(stopping)](std::string_view method,
                                                    std::string_view target) -> HttpReply {
    if (method != "GET" && method != "HEAD")
      return {405, "text/plain; charset=utf-8", "GET only\n"};
    const auto query_at = target.find('?');
    const auto path = target.substr(0, query_at);
    const auto query =
        query_at == std::string_view::npos ? std::string_view{} : target.substr(query_at + 1);
    if (path == "/healthz") {
      if (stopping()) return {503, "text/plain; charset=utf-8", "stopping\n"};
      return {200, "text/plain; charset=utf-8", "ok\n"};
    }
    if (path == "/metrics")
      return {200, kPrometheusContentType, prometheus_text(metrics.snapshot())};
    if (path == "/status") {
      if (query == "format=text")
        return {200, "text/plain; charset=utf-8", status_text(metrics.status())};
      return {200, "application/json", status_json(metrics.status())};
    }
    return {404, "text/plain; charset=utf-8", "not found: try /healthz, /metrics or /status\n"};
  };
}

}  // namespace crmsync::service
