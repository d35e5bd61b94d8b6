// connectors/folder/readers/xls_preflight.hpp — refuses, before libfreexl opens it, a legacy .xls
// whose bytes would make libfreexl 1.0.6 (Debian 12's libfreexl1, a system library we cannot
// patch) read outside its own buffers. Each check names the structure, its byte offset and why.
#pragma once

#include <cstdint>
#include <functional>
#include <span>
#include <string>

namespace crmsync::folder {

// Reads up to buffer.size() bytes at `offset`; returns how many were read (fewer at the end).
using ReadAt = std::function<std::size_t(std::uint64_t offset, std::span<unsigned char> buffer)>;

// Throws crmsync::Error(input) naming `display_name` when the file must not reach freexl_open.
// Files that freexl refuses cleanly on its own (not a Compound File, short reads) pass: freexl's
// own error stays the one reported for them.
void preflight_xls(const std::string& display_name, const ReadAt& read_at);

}  // namespace crmsync::folder
