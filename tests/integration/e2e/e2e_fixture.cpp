#include "tests/integration/e2e/e2e_fixture.hpp"

#include <fmt/format.h>
#include <sys/wait.h>

#include <array>
#include <chrono>
#include <fstream>
#include <set>
#include <sstream>

namespace e2e {
namespace fs = std::filesystem;

namespace {
const std::string kSource = CRMSYNC_SOURCE_DIR;

std::string quoted(const std::string& text) {
  return "'" + text + "'";
}

// Files copied a moment ago look like uploads in progress; reps' real files are older.
void settle(const fs::path& root) {
  const auto past = fs::file_time_type::clock::now() - std::chrono::hours(1);
  for (const auto& entry : fs::recursive_directory_iterator(root))
    if (entry.is_regular_file()) fs::last_write_time(entry.path(), past);
}

std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> out;
  std::string cell;
  bool quoted_cell = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted_cell) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        quoted_cell = false;
      } else {
        cell += c;
      }
    } else if (c == '"') {
      quoted_cell = true;
    } else if (c == ',') {
      out.push_back(cell);
      cell.clear();
    } else if (c != '\r') {
      cell += c;
    }
  }
  out.push_back(cell);
  return out;
}

std::string text_at(simdjson::dom::element element, const char* pointer) {
  auto value = element.at_pointer(pointer);
  std::string_view text;
  if (value.get_string().get(text) == simdjson::SUCCESS) return std::string(text);
  int64_t number = 0;
  if (value.get_int64().get(number) == simdjson::SUCCESS) return std::to_string(number);
  return {};
}
}  // namespace

Result run_crmsync(const std::string& arguments, const std::string& environment) {
  return sandbox_test::run_command(environment + " " + std::string(CRMSYNC_BINARY) + " "
                                   + arguments);
}

std::vector<TruthRow> load_truth(const std::string& file) {
  std::ifstream in(file.empty() ? kSource + "/tests/data/world-small/truth.csv" : file);
  std::vector<TruthRow> rows;
  std::string line;
  std::getline(in, line);  // header
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto cells = split_csv_line(line);
    if (cells.size() < 5) continue;
    rows.push_back({cells[0], cells[1], cells[2], std::stoi(cells[3]), cells[4]});
  }
  return rows;
}

std::vector<Item> parse_items(const std::string& json) {
  std::vector<Item> items;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(json).get(root) != simdjson::SUCCESS) return items;
  simdjson::dom::array array;
  if (root["items"].get_array().get(array) != simdjson::SUCCESS) return items;
  for (auto element : array) {
    Item item;
    item.rep = text_at(element, "/source/rep");
    item.file = text_at(element, "/source/file");
    item.sheet = text_at(element, "/source/sheet");
    item.row = std::stoi(text_at(element, "/source/row"));
    item.action = text_at(element, "/action");
    item.crm_id = text_at(element, "/crm_id");
    item.cluster = text_at(element, "/cluster");
    item.reason = text_at(element, "/reason");
    item.match_kind = text_at(element, "/match/kind");
    items.push_back(std::move(item));
  }
  return items;
}

std::map<std::string, std::int64_t> parse_summary(const std::string& json) {
  std::map<std::string, std::int64_t> out;
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  simdjson::dom::object summary;
  if (parser.parse(json).get(root) != simdjson::SUCCESS
      || root["summary"].get_object().get(summary) != simdjson::SUCCESS)
    return out;
  for (auto [key, value] : summary) {
    int64_t number = 0;
    if (value.get_int64().get(number) == simdjson::SUCCESS) out[std::string(key)] = number;
  }
  return out;
}

std::string EndToEnd::crm_dir() {
  return kSource + "/config/demo/crm";
}
std::string EndToEnd::inbox_dir() {
  return kSource + "/config/demo/inbox";
}

