// Loads --seed DIR: users.csv, accounts.csv, contacts.csv (and leads.csv when present), headers
// are field API names; unknown columns (e.g. AccountName) are ignored. Records keep their Id, so
// seeding again after a restart changes nothing.
#pragma once

#include <string>

#include "salesforce/org.hpp"

namespace sandbox::salesforce {

// Throws std::runtime_error naming the file and line on unreadable input.
void load_seed(Org& org, const std::string& dir);

}  // namespace sandbox::salesforce
