// Runs work on a thread with a large stack: ANTLR's recursive descent and the passes over
// its trees recurse once per nesting level. Internal to the grammar library.
#pragma once

#include <functional>

namespace uprank::grammar::internal {

// Runs `work` to completion on a thread with a 256 MiB stack (reserved, touched only as
// deep as needed); on the calling thread when no thread can be started, where the
// token-level nesting limits still bound the depth.
void run_with_large_stack(const std::function<void()>& work);

}  // namespace uprank::grammar::internal
