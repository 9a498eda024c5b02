#include "cli/keep_until_exit.h"

#include <array>
#include <atomic>

namespace uprank::cli {
namespace {
// Enough for every command's buried objects; past it the objects are still kept (the
// point is not to free them), only unknown to LeakSanitizer.
std::array<std::atomic<const void*>, 64> graveyard;
std::atomic<size_t> buried{0};
}  // namespace

void bury(const void* pointer) {
  size_t slot = buried++;
  if (slot < graveyard.size()) graveyard[slot] = pointer;
}

}  // namespace uprank::cli
