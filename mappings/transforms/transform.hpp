// mappings/transforms/transform.hpp — one step of a field's transform chain, and the declaration
// (name, parameters, one-line doc) that the loader, the validator, did-you-mean and
// docs/mapping-reference.md all read. A transform is built once when a mapping compiles and then
// applied to many values; it rewrites the value in place and says whether the value (or the row)
// must be rejected, with a reason in plain words for the rep's report.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace crmsync::mappings {

enum class Verdict : std::uint8_t {
  ok,            // the value (possibly rewritten) goes on
  reject_field,  // the value is unusable: the field is left empty, the row goes on
  reject_row,    // the value makes the whole row unusable
};

struct TransformOutcome {
  Verdict verdict = Verdict::ok;
  std::string reason;  // plain words, for rejects only

  static TransformOutcome pass() { return {}; }
  bool ok() const noexcept { return verdict == Verdict::ok; }
};

class Transform {
 public:
  virtual ~Transform() = default;
  // Rewrites `value`. Empty values are passed through by every transform.
  virtual TransformOutcome apply(std::string& value) const = 0;
};

// What a transform parameter accepts; drives YAML parsing of the parameter and its docs.
enum class ParamKind : std::uint8_t {
  string,       // a scalar
  choice,       // a scalar among `allowed`
  boolean,      // true / false
  string_list,  // a scalar or a list of scalars
  alias_map,    // a map: canonical value -> list of aliases (picklist values)
};

struct ParamDecl {
  std::string name;
  ParamKind kind = ParamKind::string;
  std::string default_value;  // rendered; empty with required=false means "none"
  bool required = false;
  std::vector<std::string> allowed;  // for choice
  std::string doc;
};

// A parsed parameter value; which member is meaningful follows the ParamKind.
struct ParamValue {
  std::string text;
  std::vector<std::string> list;
  std::vector<std::pair<std::string, std::vector<std::string>>> aliases;
};

// Arguments of one transform use, every declared parameter present (defaults filled in).
class TransformArgs {
 public:
  void set(std::string name, ParamValue value) { values_[std::move(name)] = std::move(value); }
  const std::string& text(const std::string& name) const { return get(name).text; }
  bool flag(const std::string& name) const { return get(name).text == "true"; }
  const std::vector<std::string>& list(const std::string& name) const { return get(name).list; }
  const std::vector<std::pair<std::string, std::vector<std::string>>>& aliases(
      const std::string& name) const {
    return get(name).aliases;
  }

 private:
  const ParamValue& get(const std::string& name) const;
  std::map<std::string, ParamValue> values_;
};

// Builds the transform, or returns the reason the arguments cannot work (a bad regex, an unknown
// region), which the loader reports at the transform's position.
using TransformResult = std::variant<std::unique_ptr<Transform>, std::string>;
using TransformFactory = std::function<TransformResult(const TransformArgs&)>;

struct TransformDecl {
  std::string name;
  std::string doc;
  std::vector<ParamDecl> params;
  TransformFactory make;
  bool match_only = false;  // its output is a matching key, never a value written to the CRM
};

// Builds `decl` with every parameter at its default (a transform without required parameters).
TransformResult make_with_defaults(const TransformDecl& decl);

// Shared by the transforms that let the admin choose what a bad value does.
ParamDecl on_invalid_param(std::string default_value, std::string what);
Verdict verdict_from(const std::string& on_invalid);

}  // namespace crmsync::mappings
