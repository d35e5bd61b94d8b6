#include "mappings/transforms/transliteration_warmup.hpp"

#include <unicode/translit.h>

#include <memory>
#include <system_error>

namespace crmsync::mappings {

std::future<void> start_transliteration_warmup() {
  try {
    return std::async(std::launch::async, [] {
      // The rules every fold uses: the registry, and these rules' parse, are ICU's to cache.
      UErrorCode status = U_ZERO_ERROR;
      std::unique_ptr<icu::Transliterator> fold(
          icu::Transliterator::createInstance("Any-Latin; Latin-ASCII", UTRANS_FORWARD, status));
    });
  } catch (const std::system_error&) {
    return {};
  }
}

}  // namespace crmsync::mappings
