// The built package, as dpkg sees it: name and architecture, what it installs, which files are
// conffiles, and maintainer scripts that only remove state on purge. Build it first with
// packaging/build-deb.sh (or point CRMSYNC_DEB at a .deb); skips when the package or dpkg-deb is
// missing, so a plain build-and-test run does not need the packaging tools.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>

namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string output_of(const std::string& command) {
  std::string out;
  FILE* pipe = popen((command + " 2>/dev/null").c_str(), "r");
  if (pipe == nullptr) return out;
  std::array<char, 4096> buffer{};
  while (const auto n = std::fread(buffer.data(), 1, buffer.size(), pipe))
    out.append(buffer.data(), n);
  pclose(pipe);
  return out;
}

bool have_dpkg_deb() {
  return std::system("command -v dpkg-deb >/dev/null 2>&1") == 0;
}

std::filesystem::path package_path() {
  if (const char* explicit_path = std::getenv("CRMSYNC_DEB")) return explicit_path;
  const auto arch = output_of("dpkg --print-architecture");
  return std::filesystem::path(CRMSYNC_SOURCE_DIR) / "build/deb"
         / ("crmsync_" CRMSYNC_PACKAGE_VERSION "_" + arch.substr(0, arch.find('\n')) + ".deb");
}

class DebPackage : public ::testing::Test {
 protected:
  void SetUp() override {
    // CI names the package it built: then a missing package or tool is a failure, not a skip.
    const bool required = std::getenv("CRMSYNC_DEB") != nullptr;
    deb_ = package_path();
    if (!have_dpkg_deb()) {
      if (required) FAIL() << "dpkg-deb is not installed";
      GTEST_SKIP() << "dpkg-deb is not installed";
    }
    if (!std::filesystem::exists(deb_)) {
      if (required) FAIL() << deb_ << " does not exist";
      GTEST_SKIP() << deb_ << " is not built (packaging/build-deb.sh builds it)";
    }
  }
  std::string dpkg_deb(const std::string& arguments) {
    return output_of("dpkg-deb " + arguments + " '" + deb_.string() + "'");
  }
  std::string control_file(const std::string& name) {
    return output_of("dpkg-deb --info '" + deb_.string() + "' " + name);
  }
  std::filesystem::path deb_;
};

TEST_F(DebPackage, IsCrmsyncForThisArchitectureAndVersion) {
  EXPECT_EQ(dpkg_deb("--field").find("Package: crmsync\n"), 0u);
  EXPECT_THAT(dpkg_deb("--field"), HasSubstr("Version: " CRMSYNC_PACKAGE_VERSION "\n"));
  EXPECT_THAT(dpkg_deb("--field"), HasSubstr("Architecture: amd64\n"));
}

TEST_F(DebPackage, InstallsTheBinaryConfigurationUnitUsersInboxAndManPage) {
  const auto contents = dpkg_deb("--contents");
  for (const char* path :
       {"./usr/bin/crmsync", "./etc/crmsync/crmsync.yaml",
        "./etc/crmsync/mappings/rep-contacts.yaml", "./etc/crmsync/mappings/vcard.yaml",
        "./etc/crmsync/mappings/outlook-csv.yaml", "./etc/crmsync/credentials/",
        "./lib/systemd/system/crmsync.service", "./usr/lib/sysusers.d/crmsync.conf",
        "./usr/lib/tmpfiles.d/crmsync.conf", "./usr/share/man/man8/crmsync.8.gz",
        "./usr/share/doc/crmsync/copyright"})
    EXPECT_THAT(contents, HasSubstr(std::string(path) + "\n")) << path;
  EXPECT_THAT(contents, Not(HasSubstr("./var/lib/crmsync")));  // state is created at run time
}

TEST_F(DebPackage, ConfigurationAndMappingsAreConffiles) {
  const auto conffiles = control_file("conffiles");
  EXPECT_THAT(conffiles, HasSubstr("/etc/crmsync/crmsync.yaml\n"));
  EXPECT_THAT(conffiles, HasSubstr("/etc/crmsync/mappings/rep-contacts.yaml\n"));
  EXPECT_THAT(conffiles, HasSubstr("/etc/crmsync/mappings/graph-contacts.yaml\n"));
  EXPECT_THAT(conffiles, Not(HasSubstr("/usr/")));
}

TEST_F(DebPackage, StateIsRemovedOnPurgeOnlyAndScriptsTolerateNoSystemd) {
  const auto postrm = control_file("postrm");
  const auto purge = postrm.find("\"$1\" = \"purge\"");
  ASSERT_NE(purge, std::string::npos) << postrm;
  EXPECT_GT(postrm.find("rm -rf /var/lib/crmsync"), purge);
  EXPECT_EQ(postrm.find("rm -rf /var/lib/crmsync"), postrm.rfind("rm -rf /var/lib/crmsync"));

  const auto postinst = control_file("postinst");
  EXPECT_THAT(postinst, HasSubstr("systemd-sysusers"));
  EXPECT_THAT(postinst, HasSubstr("systemd-tmpfiles"));
  // Service actions only where systemd runs (containers and chroots have no /run/systemd/system).
  EXPECT_THAT(postinst, HasSubstr("[ -d /run/systemd/system ]"));
  EXPECT_THAT(postinst, Not(HasSubstr("systemctl start")));

  // Removal stops the daemon; an upgrade restarts it afterwards instead of stopping it first.
  EXPECT_THAT(control_file("prerm"), HasSubstr("deb-systemd-invoke stop crmsync.service"));
  EXPECT_THAT(control_file("preinst"), Not(HasSubstr("stop")));
  EXPECT_THAT(postinst, HasSubstr("try-restart crmsync.service"));
}

TEST_F(DebPackage, TheUnitIsTheHardenedNotifyService) {
  const auto unit = output_of("dpkg-deb --fsys-tarfile '" + deb_.string()
                              + "' | tar -xOf - ./lib/systemd/system/crmsync.service");
  for (const char* line :
       {"Type=notify\n", "WatchdogSec=", "Restart=on-failure\n", "User=crmsync\n",
        "StateDirectory=crmsync\n", "ConfigurationDirectory=crmsync\n", "LoadCredential=",
        "ExecStartPre=/usr/bin/crmsync validate\n", "ExecReload=/usr/bin/crmsync validate\n",
        "ProtectSystem=strict\n", "NoNewPrivileges=yes\n", "CapabilityBoundingSet=\n",
        "SystemCallFilter=@system-service\n", "MemoryDenyWriteExecute=yes\n"})
    EXPECT_THAT(unit, HasSubstr(line));
}

// systemd's own judgement of the shipped unit: its exposure score stays at most 2.0 ("OK").
TEST_F(DebPackage, TheUnitsExposureIsAtMostTwo) {
  if (std::system("command -v systemd-analyze >/dev/null 2>&1") != 0)
    GTEST_SKIP() << "systemd-analyze is not installed";
  const auto dir =
      std::filesystem::temp_directory_path() / ("crmsync-deb-unit-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  const auto unit = dir / "crmsync.service";
  output_of("dpkg-deb --fsys-tarfile '" + deb_.string()
            + "' | tar -xOf - ./lib/systemd/system/crmsync.service > '" + unit.string() + "'");
  const auto report =
      output_of("systemd-analyze security --offline=yes --no-pager '" + unit.string() + "'");
  std::filesystem::remove_all(dir);
  const auto at = report.find("Overall exposure level for crmsync.service: ");
  ASSERT_NE(at, std::string::npos) << report;
  const double exposure = std::stod(report.substr(at + 44));
  EXPECT_LE(exposure, 2.0) << report;
}

}  // namespace
