# `cpack` turns `cmake --install`'s layout into a Debian package (docs/install.md). Its
# Depends come from dpkg-shlibdeps reading the binary, so they name exactly the shared
# libraries it links (libre2, libcurl, libsqlite3, libyaml-cpp, libantlr4-runtime, ...).
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME uprank)
set(CPACK_PACKAGE_VENDOR "uprank")
set(CPACK_PACKAGE_CONTACT "uprank maintainers <uprank@example.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "compatibility and release-note rules engine: what to upgrade first, to what, and why")
set(CPACK_PACKAGE_DESCRIPTION
    "uprank evaluates an inventory (YAML, CycloneDX, SPDX, dpkg status, infrastructure repositories) against "
    "rule packs and vendor facts (end of life, advisories, known exploitation, release notes) and prints a "
    "ranked list of upgrade urgency with evidence and target versions. Ships its rule packs and a data snapshot.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION utils)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Installing does not rebuild every target (tests, benchmarks): the package needs the
# binary, and its man page is written each time the binary links.
set(CMAKE_SKIP_INSTALL_ALL_DEPENDENCY TRUE)
include(CPack)
