#include "engine/versions/versions_internal.h"
namespace uprank::versions::internal {
Result<Version> parse_packagist(std::string_view text) { return invalid(Scheme::kGeneric, text, "todo"); }
}
namespace uprank::versions::internal {
Result<std::shared_ptr<const Range::Internal>> parse_packagist_range(std::string_view text) { return range_error(text, "todo"); }
}
