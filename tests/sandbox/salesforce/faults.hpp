// Fault injection for the sandbox's data API (--faults SPEC, POST /__sandbox/faults): error
// responses, slow answers, dropped connections, revoked tokens, the daily limit and per-record
// row locks, each at its own rate. Deterministic: every decision comes from a counter-based
// generator seeded by the spec, so one client making the same calls sees the same faults.
#pragma once

#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace sandbox::salesforce {

enum class FaultKind {
  ServerError,   // 500 UNKNOWN_EXCEPTION
  Unavailable,   // 503 SERVER_UNAVAILABLE
  Slow,          // the answer is delayed by slow_ms
  Reset,         // the connection is dropped without an answer
  RevokeToken,   // the session is revoked: 401 INVALID_SESSION_ID
  RequestLimit,  // 403 REQUEST_LIMIT_EXCEEDED
  LockRow,       // per record of a collection or Bulk job: UNABLE_TO_LOCK_ROW
};
constexpr std::size_t kFaultKinds = 7;

// The SPEC name of each kind ("500", "503", "slow", "reset", "revoke", "limit", "lock").
std::string_view fault_name(FaultKind kind);

struct FaultSpec {
  std::array<double, kFaultKinds> rates{};  // fractions in [0, 1]
  std::uint64_t seed = 1;
  std::chrono::milliseconds slow_delay{1000};

  [[nodiscard]] double rate(FaultKind kind) const { return rates[static_cast<std::size_t>(kind)]; }
  [[nodiscard]] bool any() const;
};

// Parses the text form ("500=0.05,503=0.05,slow=0.1,slow_ms=300,seed=7", "mix=0.1", "off") or
// the JSON form ({"500":0.05,"slow":0.1,"slow_ms":300,"seed":7}). Throws std::invalid_argument
// naming the bad item. README.md, "Fault injection", is the reference.
FaultSpec parse_fault_spec(std::string_view text);

class FaultInjector {
 public:
  // Replaces the spec and restarts the decision sequence and the counters.
  void configure(const FaultSpec& spec);
  [[nodiscard]] const FaultSpec& spec() const { return spec_; }

  // The call-level fault for the next data call, if any (at most one per call).
  std::optional<FaultKind> draw_call();
  // Whether the next record of a collection or Bulk job fails with UNABLE_TO_LOCK_ROW.
  bool draw_lock();

  // {"spec":{...},"injected":{"500":N,...}} for GET /__sandbox/faults.
  [[nodiscard]] std::string to_json() const;

 private:
  double next_uniform();

  FaultSpec spec_;
  std::uint64_t counter_ = 0;
  std::array<std::uint64_t, kFaultKinds> injected_{};
};

}  // namespace sandbox::salesforce
