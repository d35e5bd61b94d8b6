#include "salesforce/faults.hpp"

#include <simdjson.h>

#include <cctype>
#include <cmath>
#include <cstdlib>
#include <stdexcept>

#include "json/json_writer.hpp"

namespace sandbox::salesforce {
namespace {

constexpr std::string_view kNames[kFaultKinds] = {"500",    "503",   "slow", "reset",
                                                  "revoke", "limit", "lock"};
// The transient call-level kinds "mix" spreads its rate over; the 403 TotalRequests limit is left
// out because a client must not retry it (reference §7.4), so it would end a sync run.
constexpr FaultKind kMixKinds[] = {FaultKind::ServerError, FaultKind::Unavailable, FaultKind::Slow,
                                   FaultKind::Reset, FaultKind::RevokeToken};

// SplitMix64: a counter-based generator, so decision N depends only on the seed and N.
std::uint64_t splitmix64(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

double parse_number(std::string_view name, std::string_view text) {
  const std::string copy(text);
  char* end = nullptr;
  const double value = std::strtod(copy.c_str(), &end);
  if (copy.empty() || end != copy.c_str() + copy.size() || !std::isfinite(value)) {
    throw std::invalid_argument("faults: '" + std::string(name) + "' needs a number, got '" + copy
                                + "'");
  }
  return value;
}

void apply_item(FaultSpec& spec, std::string_view name, double value) {
  if (name == "seed") {
    if (value < 0) throw std::invalid_argument("faults: seed must be >= 0");
    spec.seed = static_cast<std::uint64_t>(value);
    return;
  }
  if (name == "slow_ms") {
    if (value < 0 || value > 600000)
      throw std::invalid_argument("faults: slow_ms must be in 0..600000");
    spec.slow_delay = std::chrono::milliseconds(static_cast<std::int64_t>(value));
    return;
  }
  if (value < 0 || value > 1) {
    throw std::invalid_argument("faults: the rate of '" + std::string(name)
                                + "' must be a fraction in 0..1");
  }
  if (name == "mix") {
    for (const FaultKind kind : kMixKinds)
      spec.rates[static_cast<std::size_t>(kind)] = value / std::size(kMixKinds);
    spec.rates[static_cast<std::size_t>(FaultKind::LockRow)] = value;
    return;
  }
  for (std::size_t kind = 0; kind < kFaultKinds; ++kind) {
    if (kNames[kind] == name) {
      spec.rates[kind] = value;
      return;
    }
  }
  throw std::invalid_argument("faults: unknown item '" + std::string(name)
                              + "'; known: 500, 503, slow, reset, revoke, limit, lock, mix, "
                                "slow_ms, seed");
}

FaultSpec parse_json(std::string_view text) {
  simdjson::dom::parser parser;
  simdjson::dom::object object;
  if (parser.parse(text.data(), text.size()).get_object().get(object) != simdjson::SUCCESS)
    throw std::invalid_argument("faults: the JSON form must be an object");
  FaultSpec spec;
  for (auto [key, element] : object) {
    double value = 0;
    if (element.get_double().get(value) != simdjson::SUCCESS) {
      throw std::invalid_argument("faults: '" + std::string(key) + "' needs a number");
    }
    apply_item(spec, key, value);
  }
  return spec;
}

FaultSpec parse_text(std::string_view text) {
  FaultSpec spec;
  while (!text.empty()) {
    const auto end = text.find_first_of(", \t\n");
    const std::string_view item = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    if (item.empty() || item == "off" || item == "none") continue;
    const auto eq = item.find('=');
    if (eq == std::string_view::npos)
      throw std::invalid_argument("faults: '" + std::string(item) + "' is not NAME=VALUE");
    const std::string_view name = item.substr(0, eq);
    apply_item(spec, name, parse_number(name, item.substr(eq + 1)));
  }
  return spec;
}

}  // namespace

std::string_view fault_name(FaultKind kind) {
  return kNames[static_cast<std::size_t>(kind)];
}

bool FaultSpec::any() const {
  for (const double rate : rates) {
    if (rate > 0) return true;
  }
  return false;
}

FaultSpec parse_fault_spec(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())) != 0)
    text.remove_prefix(1);
  FaultSpec spec = text.starts_with("{") ? parse_json(text) : parse_text(text);
  double call_level = 0;
  for (std::size_t kind = 0; kind < kFaultKinds; ++kind) {
    if (static_cast<FaultKind>(kind) != FaultKind::LockRow) call_level += spec.rates[kind];
  }
  if (call_level > 1.0 + 1e-9)
    throw std::invalid_argument("faults: the call-level rates add up to more than 1");
  return spec;
}

void FaultInjector::configure(const FaultSpec& spec) {
  spec_ = spec;
  counter_ = 0;
  injected_.fill(0);
}

double FaultInjector::next_uniform() {
  const std::uint64_t bits = splitmix64(spec_.seed * 0x100000001B3ULL + counter_++);
  return static_cast<double>(bits >> 11) * 0x1.0p-53;
}

std::optional<FaultKind> FaultInjector::draw_call() {
  if (!spec_.any()) return std::nullopt;
  const double draw = next_uniform();
  double edge = 0;
  for (std::size_t kind = 0; kind < kFaultKinds; ++kind) {
    if (static_cast<FaultKind>(kind) == FaultKind::LockRow) continue;
    edge += spec_.rates[kind];
    if (draw < edge) {
      ++injected_[kind];
      return static_cast<FaultKind>(kind);
    }
  }
  return std::nullopt;
}

bool FaultInjector::draw_lock() {
  const double rate = spec_.rate(FaultKind::LockRow);
  if (rate <= 0) return false;
  if (next_uniform() >= rate) return false;
  ++injected_[static_cast<std::size_t>(FaultKind::LockRow)];
  return true;
}

std::string FaultInjector::to_json() const {
  json::Writer out;
  out.begin_object();
  out.key("spec").begin_object();
  for (std::size_t kind = 0; kind < kFaultKinds; ++kind)
    out.key(kNames[kind]).decimal(spec_.rates[kind]);
  out.field("slow_ms", static_cast<std::int64_t>(spec_.slow_delay.count()));
  out.field("seed", static_cast<std::int64_t>(spec_.seed));
  out.end_object();
  out.key("injected").begin_object();
  for (std::size_t kind = 0; kind < kFaultKinds; ++kind)
    out.field(kNames[kind], static_cast<std::int64_t>(injected_[kind]));
  out.end_object();
  out.end_object();
  return out.take();
}

}  // namespace sandbox::salesforce
