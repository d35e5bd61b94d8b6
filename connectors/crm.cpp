#include "connectors/crm.hpp"

namespace crmsync {

const CrmFieldInfo* CrmSchema::field(std::string_view name) const {
  for (const auto& info : fields)
    if (info.name == name) return &info;
  return nullptr;
}

std::string_view to_string(CrmOperation::Kind kind) {
  switch (kind) {
    case CrmOperation::Kind::create:
      return "create";
    case CrmOperation::Kind::update:
      return "update";
    case CrmOperation::Kind::upsert:
      return "upsert";
  }
  return "create";
}

std::optional<std::string_view> value_of(const CrmValues& values, std::string_view field) {
  for (const auto& [name, value] : values)
    if (name == field) return value ? std::optional<std::string_view>(*value) : std::nullopt;
  return std::nullopt;
}

void Crm::query_together(std::span<const CrmQuery> queries,
                         const std::function<void(std::size_t, const CrmValues&)>& out) {
  for (std::size_t i = 0; i < queries.size(); ++i)
    query(queries[i], [&](const CrmValues& values) { out(i, values); });
}

int CrmUsage::total() const {
  int sum = 0;
  for (const auto& [kind, count] : calls)
    sum += count;
  return sum;
}

}  // namespace crmsync
