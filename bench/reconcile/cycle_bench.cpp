// One whole cycle in process, without HTTP: a 100,000-row rep spreadsheet (CSV) read, mapped,
// matched against a 20,000-contact CRM, clustered, planned and applied through the outbox into an
// in-process CRM that accepts every write. Then the figure issue 7 sets a goal for: planning the
// same file again when nothing changed (goal <= 100 ms; its content hash is unchanged, so its rows
// replay from the state store), as the service plans it and as `plan --json` prints it. The
// in-process CRM stands in for the network on purpose: this measures crmsync's own work; bench_e2e
// measures it against the sandbox over HTTP.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "connectors/crm.hpp"
#include "core/diagnostics/diagnostics.hpp"
#include "daemon/config/crmsync_config.hpp"
#include "daemon/reconcile/sync_cycle.hpp"
#include "daemon/state/state_store.hpp"

namespace {
namespace fs = std::filesystem;
using namespace crmsync;

constexpr int kRows = 100'000;
constexpr int kCrmContacts = 20'000;

std::string person_last(int n) {
  static const char* syllables[] = {"ka", "lo",  "ren", "mi",  "sto", "va", "ne",  "gor",
                                    "li", "ber", "tan", "sil", "do",  "ma", "rus", "che"};
  std::string out;
  for (int i = 0; i < 5; ++i, n /= 16)
    out += syllables[n % 16];
  out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

std::string first_name(int n) {
  static const char* names[] = {"Ann",   "Robert", "Maria", "John",   "Linda",  "James",
                                "Sarah", "David",  "Laura", "Thomas", "Chloe",  "Daniel",
                                "Grace", "Andrew", "Julia", "Peter",  "Olivia", "Joseph"};
  return names[(n / 7) % 18];
}

// A CRM that holds `kCrmContacts` contacts and accepts every write.
class InProcessCrm final : public Crm {
 public:
  CrmSchema describe(std::string_view object) override { return {std::string(object), "", {}}; }
  std::size_t query(const CrmQuery& query,
                    const std::function<void(const CrmValues&)>& out) override {
    ++calls_["query"];
    if (query.object != "Contact" || query.modified_since) return 0;
    for (int i = 0; i < kCrmContacts; ++i)
      out({{"Id", "003" + std::to_string(100000000 + i)},
           {"SystemModstamp", "2024-01-01T00:00:00.000+0000"},
           {"FirstName", first_name(i)},
           {"LastName", person_last(i)},
           {"Email", "c." + std::to_string(i) + "@crm.example"},
           {"Phone", std::nullopt},
           {"OwnerId", "005000000000001"}});
    return kCrmContacts;
  }
  std::vector<CrmOperationResult> apply(std::span<const CrmOperation> operations) override {
    calls_["collections"] += static_cast<int>((operations.size() + 199) / 200);
    std::vector<CrmOperationResult> results;
    for (const auto& op : operations) {
      CrmOperationResult r;
      r.success = true;
      r.id = op.id.empty() ? "003N" + std::to_string(next_++) : op.id;
      r.created = op.id.empty();
      results.push_back(std::move(r));
    }
    return results;
  }
  CrmUsage usage() const override { return {calls_, std::nullopt, std::nullopt}; }

 private:
  std::map<std::string, int> calls_;
  int next_ = 0;
};

struct World {
  fs::path dir;
  Config config;
  std::unique_ptr<state::StateStore> store;
  InProcessCrm crm;

  World() = default;
  World(World&&) = default;
  World& operator=(World&&) = default;
  ~World() {
    store.reset();
    std::error_code ignored;
    if (!dir.empty()) fs::remove_all(dir, ignored);
  }
};

World& world() {
  static World w = [] {
    World made;
    made.dir = fs::temp_directory_path() / ("crmsync-cycle-bench-" + std::to_string(getpid()));
    fs::remove_all(made.dir);
    fs::create_directories(made.dir / "inbox" / "rep@acme.example");
    {
      std::ofstream csv(made.dir / "inbox" / "rep@acme.example" / "contacts.csv");
      csv << "First Name,Last Name,Email,Company,Title,Notes\n";
      std::mt19937 random(7);
      for (int i = 0; i < kRows; ++i) {
        // A fifth are CRM contacts (by email), the rest new people.
        const bool known = i % 5 == 0;
        const int n = known ? i % kCrmContacts : kCrmContacts + i;
        csv << first_name(n) << "," << person_last(n) << ","
            << (known ? "c." + std::to_string(n) + "@crm.example"
                      : "p" + std::to_string(n) + "@new.example")
            << ",," << (random() % 2 ? "Buyer" : "Head of Purchasing") << ",\n";
      }
    }
    const auto past = fs::file_time_type::clock::now() - std::chrono::hours(1);
    fs::last_write_time(made.dir / "inbox" / "rep@acme.example" / "contacts.csv", past);
    std::ofstream(made.dir / "secret") << "x\n";
    std::ofstream(made.dir / "crmsync.yaml")
        << "state_dir: " << (made.dir / "state").string() << "\n"
        << "mappings_dir: " << CRMSYNC_SOURCE_DIR << "/config/mappings\n"
        << "crm: { type: salesforce, instance_url: 'https://bench.example', auth: { flow: "
           "client_credentials, client_id: x, client_secret: { file: "
        << (made.dir / "secret").string() << " } } }\n"
        << "sources:\n  - { name: reps, type: folder, path: " << (made.dir / "inbox").string()
        << ", owner_from: subfolder, mode: mirror, mappings: [ { files: '*.csv', use: "
           "rep-contacts } ] }\n";
    Diagnostics diags;
    auto config = load_config(made.dir / "crmsync.yaml", diags);
    if (!config) throw std::runtime_error(diags.render());
    made.config = std::move(*config);
    made.store = state::StateStore::open(made.config.state_dir);
    return made;
  }();
  return w;
}

double peak_rss_mb() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

void BM_FirstCycle100kRows(benchmark::State& state) {
  auto& w = world();
  reconcile::CycleResult result;
  for (auto _ : state) {
    reconcile::CycleOptions options;
    options.write_reports = false;
    result = reconcile::run_cycle(w.config, *w.store, w.crm, options);
  }
  state.counters["rows_per_s"] =
      benchmark::Counter(kRows, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["created"] = static_cast<double>(result.summary.created);
  state.counters["updated"] = static_cast<double>(result.summary.updated);
  state.counters["api_calls"] = static_cast<double>(result.summary.api_calls);
  state.counters["peak_rss_MB"] = peak_rss_mb();
}
BENCHMARK(BM_FirstCycle100kRows)->Iterations(1)->Unit(benchmark::kMillisecond);

// The plan as the service makes it each cycle; `crmsync plan --json` also renders it (below).
void plan_unchanged(benchmark::State& state, reconcile::CycleOptions::Render render) {
  auto& w = world();
  reconcile::CycleResult result;
  reconcile::CycleOptions options;
  options.apply = false;
  options.render = render;
  for (auto _ : state)
    result = reconcile::run_cycle(w.config, *w.store, w.crm, options);
  state.counters["unchanged"] = static_cast<double>(result.summary.unchanged);
  // The goal is the service's plan; `plan --json` prints every row on top of it.
  if (render == reconcile::CycleOptions::Render::none) state.counters["goal_ms"] = 100;
  if (!result.json.empty())
    state.counters["json_MB"] = static_cast<double>(result.json.size()) / 1e6;
}
void BM_PlanUnchanged100kRowFile(benchmark::State& state) {
  plan_unchanged(state, reconcile::CycleOptions::Render::none);
}
void BM_PlanUnchanged100kRowFileAsJson(benchmark::State& state) {
  plan_unchanged(state, reconcile::CycleOptions::Render::json);
}
BENCHMARK(BM_PlanUnchanged100kRowFile)->Iterations(5)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PlanUnchanged100kRowFileAsJson)->Iterations(5)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