void EndToEnd::SetUp() {
  dir_ = sandbox_test::make_temp_dir();
  fs::copy(inbox_dir(), dir_ / "inbox", fs::copy_options::recursive);
  settle(dir_ / "inbox");
  config_ = dir_ / "crmsync.yaml";
  auto args = std::vector<std::string>{"--seed",         crm_dir(),
                                       "--write-config", config_.string(),
                                       "--inbox",        (dir_ / "inbox").string(),
                                       "--mappings-dir", kSource + "/config/mappings"};
  for (auto& extra : sandbox_args())
    args.push_back(extra);
  sandbox_ = std::make_unique<sandbox_test::SandboxProcess>(dir_ / "sandbox-state", args);
  ASSERT_TRUE(sandbox_->started()) << sandbox_->startup_output();
  hooks_ = std::make_unique<sandbox_test::HttpClient>(sandbox_->url());
}

std::int64_t EndToEnd::write_calls() {
  const auto calls = stats();
  std::int64_t total = 0;
  // crmsync writes through collections, sObject rows and Bulk; its composite calls are reads.
  for (const char* kind : {"collections", "sobject", "bulk"})
    if (calls.contains(kind)) total += calls.at(kind);
  return total;
}

fs::path EndToEnd::editable_mappings() {
  const auto mappings = dir_ / "mappings";
  fs::copy(fs::path(kSource) / "config/mappings", mappings);
  auto config = read_text(config_);
  const auto at = config.find("mappings_dir: ");
  EXPECT_NE(at, std::string::npos) << config;
  if (at != std::string::npos)
    config.replace(at, config.find('\n', at) - at, "mappings_dir: " + mappings.string());
  std::ofstream(config_) << config;
  return mappings;
}

std::unique_ptr<sandbox_test::HttpClient> EndToEnd::signed_in_api() {
  auto api = std::make_unique<sandbox_test::HttpClient>(sandbox_->url());
  const auto token = api->send(
      "POST", "/services/oauth2/token",
      "grant_type=client_credentials&client_id=crmsync-sandbox&client_secret=sandbox-secret",
      {"Content-Type: application/x-www-form-urlencoded"});
  api->set_token(token.json("/access_token"));
  return api;
}

void EndToEnd::insert_into_config(const std::string& after, const std::string& lines) {
  auto config = read_text(config_);
  const auto at = config.find(after);
  ASSERT_NE(at, std::string::npos) << config;
  config.insert(at + after.size(), lines);
  std::ofstream(config_) << config;
}

void EndToEnd::add_to_folder_source(const std::string& lines) {
  insert_into_config("    mode: mirror\n", lines);
}

void EndToEnd::add_to_crm(const std::string& lines) {
  insert_into_config("  type: salesforce\n", lines);
}

void EndToEnd::write_settled(const fs::path& file, const std::string& text) {
  std::ofstream(file, std::ios::binary) << text;
  fs::last_write_time(file, fs::file_time_type::clock::now() - std::chrono::hours(1));
}

