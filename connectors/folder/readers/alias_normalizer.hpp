// connectors/folder/readers/alias_normalizer.hpp — the one way column names are compared:
// case-, space- and punctuation-insensitive ("E-mail Address" == "email address" ==
// "EMAILADDRESS"). The mapping language reuses it so a hint and a header always agree.
#pragma once

#include <string>
#include <string_view>

namespace crmsync::folder {

// Lower-cases (full Unicode case folding, so "ÉMAIL" == "émail"), then keeps only letters and
// digits. Accents are kept: "Prénom" stays distinct from "Prenom" only by its accent, as a rep
// wrote it.
std::string normalize_alias(std::string_view column);

}  // namespace crmsync::folder
