#include "salesforce/seed.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "salesforce/csv.hpp"
#include "salesforce/ids.hpp"
#include "salesforce/record_writer.hpp"

namespace sandbox::salesforce {
namespace {

// Seed users carry only names and emails; the org requires these on every User.
const std::map<std::string, std::string> kUserDefaults = {{"TimeZoneSidKey", "America/New_York"},
                                                          {"LocaleSidKey", "en_US"},
                                                          {"EmailEncodingKey", "UTF-8"},
                                                          {"LanguageLocaleKey", "en_US"}};

void load_file(Org& org, const std::filesystem::path& path, const ObjectDef& object) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  CsvTable table;
  const std::vector<CsvRow>& rows = table.rows;
  std::size_t bad_line = 0;
  if (!parse_csv(text, ',', table, bad_line)) {
    throw std::runtime_error(path.string() + ":" + std::to_string(bad_line) + ": malformed CSV");
  }
  if (rows.empty()) return;
  const CsvRow& header = rows.front();
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const CsvRow& row = rows[r];
    FieldChanges changes;
    std::optional<std::string> id;
    for (std::size_t c = 0; c < header.size() && c < row.size(); ++c) {
      const FieldDef* field = object.find_field(header[c]);
      if (field == nullptr || row[c].empty()) continue;
      if (field->name == "Id") {
        id = canonical_id(row[c]);
        if (!id)
          throw std::runtime_error(path.string() + ":" + std::to_string(r + 1) + ": bad Id "
                                   + std::string(row[c]));
        continue;
      }
      if (field->type == FieldType::Reference) {
        // Seed lookups may point at rows loaded later (or not at all); keep them verbatim.
        if (auto ref = canonical_id(row[c])) changes.set(*field, *ref);
        continue;
      }
      ApiError error;
      auto value = convert_text_value(org, *field, row[c], error);
      if (!value)
        throw std::runtime_error(path.string() + ":" + std::to_string(r + 1) + ": "
                                 + error.message);
      changes.set(*field, *value);
    }
    if (object.name == "User") {
      for (const auto& [name, value] : kUserDefaults) {
        const FieldDef* field = object.find_field(name);
        if (field != nullptr && changes.find(*field) == nullptr) changes.set(*field, value);
      }
      const FieldDef* alias = object.find_field("Alias");
      if (alias != nullptr && changes.find(*alias) == nullptr) {
        const Value* last = changes.find("LastName");
        const std::string text_last = last != nullptr && std::holds_alternative<std::string>(*last)
                                          ? std::get<std::string>(*last)
                                          : "user";
        changes.set(*alias, lower(text_last.substr(0, 8)));
      }
    }
    if (id && org.store.find(*id) != nullptr) continue;
    create_record(org, object, std::move(changes), id);
  }
}

}  // namespace

void load_seed(Org& org, const std::string& dir) {
  static const std::pair<const char*, const char*> kFiles[] = {{"users.csv", "User"},
                                                               {"accounts.csv", "Account"},
                                                               {"contacts.csv", "Contact"},
                                                               {"leads.csv", "Lead"}};
  if (!std::filesystem::is_directory(dir))
    throw std::runtime_error(dir + ": seed directory not found");
  org.store.begin();
  for (const auto& [file, object] : kFiles) {
    const auto path = std::filesystem::path(dir) / file;
    if (std::filesystem::exists(path)) load_file(org, path, *org.schema.find(object));
  }
  org.store.commit();
}

}  // namespace sandbox::salesforce
