#include "daemon/reconcile/cycle/rep_users.hpp"

#include "daemon/reconcile/index/match_keys.hpp"

namespace crmsync::reconcile {
namespace {

CrmQuery users_by(const char* field, std::vector<std::string> values) {
  CrmQuery query;
  query.object = "User";
  query.fields = {"Id", "Email", "Username"};
  query.in_field = field;
  query.in_values = std::move(values);
  return query;
}

// Files the user `record` is under `wanted` (lower-case -> as written) by its `field`.
void take_user(const CrmValues& record, const char* field,
               const std::map<std::string, std::string>& wanted,
               std::map<std::string, std::string>& users) {
  const auto id = value_of(record, "Id");
  const auto key = value_of(record, field);
  if (!id || !key) return;
  if (auto at = wanted.find(lower_ascii(*key)); at != wanted.end())
    users.emplace(at->second, std::string(*id));
}

}  // namespace

RepUsers::RepUsers(const std::set<std::string>& reps) {
  for (const auto& rep : reps)
    looked_up_[lower_ascii(rep)] = rep;
}

std::vector<CrmQuery> RepUsers::by_email() const {
  if (looked_up_.empty()) return {};
  std::vector<std::string> values;
  for (const auto& [lower, rep] : looked_up_)
    values.push_back(rep);
  return {users_by("Email", std::move(values))};
}

void RepUsers::on_email_record(const CrmValues& record) {
  take_user(record, "Email", looked_up_, users_);
}

UserDirectory RepUsers::directory(Crm& crm) {
  return [this, &crm](const std::set<std::string>& reps) {
    std::map<std::string, std::string> wanted;  // lower-case -> as written, not yet known
    for (const auto& rep : reps)
      if (!users_.contains(rep)) wanted[lower_ascii(rep)] = rep;
    for (const char* by : {"Email", "Username"}) {
      std::vector<std::string> values;
      for (const auto& [lower, rep] : wanted)
        if (!users_.contains(rep)
            && (by != std::string_view("Email") || !looked_up_.contains(lower)))
          values.push_back(rep);
      if (values.empty()) continue;
      crm.query(users_by(by, std::move(values)),
                [&](const CrmValues& record) { take_user(record, by, wanted, users_); });
    }
    std::map<std::string, std::string> found;
    for (const auto& rep : reps)
      if (auto at = users_.find(rep); at != users_.end()) found.emplace(rep, at->second);
    return found;
  };
}

}  // namespace crmsync::reconcile
