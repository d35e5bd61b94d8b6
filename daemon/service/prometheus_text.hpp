// daemon/service/prometheus_text.hpp — /metrics: a MetricsSnapshot in the Prometheus text
// exposition format (version 0.0.4). Hand-written: Debian 12 packages no Prometheus C++ client,
// and the format is a few lines of HELP/TYPE and samples.
#pragma once

#include <string>

#include "daemon/service/service_metrics.hpp"

namespace crmsync::service {

inline constexpr const char* kPrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

std::string prometheus_text(const MetricsSnapshot& metrics);

}  // namespace crmsync::service
