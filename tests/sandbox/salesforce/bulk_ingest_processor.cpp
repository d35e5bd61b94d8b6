// Runs a Bulk API 2.0 ingest job: parses the uploaded CSV with the job's delimiter, resolves the
// header (fields and Relationship.ExternalField columns), applies each row as the REST API would
// (same validation, duplicate rule and lock faults) and builds the three result CSVs exactly as
// reference §6.5 shows them.
#include "salesforce/bulk_ingest_processor.hpp"

#include <chrono>

#include "salesforce/csv.hpp"
#include "salesforce/duplicate_rule.hpp"
#include "salesforce/handlers.hpp"
#include "salesforce/ids.hpp"
#include "salesforce/record_writer.hpp"

namespace sandbox::salesforce {
namespace {

struct Column {
  std::string header;                      // as uploaded
  const FieldDef* field = nullptr;         // the field written (the lookup for Rel.Field)
  const ObjectDef* parent = nullptr;       // Rel.Field: the parent object
  const FieldDef* parent_field = nullptr;  // Rel.Field: the parent's external-id field
};

struct RowOutcome {
  std::string id;
  bool created = false;
  std::optional<ApiError> error;
};

// "CODE:message:fields --" (an empty field list leaves "message:--"), reference §6.5.
std::string sf_error(const ApiError& error) {
  std::string fields;
  for (const auto& name : error.fields)
    fields += (fields.empty() ? "" : ",") + name;
  return error.code + ":" + error.message + ":" + (fields.empty() ? "--" : fields + " --");
}

class IngestRun {
 public:
  IngestRun(Org& org, IngestJob& job, const ObjectDef& object)
      : org_(org),
        job_(job),
        object_(object),
        delimiter_(delimiter_char(job.column_delimiter)),
        newline_(job.line_ending == "CRLF" ? "\r\n" : "\n") {}

  void run() {
    CsvTable table;
    std::vector<CsvRow>& rows = table.rows;
    for (const auto& upload : job_.uploads) {
      CsvTable part;
      std::size_t bad_line = 0;
      if (!parse_csv(upload, delimiter_, part, bad_line)) {
        return fail(
            "InvalidBatch : Failed to parse CSV: unescaped quote or unclosed quoted "
            "field at line "
            + std::to_string(bad_line));
      }
      if (part.rows.empty()) continue;
      table.unescaped.splice(table.unescaped.end(), part.unescaped);
      if (rows.empty()) {
        rows = std::move(part.rows);
      } else {
        if (part.rows.front() != rows.front())
          return fail("InvalidBatch : the header of every upload must be the same");
        rows.insert(rows.end(), std::make_move_iterator(part.rows.begin() + 1),
                    std::make_move_iterator(part.rows.end()));
      }
    }
    if (rows.empty()) return finish_empty();
    if (!resolve_header(rows.front())) return;
    write_headers(rows.front());
    org_.store.begin();
    for (std::size_t r = 1; r < rows.size(); ++r)
      record_outcome(rows[r], apply_row(rows[r]));
    org_.store.commit();
    job_.final_state = "JobComplete";
  }

 private:
  void fail(const std::string& message) {
    job_.final_state = "Failed";
    job_.error_message = message;
    for (const auto& upload : job_.uploads)
      job_.unprocessed_csv += upload;
  }

  void finish_empty() {
    job_.successful_csv = R"("sf__Id","sf__Created")" + newline_;
    job_.failed_csv = R"("sf__Id","sf__Error")" + newline_;
    job_.final_state = "JobComplete";
  }

  bool resolve_header(const CsvRow& header) {
    for (const auto& name : header) {
      Column column;
      column.header = name;
      const auto dot = name.find('.');
      if (dot != std::string::npos) {
        column.field = object_.find_relationship(name.substr(0, dot));
        column.parent = column.field != nullptr && !column.field->reference_to.empty()
                            ? org_.schema.find(column.field->reference_to.front())
                            : nullptr;
        column.parent_field = column.parent != nullptr
                                  ? upsert_key(*column.parent, std::string(name.substr(dot + 1)))
                                  : nullptr;
        if (column.parent_field == nullptr) column.field = nullptr;
      } else {
        column.field = object_.find_field(name);
      }
      if (column.field == nullptr) {
        fail("InvalidBatch : Field name not found : " + std::string(name));
        return false;
      }
      if (column.field->name == "Id") id_column_ = columns_.size();
      if (!job_.external_id_field.empty() && column.parent == nullptr
          && lower(column.field->name) == lower(job_.external_id_field)) {
        key_column_ = columns_.size();
      }
      columns_.push_back(column);
    }
    return true;
  }

  void write_headers(const CsvRow& header) {
    std::string names;
    for (const auto& name : header) {
      names.push_back(delimiter_);
      names += name;
    }
    job_.successful_csv =
        "\"sf__Id\"" + std::string(1, delimiter_) + "\"sf__Created\"" + names + newline_;
    job_.failed_csv =
        "\"sf__Id\"" + std::string(1, delimiter_) + "\"sf__Error\"" + names + newline_;
  }

  void record_outcome(const CsvRow& row, const RowOutcome& outcome) {
    ++job_.processed;
    std::string& out = outcome.error ? job_.failed_csv : job_.successful_csv;
    append_quoted(out, outcome.id);
    out.push_back(delimiter_);
    if (outcome.error) {
      ++job_.failed;
      append_quoted(out, sf_error(*outcome.error));
    } else {
      append_quoted(out, outcome.created ? "true" : "false");
    }
    for (std::size_t c = 0; c < columns_.size(); ++c) {
      out.push_back(delimiter_);
      append_quoted(out, c < row.size() ? row[c] : "");
    }
    out += newline_;
  }

