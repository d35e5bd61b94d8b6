// Fault injection: every kind through POST /__sandbox/faults, the --faults flag, determinism by
// seed, and a client that retries through 10% faults ending with exactly the records it wrote.
#include <chrono>

#include "sandbox_fixture.hpp"

namespace sandbox_test {
namespace {

class FaultsTest : public SandboxTest {
 protected:
  void set_faults(const std::string& spec) {
    HttpClient hooks(sandbox_->url());
    const Reply reply = hooks.send("POST", "/__sandbox/faults", spec, {"Content-Type: text/plain"});
    ASSERT_EQ(reply.status, 200) << reply.body;
  }
  Reply limits() { return client_->api("GET", std::string(kData) + "/limits"); }
};

TEST_F(FaultsTest, ServerErrorHasTheRealBodyAndLimitHeader) {
  set_faults("500=1");
  const Reply reply = limits();
  EXPECT_EQ(reply.status, 500);
  EXPECT_EQ(reply.json("/0/errorCode"), "UNKNOWN_EXCEPTION");
  EXPECT_EQ(reply.json("/0/message")
                .rfind("An unexpected error occurred. Please include this "
                       "ErrorId if you contact support: ",
                       0),
            0U);
  EXPECT_EQ(reply.header("sforce-limit-info").rfind("api-usage=", 0), 0U);
  set_faults("off");
  EXPECT_EQ(limits().status, 200);
}

TEST_F(FaultsTest, UnavailableIs503ServerUnavailable) {
  set_faults("503=1");
  const Reply reply = limits();
  EXPECT_EQ(reply.status, 503);
  EXPECT_EQ(reply.json("/0/errorCode"), "SERVER_UNAVAILABLE");
}

TEST_F(FaultsTest, SlowAnswersComeLateButComplete) {
  set_faults("slow=1,slow_ms=300");
  const auto started = std::chrono::steady_clock::now();
  const Reply reply = limits();
  const auto elapsed = std::chrono::steady_clock::now() - started;
  EXPECT_EQ(reply.status, 200);
  EXPECT_GE(elapsed, std::chrono::milliseconds(300));
  EXPECT_EQ(reply.json("/DailyApiRequests/Max"), "100000");
}

TEST_F(FaultsTest, ResetDropsTheConnectionAndTheServerKeepsServing) {
  set_faults("reset=1");
  const Reply reply = limits();
  EXPECT_TRUE(reply.failed);
  set_faults("");
  EXPECT_EQ(limits().status, 200);
}

TEST_F(FaultsTest, RevokedTokenAnswersTheNextCallWithInvalidSession) {
  set_faults("revoke=1");
  EXPECT_EQ(limits().status, 200);
  set_faults("off");
  const Reply reply = limits();
  EXPECT_EQ(reply.status, 401);
  EXPECT_EQ(reply.body,
            R"([{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}])");
  client_->set_token(fetch_token());
  EXPECT_EQ(limits().status, 200);
}

TEST_F(FaultsTest, RequestLimitIs403WithTheRealBody) {
  set_faults("limit=1");
  const Reply reply = limits();
  EXPECT_EQ(reply.status, 403);
  EXPECT_EQ(
      reply.body,
      R"([{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}])");
}

TEST_F(FaultsTest, LockFailsSomeRecordsOfACollectionWithTheRealItemError) {
  set_faults("lock=0.5,seed=3");
  std::string body = R"({"allOrNone":false,"records":[)";
  for (int i = 0; i < 40; ++i) {
    body += std::string(i == 0 ? "" : ",") + R"({"attributes":{"type":"Contact"},"LastName":"Lock)"
            + std::to_string(i) + R"("})";
  }
  body += "]}";
  const Reply reply = client_->api("POST", std::string(kData) + "/composite/sobjects", body);
  ASSERT_EQ(reply.status, 200) << reply.body;
  int locked = 0;
  for (int i = 0; i < 40; ++i) {
    const std::string item = "/" + std::to_string(i);
    if (reply.json(item + "/success") == "true") continue;
    ++locked;
    EXPECT_EQ(reply.json(item + "/errors/0/statusCode"), "UNABLE_TO_LOCK_ROW");
    EXPECT_EQ(reply.json(item + "/errors/0/message")
                  .rfind("unable to obtain exclusive access to this record or 1 records: 005", 0),
              0U);
    EXPECT_EQ(reply.json(item + "/errors/0/fields"), "[]");
  }
  EXPECT_GT(locked, 5);
  EXPECT_LT(locked, 35);
  EXPECT_EQ(query("SELECT COUNT() FROM Contact WHERE LastName LIKE 'Lock%'").json("/totalSize"),
            std::to_string(40 - locked));
}

