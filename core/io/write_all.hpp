// core/io/write_all.hpp — all of a text to a file descriptor, retrying short writes and EINTR:
// one loop for every place that writes a descriptor itself (standard output, a child's pipe, a
// report's temporary file).
#pragma once

#include <string_view>

namespace crmsync {

// False when the descriptor refused a byte; errno then says why (a full disk, a closed pipe).
bool write_all(int fd, std::string_view bytes);

}  // namespace crmsync
