// SalesforceCrm::query_together against a peer that answers a Composite call badly: a reply
// without compositeResponse, or one that leaves a page out, is a clear transient error, never a
// read that silently returns fewer records. A real HTTP server on loopback plays the org.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "connectors/salesforce/salesforce_crm.hpp"
#include "core/error.hpp"
#include "tests/support/scripted_http_server.hpp"

namespace crmsync::salesforce {
namespace {

using crmsync::testing::ScriptedHttpServer;
using crmsync::testing::ScriptedResponse;

class CompositeQuery : public ::testing::Test {
 protected:
  void SetUp() override {
    secret_ = std::filesystem::temp_directory_path()
              / ("crmsync-composite-" + std::to_string(getpid()) + ".secret");
    std::ofstream(secret_) << "test-secret\n";
  }
  void TearDown() override { std::filesystem::remove(secret_); }

  // Two reads: they go out as one Composite call. `composite` answers it, after the token.
  std::string error_for(ScriptedResponse composite) {
    server_.script({{200,
                     {},
                     R"({"access_token":"tok","instance_url":")" + server_.url("")
                         + R"(","token_type":"Bearer"})"},
                    std::move(composite)});
    SalesforceSettings s;
    s.type = "salesforce";
    s.instance_url = server_.url("");
    s.api_version = "66.0";
    s.auth.flow = AuthFlow::client_credentials;
    s.auth.client_id = "crmsync-test";
    s.auth.client_secret = {SecretRef::Kind::file, secret_.string(), {}};
    s.daily_budget_percent = 100;
    SalesforceCrm crm(s, [](std::chrono::milliseconds) {});
    const std::vector<CrmQuery> queries = {{"Contact", {"Id"}, {}, false, {}, {}},
                                           {"Account", {"Id"}, {}, false, {}, {}}};
    try {
      crm.query_together(queries, [](std::size_t, const CrmValues&) {});
    } catch (const Error& e) {
      EXPECT_EQ(e.category(), ErrorCategory::transient) << e.what();
      return e.what();
    }
    return "no error";
  }

  ScriptedHttpServer server_;
  std::filesystem::path secret_;
};

TEST_F(CompositeQuery, AnAnswerWithoutCompositeResponseIsATransientError) {
  EXPECT_NE(error_for({200, {}, R"({"results":[]})"}).find("no compositeResponse"),
            std::string::npos);
}

TEST_F(CompositeQuery, AnAnswerThatLeavesAPageOutIsATransientError) {
  const std::string one_page =
      R"({"compositeResponse":[{"body":{"totalSize":0,"done":true,"records":[]},)"
      R"("httpHeaders":{},"httpStatusCode":200,"referenceId":"page0"}]})";
  EXPECT_NE(error_for({200, {}, one_page}).find("a page's answer is missing"), std::string::npos);
  const auto requests = server_.requests();
  ASSERT_EQ(requests.size(), 2u);
  EXPECT_EQ(requests[1].method, "POST");
  EXPECT_NE(requests[1].target.find("/composite"), std::string::npos);
}

}  // namespace
}  // namespace crmsync::salesforce
