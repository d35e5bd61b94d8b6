// The scheduler on a real io_context and real worker threads: debounce, one cycle per source at a
// time with exactly one follow-up, intervals, and draining for a stop.
#include "daemon/service/cycle_scheduler.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <boost/asio/steady_timer.hpp>
#include <condition_variable>
#include <map>
#include <mutex>

#include "tests/unit/service/run_until.hpp"

namespace crmsync::service {
namespace {

using namespace std::chrono_literals;
using testing::run_for;
using testing::run_until;

// A job that records every cycle and can hold cycles of a source until released.
class RecordingJob {
 public:
  void operator()(const std::string& source) {
    {
      std::unique_lock lock(mutex_);
      const int now_running = ++running_[source];
      max_running_[source] = std::max(max_running_[source], now_running);
      ++started_[source];
      changed_.notify_all();
      changed_.wait(lock, [&] { return held_.count(source) == 0; });
      --running_[source];
      ++finished_[source];
    }
    changed_.notify_all();
  }
  void hold(const std::string& source) {
    std::lock_guard lock(mutex_);
    held_.insert({source, true});
  }
  void release(const std::string& source) {
    {
      std::lock_guard lock(mutex_);
      held_.erase(source);
    }
    changed_.notify_all();
  }
  int started(const std::string& source) {
    std::lock_guard lock(mutex_);
    return started_[source];
  }
  int finished(const std::string& source) {
    std::lock_guard lock(mutex_);
    return finished_[source];
  }
  int max_running(const std::string& source) {
    std::lock_guard lock(mutex_);
    return max_running_[source];
  }
  int running(const std::string& source) {
    std::lock_guard lock(mutex_);
    return running_[source];
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::string, bool> held_;
  std::map<std::string, int> running_, max_running_, started_, finished_;
};

class CycleSchedulerTest : public ::testing::Test {
 protected:
  void make(SchedulerOptions options) {
    scheduler_ =
        std::make_unique<CycleScheduler>(io_, options, [this](const std::string& s) { job_(s); });
  }
  void TearDown() override {
    for (const auto* name : {"a", "b"})
      job_.release(name);
    if (scheduler_) {
      bool drained = false;
      scheduler_->drain([&] { drained = true; });
      run_until(io_, [&] { return drained; });
      scheduler_->join_workers();
    }
  }
  boost::asio::io_context io_;
  RecordingJob job_;
  std::unique_ptr<CycleScheduler> scheduler_;
};

TEST_F(CycleSchedulerTest, NewSourceRunsAtOnceThenABurstOfChangesIsOneCycle) {
  SchedulerOptions options;
  options.debounce = 100ms;
  make(options);
  scheduler_->set_sources({{"a", 1h}});
  ASSERT_TRUE(run_until(io_, [&] { return job_.finished("a") == 1; }));

  for (int i = 0; i < 5; ++i)
    scheduler_->notify_change("a");
  ASSERT_TRUE(run_until(io_, [&] { return job_.finished("a") == 2; }));
  run_for(io_, 300ms);  // three debounce windows: nothing else may start
  EXPECT_EQ(job_.started("a"), 2);
}

TEST_F(CycleSchedulerTest, DebounceWaitsForQuietButNotPastMaxDelay) {
  SchedulerOptions options;
  options.debounce = 200ms;
  options.max_delay = 400ms;
  make(options);
  scheduler_->set_sources({{"a", 1h}});
  ASSERT_TRUE(run_until(io_, [&] { return job_.finished("a") == 1; }));

  // A change every 50 ms never leaves 200 ms of quiet; max_delay still starts a cycle.
  const auto first_change = std::chrono::steady_clock::now();
  boost::asio::steady_timer ticker(io_);
  std::function<void()> tick = [&] {
    scheduler_->notify_change("a");
    ticker.expires_after(50ms);
    ticker.async_wait([&](const boost::system::error_code& ec) {
      if (!ec && job_.started("a") < 2) tick();
    });
  };
  tick();
  ASSERT_TRUE(run_until(
      io_, [&] { return job_.started("a") == 2; }, 3s));
  const auto waited = std::chrono::steady_clock::now() - first_change;
  EXPECT_GE(waited, 350ms);
  EXPECT_LT(waited, 1500ms);
  ticker.cancel();
}

TEST_F(CycleSchedulerTest, NeverTwoCyclesOfOneSourceAndOneFollowUpForChangesWhileRunning) {
  SchedulerOptions options;
  options.debounce = 10ms;
  options.workers = 2;  // so only the scheduler's rule, not a single thread, keeps them apart
  make(options);
  job_.hold("a");
  scheduler_->set_sources({{"a", 1h}, {"b", 1h}});
  ASSERT_TRUE(run_until(io_, [&] { return job_.running("a") == 1; }));
  // The other source is not blocked by the held one.
  ASSERT_TRUE(run_until(io_, [&] { return job_.finished("b") == 1; }));

  for (int i = 0; i < 10; ++i)
    scheduler_->notify_change("a");
  run_for(io_, 100ms);  // every debounce expired while "a" runs
  EXPECT_EQ(job_.started("a"), 1);
  EXPECT_TRUE(scheduler_->running("a"));

  job_.release("a");
  ASSERT_TRUE(run_until(io_, [&] { return job_.finished("a") == 2; }));
  run_for(io_, 100ms);
  EXPECT_EQ(job_.started("a"), 2);  // exactly one follow-up for all ten changes
  EXPECT_EQ(job_.max_running("a"), 1);
}

TEST_F(CycleSchedulerTest, IntervalRepeatsCycles) {
  make({});
  scheduler_->set_sources({{"a", 30ms}});
  EXPECT_TRUE(run_until(io_, [&] { return job_.finished("a") >= 4; }));
}

TEST_F(CycleSchedulerTest, DrainWaitsForTheCycleInFlightAndTakesNoMoreWork) {
  SchedulerOptions options;
  options.debounce = 10ms;
  make(options);
  job_.hold("a");
  scheduler_->set_sources({{"a", 20ms}});
  ASSERT_TRUE(run_until(io_, [&] { return job_.running("a") == 1; }));

  bool drained = false;
  scheduler_->drain([&] { drained = true; });
  scheduler_->notify_change("a");
  run_for(io_, 100ms);
  EXPECT_FALSE(drained);

  job_.release("a");
  ASSERT_TRUE(run_until(io_, [&] { return drained; }));
  run_for(io_, 100ms);  // neither the change nor the interval starts anything now
  EXPECT_EQ(job_.started("a"), 1);
  EXPECT_EQ(scheduler_->running_count(), 0u);
}

TEST_F(CycleSchedulerTest, DrainWithNothingRunningCompletesAtOnce) {
  make({});
  bool drained = false;
  scheduler_->drain([&] { drained = true; });
  EXPECT_TRUE(drained);
}

TEST_F(CycleSchedulerTest, RemovedSourceIsNoLongerScheduled) {
  SchedulerOptions options;
  options.debounce = 10ms;
  make(options);
  scheduler_->set_sources({{"a", 1h}, {"b", 1h}});
  ASSERT_TRUE(run_until(io_, [&] { return job_.finished("a") == 1 && job_.finished("b") == 1; }));
  scheduler_->set_sources({{"b", 1h}});
  scheduler_->notify_change("a");
  scheduler_->notify_change("b");
  ASSERT_TRUE(run_until(io_, [&] { return job_.finished("b") == 2; }));
  run_for(io_, 50ms);
  EXPECT_EQ(job_.started("a"), 1);
}

}  // namespace
}  // namespace crmsync::service
