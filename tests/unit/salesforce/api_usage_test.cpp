#include "connectors/salesforce/api_usage.hpp"

#include <gtest/gtest.h>

namespace crmsync::salesforce {
namespace {

TEST(ApiUsage, ParsesEveryShapeTheReferenceShows) {
  auto plain = parse_limit_info("api-usage=18/5000");
  ASSERT_TRUE(plain);
  EXPECT_EQ(plain->used, 18);
  EXPECT_EQ(plain->limit, 5000);
  auto per_app =
      parse_limit_info("api-usage=25/5000; per-app-api-usage=17/250(appName=sample-connected-app)");
  ASSERT_TRUE(per_app);
  EXPECT_EQ(per_app->used, 25);
  auto app_first = parse_limit_info("per-app-api-usage=17/250(appName=x); api-usage=30/5000");
  ASSERT_TRUE(app_first);
  EXPECT_EQ(app_first->used, 30);
  auto burst = parse_limit_info("api-usage=10018/100000; api-bursts=1/750");
  ASSERT_TRUE(burst);
  EXPECT_EQ(burst->used, 10018);
  EXPECT_FALSE(parse_limit_info(""));
  EXPECT_FALSE(parse_limit_info("api-usage=abc"));
  EXPECT_FALSE(parse_limit_info("api-usage=1/0"));
}

TEST(ApiUsage, BudgetIsAShareOfTheAllowance) {
  EXPECT_TRUE(within_budget({49, 100}, 50));
  EXPECT_FALSE(within_budget({50, 100}, 50));
  EXPECT_TRUE(within_budget({99, 100}, 100));
}

}  // namespace
}  // namespace crmsync::salesforce
