// core/diagnostics/diagnostics.hpp — errors that point: file:line:col, the source line, a caret
// under the offending token, and a did-you-mean. Collected, never thrown one by one, so a single
// run reports every problem of every file.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace crmsync {

enum class Severity { error, warning, note };

struct SourceLocation {
  std::string file;
  int line = 0;    // 1-based; 0 = the file as a whole
  int column = 0;  // 1-based byte column; 0 = the line as a whole
  int length = 1;  // bytes underlined by the caret
};

struct Diagnostic {
  Severity severity = Severity::error;
  SourceLocation where;
  std::string message;
  std::string help;               // shown as "= help: ..."; empty for none
  bool mask_source_span = false;  // the span holds a secret: never print it
};

class Diagnostics {
 public:
  // Registers a file's text so rendered diagnostics can show the offending line.
  void add_source(const std::string& file, std::string text);

  void report(Diagnostic diagnostic);
  void error(SourceLocation where, std::string message, std::string help = {});
  void warning(SourceLocation where, std::string message, std::string help = {});

  bool has_errors() const noexcept { return error_count_ > 0; }
  std::size_t error_count() const noexcept { return error_count_; }
  std::size_t warning_count() const noexcept { return all_.size() - error_count_; }
  const std::vector<Diagnostic>& all() const noexcept { return all_; }

  // Every diagnostic in the order reported, each as the STYLE.md format shows.
  std::string render() const;
  std::string render(const Diagnostic& diagnostic) const;

 private:
  std::map<std::string, std::shared_ptr<const std::string>> sources_;
  std::vector<Diagnostic> all_;
  std::size_t error_count_ = 0;
};

// The closest declared name to `word`, or "" when none is close enough to be a useful suggestion.
// Case, '-' and '_' differences count as near; otherwise Damerau-Levenshtein within a third of
// the word's length.
std::string did_you_mean(std::string_view word, const std::vector<std::string_view>& candidates);
std::string did_you_mean(std::string_view word, const std::vector<std::string>& candidates);

// "did you mean 'x'?" or "" — the help text the renderers print.
std::string suggestion_help(std::string_view word, const std::vector<std::string_view>& candidates);

}  // namespace crmsync
