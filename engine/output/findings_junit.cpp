// The findings as JUnit XML (docs/junit.md), for the test-report views of CI
// systems (GitLab's artifacts:reports:junit, Jenkins' junit step). A CI shows a
// run red when some test failed or erred: gouji's findings are mapped so that
// this happens exactly when `gouji check` exits with 1 (an error finding) or 2
// (a report unread, a rule unfinished).
#include <ostream>

#include "engine/output/finding_identity.hpp"
#include "engine/output/finding_words.hpp"
#include "gouji/outputs.hpp"
#include "gouji/text.hpp"

namespace gouji {

namespace {

// `text` as XML 1.0 character data or an attribute value. XML 1.0 forbids most
// C0 controls even as character references, so they (and bytes that are not
// UTF-8: a GBK file name) become U+FFFD; a reader would reject the whole file
// over one. In an attribute, tab and line breaks are written as references,
// which attribute-value normalization would otherwise turn into spaces.
std::string xml_escaped(std::string_view text, bool attribute) {
    std::string out;
    out.reserve(text.size());
    for (char32_t c : to_u32(text)) {
        switch (c) {
            case U'&': out += "&amp;"; continue;
            case U'<': out += "&lt;"; continue;
            case U'>': out += "&gt;"; continue;
            case U'"': out += attribute ? "&quot;" : "\""; continue;
            case U'\t': out += attribute ? "&#9;" : "\t"; continue;
            case U'\n': out += attribute ? "&#10;" : "\n"; continue;
            case U'\r': out += "&#13;"; continue;  // a literal CR is read as a line break
            default: break;
        }
        const bool allowed = c >= 0x20 && c != 0xFFFE && c != 0xFFFF && !(c >= 0xD800 && c <= 0xDFFF);
        out += to_utf8(allowed ? c : char32_t{0xFFFD});
    }
    return out;
}

std::string attr(std::string_view name, std::string_view value) {
    return " " + std::string(name) + "=\"" + xml_escaped(value, true) + "\"";
}

// What a person needs to find and judge the finding without the report open:
// where, the values read (each with its line), and the suggested change.
std::string finding_details(const ReportFindings& report, const Finding& f) {
    const FindingLocation& loc = f.location;
    std::string text = f.message + "\n";
    text += "at " + position_text(report.file, loc.pos);
    if (!loc.section.empty()) text += ", section " + loc.section;
    if (!loc.table.empty()) text += ", " + loc.table + " / " + loc.row + " / " + loc.column;
    text += "\n";
    for (const auto& c : f.cells) {
        const std::string value = cell_value_text(c);
        text += "  " + (c.path.ends_with(": " + value) ? c.path : c.path + " = " + value);
        if (c.pos.known())
            text += " (" + (c.file.empty() ? std::string() : c.file + " ") + "line " + std::to_string(c.pos.line) +
                    ", column " + std::to_string(c.pos.column) +
                    (c.pos.page ? ", page " + std::to_string(c.pos.page) : std::string()) + ")";
        text += "\n";
    }
    if (f.suggestion) {
        const Suggestion& s = *f.suggestion;
        text += "suggestion: " + s.table + " " + s.row + " × " + s.column + " " + format_number(s.current, s.decimals) +
                " → " + format_number(s.value, s.decimals) + suggestion_fixes_text(s) + "\n";
    }
    text += "rule " + f.rule + " (" + std::string(to_string(f.severity)) + ", pack " + f.pack +
            (f.severity_from.empty() ? std::string() : ", severity set by " + f.severity_from) + ")";
    if (!f.title.empty()) text += ": " + f.title;
    text += "\n";
    if (!f.basis.empty()) text += "basis: " + f.basis + "\n";
    return text;
}

std::string error_details(const InputError& e) { return e.describe() + "\n"; }

// The checks counted as failed include those whose findings --min-severity left
// out: they are no test case of the suite, and this says so.
std::string left_out_line(std::size_t left_out) {
    if (!left_out) return {};
    return plural(left_out, "finding") + " below --min-severity not shown: failed checks, but no test case here\n";
}

class JunitWriter final : public ResultsWriter {
public:
    explicit JunitWriter(std::ostream& out) : out_(out) {
        // The batch's totals are known only at its end, and an attribute cannot
        // follow its element's content: the root says no counts (each suite does).
        out_ << "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"gouji check\">\n" << std::flush;
    }

