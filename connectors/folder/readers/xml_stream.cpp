#include "connectors/folder/readers/xml_stream.hpp"

#include <expat.h>

#include <cstring>
#include <exception>

#include "core/error.hpp"

namespace crmsync::folder {
namespace {

std::string_view local(const char* name) {
  std::string_view n(name);
  const auto colon = n.rfind(':');
  return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

}  // namespace

const char* xml_attribute(const char** attributes, std::string_view local_name) {
  for (const char** a = attributes; a && a[0]; a += 2)
    if (local(a[0]) == local_name) return a[1];
  return nullptr;
}

// Exceptions must not unwind through expat's C frames: a handler's exception is parked here, the
// parser stopped, and the exception rethrown once XML_Parse has returned.
struct XmlStream::Impl {
  XML_Parser parser = nullptr;
  XmlHandler* handler = nullptr;
  bool doctype = false;
  std::exception_ptr error;

  template <typename F>
  void guarded(F&& f) {
    if (error) return;
    try {
      f();
    } catch (...) {
      error = std::current_exception();
      XML_StopParser(parser, XML_FALSE);
    }
  }
};

XmlStream::XmlStream(XmlHandler& handler, std::string part_name)
    : impl_(new Impl), part_name_(std::move(part_name)) {
  impl_->handler = &handler;
  impl_->parser = XML_ParserCreate("UTF-8");
  if (!impl_->parser) {
    delete impl_;
    throw Error(ErrorCategory::transient, "out of memory creating an XML parser");
  }
  XML_SetUserData(impl_->parser, impl_);
  XML_SetElementHandler(
      impl_->parser,
      [](void* data, const XML_Char* name, const XML_Char** attributes) {
        auto* impl = static_cast<Impl*>(data);
        impl->guarded([&] { impl->handler->start(local(name), attributes); });
      },
      [](void* data, const XML_Char* name) {
        auto* impl = static_cast<Impl*>(data);
        impl->guarded([&] { impl->handler->end(local(name)); });
      });
  XML_SetCharacterDataHandler(impl_->parser, [](void* data, const XML_Char* s, int len) {
    auto* impl = static_cast<Impl*>(data);
    impl->guarded([&] { impl->handler->text(std::string_view(s, static_cast<std::size_t>(len))); });
  });
  // OOXML never needs a DTD; refusing any DOCTYPE refuses every entity trick at once.
  XML_SetStartDoctypeDeclHandler(
      impl_->parser, [](void* data, const XML_Char*, const XML_Char*, const XML_Char*, int) {
        auto* impl = static_cast<Impl*>(data);
        impl->doctype = true;
        XML_StopParser(impl->parser, XML_FALSE);
      });
  XML_SetParamEntityParsing(impl_->parser, XML_PARAM_ENTITY_PARSING_NEVER);
}

XmlStream::~XmlStream() {
  XML_ParserFree(impl_->parser);
  delete impl_;
}

void XmlStream::stop() {
  if (stopped_) return;
  stopped_ = true;
  XML_StopParser(impl_->parser, XML_FALSE);
}

void XmlStream::feed(std::string_view chunk, bool last) {
  if (stopped_) return;
  const auto status = XML_Parse(impl_->parser, chunk.data(), static_cast<int>(chunk.size()),
                                last ? XML_TRUE : XML_FALSE);
  if (impl_->error) std::rethrow_exception(impl_->error);
  if (impl_->doctype)
    throw Error(
        ErrorCategory::input,
        part_name_ + " declares a DOCTYPE (entity expansion is refused): not an Excel file");
  if (stopped_) return;
  if (status != XML_STATUS_OK) {
    const auto line = XML_GetCurrentLineNumber(impl_->parser);
    throw Error(ErrorCategory::input,
                part_name_ + " is damaged: " + XML_ErrorString(XML_GetErrorCode(impl_->parser))
                    + " at line " + std::to_string(line));
  }
}

}  // namespace crmsync::folder
