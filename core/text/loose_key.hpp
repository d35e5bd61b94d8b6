// core/text/loose_key.hpp — the one way names are compared loosely: case-, space- and
// punctuation-insensitive ("E-mail Address" == "email address" == "EMAIL_ADDRESS"). Column
// aliases in mappings, header cells in readers and picklist spellings all go through it, so a
// mapping's hint and a file's header always agree.
#pragma once

#include <string>
#include <string_view>

namespace crmsync {

// Simple Unicode case folding ("ÉMAIL" == "émail"), then only letters and digits.
// Accents are kept. Invalid UTF-8 bytes are dropped, so they never make two names equal.
std::string loose_key(std::string_view text);

}  // namespace crmsync
