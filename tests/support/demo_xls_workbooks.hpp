// tests/support/demo_xls_workbooks.hpp — the legacy .xls workbooks in tests/data/xls (the demo
// inbox's, saved by a real spreadsheet program) that tests demand read exactly as their .xlsx:
// the reader test compares cells, the CLI test compares `preview --json`.
#pragma once

#include <gtest/gtest.h>

#include <string>

namespace crmsync::testing {

// Each workbook as "<rep>/<name>", without the extension.
inline auto demo_xls_workbooks() {
  return ::testing::Values("alice.johnson@acme.example/My Contacts",
                           "frank.rossi@acme.example/Q3 pipeline");
}

// The test name says what each workbook brings.
struct DemoXlsTestName {
  template <typename Info>
  std::string operator()(const Info& workbook) const {
    return std::string(workbook.param)[0] == 'a' ? "TitleRowsPhonesDates" : "SeveralSheets";
  }
};

}  // namespace crmsync::testing
