// The HTTP client against a real server on loopback that fails on cue.
#include "connectors/http/http_client.hpp"

#include <gtest/gtest.h>

#include "core/error.hpp"
#include "tests/support/scripted_http_server.hpp"

namespace crmsync::http {
namespace {

using namespace std::chrono_literals;
using crmsync::testing::ScriptedHttpServer;
using crmsync::testing::ScriptedResponse;

class HttpClientTest : public ::testing::Test {
 protected:
  HttpClient make_client(ClientSettings settings = {}) {
    settings.retry.base_delay = 1ms;
    return HttpClient(settings, [this](std::chrono::milliseconds d) { waits_.push_back(d); });
  }
  ScriptedHttpServer server_;
  std::vector<std::chrono::milliseconds> waits_;
};

TEST_F(HttpClientTest, SendsHeadersAndBodyAndReadsTheResponse) {
  server_.script({{201, {{"Sforce-Limit-Info", "api-usage=5/15000"}}, R"({"id":"003"})"}});
  auto client = make_client();
  const auto response = client.send({"POST",
                                     server_.url("/services/data/v66.0/sobjects/Contact"),
                                     {{"Content-Type", "application/json"}},
                                     R"({"LastName":"X"})",
                                     false});
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.body, R"({"id":"003"})");
  EXPECT_EQ(response.header("sforce-limit-info"), "api-usage=5/15000");
  const auto requests = server_.requests();
  ASSERT_EQ(requests.size(), 1u);
  EXPECT_EQ(requests[0].method, "POST");
  EXPECT_EQ(requests[0].target, "/services/data/v66.0/sobjects/Contact");
  EXPECT_EQ(requests[0].body, R"({"LastName":"X"})");
  EXPECT_EQ(requests[0].header("Content-Type"), "application/json");
  EXPECT_EQ(requests[0].header("Expect"), "");
  EXPECT_NE(requests[0].header("Accept-Encoding"), "");
}

TEST_F(HttpClientTest, ReusesOneConnection) {
  auto client = make_client();
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(client.send({"GET", server_.url("/x"), {}, "", true}).status, 200);
  EXPECT_EQ(server_.connections(), 1);
}

TEST_F(HttpClientTest, RetriesIdempotentRequestsOn503AndHonoursRetryAfter) {
  server_.script({{503, {{"Retry-After", "2"}}, "busy"}, {500, {}, "oops"}, {200, {}, "ok"}});
  auto client = make_client();
  const auto response = client.send({"GET", server_.url("/q"), {}, "", true});
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.attempts, 3);
  ASSERT_EQ(waits_.size(), 2u);
  EXPECT_EQ(waits_[0], 2s);
  EXPECT_EQ(client.stats().requests, 3);
  EXPECT_EQ(client.stats().retries, 2);
}

TEST_F(HttpClientTest, NeverRepeatsANonIdempotentRequestThatReachedTheServer) {
  server_.script({{503, {}, "busy"}, {201, {}, "created twice"}});
  auto client = make_client();
  const auto response = client.send({"POST", server_.url("/create"), {}, "{}", false});
  EXPECT_EQ(response.status, 503);
  EXPECT_EQ(server_.requests().size(), 1u);
}

TEST_F(HttpClientTest, GivesUpAfterMaxAttemptsWithTheLastResponse) {
  server_.set_fallback({429, {}, "slow down"});
  ClientSettings settings;
  settings.retry.max_attempts = 3;
  auto client = make_client(settings);
  const auto response = client.send({"GET", server_.url("/q"), {}, "", true});
  EXPECT_EQ(response.status, 429);
  EXPECT_EQ(server_.requests().size(), 3u);
}

TEST_F(HttpClientTest, DroppedConnectionIsRetriedForIdempotentRequests) {
  ScriptedResponse dropped;
  dropped.drop_connection = true;
  server_.script({dropped, {200, {}, "second try"}});
  auto client = make_client();
  EXPECT_EQ(client.send({"GET", server_.url("/q"), {}, "", true}).body, "second try");
}

TEST_F(HttpClientTest, DroppedConnectionOnACreateIsATransientErrorNotARetry) {
  ScriptedResponse dropped;
  dropped.drop_connection = true;
  server_.script({dropped, {201, {}, "would duplicate"}});
  auto client = make_client();
  try {
    client.send({"POST", server_.url("/create"), {}, "{}", false});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::transient);
  }
  EXPECT_EQ(server_.requests().size(), 1u);
}

TEST_F(HttpClientTest, TimeoutIsTransient) {
  server_.set_fallback({200, {}, "late", 600ms});
  ClientSettings settings;
  settings.request_timeout = 200ms;
  settings.retry.max_attempts = 1;
  auto client = make_client(settings);
  try {
    client.send({"GET", server_.url("/slow"), {}, "", true});
    FAIL() << "expected a timeout";
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::transient);
  }
}

TEST_F(HttpClientTest, RefusedConnectionIsRetriedEvenForCreatesBecauseNothingWasSent) {
  int port = 0;
  {
    ScriptedHttpServer closed;
    port = closed.port();
  }
  ClientSettings settings;
  settings.retry.max_attempts = 2;
  auto client = make_client(settings);
  try {
    client.send({"POST", "http://127.0.0.1:" + std::to_string(port) + "/x", {}, "{}", false});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::transient);
    EXPECT_NE(std::string(e.what()).find("2 attempts"), std::string::npos) << e.what();
  }
  EXPECT_EQ(waits_.size(), 1u);
}

TEST_F(HttpClientTest, TlsHandshakeFailureIsPermanent) {
  // A server that answers a TLS handshake with plain HTTP fails it: never retried.
  server_.set_banner("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
  ClientSettings settings;
  settings.request_timeout = 5s;
  auto client = make_client(settings);
  try {
    client.send({"GET", "https://127.0.0.1:" + std::to_string(server_.port()) + "/", {}, "", true});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::permanent) << e.what();
  }
  EXPECT_TRUE(waits_.empty());
}

// A server that announces a terabyte and sends a few bytes: the client makes room for what it
// announces only up to a bound, so the claim cannot fail an allocation inside libcurl's callback
// (which no exception may cross); the cut body is a transient error like any other.
TEST_F(HttpClientTest, AHugeAnnouncedBodyIsNotReservedAndACutBodyIsAnError) {
  server_.set_banner("HTTP/1.1 200 OK\r\nContent-Length: 1000000000000\r\n\r\nthe start");
  ScriptedResponse dropped;
  dropped.drop_connection = true;
  server_.script({dropped});
  ClientSettings settings;
  settings.retry.max_attempts = 1;
  auto client = make_client(settings);
  try {
    client.send({"GET", server_.url("/results"), {}, "", true});
    FAIL() << "expected an error for the cut body";
  } catch (const Error& e) {
    EXPECT_EQ(e.category(), ErrorCategory::transient) << e.what();
  }
}

TEST_F(HttpClientTest, ErrorMessagesAreRedacted) {
  int port = 0;
  {
    ScriptedHttpServer closed;
    port = closed.port();
  }
  ClientSettings settings;
  settings.retry.max_attempts = 1;
  auto client = make_client(settings);
  try {
    client.send({"GET",
                 "http://127.0.0.1:" + std::to_string(port) + "/t?access_token=SECRETTOKEN1",
                 {},
                 "",
                 true});
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).find("SECRETTOKEN1"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace crmsync::http
