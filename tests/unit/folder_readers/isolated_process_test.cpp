// The child-process runner that contains libfreexl: output, crashes, deadlines and the output cap
// each end the way the caller can tell apart, and the parent never waits past the deadline.
#include "connectors/folder/readers/isolated_process.hpp"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <stdexcept>

#include "core/io/write_all.hpp"

namespace crmsync::folder {
namespace {

TEST(IsolatedProcess, OutputOfAChildThatReturnsArrivesWhole) {
  const std::string big(3u << 20, 'x');  // larger than the pipe buffer and the read chunk
  const auto run = run_isolated([&](int fd) { write_all(fd, big); }, {});
  EXPECT_EQ(run.end, IsolatedRun::End::exited);
  EXPECT_EQ(run.code, 0);
  EXPECT_EQ(run.output, big);
}

TEST(IsolatedProcess, ChildKilledBySignalIsReportedWithTheSignal) {
  const auto run = run_isolated(
      [](int fd) {
        write_all(fd, "partial");
        ::kill(::getpid(), SIGKILL);
      },
      {});
  EXPECT_EQ(run.end, IsolatedRun::End::killed_by_signal);
  EXPECT_EQ(run.code, SIGKILL);
}

TEST(IsolatedProcess, ThrowingBodyExitsWithSoftwareError) {
  const auto run = run_isolated([](int) { throw std::runtime_error("no"); }, {});
  EXPECT_EQ(run.end, IsolatedRun::End::exited);
  EXPECT_EQ(run.code, 70);
}

TEST(IsolatedProcess, EndlessChildIsKilledAtTheDeadline) {
  IsolationLimits limits;
  limits.deadline = std::chrono::milliseconds(300);
  const auto started = std::chrono::steady_clock::now();
  const auto run = run_isolated(
      [](int) {
        for (;;)
          ::pause();
      },
      limits);
  EXPECT_EQ(run.end, IsolatedRun::End::deadline_passed);
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(10));
}

TEST(IsolatedProcess, OutputBeyondTheCapStopsTheChild) {
  IsolationLimits limits;
  limits.max_output_bytes = 1000;
  const auto run = run_isolated(
      [](int fd) {
        const std::string chunk(4096, 'y');
        while (write_all(fd, chunk)) {
        }
      },
      limits);
  EXPECT_EQ(run.end, IsolatedRun::End::output_too_large);
  EXPECT_LE(run.output.size(), 1000u);
}

}  // namespace
}  // namespace crmsync::folder
