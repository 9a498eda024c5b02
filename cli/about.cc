#include "cli/about.h"

#include "cli/rule_packs.h"
#include "fetchers/snapshot.h"

namespace uprank::cli {
namespace {

// Escapes text for roff: backslashes, and a leading dot or quote that would read as a request.
std::string roff(const std::string& text) {
  std::string out;
  for (char c : text) {
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else {
      out += c;
    }
  }
  if (!out.empty() && (out[0] == '.' || out[0] == '\'')) out.insert(0, "\\&");
  return out;
}

// Returns "-r, --rules TEXT ..." as roff, the way --help shows an option.
std::string option_synopsis(const CLI::Option& option) {
  std::string names;
  if (option.get_positional()) return "\\fI" + roff(option.get_name(true)) + "\\fR";
  for (const std::string& name : option.get_snames()) names += (names.empty() ? "" : ", ") + ("\\fB\\-" + roff(name) + "\\fR");
  for (const std::string& name : option.get_lnames()) names += (names.empty() ? "" : ", ") + ("\\fB\\-\\-" + roff(name) + "\\fR");
  if (option.get_type_size_max() > 0 && !option.get_type_name().empty()) {
    // A list of choices ("TEXT:{semver,npm,...}") may break after each comma (roff's \:).
    std::string type = roff(option.get_type_name());
    for (size_t at = type.find(','); at != std::string::npos; at = type.find(',', at + 3)) type.insert(at + 1, "\\:");
    names += " \\fI" + type + "\\fR";
  }
  return names;
}

void describe_options(const CLI::App& command, std::string& page) {
  for (const CLI::Option* option : command.get_options()) {
    if (option->get_group().empty()) continue;  // hidden
    page += ".TP\n" + option_synopsis(*option) + "\n" + roff(option->get_description());
    if (!option->get_default_str().empty()) page += " (default: " + roff(option->get_default_str()) + ")";
    if (!option->get_envname().empty()) page += " [env: " + roff(option->get_envname()) + "]";
    page += "\n";
  }
}

// Adds a section for `command` and, depth first, for each of its subcommands.
void describe_command(const CLI::App& command, const std::string& path, std::string& page) {
  page += ".SS \"" + roff(path) + "\"\n" + roff(command.get_description()) + "\n";
  describe_options(command, page);
  for (const CLI::App* sub : command.get_subcommands([](const CLI::App*) { return true; })) {
    describe_command(*sub, path + " " + sub->get_name(), page);
  }
}

}  // namespace

std::string version_text() {
  std::string text = "uprank " UPRANK_VERSION "\n";
  text += "rule packs: " + shipped_rules_dir() + " (named " + kShippedPacksName + "/ in findings)\n";
  std::string snapshot = bundled_snapshot_path();
  text += "bundled data: " + snapshot + "\n";
  auto read = fetch::read_snapshot(snapshot);
  if (read.ok()) {
    text += "bundled data content hash: " + read.value().content_hash + " (created " + read.value().created_at + ")";
  } else {
    text += "bundled data content hash: unavailable: " + read.error().to_string();
  }
  return text;
}

std::string man_page(const CLI::App& app) {
  std::string page = ".TH UPRANK 1 \"\" \"uprank " UPRANK_VERSION "\" \"User Commands\"\n";
  page += ".SH NAME\nuprank \\- what must we upgrade first, to what, and why\n";
  page += ".SH SYNOPSIS\n.B uprank\n[\\fIGLOBAL OPTIONS\\fR] \\fICOMMAND\\fR [\\fIOPTIONS\\fR] [\\fIARGS\\fR]\n";
  page += ".SH DESCRIPTION\n" + roff(app.get_description()) + "\n.PP\n"
          "uprank evaluates an inventory against rule packs and vendor facts (end of life, advisories, known "
          "exploitation, release notes) and prints a ranked list of upgrade urgency, each line with its evidence "
          "and a recommended target version.\n";
  page += ".SH GLOBAL OPTIONS\nThese may follow the command as well.\n";
  describe_options(app, page);
  page += ".SH COMMANDS\n";
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    describe_command(*sub, "uprank " + sub->get_name(), page);
  }
  page +=
      ".SH EXIT STATUS\n"
      ".TP\n0\nClean.\n"
      ".TP\n1\nFindings at or above \\fB\\-\\-fail\\-on\\fR (or failed rule tests).\n"
      ".TP\n2\nBad usage or bad input; the message names the file, line and problem.\n"
      ".TP\n3\nData unavailable: a fetch failed and no cached data exists.\n"
      ".SH FILES\n"
      ".TP\n\\fIPREFIX\\fB/share/uprank/rules/\\fR\n"
      "The shipped rule packs, found relative to the binary (\\fIPREFIX\\fB/bin/uprank\\fR); findings name them "
      "\\fBuprank/\\fR\\fIpack\\fR\\fB/\\fR\\fIfile\\fR\\fB.upr\\fR. Rule packs named by \\fB\\-\\-rules\\fR or by "
      "\\fBrules:\\fR in \\fIuprank.yaml\\fR load after them; \\fB\\-\\-no\\-default\\-rules\\fR or "
      "\\fBdefault_rules: false\\fR leaves them out.\n"
      ".TP\n\\fIPREFIX\\fB/share/uprank/data/snapshot.json\\fR\n"
      "The bundled data snapshot: \\fBuprank snapshot import\\fR seeds the store from it offline; "
      "\\fBuprank \\-\\-version\\fR prints its content hash.\n"
      ".TP\n\\fIuprank.yaml\\fR\n"
      "Configuration, read from the working directory unless \\fB\\-\\-config\\fR names one.\n"
      ".SH ENVIRONMENT\n"
      ".TP\n\\fBUPRANK_RULES\\fR\nFolder of the shipped rule packs, in place of the one beside the binary.\n"
      ".TP\n\\fBUPRANK_STORE\\fR\nThe SQLite fact store, as \\fB\\-\\-store\\fR.\n"
      ".TP\n\\fBGITHUB_TOKEN\\fR\nToken for the GitHub releases API; never logged or stored.\n"
      ".SH SEE ALSO\n"
      "The rule language, configuration and report format are described in the documentation shipped in "
      "\\fI/usr/share/doc/uprank\\fR and at the project's repository.\n";
  return page;
}

}  // namespace uprank::cli
