// connectors/folder/inbox/temp_file_filter.hpp — names of files that are never input: lock files
// and temporaries that office programs, browsers and copy tools leave beside the real file while
// it is open or still arriving. They are skipped quietly (not refused: nothing is wrong).
#pragma once

#include <optional>
#include <string_view>

namespace crmsync::folder {

// Why the file (by its own name, without folders) is skipped, or nullopt when it is input.
std::optional<std::string_view> temporary_file_reason(std::string_view name) noexcept;

}  // namespace crmsync::folder
