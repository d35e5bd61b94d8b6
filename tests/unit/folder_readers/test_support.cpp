#include "tests/unit/folder_readers/test_support.hpp"

#include <unistd.h>
#include <zip.h>

#include <fstream>
#include <stdexcept>

#include "connectors/folder/readers/alias_normalizer.hpp"

namespace crmsync::folder::testing {

std::string CollectingSink::cell(const Record& record, const std::string& column) {
  const auto& columns = record.header->columns;
  for (std::size_t i = 0; i < columns.size() && i < record.cells.size(); ++i)
    if (columns[i] == column) return record.cells[i].text;
  return {};
}

const Record* CollectingSink::row(std::uint32_t number) const {
  for (const auto& r : records)
    if (r.from.row == number) return &r;
  return nullptr;
}

std::filesystem::path TempDir::write(const std::string& name, const std::string& bytes) const {
  const auto file = path() / name;
  std::ofstream out(file, std::ios::binary);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  return file;
}

void write_zip(const std::filesystem::path& path,
               const std::map<std::string, std::string>& entries) {
  int error = 0;
  zip_t* archive = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  if (!archive) throw std::runtime_error("zip_open failed");
  for (const auto& [name, content] : entries) {
    zip_source_t* source = zip_source_buffer(archive, content.data(), content.size(), 0);
    if (!source || zip_file_add(archive, name.c_str(), source, ZIP_FL_OVERWRITE) < 0) {
      zip_source_free(source);
      zip_discard(archive);
      throw std::runtime_error("zip_file_add failed");
    }
  }
  if (zip_close(archive) != 0) throw std::runtime_error("zip_close failed");
}

std::map<std::string, std::string> xlsx_entries(const std::vector<XlsxSheetSpec>& sheets,
                                                const std::string& styles_xml,
                                                const std::string& shared_strings_xml,
                                                bool date1904) {
  const std::string ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
  const std::string rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
  std::map<std::string, std::string> e;
  e["[Content_Types].xml"] =
      "<?xml version=\"1.0\"?><Types "
      "xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>";
  e["_rels/.rels"] =
      "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
      "<Relationship Id=\"rId1\" Type=\"" + rel + "/officeDocument\" Target=\"xl/workbook.xml\"/>"
      "</Relationships>";
  std::string workbook = "<workbook xmlns=\"" + ns + "\" xmlns:r=\"" + rel + "\">"
                         + (date1904 ? "<workbookPr date1904=\"1\"/>" : "<workbookPr/>")
                         + "<sheets>";
  std::string rels =
      "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">";
  for (std::size_t i = 0; i < sheets.size(); ++i) {
    const std::string id = std::to_string(i + 1);
    workbook += "<sheet name=\"" + sheets[i].name + "\" sheetId=\"" + id + "\""
                + (sheets[i].hidden ? " state=\"hidden\"" : "") + " r:id=\"rId" + id + "\"/>";
    rels += "<Relationship Id=\"rId" + id + "\" Type=\"" + rel
            + "/worksheet\" Target=\"worksheets/sheet" + id + ".xml\"/>";
    e["xl/worksheets/sheet" + id + ".xml"] = "<worksheet xmlns=\"" + ns + "\"><sheetData>"
                                             + sheets[i].rows + "</sheetData>"
                                             + sheets[i].after_data + "</worksheet>";
  }
  workbook += "</sheets></workbook>";
  if (!styles_xml.empty()) {
    rels += "<Relationship Id=\"rS\" Type=\"" + rel + "/styles\" Target=\"styles.xml\"/>";
    e["xl/styles.xml"] = styles_xml;
  }
  if (!shared_strings_xml.empty()) {
    rels +=
        "<Relationship Id=\"rT\" Type=\"" + rel + "/sharedStrings\" Target=\"sharedStrings.xml\"/>";
    e["xl/sharedStrings.xml"] = shared_strings_xml;
  }
  rels += "</Relationships>";
  e["xl/workbook.xml"] = workbook;
  e["xl/_rels/workbook.xml.rels"] = rels;
  return e;
}

std::vector<std::string> contact_hint() {
  std::vector<std::string> hint;
  for (const char* alias :
       {"First Name",     "First",          "Given Name",    "Last Name", "Last",
        "Surname",        "Name",           "Contact",       "Full Name", "Email",
        "E-mail",         "E-mail Address", "Email Address", "Phone",     "Telephone",
        "Business Phone", "Work Phone",     "Direct Line",   "Mobile",    "Cell",
        "Cell Phone",     "Mobile Phone",   "Mobile #",      "Company",   "Organisation",
        "Organization",   "Account",        "Title",         "Job Title", "Position",
        "Role",           "Notes"})
    hint.push_back(normalize_alias(alias));
  return hint;
}

}  // namespace crmsync::folder::testing
