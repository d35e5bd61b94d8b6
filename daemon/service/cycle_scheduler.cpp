#include "daemon/service/cycle_scheduler.hpp"

#include <spdlog/spdlog.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>
#include <map>
#include <optional>

namespace crmsync::service {

namespace asio = boost::asio;
using Clock = std::chrono::steady_clock;

struct SourceSchedule {
  std::chrono::milliseconds interval{};
  std::unique_ptr<asio::steady_timer> debounce_timer;
  std::unique_ptr<asio::steady_timer> interval_timer;
  std::optional<Clock::time_point> first_pending_change;
  bool running = false;
  bool follow_up = false;  // a change arrived while running: one more cycle afterwards
};

class CycleScheduler::Impl : public std::enable_shared_from_this<Impl> {
 public:
  Impl(asio::io_context& io, SchedulerOptions options, Job job)
      : io_(io), options_(options), job_(std::move(job)), workers_(options.workers) {}

  void set_sources(const std::vector<ScheduledSource>& sources) {
    std::map<std::string, bool> wanted;
    for (const auto& source : sources)
      wanted[source.name] = true;
    for (auto it = sources_.begin(); it != sources_.end();) {
      if (wanted.count(it->first) != 0) {
        ++it;
        continue;
      }
      it->second.debounce_timer->cancel();
      it->second.interval_timer->cancel();
      it = sources_.erase(it);
    }
    for (const auto& source : sources) {
      auto [it, added] = sources_.try_emplace(source.name);
      auto& schedule = it->second;
      schedule.interval = source.interval;
      if (!added) continue;
      schedule.debounce_timer = std::make_unique<asio::steady_timer>(io_);
      schedule.interval_timer = std::make_unique<asio::steady_timer>(io_);
      trigger(source.name);
      arm_interval(source.name);
    }
  }

  void change(const std::string& name) {
    if (draining_) return;
    auto it = sources_.find(name);
    if (it == sources_.end()) return;
    auto& schedule = it->second;
    const auto now = Clock::now();
    if (!schedule.first_pending_change) schedule.first_pending_change = now;
    // Each change pushes the start back by the debounce, but never past max_delay.
    const auto due =
        std::min(now + options_.debounce, *schedule.first_pending_change + options_.max_delay);
    schedule.debounce_timer->expires_at(due);
    schedule.debounce_timer->async_wait(
        [self = shared_from_this(), name](const boost::system::error_code& ec) {
          if (ec) return;  // re-armed or cancelled
          self->trigger(name);
        });
  }

  void trigger(const std::string& name) {
    if (draining_) return;
    auto it = sources_.find(name);
    if (it == sources_.end()) return;
    auto& schedule = it->second;
    schedule.first_pending_change.reset();
    schedule.debounce_timer->cancel();
    if (schedule.running) {
      schedule.follow_up = true;
      return;
    }
    start(name, schedule);
  }

  void drain(std::function<void()> on_drained) {
    draining_ = true;
    on_drained_ = std::move(on_drained);
    for (auto& [name, schedule] : sources_) {
      schedule.debounce_timer->cancel();
      schedule.interval_timer->cancel();
      schedule.follow_up = false;
    }
    finish_drain_if_idle();
  }

  void join_workers() { workers_.join(); }

  void post(std::function<void()> work) { asio::post(io_, std::move(work)); }

  void trigger_all() {
    std::vector<std::string> names;
    for (const auto& [name, schedule] : sources_)
      names.push_back(name);
    for (const auto& name : names)
      trigger(name);
  }

  std::size_t running_count() const { return running_; }
  bool running(const std::string& name) const {
    auto it = sources_.find(name);
    return it != sources_.end() && it->second.running;
  }
  std::uint64_t started() const { return started_; }

 private:
  void arm_interval(const std::string& name) {
    auto& schedule = sources_.at(name);
    schedule.interval_timer->expires_after(schedule.interval);
    schedule.interval_timer->async_wait(
        [self = shared_from_this(), name](const boost::system::error_code& ec) {
          if (ec || self->draining_ || self->sources_.count(name) == 0) return;
          self->trigger(name);
          self->arm_interval(name);
        });
  }

  void start(const std::string& name, SourceSchedule& schedule) {
    schedule.running = true;
    ++running_;
    ++started_;
    asio::post(workers_, [self = shared_from_this(), name]() mutable {
      try {
        self->job_(name);
      } catch (const std::exception& e) {
        spdlog::error("cycle of source '{}' failed: {}", name, e.what());
      }
      // The reference moves to the loop: the last owner must never be a worker thread, whose
      // pool would then join itself.
      auto& io = self->io_;
      asio::post(io, [self = std::move(self), name] { self->finished(name); });
    });
  }

  void finished(const std::string& name) {
    --running_;
    auto it = sources_.find(name);
    if (it != sources_.end()) {
      it->second.running = false;
      if (it->second.follow_up && !draining_) {
        it->second.follow_up = false;
        start(name, it->second);
      }
    }
    finish_drain_if_idle();
  }

  void finish_drain_if_idle() {
    if (!draining_ || running_ != 0 || !on_drained_) return;
    auto callback = std::move(on_drained_);
    on_drained_ = nullptr;
    callback();
  }

  asio::io_context& io_;
  SchedulerOptions options_;
  Job job_;
  asio::thread_pool workers_;
  std::map<std::string, SourceSchedule> sources_;
  std::size_t running_ = 0;
  std::uint64_t started_ = 0;
  bool draining_ = false;
  std::function<void()> on_drained_;
};

CycleScheduler::CycleScheduler(asio::io_context& io, SchedulerOptions options, Job job)
    : impl_(std::make_shared<Impl>(io, options, std::move(job))) {}

CycleScheduler::~CycleScheduler() = default;

void CycleScheduler::set_sources(const std::vector<ScheduledSource>& sources) {
  impl_->set_sources(sources);
}

void CycleScheduler::notify_change(const std::string& source) {
  // Posted: watcher callbacks and other threads never touch the bookkeeping directly.
  impl_->post([impl = impl_, source] { impl->change(source); });
}

void CycleScheduler::run_all_now() {
  impl_->post([impl = impl_] { impl->trigger_all(); });
}

void CycleScheduler::drain(std::function<void()> on_drained) {
  impl_->drain(std::move(on_drained));
}
void CycleScheduler::join_workers() {
  impl_->join_workers();
}
bool CycleScheduler::running(const std::string& source) const {
  return impl_->running(source);
}
std::size_t CycleScheduler::running_count() const {
  return impl_->running_count();
}
std::uint64_t CycleScheduler::cycles_started() const {
  return impl_->started();
}

}  // namespace crmsync::service
