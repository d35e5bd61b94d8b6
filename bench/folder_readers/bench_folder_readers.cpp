// bench/folder_readers — throughput of the readers on generated files: MB/s for UTF-8, cp1252 and
// UTF-16 CSV, rows/s for a 10-column XLSX, and the peak RSS while reading a 1M-row CSV (which must
// stay flat: rows stream). Targets: UTF-8 >= 300 MB/s, cp1252/UTF-16 >= 150 MB/s, XLSX >= 300k
// rows/s. Files are written row by row so generation itself does not inflate the RSS figure.
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <unistd.h>
#include <zip.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "connectors/folder/readers/read_file.hpp"

namespace {

namespace fs = std::filesystem;
using namespace crmsync::folder;

struct CountingSink final : RecordSink {
  std::size_t records = 0;
  std::size_t cells = 0;
  void on_table(const TableInfo&, std::shared_ptr<const crmsync::Header>) override {}
  void on_record(crmsync::Record&& record) override {
    ++records;
    cells += record.cells.size();
  }
  void on_row_error(crmsync::RowError&&) override {}
};

const fs::path& work_dir() {
  static const fs::path dir = [] {
    fs::path d = fs::temp_directory_path() / ("bench-readers-" + std::to_string(::getpid()));
    fs::create_directories(d);
    return d;
  }();
  return dir;
}

struct Cleanup {
  ~Cleanup() {
    std::error_code ec;
    fs::remove_all(work_dir(), ec);
  }
} cleanup;

std::string row_text(std::size_t i, char delimiter, bool accented) {
  const std::string d(1, delimiter);
  return (accented ? std::string("Ren\xC3\xA9") : std::string("Renee")) + d + "Lef\xC3\xA8vre-"
         + std::to_string(i) + d + "renee.lefevre" + std::to_string(i) + "@example.com" + d
         + "+1 (415) 555-" + std::to_string(1000 + i % 9000) + d + "\"Acme, Inc.\"" + d
         + "Director of Engineering" + d + "Met at trade show" + "\r\n";
}

// Writes `rows` CSV rows in UTF-8, then converts with the encoding's writer.
fs::path csv_file(const std::string& name, std::size_t rows, const std::string& encoding) {
  const fs::path path = work_dir() / name;
  if (fs::exists(path)) return path;
  std::ofstream out(path, std::ios::binary);
  auto put = [&](const std::string& utf8) {
    if (encoding == "utf8") {
      out << utf8;
    } else if (encoding == "cp1252") {
      for (std::size_t i = 0; i < utf8.size(); ++i) {
        const auto c = static_cast<unsigned char>(utf8[i]);
        if (c == 0xC3) {
          out.put(static_cast<char>(static_cast<unsigned char>(utf8[++i]) + 0x40));
        } else {
          out.put(static_cast<char>(c));
        }
      }
    } else {  // utf16le, all generated text is in the BMP
      for (std::size_t i = 0; i < utf8.size(); ++i) {
        auto c = static_cast<unsigned char>(utf8[i]);
        unsigned code = c;
        if (c == 0xC3) code = 0xC0u + (static_cast<unsigned char>(utf8[++i]) & 0x3Fu);
        out.put(static_cast<char>(code & 0xFF));
        out.put(static_cast<char>(code >> 8));
      }
    }
  };
  if (encoding == "utf16le") out << "\xFF\xFE";
  put("First Name,Last Name,Email,Phone,Company,Title,Notes\r\n");
  for (std::size_t i = 0; i < rows; ++i)
    put(row_text(i, ',', true));
  return path;
}

fs::path xlsx_file(std::size_t rows) {
  const fs::path path = work_dir() / "bench.xlsx";
  if (fs::exists(path)) return path;
  const fs::path sheet = work_dir() / "sheet1.xml";
  {
    std::ofstream out(sheet, std::ios::binary);
    out << "<worksheet "
           "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>";
    out << "<row r=\"1\">";
    for (int c = 0; c < 10; ++c)
      out << "<c t=\"inlineStr\"><is><t>Column " << c << "</t></is></c>";
    out << "</row>";
    for (std::size_t r = 2; r < rows + 2; ++r) {
      out << "<row r=\"" << r << "\">";
      for (int c = 0; c < 10; ++c) {
        const char col = static_cast<char>('A' + c);
        if (c % 2 == 0)
          out << "<c r=\"" << col << r << "\" t=\"s\"><v>" << (r + c) % 1000 << "</v></c>";
        else
          out << "<c r=\"" << col << r << "\"><v>" << 4155550000 + r << "</v></c>";
      }
      out << "</row>";
    }
    out << "</sheetData></worksheet>";
  }
  std::string strings = "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">";
  for (int i = 0; i < 1000; ++i)
    strings += "<si><t>text value " + std::to_string(i) + "</t></si>";
  strings += "</sst>";
  const std::string rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
  const std::string rels_ns = "http://schemas.openxmlformats.org/package/2006/relationships";
  const std::string root_rels = "<Relationships xmlns=\"" + rels_ns
                                + "\"><Relationship Id=\"r1\" Type=\"" + rel
                                + "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
  const std::string workbook =
      "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\""
      + rel + "\"><sheets><sheet name=\"Data\" sheetId=\"1\" r:id=\"r1\"/></sheets></workbook>";
  const std::string wb_rels =
      "<Relationships xmlns=\"" + rels_ns + "\"><Relationship Id=\"r1\" Type=\"" + rel
      + "/worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"r2\" Type=\"" + rel
      + "/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>";
  int error = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  auto add = [&](const char* name, const std::string& text) {
    zip_file_add(z, name, zip_source_buffer(z, text.data(), text.size(), 0), ZIP_FL_OVERWRITE);
  };
  add("_rels/.rels", root_rels);
  add("xl/workbook.xml", workbook);
  add("xl/_rels/workbook.xml.rels", wb_rels);
  add("xl/sharedStrings.xml", strings);
  zip_file_add(z, "xl/worksheets/sheet1.xml", zip_source_file(z, sheet.c_str(), 0, -1),
               ZIP_FL_OVERWRITE);
  zip_close(z);
  fs::remove(sheet);
  return path;
}

void read_bytes_benchmark(benchmark::State& state, const fs::path& path) {
  ReadOptions options;
  CountingSink sink;
  for (auto _ : state) {
    sink = {};
    read_file(path, options, sink);
    benchmark::DoNotOptimize(sink.cells);
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations())
                          * static_cast<std::int64_t>(fs::file_size(path)));
  state.counters["rows"] = static_cast<double>(sink.records);
}

