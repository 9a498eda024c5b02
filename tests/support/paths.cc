// The one test object that knows this tree's paths (see paths.h for why).
#include "tests/support/paths.h"

namespace uprank::test_paths {
extern const char* const kSourceDir = UPRANK_TREE_SOURCE_DIR;
extern const char* const kSharedFixtures = UPRANK_TREE_SHARED_FIXTURES;
}  // namespace uprank::test_paths
