// tests/unit/folder_inbox/xlsx_test_reader.hpp — reads an XLSX back the way a spreadsheet program
// does (libzip for the package, expat for the XML), independent of the writer's code.
#pragma once

#include <expat.h>
#include <zip.h>

#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace crmsync::folder::testing {

class XlsxPackage {
 public:
  explicit XlsxPackage(const std::string& bytes) : bytes_(bytes) {
    zip_error_t error;
    zip_error_init(&error);
    zip_source_t* source = zip_source_buffer_create(bytes_.data(), bytes_.size(), 0, &error);
    if (source == nullptr) throw std::runtime_error("zip source");
    archive_ = zip_open_from_source(source, ZIP_RDONLY | ZIP_CHECKCONS, &error);
    if (archive_ == nullptr) {
      zip_source_free(source);
      throw std::runtime_error(std::string("not a zip: ") + zip_error_strerror(&error));
    }
  }
  ~XlsxPackage() { zip_discard(archive_); }
  XlsxPackage(const XlsxPackage&) = delete;
  XlsxPackage& operator=(const XlsxPackage&) = delete;

  std::vector<std::string> names() const {
    std::vector<std::string> out;
    const zip_int64_t count = zip_get_num_entries(archive_, 0);
    for (zip_int64_t i = 0; i < count; ++i) {
      out.emplace_back(zip_get_name(archive_, static_cast<zip_uint64_t>(i), 0));
    }
    return out;
  }

  std::string read(const std::string& name) const {
    zip_stat_t stat;
    if (zip_stat(archive_, name.c_str(), 0, &stat) != 0) throw std::runtime_error("no " + name);
    zip_file_t* file = zip_fopen(archive_, name.c_str(), 0);
    if (file == nullptr) throw std::runtime_error("cannot open " + name);
    std::string out(static_cast<std::size_t>(stat.size), '\0');
    const zip_int64_t got = zip_fread(file, out.data(), stat.size);
    zip_fclose(file);
    if (got != static_cast<zip_int64_t>(stat.size)) throw std::runtime_error("short read");
    return out;
  }

 private:
  std::string bytes_;
  zip_t* archive_ = nullptr;
};

// True when expat parses `xml` completely (well-formed, valid UTF-8, no forbidden characters).
inline bool well_formed_xml(const std::string& xml, std::string* error = nullptr) {
  XML_Parser parser = XML_ParserCreate(nullptr);
  const bool ok = XML_Parse(parser, xml.data(), static_cast<int>(xml.size()), 1) == XML_STATUS_OK;
  if (!ok && error != nullptr) *error = XML_ErrorString(XML_GetErrorCode(parser));
  XML_ParserFree(parser);
  return ok;
}

struct SheetCell {
  std::string text;   // inline string text or the <v> value
  std::string type;   // the t= attribute ("inlineStr"; empty for numbers)
  std::string style;  // the s= attribute
};

// Cells of a worksheet by reference ("A1"), as a spreadsheet program would read them.
inline std::map<std::string, SheetCell> read_sheet_cells(const std::string& xml) {
  struct State {
    std::map<std::string, SheetCell> cells;
    std::string ref;
    bool in_text = false;
  } state;
  XML_Parser parser = XML_ParserCreate(nullptr);
  XML_SetUserData(parser, &state);
  XML_SetElementHandler(
      parser,
      [](void* data, const XML_Char* name, const XML_Char** attributes) {
        auto& s = *static_cast<State*>(data);
        const std::string element = name;
        if (element == "c") {
          SheetCell cell;
          for (int i = 0; attributes[i] != nullptr; i += 2) {
            const std::string key = attributes[i];
            if (key == "r") s.ref = attributes[i + 1];
            if (key == "t") cell.type = attributes[i + 1];
            if (key == "s") cell.style = attributes[i + 1];
          }
          s.cells[s.ref] = cell;
        } else if (element == "t" || element == "v") {
          s.in_text = true;
        }
      },
      [](void* data, const XML_Char* name) {
        auto& s = *static_cast<State*>(data);
        const std::string element = name;
        if (element == "t" || element == "v") s.in_text = false;
      });
  XML_SetCharacterDataHandler(parser, [](void* data, const XML_Char* text, int length) {
    auto& s = *static_cast<State*>(data);
    if (s.in_text) s.cells[s.ref].text.append(text, static_cast<std::size_t>(length));
  });
  const bool ok = XML_Parse(parser, xml.data(), static_cast<int>(xml.size()), 1) == XML_STATUS_OK;
  XML_ParserFree(parser);
  if (!ok) throw std::runtime_error("worksheet XML is not well-formed");
  return state.cells;
}

}  // namespace crmsync::folder::testing
