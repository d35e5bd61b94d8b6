#include "connectors/folder/readers/vcard_reader.hpp"

#include <gtest/gtest.h>

#include "connectors/folder/readers/vcard_property.hpp"
#include "tests/unit/folder_readers/test_support.hpp"

namespace crmsync::folder {
namespace {

using testing::CollectingSink;

CollectingSink read(std::string_view text) {
  MemoryByteSource source(text);
  CollectingSink sink;
  read_vcard(source, "c.vcf", {}, sink);
  return sink;
}

TEST(VCardReader, Version21QuotedPrintableSoftBreaksAndCharset) {
  const auto sink = read(
      "BEGIN:VCARD\r\nVERSION:2.1\r\n"
      "N;CHARSET=Windows-1252;ENCODING=QUOTED-PRINTABLE:M=FCller;J=F6rg;;Dr.;\r\n"
      "NOTE;ENCODING=QUOTED-PRINTABLE;CHARSET=UTF-8:line one=0D=0Aline =\r\ntwo =C3=A9\r\n"
      "TEL;HOME;VOICE:555 1000\r\nTEL;CELL:555 2000\r\nTEL;WORK:555 3000\r\nTEL:555 4000\r\n"
      "ADR;WORK:;Suite 5;1 Main St;Springfield;IL;62701;USA\r\n"
      "END:VCARD\r\n");
  ASSERT_EQ(sink.records.size(), 1u);
  const Record& r = sink.records[0];
  EXPECT_EQ(r.from.row, 1u);
  EXPECT_EQ(CollectingSink::cell(r, "Last Name"), "Müller");
  EXPECT_EQ(CollectingSink::cell(r, "First Name"), "Jörg");
  EXPECT_EQ(CollectingSink::cell(r, "Prefix"), "Dr.");
  EXPECT_EQ(CollectingSink::cell(r, "Note"), "line one\nline two é");
  EXPECT_EQ(CollectingSink::cell(r, "Home Phone"), "555 1000");
  EXPECT_EQ(CollectingSink::cell(r, "Mobile Phone"), "555 2000");
  EXPECT_EQ(CollectingSink::cell(r, "Phone"), "555 3000");
  EXPECT_EQ(CollectingSink::cell(r, "Other Phone"), "555 4000");
  EXPECT_EQ(CollectingSink::cell(r, "Street"), "1 Main St\nSuite 5");
  EXPECT_EQ(CollectingSink::cell(r, "Postal Code"), "62701");
}

TEST(VCardReader, Version30FoldingEscapesGroupsAndPreferredEmail) {
  const auto sink = read(
      "BEGIN:VCARD\nVERSION:3.0\nFN:Ann Lee\nN:Lee;Ann;;;\n"
      "ORG:Smith\\, Jones & Co;Sales\nNOTE:first\\nsecond\\; third\\\\\n"
      "item1.EMAIL;TYPE=INTERNET:ann@home.example\n"
      "item2.EMAIL;TYPE=INTERNET,PREF:ann@\n work.example\n"
      "BDAY:19800102\nPHOTO;ENCODING=b;TYPE=JPEG:/9j/4AAQ\n AAAA\nEND:VCARD\n"
      "BEGIN:VCARD\nVERSION:4.0\nFN:Bob\nTEL;TYPE=\"cell,voice\";VALUE=uri:tel:+1-555-0100\nEND:"
      "VCARD\n");
  ASSERT_EQ(sink.records.size(), 2u);
  const Record& ann = sink.records[0];
  EXPECT_EQ(CollectingSink::cell(ann, "Company"), "Smith, Jones & Co");
  EXPECT_EQ(CollectingSink::cell(ann, "Department"), "Sales");
  EXPECT_EQ(CollectingSink::cell(ann, "Note"), "first\nsecond; third\\");
  EXPECT_EQ(CollectingSink::cell(ann, "Email"), "ann@work.example");
  EXPECT_EQ(CollectingSink::cell(ann, "Email 2"), "ann@home.example");
  EXPECT_EQ(CollectingSink::cell(ann, "Birthday"), "1980-01-02");
  const Record& bob = sink.records[1];
  EXPECT_EQ(bob.from.row, 2u);
  EXPECT_EQ(CollectingSink::cell(bob, "Mobile Phone"), "tel:+1-555-0100");
  EXPECT_EQ(sink.headers[0]->columns.size(), kVCardColumns.size());
  EXPECT_EQ(sink.headers[0]->row, 0u);
}

TEST(VCardReader, TruncatedFileReportsTheUnclosedCard) {
  const auto sink = read("BEGIN:VCARD\nFN:Ann\nEND:VCARD\nBEGIN:VCARD\nFN:Bo");
  ASSERT_EQ(sink.records.size(), 1u);
  ASSERT_EQ(sink.errors.size(), 1u);
  EXPECT_EQ(sink.errors[0].from.row, 2u);
  EXPECT_NE(sink.errors[0].reason.find("END:VCARD"), std::string::npos);
}

TEST(VCardProperty, QuotedPrintableKeepsStrayEquals) {
  EXPECT_EQ(decode_quoted_printable("a=3Db=ZZ=4"), "a=b=ZZ=4");
}

}  // namespace
}  // namespace crmsync::folder
