// connectors/folder/readers/vcard_reader.hpp — vCard 2.1 / 3.0 / 4.0 files (Outlook, phones, Apple
// Contacts): one Record per card, row = the 1-based card number, under a synthesized header.
//
// Columns (kVCardColumns), in order: Full Name (FN); First Name, Middle Name, Last Name, Prefix,
// Suffix (N); Nickname; Company, Department (ORG); Title (TITLE); Role (ROLE); Email, Email 2,
// Email 3 (EMAIL, PREF first, then file order); Phone (TEL typed WORK/VOICE/PREF or untyped, the
// first), Mobile Phone (CELL), Home Phone (HOME), Fax (FAX), Other Phone (further work or untyped
// numbers, joined with "; "); Street, City, Region, Postal Code, Country (the first ADR, WORK
// preferred); Birthday (BDAY, ISO 8601 when it is a plain date); Website (URL); Note (NOTE).
#pragma once

#include <array>
#include <string>
#include <string_view>

#include "connectors/folder/readers/byte_source.hpp"
#include "connectors/folder/readers/read_options.hpp"
#include "connectors/folder/readers/record_sink.hpp"

namespace crmsync::folder {

inline constexpr std::array<std::string_view, 27> kVCardColumns = {
    "Full Name", "First Name",   "Middle Name", "Last Name", "Prefix",      "Suffix",  "Nickname",
    "Company",   "Department",   "Title",       "Role",      "Email",       "Email 2", "Email 3",
    "Phone",     "Mobile Phone", "Home Phone",  "Fax",       "Other Phone", "Street",  "City",
    "Region",    "Postal Code",  "Country",     "Birthday",  "Website",     "Note"};

void read_vcard(ByteSource& source, const std::string& file_name, const ReadOptions& options,
                RecordSink& sink);

}  // namespace crmsync::folder
