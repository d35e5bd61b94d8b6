// connectors/folder/readers/xml_stream.hpp — a SAX parser (expat) for the XML parts of an XLSX,
// fed chunk by chunk. Names arrive without their namespace prefix ("x:row" -> "row", "r:id" ->
// "id"): OOXML writers differ in prefixes, never in local names. Any DOCTYPE is refused, so
// entity-expansion attacks (billion laughs, external entities) never reach expat's expansion.
#pragma once

#include <string>
#include <string_view>

namespace crmsync::folder {

class XmlHandler {
 public:
  virtual ~XmlHandler() = default;
  // `attributes` is expat's null-terminated name/value array, names with prefixes.
  virtual void start(std::string_view name, const char** attributes) = 0;
  virtual void end(std::string_view name) = 0;
  virtual void text(std::string_view) {}
};

// The value of attribute `local_name` (prefix ignored), or nullptr.
const char* xml_attribute(const char** attributes, std::string_view local_name);

class XmlStream {
 public:
  XmlStream(XmlHandler& handler, std::string part_name);
  ~XmlStream();
  XmlStream(const XmlStream&) = delete;
  XmlStream& operator=(const XmlStream&) = delete;

  // Throws Error(input) on malformed XML or a DOCTYPE.
  void feed(std::string_view chunk, bool last);
  // Stops parsing from inside a handler (the sheet scan needs only the first rows).
  void stop();
  bool stopped() const noexcept { return stopped_; }

 private:
  struct Impl;
  Impl* impl_;
  std::string part_name_;
  bool stopped_ = false;
};

}  // namespace crmsync::folder
