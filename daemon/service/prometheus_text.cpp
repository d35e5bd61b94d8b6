#include "daemon/service/prometheus_text.hpp"

#include <fmt/format.h>

namespace crmsync::service {
namespace {

// Label values escape backslash, double quote and newline (the exposition format's rules).
std::string label_value(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\')
      out += "\\\\";
    else if (c == '"')
      out += "\\\"";
    else if (c == '\n')
      out += "\\n";
    else
      out += c;
  }
  return out;
}

struct OperationKey {
  std::string object, kind, result;
};

// The engine counts operations as "Contact.create.ok" (object.kind.result); "create.ok" has no
// object.
OperationKey split_operation_key(std::string_view key) {
  OperationKey parts;
  const auto last = key.rfind('.');
  if (last == std::string_view::npos) return {"", std::string(key), "unknown"};
  parts.result = key.substr(last + 1);
  const auto head = key.substr(0, last);
  const auto middle = head.rfind('.');
  parts.kind = middle == std::string_view::npos ? head : head.substr(middle + 1);
  if (middle != std::string_view::npos) parts.object = head.substr(0, middle);
  return parts;
}

void family(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

void per_source(std::string& out, const MetricsSnapshot& metrics, std::string_view name,
                std::string_view help, std::int64_t reconcile::SourceCounts::*field) {
  family(out, name, "counter", help);
  for (const auto& [source, totals] : metrics.sources)
    out += fmt::format("{}{{source=\"{}\"}} {}\n", name, label_value(source), totals.rows.*field);
}

}  // namespace

std::string prometheus_text(const MetricsSnapshot& metrics) {
  std::string out;
  per_source(out, metrics, "crmsync_rows_read_total", "Source rows read.",
             &reconcile::SourceCounts::rows_read);
  per_source(out, metrics, "crmsync_rows_mapped_total", "Source rows mapped to CRM records.",
             &reconcile::SourceCounts::rows_mapped);
  per_source(out, metrics, "crmsync_rows_rejected_total", "Source rows rejected, with a reason.",
             &reconcile::SourceCounts::rows_rejected);
  per_source(out, metrics, "crmsync_files_read_total", "Source files read.",
             &reconcile::SourceCounts::files_read);
  per_source(out, metrics, "crmsync_files_failed_total", "Source files that could not be read.",
             &reconcile::SourceCounts::files_failed);

  family(out, "crmsync_cycles_total", "counter", "Sync cycles by source and outcome.");
  for (const auto& [source, totals] : metrics.sources) {
    out += fmt::format("crmsync_cycles_total{{source=\"{}\",result=\"completed\"}} {}\n",
                       label_value(source), totals.cycles_completed);
    out += fmt::format("crmsync_cycles_total{{source=\"{}\",result=\"failed\"}} {}\n",
                       label_value(source), totals.cycles_failed);
  }

  family(out, "crmsync_operations_total", "counter", "CRM operations by object, kind and result.");
  for (const auto& [key, count] : metrics.operations) {
    const auto [object, kind, result] = split_operation_key(key);
    out += fmt::format("crmsync_operations_total{{object=\"{}\",kind=\"{}\",result=\"{}\"}} {}\n",
                       label_value(object), label_value(kind), label_value(result), count);
  }

  family(out, "crmsync_api_calls_total", "counter", "CRM API calls spent since start.");
  out += fmt::format("crmsync_api_calls_total {}\n", metrics.api_calls);
  if (const auto remaining = metrics.api.remaining()) {
    family(out, "crmsync_api_allowance_remaining", "gauge",
           "CRM API calls left in the current allowance, as the CRM last reported.");
    out += fmt::format("crmsync_api_allowance_remaining {}\n", *remaining);
    family(out, "crmsync_api_allowance_limit", "gauge", "The CRM's API call allowance.");
    out += fmt::format("crmsync_api_allowance_limit {}\n", *metrics.api.limit);
  }

  family(out, "crmsync_cycle_duration_seconds", "histogram", "Sync cycle duration.");
  std::int64_t cumulative = 0;
  for (std::size_t i = 0; i < kCycleSecondsBuckets.size(); ++i) {
    cumulative += metrics.cycle_buckets[i];
    out += fmt::format("crmsync_cycle_duration_seconds_bucket{{le=\"{}\"}} {}\n",
                       kCycleSecondsBuckets[i], cumulative);
  }
  out +=
      fmt::format("crmsync_cycle_duration_seconds_bucket{{le=\"+Inf\"}} {}\n", metrics.cycle_count);
  out += fmt::format("crmsync_cycle_duration_seconds_sum {}\n", metrics.cycle_seconds_sum);
  out += fmt::format("crmsync_cycle_duration_seconds_count {}\n", metrics.cycle_count);

  family(out, "crmsync_outbox_pending", "gauge",
         "Writes recorded but not yet confirmed by the CRM.");
  out += fmt::format("crmsync_outbox_pending {}\n", metrics.outbox_pending);
  family(out, "crmsync_review_open", "gauge", "Uncertain matches waiting for a decision.");
  out += fmt::format("crmsync_review_open {}\n", metrics.review_open);

  family(out, "crmsync_last_success_timestamp_seconds", "gauge",
         "Unix time of the last completed cycle (0: none yet).");
  out += fmt::format("crmsync_last_success_timestamp_seconds {:.3f}\n", metrics.last_success_unix);
  family(out, "crmsync_source_last_success_timestamp_seconds", "gauge",
         "Unix time of the source's last completed cycle (0: none yet).");
  for (const auto& [source, totals] : metrics.sources)
    out += fmt::format("crmsync_source_last_success_timestamp_seconds{{source=\"{}\"}} {:.3f}\n",
                       label_value(source), totals.last_success_unix);

  family(out, "crmsync_reloads_total", "counter", "Configuration reloads by result.");
  out += fmt::format("crmsync_reloads_total{{result=\"ok\"}} {}\n", metrics.reloads_ok);
  out += fmt::format("crmsync_reloads_total{{result=\"failed\"}} {}\n", metrics.reloads_failed);
  return out;
}

}  // namespace crmsync::service
