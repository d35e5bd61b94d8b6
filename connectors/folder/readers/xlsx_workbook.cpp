#include <map>
#include <vector>

#include "connectors/folder/readers/xlsx_parts.hpp"
#include "connectors/folder/readers/xml_stream.hpp"
#include "core/error.hpp"

namespace crmsync::folder {
namespace {

struct Relationship {
  std::string type;    // last segment of the Type URI: "worksheet", "sharedStrings", ...
  std::string target;  // resolved zip entry name
};

std::string directory_of(const std::string& part) {
  const auto slash = part.rfind('/');
  return slash == std::string::npos ? std::string() : part.substr(0, slash + 1);
}

// Targets are relative to the part's folder, or absolute from the package root ("/xl/...").
std::string resolve(const std::string& base_dir, const std::string& target) {
  std::string joined = target.starts_with('/') ? target.substr(1) : base_dir + target;
  std::vector<std::string> segments;
  std::size_t start = 0;
  while (start <= joined.size()) {
    const auto slash = joined.find('/', start);
    const std::string segment =
        joined.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (segment == "..") {
      if (!segments.empty()) segments.pop_back();
    } else if (!segment.empty() && segment != ".") {
      segments.push_back(segment);
    }
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  std::string out;
  for (const auto& s : segments)
    out += (out.empty() ? "" : "/") + s;
  return out;
}

class RelsHandler final : public XmlHandler {
 public:
  explicit RelsHandler(std::string base_dir) : base_dir_(std::move(base_dir)) {}
  void start(std::string_view name, const char** attributes) override {
    if (name != "Relationship") return;
    const char* id = xml_attribute(attributes, "Id");
    const char* type = xml_attribute(attributes, "Type");
    const char* target = xml_attribute(attributes, "Target");
    const char* mode = xml_attribute(attributes, "TargetMode");
    if (!id || !type || !target || (mode && std::string_view(mode) == "External")) return;
    std::string t(type);
    rels[id] = Relationship{t.substr(t.rfind('/') + 1), resolve(base_dir_, target)};
  }
  void end(std::string_view) override {}
  std::map<std::string, Relationship> rels;

 private:
  std::string base_dir_;
};

std::map<std::string, Relationship> read_rels(ZipArchive& zip, const std::string& part) {
  const std::string dir = directory_of(part);
  const std::string rels_path = dir + "_rels/" + part.substr(dir.size()) + ".rels";
  RelsHandler handler(dir);
  if (!zip.contains(rels_path)) return {};
  XmlStream xml(handler, rels_path);
  zip.stream(rels_path, [&xml](std::string_view chunk) {
    xml.feed(chunk, false);
    return !xml.stopped();
  });
  xml.feed({}, true);
  return handler.rels;
}

class WorkbookHandler final : public XmlHandler {
 public:
  void start(std::string_view name, const char** attributes) override {
    if (name == "workbookPr") {
      const char* d = xml_attribute(attributes, "date1904");
      date1904 = d && (std::string_view(d) == "1" || std::string_view(d) == "true");
    } else if (name == "sheet") {
      const char* sheet_name = xml_attribute(attributes, "name");
      const char* state = xml_attribute(attributes, "state");
      const char* rid = xml_attribute(attributes, "id");
      if (!sheet_name || !rid) return;
      sheets.push_back({sheet_name, rid, state && std::string_view(state) != "visible"});
    }
  }
  void end(std::string_view) override {}
  struct Entry {
    std::string name, rid;
    bool hidden;
  };
  std::vector<Entry> sheets;
  bool date1904 = false;
};

}  // namespace

XlsxWorkbook read_workbook(ZipArchive& zip) {
  std::string workbook_path = "xl/workbook.xml";
  for (const auto& [id, rel] : read_rels(zip, "")) {
    if (rel.type == "officeDocument") workbook_path = rel.target;
  }
  if (!zip.contains(workbook_path))
    throw Error(ErrorCategory::input,
                "the file is a zip archive but not an Excel workbook (no " + workbook_path
                    + "): save it as .xlsx from Excel, or send the files inside it");
  WorkbookHandler handler;
  {
    XmlStream xml(handler, workbook_path);
    zip.stream(workbook_path, [&xml](std::string_view chunk) {
      xml.feed(chunk, false);
      return !xml.stopped();
    });
    xml.feed({}, true);
  }
  const auto rels = read_rels(zip, workbook_path);
  XlsxWorkbook workbook;
  workbook.date1904 = handler.date1904;
  for (const auto& [id, rel] : rels) {
    if (rel.type == "sharedStrings") workbook.shared_strings_path = rel.target;
    if (rel.type == "styles") workbook.styles_path = rel.target;
  }
  for (const auto& entry : handler.sheets) {
    const auto rel = rels.find(entry.rid);
    // Chart sheets and dialog sheets have other relationship types: not tables.
    if (rel == rels.end() || rel->second.type != "worksheet") continue;
    workbook.sheets.push_back(XlsxSheet{entry.name, rel->second.target, entry.hidden});
  }
  if (workbook.sheets.empty()) throw Error(ErrorCategory::input, "the workbook has no worksheets");
  return workbook;
}

}  // namespace crmsync::folder
