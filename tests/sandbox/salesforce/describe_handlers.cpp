// Versions, resource list, /limits, global and per-object describe (reference §2.1, 2.5, 2.6).
#include "json/json_writer.hpp"
#include "salesforce/errors.hpp"
#include "salesforce/handlers.hpp"

namespace sandbox::salesforce {
namespace {

// Release labels: 66.0 = Spring '26, 67.0 = Summer '26, 65.0 = Winter '26 (reference §2.2).
std::string release_label(int version) {
  const int offset = version - 66;
  const int season = ((offset % 3) + 3) % 3;
  int year = 26 + (offset - season) / 3;
  if (season == 2) ++year;  // Winter releases are named after the following year
  const char* name = season == 0 ? "Spring" : (season == 1 ? "Summer" : "Winter");
  return std::string(name) + " '" + (year < 10 ? "0" : "") + std::to_string(year);
}

std::string soap_type(FieldType type) {
  switch (type) {
    case FieldType::Id:
    case FieldType::Reference:
      return "tns:ID";
    case FieldType::Boolean:
      return "xsd:boolean";
    case FieldType::Int:
      return "xsd:int";
    case FieldType::Double:
    case FieldType::Currency:
      return "xsd:double";
    case FieldType::Date:
      return "xsd:date";
    case FieldType::DateTime:
      return "xsd:dateTime";
    default:
      return "xsd:string";
  }
}

void write_object_flags(json::Writer& out, const ObjectDef& object) {
  const bool user = object.name == "User";
  out.field("activateable", false);
  out.field("createable", true);
  out.field("custom", object.custom);
  out.field("customSetting", false);
  out.field("deletable", !user);
  out.field("deprecatedAndHidden", false);
  out.field("feedEnabled", !object.custom);
  out.field("keyPrefix", object.key_prefix);
  out.field("label", object.label);
  out.field("labelPlural", object.label_plural);
  out.field("layoutable", true);
  out.field("mergeable", !user && !object.custom);
  out.field("name", object.name);
  out.field("queryable", true);
  out.field("replicateable", true);
  out.field("retrieveable", true);
  out.field("searchable", true);
  out.field("triggerable", true);
  out.field("undeletable", !user);
  out.field("updateable", true);
}

void write_urls(json::Writer& out, const ObjectDef& object, const std::string& version) {
  const std::string base = "/services/data/v" + version + "/sobjects/" + object.name;
  out.key("urls").begin_object();
  out.field("sobject", base);
  out.field("describe", base + "/describe");
  out.field("rowTemplate", base + "/{ID}");
  out.end_object();
}

void write_field(json::Writer& out, const FieldDef& field) {
  const bool text = is_text(field.type);
  out.begin_object();
  out.field("aggregatable", field.type != FieldType::Textarea);
  out.field("autoNumber", false);
  out.field("byteLength", text || field.type == FieldType::Id || field.type == FieldType::Reference
                              ? field.length * 3
                              : 0);
  out.field("calculated", false);
  out.field("caseSensitive", false);
  out.field("createable", field.createable);
  out.field("custom", field.custom);
  out.field("defaultedOnCreate", field.defaulted_on_create);
  out.field("deprecatedAndHidden", false);
  out.field("digits", 0);
  out.field("externalId", field.external_id);
  out.field("filterable", field.type != FieldType::Textarea || field.length <= 255);
  out.field("groupable", field.type != FieldType::Textarea && field.type != FieldType::Double);
  out.field("idLookup", field.id_lookup);
  out.field("label", field.label);
  out.field("length", field.length);
  out.field("name", field.name);
  out.field("nameField", field.name == "Name");
  out.field("nillable", field.nillable);
  out.key("picklistValues").begin_array();
  for (std::size_t i = 0; i < field.picklist_values.size(); ++i) {
    out.begin_object();
    out.field("active", true);
    out.field("defaultValue", field.defaulted_on_create && i == 0);
    out.field("label", field.picklist_values[i]);
    out.key("validFor").null();
    out.field("value", field.picklist_values[i]);
    out.end_object();
  }
  out.end_array();
  out.field("precision", field.precision);
  out.key("referenceTo").begin_array();
  for (const auto& target : field.reference_to)
    out.string(target);
  out.end_array();
  if (field.relationship_name.empty()) {
    out.key("relationshipName").null();
  } else {
    out.field("relationshipName", field.relationship_name);
  }
  out.field("restrictedPicklist", field.restricted_picklist);
  out.field("scale", field.scale);
  out.field("soapType", soap_type(field.type));
  out.field("sortable", field.type != FieldType::Textarea || field.length <= 255);
  out.field("type", type_name(field.type));
  out.field("unique", field.unique);
  out.field("updateable", field.updateable);
  out.end_object();
}

}  // namespace

http::Response handle_versions() {
  json::Writer out;
  out.begin_array();
  for (int version = 31; version <= 66; ++version) {
    const std::string number = std::to_string(version) + ".0";
    out.begin_object();
    out.field("label", release_label(version));
    out.field("url", "/services/data/v" + number);
    out.field("version", number);
    out.end_object();
  }
  out.end_array();
  return http::Response::json(200, out.take());
}

http::Response handle_resources(const ApiRequest& request) {
  const std::string base = "/services/data/v" + request.version + "/";
  json::Writer out;
  out.begin_object();
  for (const char* name : {"composite", "jobs", "limits", "query", "queryAll", "sobjects"}) {
    out.field(name, base + name);
  }
  out.end_object();
  return http::Response::json(200, out.take());
}

http::Response handle_limits(Org& org) {
  json::Writer out;
  const auto limit = [&out](const char* name, std::int64_t max, std::int64_t remaining) {
    out.key(name).begin_object().field("Max", max).field("Remaining", remaining).end_object();
  };
  out.begin_object();
  limit("DailyApiRequests", org.options.daily_limit,
        std::max<std::int64_t>(0, org.options.daily_limit - org.api_usage));
  limit("DailyBulkApiBatches", 15000, 15000);
  limit("DailyBulkV2QueryFileStorageMB", 1048576, 1048576);
  limit("DailyBulkV2QueryJobs", 10000, 10000);
  limit("DataStorageMB", 1024, 1024);
  limit("FileStorageMB", 1024, 1024);
  out.end_object();
  return http::Response::json(200, out.take());
}

http::Response handle_sobject_list(Org& org, const ApiRequest& request) {
  json::Writer out;
  out.begin_object();
  out.field("encoding", "UTF-8");
  out.field("maxBatchSize", 200);
  out.key("sobjects").begin_array();
  for (const auto& object : org.schema.objects()) {
    out.begin_object();
    write_object_flags(out, *object);
    write_urls(out, *object, request.version);
    out.end_object();
  }
  out.end_array();
  out.end_object();
  return http::Response::json(200, out.take());
}

http::Response handle_describe(Org& org, const ApiRequest& request, const ObjectDef& object) {
  json::Writer out;
  out.begin_object();
  write_object_flags(out, object);
  out.key("childRelationships").begin_array();
  for (const auto& child : org.schema.objects()) {
    for (const auto& field : child->fields) {
      if (field.reference_to.empty() || field.reference_to.front() != object.name
          || field.relationship_name.empty()) {
        continue;
      }
      if (field.name == "CreatedById" || field.name == "LastModifiedById") continue;
      out.begin_object();
      out.field("cascadeDelete", false);
      out.field("childSObject", child->name);
      out.field("deprecatedAndHidden", false);
      out.field("field", field.name);
      out.field("relationshipName", child->label_plural);
      out.end_object();
    }
  }
  out.end_array();
  out.key("fields").begin_array();
  for (const auto& field : object.fields)
    write_field(out, field);
  out.end_array();
  out.key("recordTypeInfos").begin_array().begin_object();
  out.field("available", true);
  out.field("defaultRecordTypeMapping", true);
  out.field("master", true);
  out.field("name", "Master");
  out.field("recordTypeId", "012000000000000AAA");
  out.end_object().end_array();
  write_urls(out, object, request.version);
  out.end_object();
  return http::Response::json(200, out.take());
}

}  // namespace sandbox::salesforce