  std::string_view cell(const CsvRow& row, std::optional<std::size_t> column) const {
    return column && *column < row.size() ? row[*column] : std::string_view();
  }

  RowOutcome apply_row(const CsvRow& row) {
    RowOutcome outcome;
    const std::string& operation = job_.operation;
    Record* existing = nullptr;
    if (operation == "insert") {
      // nothing to find
    } else if (operation == "upsert") {
      const std::string key(cell(row, key_column_));
      if (key.empty()) {
        outcome.error =
            field_error("MISSING_ARGUMENT", job_.external_id_field + " not specified", {});
        return outcome;
      }
      const auto matches = find_by_field(org_, object_, *columns_[*key_column_].field, key);
      if (matches.size() > 1) {
        outcome.error = field_error(
            "DUPLICATE_EXTERNAL_ID",
            job_.external_id_field + ": more than one record found for external id field: " + key,
            {job_.external_id_field});
        return outcome;
      }
      existing = matches.empty() ? nullptr : matches.front();
    } else {
      const std::string text(cell(row, id_column_));
      const auto id = canonical_id(text);
      existing = id ? org_.store.find(*id) : nullptr;
      outcome.id = id ? *id : text;
      if (text.empty()) {
        outcome.error =
            field_error("MISSING_ARGUMENT", "Id not specified in an " + operation + " call", {});
      } else if (!id) {
        outcome.error = field_error("MALFORMED_ID", "malformed id " + text, {});
      } else if (existing == nullptr || existing->object != &object_) {
        outcome.error =
            field_error("INVALID_CROSS_REFERENCE_KEY", "invalid cross reference id", {});
      } else if (existing->deleted) {
        outcome.error = field_error("ENTITY_IS_DELETED", "entity is deleted", {});
      }
      if (outcome.error) return outcome;
    }
    if (existing != nullptr) outcome.id = existing->id;
    if (org_.faults.draw_lock()) {
      outcome.error =
          unable_to_lock_row(existing != nullptr ? existing->id : org_.integration_user_id);
      return outcome;
    }
    if (operation == "delete" || operation == "hardDelete") {
      if (operation == "hardDelete") {
        org_.store.erase(existing->id);
      } else {
        delete_record(org_, *existing);
      }
      return outcome;
    }
    const WriteMode mode = existing != nullptr ? WriteMode::Update : WriteMode::Create;
    FieldChanges changes;
    if (auto error = read_row(row, mode, changes)) {
      outcome.error = error;
      return outcome;
    }
    if (auto error = check_record(org_, object_, existing, changes, mode)) {
      outcome.error = error;
      return outcome;
    }
    if (!refused_duplicates(org_, object_, existing, changes, nullptr).empty()) {
      outcome.error = duplicates_detected();
      return outcome;
    }
    if (existing != nullptr) {
      update_record(org_, *existing, std::move(changes));
    } else {
      outcome.id = create_record(org_, object_, std::move(changes)).id;
      outcome.created = true;
    }
    return outcome;
  }

  // Empty cells leave a field unchanged; "#N/A" clears it (reference §6.6).
  std::optional<ApiError> read_row(const CsvRow& row, WriteMode mode, FieldChanges& changes) {
    for (std::size_t c = 0; c < columns_.size() && c < row.size(); ++c) {
      const Column& column = columns_[c];
      const std::string_view text = row[c];
      if (text.empty() || (id_column_ && c == *id_column_)) continue;
      if (mode == WriteMode::Update && key_column_ && c == *key_column_) continue;
      const FieldDef& field = *column.field;
      const bool writable = mode == WriteMode::Create ? field.createable : field.updateable;
      if (!writable) {
        return field_error("INVALID_FIELD_FOR_INSERT_UPDATE",
                           std::string("Unable to ")
                               + (mode == WriteMode::Create ? "create" : "update")
                               + " fields: " + field.name,
                           {field.name});
      }
      if (column.parent != nullptr) {
        const auto parents =
            find_by_field(org_, *column.parent, *column.parent_field, std::string(text));
        if (parents.size() != 1) {
          return field_error("INVALID_FIELD",
                             "Foreign key external ID: " + std::string(text)
                                 + (parents.empty() ? " not found" : " matches multiple records")
                                 + " for field " + column.parent_field->name + " in entity "
                                 + column.parent->name,
                             {});
        }
        changes.set(field, parents.front()->id);
        continue;
      }
      ApiError error;
      auto value = convert_text_value(org_, field, text, error);
      if (!value) return error;
      changes.set(field, std::move(*value));
    }
    return std::nullopt;
  }

  Org& org_;
  IngestJob& job_;
  const ObjectDef& object_;
  char delimiter_;
  std::string newline_;
  std::vector<Column> columns_;
  std::optional<std::size_t> id_column_;
  std::optional<std::size_t> key_column_;
};

}  // namespace

void run_ingest_job(Org& org, IngestJob& job) {
  const auto started = std::chrono::steady_clock::now();
  const ObjectDef* object = org.schema.find(job.object);
  IngestRun(org, job, *object).run();
  job.uploads.clear();
  job.uploads.shrink_to_fit();
  job.processing_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::steady_clock::now() - started)
                          .count();
}

}  // namespace sandbox::salesforce
