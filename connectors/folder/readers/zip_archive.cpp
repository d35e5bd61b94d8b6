#include "connectors/folder/readers/zip_archive.hpp"

#include <zip.h>
#include <zlib.h>

#include <algorithm>
#include <vector>

#include "core/error.hpp"

namespace crmsync::folder {
namespace {

[[noreturn]] void fail(const std::string& message) {
  throw Error(ErrorCategory::input, message);
}

}  // namespace

ZipArchive::ZipArchive(const std::filesystem::path& path, const ReadLimits& limits)
    : limits_(limits) {
  int code = 0;
  archive_ = zip_open(path.c_str(), ZIP_RDONLY, &code);
  if (!archive_) fail(path.filename().string() + " is not a valid XLSX file (damaged zip archive)");
  check_entries();
}

ZipArchive::ZipArchive(std::string_view bytes, const ReadLimits& limits) : limits_(limits) {
  zip_error_t error;
  zip_error_init(&error);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &error);
  if (source) {
    archive_ = zip_open_from_source(source, ZIP_RDONLY, &error);
    if (!archive_) zip_source_free(source);
  }
  zip_error_fini(&error);
  if (!archive_) fail("not a valid XLSX file (damaged zip archive)");
  check_entries();
}

ZipArchive::~ZipArchive() {
  if (archive_) zip_discard(archive_);
}

void ZipArchive::check_entries() {
  const zip_int64_t entries = zip_get_num_entries(archive_, 0);
  if (entries < 0 || static_cast<std::uint64_t>(entries) > limits_.max_zip_entries) {
    zip_discard(archive_);
    archive_ = nullptr;
    fail("the XLSX archive holds more than " + std::to_string(limits_.max_zip_entries)
         + " entries: refused as a possible zip bomb");
  }
}

bool ZipArchive::contains(const std::string& name) const {
  return zip_name_locate(archive_, name.c_str(), 0) >= 0;
}

void ZipArchive::check_caps(const std::string& name, std::uint64_t total_before, std::uint64_t size,
                            std::uint64_t compressed) const {
  if (size > limits_.max_zip_entry_bytes || total_before + size > limits_.max_zip_total_bytes)
    fail(name + " inflates beyond the size cap: refused as a possible zip bomb");
  if (size > (1u << 20) && size / std::max<std::uint64_t>(compressed, 1) > limits_.max_zip_ratio)
    fail(name + " compresses " + std::to_string(size / std::max<std::uint64_t>(compressed, 1))
         + ":1: refused as a possible zip bomb");
}

std::uint64_t ZipArchive::declared_size(const std::string& name) const {
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat(archive_, name.c_str(), 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE)) return 0;
  return st.size;
}

void ZipArchive::stream(const std::string& name,
                        const std::function<bool(std::string_view)>& chunk) {
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat(archive_, name.c_str(), 0, &st) != 0) fail("the XLSX archive has no " + name);
  // Declared sizes are checked first (cheap refusal), then the real count while inflating.
  const bool sizes = (st.valid & ZIP_STAT_SIZE) && (st.valid & ZIP_STAT_COMP_SIZE);
  // `size` is this entry's bytes so far: it is added to what earlier entries inflated, not to a
  // total that already holds it (which counted a large sheet twice and refused a 1M-row workbook).
  const std::uint64_t total_before = total_;
  auto check = [&](std::uint64_t size, std::uint64_t compressed) {
    check_caps(name, total_before, size, compressed);
  };
  if (sizes) check(st.size, st.comp_size);
  zip_file_t* file = zip_fopen(archive_, name.c_str(), 0);
  if (!file) fail("cannot open " + name + " in the XLSX archive (damaged or encrypted)");
  std::vector<char> buffer(1u << 16);
  std::uint64_t read = 0;
  try {
    for (;;) {
      const zip_int64_t n = zip_fread(file, buffer.data(), buffer.size());
      if (n < 0) fail(name + " in the XLSX archive is damaged");
      if (n == 0) break;
      read += static_cast<std::uint64_t>(n);
      check(read, sizes ? st.comp_size : read);
      total_ += static_cast<std::uint64_t>(n);
      if (!chunk(std::string_view(buffer.data(), static_cast<std::size_t>(n)))) break;
    }
  } catch (...) {
    zip_fclose(file);
    throw;
  }
  zip_fclose(file);
}

void ZipArchive::stream_unverified(const std::string& name,
                                   const std::function<bool(std::string_view)>& chunk) {
  zip_stat_t st;
  zip_stat_init(&st);
  constexpr zip_uint64_t kNeeded =
      ZIP_STAT_SIZE | ZIP_STAT_COMP_SIZE | ZIP_STAT_COMP_METHOD | ZIP_STAT_ENCRYPTION_METHOD;
  if (zip_stat(archive_, name.c_str(), 0, &st) != 0 || (st.valid & kNeeded) != kNeeded
      || st.comp_method != ZIP_CM_DEFLATE || st.encryption_method != ZIP_EM_NONE) {
    stream(name, chunk);
    return;
  }
  // The caps are those of stream(), counted the same way.
  const std::uint64_t total_before = total_;
  auto check = [&](std::uint64_t size) { check_caps(name, total_before, size, st.comp_size); };
  check(st.size);
  zip_file_t* file = zip_fopen(archive_, name.c_str(), ZIP_FL_COMPRESSED);
  if (!file) fail("cannot open " + name + " in the XLSX archive (damaged or encrypted)");
  z_stream z{};
  if (inflateInit2(&z, -MAX_WBITS) != Z_OK) {  // raw deflate: a zip entry has no zlib header
    zip_fclose(file);
    fail("cannot inflate " + name);
  }
  std::vector<char> in(1u << 16);
  std::vector<char> out(1u << 16);
  std::uint64_t read = 0;
  try {
    bool ended = false;
    bool more = true;
    while (!ended && more) {
      const zip_int64_t n = zip_fread(file, in.data(), in.size());
      if (n < 0) fail(name + " in the XLSX archive is damaged");
      if (n == 0) break;
      z.next_in = reinterpret_cast<Bytef*>(in.data());
      z.avail_in = static_cast<uInt>(n);
      for (;;) {
        z.next_out = reinterpret_cast<Bytef*>(out.data());
        z.avail_out = static_cast<uInt>(out.size());
        const int status = inflate(&z, Z_NO_FLUSH);
        const std::size_t produced = out.size() - z.avail_out;
        ended = status == Z_STREAM_END;
        // Z_BUF_ERROR only says no progress was possible: more input is needed.
        if (!ended && status != Z_OK && status != Z_BUF_ERROR)
          fail(name + " in the XLSX archive is damaged");
        if (produced > 0) {
          read += produced;
          check(read);
          total_ += produced;
          more = chunk(std::string_view(out.data(), produced));
        }
        if (ended || !more || produced == 0) break;
        if (z.avail_in == 0 && z.avail_out != 0) break;  // all input used, no output pending
      }
    }
    if (!ended && more) fail(name + " in the XLSX archive is damaged");
  } catch (...) {
    inflateEnd(&z);
    zip_fclose(file);
    throw;
  }
  inflateEnd(&z);
  zip_fclose(file);
}

std::string ZipArchive::read_all(const std::string& name) {
  std::string out;
  stream(name, [&out](std::string_view chunk) {
    out.append(chunk);
    return true;
  });
  return out;
}

}  // namespace crmsync::folder
