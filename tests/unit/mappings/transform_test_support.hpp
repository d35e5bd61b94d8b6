// tests/unit/mappings/transform_test_support.hpp — builds one transform from a name and a few
// parameters, the way a mapping file would, and runs values through it.
#pragma once

#include <gtest/gtest.h>

#include <map>
#include <string>

#include "mappings/transforms/registry.hpp"

namespace crmsync::mappings::testing {

inline std::unique_ptr<Transform> make(const std::string& name,
                                       const std::map<std::string, ParamValue>& given = {}) {
  const TransformDecl* decl = find_transform(name);
  if (decl == nullptr) throw std::invalid_argument("no transform " + name);
  TransformArgs args;
  for (const auto& param : decl->params) {
    auto found = given.find(param.name);
    args.set(param.name, found != given.end()
                             ? found->second
                             : ParamValue{.text = param.default_value, .list = {}, .aliases = {}});
  }
  auto result = decl->make(args);
  if (auto* error = std::get_if<std::string>(&result)) throw std::invalid_argument(*error);
  return std::move(std::get<std::unique_ptr<Transform>>(result));
}

inline ParamValue text(std::string value) {
  return ParamValue{.text = std::move(value), .list = {}, .aliases = {}};
}

// The value after the transform; rejects come back as "REJECT(row|field): reason".
inline std::string run(const Transform& transform, std::string value) {
  const auto outcome = transform.apply(value);
  if (outcome.verdict == Verdict::reject_row) return "REJECT(row): " + outcome.reason;
  if (outcome.verdict == Verdict::reject_field) return "REJECT(field): " + outcome.reason;
  return value;
}

}  // namespace crmsync::mappings::testing
