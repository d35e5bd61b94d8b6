// connectors/folder/readers/xml_scanner.hpp — a hand-rolled XML tokenizer for worksheet parts,
// driving the same XmlHandler as XmlStream (names without prefixes, attributes as a
// null-terminated name/value array, text with entities decoded and line ends normalised).
//
// Why hand-rolled: a worksheet is the one part whose size grows with the file, and expat alone
// (no handlers at all) tops out near 200,000 rows/s of 10 columns, below the reader's 300,000
// target; this scanner works in place on its own copy of the bytes (memchr to the next '<', no
// name interning, no attribute normalisation) at several times that. It keeps expat's
// refusals that matter: any DOCTYPE (so no entity expansion), undefined entities, invalid UTF-8
// and control characters in text, mismatched or unclosed tags, content after the root. XML it
// would need more than this (a part declared in another encoding, or in UTF-16) goes whole to expat
// instead; Excel and every writer we have seen emit UTF-8.
// tests/unit/folder_readers/xml_scanner_test.cpp and the fuzz_sheet_xml target check it against
// expat event by event.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/folder/readers/xml_stream.hpp"

namespace crmsync::folder {

class XmlScanner {
 public:
  XmlScanner(XmlHandler& handler, std::string part_name);
  ~XmlScanner();
  XmlScanner(const XmlScanner&) = delete;
  XmlScanner& operator=(const XmlScanner&) = delete;

  // Throws Error(input) on malformed XML or a DOCTYPE.
  void feed(std::string_view chunk, bool last);
  // Stops parsing from inside a handler (the sheet scan needs only the first rows).
  void stop() noexcept;
  bool stopped() const noexcept { return stopped_; }

 private:
  // Each returns false when the buffer ends before the construct does (more bytes are needed);
  // nothing is modified in place until a construct is known to be complete.
  bool choose_path(bool last);
  bool markup(std::size_t& pos, bool last);
  bool start_tag(std::size_t& pos);
  bool end_tag(std::size_t& pos);
  void text(std::size_t begin, std::size_t end, bool cdata);
  std::size_t decode(std::size_t begin, std::size_t end, bool attribute);
  [[noreturn]] void damaged(const std::string& what, std::size_t pos) const;

  XmlHandler& handler_;
  std::string part_name_;
  std::string buffer_;             // unparsed bytes, modified in place once parsed
  std::size_t consumed_ = 0;       // bytes dropped from buffer_'s front, for error offsets
  std::vector<std::string> open_;  // names of the open elements, as written; [0, depth_) in use
  std::size_t depth_ = 0;
  std::vector<const char*> attributes_;
  // Per attribute of the tag being read: name begin/end, value begin/end, 1 when the value is
  // plain (nothing to decode).
  std::vector<std::size_t> spans_;
  std::unique_ptr<XmlStream> fallback_;  // set when the part is not UTF-8
  bool chosen_ = false;                  // whether the prolog decided between us and expat
  bool seen_root_ = false;
  bool root_closed_ = false;
  bool stopped_ = false;
};

}  // namespace crmsync::folder
