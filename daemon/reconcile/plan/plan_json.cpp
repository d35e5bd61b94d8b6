#include "daemon/reconcile/plan/plan_json.hpp"

#include <fmt/format.h>

#include <sstream>

#include "core/text/json_writer.hpp"

namespace crmsync::reconcile {
namespace {

void write_summary(JsonWriter& json, const CycleSummary& summary) {
  json.key("summary").begin_object();
  json.key("created").value(summary.created).key("updated").value(summary.updated);
  json.key("unchanged").value(summary.unchanged).key("rejected").value(summary.rejected);
  json.key("review").value(summary.review).key("removed").value(summary.removed);
  json.key("api_calls").value(summary.api_calls);
  json.key("operations").begin_object();
  for (const auto& [kind, count] : summary.operations)
    json.key(kind).value(count);
  json.end_object();
  json.key("outbox_pending").value(summary.outbox_pending);
  json.key("review_open").value(summary.review_open);
  json.key("seconds").value(summary.seconds);
  json.end_object();
}

// Where a row is: an item's and a removed row's `source` object, written once for both.
void append_source(std::string& out, const Provenance& from) {
  const auto text = [&](std::string_view literal, std::string_view value) {
    out += literal;
    append_json_string(out, value);
  };
  text(R"({"source":)", from.source);
  text(R"(,"rep":)", from.owner);
  text(R"(,"file":)", from.item);
  text(R"(,"sheet":)", from.sheet);
  out += R"(,"row":)";
  append_json_integer(out, from.row);
  out += '}';
}

void write_removed(JsonWriter& json, const RemovedRow& removed) {
  json.begin_object();
  std::string source;
  append_source(source, removed.from);
  json.key("source").raw(source);
  json.key("crm_id").value(removed.crm_id);
  json.key("policy").value(to_string(removed.action));
  json.key("outcome").value(removed.outcome.empty() ? "planned" : removed.outcome);
  if (!removed.note.empty()) json.key("note").value(removed.note);
  json.end_object();
}

std::string where_in_file(const Provenance& from) {
  return from.sheet.empty() ? fmt::format("row {}", from.row)
                            : fmt::format("{} row {}", from.sheet, from.row);
}

// Written out a megabyte at a time: a 100k-row plan is 80 MB of JSON.
constexpr std::size_t kFlushAt = 1 << 20;

// One item, as JsonWriter would write it, with its member names written as text: a 100k-row
// plan's items are some 8 million names and values, and the writer's escaping of each name and
// its comma bookkeeping were most of their rendering (perf: key() alone was half).
void append_item(std::string& out, const SourceRow& row, const RowPlan& decision) {
  const auto text = [&](std::string_view literal, std::string_view value) {
    out += literal;
    append_json_string(out, value);
  };
  out += R"({"source":)";
  append_source(out, row.mapped.from);
  text(R"(,"action":)", to_string(decision.action));
  text(R"(,"crm_id":)", decision.crm_id);
  text(R"(,"cluster":)", decision.cluster);
  text(R"(,"reason":)", decision.reason);
  const auto list = [&](std::string_view literal, const std::vector<std::string>& values) {
    out += literal;
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (i > 0) out += ',';
      append_json_string(out, values[i]);
    }
    out += ']';
  };
  if (!decision.match.empty()) {
    text(R"(,"match":{"kind":)", decision.match);
    out += R"(,"score":)";
    append_json_number(out, decision.score);
    list(R"(,"evidence":[)", decision.evidence);
    out += '}';
  }
  if (!decision.candidates.empty()) list(R"(,"candidates":[)", decision.candidates);
  out += R"(,"fields":{)";
  for (std::size_t i = 0; i < decision.fields.size(); ++i) {
    const auto& change = decision.fields[i];
    if (i > 0) out += ',';
    append_json_string(out, change.field);
    out += R"(:{"old":)";
    if (change.old_value)
      append_json_string(out, *change.old_value);
    else
      out += "null";
    text(R"(,"new":)", change.new_value);
    text(R"(,"policy":)", mappings::to_string(change.policy));
    text(R"(,"decision":)", to_string(change.decision));
    text(R"(,"reason":)", change.reason);
    out += '}';
  }
  out += "}}";
}

// `{"run":7,"dry_run":false,"items":`: what precedes the items.
void begin_document(JsonWriter& json, std::int64_t run_id, bool dry_run) {
  json.begin_object();
  json.key("run").value(run_id).key("dry_run").value(dry_run);
  json.key("items");
}

// The items array. `flush` moves what is written on, a megabyte at a time; false stops it.
template <typename Flush>
bool write_items(JsonWriter& json, const Plan& plan, Flush&& flush) {
  std::string item;
  json.begin_array();
  for (std::size_t i = 0; i < plan.rows.size(); ++i) {
    item.clear();
    append_item(item, plan.rows[i], plan.decisions[i]);
    json.raw(item);
    if (!flush(kFlushAt)) return false;
  }
  json.end_array();
  return true;
}

}  // namespace

