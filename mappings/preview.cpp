#include "mappings/preview.hpp"

#include <fmt/format.h>

#include "core/text/json_writer.hpp"

namespace crmsync::mappings {

PreviewBuilder::PreviewBuilder(const Mapping& mapping, CompileOptions options)
    : mapping_(mapping), options_(std::move(options)) {
  preview_.mapping = mapping.name;
}
PreviewBuilder::~PreviewBuilder() = default;

void PreviewBuilder::add(const Record& record) {
  static const Header kNoHeader{};
  if (!compiled_ || record.header != current_header_) {
    current_header_ = record.header;
    const Header& header = record.header ? *record.header : kNoHeader;
    compiled_ = std::make_unique<CompiledMapping>(mapping_, header, options_);
    PreviewTable table;
    table.sheet = record.from.sheet;
    table.header_row = header.row;
    table.columns = compiled_->columns();
    table.missing = compiled_->missing();
    preview_.tables.push_back(std::move(table));
    if (preview_.file.empty()) preview_.file = record.from.item;
  }
  PreviewTable& table = preview_.tables.back();
  MappedRow row;
  compiled_->map(record, row);
  switch (row.outcome) {
    case MappedRow::Outcome::mapped:
      ++table.mapped;
      break;
    case MappedRow::Outcome::rejected:
      ++table.rejected;
      break;
    case MappedRow::Outcome::skipped:
      // Blank rows are layout, not data: not worth a line in a preview.
      if (row.skip_reason == "blank row") return;
      ++table.skipped;
      break;
  }
  table.rows.push_back(std::move(row));
}

Preview PreviewBuilder::finish() {
  return std::move(preview_);
}

Preview build_preview(const Mapping& mapping, const std::vector<Record>& records) {
  PreviewBuilder builder(mapping);
  for (const auto& record : records)
    builder.add(record);
  return builder.finish();
}

namespace {

std::string joined(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

std::string record_text(const CrmRecord& record) {
  std::string out = "    " + record.object + ":";
  for (const auto& field : record.fields)
    out += fmt::format(" {}={:?}", field.name, field.value);
  for (const auto& reference : record.references)
    out += fmt::format(" {}=({} by {} {:?}{})", reference.field, reference.object, reference.by,
                       reference.value, reference.create ? ", create" : "");
  return out + "\n";
}

}  // namespace

std::string render_preview_text(const Preview& preview) {
  std::string out = fmt::format("{} with mapping '{}'\n", preview.file, preview.mapping);
  for (const auto& table : preview.tables) {
    out += "\n";
    if (!table.sheet.empty()) out += fmt::format("sheet '{}', ", table.sheet);
    out += fmt::format("header on row {}\n", table.header_row);
    out += "columns:\n";
    for (const auto& column : table.columns)
      out += fmt::format("  {:>3} {:<24} -> {}\n", column.column, column.name,
                         column.fields.empty() ? "(ignored)" : joined(column.fields));
    for (const auto& missing : table.missing)
      out += fmt::format("  no column for {}{} (looked for: {})\n", missing.field,
                         missing.required ? " (required)" : "", joined(missing.aliases));
    out += fmt::format("rows: {} mapped, {} rejected, {} skipped\n", table.mapped, table.rejected,
                       table.skipped);
    for (const auto& row : table.rows) {
      switch (row.outcome) {
        case MappedRow::Outcome::mapped:
          out += fmt::format("  row {}: mapped\n", row.from.row);
          for (const auto& record : row.records)
            out += record_text(record);
          break;
        case MappedRow::Outcome::rejected: {
          const auto& why = *row.rejection;
          out += fmt::format("  row {}: REJECTED: {}", row.from.row, why.reason);
          if (why.column != 0)
            out += fmt::format(" (column {} '{}', value {:?})", why.column, why.column_name,
                               why.value);
          out += "\n";
          break;
        }
        case MappedRow::Outcome::skipped:
          out += fmt::format("  row {}: skipped: {}\n", row.from.row, row.skip_reason);
          break;
      }
      for (const auto& dropped : row.dropped_values)
        out += fmt::format("    dropped {} from column {} '{}': {}\n", dropped.field,
                           dropped.column, dropped.column_name, dropped.reason);
    }
  }
  return out;
}

namespace {

// One JSON escaping for the whole project (core/text/json_writer.hpp).
std::string json_string(std::string_view text) {
  return json_string_literal(text);
}

std::string json_strings(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    out += i ? "," : "";
    out += json_string(items[i]);
  }
  return out + "]";
}

std::string json_fields(const std::vector<CrmField>& fields) {
  std::string out = "{";
  for (std::size_t i = 0; i < fields.size(); ++i) {
    out += i ? "," : "";
    out += json_string(fields[i].name) + ":" + json_string(fields[i].value);
  }
  return out + "}";
}

std::string json_rejection(const Rejection& why) {
  return fmt::format(R"({{"column":{},"column_name":{},"field":{},"value":{},"reason":{}}})",
                     why.column, json_string(why.column_name), json_string(why.field),
                     json_string(why.value), json_string(why.reason));
}

std::string json_record(const CrmRecord& record) {
  std::string references = "[";
  for (std::size_t i = 0; i < record.references.size(); ++i) {
    const auto& reference = record.references[i];
    references +=
        fmt::format(R"({}{{"field":{},"object":{},"by":{},"value":{},"create":{}}})", i ? "," : "",
                    json_string(reference.field), json_string(reference.object),
                    json_string(reference.by), json_string(reference.value), reference.create);
  }
  references += "]";
  return fmt::format(R"({{"object":{},"fields":{},"match_keys":{},"references":{},"key":{}}})",
                     json_string(record.object), json_fields(record.fields),
                     json_fields(record.match_keys), references, json_strings(record.key));
}

std::string json_row(const MappedRow& row) {
  static constexpr std::string_view kOutcomes[] = {"mapped", "rejected", "skipped"};
  std::string out = fmt::format(R"({{"row":{},"outcome":"{}")", row.from.row,
                                kOutcomes[static_cast<int>(row.outcome)]);
  if (row.outcome == MappedRow::Outcome::rejected)
    out += ",\"rejection\":" + json_rejection(*row.rejection);
  if (row.outcome == MappedRow::Outcome::skipped)
    out += ",\"reason\":" + json_string(row.skip_reason);
  if (row.outcome == MappedRow::Outcome::mapped) {
    out += ",\"records\":[";
    for (std::size_t i = 0; i < row.records.size(); ++i) {
      out += i ? "," : "";
      out += json_record(row.records[i]);
    }
    out += "]";
  }
  out += ",\"dropped\":[";
  for (std::size_t i = 0; i < row.dropped_values.size(); ++i) {
    out += i ? "," : "";
    out += json_rejection(row.dropped_values[i]);
  }
  return out + "]}";
}

}  // namespace

std::string render_preview_json(const Preview& preview) {
  std::string out = fmt::format(R"({{"mapping":{},"file":{},"tables":[)",
                                json_string(preview.mapping), json_string(preview.file));
  for (std::size_t t = 0; t < preview.tables.size(); ++t) {
    const auto& table = preview.tables[t];
    out += fmt::format(R"({}{{"sheet":{},"header_row":{},"columns":[)", t ? "," : "",
                       json_string(table.sheet), table.header_row);
    for (std::size_t i = 0; i < table.columns.size(); ++i)
      out += fmt::format(R"({}{{"column":{},"name":{},"fields":{}}})", i ? "," : "",
                         table.columns[i].column, json_string(table.columns[i].name),
                         json_strings(table.columns[i].fields));
    out += "],\"missing\":[";
    for (std::size_t i = 0; i < table.missing.size(); ++i)
      out += fmt::format(R"({}{{"field":{},"required":{},"aliases":{}}})", i ? "," : "",
                         json_string(table.missing[i].field), table.missing[i].required,
                         json_strings(table.missing[i].aliases));
    out += fmt::format(R"(],"summary":{{"mapped":{},"rejected":{},"skipped":{}}},"rows":[)",
                       table.mapped, table.rejected, table.skipped);
    for (std::size_t i = 0; i < table.rows.size(); ++i) {
      out += i ? "," : "";
      out += json_row(table.rows[i]);
    }
    out += "]}";
  }
  return out + "]}\n";
}

}  // namespace crmsync::mappings
