// read_file_pipelined hands the sink what read_file does, in the same order, on the calling
// thread: across batches, with row errors, before a failure, and when the sink itself gives up.
#include "connectors/folder/readers/pipelined_read.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <stdexcept>
#include <thread>

#include "connectors/folder/readers/read_file.hpp"
#include "core/error.hpp"
#include "tests/unit/folder_readers/test_support.hpp"

namespace crmsync::folder {
namespace {

using testing::CollectingSink;
using testing::TempDir;

// What a sink saw, flattened for comparison, and which thread it saw it on.
struct Transcript final : RecordSink {
  std::vector<std::string> lines;
  std::thread::id thread;
  void on_table(const TableInfo& info, std::shared_ptr<const Header> header) override {
    thread = std::this_thread::get_id();
    lines.push_back("table " + info.format + " " + info.sheet + " "
                    + std::to_string(header->columns.size()));
  }
  static std::string line_of(const Record& record) {
    std::string line = "row " + std::to_string(record.from.row);
    for (const auto& cell : record.cells)
      line += "|" + cell.text;
    return line;
  }
  void on_record(Record&& record) override { lines.push_back(line_of(record)); }
  void on_row_error(RowError&& error) override {
    lines.push_back("error " + std::to_string(error.from.row) + " " + error.reason);
  }
};

std::string csv_of(int rows) {
  std::string text = "Name,Email,Note\n";
  for (int i = 0; i < rows; ++i)
    text += "Person " + std::to_string(i) + ",p" + std::to_string(i) + "@example.com,n\n";
  return text;
}

TEST(PipelinedRead, TheSinkSeesWhatReadFileHandsItOnTheCallingThread) {
  TempDir dir;
  // 3,200 rows cross several batches; the NUL row, past the first 64 KB that decide whether
  // this is text at all, is a row error among them.
  auto text = csv_of(2400);
  text += std::string("Bad,b\0d,x\n", 10) + csv_of(800).substr(16);
  const auto path = dir.write("contacts.csv", text);
  Transcript direct, pipelined;
  read_file(path, {}, direct);
  read_file_pipelined(path, {}, pipelined);
  ASSERT_EQ(direct.lines.size(), 3202u);  // the table, 3,200 rows, one error
  EXPECT_EQ(pipelined.lines, direct.lines);
  EXPECT_EQ(pipelined.thread, std::this_thread::get_id());
}

// A sink with a preparer that falls behind the reader: the reader prepares the records of the
// batches it reads while the sink is behind. Every record still arrives once, in file order, on
// the calling thread, each prepared one with its own preparation.
TEST(PipelinedRead, RecordsTheSinkFellBehindOnArriveWithTheirPreparation) {
  TempDir dir;
  const auto path = dir.write("contacts.csv", csv_of(20000));
  struct Line final : PreparedRecord {
    std::string text;
  };
  struct Preparer final : RecordPreparer {
    // The sink's: the read destroys its preparer.
    std::thread::id& prepared_on;
    std::atomic<int>& made;
    Preparer(std::thread::id& on, std::atomic<int>& count) : prepared_on(on), made(count) {}
    std::unique_ptr<PreparedRecord> prepare(const Record& record) override {
      prepared_on = std::this_thread::get_id();
      ++made;
      auto line = std::make_unique<Line>();
      line->text = Transcript::line_of(record);
      return line;
    }
  };
  struct Slow final : RecordSink {
    Transcript transcript;
    std::thread::id prepared_on;
    std::atomic<int> made{0};
    int prepared = 0, records = 0;
    void on_table(const TableInfo& info, std::shared_ptr<const Header> header) override {
      transcript.on_table(info, std::move(header));
    }
    void on_record(Record&& record) override {
      // Behind from the first record on, however fast this machine reads: the sink waits until
      // the reader has filled the queue and prepared a record (or 10 s have passed).
      if (++records == 1)
        for (int waited = 0; made == 0 && waited < 10'000; ++waited)
          std::this_thread::sleep_for(std::chrono::milliseconds(1));
      transcript.on_record(std::move(record));
    }
    void on_row_error(RowError&& error) override { transcript.on_row_error(std::move(error)); }
    std::unique_ptr<RecordPreparer> preparer() override {
      return std::make_unique<Preparer>(prepared_on, made);
    }
    void on_prepared(Record&& record, std::unique_ptr<PreparedRecord> preparation) override {
      ++prepared;
      const auto& line = static_cast<Line&>(*preparation).text;
      EXPECT_EQ(line, Transcript::line_of(record)) << "a preparation with another record";
      transcript.lines.push_back(line);
    }
  } sink;
  Transcript direct;
  read_file(path, {}, direct);
  read_file_pipelined(path, {}, sink);
  EXPECT_EQ(sink.transcript.lines, direct.lines);
  EXPECT_GT(sink.prepared, 0) << "the reader never prepared";
  EXPECT_GT(sink.records, 0) << "the reader prepared everything";
  EXPECT_EQ(sink.prepared + sink.records, 20000);
  EXPECT_NE(sink.prepared_on, std::thread::id()) << "never prepared";
  EXPECT_NE(sink.prepared_on, std::this_thread::get_id());
}

TEST(PipelinedRead, WhatCameBeforeAFailureArrivesThenTheFailure) {
  TempDir dir;
  std::string rows = "<row r=\"1\"><c t=\"inlineStr\"><is><t>Name</t></is></c></row>";
  for (int r = 2; r <= 1500; ++r)
    rows += "<row r=\"" + std::to_string(r) + "\"><c t=\"inlineStr\"><is><t>P" + std::to_string(r)
            + "</t></is></c></row>";
  auto entries = testing::xlsx_entries({{"S", rows, "", false}});
  // The sheet breaks off after its rows: the reader has streamed them before it finds out.
  auto& sheet = entries["xl/worksheets/sheet1.xml"];
  sheet = sheet.substr(0, sheet.find("</sheetData>")) + "<row><c><v>1</v></row>";
  const auto path = dir.path() / "broken.xlsx";
  testing::write_zip(path, entries);

  auto read = [&](auto&& reader, Transcript& sink) -> std::string {
    try {
      reader(path, ReadOptions{}, sink);
    } catch (const Error& e) {
      EXPECT_EQ(e.category(), ErrorCategory::input);
      return e.what();
    }
    return "no error";
  };
  Transcript direct, pipelined;
  const auto direct_error = read(read_file, direct);
  const auto pipelined_error = read(read_file_pipelined, pipelined);
  EXPECT_NE(direct_error.find("damaged"), std::string::npos) << direct_error;
  EXPECT_EQ(pipelined_error, direct_error);
  EXPECT_GT(direct.lines.size(), 1000u);
  EXPECT_EQ(pipelined.lines, direct.lines);
}

// The sink's own error stops the read: it is the one rethrown, and nothing hangs on a reader
// still waiting to hand over more.
TEST(PipelinedRead, ASinkThatThrowsStopsTheRead) {
  TempDir dir;
  const auto path = dir.write("contacts.csv", csv_of(20000));
  struct Quitting final : RecordSink {
    int records = 0;
    void on_table(const TableInfo&, std::shared_ptr<const Header>) override {}
    void on_record(Record&&) override {
      if (++records == 1000) throw std::runtime_error("the sink gives up");
    }
    void on_row_error(RowError&&) override {}
  } sink;
  EXPECT_THROW(
      {
        try {
          read_file_pipelined(path, {}, sink);
        } catch (const std::runtime_error& e) {
          EXPECT_STREQ(e.what(), "the sink gives up");
          throw;
        }
      },
      std::runtime_error);
  EXPECT_EQ(sink.records, 1000);
}

}  // namespace
}  // namespace crmsync::folder