std::string render_plan_json(const Plan& plan, const CycleSummary& summary, bool dry_run) {
  std::ostringstream out;
  write_plan_json(out, plan, summary, dry_run);
  return std::move(out).str();
}

StreamedItems StreamedItems::write(int fd, const Plan& plan, std::int64_t run_id, bool dry_run) {
  StreamedItems streamed;
  streamed.started_ = true;
  JsonWriter json;
  begin_document(json, run_id, dry_run);
  const auto flush = [&](std::size_t at_least) { return json.flush_to(fd, at_least); };
  streamed.complete_ = write_items(json, plan, flush) && flush(0);
  return streamed;
}

void write_plan_json(std::ostream& out, const Plan& plan, const CycleSummary& summary, bool dry_run,
                     const StreamedItems* streamed) {
  if (streamed != nullptr && *streamed && !streamed->complete()) {
    out.setstate(std::ios::badbit);  // the document is cut: nothing written after it mends it
    return;
  }
  if (streamed == nullptr || !*streamed) {
    JsonWriter json;
    begin_document(json, summary.run_id, dry_run);
    write_items(json, plan, [&](std::size_t at_least) {
      json.flush_to(out, at_least);
      return true;
    });
    json.flush_to(out);
  }
  // What follows the items, written as an object of its own whose opening brace is the
  // document's, already written.
  JsonWriter rest;
  rest.begin_object();
  // Rows deleted from mirrored files since the last cycle (not source rows any more).
  rest.key("removed").begin_array();
  for (const auto& removed : plan.removed)
    write_removed(rest, removed);
  rest.end_array();
  rest.key("status").value(summary.status);
  write_summary(rest, summary);
  rest.end_object();
  out << ',' << std::string_view(rest.str()).substr(1) << '\n';
}

std::string render_plan_text(const Plan& plan, const CycleSummary& summary, bool dry_run) {
  std::string out;
  std::string last_file;
  for (std::size_t i = 0; i < plan.rows.size(); ++i) {
    const auto& row = plan.rows[i];
    const auto& decision = plan.decisions[i];
    if (decision.action == RowAction::unchanged) continue;
    const auto file = row.mapped.from.owner + "/" + row.mapped.from.item;
    if (file != last_file) {
      out += fmt::format("{}\n", file);
      last_file = file;
    }
    const auto where = where_in_file(row.mapped.from);
    std::string what(to_string(decision.action));
    if (!decision.crm_id.empty()) what += " " + decision.crm_id;
    if (!decision.cluster.empty()) what += " (" + decision.cluster + ")";
    out += fmt::format("  {:<14} {}", where, what);
    std::string writes;
    for (const auto& change : decision.fields)
      if (change.decision == FieldAction::write) {
        if (!writes.empty()) writes += ", ";
        writes += change.field;
      }
    if (!writes.empty() && decision.action != RowAction::create) out += ": " + writes;
    if (!decision.reason.empty()) out += " — " + decision.reason;
    out += "\n";
  }
  for (const auto& removed : plan.removed) {
    out += fmt::format("{}/{}\n  {:<14} removed from the file ({}){}{}\n", removed.from.owner,
                       removed.from.item, where_in_file(removed.from), to_string(removed.action),
                       removed.crm_id.empty() ? "" : " " + removed.crm_id,
                       removed.outcome.empty() ? "" : " — " + removed.outcome);
  }
  out += fmt::format(
      "{}: {} created, {} updated, {} unchanged, {} rejected, {} to review{}; {} API call(s)\n",
      dry_run ? "plan (nothing written)" : "sync", summary.created, summary.updated,
      summary.unchanged, summary.rejected, summary.review,
      summary.removed > 0 ? fmt::format(", {} removed from files", summary.removed) : "",
      summary.api_calls);
  return out;
}

}  // namespace crmsync::reconcile
