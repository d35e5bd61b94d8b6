// tests/fuzz/folder_readers/xml_event_log.hpp — runs one XML document through expat (XmlStream)
// and through the hand-rolled XmlScanner, in chunks of a given size, and records what each
// reported, so the two can be compared event by event (text events merged: both may split text).
#pragma once

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/folder/readers/xml_scanner.hpp"
#include "connectors/folder/readers/xml_stream.hpp"
#include "core/error.hpp"

namespace crmsync::folder::fuzzing {

struct XmlEventLog final : XmlHandler {
  std::vector<std::string> events;
  bool in_text = false;

  void start(std::string_view name, const char** attributes) override {
    std::string event = "<" + std::string(name);
    for (const char** a = attributes; a[0]; a += 2)
      event += " " + std::string(a[0]) + "=[" + a[1] + "]";
    events.push_back(event + ">");
    in_text = false;
  }
  void end(std::string_view name) override {
    events.push_back("</" + std::string(name) + ">");
    in_text = false;
  }
  void text(std::string_view s) override {
    if (!in_text) events.emplace_back();
    events.back() += s;
    in_text = true;
  }
};

struct XmlOutcome {
  bool ok = false;
  std::string error;  // what() when !ok
  std::vector<std::string> events;
};

template <typename Parser>
XmlOutcome parse_xml(std::string_view document, std::size_t chunk) {
  XmlEventLog log;
  XmlOutcome outcome;
  try {
    Parser parser(log, "sheet.xml");
    chunk = std::max<std::size_t>(chunk, 1);
    for (std::size_t at = 0; at < document.size() && !parser.stopped(); at += chunk)
      parser.feed(document.substr(at, chunk), false);
    if (!parser.stopped()) parser.feed({}, true);
    outcome.ok = true;
  } catch (const Error& e) {
    outcome.error = e.what();
  }
  outcome.events = std::move(log.events);
  return outcome;
}

}  // namespace crmsync::folder::fuzzing
