// What the commands share: their options' checks, how they write JSON and paths,
// the template catalog, and what stdout's failure means.
#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <charconv>

#include "engine/cli/commands.hpp"
#include "gouji/readers.hpp"

namespace gouji::cli {

std::string without_doubled_slashes(std::string path) {
    path.erase(std::unique(path.begin(), path.end(), [](char a, char b) { return a == '/' && b == '/'; }), path.end());
    return path;
}

std::string lower_extension(const std::filesystem::path& p) {
    std::string ext = p.extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return ext;
}

// `--pack a.yaml b.yaml report.txt` gives b.yaml as a report: read as text it would
// be audited, and its findings (no sections, no tables) would hide the pack left out.
bool is_yaml_extension(const std::string& path) {
    const std::string ext = lower_extension(path);
    return ext == ".yaml" || ext == ".yml";
}

InputError yaml_given_as_report(const std::string& path, const std::string& hint) {
    return InputError(path, SourcePos{}, "this is a rule pack or template file, not a report", hint);
}

CLI::Validator one_of(std::vector<std::string> values) {
    std::string listed;
    for (std::size_t i = 0; i < values.size(); ++i)
        listed += (i == 0 ? "" : i + 1 == values.size() ? " or " : ", ") + values[i];
    return CLI::Validator(
        [values, listed](std::string& value) {
            return std::find(values.begin(), values.end(), value) != values.end()
                       ? std::string()
                       : "takes " + listed + ", not '" + value + "'";
        },
        listed);
}

CLI::Validator whole_number(std::size_t from, std::size_t to) {
    const std::string range = "a whole number from " + std::to_string(from) + " to " + std::to_string(to);
    return CLI::Validator(
        [from, to, range](std::string& value) {
            std::size_t n = 0;
            const auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
            const bool whole = ec == std::errc() && end == value.data() + value.size();
            return whole && n >= from && n <= to ? std::string() : "takes " + range + ", not '" + value + "'";
        },
        range);
}

bool reader_gone() {
    // A pipe's writer polls POLLERR once no reader is left (a socket's, POLLHUP); a
    // file never does. errno after the failed write would say EPIPE too, but the
    // stream's buffered writes leave it to whichever call failed last.
    pollfd out{.fd = STDOUT_FILENO, .events = POLLOUT, .revents = 0};
    return ::poll(&out, 1, 0) == 1 && (out.revents & (POLLERR | POLLHUP)) != 0;
}

bool load_catalog(const CommonOptions& options, TemplateCatalog& catalog, std::vector<RuleDiagnostic>& errors) {
    const std::string standard = default_rulepack_dir() + "/templates.yaml";
    if (!load_templates_into(catalog, standard, errors)) return false;
    for (const auto& file : options.template_files)
        if (!load_templates_into(catalog, file, errors)) return false;
    // Without them no report's title, year or period is read, and every report
    // would be judged by its shape alone, without a word: a templates.yaml kept
    // from before they moved there.
    const MetadataWords& words = catalog.metadata;
    if (words.report_names.empty() || words.period_keys.empty()) {
        errors.push_back({standard, {},
                          "no file defines the words a report's title and statistics period are read by "
                          "(metadata: report-names, period-keys), so no report's year could be read: copy the "
                          "metadata: section of gouji's own rulepacks/templates.yaml into this file",
                          ""});
        return false;
    }
    return true;
}

}  // namespace gouji::cli
