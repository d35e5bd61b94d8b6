// Matching at scale: a 1,000,000-contact index and 100,000 incoming rows (a third exact email
// hits, a third fuzzy with typos and nicknames, a third strangers). Goal (issue 7): match the
// 100k rows in <= 2 s on one core, index <= 300 MB.
#include <benchmark/benchmark.h>
#include <sys/resource.h>

#include <array>
#include <random>
#include <string>

#include "daemon/reconcile/index/crm_index.hpp"
#include "daemon/reconcile/match/matcher.hpp"

namespace {

using namespace crmsync::reconcile;

constexpr std::array<const char*, 24> kFirst{
    "robert", "maria", "john",    "anna",  "james",   "linda",     "michael", "sarah",
    "david",  "laura", "william", "emma",  "richard", "olivia",    "joseph",  "sophia",
    "thomas", "chloe", "daniel",  "grace", "matthew", "elizabeth", "andrew",  "julia"};
constexpr std::array<const char*, 16> kNick{"bob",  "maria",  "jack", "anna",  "jim",  "linda",
                                            "mike", "sarah",  "dave", "laura", "bill", "emma",
                                            "rick", "olivia", "joe",  "sophia"};

std::string last_name(std::uint32_t n) {
  static constexpr std::array<const char*, 20> kSyllables{
      "ka",  "lo",  "ren", "mi", "sto", "va",  "ne",  "gor", "li", "ber",
      "tan", "sil", "do",  "ma", "rus", "che", "vin", "pa",  "ko", "zel"};
  std::string out;
  for (int i = 0; i < 4; ++i) {
    out += kSyllables[n % kSyllables.size()];
    n /= static_cast<std::uint32_t>(kSyllables.size());
  }
  return out;
}

IndexedRecord make_contact(std::uint32_t i) {
  IndexedRecord r;
  r.id = "003" + std::to_string(1000000000 + i);
  r.owner_id = "0055g000005h8oOAAQ";
  r.modstamp = "2026-01-01T00:00:00.000Z";
  r.keys.first = kFirst[i % kFirst.size()];
  r.keys.last = last_name(i / 7);
  r.keys.company_key = "company" + std::to_string(i % 20000);
  r.keys.email_domain = r.keys.company_key + ".example";
  r.keys.email = r.keys.first + "." + r.keys.last + std::to_string(i) + "@" + r.keys.email_domain;
  r.keys.phones.push_back("+1415" + std::to_string(1000000 + i));
  return r;
}

const CrmIndex& million_index() {
  static const CrmIndex index = [] {
    CrmIndex built;
    for (std::uint32_t i = 0; i < 1'000'000; ++i)
      built.add(make_contact(i));
    built.freeze();
    return built;
  }();
  return index;
}

std::vector<PersonKeys> incoming_rows() {
  std::vector<PersonKeys> rows;
  std::mt19937 random(42);
  for (std::uint32_t n = 0; n < 100'000; ++n) {
    const std::uint32_t i = random() % 1'000'000;
    auto keys = make_contact(i).keys;
    switch (n % 3) {
      case 0:
        break;  // exact email
      case 1:   // fuzzy: no email or phone, nickname, one-letter typo
        keys.email.clear();
        keys.phones.clear();
        if (i % kFirst.size() < kNick.size()) keys.first = kNick[i % kFirst.size()];
        keys.last[keys.last.size() / 2] = 'x';
        break;
      default:  // a stranger
        keys = make_contact(2'000'000 + n).keys;
        keys.email = "new" + std::to_string(n) + "@nowhere.example";
        keys.phones = {"+1999" + std::to_string(1000000 + n)};
        break;
    }
    rows.push_back(std::move(keys));
  }
  return rows;
}

void BM_BuildIndex1M(benchmark::State& state) {
  for (auto _ : state) {
    CrmIndex index;
    for (std::uint32_t i = 0; i < 1'000'000; ++i)
      index.add(make_contact(i));
    index.freeze();
    state.counters["index_MB"] = static_cast<double>(index.memory_bytes()) / 1e6;
  }
  state.SetItemsProcessed(state.iterations() * 1'000'000);
}
BENCHMARK(BM_BuildIndex1M)->Unit(benchmark::kMillisecond)->Iterations(1);

void BM_Match100kAgainst1M(benchmark::State& state) {
  const auto& index = million_index();
  const auto rows = incoming_rows();
  const Matcher matcher(index, {});
  std::size_t matched = 0, review = 0, none = 0;
  for (auto _ : state) {
    matched = review = none = 0;
    for (const auto& row : rows) {
      const auto decision = matcher.match(row, std::nullopt);
      if (decision.kind == MatchKind::review)
        ++review;
      else if (decision.kind == MatchKind::none)
        ++none;
      else
        ++matched;
    }
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(rows.size()));
  state.counters["matched"] = static_cast<double>(matched);
  state.counters["review"] = static_cast<double>(review);
  state.counters["new"] = static_cast<double>(none);
  state.counters["index_MB"] = static_cast<double>(index.memory_bytes()) / 1e6;
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  state.counters["peak_RSS_MB"] = static_cast<double>(usage.ru_maxrss) / 1024.0;
}
BENCHMARK(BM_Match100kAgainst1M)->Unit(benchmark::kMillisecond)->Iterations(1);

}  // namespace

BENCHMARK_MAIN();
