// daemon/reconcile/match/name_similarity.hpp — the string measures fuzzy matching is built on.
// Hand-rolled: Jaro-Winkler and Soundex are a few dozen lines each and no Debian library offers
// them for C++; they run on names already folded to lower-case ASCII.
#pragma once

#include <string>
#include <string_view>

namespace crmsync::reconcile {

// Jaro-Winkler similarity in [0, 1] (prefix scale 0.1, prefix up to 4), as Winkler defined it.
double jaro_winkler(std::string_view a, std::string_view b);

// Edits (insert, delete, substitute, swap two neighbours) between two folded names, counted up
// to `limit`: a typo is one or two edits; "Craneson" and "Craneford" are three.
int typo_distance(std::string_view a, std::string_view b, int limit = 3);

// American Soundex of a folded name ("robert" -> "r163"); "" for a name without letters. A
// blocking key: names that sound alike share it, so typos still meet their candidates.
std::string soundex(std::string_view folded_name);

// Lower-case ASCII for comparing names: accents removed (José -> jose, Müller -> muller),
// punctuation and spaces dropped except between words (one space).
std::string fold_name(std::string_view utf8);

}  // namespace crmsync::reconcile
