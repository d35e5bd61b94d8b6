// The process contract: readiness line, versions, unknown paths, persistence across restarts,
// reset, --write-config, bad input that must not crash the server.
#include <fstream>
#include <sstream>

#include "sandbox_fixture.hpp"

namespace sandbox_test {
namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

class ServerTest : public SandboxTest {};

TEST_F(ServerTest, PrintsListeningLineWithLoopbackUrl) {
  EXPECT_EQ(sandbox_->url().rfind("http://127.0.0.1:", 0), 0U) << sandbox_->url();
  EXPECT_NE(sandbox_->url(), "http://127.0.0.1:0");
}

TEST_F(ServerTest, VersionsNeedNoAuthAndCarryNoLimitHeader) {
  HttpClient anonymous(sandbox_->url());
  const Reply reply = anonymous.send("GET", "/services/data/");
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.header("content-type"), "application/json;charset=UTF-8");
  EXPECT_EQ(reply.header("sforce-limit-info"), "");
  const std::size_t count = reply.json_size("");
  ASSERT_GT(count, 1U);
  const std::string last = "/" + std::to_string(count - 1);
  EXPECT_EQ(reply.json(last + "/version"), "66.0");
  EXPECT_EQ(reply.json(last + "/label"), "Spring '26");
  EXPECT_EQ(reply.json(last + "/url"), "/services/data/v66.0");
}

TEST_F(ServerTest, RetiredVersionIsGoneAndUnknownPathIsNotFound) {
  EXPECT_EQ(client_->api("GET", "/services/data/v20.0/limits").status, 410);
  const Reply unknown = client_->api("GET", std::string(kData) + "/nothing-here");
  EXPECT_EQ(unknown.status, 404);
  EXPECT_EQ(unknown.json("/0/errorCode"), "NOT_FOUND");
  EXPECT_EQ(unknown.json("/0/message"), "The requested resource does not exist");
}

TEST_F(ServerTest, ResourceListNamesTheVersionedResources) {
  const Reply reply = client_->api("GET", std::string(kData) + "/");
  ASSERT_EQ(reply.status, 200);
  EXPECT_EQ(reply.json("/sobjects"), "/services/data/v66.0/sobjects");
  EXPECT_EQ(reply.json("/query"), "/services/data/v66.0/query");
}

TEST_F(ServerTest, RecordsSurviveARestart) {
  const Reply created = client_->api("POST", std::string(kData) + "/sobjects/Contact",
                                     R"({"LastName":"Persistent","Email":"p@example.com"})");
  ASSERT_EQ(created.status, 201) << created.body;
  const std::string id = created.json("/id");
  EXPECT_EQ(sandbox_->stop(), 0);
  sandbox_ = std::make_unique<SandboxProcess>(dir_, std::vector<std::string>{"--seed", seed_dir()});
  ASSERT_TRUE(sandbox_->started()) << sandbox_->startup_output();
  client_ = std::make_unique<HttpClient>(sandbox_->url());
  client_->set_token(fetch_token());
  const Reply read = client_->api("GET", std::string(kData) + "/sobjects/Contact/" + id);
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(read.json("/LastName"), "Persistent");
  // Seeding again after the restart must not duplicate the seed rows.
  EXPECT_EQ(query("SELECT COUNT() FROM Contact").json("/totalSize"), "201");
}

TEST_F(ServerTest, ResetRestoresTheSeed) {
  ASSERT_EQ(
      client_->api("POST", std::string(kData) + "/sobjects/Account", R"({"Name":"Temporary"})")
          .status,
      201);
  EXPECT_EQ(query("SELECT COUNT() FROM Account").json("/totalSize"), "51");
  HttpClient hooks(sandbox_->url());
  const Reply reset = hooks.send("POST", "/__sandbox/reset");
  ASSERT_EQ(reset.status, 200);
  EXPECT_EQ(query("SELECT COUNT() FROM Account").json("/totalSize"), "50");
}

