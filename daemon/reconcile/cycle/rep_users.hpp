// daemon/reconcile/cycle/rep_users.hpp — the CRM users behind reps' folder names. A rep's folder
// is named by the user's email or CRM username. The reps whose rows changed are looked up by email
// in the same call as the index refresh; a query by username follows only for names no email
// matched, and the planner's later questions are answered from what was read.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "connectors/crm.hpp"
#include "daemon/reconcile/plan/planner.hpp"

namespace crmsync::reconcile {

class RepUsers {
 public:
  explicit RepUsers(const std::set<std::string>& reps);

  // The lookup by email to send along with the index refresh; none when there are no reps.
  std::vector<CrmQuery> by_email() const;
  // A record that query returned.
  void on_email_record(const CrmValues& record);

  // For the planner: users already read, and one more lookup for the reps still unknown.
  UserDirectory directory(Crm& crm);

 private:
  std::map<std::string, std::string> looked_up_;  // lower-case -> as written, asked by email
  std::map<std::string, std::string> users_;      // rep as written -> user id
};

}  // namespace crmsync::reconcile
