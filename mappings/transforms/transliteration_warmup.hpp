// mappings/transforms/transliteration_warmup.hpp — ICU builds its transliterator registry the
// first time a transliterator is created (14-18 ms here); ascii_fold, company_key and the name
// matcher each create one, and the first of them is made while a cycle's mappings compile,
// before any file is read. Started on a thread of its own as a command begins, the registry is
// built while the configuration loads and the state database opens.
#pragma once

#include <future>

namespace crmsync::mappings {

// The returned future ends (its destructor waits) once the registry is built; empty when no
// thread could be had (the first transliterator then builds it, as before).
std::future<void> start_transliteration_warmup();

}  // namespace crmsync::mappings
