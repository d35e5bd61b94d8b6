// bench_mappings: rows per second through the rep-contacts preset, compiled against a European
// CSV header like bob.smith's leads_export.csv — without phone columns (the mapping language's
// own cost; target >= 1,000,000 rows/s per core) and with them (libphonenumber behind the
// per-input cache; the hit rate is reported as a counter).
#include <benchmark/benchmark.h>

#include <filesystem>
#include <random>

#include "mappings/compiled_mapping.hpp"
#include "mappings/mapping_loader.hpp"

namespace {

using crmsync::Cell;
using crmsync::CellKind;
using crmsync::Header;
using crmsync::Record;
using namespace crmsync::mappings;

const Mapping& rep_contacts() {
  static const Mapping mapping = [] {
    crmsync::Diagnostics diags;
    auto loaded = load_mapping(
        std::filesystem::path(CRMSYNC_SOURCE_DIR) / "config/mappings/rep-contacts.yaml", diags);
    if (!loaded) throw std::runtime_error(diags.render());
    return *loaded;
  }();
  return mapping;
}

Cell text(std::string value) {
  return {CellKind::text, std::move(value), 0};
}

// Rows shaped like the inbox's: mixed case, stray spaces, accents, company suffixes.
// Phones: how the rows write their numbers.
enum class Phones { none, north_american, international };

std::vector<Record> make_rows(const std::shared_ptr<Header>& header, Phones phones,
                              std::size_t distinct_phones) {
  static const char* kFirst[] = {"LARS", "Björn", "Siobhan", " Priya", "José", "omar"};
  static const char* kLast[] = {"Petrov",   "Van der Berg", "García",
                                "MCDONALD", "Østergaard",   "Lee"};
  static const char* kCompany[] = {"Johnson Rice Inc.", "BROWN-ROMERO LTD", "Murray, Inc.",
                                   "Müller GmbH",       "Walker Burton",    "Lowe Corp"};
  std::vector<Record> rows;
  std::mt19937 random(42);
  for (std::size_t i = 0; i < 4096; ++i) {
    Record record;
    record.header = header;
    record.from.owner = "bob.smith@acme.example";
    record.from.row = static_cast<std::uint32_t>(i + 2);
    const auto n = random();
    record.cells = {text(kFirst[n % 6]), text(kLast[(n / 6) % 6]),
                    text(" Person" + std::to_string(n % 997) + "@Example.COM ")};
    if (phones != Phones::none) {
      const auto digits = std::to_string(2000000000ULL + (n % distinct_phones) * 7919ULL);
      // North American numbers take the transform's shortcut; others go to libphonenumber
      // (and its cache).
      record.cells.push_back(
          text(phones == Phones::north_american
                   ? "(" + digits.substr(0, 3) + ") " + digits.substr(3, 3) + "-" + digits.substr(6)
                   : "+44 20 " + digits.substr(2, 4) + " " + digits.substr(6)));
      record.cells.push_back(text(i % 3 ? "" : "+1 856 725 5898"));
    }
    record.cells.push_back(text(kCompany[(n / 36) % 6]));
    record.cells.push_back(text("Project Engineer"));
    record.cells.push_back(text(i % 4 ? "" : "Referral from partner"));
    rows.push_back(std::move(record));
  }
  return rows;
}

void run(benchmark::State& state, Phones phones) {
  auto header = std::make_shared<Header>();
  header->columns =
      phones != Phones::none
          ? std::vector<std::string>{"First Name", "Last Name", "E-mail",   "Telephone",
                                     "Cell",       "Company",   "Position", "Notes"}
          : std::vector<std::string>{"First Name", "Last Name", "E-mail",
                                     "Company",    "Position",  "Notes"};
  const auto rows = make_rows(header, phones, static_cast<std::size_t>(state.range(0)));
  CompiledMapping compiled(rep_contacts(), *header);
  MappedRow out;
  std::size_t index = 0;
  for (auto _ : state) {
    compiled.map(rows[index++ & 4095], out);
    benchmark::DoNotOptimize(out.records.data());
  }
  state.SetItemsProcessed(state.iterations());
  if (phones != Phones::none) {
    const auto stats = compiled.phone_cache_stats();
    const auto total = stats.plain + stats.hits + stats.misses;
    const auto share = [&](std::uint64_t n) {
      return total == 0 ? 0.0 : static_cast<double>(n) / static_cast<double>(total);
    };
    state.counters["phone_plain_share"] = share(stats.plain);
    state.counters["phone_cache_hit_rate"] = share(stats.hits);
  }
}

void BM_RepContactsWithoutPhones(benchmark::State& state) {
  run(state, Phones::none);
}
void BM_RepContactsWithPhones(benchmark::State& state) {
  run(state, Phones::north_american);
}
void BM_RepContactsWithInternationalPhones(benchmark::State& state) {
  run(state, Phones::international);
}

BENCHMARK(BM_RepContactsWithoutPhones)->Arg(0);
// Arg: distinct phone numbers among the rows (reps repeat numbers across rows and files).
BENCHMARK(BM_RepContactsWithPhones)->Arg(100)->Arg(4096);
BENCHMARK(BM_RepContactsWithInternationalPhones)->Arg(100)->Arg(4096);

}  // namespace

BENCHMARK_MAIN();
