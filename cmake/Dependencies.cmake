# Every dependency, found the way BUILD-NOTES.md measured on Debian 12. Installed by
# packaging/install-deps.sh; a missing one fails here with the package name to install.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)

find_package(CURL REQUIRED)                                   # libcurl4-openssl-dev
find_package(simdjson CONFIG REQUIRED)                        # libsimdjson-dev
find_package(Boost 1.74 REQUIRED COMPONENTS system)           # libboost-dev libboost-system-dev
find_package(yaml-cpp CONFIG REQUIRED)                        # libyaml-cpp-dev (target: yaml-cpp)
find_package(spdlog CONFIG REQUIRED)                          # libspdlog-dev libfmt-dev
find_package(fmt CONFIG REQUIRED)
find_package(SQLite3 REQUIRED)                                # libsqlite3-dev
find_package(expat CONFIG REQUIRED)                           # libexpat1-dev
find_package(ICU REQUIRED COMPONENTS uc i18n data)            # libicu-dev
find_package(CLI11 CONFIG REQUIRED)                           # libcli11-dev
find_package(OpenSSL REQUIRED)                                # libssl-dev
pkg_check_modules(SYSTEMD REQUIRED IMPORTED_TARGET libsystemd) # libsystemd-dev
# libzip's own CMake config fails without zipcmp/zipmerge/ziptool; pkg-config does not.
pkg_check_modules(LIBZIP REQUIRED IMPORTED_TARGET libzip)     # libzip-dev
pkg_check_modules(RE2 REQUIRED IMPORTED_TARGET re2)           # libre2-dev
pkg_check_modules(FREEXL REQUIRED IMPORTED_TARGET freexl)     # libfreexl-dev
pkg_check_modules(JEMALLOC REQUIRED IMPORTED_TARGET jemalloc) # libjemalloc-dev
pkg_check_modules(ISAL REQUIRED IMPORTED_TARGET libisal)       # libisal-dev

# libphonenumber-dev ships neither a CMake config nor a .pc file.
find_path(PHONENUMBER_INCLUDE_DIR phonenumbers/phonenumberutil.h REQUIRED)
find_library(PHONENUMBER_LIBRARY phonenumber REQUIRED)
# PhoneNumber is a protobuf message: code that uses its accessors inline needs libprotobuf on the
# link line too (BUILD-NOTES measured only a program that never touched the message).
find_library(PROTOBUF_LIBRARY protobuf REQUIRED)
if(NOT TARGET crmsync::phonenumber)
  add_library(crmsync::phonenumber UNKNOWN IMPORTED)
  set_target_properties(crmsync::phonenumber PROPERTIES
    IMPORTED_LOCATION "${PHONENUMBER_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${PHONENUMBER_INCLUDE_DIR}"
    INTERFACE_LINK_LIBRARIES "${PROTOBUF_LIBRARY}")
endif()

if(CRMSYNC_BUILD_TESTS)
  find_package(GTest CONFIG REQUIRED)                         # libgtest-dev libgmock-dev
endif()
if(CRMSYNC_BUILD_BENCH)
  find_package(benchmark CONFIG REQUIRED)                     # libbenchmark-dev
endif()
