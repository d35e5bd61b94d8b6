#include "core/diagnostics/diagnostics.hpp"

#include <fmt/format.h>

#include <algorithm>

namespace crmsync {
namespace {

std::string_view severity_name(Severity severity) {
  switch (severity) {
    case Severity::error:
      return "error";
    case Severity::warning:
      return "warning";
    case Severity::note:
      return "note";
  }
  return "error";
}

// The 1-based line `line` of `text`, without its line break.
std::string_view line_of(const std::string& text, int line) {
  std::size_t start = 0;
  for (int current = 1; current < line; ++current) {
    const auto next = text.find('\n', start);
    if (next == std::string::npos) return {};
    start = next + 1;
  }
  auto end = text.find('\n', start);
  if (end == std::string::npos) end = text.size();
  std::string_view view(text.data() + start, end - start);
  if (!view.empty() && view.back() == '\r') view.remove_suffix(1);
  return view;
}

// Control characters would garble a terminal; tabs become one space so the caret still lines up.
std::string printable(std::string_view line) {
  std::string out;
  out.reserve(line.size());
  for (const char c : line) {
    const auto byte = static_cast<unsigned char>(c);
    out += (byte < 0x20 || byte == 0x7f) ? ' ' : c;
  }
  return out;
}

}  // namespace

void Diagnostics::add_source(const std::string& file, std::string text) {
  sources_[file] = std::make_shared<const std::string>(std::move(text));
}

void Diagnostics::report(Diagnostic diagnostic) {
  if (diagnostic.severity == Severity::error) ++error_count_;
  all_.push_back(std::move(diagnostic));
}

void Diagnostics::error(SourceLocation where, std::string message, std::string help) {
  report({Severity::error, std::move(where), std::move(message), std::move(help), false});
}

void Diagnostics::warning(SourceLocation where, std::string message, std::string help) {
  report({Severity::warning, std::move(where), std::move(message), std::move(help), false});
}

std::string Diagnostics::render(const Diagnostic& d) const {
  std::string out = d.where.file;
  if (d.where.line > 0) {
    out += fmt::format(":{}", d.where.line);
    if (d.where.column > 0) out += fmt::format(":{}", d.where.column);
  }
  out += fmt::format(": {}: {}\n", severity_name(d.severity), d.message);

  const auto source = sources_.find(d.where.file);
  if (d.where.line > 0 && source != sources_.end()) {
    std::string line = printable(line_of(*source->second, d.where.line));
    const auto number = std::to_string(d.where.line);
    const std::string gutter(number.size(), ' ');
    if (d.where.column > 0) {
      const auto column = static_cast<std::size_t>(d.where.column - 1);
      auto length = static_cast<std::size_t>(std::max(d.where.length, 1));
      if (column < line.size()) length = std::min(length, line.size() - column);
      if (d.mask_source_span && column < line.size()) {
        line = line.substr(0, column) + "<redacted>";
        length = std::string_view("<redacted>").size();
      }
      out += fmt::format(" {} | {}\n", number, line);
      out += fmt::format(" {} | {}^{}\n", gutter, std::string(column, ' '),
                         std::string(length - 1, '~'));
    } else {
      out += fmt::format(" {} | {}\n", number, d.mask_source_span ? "<redacted>" : line);
    }
    if (!d.help.empty()) out += fmt::format(" {} = help: {}\n", gutter, d.help);
  } else if (!d.help.empty()) {
    out += fmt::format("  = help: {}\n", d.help);
  }
  return out;
}

std::string Diagnostics::render() const {
  std::string out;
  for (const auto& diagnostic : all_)
    out += render(diagnostic);
  return out;
}

}  // namespace crmsync
