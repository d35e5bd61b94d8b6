#include "connectors/folder/readers/alias_normalizer.hpp"

#include "core/text/loose_key.hpp"

namespace crmsync::folder {

std::string normalize_alias(std::string_view column) {
  return loose_key(column);
}

}  // namespace crmsync::folder
