// The GitHub releases source: `GET /repos/{owner}/{repo}/releases` pages into ReleaseNote
// facts. The token travels only in the request header, never in keys, URLs or the store.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/base/result.h"
#include "engine/facts/facts.h"
#include "fetchers/response.h"

namespace uprank::fetch {

// Parses a releases array (one page, or the stored concatenation of all pages) for the
// repository named by the response key ("owner/repo"); drafts are skipped.
Result<std::vector<facts::ReleaseNote>> parse_github_releases(const RawResponse& response);

// Returns the URL of rel="next" in an RFC 8288 `Link` header, or nullopt.
std::optional<std::string> next_link(std::string_view link_header);

// Returns whether `repository` is "owner/name" with GitHub's allowed characters.
bool valid_github_repository(std::string_view repository);

// Returns `tag` without a leading "v", "release-", "<repo>-" style prefix: "v7.2.5" →
// "7.2.5", "jenkins-2.452" → "2.452", "REL_17_2" stays as is.
std::string version_from_tag(std::string_view tag, std::string_view repository_name);

}  // namespace uprank::fetch
