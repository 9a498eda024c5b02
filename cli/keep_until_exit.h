// Leaves a finished command's large objects to the end of the process, unfreed.
//
// A report on a large repository or fleet holds millions of small allocations (the
// inventory, the facts, the compiled rules, the findings). Freeing them one by one after
// the outputs are written costs a tenth of a second or more of `uprank check` on 10,000
// files, for memory the kernel takes back at exit in one step anyway. This is clang's
// `-disable-free` (llvm::BuryPointer) applied to one command: only at its end, after every
// output is committed, and only for plain data whose destructors release nothing but
// memory (no file, lock or database handle may be buried: those must close).
#pragma once

#include <memory>
#include <type_traits>
#include <utility>

namespace uprank::cli {

// Records `pointer` in a fixed table of the process, so that LeakSanitizer, which scans
// globals, sees what it points to as reachable rather than leaked. Never freed.
void bury(const void* pointer);

// Moves each of `values` into a heap object that is never destroyed; `values` are left
// moved-from (cheap to destroy). Call last, when nothing will read them again.
template <typename... T>
void keep_until_exit(T&... values) {
  (bury(new std::remove_cv_t<T>(std::move(values))), ...);
}

}  // namespace uprank::cli
