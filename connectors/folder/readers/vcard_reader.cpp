#include "connectors/folder/readers/vcard_reader.hpp"

#include <cstring>
#include <vector>

#include "connectors/folder/readers/table_assembler.hpp"
#include "connectors/folder/readers/vcard_property.hpp"
#include "core/error.hpp"

namespace crmsync::folder {
namespace {

enum Column : std::size_t {
  kFullName,
  kFirst,
  kMiddle,
  kLast,
  kPrefix,
  kSuffix,
  kNickname,
  kCompany,
  kDepartment,
  kTitle,
  kRole,
  kEmail,
  kEmail2,
  kEmail3,
  kPhone,
  kMobile,
  kHome,
  kFax,
  kOther,
  kStreet,
  kCity,
  kRegion,
  kPostal,
  kCountry,
  kBirthday,
  kWebsite,
  kNote
};

struct Card {
  std::uint32_t number = 0;
  std::vector<std::string> values = std::vector<std::string>(kVCardColumns.size());
  std::vector<std::string> emails;
  bool have_address = false;
  bool address_is_work = false;
};

void set_if_empty(std::string& slot, const std::string& value) {
  if (slot.empty()) slot = value;
}

std::string iso_birthday(const std::string& value) {
  if (value.size() == 8 && value.find_first_not_of("0123456789") == std::string::npos)
    return value.substr(0, 4) + "-" + value.substr(4, 2) + "-" + value.substr(6, 2);
  return value;
}

void apply(Card& card, const VCardProperty& p) {
  const auto& name = p.name;
  const bool structured = name == "N" || name == "ADR" || name == "ORG";
  const auto parts = decode_vcard_value(p, structured);
  if (parts.empty()) return;
  auto part = [&](std::size_t i) { return i < parts.size() ? parts[i] : std::string(); };
  auto& v = card.values;
  if (name == "FN") {
    v[kFullName] = part(0);
  } else if (name == "N") {
    v[kLast] = part(0);
    v[kFirst] = part(1);
    v[kMiddle] = part(2);
    v[kPrefix] = part(3);
    v[kSuffix] = part(4);
  } else if (name == "NICKNAME") {
    v[kNickname] = part(0);
  } else if (name == "ORG") {
    v[kCompany] = part(0);
    v[kDepartment] = part(1);
  } else if (name == "TITLE") {
    v[kTitle] = part(0);
  } else if (name == "ROLE") {
    v[kRole] = part(0);
  } else if (name == "EMAIL") {
    if (part(0).empty()) return;
    if (p.types.contains("PREF"))
      card.emails.insert(card.emails.begin(), part(0));
    else
      card.emails.push_back(part(0));
  } else if (name == "TEL") {
    const std::string number = part(0);
    if (number.empty()) return;
    std::string* slot = nullptr;
    if (p.types.contains("CELL"))
      slot = &v[kMobile];
    else if (p.types.contains("FAX"))
      slot = &v[kFax];
    else if (p.types.contains("HOME"))
      slot = &v[kHome];
    else
      slot = &v[kPhone];
    if (slot->empty()) {
      *slot = number;
    } else {
      v[kOther] += v[kOther].empty() ? number : "; " + number;
    }
  } else if (name == "ADR") {
    const bool work = p.types.contains("WORK");
    if (card.have_address && (card.address_is_work || !work)) return;
    card.have_address = true;
    card.address_is_work = work;
    std::string street = part(2);
    if (!part(1).empty()) street = street.empty() ? part(1) : street + "\n" + part(1);
    v[kStreet] = street;
    v[kCity] = part(3);
    v[kRegion] = part(4);
    v[kPostal] = part(5);
    v[kCountry] = part(6);
  } else if (name == "BDAY") {
    v[kBirthday] = iso_birthday(part(0));
  } else if (name == "URL") {
    set_if_empty(v[kWebsite], part(0));
  } else if (name == "NOTE") {
    v[kNote] = part(0);
  }
}

class VCardBuilder {
 public:
  VCardBuilder(const ReadOptions& options, RecordSink& sink)
      : options_(options), sink_(sink), header_(std::make_shared<Header>()) {
    for (const auto column : kVCardColumns)
      header_->columns.emplace_back(column);
    sink_.on_table(TableInfo{"vcard", "", "", ""}, header_);
  }

  void line(std::string_view text) {
    if (text.empty()) return;
    const auto property = parse_vcard_line(text);
    if (!property) return;
    if (property->name == "BEGIN" && upper_eq(property->raw_value, "VCARD")) {
      if (card_) unclosed();
      card_ = Card{};
      card_->number = ++count_;
      return;
    }
    if (!card_) return;  // lines between cards mean nothing
    if (property->name == "END") {
      emit();
      return;
    }
    try {
      apply(*card_, *property);
    } catch (const Error& e) {
      sink_.on_row_error(RowError{provenance(card_->number), 0, e.what()});
      card_.reset();
    }
  }

