#include "config_writer.hpp"

#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace sandbox {
namespace {

namespace fs = std::filesystem;

// Double-quoted YAML scalar, so paths with spaces, '#' or ':' stay one value.
std::string quoted(const std::string& text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "\"";
}

void write_file(const fs::path& path, const std::string& content, fs::perms permissions) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  out.close();
  if (!out) throw std::runtime_error("cannot write " + path.string());
  fs::permissions(path, permissions);
}

}  // namespace

void write_crmsync_config(const ConfigRequest& request) {
  const fs::path file = fs::absolute(request.config_file);
  const fs::path dir = file.parent_path();
  fs::create_directories(dir);
  const std::string config =
      "# Written by crmsync-sandbox --write-config: syncs the inbox into the local sandbox org.\n"
      "state_dir: " + quoted((dir / "state").string()) + "\n"
      "log: { level: info }\n"
      "crm:\n"
      "  type: salesforce\n"
      "  instance_url: " + request.instance_url + "\n"
      "  api_version: \"66.0\"\n"
      "  auth: { flow: client_credentials, client_id: crmsync-sandbox, client_secret: { file: sandbox.secret } }\n"
      "sources:\n"
      "  - name: reps\n"
      "    type: folder\n"
      "    path: " + quoted(fs::absolute(request.inbox_dir).string()) + "\n"
      "    owner_from: subfolder\n"
      "    mode: mirror\n"
      "    mappings:\n"
      "      - { files: \"*.xlsx *.xls *.csv *.txt\", use: rep-contacts }\n"
      "      - { files: \"*.vcf\", use: vcard }\n"
      "mappings_dir: " + quoted(fs::absolute(request.mappings_dir).string()) + "\n";
  write_file(dir / "sandbox.secret", "sandbox-secret\n",
             fs::perms::owner_read | fs::perms::owner_write);
  write_file(file, config, fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
}

}  // namespace sandbox
