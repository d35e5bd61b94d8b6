#include <map>

#include "connectors/folder/readers/number_format.hpp"
#include "connectors/folder/readers/xlsx_parts.hpp"
#include "connectors/folder/readers/xml_stream.hpp"

namespace crmsync::folder {
namespace {

// numFmts (custom codes, ids >= 164) come before cellXfs in styles.xml, so one pass suffices.
class StylesHandler final : public XmlHandler {
 public:
  void start(std::string_view name, const char** attributes) override {
    if (name == "numFmt") {
      const char* id = xml_attribute(attributes, "numFmtId");
      const char* code = xml_attribute(attributes, "formatCode");
      if (id && code) codes_[std::atoi(id)] = code;
    } else if (name == "cellXfs") {
      in_cell_xfs_ = true;
    } else if (name == "xf" && in_cell_xfs_) {
      const char* id = xml_attribute(attributes, "numFmtId");
      const int fmt = id ? std::atoi(id) : 0;
      const auto code = codes_.find(fmt);
      dates.push_back(
          is_date_format(fmt, code == codes_.end() ? std::string_view() : code->second));
    }
  }
  void end(std::string_view name) override {
    if (name == "cellXfs") in_cell_xfs_ = false;
  }
  std::vector<bool> dates;

 private:
  std::map<int, std::string> codes_;
  bool in_cell_xfs_ = false;
};

}  // namespace

std::vector<bool> read_date_styles(ZipArchive& zip, const std::string& path) {
  if (path.empty() || !zip.contains(path)) return {};
  StylesHandler handler;
  XmlStream xml(handler, path);
  zip.stream(path, [&xml](std::string_view chunk) {
    xml.feed(chunk, false);
    return !xml.stopped();
  });
  xml.feed({}, true);
  return handler.dates;
}

}  // namespace crmsync::folder