    // tests counts the <testcase> elements of the suite: one per finding, one
    // per rule that could not finish, one for the checks that passed (an
    // unreadable report has just its <error>). failures: error findings;
    // errors: an unreadable report, each rule unfinished; skipped: findings not
    // assessable. Warnings and assessable infos pass, as they leave the exit code 0.
    std::string entry(const ReportFindings& report) const override {
        std::string cases;
        std::size_t tests = 0, failures = 0, errors = 0, skipped = 0;
        // classname: the report, and name: the finding's label. GitLab lists a
        // test as its classname (its "Suite") beside its name, so a row then says
        // which report and which finding; the rule id is the label's start.
        // (Jenkins splits a classname at its last dot: the report's name and its
        // extension, which still tells the reports apart.)
        const std::string classname = attr("classname", report.file);
        const std::string file = attr("file", report.file);
        auto open_case = [&](std::string_view name) {
            ++tests;
            return "  <testcase" + attr("name", name) + classname + file + ">\n";
        };
        if (report.error) {
            cases += open_case(report.folder ? "read the folder" : "read the report");
            cases += "   <error" + attr("message", report.error->what()) + attr("type", "unreadable") + ">" +
                     xml_escaped(error_details(*report.error), false) + "</error>\n  </testcase>\n";
            ++errors;
        }
        for (const auto& e : report.rule_errors) {
            cases += open_case(e.rule().empty() ? "a pack's applies-to could not finish" : e.rule() + " could not finish");
            cases += "   <error" + attr("message", e.what()) + attr("type", "rule-error") + ">" +
                     xml_escaped(error_details(e), false) + "</error>\n  </testcase>\n";
            ++errors;
        }
        // Two findings of a rule may read alike (two prose figures "8件" in one
        // list): the second and later are named with their number, so that a
        // test view does not merge them. A CI keys a test's history by its name:
        // the place that tells them apart in the binding ("f=8件@19:54") moves
        // with the lines, and is left to the details ("at file:19:54").
        std::map<std::string, std::size_t> alike;
        for (const auto& f : report.findings) {
            const std::string_view binding = binding_identity(f.binding);
            const std::string label = binding.empty() ? f.rule : f.rule + "[" + std::string(binding) + "]";
            const std::size_t seen = ++alike[label];
            cases += open_case(seen == 1 ? label : label + " (" + std::to_string(seen) + ")");
            const std::string details = xml_escaped(finding_details(report, f), false);
            if (!f.assessable) {
                cases += "   <skipped" + attr("message", f.message) + ">" + details + "</skipped>\n";
                ++skipped;
            } else if (f.severity == Severity::Error) {
                cases += "   <failure" + attr("message", f.message) + attr("type", "error") + ">" + details +
                         "</failure>\n";
                ++failures;
            } else {
                cases += "   <system-out>" + std::string(to_string(f.severity)) + ": " + details + "</system-out>\n";
            }
            cases += "  </testcase>\n";
        }
        if (!report.error) {
            const EvaluationStats& s = report.stats;
            // A fixed name: a CI keys a test's history by its name, and a count in it would make
            // every change of the count a new test.
            cases += open_case("other checks passed");
            cases += "   <system-out>" +
                     xml_escaped(plural(s.rules_run, "rule") + " ran: " + plural(s.checks, "check") + ", " +
                                     std::to_string(s.passed) + " passed, " + std::to_string(s.failed) + " failed, " +
                                     std::to_string(s.not_assessable) + " not assessable, " +
                                     std::to_string(s.skipped_by_when) + " skipped by their when\n" +
                                     left_out_line(report.findings_not_shown),
                                 false) +
                     "</system-out>\n  </testcase>\n";
        }
        std::string suite = " <testsuite" + attr("name", report.file) + attr("tests", std::to_string(tests)) +
                            attr("failures", std::to_string(failures)) + attr("errors", std::to_string(errors)) +
                            attr("skipped", std::to_string(skipped)) + ">\n";
        std::string properties;
        // What the report does not say (an unreadable one says nothing) is left out.
        auto property = [&](std::string_view name, std::string_view value) {
            if (!value.empty()) properties += "   <property" + attr("name", name) + attr("value", value) + "/>\n";
        };
        property("template", report.template_id);
        property("year", report.year ? std::to_string(report.year) : std::string());
        property("agency", report.agency);
        property("format", report.format);
        property("previous", report.previous);
        property("folder", report.folder ? "true" : "");
        property("previous_year", report.previous_year ? "true" : "");
        property("findings_below_min_severity",
                 report.findings_not_shown ? std::to_string(report.findings_not_shown) : std::string());
        if (!properties.empty()) suite += "  <properties>\n" + properties + "  </properties>\n";
        suite += cases;
        if (!report.reader_warnings.empty()) {
            std::string warnings;
            for (const auto& w : report.reader_warnings) warnings += "warning: " + w + "\n";
            suite += "  <system-err>" + xml_escaped(warnings, false) + "</system-err>\n";
        }
        return suite + " </testsuite>\n";
    }

    void write(const std::string& entry) override { out_ << entry << std::flush; }
    void close(const BatchTally& tally) override {
        // Nothing audited is exit 2: a test view must not show it green.
        if (tally.only_passed_over())
            out_ << " <testsuite" << attr("name", "gouji check") << attr("tests", "1") << attr("failures", "0")
                 << attr("errors", "1") << attr("skipped", "0") << ">\n  <testcase" << attr("name", "find reports")
                 << attr("classname", "gouji check") << ">\n   <error"
                 << attr("message", "no reports under the paths given: every file found is no report")
                 << attr("type", "no-reports") << "/>\n  </testcase>\n </testsuite>\n";
        out_ << "</testsuites>\n" << std::flush;
    }
    bool good() const override { return static_cast<bool>(out_); }

private:
    std::ostream& out_;
};

}  // namespace

std::unique_ptr<ResultsWriter> junit_writer(std::ostream& out, const RunInfo&) {
    return std::make_unique<JunitWriter>(out);
}

}  // namespace gouji