std::string EndToEnd::read_text(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void EndToEnd::TearDown() {
  sandbox_.reset();
  sandbox_test::remove_temp_dir(dir_);
}

std::string Accuracy::figures() const {
  return fmt::format(
      "precision {:.2f}% ({} of {} predicted matches right), recall {:.2f}% ({} of {}), new "
      "people {}/{} exactly one create, {} creates for match rows, rejects {}/{}, reviews {}, "
      "missing {} of {} rows",
      100 * precision(), matched_right, predicted_matches, 100 * recall(), matched_right,
      match_rows, clusters_one_create, new_clusters, creates_for_match, rejected_right, reject_rows,
      review_rows, missing, truth_rows);
}

Accuracy score_plan(const std::vector<Item>& items, const std::vector<TruthRow>& truth) {
  auto key_of = [](const std::string& rep, const std::string& file, const std::string& sheet,
                   int row) { return fmt::format("{}|{}|{}|{}", rep, file, sheet, row); };
  std::map<std::string, const Item*> by_key;
  for (const auto& item : items)
    by_key[key_of(item.rep, item.file, item.sheet, item.row)] = &item;
  Accuracy a;
  std::map<std::string, std::set<std::string>> plan_clusters_of_truth;  // new:X -> plan clusters
  std::map<std::string, std::set<std::string>> truth_clusters_of_plan;  // plan cluster -> new:X
  for (const auto& row : truth) {
    ++a.truth_rows;
    const auto where = fmt::format("{}/{} {} row {}", row.rep, row.file, row.sheet, row.row);
    const auto found = by_key.find(key_of(row.rep, row.file, row.sheet, row.row));
    if (found == by_key.end()) {
      ++a.missing;
      a.problems.push_back("missing from the plan: " + where);
      continue;
    }
    const auto& item = *found->second;
    const bool predicted_match = item.action == "update" || item.action == "unchanged";
    if (predicted_match) ++a.predicted_matches;
    if (item.action == "review") ++a.review_rows;
    const auto got = fmt::format("{}: expected {}, got {} {} ({})", where, row.expect, item.action,
                                 item.crm_id, item.reason);
    if (row.expect.rfind("match:", 0) == 0) {
      ++a.match_rows;
      if (predicted_match && item.crm_id == row.expect.substr(6))
        ++a.matched_right;
      else
        a.problems.push_back(got);
      if (item.action == "create") ++a.creates_for_match;
    } else if (row.expect.rfind("new:", 0) == 0) {
      if (item.action == "create") {
        plan_clusters_of_truth[row.expect].insert(item.cluster);
        truth_clusters_of_plan[item.cluster].insert(row.expect);
      } else {
        plan_clusters_of_truth[row.expect].insert("(" + item.action + ")");
        a.problems.push_back(got);
      }
    } else {
      ++a.reject_rows;
      if (item.action == "reject" && !item.reason.empty())
        ++a.rejected_right;
      else
        a.problems.push_back(got);
    }
  }
  a.new_clusters = static_cast<int>(plan_clusters_of_truth.size());
  for (const auto& [truth_cluster, plan_clusters] : plan_clusters_of_truth) {
    if (plan_clusters.size() == 1 && plan_clusters.begin()->front() != '('
        && truth_clusters_of_plan[*plan_clusters.begin()].size() == 1)
      ++a.clusters_one_create;
    else
      a.problems.push_back(fmt::format("{} became {} plan cluster(s): {}", truth_cluster,
                                       plan_clusters.size(), fmt::join(plan_clusters, " ")));
  }
  return a;
}

Result EndToEnd::crmsync(const std::string& arguments, const std::string& environment) {
  return run_crmsync("-c " + quoted(config_.string()) + " " + arguments, environment);
}

std::map<std::string, std::int64_t> EndToEnd::stats() {
  std::map<std::string, std::int64_t> out;
  const auto reply = hooks_->send("GET", "/__sandbox/stats");
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(reply.body).get(root) != simdjson::SUCCESS) return out;
  simdjson::dom::object calls;
  if (root["calls"].get_object().get(calls) == simdjson::SUCCESS)
    for (auto [key, value] : calls) {
      int64_t number = 0;
      if (value.get_int64().get(number) == simdjson::SUCCESS) out[std::string(key)] = number;
    }
  int64_t total = 0;
  if (root["total"].get_int64().get(total) == simdjson::SUCCESS) out["total"] = total;
  return out;
}

std::vector<std::map<std::string, std::string>> EndToEnd::export_records(
    const std::string& object) {
  std::vector<std::map<std::string, std::string>> records;
  const auto reply = hooks_->send("GET", "/__sandbox/export/" + object);
  simdjson::dom::parser parser;
  simdjson::dom::array array;
  if (parser.parse(reply.body).get_array().get(array) != simdjson::SUCCESS) return records;
  for (auto element : array) {
    std::map<std::string, std::string> record;
    simdjson::dom::object fields;
    if (element.get_object().get(fields) != simdjson::SUCCESS) continue;
    for (auto [key, value] : fields) {
      std::string_view text;
      record[std::string(key)] =
          value.get_string().get(text) == simdjson::SUCCESS ? std::string(text) : std::string();
    }
    records.push_back(std::move(record));
  }
  return records;
}

}  // namespace e2e
