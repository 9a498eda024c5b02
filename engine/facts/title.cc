#include "engine/facts/title.h"

namespace uprank::facts {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v'; }

}  // namespace

std::string advisory_title(const Advisory& advisory) {
  if (!advisory.summary.empty()) return advisory.summary;
  const std::string& details = advisory.details;
  std::string title;
  size_t i = 0;
  // Markdown headings ("### Impact") name a section, not the flaw: skip them.
  while (true) {
    while (i < details.size() && is_space(details[i])) ++i;
    if (i >= details.size() || details[i] != '#') break;
    size_t end = details.find('\n', i);
    i = end == std::string::npos ? details.size() : end + 1;
  }
  for (; i < details.size(); ++i) {
    char c = details[i];
    if (c == '\n' && !title.empty()) {
      // A blank line ends the paragraph; a Markdown heading or list is a new line too.
      size_t next = i + 1;
      while (next < details.size() && (details[next] == ' ' || details[next] == '\t' || details[next] == '\r')) ++next;
      if (next >= details.size() || details[next] == '\n' || details[next] == '#' || details[next] == '-' ||
          details[next] == '*') {
        break;
      }
    }
    if (is_space(c)) {
      if (!title.empty() && title.back() != ' ') title.push_back(' ');
      continue;
    }
    title.push_back(c);
    // A sentence ends at '.', '!' or '?' followed by white space ("3.8.1" and "e.g" do not).
    if ((c == '.' || c == '!' || c == '?') && (i + 1 == details.size() || is_space(details[i + 1]))) break;
  }
  while (!title.empty() && title.back() == ' ') title.pop_back();
  if (title.size() > kMaxDetailsTitle) {
    size_t cut = kMaxDetailsTitle;
    while (cut > 0 && (static_cast<unsigned char>(title[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 sequence
    title.resize(cut);
    while (!title.empty() && title.back() == ' ') title.pop_back();
    title += "…";
  }
  return title;
}

}  // namespace uprank::facts