  void finish() {
    if (card_) unclosed();
  }

  std::uint32_t count() const noexcept { return count_; }

 private:
  static bool upper_eq(const std::string& value, std::string_view word) {
    if (value.size() < word.size()) return false;
    for (std::size_t i = 0; i < word.size(); ++i)
      if (std::toupper(static_cast<unsigned char>(value[i])) != word[i]) return false;
    return value.find_first_not_of(" \t\r", word.size()) == std::string::npos;
  }

  Provenance provenance(std::uint32_t number) const {
    return Provenance{options_.source, options_.owner,   options_.item, "",
                      number,          options_.modified};
  }

  void unclosed() {
    sink_.on_row_error(RowError{provenance(card_->number), 0,
                                "card " + std::to_string(card_->number)
                                    + " has no END:VCARD (the file is cut short or damaged)"});
    card_.reset();
  }

  void emit() {
    Card& card = *card_;
    for (std::size_t i = 0; i < card.emails.size() && i < 3; ++i)
      card.values[kEmail + i] = card.emails[i];
    std::vector<Cell> cells;
    cells.reserve(card.values.size());
    for (std::string& value : card.values) {
      Cell cell;
      if (!value.empty()) {
        cell.kind = CellKind::text;
        cell.text = std::move(value);
      }
      cells.push_back(std::move(cell));
    }
    while (!cells.empty() && cells.back().empty())
      cells.pop_back();
    sink_.on_record(Record{provenance(card.number), header_, std::move(cells)});
    card_.reset();
  }

  const ReadOptions& options_;
  RecordSink& sink_;
  std::shared_ptr<Header> header_;
  std::optional<Card> card_;
  std::uint32_t count_ = 0;
};

// Joins physical lines into content lines: RFC 2425 folding (a line starting with a space or tab
// continues the previous one) and 2.1 quoted-printable soft breaks (a line ending in '=').
class Unfolder {
 public:
  Unfolder(VCardBuilder& builder, std::uint64_t max_line)
      : builder_(builder), max_line_(max_line) {}

  void physical(std::string_view line) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (soft_break_) {
      append(line);
    } else if (!line.empty() && (line[0] == ' ' || line[0] == '\t') && !current_.empty()) {
      append(line.substr(1));
    } else {
      flush();
      append(line);
    }
    soft_break_ = !current_.empty() && current_.back() == '=' && is_quoted_printable_line(current_);
    if (soft_break_) current_.pop_back();
  }

  void flush() {
    if (!current_.empty()) builder_.line(current_);
    current_.clear();
    soft_break_ = false;
  }

 private:
  void append(std::string_view text) {
    if (current_.size() + text.size() > max_line_)
      throw Error(ErrorCategory::input, "a vCard line is longer than "
                                            + std::to_string(max_line_ >> 20)
                                            + " MB: the file is damaged or not a vCard");
    current_.append(text);
  }

  VCardBuilder& builder_;
  std::uint64_t max_line_;
  std::string current_;
  bool soft_break_ = false;
};

}  // namespace

void read_vcard(ByteSource& source, const std::string& file_name, const ReadOptions& options,
                RecordSink& sink) {
  ReadOptions named = options;
  named.item = item_name(options, file_name);
  VCardBuilder builder(named, sink);
  Unfolder unfolder(builder, options.limits.max_record_bytes);
  std::string buffer;
  std::vector<char> chunk(1u << 20);
  std::uint64_t total = 0;
  bool first = true;
  for (;;) {
    const std::size_t n = source.read(chunk);
    total += n;
    if (total > options.limits.max_file_bytes)
      throw Error(ErrorCategory::input, file_name + " is larger than the vCard size limit");
    std::string_view data(chunk.data(), n);
    if (first && data.starts_with("\xEF\xBB\xBF")) data.remove_prefix(3);
    first = false;
    if (std::memchr(data.data(), '\0', data.size()) != nullptr)
      throw Error(ErrorCategory::input, file_name + " is not a vCard file (it contains NUL bytes)");
    buffer.append(data);
    std::size_t start = 0;
    for (std::size_t nl; (nl = buffer.find('\n', start)) != std::string::npos; start = nl + 1)
      unfolder.physical(std::string_view(buffer).substr(start, nl - start));
    buffer.erase(0, start);
    if (buffer.size() > options.limits.max_record_bytes)
      throw Error(ErrorCategory::input, file_name + ": a line is longer than the size limit");
    if (n == 0) break;
  }
  if (!buffer.empty()) unfolder.physical(buffer);
  unfolder.flush();
  builder.finish();
  source.check_unchanged();
}

}  // namespace crmsync::folder
