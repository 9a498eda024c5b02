#include "engine/versions/versions_internal.h"
namespace uprank::versions::internal {
Result<Version> parse_apk(std::string_view text) { return invalid(Scheme::kGeneric, text, "todo"); }
}
