// The findings as one SARIF 2.1.0 log (docs/sarif.md), for code-scanning
// dashboards and editors. Each finding's contract fields are copied from its
// JSON (report_to_json), so SARIF never says a field otherwise than
// docs/findings.md does.
#include <cstdint>
#include <filesystem>
#include <map>
#include <ostream>

#include "engine/output/finding_identity.hpp"
#include "engine/output/finding_words.hpp"
#include "engine/output/json_text.hpp"
#include "gouji/outputs.hpp"
#include "gouji/text.hpp"

namespace gouji {

using json = nlohmann::ordered_json;

namespace {

// Between a report's results and what the run keeps of it to its end (its
// notifications, its artifact) in an entry: entry() runs on worker threads and
// cannot keep them itself, and a JSON text never holds a raw NUL (the dump escapes it).
constexpr char kNotificationsFollow = '\0';

// The IANA name of a report's encoding (SARIF §3.24.9 artifact.encoding), for a
// text file that is not UTF-8; "" for UTF-8 (SARIF's default reading) and for
// formats whose positions are no regions of the file (DOCX, PDF).
std::string_view declared_encoding(const ReportFindings& report) {
    if (report.encoding.empty() || report.encoding.starts_with("UTF-8") || report.format == "docx" || report.format == "pdf")
        return {};
    return report.encoding;
}

// Whether a fix's text may be written into the report as it is: its digits are
// the same bytes in UTF-8 as in GB18030, but a viewer that ignores the declared
// encoding would write them as UTF-8 into a UTF-16 file, and break it.
bool fix_text_fits(const ReportFindings& report) { return !declared_encoding(report).starts_with("UTF-16"); }

std::string_view level_of(Severity s) {
    switch (s) {
        case Severity::Error: return "error";
        case Severity::Warning: return "warning";
        case Severity::Info: return "note";
    }
    return "note";
}

// A path as a URI reference (RFC 3986): unreserved bytes and '/' as they are,
// every other byte %XX. A name that is not UTF-8 (a GBK name from a Windows
// archive) keeps its very bytes, so the URI still names the file.
std::string uri_path(std::string_view path) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(path.size());
    for (unsigned char c : path) {
        const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                                c == '-' || c == '.' || c == '_' || c == '~' || c == '/';
        if (unreserved) {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    return out;
}

// A relative path is relative to the working directory, which %SRCROOT% names
// (a CI checkout moves; the paths in it do not). An absolute one is its own
// file URI: SARIF forbids a base for it.
json artifact_location(const std::string& file) {
    if (file.starts_with('/')) return {{"uri", "file://" + uri_path(file)}};
    return {{"uri", uri_path(file)}, {"uriBaseId", "%SRCROOT%"}};
}

std::string directory_uri(std::string directory) {
    if (!directory.ends_with('/')) directory += '/';
    return "file://" + uri_path(directory);
}

// Whether a position's line is a line of the file, as SARIF's regions count
// them. A DOCX "line" is a paragraph number and a PDF's a line of its extracted
// text: a viewer would open the file's bytes at the wrong place, so those
// positions go into the result's properties instead.
bool lines_are_file_lines(std::string_view format) {
    return format == "text" || format == "markdown" || format == "html";
}

// The format of a previous year's report, for its cells' positions: only its
// file name is kept.
std::string_view format_by_name(const std::string& file) {
    for (std::string_view ext : {".txt", ".md", ".markdown", ".html", ".htm"})
        if (ascii_lower(file).ends_with(ext)) return "text";
    return "binary";
}

json physical_location(const std::string& file, const SourcePos& pos, std::string_view format) {
    json physical;
    physical["artifactLocation"] = artifact_location(file);
    if (pos.known() && lines_are_file_lines(format)) {
        json region;
        region["startLine"] = pos.line;
        if (pos.column) region["startColumn"] = pos.column;
        physical["region"] = std::move(region);
    }
    return physical;
}

// Where a position that is no region is kept (DOCX, PDF).
json position_json(const SourcePos& pos) {
    json j{{"line", pos.line}, {"column", pos.column}};
    if (pos.page) j["page"] = pos.page;
    return j;
}

json logical_locations(const FindingLocation& loc) {
    json list = json::array();
    if (!loc.section.empty()) list.push_back({{"name", loc.section}, {"kind", "section"}});
    if (!loc.table.empty())
        list.push_back({{"name", loc.column},
                        {"fullyQualifiedName", loc.table + "." + loc.row + "." + loc.column},
                        {"kind", "tableCell"}});
    return list;
}

// 64-bit FNV-1a: the same bytes give the same hash on every machine and in
// every release, which is all a fingerprint needs.
std::string fnv1a_hex(std::string_view bytes) {
    std::uint64_t h = 14695981039346656037ull;
    for (unsigned char c : bytes) {
        h ^= c;
        h *= 1099511628211ull;
    }
    static constexpr char hex[] = "0123456789abcdef";
    std::string out(16, '0');
    for (int i = 15; i >= 0; --i, h >>= 4) out[static_cast<std::size_t>(i)] = hex[h & 15];
    return out;
}

// The rule and the binding without its place ("f=259 件@18:94" is "f=259 件").
std::string identity_of(const Finding& f) { return f.rule + '\x1f' + std::string(binding_identity(f.binding)); }

std::string fingerprint_path(const std::string& file) {
    std::string normal = std::filesystem::path(file).lexically_normal().generic_string();
    return normal.empty() ? file : normal;
}

// The cell a suggestion changes, when its written text can be replaced in the
// file: a line of a text or Markdown file. (An HTML cell's text is read after
// its character references and tags: its columns in the source may differ.)
const CellRef* replaceable_cell(const Finding& f, std::string_view format) {
    if (!f.suggestion || (format != "text" && format != "markdown")) return nullptr;
    const Suggestion& s = *f.suggestion;
    for (const auto& c : f.cells)
        if (c.table == s.table && c.row == s.row && c.column == s.column && c.file.empty() && c.pos.known() &&
            c.pos.column && !c.text.empty() && c.text.find_first_of("\r\n") == std::string::npos)
            return &c;
    return nullptr;
}

json fix_json(const Finding& f, const CellRef& cell, const std::string& file) {
    const Suggestion& s = *f.suggestion;
    const std::string value = format_number(s.value, s.decimals);
    json region{{"startLine", cell.pos.line},
                {"startColumn", cell.pos.column},
                {"endColumn", cell.pos.column + char_count(cell.text)}};
    json replacement{{"deletedRegion", std::move(region)}, {"insertedContent", {{"text", value}}}};
    json change{{"artifactLocation", artifact_location(file)}, {"replacements", json::array({replacement})}};
    return {{"description",
             {{"text", cell.path + ": " + cell.text + " → " + value + suggestion_fixes_text(s)}}},
            {"artifactChanges", json::array({std::move(change)})}};
}

// The contract fields SARIF has no place of its own for, as docs/findings.md says them.
constexpr const char* kFindingProperties[] = {"severity", "kind",  "assessable", "binding",       "pack",
                                              "title",    "tags",  "basis",      "severity_from", "difference",
                                              "suggestion"};

// `format`: as physical_location() takes it, for whether the error's line is the file's.
json notification(std::string_view level, const InputError& e, const std::string& file, std::string_view format) {
    json n;
    n["level"] = std::string(level);
    std::string text = e.what();
    if (!e.hint().empty()) text += " (" + e.hint() + ")";
    n["message"] = {{"text", text}};
    n["locations"] = json::array({{{"physicalLocation", physical_location(file, e.pos(), format)}}});
    return n;
}

// `"key": value`, `depth` spaces in, as json_text() of the whole log would print it.
std::string member_text(const std::string& key, const json& value, std::size_t depth) {
    return std::string(depth, ' ') + json(key).dump() + ": " + nested_json_text(value, depth).substr(depth);
}

class SarifWriter final : public ResultsWriter {
public:
    SarifWriter(std::ostream& out, const RunInfo& run) : out_(out), run_(run) {
        json rules = json::array();
        for (const auto& r : run.rules) {
            json descriptor;
            descriptor["id"] = r.id;
            descriptor["shortDescription"] = {{"text", r.title.empty() ? r.id : r.title}};
            if (!r.basis.empty()) {
                descriptor["fullDescription"] = {{"text", r.basis}};
                descriptor["help"] = {{"text", r.basis}};
            }
            descriptor["defaultConfiguration"] = {{"level", std::string(level_of(r.severity))}};
            descriptor["properties"] = {{"kind", std::string(to_string(r.kind))}, {"pack", r.pack}, {"tags", r.tags}};
            // A later pack's rule of the same id replaces the earlier one, in its place.
            auto [it, added] = rule_index_.emplace(r.id, rules.size());
            if (added)
                rules.push_back(std::move(descriptor));
            else
                rules[it->second] = std::move(descriptor);
        }
        json driver;
        driver["name"] = "gouji";
        if (!run.tool_version.empty()) driver["version"] = run.tool_version;
        driver["rules"] = std::move(rules);
        json packs = packs_to_json(run.packs);
        out_ << "{\n"
             << member_text("$schema", "https://json.schemastore.org/sarif-2.1.0.json", 1) << ",\n"
             << member_text("version", "2.1.0", 1) << ",\n"
             << " \"runs\": [\n  {\n"
             << member_text("tool", {{"driver", std::move(driver)}}, 3) << ",\n"
             << member_text("columnKind", "unicodeCodePoints", 3) << ",\n";
        if (!run.working_directory.empty())
            out_ << member_text("originalUriBaseIds",
                                {{"%SRCROOT%", {{"uri", directory_uri(run.working_directory)}}}}, 3)
                 << ",\n";
        out_ << member_text("properties", {{"packs", std::move(packs)}}, 3) << ",\n"
             << "   \"results\": [" << std::flush;
    }

    std::string entry(const ReportFindings& report) const override {
        std::string text;
        json notifications = json::array();
        if (report.error) {
            // An unreadable report's format is unknown: its name says whether it is text.
            json n = notification("error", *report.error, report.file, format_by_name(report.file));
            json properties{{"file", report.file}};
            if (report.folder) properties["folder"] = true;
            if (report.previous_year) properties["previous_year"] = true;
            n["properties"] = std::move(properties);
            notifications.push_back(std::move(n));
        }
        for (const auto& e : report.rule_errors) {
            json n = notification("error", e, e.file(), "text");  // at the rule, in its pack (YAML)
            if (!e.rule().empty()) {
                json rule{{"id", e.rule()}};
                if (auto it = rule_index_.find(e.rule()); it != rule_index_.end()) rule["index"] = it->second;
                n["associatedRule"] = std::move(rule);
            }
            n["properties"] = {{"report", report.file}};
            notifications.push_back(std::move(n));
        }
        for (const auto& w : report.reader_warnings)
            notifications.push_back({{"level", "warning"},
                                     {"message", {{"text", w}}},
                                     {"locations", json::array({{{"physicalLocation",
                                                                  {{"artifactLocation", artifact_location(report.file)}}}}})}});
        json artifacts = json::array();
        if (const std::string_view encoding = declared_encoding(report); !encoding.empty())
            artifacts.push_back({{"location", artifact_location(report.file)}, {"encoding", std::string(encoding)}});
        if (!report.findings.empty()) {
            const json contract = report_to_json(report);
            // Two findings of a rule may read alike (two prose figures "8件" in one
            // list): the second and later of them are told apart by their order,
            // not by the place their binding ends with, which moves with the lines.
            std::map<std::string, std::size_t> alike;
            for (std::size_t i = 0; i < report.findings.size(); ++i) {
                const Finding& f = report.findings[i];
                const std::size_t earlier = alike[identity_of(f)]++;
                text += text.empty() ? "" : ",\n";
                text += nested_json_text(result(report, f, contract["findings"][i], earlier), 4);
            }
        }
        if (!notifications.empty() || !artifacts.empty())
            text += kNotificationsFollow + json_text({{"notifications", std::move(notifications)}, {"artifacts", std::move(artifacts)}});
        return text;
    }

    void write(const std::string& entry) override {
        const std::size_t split = entry.find(kNotificationsFollow);
        const std::string_view results = std::string_view(entry).substr(0, split);
        if (!results.empty()) {
            out_ << (first_ ? "\n" : ",\n") << results;
            first_ = false;
        }
        if (split != std::string::npos) {
            json kept = json::parse(entry.begin() + static_cast<std::ptrdiff_t>(split) + 1, entry.end());
            for (auto& n : kept["notifications"]) {
                failed_ = failed_ || n["level"] == "error";
                notifications_.push_back(std::move(n));
            }
            for (auto& a : kept["artifacts"]) artifacts_.push_back(std::move(a));
        }
        out_ << std::flush;
    }

    void close(const BatchTally& tally) override {
        // Nothing audited is exit 2: the run did not succeed.
        if (tally.only_passed_over()) {
            failed_ = true;
            notifications_.push_back(
                {{"level", "error"},
                 {"message", {{"text", "no reports under the paths given: every file found is no report (" +
                                           std::to_string(tally.passed_over) + " passed over)"}}}});
        }
        // Not a failure: what --min-severity left out of the results is said, so
        // that a short log is not read as a clean batch.
        if (tally.findings_not_shown)
            notifications_.push_back(
                {{"level", "note"},
                 {"message", {{"text", plural(tally.findings_not_shown, "finding") + " below --min-severity not shown"}}}});
        json invocation;
        if (run_.arguments.size() > 1)
            invocation["arguments"] = std::vector<std::string>(run_.arguments.begin() + 1, run_.arguments.end());
        if (!run_.arguments.empty()) invocation["commandLine"] = shell_command_line(run_.arguments);
        // Goldens leave the time out; the end is then left out too, so they stay stable.
        if (!run_.started_utc.empty()) {
            invocation["startTimeUtc"] = run_.started_utc;
            invocation["endTimeUtc"] = utc_now_iso8601();
        }
        if (!run_.working_directory.empty()) invocation["workingDirectory"] = {{"uri", directory_uri(run_.working_directory)}};
        // As exit code 2: a report unread, a rule unfinished. Findings, even errors, are a successful run.
        invocation["executionSuccessful"] = !failed_;
        if (!notifications_.empty()) invocation["toolExecutionNotifications"] = std::move(notifications_);
        out_ << (first_ ? "],\n" : "\n   ],\n");
        // Only the reports that are not UTF-8: SARIF reads any other file as UTF-8.
        if (!artifacts_.empty()) out_ << member_text("artifacts", artifacts_, 3) << ",\n";
        out_ << "   \"invocations\": [\n"
             << nested_json_text(invocation, 4) << "\n   ]\n  }\n ]\n}\n"
             << std::flush;
    }

    bool good() const override { return static_cast<bool>(out_); }

private:
    // `earlier`: how many findings of the report before this one have its rule and binding.
    json result(const ReportFindings& report, const Finding& f, const json& contract, std::size_t earlier) const {
        json r;
        r["ruleId"] = f.rule;
        if (auto it = rule_index_.find(f.rule); it != rule_index_.end()) r["ruleIndex"] = it->second;
        // A finding not assessable asks a person to look; SARIF says such a result
        // has level "none" (§3.27.10): its severity is gouji's info anyway.
        r["kind"] = f.assessable ? "fail" : "review";
        r["level"] = std::string(f.assessable ? level_of(f.severity) : "none");
        r["message"] = {{"text", f.message}};
        json location{{"physicalLocation", physical_location(report.file, f.location.pos, report.format)}};
        if (json logical = logical_locations(f.location); !logical.empty()) location["logicalLocations"] = std::move(logical);
        r["locations"] = json::array({std::move(location)});
        json related = json::array();
        for (const auto& c : f.cells) {
            const std::string& file = c.file.empty() ? report.file : c.file;
            const std::string_view format = c.file.empty() ? std::string_view(report.format) : format_by_name(c.file);
            const std::string value = cell_value_text(c);
            std::string said = c.path.ends_with(": " + value) ? c.path : c.path + " = " + value;
            json one{{"id", related.size() + 1},
                     {"physicalLocation", physical_location(file, c.pos, format)},
                     {"message", {{"text", std::move(said)}}}};
            if (c.pos.known() && !lines_are_file_lines(format)) one["properties"] = {{"position", position_json(c.pos)}};
            related.push_back(std::move(one));
        }
        if (!related.empty()) r["relatedLocations"] = std::move(related);
        // The contract's identity of a finding (rule and binding, within a report):
        // the same finding tomorrow has the same print wherever its line moved.
        // The file as one path however it was typed: `./a.txt` and `a.txt` are one report.
        std::string identity = identity_of(f) + '\x1f' + fingerprint_path(report.file);
        if (earlier) identity += '\x1f' + std::to_string(earlier);
        r["partialFingerprints"] = {{"goujiFinding/v1", fnv1a_hex(identity)}};
        if (const CellRef* cell = fix_text_fits(report) ? replaceable_cell(f, report.format) : nullptr)
            r["fixes"] = json::array({fix_json(f, *cell, report.file)});
        json properties;
        for (const char* key : kFindingProperties)
            if (contract.contains(key)) properties[key] = contract[key];
        if (f.location.pos.known() && !lines_are_file_lines(report.format))
            properties["position"] = position_json(f.location.pos);
        if (!report.template_id.empty()) properties["template"] = report.template_id;
        r["properties"] = std::move(properties);
        return r;
    }

    std::ostream& out_;
    RunInfo run_;
    std::map<std::string, std::size_t> rule_index_;  // into tool.driver.rules
    bool first_ = true;
    bool failed_ = false;
    json notifications_ = json::array();
    json artifacts_ = json::array();  // the reports that are not UTF-8, with their encoding
};

}  // namespace

std::unique_ptr<ResultsWriter> sarif_writer(std::ostream& out, const RunInfo& run) {
    return std::make_unique<SarifWriter>(out, run);
}

}  // namespace gouji