TEST_F(ServerTest, StatsCountCallsByKind) {
  query("SELECT Id FROM Contact LIMIT 1");
  client_->api("GET", std::string(kData) + "/sobjects/Contact/describe");
  HttpClient hooks(sandbox_->url());
  const Reply stats = hooks.send("GET", "/__sandbox/stats");
  ASSERT_EQ(stats.status, 200);
  EXPECT_EQ(stats.json("/calls/token"), "1");
  EXPECT_EQ(stats.json("/calls/query"), "1");
  EXPECT_EQ(stats.json("/calls/describe"), "1");
  EXPECT_EQ(stats.json("/calls/collections"), "0");
  EXPECT_EQ(stats.json("/apiUsage"), "2");
}

TEST_F(ServerTest, ExportListsEveryLiveRecord) {
  HttpClient hooks(sandbox_->url());
  const Reply users = hooks.send("GET", "/__sandbox/export/User");
  ASSERT_EQ(users.status, 200);
  // 8 seed users + the integration user the client-credentials flow runs as.
  EXPECT_EQ(users.json_size(""), 9U);
  EXPECT_EQ(users.json("/0/attributes/type"), "User");
  EXPECT_EQ(hooks.send("GET", "/__sandbox/export/Nope").status, 404);
}

TEST_F(ServerTest, MalformedRequestsGetErrorsAndTheServerKeepsServing) {
  const std::string contacts = std::string(kData) + "/sobjects/Contact";
  const Reply bad_json = client_->api("POST", contacts, R"({"LastName": )");
  EXPECT_EQ(bad_json.status, 400);
  EXPECT_EQ(bad_json.json("/0/errorCode"), "JSON_PARSER_ERROR");
  const Reply wrong_type =
      client_->api("POST", contacts, "LastName=x", {"Content-Type: text/plain"});
  EXPECT_EQ(wrong_type.status, 415);
  const Reply array_body = client_->api("POST", contacts, "[1,2]");
  EXPECT_EQ(array_body.status, 400);
  EXPECT_EQ(array_body.json("/0/errorCode"), "JSON_PARSER_ERROR");
  const Reply bad_escape = client_->api("GET", std::string(kData) + "/sobjects/Contact/%zz");
  EXPECT_EQ(bad_escape.status, 400);
  EXPECT_EQ(query("SELECT COUNT() FROM Contact").json("/totalSize"), "200");
}

class WriteConfigTest : public SandboxTest {
 protected:
  std::vector<std::string> extra_args() override {
    config_ = dir_ / "demo" / "crmsync.yaml";
    inbox_ = dir_ / "inbox";
    return {"--write-config", config_.string(), "--inbox",
            inbox_.string(),  "--mappings-dir", "/opt/mappings"};
  }
  std::filesystem::path config_;
  std::filesystem::path inbox_;
};

TEST_F(WriteConfigTest, WritesConfigAndSecretBesideIt) {
  const std::string yaml = read_file(config_);
  EXPECT_NE(yaml.find("state_dir: \"" + (dir_ / "demo" / "state").string() + "\""),
            std::string::npos)
      << yaml;
  EXPECT_NE(yaml.find("  instance_url: " + sandbox_->url() + "\n"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("  api_version: \"66.0\"\n"), std::string::npos);
  EXPECT_NE(yaml.find("client_secret: { file: sandbox.secret }"), std::string::npos);
  EXPECT_NE(yaml.find("    path: \"" + inbox_.string() + "\""), std::string::npos);
  EXPECT_NE(yaml.find("mappings_dir: \"/opt/mappings\""), std::string::npos);
  EXPECT_EQ(yaml.find("sandbox-secret"), std::string::npos) << "the secret must not be inline";
  EXPECT_EQ(read_file(dir_ / "demo" / "sandbox.secret"), "sandbox-secret\n");
}

}  // namespace
}  // namespace sandbox_test
