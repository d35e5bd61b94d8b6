#include "connectors/folder/readers/xml_scanner.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

#include "connectors/folder/readers/encoding_detector.hpp"
#include "connectors/folder/readers/xml_references.hpp"
#include "core/error.hpp"

namespace crmsync::folder {
namespace {

// A text node longer than this is handed over in pieces; a tag, comment or processing instruction
// longer than this is refused (Excel's cells hold at most 32,767 characters).
constexpr std::size_t kMaxPending = 16u << 20;

// A worksheet nests some ten elements deep; a file nesting thousands is an attack on memory.
constexpr std::size_t kMaxDepth = 1024;

bool is_space(char c) noexcept {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Bytes that end an element or attribute name: white space, '/', '>', '='.
constexpr auto kEndsName = [] {
  std::array<bool, 256> ends{};
  for (const unsigned char c : {' ', '\t', '\n', '\r', '/', '>', '='})
    ends[c] = true;
  return ends;
}();

bool ends_name(char c) noexcept {
  return kEndsName[static_cast<unsigned char>(c)];
}

// Bytes that text and attribute values hold as they are: nothing to decode or check.
constexpr auto kPlain = [] {
  std::array<bool, 256> plain{};
  for (int c = 0x20; c < 0x80; ++c)
    plain[static_cast<std::size_t>(c)] = c != '&' && c != '<';
  return plain;
}();

bool is_plain(char c) noexcept {
  return kPlain[static_cast<unsigned char>(c)];
}

// memchr within [p, end), but the first bytes are looked at inline: most attribute values and
// closing tags end within a few bytes, where a call costs more than the search.
const char* find_byte(const char* p, const char* end, char c) noexcept {
  for (const char* stop = p + std::min<std::ptrdiff_t>(end - p, 16); p < stop; ++p)
    if (*p == c) return p;
  return p < end ? static_cast<const char*>(std::memchr(p, c, static_cast<std::size_t>(end - p)))
                 : nullptr;
}

// Element names are a few bytes ("c", "v", "row"), and every tag compares one with the open
// element's: inline, where a memcmp call cost more than the compare (a tenth of a worksheet's
// scan, perf).
bool same_name(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t k = 0; k < a.size(); ++k)
    if (a[k] != b[k]) return false;
  return true;
}

std::string_view local(std::string_view name) noexcept {
  const auto colon = name.rfind(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

}  // namespace

XmlScanner::XmlScanner(XmlHandler& handler, std::string part_name)
    : handler_(handler), part_name_(std::move(part_name)) {}

XmlScanner::~XmlScanner() = default;

void XmlScanner::damaged(const std::string& what, std::size_t pos) const {
  throw Error(ErrorCategory::input,
              part_name_ + " is damaged: " + what + " at byte " + std::to_string(consumed_ + pos));
}

void XmlScanner::stop() noexcept {
  stopped_ = true;
  if (fallback_) fallback_->stop();
}

// Only UTF-8 is scanned here. A part in another encoding (a UTF-16 BOM, or a declaration naming
// another charset) goes whole to expat, decided before any event is reported.
bool XmlScanner::choose_path(bool last) {
  const std::string_view head(buffer_);
  const bool utf16 = head.starts_with("\xFF\xFE") || head.starts_with("\xFE\xFF")
                     || head.starts_with(std::string_view("<\0", 2))
                     || head.starts_with(std::string_view("\0<", 2));
  bool other_encoding = utf16;
  if (!utf16 && head.starts_with("<?xml")) {
    const auto end = head.find("?>");
    if (end == std::string_view::npos) {
      if (!last && head.size() < 4096) return false;
    } else {
      const auto declaration = head.substr(0, end);
      const auto at = declaration.find("encoding");
      if (at != std::string_view::npos) {
        auto rest = declaration.substr(at + 8);
        const auto quote = rest.find_first_of("\"'");
        if (quote != std::string_view::npos) {
          rest = rest.substr(quote + 1);
          const auto name = rest.substr(0, rest.find(declaration[at + 8 + quote]));
          other_encoding = !(name.size() == 5 && (name[0] | 0x20) == 'u' && (name[1] | 0x20) == 't'
                             && (name[2] | 0x20) == 'f' && name[3] == '-' && name[4] == '8');
        }
      }
    }
  } else if (head.size() < 5 && !last) {
    return false;  // too short to know yet
  }
  if (other_encoding) fallback_ = std::make_unique<XmlStream>(handler_, part_name_);
  chosen_ = true;
  return true;
}

void XmlScanner::feed(std::string_view chunk, bool last) {
  if (stopped_) return;
  if (fallback_) {
    fallback_->feed(chunk, last);
    return;
  }
  buffer_.append(chunk);
  if (!chosen_) {
    if (!choose_path(last)) return;
    if (fallback_) {
      std::string bytes = std::move(buffer_);
      buffer_.clear();
      fallback_->feed(bytes, last);
      return;
    }
  }
  std::size_t pos = 0;
  if (consumed_ == 0 && buffer_.starts_with("\xEF\xBB\xBF")) pos = 3;
  const std::size_t size = buffer_.size();
  while (pos < size && !stopped_) {
    if (buffer_[pos] == '<') {
      if (!markup(pos, last)) break;
      continue;
    }
    const void* lt = std::memchr(buffer_.data() + pos, '<', size - pos);
    std::size_t end =
        lt ? static_cast<std::size_t>(static_cast<const char*>(lt) - buffer_.data()) : size;
    if (!lt && !last) {
      if (size - pos < kMaxPending) break;
      // A huge text node goes in pieces, cut where no entity, CR LF or UTF-8 sequence is split.
      const auto amp = buffer_.rfind('&');
      if (amp != std::string::npos && amp >= pos && buffer_.find(';', amp) == std::string::npos)
        end = amp;
      if (end > pos && buffer_[end - 1] == '\r') --end;
      std::size_t back = 0;
      while (end > pos && back < 3
             && (static_cast<std::uint8_t>(buffer_[end - 1]) & 0xC0) == 0x80) {
        --end;
        ++back;
      }
      if (end > pos && static_cast<std::uint8_t>(buffer_[end - 1]) >= 0xC0) --end;
      if (end == pos) damaged("unreadable text", pos);
    }
    text(pos, end, false);
    pos = end;
  }
  if (pos > 0) {
    buffer_.erase(0, pos);
    consumed_ += pos;
  }
  if (!last || stopped_) return;
  if (!buffer_.empty()) damaged("unclosed token", 0);
  if (!seen_root_) damaged("no element found", 0);
  if (depth_ > 0) damaged("unclosed element <" + open_[depth_ - 1] + ">", 0);
}

bool XmlScanner::markup(std::size_t& pos, bool last) {
  const std::string_view rest = std::string_view(buffer_).substr(pos);
  auto incomplete = [&]() {
    if (last) damaged("unclosed token", pos);
    if (rest.size() > kMaxPending) damaged("a tag longer than 16 MB", pos);
    return false;
  };
  if (rest.size() < 2) return incomplete();
  if (rest[1] == '/') return end_tag(pos) || incomplete();
  if (rest[1] == '?') {
    const auto end = buffer_.find("?>", pos + 2);
    if (end == std::string::npos) return incomplete();
    pos = end + 2;
    return true;
  }
  if (rest[1] != '!') return start_tag(pos) || incomplete();
  constexpr std::string_view kComment = "<!--", kCdata = "<![CDATA[", kDoctype = "<!DOCTYPE";
  for (const auto keyword : {kComment, kCdata, kDoctype})
    if (rest.size() < keyword.size() && keyword.starts_with(rest)) return incomplete();
  if (rest.starts_with(kComment)) {
    const auto end = buffer_.find("-->", pos + kComment.size());
    if (end == std::string::npos) return incomplete();
    pos = end + 3;
    return true;
  }
  if (rest.starts_with(kCdata)) {
    const auto end = buffer_.find("]]>", pos + kCdata.size());
    if (end == std::string::npos) return incomplete();
    text(pos + kCdata.size(), end, true);
    pos = end + 3;
    return true;
  }
  if (rest.starts_with(kDoctype))
    throw Error(
        ErrorCategory::input,
        part_name_ + " declares a DOCTYPE (entity expansion is refused): not an Excel file");
  damaged("invalid markup", pos);
}

bool XmlScanner::end_tag(std::size_t& pos) {
  const char* const data = buffer_.data();
  const char* const found = find_byte(data + pos + 2, data + buffer_.size(), '>');
  if (!found) return false;
  const auto gt = static_cast<std::size_t>(found - data);
  std::size_t name_end = gt;
  while (name_end > pos + 2 && is_space(buffer_[name_end - 1]))
    --name_end;
  const std::string_view name(buffer_.data() + pos + 2, name_end - pos - 2);
  if (depth_ == 0 || !same_name(open_[depth_ - 1], name)) damaged("mismatched tag", pos);
  handler_.end(local(name));
  if (--depth_ == 0) root_closed_ = true;
  pos = gt + 1;
  return true;
}

bool XmlScanner::start_tag(std::size_t& pos) {
  char* const data = buffer_.data();
  const std::size_t size = buffer_.size();
  std::size_t i = pos + 1;
  while (i < size && !ends_name(data[i]))
    ++i;
  if (i == size) return false;
  const std::size_t name_end = i;
  if (name_end == pos + 1) damaged("invalid token", pos);
  // First only find where everything is: the tag may continue in the next chunk, and then it is
  // read again from its '<'.
  spans_.clear();
  bool empty = false;
  for (;;) {
    const std::size_t before = i;
    while (i < size && is_space(data[i]))
      ++i;
    if (i == size) return false;
    if (data[i] == '>') {
      ++i;
      break;
    }
    if (data[i] == '/') {
      if (i + 1 == size) return false;
      if (data[i + 1] != '>') damaged("invalid token", i);
      empty = true;
      i += 2;
      break;
    }
    if (i == before) damaged("attributes not separated by spaces", i);
    const std::size_t attribute = i;
    while (i < size && !ends_name(data[i]))
      ++i;
    if (i == size) return false;
    const std::size_t attribute_end = i;
    if (attribute_end == attribute) damaged("invalid token", i);
    while (i < size && is_space(data[i]))
      ++i;
    if (i == size) return false;
    if (data[i] != '=') damaged("attribute without a value", i);
    ++i;
    while (i < size && is_space(data[i]))
      ++i;
    if (i == size) return false;
    const char quote = data[i];
    if (quote != '"' && quote != '\'') damaged("unquoted attribute value", i);
    // Values are short ("A2", "s"): one inline pass finds the closing quote and whether there is
    // anything to decode.
    const char* close = data + i + 1;
    bool plain = true;
    for (; close < data + size && *close != quote; ++close)
      plain = plain && is_plain(*close);
    if (close == data + size) return false;
    const auto value_end = static_cast<std::size_t>(close - data);
    // One by one: insert() of an initializer list costs a memmove call per attribute.
    spans_.push_back(attribute);
    spans_.push_back(attribute_end);
    spans_.push_back(i + 1);
    spans_.push_back(value_end);
    spans_.push_back(plain ? 1 : 0);
    i = value_end + 1;
  }
  if (root_closed_) damaged("junk after document element", pos);
  seen_root_ = true;
  // The tag is complete: now names are terminated and values decoded in place.
  attributes_.clear();
  for (std::size_t k = 0; k < spans_.size(); k += 5) {
    data[spans_[k + 1]] = '\0';
    const std::size_t value_end =
        spans_[k + 4] != 0 ? spans_[k + 3] : decode(spans_[k + 2], spans_[k + 3], true);
    data[value_end] = '\0';
    attributes_.push_back(data + spans_[k]);
    attributes_.push_back(data + spans_[k + 2]);
  }
  attributes_.push_back(nullptr);
  const std::string_view name(data + pos + 1, name_end - pos - 1);
  if (!empty) {
    // The names' strings are reused from element to element: no allocation per tag.
    if (depth_ == kMaxDepth) damaged("elements nested too deep", pos);
    if (depth_ == open_.size())
      open_.emplace_back(name);
    else if (!same_name(open_[depth_], name))  // the same element as last time, mostly
      open_[depth_].assign(name);
    ++depth_;
  }
  pos = i;
  handler_.start(local(name), attributes_.data());
  if (empty && !stopped_) {
    handler_.end(local(name));
    if (depth_ == 0) root_closed_ = true;
  }
  return true;
}

// Decodes [begin, end) of the buffer in place (entities, line ends; in attribute values also
// whitespace to spaces) and checks it is text XML allows; returns the decoded end.
std::size_t XmlScanner::decode(std::size_t begin, std::size_t end, bool attribute) {
  char* const data = buffer_.data();
  std::size_t in = begin;
  // Most values are plain ASCII with nothing to decode: they are left where they are, unchecked.
  while (in < end && is_plain(data[in]))
    ++in;
  if (in == end) return end;
  std::size_t out = in;
  while (in < end) {
    const char c = data[in];
    if (c == '&') {
      const void* semi = std::memchr(data + in + 1, ';', end - in - 1);
      std::uint32_t code = 0;
      if (!semi) damaged("unterminated entity reference", in);
      const auto semi_at = static_cast<std::size_t>(static_cast<const char*>(semi) - data);
      if (!xml_reference_value(std::string_view(data + in + 1, semi_at - in - 1), code))
        damaged("undefined entity", in);
      out = static_cast<std::size_t>(put_utf8(data + out, code) - data);
      in = semi_at + 1;
    } else if (c == '\r') {
      data[out++] = attribute ? ' ' : '\n';
      ++in;
      if (in < end && data[in] == '\n') ++in;
    } else if (c == '<') {
      damaged("'<' in an attribute value", in);
    } else if (static_cast<std::uint8_t>(c) < 0x20 && c != '\t' && c != '\n') {
      damaged("a control character", in);
    } else {
      data[out++] = attribute && (c == '\t' || c == '\n') ? ' ' : c;
      ++in;
    }
  }
  if (valid_utf8_prefix(std::string_view(data + begin, out - begin)) != out - begin)
    damaged("invalid UTF-8", begin);
  return out;
}

void XmlScanner::text(std::size_t begin, std::size_t end, bool cdata) {
  if (begin == end) return;
  if (!seen_root_ || root_closed_) {
    for (std::size_t i = begin; i < end; ++i)
      if (cdata || !is_space(buffer_[i])) damaged("text outside the root element", i);
    return;
  }
  std::size_t decoded_end = end;
  if (cdata) {
    // CDATA keeps '&' and '<' as written; only line ends are normalised.
    char* const data = buffer_.data();
    std::size_t out = begin;
    for (std::size_t in = begin; in < end; ++in) {
      if (data[in] == '\r') {
        data[out++] = '\n';
        if (in + 1 < end && data[in + 1] == '\n') ++in;
      } else if (static_cast<std::uint8_t>(data[in]) < 0x20 && data[in] != '\t'
                 && data[in] != '\n') {
        damaged("a control character", in);
      } else {
        data[out++] = data[in];
      }
    }
    decoded_end = out;
    if (valid_utf8_prefix(std::string_view(data + begin, out - begin)) != out - begin)
      damaged("invalid UTF-8", begin);
  } else {
    decoded_end = decode(begin, end, false);
  }
  if (decoded_end > begin)
    handler_.text(std::string_view(buffer_.data() + begin, decoded_end - begin));
}

}  // namespace crmsync::folder
