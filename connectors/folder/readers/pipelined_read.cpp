#include "connectors/folder/readers/pipelined_read.hpp"

#include <condition_variable>
#include <deque>
#include <exception>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>
#include <variant>
#include <vector>

#include "connectors/folder/readers/read_file.hpp"

namespace crmsync::folder {
namespace {

struct TableStart {
  TableInfo info;
  std::shared_ptr<const Header> header;
};
using Event = std::variant<TableStart, Record, RowError>;

// Records travel in batches: a lock and a wake-up per record would cost more than the mapping.
constexpr std::size_t kBatch = 512;
// Batches in flight: bounds the memory a fast reader can run ahead by (a few MB).
constexpr std::size_t kBatchesAhead = 8;
// Batches waiting from which the reader prepares the next one itself: the sink is behind.
constexpr std::size_t kPrepareFrom = kBatchesAhead / 2;

struct Batch {
  std::vector<Event> events;
  // By event, when the reader prepared the batch: what the sink's preparer made of each record.
  std::vector<std::unique_ptr<PreparedRecord>> prepared;
};

// Thrown inside the reader's thread when the caller stopped taking records (its sink threw).
struct ReadAbandoned {};

class EventQueue {
 public:
  // Reader side. Throws ReadAbandoned once the caller has given up.
  void push(Batch&& batch) {
    std::unique_lock lock(mutex_);
    room_.wait(lock, [&] { return batches_.size() < kBatchesAhead || abandoned_; });
    if (abandoned_) throw ReadAbandoned{};
    batches_.push_back(std::move(batch));
    ready_.notify_one();
  }
  void finish(std::exception_ptr failure) {
    const std::lock_guard lock(mutex_);
    finished_ = true;
    failure_ = std::move(failure);
    ready_.notify_one();
  }
  // Caller side: false once the reader finished and everything was taken.
  bool pop(Batch& batch) {
    std::unique_lock lock(mutex_);
    ready_.wait(lock, [&] { return !batches_.empty() || finished_; });
    if (batches_.empty()) return false;
    batch = std::move(batches_.front());
    batches_.pop_front();
    room_.notify_one();
    return true;
  }
  void abandon() {
    const std::lock_guard lock(mutex_);
    abandoned_ = true;
    room_.notify_one();
  }
  std::exception_ptr failure() {
    const std::lock_guard lock(mutex_);
    return failure_;
  }
  std::size_t waiting() {
    const std::lock_guard lock(mutex_);
    return batches_.size();
  }

 private:
  std::mutex mutex_;
  std::condition_variable ready_, room_;
  std::deque<Batch> batches_;
  bool finished_ = false;
  bool abandoned_ = false;
  std::exception_ptr failure_;
};

// The reader thread's sink: gathers events into batches for the queue. While the caller's sink
// is behind, it prepares the records of each batch with the sink's preparer before handing it
// over: on two cores, a workbook's parsing kept one half busy and its mapping the other all of
// the time.
class BatchingSink final : public RecordSink {
 public:
  BatchingSink(EventQueue& queue, RecordPreparer* preparer) : queue_(queue), preparer_(preparer) {
    batch_.events.reserve(kBatch);
  }
  void on_table(const TableInfo& info, std::shared_ptr<const Header> header) override {
    add(TableStart{info, std::move(header)});
  }
  void on_record(Record&& record) override { add(std::move(record)); }
  void on_row_error(RowError&& error) override { add(std::move(error)); }
  void flush() {
    if (batch_.events.empty()) return;
    if (preparer_ != nullptr && queue_.waiting() >= kPrepareFrom) {
      batch_.prepared.resize(batch_.events.size());
      for (std::size_t i = 0; i < batch_.events.size(); ++i)
        if (const auto* record = std::get_if<Record>(&batch_.events[i]))
          batch_.prepared[i] = preparer_->prepare(*record);
    }
    queue_.push(std::move(batch_));
    batch_ = {};
    batch_.events.reserve(kBatch);
  }

 private:
  void add(Event&& event) {
    batch_.events.push_back(std::move(event));
    if (batch_.events.size() == kBatch) flush();
  }
  EventQueue& queue_;
  RecordPreparer* preparer_;
  Batch batch_;
};

void deliver(Event& event, RecordSink& sink) {
  if (auto* table = std::get_if<TableStart>(&event))
    sink.on_table(table->info, std::move(table->header));
  else if (auto* record = std::get_if<Record>(&event))
    sink.on_record(std::move(*record));
  else
    sink.on_row_error(std::move(std::get<RowError>(event)));
}

}  // namespace

void read_file_pipelined(const std::filesystem::path& path, const ReadOptions& options,
                         RecordSink& sink) {
  EventQueue queue;
  const auto preparer = sink.preparer();
  std::thread reader;
  try {
    reader = std::thread([&] {
      BatchingSink batching(queue, preparer.get());
      std::exception_ptr failure;
      try {
        read_file(path, options, batching);
      } catch (...) {
        failure = std::current_exception();
      }
      // What came before a failure reaches the sink too, as it would without the thread.
      try {
        batching.flush();
      } catch (const ReadAbandoned&) {
        // The caller stopped taking records; it rethrows its own error, not this one.
      }
      queue.finish(failure);
    });
  } catch (const std::system_error&) {
    read_file(path, options, sink);  // no thread to be had (a service at its task limit)
    return;
  }
  try {
    Batch batch;
    while (queue.pop(batch))
      for (std::size_t i = 0; i < batch.events.size(); ++i) {
        auto& event = batch.events[i];
        if (i < batch.prepared.size() && batch.prepared[i])
          sink.on_prepared(std::move(std::get<Record>(event)), std::move(batch.prepared[i]));
        else
          deliver(event, sink);
      }
  } catch (...) {
    queue.abandon();
    reader.join();
    throw;
  }
  reader.join();
  if (const auto failure = queue.failure()) std::rethrow_exception(failure);
}

}  // namespace crmsync::folder
