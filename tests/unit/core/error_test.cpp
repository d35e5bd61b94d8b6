#include "core/error.hpp"

#include <gtest/gtest.h>

namespace crmsync {
namespace {

TEST(Error, CategoryDecidesRetryAndExitCode) {
  EXPECT_TRUE(Error(ErrorCategory::transient, "503").retryable());
  EXPECT_FALSE(Error(ErrorCategory::auth, "invalid_grant").retryable());
  EXPECT_EQ(exit_code_for(ErrorCategory::config), 78);
  EXPECT_EQ(exit_code_for(ErrorCategory::auth), 77);
  EXPECT_EQ(exit_code_for(ErrorCategory::transient), 75);
  EXPECT_EQ(to_string(ErrorCategory::permanent), "permanent");
}

}  // namespace
}  // namespace crmsync
