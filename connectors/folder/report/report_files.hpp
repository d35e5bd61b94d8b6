// connectors/folder/report/report_files.hpp — writes the two report files a rep gets for one
// input file: <rep>/reports/<file>.report.xlsx and .report.csv (or into <rep>/failed/ beside a
// file that could not be read at all, in consume mode). Only inside that rep's folder: reached
// through O_NOFOLLOW descriptor walks, created if missing, written atomically.
#pragma once

#include <filesystem>
#include <span>
#include <string>

#include "connectors/folder/report/report_row.hpp"

namespace crmsync::folder {

enum class ReportFolder { reports, failed };

struct WrittenReport {
  std::string
      xlsx;  // paths relative to the rep folder, e.g. "reports/My Contacts.xlsx.report.xlsx"
  std::string csv;
};

// The report's base name for an input file: its path below the rep folder with folders joined by
// " - " ("2024/Q3/leads.csv" -> "2024 - Q3 - leads.csv"), cut at a UTF-8 boundary so that the
// longest report name still fits the 255-byte file-name limit.
std::string report_base_name(std::string_view relative_path);

// Throws FileRefused when the rep folder or the report folder is a symlink, Error(transient)
// on I/O errors.
WrittenReport write_report_files(const std::filesystem::path& inbox_root, const std::string& rep,
                                 const std::string& relative_path, std::span<const ReportRow> rows,
                                 ReportFolder folder = ReportFolder::reports);

}  // namespace crmsync::folder
