// The shared state of one emulated Salesforce org: schema, records, sessions, usage counters and
// open query cursors. Every request handler gets the Org with its mutex held.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "salesforce/bulk_jobs.hpp"
#include "salesforce/duplicate_rule.hpp"
#include "salesforce/faults.hpp"
#include "salesforce/record_store.hpp"
#include "salesforce/soql_executor.hpp"

namespace sandbox::salesforce {

struct OrgOptions {
  std::string state_dir;
  std::string instance_url;              // http://127.0.0.1:PORT, known once the server is bound
  std::chrono::seconds token_ttl{7200};  // Salesforce's default session timeout (2 h)
  std::int64_t daily_limit = 100000;
  std::string jwt_certificate_file;  // PEM certificate of the JWT bearer flow's connected app
};

struct Session {
  std::chrono::steady_clock::time_point expires;
  std::string user_id;
};

struct QueryCursor {
  std::shared_ptr<const soql::PreparedQuery> query;
  std::vector<std::string> ids;  // the full result, paged through by offset
  std::size_t batch_size = 2000;
  bool include_deleted = false;
};

// API calls by kind, for /__sandbox/stats.
enum class CallKind { Token, Describe, Query, Sobject, Collections, Composite, Bulk, Other };
constexpr std::size_t kCallKinds = 8;
const char* call_kind_name(CallKind kind);

struct Org {
  Org(Schema schema_in, OrgOptions options_in);

  OrgOptions options;
  Schema schema;
  RecordStore store;
  std::mutex mutex;

  std::map<std::string, Session> sessions;            // access token -> session
  std::map<std::string, std::string> refresh_tokens;  // refresh token -> user id
  std::map<std::string, QueryCursor> cursors;         // locator id -> cursor
  std::map<std::string, IngestJob> ingest_jobs;       // Bulk 2.0 job id -> job
  std::map<std::string, QueryJob> query_jobs;
  FaultInjector faults;
  DuplicateRule duplicate_rule;
  std::uint64_t next_secret = 1;
  std::int64_t api_usage = 0;
  std::uint64_t calls[kCallKinds] = {};

  // The "run as" user of the client-credentials flow; created on first start.
  std::string integration_user_id;

  // An opaque unique token body (not guessable across runs: mixes in a random seed).
  std::string new_secret(std::size_t length);
  std::string org_id() const { return "00DSB0000000001"; }
  void ensure_integration_user();
  void reset();
};

}  // namespace sandbox::salesforce
