#include "connectors/folder/report/report_xlsx_writer.hpp"

#include <zip.h>

#include <algorithm>
#include <charconv>
#include <deque>
#include <memory>

#include "connectors/folder/report/deflated_part.hpp"
#include "connectors/folder/report/report_cell_text.hpp"
#include "connectors/folder/report/report_columns.hpp"
#include "core/error.hpp"

namespace crmsync::folder {
namespace {

constexpr std::string_view kXmlDeclaration =
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
constexpr std::string_view kMainNs = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
constexpr std::string_view kRelNs =
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

std::string content_types() {
  return std::string(kXmlDeclaration)
         + "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
           "<Default Extension=\"rels\" "
           "ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
           "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
           "<Override PartName=\"/xl/workbook.xml\" ContentType=\"application/"
           "vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>"
           "<Override PartName=\"/xl/worksheets/sheet1.xml\" ContentType=\"application/"
           "vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
           "<Override PartName=\"/xl/styles.xml\" ContentType=\"application/"
           "vnd.openxmlformats-officedocument.spreadsheetml.styles+xml\"/>"
           "</Types>";
}

std::string package_rels() {
  return std::string(kXmlDeclaration)
         + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
           "<Relationship Id=\"rId1\" Type=\""
         + std::string(kRelNs) + "/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
}

std::string workbook() {
  return std::string(kXmlDeclaration) + "<workbook xmlns=\"" + std::string(kMainNs)
         + "\" xmlns:r=\"" + std::string(kRelNs)
         + "\"><sheets><sheet name=\"Report\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
}

std::string workbook_rels() {
  return std::string(kXmlDeclaration)
         + "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
           "<Relationship Id=\"rId1\" Type=\""
         + std::string(kRelNs)
         + "/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
           "<Relationship Id=\"rId2\" Type=\""
         + std::string(kRelNs) + "/styles\" Target=\"styles.xml\"/></Relationships>";
}

// Style 0 is the default; style 1 the bold header. Excel requires the two default fills.
std::string styles() {
  return std::string(kXmlDeclaration) + "<styleSheet xmlns=\"" + std::string(kMainNs)
         + "\">"
           "<fonts count=\"2\"><font><sz val=\"11\"/><name val=\"Calibri\"/></font>"
           "<font><b/><sz val=\"11\"/><name val=\"Calibri\"/></font></fonts>"
           "<fills count=\"2\"><fill><patternFill patternType=\"none\"/></fill>"
           "<fill><patternFill patternType=\"gray125\"/></fill></fills>"
           "<borders count=\"1\"><border><left/><right/><top/><bottom/><diagonal/></border>"
           "</borders>"
           "<cellStyleXfs count=\"1\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" "
           "borderId=\"0\"/></cellStyleXfs>"
           "<cellXfs count=\"2\"><xf numFmtId=\"0\" fontId=\"0\" fillId=\"0\" borderId=\"0\" "
           "xfId=\"0\"/><xf numFmtId=\"0\" fontId=\"1\" fillId=\"0\" borderId=\"0\" xfId=\"0\" "
           "applyFont=\"1\"/></cellXfs>"
           "<cellStyles count=\"1\"><cellStyle name=\"Normal\" xfId=\"0\" builtinId=\"0\"/>"
           "</cellStyles></styleSheet>";
}

// Whitespace a spreadsheet program would otherwise trim or fold: at either end, a line break or
// tab, or two spaces running.
bool needs_preserve(std::string_view text) {
  const auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; };
  if (text.empty()) return false;
  if (space(text.front()) || space(text.back())) return true;
  for (std::size_t at = 1; at < text.size(); ++at)
    if ((space(text[at]) && text[at] != ' ') || (text[at] == ' ' && text[at - 1] == ' '))
      return true;
  return false;
}

// Appended piece by piece: a 100k-row sheet has 600k of these cells, and a string for each
// piece (reference, escaped text, the markup around them) was most of its cost.
void append_text_cell(std::string& xml, std::size_t column, std::string_view row,
                      std::string_view text, bool header) {
  xml += "<c r=\"";
  xml += xlsx_column_name(column);
  xml += row;
  xml += "\" t=\"inlineStr\"";
  if (header) xml += " s=\"1\"";
  xml += needs_preserve(text) ? "><is><t xml:space=\"preserve\">" : "><is><t>";
  append_xml_escaped(xml, text);
  xml += "</t></is></c>";
}

// Written in pieces of about this size, each deflated as it is done: a 100k-row sheet is some
// 37 MB of XML, never held whole (9,000 pages a 100k-row sync touched for the first time).
constexpr std::size_t kSheetPiece = 1u << 18;

void worksheet(std::span<const ReportRow> rows, std::size_t max_rows, DeflatedPart& part) {
  std::string xml;
  xml.reserve(kSheetPiece + 4096);
  xml += kXmlDeclaration;
  xml += "<worksheet xmlns=\"" + std::string(kMainNs) + "\">";
  // The header stays visible while the rep scrolls a long report.
  xml +=
      "<sheetViews><sheetView workbookViewId=\"0\"><pane ySplit=\"1\" topLeftCell=\"A2\" "
      "activePane=\"bottomLeft\" state=\"frozen\"/></sheetView></sheetViews>";
  xml += "<cols>";
  for (std::size_t i = 0; i < kReportColumns.size(); ++i) {
    const std::string n = std::to_string(i + 1);
    xml += "<col min=\"" + n + "\" max=\"" + n + "\" width=\""
           + std::to_string(kReportColumns[i].width) + "\" customWidth=\"1\"/>";
  }
  xml += "</cols><sheetData><row r=\"1\">";
  for (std::size_t i = 0; i < kReportColumns.size(); ++i)
    append_text_cell(xml, i, "1", kReportColumns[i].title, true);
  xml += "</row>";
  std::size_t line = 1;
  max_rows = std::max<std::size_t>(max_rows, 1);  // room for the note at least
  const bool cut = rows.size() > max_rows;
  char number[24];
  const auto digits = [&](std::size_t value) {
    return std::string_view(number, std::to_chars(number, number + sizeof number, value).ptr);
  };
  std::string r, cleaned;
  for (const ReportRow& row : rows.first(cut ? max_rows - 1 : rows.size())) {
    r = digits(++line);
    xml += "<row r=\"";
    xml += r;
    xml += "\"><c r=\"A";
    xml += r;
    xml += "\"><v>";
    xml += digits(row.row);
    xml += "</v></c>";
    std::size_t column = 1;
    for (const std::string_view cell : report_text_cells(row)) {
      const std::string_view text =
          is_safe_cell_text(cell) ? cell : std::string_view(cleaned = safe_cell_text(cell));
      if (!text.empty()) append_text_cell(xml, column, r, text, false);
      ++column;
    }
    xml += "</row>";
    if (xml.size() >= kSheetPiece) {
      part.add(xml);
      xml.clear();
    }
  }
  if (cut) {
    r = digits(++line);
    const std::string note = std::to_string(rows.size() - (max_rows - 1))
                             + " more rows do not fit in a worksheet; the .report.csv file "
                               "beside this one lists every row";
    xml += "<row r=\"" + r + "\">";
    append_text_cell(xml, kReportColumns.size() - 1, r, note, true);
    xml += "</row>";
  }
  xml += "</sheetData></worksheet>";
  part.add(xml);
  part.finish();
}

[[noreturn]] void fail(std::string_view what, zip_error_t* error) {
  throw Error(ErrorCategory::permanent,
              "cannot build the XLSX report (" + std::string(what)
                  + "): " + (error != nullptr ? zip_error_strerror(error) : "unknown error"));
}

struct SourceDeleter {
  void operator()(zip_source_t* source) const noexcept { zip_source_free(source); }
};
struct ArchiveDeleter {
  void operator()(zip_t* archive) const noexcept { zip_discard(archive); }
};

}  // namespace

