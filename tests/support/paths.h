// Where the tests find the source tree and the shared fixtures.
//
// Every test binary is compiled with `-include tests/support/paths.h`, and the paths
// themselves live in one small object (paths.cc) built per tree. Why not `-D` the paths
// into each test file: the path of the working tree would then be part of every compile
// command, and ccache could not share test objects between worktrees of this repository.
#ifndef UPRANK_TESTS_SUPPORT_PATHS_H_
#define UPRANK_TESTS_SUPPORT_PATHS_H_

namespace uprank::test_paths {
// Absolute path of the repository checkout (the CMake PROJECT_SOURCE_DIR), no trailing slash.
extern const char* const kSourceDir;
// Absolute path of ../shared/fixtures beside the checkout (real vendor data, SOURCES.md).
extern const char* const kSharedFixtures;
}  // namespace uprank::test_paths

#define UPRANK_SOURCE_DIR (::uprank::test_paths::kSourceDir)
#define UPRANK_SHARED_FIXTURES (::uprank::test_paths::kSharedFixtures)

#endif  // UPRANK_TESTS_SUPPORT_PATHS_H_
