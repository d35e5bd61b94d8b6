#include "bench/folder_readers/bench_inputs.hpp"

#include <unistd.h>
#include <zip.h>

#include <fstream>

namespace crmsync::bench {
namespace fs = std::filesystem;

namespace {

std::string row_text(std::size_t i, char delimiter, bool accented) {
  const std::string d(1, delimiter);
  return (accented ? std::string("Ren\xC3\xA9") : std::string("Renee")) + d + "Lef\xC3\xA8vre-"
         + std::to_string(i) + d + "renee.lefevre" + std::to_string(i) + "@example.com" + d
         + "+1 (415) 555-" + std::to_string(1000 + i % 9000) + d + "\"Acme, Inc.\"" + d
         + "Director of Engineering" + d + "Met at trade show" + "\r\n";
}

void write_sheet(const fs::path& sheet, std::size_t rows) {
  std::ofstream out(sheet, std::ios::binary);
  out << "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<worksheet "
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

}  // namespace

namespace {
// The generated inputs are hundreds of megabytes: they go when the benchmark exits.
struct WorkDir {
  fs::path path;
  WorkDir() : path(fs::temp_directory_path() / ("bench-readers-" + std::to_string(::getpid()))) {
    fs::create_directories(path);
  }
  ~WorkDir() {
    std::error_code ignored;
    fs::remove_all(path, ignored);
  }
  WorkDir(const WorkDir&) = delete;
  WorkDir& operator=(const WorkDir&) = delete;
};
}  // namespace

const fs::path& work_dir() {
  static const WorkDir dir;
  return dir.path;
}

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

fs::path xlsx_file(const std::string& name, std::size_t rows) {
  const fs::path path = work_dir() / name;
  if (fs::exists(path)) return path;
  const fs::path sheet = work_dir() / (name + ".sheet1.xml");
  write_sheet(sheet, rows);
  std::string strings = "<sst xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\">";
  for (int i = 0; i < 1000; ++i)
    strings += "<si><t>text value " + std::to_string(i) + "</t></si>";
  strings += "</sst>";
  const std::string main_ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
  const std::string rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
  const std::string rels_ns = "http://schemas.openxmlformats.org/package/2006/relationships";
  const std::string ml = "application/vnd.openxmlformats-officedocument.spreadsheetml.";
  // openpyxl (the baseline) finds the parts through [Content_Types].xml, as Excel does.
  const std::string content_types =
      "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
      "<Default Extension=\"rels\" "
      "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
      "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
      "<Override PartName=\"/xl/workbook.xml\" ContentType=\""
      + ml + "sheet.main+xml\"/><Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\""
      + ml + "worksheet+xml\"/><Override PartName=\"/xl/sharedStrings.xml\" ContentType=\"" + ml
      + "sharedStrings+xml\"/></Types>";
  const std::string root_rels = "<Relationships xmlns=\"" + rels_ns
                                + "\"><Relationship Id=\"r1\" Type=\"" + rel
                                + "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
  const std::string workbook = "<workbook xmlns=\"" + main_ns + "\" xmlns:r=\"" + rel
                               + "\"><sheets><sheet name=\"Data\" sheetId=\"1\" "
                                 "r:id=\"r1\"/></sheets></workbook>";
  const std::string wb_rels =
      "<Relationships xmlns=\"" + rels_ns + "\"><Relationship Id=\"r1\" Type=\"" + rel
      + "/worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"r2\" Type=\"" + rel
      + "/sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>";
  int error = 0;
  zip_t* z = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  auto add = [&](const char* entry, const std::string& text) {
    zip_file_add(z, entry, zip_source_buffer(z, text.data(), text.size(), 0), ZIP_FL_OVERWRITE);
  };
  add("[Content_Types].xml", content_types);
  add("_rels/.rels", root_rels);
  add("xl/workbook.xml", workbook);
  add("xl/_rels/workbook.xml.rels", wb_rels);
  add("xl/sharedStrings.xml", strings);
  const zip_int64_t index = zip_file_add(
      z, "xl/worksheets/sheet1.xml", zip_source_file(z, sheet.c_str(), 0, -1), ZIP_FL_OVERWRITE);
  // Fastest deflate: the 1M-row workbook is generated in seconds, and reading cost barely changes.
  zip_set_file_compression(z, static_cast<zip_uint64_t>(index), ZIP_CM_DEFLATE, 1);
  zip_close(z);
  fs::remove(sheet);
  return path;
}

}  // namespace crmsync::bench