std::string xlsx_column_name(std::size_t index) {
  std::string name;
  for (std::size_t n = index + 1; n > 0; n = (n - 1) / 26) {
    name.insert(name.begin(), static_cast<char>('A' + (n - 1) % 26));
  }
  return name;
}

std::string render_report_xlsx(std::span<const ReportRow> rows, std::size_t max_rows) {
  // libzip reads part data at zip_close(): the parts must outlive the archive. A deque never
  // moves its elements.
  std::deque<DeflatedPart> parts;
  zip_error_t error;
  zip_error_init(&error);
  std::unique_ptr<zip_source_t, SourceDeleter> buffer(
      zip_source_buffer_create(nullptr, 0, 0, &error));
  if (!buffer) fail("buffer", &error);
  std::unique_ptr<zip_t, ArchiveDeleter> archive(
      zip_open_from_source(buffer.get(), ZIP_TRUNCATE, &error));
  if (!archive) fail("open", &error);
  zip_source_keep(buffer.get());  // the archive releases it at close; we read it afterwards

  // Each part deflated here, at the fastest level (the default level took a 100k-row report 2.5 s
  // of a sync's CPU), and added as it is.
  const auto add = [&](const char* name, DeflatedPart& part) {
    zip_source_t* source = part.source(archive.get());
    if (source == nullptr) fail(name, zip_get_error(archive.get()));
    if (zip_file_add(archive.get(), name, source, ZIP_FL_ENC_UTF_8) < 0) {
      zip_source_free(source);
      fail(name, zip_get_error(archive.get()));
    }
  };
  add("[Content_Types].xml", parts.emplace_back(content_types()));
  add("_rels/.rels", parts.emplace_back(package_rels()));
  add("xl/workbook.xml", parts.emplace_back(workbook()));
  add("xl/_rels/workbook.xml.rels", parts.emplace_back(workbook_rels()));
  add("xl/styles.xml", parts.emplace_back(styles()));
  auto& sheet = parts.emplace_back();
  worksheet(rows, max_rows, sheet);
  add("xl/worksheets/sheet1.xml", sheet);
  if (zip_close(archive.get()) != 0) fail("close", zip_get_error(archive.get()));
  archive.release();  // zip_close freed it

  zip_stat_t stat;
  zip_stat_init(&stat);
  if (zip_source_stat(buffer.get(), &stat) != 0 || zip_source_open(buffer.get()) != 0) {
    fail("read back", zip_source_error(buffer.get()));
  }
  std::string bytes(static_cast<std::size_t>(stat.size), '\0');
  const zip_int64_t got = zip_source_read(buffer.get(), bytes.data(), stat.size);
  zip_source_close(buffer.get());
  if (got < 0 || static_cast<zip_uint64_t>(got) != stat.size) {
    fail("read back", zip_source_error(buffer.get()));
  }
  return bytes;
}

}  // namespace crmsync::folder
