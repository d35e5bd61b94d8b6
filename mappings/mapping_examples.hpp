// mappings/mapping_examples.hpp — runs the `examples:` a mapping carries, so an admin's edit that
// breaks what the mapping was meant to do fails `crmsync validate`, pointing at the example.
#pragma once

#include "core/diagnostics/diagnostics.hpp"
#include "mappings/mapping.hpp"

namespace crmsync::mappings {

// True when every example gives what it expects; each failure is an error at the example.
bool run_examples(const Mapping& mapping, Diagnostics& diags);

}  // namespace crmsync::mappings
