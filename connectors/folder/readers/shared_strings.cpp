#include "connectors/folder/readers/xlsx_parts.hpp"
#include "connectors/folder/readers/xml_stream.hpp"

namespace crmsync::folder {
namespace {

// <si><t>plain</t></si> or <si><r><t>rich</t></r><r><t> runs</t></r><rPh><t>phonetic</t></rPh></si>
class SharedStringsHandler final : public XmlHandler {
 public:
  void start(std::string_view name, const char**) override {
    if (name == "si") {
      current_.clear();
    } else if (name == "t") {
      in_text_ = phonetic_ == 0;
    } else if (name == "rPh") {
      ++phonetic_;
    }
  }
  void end(std::string_view name) override {
    if (name == "si") {
      strings.push_back(std::move(current_));
      current_.clear();
    } else if (name == "t") {
      in_text_ = false;
    } else if (name == "rPh" && phonetic_ > 0) {
      --phonetic_;
    }
  }
  void text(std::string_view s) override {
    if (in_text_) current_.append(s);
  }
  std::vector<std::string> strings;

 private:
  std::string current_;
  bool in_text_ = false;
  int phonetic_ = 0;
};

}  // namespace

std::vector<std::string> read_shared_strings(ZipArchive& zip, const std::string& path) {
  if (path.empty() || !zip.contains(path)) return {};
  SharedStringsHandler handler;
  XmlStream xml(handler, path);
  zip.stream(path, [&xml](std::string_view chunk) {
    xml.feed(chunk, false);
    return !xml.stopped();
  });
  xml.feed({}, true);
  return std::move(handler.strings);
}

}  // namespace crmsync::folder