TEST_F(FaultsTest, TheSameSeedGivesTheSameFaults) {
  const auto statuses = [this] {
    set_faults(R"({"500":0.2,"503":0.2,"limit":0.2,"seed":11})");
    std::string seen;
    for (int i = 0; i < 30; ++i)
      seen += std::to_string(limits().status) + " ";
    return seen;
  };
  const std::string first = statuses();
  EXPECT_EQ(first, statuses());
  EXPECT_NE(first.find("500"), std::string::npos);
  EXPECT_NE(first.find("200"), std::string::npos);
}

TEST_F(FaultsTest, BadSpecsAreRefusedAndTheHookReportsCounts) {
  HttpClient hooks(sandbox_->url());
  EXPECT_EQ(hooks.send("POST", "/__sandbox/faults", "500=2").status, 400);
  EXPECT_EQ(hooks.send("POST", "/__sandbox/faults", "teapot=0.1").status, 400);
  EXPECT_EQ(hooks.send("POST", "/__sandbox/faults", "500=0.6,503=0.6").status, 400);
  EXPECT_EQ(hooks.send("POST", "/__sandbox/faults", R"({"500":"x"})").status, 400);
  set_faults("503=1");
  (void)limits();
  const Reply state = hooks.send("GET", "/__sandbox/faults");
  EXPECT_EQ(state.json("/spec/503"), "1.0");
  EXPECT_EQ(state.json("/injected/503"), "1");
}

// A client that retries transient faults (re-authenticating on 401, resubmitting locked rows)
// ends with exactly the records it meant to write: no call half-applies.
TEST_F(FaultsTest, ARetryingClientGetsEverythingThroughTenPercentFaults) {
  set_faults("mix=0.1,slow_ms=20,seed=5");
  std::vector<std::string> pending;
  for (int i = 0; i < 300; ++i)
    pending.push_back("Robust" + std::to_string(i));
  int attempts = 0;
  while (!pending.empty() && attempts++ < 200) {
    const std::size_t count = std::min<std::size_t>(pending.size(), 25);
    std::string body = R"({"records":[)";
    for (std::size_t i = 0; i < count; ++i) {
      body += std::string(i == 0 ? "" : ",") + R"({"attributes":{"type":"Contact"},"LastName":")"
              + pending[i] + R"("})";
    }
    body += "]}";
    const Reply reply = client_->api("POST", std::string(kData) + "/composite/sobjects", body);
    if (reply.status == 401) client_->set_token(fetch_token());
    if (reply.status != 200) continue;
    std::vector<std::string> left;
    for (std::size_t i = 0; i < count; ++i) {
      if (reply.json("/" + std::to_string(i) + "/success") != "true") {
        EXPECT_EQ(reply.json("/" + std::to_string(i) + "/errors/0/statusCode"),
                  "UNABLE_TO_LOCK_ROW");
        left.push_back(pending[i]);
      }
    }
    left.insert(left.end(), pending.begin() + static_cast<std::ptrdiff_t>(count), pending.end());
    pending = std::move(left);
  }
  EXPECT_TRUE(pending.empty());
  HttpClient hooks(sandbox_->url());
  const Reply injected = hooks.send("GET", "/__sandbox/faults");
  EXPECT_NE(injected.json("/injected/lock"), "0") << injected.body;
  int call_level = 0;
  for (const char* kind : {"500", "503", "slow", "reset", "revoke"})
    call_level += std::stoi(injected.json(std::string("/injected/") + kind));
  EXPECT_GT(call_level, 0) << injected.body;
  set_faults("off");
  EXPECT_EQ(query("SELECT COUNT() FROM Contact WHERE LastName LIKE 'Robust%'").json("/totalSize"),
            "300");
}

class FaultsFlagTest : public SandboxTest {
 protected:
  std::vector<std::string> extra_args() override {
    return {"--seed", seed_dir(), "--faults", "limit=1,seed=9"};
  }
};

TEST_F(FaultsFlagTest, TheCommandLineSpecAppliesFromTheStart) {
  EXPECT_EQ(client_->api("GET", std::string(kData) + "/limits").status, 403);
  HttpClient hooks(sandbox_->url());
  EXPECT_EQ(hooks.send("GET", "/__sandbox/faults").json("/spec/seed"), "9");
  // The token endpoint and the hooks are never faulted.
  EXPECT_FALSE(fetch_token().empty());
  EXPECT_EQ(hooks.send("GET", "/__sandbox/stats").status, 200);
}

}  // namespace
}  // namespace sandbox_test
