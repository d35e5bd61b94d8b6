// connectors/folder/readers/alias_normalizer.hpp — the one way column names are compared:
// case-, space- and punctuation-insensitive ("E-mail Address" == "email address" ==
// "EMAILADDRESS"). The mapping language reuses it so a hint and a header always agree.
#pragma once

#include <string>
#include <string_view>

namespace crmsync::folder {

// core/text/loose_key.hpp's rule (Unicode case folding, then letters and digits only), under
// the name the readers use.
std::string normalize_alias(std::string_view column);

}  // namespace crmsync::folder