// First, so that no other benchmark's buffers count towards the peak.
void BM_PeakRss_Csv1MRows(benchmark::State& state) {
  const fs::path path = csv_file("million.csv", 1'000'000, "utf8");
  CountingSink sink;
  for (auto _ : state) {
    sink = {};
    read_file(path, {}, sink);
  }
  rusage usage{};
  ::getrusage(RUSAGE_SELF, &usage);
  state.counters["rows"] = static_cast<double>(sink.records);
  state.counters["file_MB"] = static_cast<double>(fs::file_size(path)) / 1e6;
  state.counters["peak_rss_MB"] = static_cast<double>(usage.ru_maxrss) / 1024.0;
}
BENCHMARK(BM_PeakRss_Csv1MRows)->Iterations(1)->Unit(benchmark::kMillisecond);

void BM_CsvUtf8(benchmark::State& state) {
  read_bytes_benchmark(state, csv_file("utf8.csv", 300'000, "utf8"));
}
BENCHMARK(BM_CsvUtf8)->Unit(benchmark::kMillisecond);

void BM_CsvWindows1252(benchmark::State& state) {
  read_bytes_benchmark(state, csv_file("cp1252.csv", 300'000, "cp1252"));
}
BENCHMARK(BM_CsvWindows1252)->Unit(benchmark::kMillisecond);

void BM_CsvUtf16(benchmark::State& state) {
  read_bytes_benchmark(state, csv_file("utf16.csv", 300'000, "utf16le"));
}
BENCHMARK(BM_CsvUtf16)->Unit(benchmark::kMillisecond);

void BM_Xlsx10Columns(benchmark::State& state) {
  const fs::path path = xlsx_file(200'000);
  CountingSink sink;
  for (auto _ : state) {
    sink = {};
    read_file(path, {}, sink);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations())
                          * static_cast<std::int64_t>(sink.records));
  state.counters["rows"] = static_cast<double>(sink.records);
}
BENCHMARK(BM_Xlsx10Columns)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
