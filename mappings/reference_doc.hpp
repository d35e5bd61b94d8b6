// mappings/reference_doc.hpp — docs/mapping-reference.md, generated from the declarations (the
// mapping specs and the transform catalog) so the documentation cannot drift from the parser.
#pragma once

#include <string>

namespace crmsync::mappings {

std::string render_mapping_reference();

}  // namespace crmsync::mappings
