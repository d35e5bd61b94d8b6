// The fault SPEC grammar and the deterministic draw sequence, without a server.
#include <gtest/gtest.h>

#include <stdexcept>

#include "salesforce/faults.hpp"

namespace sandbox::salesforce {
namespace {

TEST(FaultSpec, TextAndJsonFormsAreTheSame) {
  const FaultSpec text = parse_fault_spec("500=0.1, 503=0.05 slow=0.2,slow_ms=250,lock=0.3,seed=4");
  const FaultSpec json =
      parse_fault_spec(R"({"500":0.1,"503":0.05,"slow":0.2,"slow_ms":250,"lock":0.3,"seed":4})");
  EXPECT_EQ(text.rates, json.rates);
  EXPECT_EQ(text.seed, 4U);
  EXPECT_EQ(json.slow_delay.count(), 250);
  EXPECT_DOUBLE_EQ(text.rate(FaultKind::LockRow), 0.3);
}

TEST(FaultSpec, MixSpreadsOverTheTransientKindsAndLaterItemsOverride) {
  const FaultSpec spec = parse_fault_spec("mix=0.1,reset=0");
  EXPECT_DOUBLE_EQ(spec.rate(FaultKind::ServerError), 0.02);
  EXPECT_DOUBLE_EQ(spec.rate(FaultKind::RevokeToken), 0.02);
  EXPECT_DOUBLE_EQ(spec.rate(FaultKind::Reset), 0.0);
  EXPECT_DOUBLE_EQ(spec.rate(FaultKind::RequestLimit), 0.0);
  EXPECT_DOUBLE_EQ(spec.rate(FaultKind::LockRow), 0.1);
  EXPECT_FALSE(parse_fault_spec("off").any());
  EXPECT_FALSE(parse_fault_spec("").any());
}

TEST(FaultSpec, BadSpecsNameTheItem) {
  EXPECT_THROW(parse_fault_spec("500"), std::invalid_argument);
  EXPECT_THROW(parse_fault_spec("500=x"), std::invalid_argument);
  EXPECT_THROW(parse_fault_spec("500=1.5"), std::invalid_argument);
  EXPECT_THROW(parse_fault_spec("500=0.6,503=0.6"), std::invalid_argument);
  EXPECT_THROW(parse_fault_spec(R"({"500":true})"), std::invalid_argument);
  try {
    parse_fault_spec("teapot=0.1");
  } catch (const std::invalid_argument& error) {
    EXPECT_NE(std::string(error.what()).find("teapot"), std::string::npos);
  }
}

TEST(FaultInjector, RatesHoldAndTheSequenceRepeats) {
  FaultInjector injector;
  injector.configure(parse_fault_spec("500=0.25,lock=0.5,seed=42"));
  int errors = 0;
  std::vector<bool> first;
  for (int i = 0; i < 4000; ++i) {
    const auto fault = injector.draw_call();
    first.push_back(fault.has_value());
    errors += fault ? 1 : 0;
  }
  EXPECT_NEAR(errors / 4000.0, 0.25, 0.03);
  injector.configure(parse_fault_spec("500=0.25,lock=0.5,seed=42"));
  for (int i = 0; i < 4000; ++i)
    ASSERT_EQ(injector.draw_call().has_value(), first[static_cast<std::size_t>(i)]);
}

}  // namespace
}  // namespace sandbox::salesforce
