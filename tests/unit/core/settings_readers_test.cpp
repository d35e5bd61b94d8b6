#include <gtest/gtest.h>

#include "core/settings/spec.hpp"
#include "core/yaml/strict_yaml.hpp"

namespace crmsync::settings {
namespace {

using namespace std::chrono_literals;

TEST(Duration, ParsesUnitsAndRefusesNonsense) {
  EXPECT_EQ(parse_duration_text("250ms"), 250ms);
  EXPECT_EQ(parse_duration_text("30s"), 30s);
  EXPECT_EQ(parse_duration_text("30"), 30s);
  EXPECT_EQ(parse_duration_text("5m"), 5min);
  EXPECT_EQ(parse_duration_text("2h"), 2h);
  EXPECT_EQ(parse_duration_text("1d"), 24h);
  EXPECT_FALSE(parse_duration_text("5 minutes"));
  EXPECT_FALSE(parse_duration_text("-1s"));
  EXPECT_FALSE(parse_duration_text("99999999999999999d"));
  EXPECT_EQ(format_duration(300s), "5m");
  EXPECT_EQ(format_duration(1500ms), "1500ms");
}

TEST(HostPort, AcceptsAddressesAndKnowsLoopback) {
  auto v4 = parse_host_port("127.0.0.1:9464");
  ASSERT_TRUE(v4);
  EXPECT_TRUE(v4->is_loopback());
  auto v6 = parse_host_port("[::1]:80");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->text(), "[::1]:80");
  EXPECT_FALSE(parse_host_port("0.0.0.0:1")->is_loopback());
  EXPECT_FALSE(parse_host_port("localhost"));
  EXPECT_FALSE(parse_host_port("example.com:80"));
  EXPECT_FALSE(parse_host_port("127.0.0.1:70000"));
}

TEST(Url, HttpsOnlyExceptLoopback) {
  EXPECT_EQ(url_problem("https://acme.my.salesforce.com"), "");
  EXPECT_EQ(url_problem("http://127.0.0.1:8080"), "");
  EXPECT_EQ(url_problem("http://[::1]:8080/x"), "");
  EXPECT_NE(url_problem("http://acme.example"), "");
  EXPECT_NE(url_problem("ftp://x"), "");
  EXPECT_NE(url_problem("https://"), "");
}

struct Sample {
  std::int64_t count = 0;
  std::vector<std::string> names;
  SecretRef token;
};

const Spec<Sample>& sample_spec() {
  static const Spec<Sample> spec{"sample",
                                 "a sample",
                                 {integer_option("count", &Sample::count, "how many", 3, {1, 10}),
                                  string_list_option("names", &Sample::names, "names"),
                                  secret_option("token", &Sample::token, "a token")}};
  return spec;
}

TEST(Spec, AppliesDefaultsParsesAndReportsUnknownKeys) {
  Diagnostics diags;
  auto root = load_strict_yaml("s.yaml", "names: one\ncout: 4\n", diags);
  ASSERT_TRUE(root);
  ParseContext ctx(diags, "s.yaml");
  Sample sample;
  sample_spec().parse(*root, sample, ctx);
  EXPECT_EQ(sample.count, 3);
  EXPECT_EQ(sample.names, std::vector<std::string>{"one"});
  ASSERT_EQ(diags.error_count(), 1u);
  EXPECT_EQ(diags.all()[0].message, "unknown setting 'cout' in sample");
  EXPECT_EQ(diags.all()[0].help, "did you mean 'count'?");
}

TEST(Spec, SecretReferencesParse) {
  for (const auto& [text, kind, name] :
       std::vector<std::tuple<std::string, SecretRef::Kind, std::string>>{
           {"token: { file: /etc/x }", SecretRef::Kind::file, "/etc/x"},
           {"token: { credential: sf.key }", SecretRef::Kind::credential, "sf.key"},
           {"token: { env: TOKEN }", SecretRef::Kind::env, "TOKEN"}}) {
    Diagnostics diags;
    auto root = load_strict_yaml("s.yaml", text, diags);
    ParseContext ctx(diags, "s.yaml");
    Sample sample;
    sample_spec().parse(*root, sample, ctx);
    EXPECT_FALSE(diags.has_errors()) << diags.render();
    EXPECT_EQ(sample.token.kind, kind);
    EXPECT_EQ(sample.token.name, name);
  }
}

TEST(Spec, SecretLiteralIsRefusedWithoutEchoingIt) {
  Diagnostics diags;
  auto root = load_strict_yaml("s.yaml", "token: sup3r-s3cret-value\n", diags);
  ParseContext ctx(diags, "s.yaml");
  Sample sample;
  sample_spec().parse(*root, sample, ctx);
  ASSERT_EQ(diags.error_count(), 1u);
  EXPECT_EQ(diags.render().find("sup3r"), std::string::npos) << diags.render();
  EXPECT_TRUE(sample.token.empty());
}

}  // namespace
}  // namespace crmsync::settings
